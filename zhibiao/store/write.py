"""Writing to the store: one document with its articles and facts per transaction, and the runs of ingest."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, delete, insert, select, update

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

    `replace=False` says the path is not stored yet (ingest knows which paths are), saving the lookup; should it
    be there after all (another ingest stored it meanwhile), the unique path makes this raise IntegrityError.
    """
    with engine.begin() as conn:
        if replace:
            _forget(conn, record.path)
        doc_id = _insert_document(conn, record.rows or prepare_rows(record))
        if replace and record.n_facts:
            # people's corrections survive re-ingest; a path stored for the first time has no reviews yet
            reattach(conn, doc_id, record.path)
        return doc_id


def _forget(conn: Connection, path: str) -> int:
    ids = list(conn.execute(select(_documents.c.id).where(_documents.c.path == path)).scalars())
    if ids:
        # explicit deletes rather than ON DELETE CASCADE: SQLite enforces foreign keys only when asked to
        conn.execute(delete(_facts).where(_facts.c.doc_id.in_(ids)))
        conn.execute(delete(_articles).where(_articles.c.doc_id.in_(ids)))
        conn.execute(delete(_documents).where(_documents.c.id.in_(ids)))
    return len(ids)


def _insert_document(conn: Connection, rows: PreparedRows) -> int:
    now = datetime.now(UTC)
    plans = _driver_plans(conn.dialect, rows)
    if plans is not None:
        return _insert_by_driver(conn, rows, now, *plans)
    doc_id = conn.execute(insert(_documents).returning(_documents.c.id),
                          {**rows.document, "ingested_at": now}).scalar_one()
    article_ids: list[int] = []
    if rows.articles:
        result = conn.execute(insert(_articles).returning(_articles.c.id, sort_by_parameter_order=True),
                              [{**a, "doc_id": doc_id} for a in rows.articles])
        article_ids = list(result.scalars())
    if rows.facts:
        # a plain executemany: psycopg pipelines it; multi-row INSERTs (RETURNING) measured slower, psycopg
        # parsing each differently sized statement anew
        conn.execute(insert(_facts), [{**f, "doc_id": doc_id, "article_id": None if a is None else article_ids[a]}
                                      for f, a in zip(rows.facts, rows.article_of_fact, strict=True)])
    return doc_id


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
    converts: tuple[tuple[int, Callable[[Any], Any], Any], ...]  # (position, processor, what it makes of None)

    def values(self, row: dict[str, Any], *head: Any) -> tuple[Any, ...]:
        out = [*head, *self.get(row)]
        for i, process, none in self.converts:
            # as Core does, None goes through the processor too (JSON stores it as null), worked out once
            v = out[i]
            out[i] = none if v is None else process(v)
        return tuple(out)


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
    converts = tuple((i, p, p(None)) for i, p in enumerate(processors) if p is not None)
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
