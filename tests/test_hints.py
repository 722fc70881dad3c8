"""Hints for reports that never name their region or print their date: extract and ingest take the same."""

import json

from typer.testing import CliRunner

from zhibiao.cli import app

PAGE = "今年一季度，全县地区生产总值增长5.2%。\n"


def test_extract_and_ingest_fill_region_and_period_from_hints(tmp_path):
    report = tmp_path / "county.txt"
    report.write_text(PAGE, encoding="utf-8")
    runner = CliRunner()
    hints = ["--region", "灵丘县", "--published", "2024-04-20"]
    extracted = runner.invoke(app, ["extract", str(report), "--format", "jsonl", *hints])
    assert extracted.exit_code == 0, extracted.output
    fact = json.loads(extracted.stdout.splitlines()[0])
    assert (fact["region"], fact["period"]) == ("灵丘县", "2024-Q1")

    db = tmp_path / "z.db"
    stored = runner.invoke(app, ["ingest", str(report), "--db", str(db), "--no-progress", *hints])
    assert stored.exit_code == 0, stored.output
    listed = runner.invoke(app, ["facts", "--db", str(db), "--format", "jsonl"])
    row = json.loads(listed.stdout.splitlines()[0])
    assert (row["region"], row["period"]) == ("灵丘县", "2024-Q1")


def test_a_bad_date_is_refused_with_its_option_named(tmp_path):
    report = tmp_path / "county.txt"
    report.write_text(PAGE, encoding="utf-8")
    for command in (["extract", str(report)], ["ingest", str(report), "--db", str(tmp_path / "z.db")]):
        result = CliRunner().invoke(app, [*command, "--published", "2024-13-01"])
        assert result.exit_code == 2
        assert "2024-13-01" in result.output
