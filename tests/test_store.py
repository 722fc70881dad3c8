"""The store: migrations, writing a document atomically, reading facts back with every field, the filters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import dbfixtures
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text

import zhibiao
from zhibiao.errors import ZhibiaoError
from zhibiao.model import FACT_FIELDS, FACT_FORM, Document, Fact, FactField, Span
from zhibiao.period_bounds import period_bounds
from zhibiao.store import FactFilter, count_facts, iter_export_rows, iter_facts, list_documents, open_engine
from zhibiao.store.engine import current_revision, head_revision, make_engine, upgrade
from zhibiao.store.query import stored_fact
from zhibiao.store.schema import Base, DocumentRow, FactRow
from zhibiao.store.url import resolve_url
from zhibiao.store.version import extractor_version
from zhibiao.store.write import DocumentRecord, save_document

db_url = dbfixtures.db_url  # the fixture: each test runs on SQLite and on PostgreSQL

# Our own report: two articles, figures of two regions and periods.
TEXT = ("青禾县经济运行情况\n2023年，青禾县地区生产总值286.45亿元，比上年增长5.6%。\n"
        "平鲁区上半年规模以上工业增加值增长8.1%。\n")


def _fact(start: int, end: int, value: str, unit: str, **kw) -> Fact:
    return Fact(doc="qinghe.txt", span=Span(start, end), text=TEXT[start:end], value=Decimal(value), unit=unit, **kw)


def _facts() -> list[Fact]:
    gdp = TEXT.index("286.45亿元")
    growth = TEXT.index("5.6%")
    ind = TEXT.index("8.1%")
    return [
        _fact(gdp, gdp + 8, "28645000000", "CNY", indicator="地区生产总值", region="青禾县", period="2023",
              unit_text="亿元", indicator_standard=True, sentence="2023年，青禾县地区生产总值286.45亿元，比上年增长5.6%。",
              article="青禾县经济运行情况", confidence=0.8),
        _fact(growth, growth + 4, "5.6", "%", measure="growth", indicator="地区生产总值", region="青禾县",
              period="2023", polarity="+", duplicate_of=Span(1, 3), extra={"note": "ours"}),
        _fact(ind, ind + 4, "8.1", "%", measure="growth", indicator="规模以上工业增加值", region="平鲁区",
              period="2023-H1", polarity="+", value_high=Decimal("8.3"), qualifier="range"),
    ]


def _record(path: str = "/reports/qinghe.txt", facts: list[Fact] | None = None, content_hash: str = "ab" * 32,
            error: str | None = None) -> DocumentRecord:
    doc = Document(name="qinghe.txt", text=TEXT, path=path, published=date(2024, 3, 1), published_how="printed")
    return DocumentRecord(path=path, name="qinghe.txt", content_hash=content_hash,
                          extractor_version=extractor_version(), document=None if error else doc,
                          facts=[] if error else (_facts() if facts is None else facts), error=error)


# --- migrations --------------------------------------------------------------------------------------------

def test_a_new_database_is_migrated_to_head_and_matches_the_models(db_url: str) -> None:
    engine = open_engine(db_url)
    assert current_revision(engine) == head_revision()

    def ours(name, type_, parent_names) -> bool:  # later revisions (findings, reviews) bring their own tables
        return type_ != "table" or name in Base.metadata.tables

    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"include_name": ours}), Base.metadata)
    assert diffs == []
    engine.dispose()


def test_the_head_and_the_revision_read_without_alembic_are_alembics(db_url: str) -> None:
    # written for the ingest issue (17): engine.py reads them without importing Alembic; a migration file named
    # out of the NNNN_ pattern, or a second head, would make them differ
    from alembic.script import ScriptDirectory

    from zhibiao.store.engine import alembic_config

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    engine = make_engine(db_url)
    for revision in (None, "0001", "head"):
        if revision is not None:
            upgrade(engine, revision)
        with engine.connect() as conn:
            assert current_revision(engine) == MigrationContext.configure(conn).get_current_revision()
        assert current_revision(engine) == {None: None, "0001": "0001", "head": head_revision()}[revision]
    engine.dispose()


def test_an_older_database_is_upgraded_in_place_keeping_its_data(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert not inspect(engine).has_table("runs")
    save_document(engine, _record())
    engine.dispose()
    engine = open_engine(db_url)
    assert current_revision(engine) == head_revision()
    assert inspect(engine).has_table("runs")
    assert count_facts(engine) == 3
    engine.dispose()


def test_a_database_from_a_newer_zhibiao_is_refused(db_url: str) -> None:
    engine = open_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(ZhibiaoError, match="newer zhibiao"):
        open_engine(db_url)


def test_a_database_with_foreign_tables_is_refused_not_rebuilt(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT)"))
        conn.execute(text("INSERT INTO documents VALUES (1, 'theirs')"))
    engine.dispose()
    with pytest.raises(ZhibiaoError, match="did not make"):
        open_engine(db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT body FROM documents")).scalar_one() == "theirs"
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    engine = open_engine(str(tmp_path / "wal.db"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    engine.dispose()


# --- writing and reading back ------------------------------------------------------------------------------

def test_every_field_of_a_fact_comes_back(db_url: str) -> None:
    engine = open_engine(db_url)
    save_document(engine, _record())
    back = list(iter_facts(engine))
    assert [f.to_dict() for f in back] == [f.to_dict() for f in _facts()]
    assert back[0].value == Decimal("28645000000") and isinstance(back[0].value, Decimal)
    assert back[1].extra == {"note": "ours"}
    with engine.connect() as conn:
        rows = conn.execute(select(FactRow.derived, FactRow.source, FactRow.extractor_version)).all()
    assert rows == [(False, None, extractor_version())] * 3
    engine.dispose()


def _any_value(f: FactField):
    """A value of the field's kind that is not its default, so that a field lost on the way shows."""
    if f.choices:
        return f.choices[-1]
    return {"place": Span(0, 3), "span": Span(2, 5), "decimal": Decimal("1.25"), "score": 0.123, "int": 7,
            "bool": True, "json": {"region": "sentence"}}.get(f.kind, f"x{f.name}"[: f.size or 40])


