"""Tests for the `zhibiao extract` command: formats, folders, stdin, encodings and bad files.

Runs the real command in-process with typer's CliRunner, and once as a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhibiao.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Our own report text: the three figures every test below looks for.
REPORT = "青禾县2024年地区生产总值286.45亿元，比上年增长5.6%。\n全县新建学校十二所，接待游客85万人次。\n"
FIGURES = ["286.45亿元", "5.6%", "十二所", "85万人次"]
REQUIRED = ["doc", "start", "end", "text", "value", "value_high", "unit", "qualifier", "measure", "indicator",
            "region", "entity", "period", "polarity"]

runner = CliRunner()


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def _run(*args: str, stdin: bytes | str | None = None):
    # wide enough for the table to show whole cells
    return runner.invoke(app, ["extract", *args], input=stdin, env={"COLUMNS": "300"})


@pytest.fixture
def report(tmp_path: Path) -> Path:
    p = tmp_path / "qinghe.txt"
    p.write_text(REPORT, encoding="utf-8")
    return p


def test_jsonl_has_every_design_field_and_grounded_spans(report: Path) -> None:
    result = _run(str(report), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    assert [r["text"] for r in rows] == FIGURES
    for r in rows:
        assert set(REQUIRED) <= set(r)
        assert r["doc"] == "qinghe.txt"
        assert REPORT[r["start"]:r["end"]] == r["text"]
    gdp = rows[0]
    assert (gdp["value"], gdp["unit"], gdp["qualifier"]) == (28645000000.0, "CNY", "exact")
    assert (rows[1]["measure"], rows[1]["polarity"]) == ("growth", "+")


def test_csv_header_names_the_fields(report: Path) -> None:
    result = _run(str(report), "-f", "csv")
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert set(REQUIRED) <= set(reader.fieldnames or [])
    rows = list(reader)
    assert [r["text"] for r in rows] == FIGURES
    assert rows[0]["unit"] == "CNY" and float(rows[0]["value"]) == 28645000000.0


def test_table_is_printed(report: Path) -> None:
    result = _run(str(report))
    assert result.exit_code == 0, result.output
    assert "zhibiao facts" in result.stdout
    for cell in ["qinghe.txt", "286.45亿元", "CNY", "growth", *FIGURES]:
        assert cell in result.stdout


def test_folder_is_walked_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "top.txt").write_text("岚州市粮食产量18.6万吨。", encoding="utf-8")
    (tmp_path / "a" / "mid.md").write_text("# 报告\n\n岚州市新增就业3200人。\n", encoding="utf-8")
    (tmp_path / "a" / "b" / "deep.txt").write_text("青禾县发电量4.2亿千瓦时。", encoding="utf-8")
    (tmp_path / "a" / "b" / "notes.csv").write_text("1,2,3\n", encoding="utf-8")  # not a report: skipped
    result = _run(str(tmp_path), "-f", "jsonl")
    assert result.exit_code == 0, result.output
    assert sorted((r["doc"], r["text"]) for r in _jsonl(result.stdout)) == [
        ("deep.txt", "4.2亿千瓦时"), ("mid.md", "3200人"), ("top.txt", "18.6万吨")]


def test_stdin_dash() -> None:
    result = _run("-", "-f", "jsonl", stdin=REPORT.encode("utf-8"))
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    assert [r["text"] for r in rows] == FIGURES
    assert {r["doc"] for r in rows} == {"<stdin>"}


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("empty.txt", b"", "empty"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not text"),
    ("noise.txt", bytes(range(256)) * 8, "not text"),
])
def test_a_bad_file_is_one_error_line_and_the_others_go_on(tmp_path: Path, report: Path, name: str,
                                                           content: bytes, problem: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    other = tmp_path / "other.txt"
    other.write_text("岚州市粮食产量18.6万吨。", encoding="utf-8")
    result = _run(str(report), str(bad), str(other), "-f", "jsonl")
    assert result.exit_code == 1
    # Rich may wrap a long message (see test_error_message_stays_on_one_line): read it unwrapped
    stderr = "".join(result.stderr.splitlines())
    assert stderr.count("error:") == 1
    message = stderr[stderr.index("error:"):]
    assert f"{bad}: " in message and problem in message
    assert "Traceback" not in result.output
    texts = [r["text"] for r in _jsonl(result.stdout)]
    assert texts == [*FIGURES, "18.6万吨"]


def test_error_message_stays_on_one_line(tmp_path: Path, report: Path) -> None:
    bad = tmp_path / ("a_report_saved_by_mistake_as_text_" + "x" * 40 + ".txt")
    bad.write_bytes(bytes(range(256)) * 8)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}  # stderr to a log file
    proc = subprocess.run([sys.executable, "-m", "zhibiao.cli", "extract", str(bad), str(report), "-f", "jsonl"],
                          capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.decode("utf-8").splitlines() if line.strip()]
    assert errors[0].startswith("error:") and str(bad) in errors[0] and "not text" in errors[0]


def test_missing_file_is_reported(tmp_path: Path, report: Path) -> None:
    result = _run(str(tmp_path / "nowhere.txt"), str(report), "-f", "jsonl")
    assert result.exit_code == 1
    assert "nowhere.txt" in result.stderr
    assert [r["text"] for r in _jsonl(result.stdout)] == FIGURES


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_encodings_are_read(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / f"report_{encoding}.txt"
    p.write_bytes(REPORT.encode(encoding))
    result = _run(str(p), "-f", "jsonl")
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    assert [r["text"] for r in rows] == FIGURES
    for r in rows:  # offsets count code points of the decoded text, whatever the bytes were
        assert REPORT[r["start"]:r["end"]] == r["text"]


def test_the_example_reports_give_facts() -> None:
    paths = sorted(str(p) for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")
    assert len(paths) >= 3
    result = _run(*paths, "-f", "jsonl")
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    by_doc: dict[str, int] = {}
    for r in rows:
        by_doc[r["doc"]] = by_doc.get(r["doc"], 0) + 1
    assert set(by_doc) == {Path(p).name for p in paths}
    assert all(n >= 10 for n in by_doc.values()), by_doc
    # the GBK page is decoded: its spans ground in the decoded text
    gbk = (EXAMPLES / "county_news_gbk.txt").read_bytes().decode("gb18030")
    for r in rows:
        if r["doc"] == "county_news_gbk.txt":
            assert gbk[r["start"]:r["end"]] == r["text"]
    assert "286.45亿元" in {r["text"] for r in rows if r["doc"] == "statistical_bulletin.txt"}


def test_bad_published_date_is_a_usage_error(report: Path) -> None:
    result = _run(str(report), "--published", "yesterday")
    assert result.exit_code == 2
    assert "yesterday" in result.output


def test_subprocess(tmp_path: Path, report: Path) -> None:
    bad = tmp_path / "blank.txt"
    bad.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "zhibiao.cli", "extract", str(report), str(bad), "-f", "jsonl"],
                          capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    rows = _jsonl(proc.stdout.decode("utf-8"))
    assert [r["text"] for r in rows] == FIGURES
    stderr = proc.stderr.decode("utf-8")
    assert "blank.txt" in stderr and "Traceback" not in stderr


def test_subprocess_stdin() -> None:
    exe = ROOT / ".venv" / "bin" / "zhibiao"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "zhibiao.cli"]
    proc = subprocess.run([*cmd, "extract", "-", "--format", "jsonl"], input=REPORT.encode("gbk"),
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert [r["text"] for r in _jsonl(proc.stdout.decode("utf-8"))] == FIGURES
