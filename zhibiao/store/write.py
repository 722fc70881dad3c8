"""Writing to the store: one document with its articles and facts per transaction, and the runs of ingest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, bindparam, delete, false, func, insert, select, update

from zhibiao.model import FACT_FORM, Document, Fact
from zhibiao.store.engine import batches
from zhibiao.store.identity import Stored, match_ids
from zhibiao.store.marks import needs_numbering, number, retire
from zhibiao.store.reviews import reattach
from zhibiao.store.schema import ArticleRow, DocumentRow, FactRow, RunRow, period_columns

_documents = DocumentRow.__table__
_articles = ArticleRow.__table__
_facts = FactRow.__table__
_ROW_PLAN = tuple((f.name, f.column, f.flat_parts) for f in FACT_FORM)  # fact_row's, worked out once
_TITLE_MAX = 200  # a title longer than this is body text that had no line break


@dataclass(slots=True)
class PreparedRows:
    """A document's rows, built where it was extracted (an ingest worker) so that the writer only inserts.

    Attributes:
        document: the documents-table row, without ingested_at.
        articles: the articles-table rows, without doc_id, in order (a fact's `article_index` points here).
        facts: the facts-table rows, without doc_id and article_id.
        article_of_fact: for each fact row, the index of its article in `articles`, or None.
    """

    document: dict[str, Any]
    articles: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    article_of_fact: list[int | None]


@dataclass(slots=True)
class DocumentRecord:
    """The outcome of reading and extracting one file, as ingest hands it to the store.

    Attributes:
        path: the file's absolute path (a changed file is found by it).
        name: the file name.
        content_hash: sha256 hex of the bytes read, None when the file could not be read at all.
        extractor_version: zhibiao.store.version.extractor_version() of the extractor that made the facts.
        document: the document read, None when reading failed (or once `rows` holds it).
        facts: the facts extracted (empty on error, or once `rows` holds them).
        error: the message for a file that failed, else None.
        rows: the rows to insert, when prepare() has built them (then document and facts may be dropped).
    """

    path: str
    name: str
    content_hash: str | None
    extractor_version: str
    document: Document | None = None
    facts: list[Fact] = field(default_factory=list)
    error: str | None = None
    rows: PreparedRows | None = None

    @property
    def n_facts(self) -> int:
        return len(self.rows.facts) if self.rows is not None else len(self.facts)

    def prepare(self) -> DocumentRecord:
        """Build `rows` and drop the document and facts they were made from (less to send between processes)."""
        if self.rows is None:
            self.rows = prepare_rows(self)
            self.document, self.facts = None, []
        return self


def prepare_rows(r: DocumentRecord) -> PreparedRows:
    """The rows of `r`: its document, its articles, its facts (every field of Fact.to_dict())."""
    doc = r.document
    articles = articles_of(doc.text, r.facts) if doc is not None else []
    document = {
        "content_hash": r.content_hash,
        "extractor_version": r.extractor_version,
        "path": r.path,
        "name": r.name,
        "title": document_title(doc, articles) if doc is not None else None,
        "published": doc.published if doc else None,
        "published_how": doc.published_how if doc else "unknown",
        "format": doc.format if doc else _suffix(r.name),
        "encoding": doc.encoding if doc else None,
        "text": doc.text if doc else None,
        "status": "error" if r.error else "ok",
        "error": r.error,
        "n_facts": len(r.facts),
    }
    index = {t: i for i, (t, _, _) in enumerate(articles)}
    return PreparedRows(
        document=document,
        articles=[{"index": i, "title": t, "start": s, "end": e} for i, (t, s, e) in enumerate(articles)],
        facts=[fact_row(f, None, None, r.extractor_version) for f in r.facts],
        article_of_fact=[index.get(f.article) if f.article else None for f in r.facts],
    )


def save_document(engine: Engine, record: DocumentRecord, *, replace: bool = True) -> int:
    """Store `record` in one transaction, replacing what its path held before (facts included). Returns its id.

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
    row = {**rows.document, "ingested_at": datetime.now(UTC)}
    if needs_numbering(conn, _documents):  # SQLite, after the last report was deleted: never its id
        number(conn, _documents, [row])
    doc_id = conn.execute(insert(_documents).returning(_documents.c.id), row).scalar_one()
    facts = [{**f, "doc_id": doc_id} for f in _with_articles(conn, doc_id, rows)]
    if facts and needs_numbering(conn, _facts):
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
    if new and needs_numbering(conn, _facts):  # SQLite: never the id of a figure just deleted
        number(conn, _facts, new)
    _insert_facts(conn, new)
    return doc_id


def _insert_facts(conn: Connection, facts: list[dict[str, Any]]) -> None:
    if facts:
        plan = _positional_plan(conn.dialect, tuple(facts[0])) if conn.dialect.positional else None
        if plan is not None and all(len(f) == len(plan.keys) for f in facts):
            # SQLite: the driver's executemany on tuples, converted by the columns' own bind processors.
            # Core's per-row parameter work (a dict per row checked against the statement, then processed)
            # was the writer's largest cost after the commit.
            conn.exec_driver_sql(plan.sql, [plan.values(f) for f in facts])
        else:
            # a plain executemany: psycopg pipelines it; multi-row INSERTs (RETURNING) measured slower, psycopg
            # parsing each differently sized statement anew
            conn.execute(insert(_facts), facts)


@dataclass(frozen=True, slots=True)
class _Plan:
    """The facts INSERT of a positional dialect for rows with these keys, and each key's bind processor."""

    sql: str
    keys: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]

    def values(self, row: dict[str, Any]) -> tuple[Any, ...]:
        # as Core does, None goes through the processor too (JSON stores it as null)
        return tuple(v if p is None else p(v)
                     for v, p in zip(map(row.__getitem__, self.keys), self.processors, strict=True))


