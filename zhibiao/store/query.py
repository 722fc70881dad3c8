"""Reading facts back: the filters of `zhibiao facts` and the rows of `zhibiao export`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, Select, and_, false, func, or_, select

from zhibiao.errors import ZhibiaoError
from zhibiao.model import MEASURES, Fact, Span
from zhibiao.period_bounds import period_bounds
from zhibiao.store.names import indicator_names, region_names
from zhibiao.store.reviews import not_wrong
from zhibiao.store.schema import ArticleRow, DocumentRow, FactRow

_FACT_INIT_FIELDS = frozenset(f.name for f in dataclasses.fields(Fact) if f.init) - {
    "doc", "span", "text", "value", "unit", "value_high", "qualifier", "measure", "indicator", "region", "entity",
    "period", "polarity", "unit_text", "indicator_standard", "sentence", "article", "duplicate_of", "confidence",
    "extra"}
_STREAM_BATCH = 2000  # rows fetched at a time, so a million facts stream in constant memory

# The tidy export row: the fact format first, then where the fact stands. NOTE: keep in sync with
# zhibiao/export.py (_ARROW_TYPES).
EXPORT_COLUMNS: tuple[str, ...] = (
    "doc", "start", "end", "text", "value", "value_high", "unit", "qualifier", "measure", "indicator", "region",
    "entity", "period", "polarity", "unit_text", "indicator_standard", "confidence", "value_text",
    "value_high_text", "duplicate_of_start", "duplicate_of_end", "sentence", "article", "article_index",
    "path", "title", "published", "published_how", "format", "extractor_version", "derived",
)


@dataclass(frozen=True, slots=True)
class FactFilter:
    """The filters of `zhibiao facts`; None means any.

    Attributes:
        doc: a document's file name, or its path (or the tail of it).
        indicator: a standard name, an alias or an English name.
        region: a full or short name (平鲁 finds 平鲁区).
        period: any period form; facts whose period lies within it match (2023 finds 2023-H1).
        measure: one of model.MEASURES.
        limit: at most this many facts.
    """

    doc: str | None = None
    indicator: str | None = None
    region: str | None = None
    period: str | None = None
    measure: str | None = None
    limit: int | None = None


def select_facts(f: FactFilter, columns: tuple[Any, ...] | None = None) -> Select:
    """The SELECT of the facts matching `f`, in document and text order."""
    fr, dr, ar = FactRow, DocumentRow, ArticleRow
    cols = columns if columns is not None else tuple(fr.__table__.c)
    q = select(*cols).join(dr, fr.doc_id == dr.id).outerjoin(ar, fr.article_id == ar.id)
    conds = [not_wrong()]  # a fact a person marked wrong is left out (corrections are in the rows already)
    if f.doc:
        doc = f.doc.strip()
        conds.append(or_(dr.name == doc, dr.path == doc, dr.path.endswith("/" + doc.lstrip("/"), autoescape=True)))
    if f.indicator:
        conds.append(fr.indicator.in_(sorted(indicator_names(f.indicator))))
    if f.region:
        conds.append(fr.region.in_(sorted(region_names(f.region))))
    if f.period:
        bounds = period_bounds(f.period.strip())
        if bounds is None:
            raise ZhibiaoError(f"not a period: {f.period!r} (write 2023, 2023-H1, 2024-Q1, 2024-05, "
                               f"2024-11-26 or 2024-01/2024-10)")
        conds.append(and_(fr.period_start >= bounds[0], fr.period_end <= bounds[1]))
    if f.measure:
        if f.measure not in MEASURES:
            raise ZhibiaoError(f"not a measure: {f.measure!r} (one of {', '.join(MEASURES)})")
        conds.append(fr.measure == f.measure)
    if conds:
        q = q.where(and_(*conds))
    q = q.order_by(dr.name, dr.id, fr.start, fr.end, fr.id)
    if f.limit is not None:
        q = q.limit(f.limit) if f.limit > 0 else q.where(false())
    return q


def iter_facts(engine: Engine, f: FactFilter = FactFilter()) -> Iterator[Fact]:
    """The facts matching `f`, as model.Fact, streamed."""
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=_STREAM_BATCH).execute(select_facts(f))
        for row in result:
            yield to_fact(row)


def to_fact(row: Any) -> Fact:
    """A stored fact (a row of the facts table) back as model.Fact, with its exact Decimal value.

    Fields kept in the `extra` column (those the schema has no column for) go back into the Fact's own fields
    when it has them, else into Fact.extra.
    """
    dup = None if row.duplicate_of_start is None else Span(row.duplicate_of_start, row.duplicate_of_end or 0)
    stored = dict(row.extra or {})
    extra = dict(stored.pop("extra", None) or {})
    own = {k: stored.pop(k) for k in list(stored) if k in _FACT_INIT_FIELDS}
    extra.update(stored)
    return Fact(
        doc=row.doc, span=Span(row.start, row.end), text=row.text, value=Decimal(row.value_text),
        unit=row.unit, value_high=None if row.value_high_text is None else Decimal(row.value_high_text),
        qualifier=row.qualifier, measure=row.measure, indicator=row.indicator, region=row.region,
        entity=row.entity, period=row.period, polarity=row.polarity, unit_text=row.unit_text,
        indicator_standard=bool(row.indicator_standard), sentence=row.sentence, article=row.article,
        duplicate_of=dup, confidence=row.confidence, extra=extra, **own,
    )


def _export_columns() -> tuple[Any, ...]:
    fr, dr, ar = FactRow, DocumentRow, ArticleRow
    own = {c: getattr(fr, c) for c in EXPORT_COLUMNS if hasattr(fr, c) and c != "article"}
    own.update(article=func.coalesce(ar.title, fr.article), article_index=ar.index, path=dr.path,
               title=dr.title, published=dr.published, published_how=dr.published_how, format=dr.format)
    return tuple(own[c].label(c) for c in EXPORT_COLUMNS)


def iter_export_rows(engine: Engine, f: FactFilter = FactFilter()) -> Iterator[dict[str, Any]]:
    """The tidy rows of EXPORT_COLUMNS for the facts matching `f`, streamed."""
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=_STREAM_BATCH).execute(select_facts(f, _export_columns()))
        for row in result.mappings():
            yield dict(row)


def count_facts(engine: Engine, f: FactFilter = FactFilter()) -> int:
    q = select_facts(FactFilter(**{**_as_dict(f), "limit": None}), (func.count(FactRow.id),)).order_by(None)
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def _as_dict(f: FactFilter) -> dict[str, Any]:
    return {k: getattr(f, k) for k in FactFilter.__slots__}


def list_documents(engine: Engine) -> list[dict[str, Any]]:
    """Every stored document without its text: id, name, path, title, status, error, n_facts ..."""
    d = DocumentRow
    cols = (d.id, d.name, d.path, d.title, d.published, d.published_how, d.format, d.encoding, d.status, d.error,
            d.n_facts, d.content_hash, d.extractor_version, d.ingested_at)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(*cols).order_by(d.name, d.id)).mappings()]
