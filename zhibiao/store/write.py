"""Writing to the store: one document with its articles and facts per transaction, and the runs of ingest."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Dialect,
    Engine,
    Float,
    bindparam,
    delete,
    false,
    func,
    insert,
    select,
    update,
)

from zhibiao.store.engine import batches
from zhibiao.store.identity import Stored, match_ids
from zhibiao.store.marks import needs_numbering, number, retire
from zhibiao.store.reviews import reattach
from zhibiao.store.rows import (  # noqa: F401 - the rows are built in zhibiao.store.rows, re-exported here
    DocumentRecord,
    PreparedRows,
    articles_of,
    document_title,
    fact_row,
    prepare_rows,
)
from zhibiao.store.schema import ArticleRow, DocumentRow, FactRow, RunRow

_documents = DocumentRow.__table__
_articles = ArticleRow.__table__
_facts = FactRow.__table__


def save_document(engine: Engine, record: DocumentRecord, *, replace: bool = True) -> int:
    """Store `record` in one transaction, replacing what its path held before (facts included). Returns its id.

    A path stored before keeps its document id and the id of every figure that is the same (issue 18).
    `replace=False` says the path is not stored yet (ingest knows which paths are), saving the lookup; should it
    be there after all (another ingest stored it meanwhile), the unique path makes this raise IntegrityError.
    """
    rows = record.rows or prepare_rows(record)
    with engine.begin() as conn:
        old = conn.execute(select(_documents.c.id, _documents.c.text).where(_documents.c.path == record.path)
                           ).first() if replace else None
        doc_id = _insert_document(conn, rows) if old is None else _rewrite_document(conn, old.id, old.text, rows)
        if replace and record.n_facts:
            # people's corrections survive re-ingest; a path stored for the first time has no reviews yet
            reattach(conn, doc_id, record.path)
        return doc_id


def _forget(conn: Connection, path: str) -> int:
    ids = list(conn.execute(select(_documents.c.id).where(_documents.c.path == path)).scalars())
    if ids:
        # their ids are never handed out again (a link to them must not land on another report or figure)
        retire(conn, _documents, ids)
        retire(conn, _facts, [conn.execute(select(func.max(_facts.c.id)).where(_facts.c.doc_id.in_(ids))).scalar()
                              or 0])
        # explicit deletes rather than ON DELETE CASCADE: SQLite enforces foreign keys only when asked to
        conn.execute(delete(_facts).where(_facts.c.doc_id.in_(ids)))
        conn.execute(delete(_articles).where(_articles.c.doc_id.in_(ids)))
        conn.execute(delete(_documents).where(_documents.c.id.in_(ids)))
    return len(ids)


def _insert_document(conn: Connection, rows: PreparedRows) -> int:
    now = datetime.now(UTC)
    numbered = needs_numbering(conn, _documents, _facts)
    plans = _driver_plans(conn.dialect, rows) if not any(numbered) else None
    if plans is not None:
        return _insert_by_driver(conn, rows, now, *plans)
    # PostgreSQL, or SQLite after the rows of the largest ids were deleted: those ids are never given again
    row = {**rows.document, "ingested_at": now}
    if numbered[0]:
        number(conn, _documents, [row])
    doc_id = conn.execute(insert(_documents).returning(_documents.c.id), row).scalar_one()
    facts = [{**f, "doc_id": doc_id} for f in _with_articles(conn, doc_id, rows)]
    if facts and numbered[1]:
        number(conn, _facts, facts)
    _insert_facts(conn, facts)
    return doc_id


def _with_articles(conn: Connection, doc_id: int, rows: PreparedRows) -> list[dict[str, Any]]:
    """Insert the articles of `rows` under `doc_id`; return its fact rows pointing at them."""
    article_ids: list[int] = []
    if rows.articles:
        result = conn.execute(insert(_articles).returning(_articles.c.id, sort_by_parameter_order=True),
                              [{**a, "doc_id": doc_id} for a in rows.articles])
        article_ids = list(result.scalars())
    return [{**f, "article_id": None if a is None else article_ids[a]}
            for f, a in zip(rows.facts, rows.article_of_fact, strict=True)]


def _rewrite_document(conn: Connection, doc_id: int, old_text: str | None, rows: PreparedRows) -> int:
    """Replace a stored document's row, articles and stated facts by `rows`, keeping its id and the id of every
    fact that is the same figure (identity.match_ids), so that links to them still land (issue 18).

    A kept fact's row is updated in place (a finding's link to it stays); a fact that is gone is deleted (its
    finding links become NULL until the next check); a new fact gets an id no row ever had. The derived facts
    anchored here stay until the next check replaces them."""
    conn.execute(update(_documents).where(_documents.c.id == doc_id)
                 .values({**rows.document, "ingested_at": datetime.now(UTC)}))
    conn.execute(delete(_articles).where(_articles.c.doc_id == doc_id))
    facts = [{**f, "doc_id": doc_id} for f in _with_articles(conn, doc_id, rows)]
    stated = (_facts.c.doc_id == doc_id) & (_facts.c.derived == false())
    old = [Stored(*r) for r in conn.execute(select(_facts.c.id, _facts.c.start, _facts.c.end, _facts.c.text,
                                                   _facts.c.value_text, _facts.c.sentence).where(stated))]
    ids = match_ids(old, old_text or "", facts, rows.document.get("text") or "")
    kept = {i for i in ids if i is not None}
    gone = [o.id for o in old if o.id not in kept]
    retire(conn, _facts, gone)
    for chunk in batches(gone):
        conn.execute(delete(_facts).where(_facts.c.id.in_(chunk)))
    same = [{**{f"new_{k}": v for k, v in f.items()}, "old_id": i} for f, i in zip(facts, ids, strict=True)
            if i is not None]
    if same:
        columns = list(facts[0])
        conn.execute(update(_facts).where(_facts.c.id == bindparam("old_id"))
                     .values({c: bindparam(f"new_{c}") for c in columns}), same)
    new = [f for f, i in zip(facts, ids, strict=True) if i is None]
    if new and needs_numbering(conn, _facts)[0]:  # SQLite: never the id of a figure just deleted
        number(conn, _facts, new)
    _insert_facts(conn, new)
    return doc_id


def _insert_facts(conn: Connection, facts: list[dict[str, Any]]) -> None:
    """Insert fact rows that hold their doc_id and article_id (and their id when numbered here)."""
    if not facts:
        return
    plan = _plan(conn.dialect, _facts, tuple(facts[0])) if conn.dialect.paramstyle == "qmark" else None
    if plan is not None and all(len(f) == plan.n_row for f in facts):
        conn.exec_driver_sql(plan.sql, [plan.values(f, f["doc_id"], f["article_id"]) for f in facts])
    else:
        # a plain executemany: psycopg pipelines it; multi-row INSERTs (RETURNING) measured slower, psycopg
        # parsing each differently sized statement anew
        conn.execute(insert(_facts), facts)


def _insert_by_driver(conn: Connection, rows: PreparedRows, now: datetime, doc: _Plan, article: _Plan,
                      fact: _Plan) -> int:
    """SQLite: the document, its articles and its facts as the driver's statements on tuples, converted by the
    columns' own bind processors; each new id is the cursor's lastrowid. Core's per-statement and per-row work
    (compiling or looking up the statement, a dict per row checked against it, RETURNING) cost the writer
    more than the inserts themselves. Errors still come as SQLAlchemy's (IntegrityError for a path stored
    meanwhile)."""
    run = conn.exec_driver_sql
    doc_id = run(doc.sql, doc.values(rows.document, now)).lastrowid
    article_ids = [run(article.sql, article.values(a, doc_id)).lastrowid for a in rows.articles]
    if rows.facts:
        values = fact.values
        run(fact.sql, [values(f, doc_id, None if a is None else article_ids[a])
                       for f, a in zip(rows.facts, rows.article_of_fact, strict=True)])
    return doc_id


@dataclass(frozen=True, slots=True)
class _Plan:
    """An INSERT of a positional (qmark) dialect: its SQL, the row keys it reads and the bind processors of the
    columns that have one, by position. A row's values are `head` (given by the writer: ids, a time) and then
    the row's own keys but those (a fact row holds doc_id and article_id as None); `n_row`: how many keys the
    rows hold."""

    sql: str
    get: Callable[[dict[str, Any]], tuple[Any, ...]]
    n_row: int
    # (position, processor, what it makes of None, the type whose values it leaves as the driver binds them)
    converts: tuple[tuple[int, Callable[[Any], Any], Any, type | None], ...]

    def values(self, row: dict[str, Any], *head: Any) -> tuple[Any, ...]:
        out = [*head, *self.get(row)]
        for i, process, none, kept in self.converts:
            # as Core does, None goes through the processor too (JSON stores it as null), worked out once
            v = out[i]
            if v is None:
                out[i] = none
            elif type(v) is not kept:
                out[i] = process(v)
        return tuple(out)


# A float for a Float column and a bool for a Boolean one are bound by sqlite3 as their processors would make
# them (float(v) is v; True is stored as 1 either way): two of every fact's processor calls skipped. Checked on
# samples when a plan is made, so that a processor that did more would still be called.
_KEPT: tuple[tuple[type, type, tuple[Any, ...]], ...] = ((Boolean, bool, (True, False)), (Float, float, (1.5, -0.25)))


def _kept(column_type: Any, process: Callable[[Any], Any]) -> type | None:
    for sql_type, kept, samples in _KEPT:
        if isinstance(column_type, sql_type) and all(process(v) == v for v in samples):
            return kept
    return None


_plans: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], _Plan | None] = {}
_HEADS = {"documents": ("ingested_at",), "articles": ("doc_id",), "facts": ("doc_id", "article_id")}


def _driver_plans(dialect: Dialect, rows: PreparedRows) -> tuple[_Plan, _Plan, _Plan] | None:
    """The plans for the rows of a document, or None when Core must write them (a dialect that is not qmark,
    a column the rows leave out that has a default Core would fill in, rows of different keys)."""
    if dialect.paramstyle != "qmark":
        return None
    facts = rows.facts
    fact_keys = tuple(facts[0]) if facts else tuple(c.name for c in _facts.c if not c.primary_key)
    article_keys = tuple(rows.articles[0]) if rows.articles else ("index", "title", "start", "end")
    plans = (_plan(dialect, _documents, tuple(rows.document)), _plan(dialect, _articles, article_keys),
             _plan(dialect, _facts, fact_keys))
    if any(p is None for p in plans):
        return None
    doc, article, fact = plans
    assert doc is not None and article is not None and fact is not None
    if any(len(a) != article.n_row for a in rows.articles) or any(len(f) != fact.n_row for f in facts):
        return None
    return doc, article, fact


def _plan(dialect: Dialect, table: Any, keys: tuple[str, ...]) -> _Plan | None:
    """The plan for rows of `table` with `keys`, worked out once per dialect."""
    cache_key = (dialect.name, table.name, _HEADS[table.name], keys)
    if cache_key not in _plans:
        _plans[cache_key] = _make_plan(dialect, table, _HEADS[table.name], keys)
    return _plans[cache_key]


def _make_plan(dialect: Dialect, table: Any, head: tuple[str, ...], row_keys: tuple[str, ...]) -> _Plan | None:
    keys = tuple(k for k in row_keys if k not in head)
    order = (*head, *keys)
    if len(set(row_keys)) != len(row_keys) or any(k not in table.c for k in order) or not keys:
        return None
    left_out = [c for c in table.c if c.name not in order and not c.primary_key]
    if any(c.default is not None or c.server_default is not None for c in left_out):
        return None
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(map(quote, order))}) "
           f"VALUES ({', '.join('?' * len(order))})")
    processors = [table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in order]
    converts = tuple((i, p, p(None), _kept(table.c[order[i]].type, p)) for i, p in enumerate(processors)
                     if p is not None)
    get = operator.itemgetter(*keys)
    return _Plan(sql, get if len(keys) > 1 else (lambda row: (get(row),)), len(row_keys), converts)


def known_documents(engine: Engine, version: str) -> dict[str, str]:
    """The documents stored without error by extractor `version`: path → content hash."""
    q = select(_documents.c.path, _documents.c.content_hash).where(
        (_documents.c.extractor_version == version) & (_documents.c.status == "ok"))
    with engine.connect() as conn:
        return {p: h for p, h in conn.execute(q) if h is not None}


def stored_paths(engine: Engine) -> set[str]:
    """The path of every stored document, whatever its status or extractor."""
    with engine.connect() as conn:
        return set(conn.execute(select(_documents.c.path)).scalars())


def start_run(engine: Engine, *, command: str, paths: Sequence[str], version: str, workers: int) -> int:
    """A new row in the runs table, status running; returns its id."""
    row = {"started_at": datetime.now(UTC), "command": command, "paths": list(paths), "status": "running",
           "extractor_version": version, "workers": workers, "n_ok": 0, "n_skipped": 0, "n_failed": 0,
           "n_facts": 0, "errors": []}
    with engine.begin() as conn:
        return conn.execute(insert(RunRow.__table__).returning(RunRow.__table__.c.id), row).scalar_one()


def finish_run(engine: Engine, run_id: int, *, status: str, ok: int, skipped: int, failed: int, facts: int,
               errors: Sequence[tuple[str, str]], duration: float) -> None:
    """Close the run `run_id` with what it did: files stored, skipped, failed, facts stored, (path, error)s."""
    values = {"finished_at": datetime.now(UTC), "status": status, "n_ok": ok, "n_skipped": skipped,
              "n_failed": failed, "n_facts": facts, "errors": [{"path": p, "error": e} for p, e in errors],
              "duration": duration}
    with engine.begin() as conn:
        conn.execute(update(RunRow.__table__).where(RunRow.__table__.c.id == run_id).values(values))