def test_every_field_of_the_field_table_comes_back_from_the_store_and_the_web_rows(db_url: str) -> None:
    """Made from FACT_FORM: a field added to it is stored, read back and shown without another line here."""
    fact = Fact(**{f.name: _any_value(f) for f in FACT_FORM}, extra={"note": "ours"})
    engine = open_engine(db_url)
    save_document(engine, _record(facts=[fact]))
    assert [f.to_dict() for f in iter_facts(engine)] == [fact.to_dict()]
    assert list(iter_facts(engine))[0].extra == {"note": "ours"}
    with engine.connect() as conn:
        rows = list(conn.execute(select(FactRow.__table__)))
    stored = stored_fact(rows[0])
    assert {k: stored.pop(k) for k in ("id", "doc_id", "derived", "review")} == \
        {"id": rows[0].id, "doc_id": rows[0].doc_id, "derived": False, "review": None}
    assert stored == fact.to_dict() and list(stored) == list(FACT_FIELDS)
    export = list(iter_export_rows(engine))[0]
    assert {c: export[c] for f in FACT_FORM for c, _ in f.columns} == \
        {c: v for f in FACT_FORM for (c, _), v in zip(f.columns, f.flat(getattr(fact, f.name)), strict=True)}
    engine.dispose()


def test_a_document_is_stored_with_its_articles_title_and_date(db_url: str) -> None:
    engine = open_engine(db_url)
    save_document(engine, _record())
    (doc,) = list_documents(engine)
    assert (doc["name"], doc["title"], doc["published"], doc["published_how"], doc["status"], doc["n_facts"]) == \
           ("qinghe.txt", "青禾县经济运行情况", date(2024, 3, 1), "printed", "ok", 3)
    rows = list(iter_export_rows(engine))
    assert rows[0]["article"] == "青禾县经济运行情况" and rows[0]["article_index"] == 0
    assert rows[2]["article"] is None
    engine.dispose()


def test_storing_a_path_again_replaces_its_facts(db_url: str) -> None:
    engine = open_engine(db_url)
    save_document(engine, _record())
    save_document(engine, _record(facts=_facts()[:1], content_hash="cd" * 32))
    assert count_facts(engine) == 1
    assert [d["content_hash"] for d in list_documents(engine)] == ["cd" * 32]
    save_document(engine, _record(error="empty file"))
    assert count_facts(engine) == 0
    (doc,) = list_documents(engine)
    assert (doc["status"], doc["error"]) == ("error", "empty file")
    engine.dispose()


def test_a_failed_write_leaves_the_old_document_whole(db_url: str) -> None:
    engine = open_engine(db_url)
    save_document(engine, _record())
    bad = _record(facts=[*_facts(), _fact(0, 1, "1", "x" * 40)])  # unit longer than its column on PostgreSQL;
    bad.facts[-1].span = None  # and a fact without a span fails on any database before the commit
    with pytest.raises(AttributeError):
        save_document(engine, bad)
    assert count_facts(engine) == 3
    assert len(list_documents(engine)) == 1
    engine.dispose()


