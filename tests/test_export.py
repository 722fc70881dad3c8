"""Export: a tidy table, one row per fact with its document, article title and sentence; CSV, JSONL, Parquet."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import dbfixtures
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_store import _record
from typer.testing import CliRunner

from zhibiao.cli import app
from zhibiao.errors import ZhibiaoError
from zhibiao.export import arrow_schema, export_facts, write_rows
from zhibiao.store import EXPORT_COLUMNS, FactFilter, open_engine
from zhibiao.store.write import save_document

db_url = dbfixtures.db_url  # the fixture: each test runs on SQLite and on PostgreSQL


@pytest.fixture
def filled(db_url: str) -> str:
    engine = open_engine(db_url)
    save_document(engine, _record())
    engine.dispose()
    return db_url


def test_parquet_has_proper_types(filled: str, tmp_path: Path) -> None:
    engine = open_engine(filled)
    out = tmp_path / "facts.parquet"
    assert export_facts(engine, "parquet", out) == 3
    engine.dispose()
    table = pq.read_table(out)
    assert table.column_names == list(EXPORT_COLUMNS)
    types = dict(zip(table.column_names, table.schema.types, strict=True))
    assert types["value"] == pa.float64() and types["start"] == pa.int32()
    assert types["published"] == pa.date32() and types["indicator_standard"] == pa.bool_()
    assert types["derived"] == pa.bool_()
    rows = table.to_pylist()
    assert rows[0]["value"] == 28645000000.0 and rows[0]["value_text"] == "28645000000"
    assert rows[0]["published"] == date(2024, 3, 1)
    assert rows[0]["article"] == "青禾县经济运行情况" and rows[0]["title"] == "青禾县经济运行情况"
    assert rows[0]["sentence"].startswith("2023年，青禾县地区生产总值")
    assert rows[1]["duplicate_of_start"] == 1 and rows[2]["value_high"] == 8.3
    assert rows[0]["doc"] == "qinghe.txt" and rows[0]["path"] == "/reports/qinghe.txt"
    assert [r["derived"] for r in rows] == [False] * 3


def test_csv_and_jsonl_hold_the_same_rows(filled: str, tmp_path: Path) -> None:
    engine = open_engine(filled)
    assert export_facts(engine, "csv", tmp_path / "f.csv") == 3
    assert export_facts(engine, "jsonl", tmp_path / "f.jsonl", FactFilter(measure="growth")) == 2
    engine.dispose()
    with (tmp_path / "f.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert [r["text"] for r in rows] == ["286.45亿元", "5.6%", "8.1%"]
    assert rows[0]["published"] == "2024-03-01" and rows[0]["value_high"] == ""
    lines = [json.loads(line) for line in (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in lines] == ["5.6%", "8.1%"]
    assert lines[0]["indicator_standard"] is False and lines[0]["derived"] is False
    assert lines[1]["value_high"] == 8.3 and lines[1]["period"] == "2023-H1"


def test_an_empty_export_still_has_its_columns(tmp_path: Path) -> None:
    assert write_rows([], "parquet", tmp_path / "e.parquet") == 0
    assert pq.read_table(tmp_path / "e.parquet").column_names == list(EXPORT_COLUMNS)
    assert write_rows([], "csv", tmp_path / "e.csv") == 0
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").strip() == ",".join(EXPORT_COLUMNS)


def test_the_arrow_schema_names_every_export_column() -> None:
    assert arrow_schema().names == list(EXPORT_COLUMNS)


def test_export_to_a_folder_or_nowhere_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ZhibiaoError, match="is a folder"):
        write_rows([], "csv", tmp_path)
    with pytest.raises(ZhibiaoError, match="cannot write"):
        write_rows([], "csv", tmp_path / "no" / "such" / "f.csv")
    assert not list(tmp_path.iterdir())  # no half-written file left


# --- the commands ----------------------------------------------------------------------------------------------

def test_export_command(filled: str, tmp_path: Path) -> None:
    out = tmp_path / "x.parquet"
    result = CliRunner().invoke(app, ["export", "--db", filled, "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 facts" in result.output
    assert pq.read_table(out).num_rows == 3
    result = CliRunner().invoke(app, ["export", "--db", filled, "-f", "jsonl", "-o", str(tmp_path / "x.jsonl"),
                                      "--region", "平鲁"])
    assert result.exit_code == 0 and len((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.parametrize("args, texts", [
    (["--indicator", "GDP"], ["286.45亿元", "5.6%"]),
    (["--indicator", "Gross regional product", "--measure", "growth"], ["5.6%"]),
    (["--region", "平鲁"], ["8.1%"]),
    (["--period", "2023"], ["286.45亿元", "5.6%", "8.1%"]),
    (["--period", "2023-H1"], ["8.1%"]),
    (["--doc", "qinghe.txt", "--limit", "1"], ["286.45亿元"]),
])
def test_facts_command_jsonl(filled: str, args: list[str], texts: list[str]) -> None:
    result = CliRunner().invoke(app, ["facts", "--db", filled, "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == texts
    assert set(rows[0]) >= {"doc", "start", "end", "text", "value", "value_high", "unit", "qualifier", "measure",
                            "indicator", "region", "entity", "period", "polarity"}


def test_facts_command_csv_and_table(filled: str) -> None:
    result = CliRunner().invoke(app, ["facts", "--db", filled, "-f", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert len(rows) == 3 and rows[1]["duplicate_of"] == "[1, 3]"
    result = CliRunner().invoke(app, ["facts", "--db", filled])
    assert result.exit_code == 0 and "zhibiao facts" in result.stdout


def test_facts_command_bad_filter(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["facts", "--db", str(tmp_path / "q.db"), "--period", "soon"])
    assert result.exit_code == 2 and "not a period" in result.output  # a usage error, before any database


def test_default_database_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ZHIBIAO_DB", str(tmp_path / "env.db"))
    engine = open_engine(None)
    save_document(engine, _record())
    engine.dispose()
    result = CliRunner().invoke(app, ["facts", "-f", "jsonl"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 3
