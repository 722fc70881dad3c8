"""The store's commands as a user meets them (issue 18): a --db that does not exist, periods as reports write them,
--format against the --out ending, texts that name an extra, deleting a document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhibiao.cli import app
from zhibiao.cli.common import parse_period
from zhibiao.errors import ZhibiaoError
from zhibiao.export import ExportFormat, format_for

runner = CliRunner()
# our own sentences: two county reports
REPORTS = {"east.txt": "2023年，灵丘县地区生产总值完成120.5亿元，比上年增长5.1%。\n",
           "west.txt": "2023年上半年，广灵县地区生产总值完成45.3亿元，增长4.2%。\n"}


@pytest.fixture
def stored(tmp_path: Path) -> str:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = str(tmp_path / "z.db")
    r = runner.invoke(app, ["ingest", str(folder), "--db", db, "--no-progress", "-j", "1",
                            "--published", "2024-03-01"])
    assert r.exit_code == 0, r.output
    return db


@pytest.mark.parametrize("command", [["facts"], ["check"], ["panel"], ["serve"], ["delete", "1"],
                                     ["export", "-o", "out.csv"]])
def test_a_database_that_does_not_exist_is_an_error_and_is_not_made(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo.db"
    r = runner.invoke(app, [*command, "--db", str(missing)])
    assert r.exit_code == 1 and "no database at" in r.output and "zhibiao ingest" in r.output
    assert not missing.exists()


@pytest.mark.parametrize(("given", "expected"), [  # as a report or a person writes a period, and as the format does
    ("2023年", "2023"),
    ("2023", "2023"),
    ("2023年上半年", "2023-H1"),
    ("2024年一季度", "2024-Q1"),
    ("2024年1-10月", "2024-01/2024-10"),
    ("2024年5月份", "2024-05"),
    ("2024-01/2024-10", "2024-01/2024-10"),
])
def test_a_period_is_read_as_reports_write_it(given: str, expected: str) -> None:
    assert parse_period(given) == expected


@pytest.mark.parametrize("given", ["soon", "今年", "2023年和2024年"])  # nothing, relative, two periods
def test_what_is_not_one_period_is_refused(given: str) -> None:
    import typer

    with pytest.raises(typer.BadParameter):
        parse_period(given)


def test_facts_filtered_by_a_period_in_chinese(stored: str) -> None:
    r = runner.invoke(app, ["facts", "--db", stored, "--period", "2023年上半年", "-f", "jsonl"])
    assert r.exit_code == 0, r.output
    assert {json.loads(line)["doc"] for line in r.stdout.splitlines()} == {"west.txt"}


@pytest.mark.parametrize(("out", "fmt", "expected"), [
    ("facts.parquet", None, ExportFormat.parquet),  # the ending says
    ("facts.DTA", None, ExportFormat.dta),
    ("facts.jsonl", "jsonl", ExportFormat.jsonl),
    ("facts", None, ExportFormat.csv),  # no ending: the default
    ("facts.txt", "parquet", ExportFormat.parquet),  # an ending of no format: --format decides
    ("facts.parquet", "csv", None),  # they disagree: refused
    ("facts.csv", "dta", None),
])
def test_format_and_ending_agree(out: str, fmt: str | None, expected: ExportFormat | None) -> None:
    if expected is None:
        with pytest.raises(ZhibiaoError, match="ends as a"):
            format_for(out, fmt)
    else:
        assert format_for(out, fmt) is expected


def test_export_refuses_a_format_the_file_name_contradicts(stored: str, tmp_path: Path) -> None:
    out = tmp_path / "facts.parquet"
    r = runner.invoke(app, ["export", "--db", stored, "-o", str(out), "--format", "csv"])
    assert r.exit_code == 1 and "ends as a parquet file" in r.output and not out.exists()
    r = runner.invoke(app, ["export", "--db", stored, "-o", str(out)])
    assert r.exit_code == 0 and out.read_bytes()[:4] == b"PAR1"


def test_help_and_errors_print_the_extra_they_name(tmp_path: Path) -> None:
    assert "zhibiao[ray]" in runner.invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"}).output
    assert "zhibiao[pandas]" in runner.invoke(app, ["panel", "--help"], env={"COLUMNS": "200"}).output
    bad = tmp_path / "scan[ray].pdf"  # a file name with brackets, in the line that says it failed
    bad.write_bytes(b"not a pdf at all")
    r = runner.invoke(app, ["ingest", str(bad), "--db", str(tmp_path / "z.db"), "--no-progress", "-j", "1"])
    assert r.exit_code == 1 and "scan[ray].pdf" in r.output


def test_delete_a_document_and_its_facts(stored: str) -> None:
    r = runner.invoke(app, ["delete", "east.txt", "--db", stored])
    assert r.exit_code == 0, r.output
    assert "deleted document" in r.output and "checked again" in r.output
    left = runner.invoke(app, ["facts", "--db", stored, "-f", "jsonl"]).stdout.splitlines()
    assert left and {json.loads(line)["doc"] for line in left} == {"west.txt"}


def test_delete_deletes_nothing_when_one_name_is_unknown(stored: str) -> None:
    r = runner.invoke(app, ["delete", "west.txt", "north.txt", "--db", stored])
    assert r.exit_code == 1 and "no stored document 'north.txt'" in r.output
    left = runner.invoke(app, ["facts", "--db", stored, "-f", "jsonl"]).stdout.splitlines()
    assert {json.loads(line)["doc"] for line in left} == {"east.txt", "west.txt"}


def test_a_table_shows_values_as_printed_and_is_not_cut_at_80_columns(stored: str, monkeypatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    r = CliRunner().invoke(app, ["facts", "--db", stored, "--doc", "east.txt"])
    assert r.exit_code == 0, r.output
    assert "120.5亿元" in r.stdout and "12,050,000,000 CNY" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) > 80


def test_check_prints_the_problems_and_a_summary_by_default(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()  # two reports of our own that disagree on one figure, and agree on another
    (folder / "a.txt").write_text("2023年，灵丘县地区生产总值完成120.5亿元，增长5.1%。\n", encoding="utf-8")
    (folder / "b.txt").write_text("2023年，灵丘县地区生产总值完成131.2亿元，增长5.1%。\n", encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert runner.invoke(app, ["ingest", str(folder), "--db", db, "--no-progress", "-j", "1"]).exit_code == 0
    shown = runner.invoke(app, ["check", "--db", db], env={"COLUMNS": "300"})
    assert shown.exit_code == 0 and "conflict" in shown.stdout and "│ ok" not in shown.stdout
    assert "not shown: --all shows them" in shown.output and "findings (" in shown.output
    every = runner.invoke(app, ["check", "--db", db, "--all"], env={"COLUMNS": "300"})
    assert "conflict" in every.stdout and "│ ok" in every.stdout