# --- queries -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("where, expected", [
    (FactFilter(), 3),
    (FactFilter(indicator="地区生产总值"), 2),
    (FactFilter(indicator="GDP"), 2),  # an alias
    (FactFilter(indicator="Gross regional product"), 2),  # the English name
    (FactFilter(indicator="规上工业增加值"), 1),
    (FactFilter(region="平鲁"), 1),  # a short name
    (FactFilter(region="平鲁区"), 1),
    (FactFilter(period="2023"), 3),  # 2023-H1 lies within 2023
    (FactFilter(period="2023-H1"), 1),
    (FactFilter(period="2023-Q3"), 0),
    (FactFilter(period="2022/2023"), 3),
    (FactFilter(measure="growth"), 2),
    (FactFilter(doc="qinghe.txt"), 3),
    (FactFilter(doc="reports/qinghe.txt"), 3),
    (FactFilter(doc="other.txt"), 0),
    (FactFilter(indicator="GDP", measure="growth", region="青禾", period="2023"), 1),
    (FactFilter(limit=2), 2),
], ids=repr)
def test_filters(db_url: str, where: FactFilter, expected: int) -> None:
    engine = open_engine(db_url)
    save_document(engine, _record())
    assert len(list(iter_facts(engine, where))) == expected
    engine.dispose()


@pytest.mark.parametrize("where, message", [
    (FactFilter(period="last year"), "not a period"),
    (FactFilter(measure="size"), "not a measure"),
])
def test_bad_filters_say_what_is_wrong(tmp_path, where: FactFilter, message: str) -> None:
    engine = open_engine(str(tmp_path / "q.db"))
    with pytest.raises(ZhibiaoError, match=message):
        list(iter_facts(engine, where))
    engine.dispose()


@pytest.mark.parametrize("period, bounds", [
    ("2023", ("2023-01-01", "2023-12-31")),
    ("2023-H2", ("2023-07-01", "2023-12-31")),
    ("2024-Q1", ("2024-01-01", "2024-03-31")),
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2024-11-26", ("2024-11-26", "2024-11-26")),
    ("2024-01/2024-10", ("2024-01-01", "2024-10-31")),
    ("2024-13", None),
    ("2024-10/2024-01", None),
    ("", None),
    (None, None),
])
def test_period_bounds(period, bounds) -> None:
    assert period_bounds(period) == bounds


# --- URLs and the Python API -----------------------------------------------------------------------------------

def test_database_urls(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZHIBIAO_DB", raising=False)
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'zhibiao.db'}"
    monkeypatch.setenv("ZHIBIAO_DB", "other.db")
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'other.db'}"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(ZhibiaoError, match="unsupported database"):
        resolve_url("mysql://u@h/db")


def test_zhibiao_open_gives_dataclasses_and_a_dataframe(db_url: str) -> None:
    engine = open_engine(db_url)
    save_document(engine, _record())
    engine.dispose()
    with zhibiao.open(db_url) as db:
        facts = db.facts(indicator="GDP")
        assert [f.text for f in facts] == ["286.45亿元", "5.6%"]
        assert isinstance(facts[0], Fact)
        assert db.count(region="平鲁") == 1
        assert [d["name"] for d in db.documents()] == ["qinghe.txt"]
        pandas = pytest.importorskip("pandas")
        frame = db.dataframe()
        assert len(frame) == 3
        assert frame["value"].dtype == "float64" and str(frame["start"].dtype) == "Int64"
        assert frame.loc[0, "published"] == date(2024, 3, 1)
        assert frame.loc[0, "article"] == "青禾县经济运行情况"
        assert not pandas.isna(frame.loc[2, "value_high"])


def test_extractor_version_names_the_release() -> None:
    v = extractor_version()
    assert v.startswith(zhibiao.__version__ + "+") and len(v) <= DocumentRow.__table__.c.extractor_version.type.length


def test_insert_without_derived_defaults_to_false(db_url: str) -> None:
    """Rows the checks or older code insert without the new columns are plain stated facts."""
    engine = open_engine(db_url)
    doc_id = save_document(engine, _record(facts=[]))
    with engine.begin() as conn:
        conn.execute(insert(FactRow.__table__).values(
            doc_id=doc_id, doc="qinghe.txt", start=0, end=1, text="青", value=1.0, value_text="1", unit="count",
            qualifier="exact", measure="level", unit_text="", indicator_standard=False, confidence=0.5,
            extractor_version="x"))
        assert conn.execute(text("SELECT derived FROM facts")).scalar_one() in (False, 0)
    engine.dispose()
