"""A document's rows for the store, built from its record without the database (an ingest worker builds them).

Nothing here imports SQLAlchemy or the engine: a worker process that only extracts and builds rows loads the
pipeline and this, not the database layers (which cost it half a second of CPU to import).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from zhibiao.model import FACT_FORM, Document, Fact
from zhibiao.period_bounds import period_bounds

_ROW_PLAN = tuple((f.name, f.column, f.flat_parts) for f in FACT_FORM)  # fact_row's, worked out once
_TITLE_MAX = 200  # a title longer than this is body text that had no line break
# a report's facts share a few periods: each one's bounds worked out once (they were a third of fact_row's time)
_bounds = lru_cache(maxsize=4096)(period_bounds)


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


def period_columns(period: str | None) -> dict[str, str | None]:
    """period_start and period_end of a fact whose period is `period` (None when it has none or is unreadable)."""
    bounds = _bounds(period) if period else None
    return {"period_start": bounds[0] if bounds else None, "period_end": bounds[1] if bounds else None}
