"""`zhibiao check` on a real database (SQLite always, PostgreSQL when ZHIBIAO_TEST_PG is set): findings and
derived facts stored, linked to their facts, replaced on every run; the migration up and down."""

from __future__ import annotations

import json
from datetime import date
from hashlib import sha256

import dbfixtures
from sqlalchemy import inspect, select
from typer.testing import CliRunner

from zhibiao.cli import app
from zhibiao.model import Document
from zhibiao.pipeline import extract_document
from zhibiao.read import read_text
from zhibiao.store import open_engine
from zhibiao.store.engine import current_revision, make_engine, upgrade
from zhibiao.store.findings import count_findings, iter_findings
from zhibiao.store.schema import FactRow, FindingFactRow, FindingRow
from zhibiao.store.version import extractor_version
from zhibiao.store.write import DocumentRecord, save_document

db_url = dbfixtures.db_url
runner = CliRunner()

# Our own reports: one county page with a total and its parts, a completion, and a pp comparison; one
# later page that states the same total again, and one that states it otherwise.
REPORTS = {
    "a.txt": "2023年，青禾县地区生产总值200.0亿元，同比增长5.0%。其中：第一产业增加值20.0亿元，第二产业增加值100.0亿元，"
             "第三产业增加值80.0亿元。全县新增城镇就业1728人，完成年度目标任务61.71%。",
    "b.txt": "2023年青禾县地区生产总值达到200.0亿元。",
    "c.txt": "2023年青禾县地区生产总值为210.5亿元。",
}


def _store(url: str, names=("a.txt", "b.txt", "c.txt")) -> None:
    engine = open_engine(url)
    for name in names:
        text = REPORTS[name]
        doc: Document = read_text(text, name=name)
        doc.published, doc.published_how, doc.path = date(2024, 3, 1), "given", f"/r/{name}"
        facts = extract_document(doc, region="青禾县")
        save_document(engine, DocumentRecord(path=f"/r/{name}", name=name,
                                             content_hash=sha256(text.encode()).hexdigest(),
                                             extractor_version=extractor_version(), document=doc, facts=facts))
    engine.dispose()


def _check(url: str, *args: str):
    result = runner.invoke(app, ["check", "--db", url, *args], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result


def test_check_stores_findings_and_derived_facts(db_url: str) -> None:
    _store(db_url)
    result = _check(db_url, "--format", "jsonl")
    printed = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    kinds = {(f["kind"], f["status"]) for f in printed}
    assert ("sum", "ok") in kinds and ("implied", "ok") in kinds and ("agreement", "conflict") in kinds
    conflict = next(f for f in printed if f["kind"] == "agreement")
    assert {x["doc"] for x in conflict["facts"]} == {"a.txt", "b.txt", "c.txt"}

    engine = open_engine(db_url)
    stored = list(iter_findings(engine))
    assert sorted((f.kind, f.status) for f in stored) == sorted((f["kind"], f["status"]) for f in printed)
    assert sum(count_findings(engine).values()) == len(printed)
    with engine.connect() as conn:
        derived = conn.execute(select(FactRow).where(FactRow.derived.is_(True))).all()
        links = conn.execute(select(FindingFactRow)).all()
    assert len(derived) == 1 and derived[0].measure == "target" and derived[0].doc == "a.txt"
    assert [s["text"] for s in derived[0].source["sources"]] == ["61.71%", "1728人"]
    assert all(s["fact_id"] is not None for s in derived[0].source["sources"])
    assert links and all(link.fact_id is not None for link in links)
    engine.dispose()


def test_a_second_check_replaces_the_first(db_url: str) -> None:
    _store(db_url)
    _check(db_url)
    engine = open_engine(db_url)
    first = count_findings(engine)
    with engine.connect() as conn:
        n_facts = len(conn.execute(select(FactRow.id)).all())
    _check(db_url)
    assert count_findings(engine) == first
    with engine.connect() as conn:
        assert len(conn.execute(select(FactRow.id)).all()) == n_facts  # derived facts replaced, not added
    engine.dispose()


def test_findings_survive_a_reingest_until_the_next_check(db_url: str) -> None:
    _store(db_url, names=("a.txt", "b.txt"))
    _check(db_url)
    _store(db_url, names=("b.txt",))  # b.txt stored again: its facts get new ids
    engine = open_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(FindingFactRow.doc, FindingFactRow.fact_id)).all()
    assert any(doc == "b.txt" for doc, _ in rows)
    _check(db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(FindingFactRow.doc, FindingFactRow.fact_id)).all()
    assert all(fid is not None for _, fid in rows)
    engine.dispose()


def test_table_output_and_status_filter(db_url: str) -> None:
    _store(db_url)
    result = _check(db_url, "--status", "conflict", "--lang", "en")
    assert "agreement" in result.stdout and "conflict" in result.stdout and "sum" not in result.stdout.split("┃")[-1]
    assert "disagrees" in result.stdout


def test_an_empty_database_has_nothing_to_check(db_url: str) -> None:
    open_engine(db_url).dispose()  # made as ingest makes it, before any report went in
    result = _check(db_url)
    assert "nothing to check" in result.output


def test_migration_0003_up_and_down(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0002")
    assert not inspect(engine).has_table("findings")
    upgrade(engine)
    assert current_revision(engine) >= "0003"
    assert inspect(engine).has_table(FindingRow.__tablename__) and inspect(engine).has_table("finding_facts")
    from alembic import command

    from zhibiao.store.engine import alembic_config
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert not inspect(engine).has_table("findings")
    engine.dispose()