_plans: dict[tuple[str, tuple[str, ...]], _Plan | None] = {}


def _positional_plan(dialect: Dialect, keys: tuple[str, ...]) -> _Plan | None:
    """The plan for `keys`, worked out once per dialect; None when Core must do it (a column the rows leave
    out has a default Core would fill in)."""
    cache_key = (dialect.name, keys)
    if cache_key not in _plans:
        _plans[cache_key] = _make_plan(dialect, keys)
    return _plans[cache_key]


def _make_plan(dialect: Dialect, keys: tuple[str, ...]) -> _Plan | None:
    left_out = [c for c in _facts.c if c.name not in keys and not c.primary_key]
    if any(c.default is not None or c.server_default is not None for c in left_out):
        return None
    compiled = insert(_facts).compile(dialect=dialect, column_keys=list(keys))
    order = tuple(compiled.positiontup or ())
    if sorted(order) != sorted(keys):
        return None
    processors = tuple(_facts.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order)
    return _Plan(str(compiled), order, processors)


def fact_row(f: Fact, doc_id: int | None, article_id: int | None, version: str) -> dict[str, Any]:
    """The facts-table row of `f`: the flat columns of every field of FACT_FORM, the period as dates.

    The columns of a field stored without columns of its own go into the `extra` JSON column, with Fact.extra.
    """
    row: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for name, own, parts in _ROW_PLAN:
        v = getattr(f, name)
        into = row if own else extra
        for column, conv in parts:
            into[column] = v if conv is None else conv(v)
    if f.extra:
        extra["extra"] = f.extra
    row.update(doc_id=doc_id, article_id=article_id, **period_columns(f.period), extra=extra or None,
               extractor_version=version, derived=False, source=None)
    return row


def articles_of(text: str, facts: Sequence[Fact]) -> list[tuple[str, int, int]]:
    """(title, start, end) of each article the facts name, in order of first mention.

    The pipeline gives each fact its article's title; an article starts where its title last stands before
    its first fact (else at that fact) and ends where the next begins.
    """
    firsts: dict[str, int] = {}
    for f in sorted(facts, key=lambda f: f.span.start):
        if f.article and f.article not in firsts:
            firsts[f.article] = f.span.start
    starts: list[tuple[str, int]] = []
    for title, first in firsts.items():
        at = text.rfind(title, 0, first)
        starts.append((title, at if at >= 0 else first))
    if not starts:
        return []
    starts.sort(key=lambda ts: ts[1])
    ends = [s for _, s in starts[1:]] + [len(text)]
    return [(t, s, e) for (t, s), e in zip(starts, ends, strict=True)]


def document_title(doc: Document, articles: Sequence[tuple[str, int, int]]) -> str | None:
    """A document's title: the reader's, else its first article's, else its first line when short."""
    title = getattr(doc, "title", None)
    if title:
        return str(title)
    if articles:
        return articles[0][0]
    for line in doc.text.splitlines():
        line = line.strip().lstrip("#").strip()  # a Markdown heading's marks are not part of the title
        if line:
            return line if len(line) <= _TITLE_MAX else None
    return None


def _suffix(name: str) -> str | None:
    return name.rsplit(".", 1)[1].lower() if "." in name else None


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
