"""Reading facts back: the filters of `zhibiao facts`, stored facts as Facts or as rows, the rows of `zhibiao export`.

The columns of both kinds of row are made from zhibiao.model.FACT_FORM.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Select, and_, false, func, or_, select

from zhibiao.errors import ZhibiaoError
from zhibiao.model import FACT_FIELDS, FACT_FORM, MEASURES, Fact
from zhibiao.period_bounds import period_bounds
from zhibiao.store.names import indicator_names, region_names
from zhibiao.store.reviews import latest_actions, not_wrong
from zhibiao.store.schema import ArticleRow, DocumentRow, FactRow

_STREAM_BATCH = 2000  # rows fetched at a time, so a million facts stream in constant memory

# A stored fact as a row of `zhibiao facts` and of the web app's CSV: its id, its fields (Fact.to_dict()), whether
# the checks derived it, and the action of its latest review.
STORED_FIELDS: tuple[str, ...] = ("id", *FACT_FIELDS, "derived", "review")

# The tidy export row: the flat columns of every fact field, then where the fact stands; each column with its
# type (text, int, float, bool, json, exact: a Decimal as text, date), from which export.py makes the Arrow
# schema and api.py the DataFrame's dtypes.
EXPORT_TYPES: dict[str, str] = {
    **{c: kind for f in FACT_FORM for c, kind in f.columns},
    "article_index": "int", "path": "text", "title": "text", "published": "date", "published_how": "text",
    "format": "text", "extractor_version": "text", "derived": "bool",
}
EXPORT_COLUMNS: tuple[str, ...] = tuple(EXPORT_TYPES)
_OWN_COLUMNS = frozenset(c for f in FACT_FORM if f.column for c, _ in f.columns)
_READ_PLAN = tuple((f.name, f.column, tuple(c for c, _ in f.columns), f.from_columns) for f in FACT_FORM)
_IN_EXTRA = tuple(p for p in _READ_PLAN if not p[1])  # the fields kept in the `extra` column
_DEFAULTS = {f.name: f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
             for f in dataclasses.fields(Fact)}
# stored_fact's plan: each key of Fact.to_dict(), its field, how to read the field's value from its columns (None:
# from `extra`) and its JSON conversion; a decimal's JSON is its float column, the float of its exact value
_JSON_READ = tuple(
    (key, f.name, (operator.itemgetter(f.name) if f.kind == "decimal" else f.from_columns) if f.column else None,
     None if f.kind == "decimal" else conv)
    for f in FACT_FORM for key, conv in f.json_parts)


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


def _field_values(m: Mapping[str, Any], extra: dict[str, Any], plan: tuple[Any, ...] = _READ_PLAN) -> dict[str, Any]:
    """The attribute values of FACT_FORM's fields; a field stored in `extra` and missing there is left out (so that
    the Fact's default applies), and what is taken is popped from `extra`."""
    out = {}
    for name, own, columns, read in plan:
        if own:
            out[name] = read(m)
        elif any(c in extra for c in columns):
            out[name] = read({c: extra.pop(c, None) for c in columns})
    return out


def to_fact(row: Any) -> Fact:
    """A stored fact (a row of the facts table) back as model.Fact, with its exact Decimal value.

    What `extra` holds beyond the fields kept there (a field a later zhibiao no longer has) goes into Fact.extra,
    so that nothing is lost.
    """
    m = row._mapping
    extra = dict(m["extra"] or {})
    own = dict(extra.pop("extra", None) or {})
    values = _field_values(m, extra)
    own.update(extra)
    return Fact(**values, extra=own)


def stored_fact(row: Any, review: str | None = None) -> dict[str, Any]:
    """A facts-table row as JSON: what to_fact(row).to_dict() gives (read straight from the columns, the hot path
    of the web app's pages), then its row id, its document's id, derived and its review."""
    m = row._mapping
    kept = _field_values(m, dict(m["extra"] or {}), _IN_EXTRA) if _IN_EXTRA else {}
    d: dict[str, Any] = {}
    for key, name, read, conv in _JSON_READ:
        v = read(m) if read is not None else kept.get(name, _DEFAULTS[name])
        d[key] = v if conv is None else conv(v)
    d.update(id=m["id"], doc_id=m["doc_id"], derived=bool(m["derived"]), review=review)
    return d


def stored_facts(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """stored_fact of each row, with the action of its latest review."""
    reviews = latest_actions(conn, [r.id for r in rows])
    return [stored_fact(r, reviews.get(r.id)) for r in rows]


def iter_stored_facts(engine: Engine, f: FactFilter = FactFilter()) -> Iterator[dict[str, Any]]:
    """The facts matching `f` as stored_fact dicts (with their reviews), streamed."""
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=_STREAM_BATCH).execute(select_facts(f))
        for rows in result.partitions():
            yield from stored_facts(conn, rows)


def _export_columns() -> tuple[Any, ...]:
    fr, dr, ar = FactRow, DocumentRow, ArticleRow
    own = {c: getattr(fr, c) for c in EXPORT_COLUMNS if c in _OWN_COLUMNS or c in ("extractor_version", "derived")}
    own.update(article=func.coalesce(ar.title, fr.article), article_index=ar.index, path=dr.path,
               title=dr.title, published=dr.published, published_how=dr.published_how, format=dr.format)
    return (*(own[c].label(c) for c in EXPORT_COLUMNS if c in own), fr.extra.label("extra"))


def export_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The EXPORT_COLUMNS of a row holding the facts-table columns and the document's: the columns of fields kept in
    `extra` taken from there."""
    extra = row.get("extra") or {}
    return {c: row[c] if c in row else extra.get(c) for c in EXPORT_COLUMNS}


def iter_export_rows(engine: Engine, f: FactFilter = FactFilter()) -> Iterator[dict[str, Any]]:
    """The tidy rows of EXPORT_COLUMNS for the facts matching `f`, streamed."""
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=_STREAM_BATCH).execute(select_facts(f, _export_columns()))
        for row in result.mappings():
            yield export_row(row)


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
