"""People's reviews of facts (migration 0004): confirm, correct any field, or mark wrong; kept with time and author.

How a review takes effect (so that `facts`, `export`, `check` and zhibiao.open all see it):
- a correction is written through into the fact's row (value, indicator, period ...), so every filter and
  export reads the corrected values;
- a fact marked wrong stays in the table but is left out by `not_wrong()`, which query.select_facts and
  findings.load_facts add to their WHERE;
- re-ingesting a report replaces its fact rows: write.save_document calls `reattach`, which finds each
  reviewed fact again by document path, span, text and extracted value, and applies its latest review again.

Every review is a new row (history); `latest` marks the one in force for its fact. `changes` holds all the
corrections in force after it (cumulative), `before` the fact's fields as the reviewer saw them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, insert, inspect, select, true, update

from zhibiao.errors import ZhibiaoError
from zhibiao.model import FACT_FORM
from zhibiao.period_bounds import period_bounds
from zhibiao.store.engine import batches
from zhibiao.store.schema import DocumentRow, FactRow, ReviewRow, period_columns

ACTIONS = ("confirm", "correct", "wrong")
# the fields a person may correct (text, start and end are the source's and never change)
_CORRECTABLE = {f.name: f for f in FACT_FORM if f.correctable}
FIELDS = tuple(_CORRECTABLE)
_MAX_TEXT = 200  # characters of a corrected name, a note or an author
_MAX_VALUE = Decimal("1e30")

_reviews = ReviewRow.__table__
_facts = FactRow.__table__
_documents = DocumentRow.__table__


def not_wrong(facts: Any = _facts) -> Any:
    """The WHERE clause that leaves out facts whose latest review marks them wrong."""
    r = _reviews
    return ~exists().where(and_(r.c.fact_id == facts.c.id, r.c.latest == true(), r.c.action == "wrong"))


def clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The corrections as stored: only known fields, each checked; '' or None clears a nullable field.

    Raises ZhibiaoError naming the first field that is not valid.
    """
    out: dict[str, Any] = {}
    for name, raw in changes.items():
        field = _CORRECTABLE.get(name)
        if field is None:
            raise ZhibiaoError(f"{name!r} cannot be corrected (one of {', '.join(FIELDS)})")
        v = None if raw is None else str(raw).strip()
        if v == "":
            v = None
        if v is not None and len(v) > _MAX_TEXT:
            raise ZhibiaoError(f"{name}: at most {_MAX_TEXT} characters")
        if v is None and not field.optional and not field.choices:
            raise ZhibiaoError(f"{name}: a fact needs a {name}")
        if field.kind == "decimal" and v is not None:
            try:
                d = Decimal(v.replace(",", ""))
            except InvalidOperation:
                raise ZhibiaoError(f"{name}: {v!r} is not a number") from None
            if not d.is_finite() or abs(d) > _MAX_VALUE:
                raise ZhibiaoError(f"{name}: {v!r} is out of range")
            v = str(d)
        elif field.choices and v not in field.choices and not (v is None and field.optional):
            raise ZhibiaoError(f"{name}: one of {', '.join(field.choices)}" + (" or empty" if field.optional else ""))
        elif name == "period" and v is not None and period_bounds(v) is None:
            raise ZhibiaoError(f"period: {v!r} is not a period (2023, 2023-H1, 2024-Q1, 2024-05, 2024-01/2024-10)")
        out[name] = v
    return out


def _row_values(changes: dict[str, Any]) -> dict[str, Any]:
    """The facts-table columns that carry `changes` (as clean_changes leaves them)."""
    values: dict[str, Any] = {}
    for name, v in changes.items():
        field = _CORRECTABLE[name]
        value = Decimal(v) if field.kind == "decimal" and v is not None else v
        values.update(zip((c for c, _ in field.columns), field.flat(value), strict=True))
        if name == "period":
            values.update(period_columns(v))
    return values


def _snapshot(row: Any) -> dict[str, Any]:
    """The correctable fields of a facts-table row as a person saw them (a decimal as its exact text)."""
    m = row._mapping
    return {name: m[f"{name}_text" if f.kind == "decimal" else name] for name, f in _CORRECTABLE.items()}


def add_review(engine: Engine, fact_id: int, action: str, *, changes: dict[str, Any] | None = None,
               author: str = "", note: str | None = None) -> dict[str, Any]:
    """Record a review of the fact with row id `fact_id` and apply it; returns the review as a dict.

    confirm keeps the corrections in force; correct adds `changes` to them; wrong leaves the fact out of
    facts, export and check. Raises ZhibiaoError for an unknown fact, action or field, or a bad value.
    """
    if action not in ACTIONS:
        raise ZhibiaoError(f"action: one of {', '.join(ACTIONS)}")
    new = clean_changes(changes or {})
    if action == "correct" and not new:
        raise ZhibiaoError("a correction needs at least one field")
    author = (author or "").strip()[:_MAX_TEXT] or "anonymous"
    note = (note or "").strip()[:2000] or None
    with engine.begin() as conn:
        q = select(_facts, _documents.c.path.label("doc_path")).join(
            _documents, _facts.c.doc_id == _documents.c.id).where(_facts.c.id == fact_id)
        row = conn.execute(q).first()
        if row is None:
            raise ZhibiaoError(f"no fact {fact_id}")
        if row.derived:
            raise ZhibiaoError("a derived fact is recomputed by every check: review the facts it comes from")
        previous = conn.execute(select(_reviews).where(and_(_reviews.c.fact_id == fact_id,
                                                            _reviews.c.latest == true()))).first()
        in_force = dict(previous.changes) if previous is not None else {}
        in_force.update(new)
        # the first review of a fact: its row still holds the extracted value
        key_value = previous.key_value if previous is not None else str(row.value_text)
        conn.execute(update(_reviews).where(and_(_reviews.c.doc_path == row.doc_path,
                                                 _reviews.c.start == row.start, _reviews.c.end == row.end,
                                                 _reviews.c.key_value == key_value))
                     .values(latest=False))
        record = {"doc_path": row.doc_path, "doc": row.doc, "start": row.start, "end": row.end, "text": row.text,
                  "key_value": key_value, "fact_id": fact_id, "action": action, "changes": in_force,
                  "before": _snapshot(row), "note": note, "author": author, "created_at": datetime.now(UTC),
                  "latest": True}
        rid = conn.execute(insert(_reviews).returning(_reviews.c.id), record).scalar_one()
        if new:
            conn.execute(update(_facts).where(_facts.c.id == fact_id).values(_row_values(new)))
    return {"id": rid, **record, "created_at": record["created_at"].isoformat()}


def has_reviews_table(conn: Connection) -> bool:
    return inspect(conn).has_table("reviews")


def reattach(conn: Connection, doc_id: int, path: str) -> int:
    """After a document's facts were (re)written: point its reviews at the new rows and apply them again.

    A review finds its fact by span and text, and by the extracted value where several facts share a span;
    one it cannot find keeps fact_id NULL until a later ingest brings its fact back. Returns how many were
    re-attached. A database older than migration 0004 has no reviews to re-attach.
    """
    if not has_reviews_table(conn):
        return 0
    latest = list(conn.execute(select(_reviews).where(and_(_reviews.c.doc_path == path,
                                                           _reviews.c.latest == true()))))
    if not latest:
        return 0
    facts = conn.execute(select(_facts.c.id, _facts.c.start, _facts.c.end, _facts.c.text, _facts.c.value_text)
                         .where(and_(_facts.c.doc_id == doc_id, _facts.c.derived.is_not(True))))
    by_span: dict[tuple[int, int, str], list[tuple[int, str]]] = {}
    for f in facts:
        by_span.setdefault((f.start, f.end, f.text), []).append((f.id, f.value_text))
    n = 0
    for r in latest:
        found = by_span.get((r.start, r.end, r.text), [])
        match = [fid for fid, v in found if v == r.key_value]
        fact_id = match[0] if match else (found[0][0] if len(found) == 1 else None)
        conn.execute(update(_reviews).where(_reviews.c.id == r.id).values(fact_id=fact_id))
        if fact_id is not None:
            n += 1
            if r.changes:
                conn.execute(update(_facts).where(_facts.c.id == fact_id).values(_row_values(dict(r.changes))))
    return n


def _as_dict(row: Any) -> dict[str, Any]:
    d = dict(row._mapping)
    if isinstance(d.get("created_at"), datetime):
        d["created_at"] = d["created_at"].isoformat()
    return d


def reviews_of_fact(engine: Engine, fact_id: int) -> list[dict[str, Any]]:
    """Every review of the fact (its history across re-ingests too), newest first."""
    with engine.connect() as conn:
        row = conn.execute(select(_facts.c.start, _facts.c.end, _facts.c.text, _documents.c.path)
                           .join(_documents, _facts.c.doc_id == _documents.c.id)
                           .where(_facts.c.id == fact_id)).first()
        if row is None:
            return []
        q = select(_reviews).where(and_(_reviews.c.doc_path == row.path, _reviews.c.start == row.start,
                                        _reviews.c.end == row.end, _reviews.c.text == row.text))
        return [_as_dict(r) for r in conn.execute(q.order_by(_reviews.c.id.desc()))]


def latest_reviews(engine: Engine, *, doc_id: int | None = None, limit: int = 500,
                   offset: int = 0) -> list[dict[str, Any]]:
    """The reviews in force (newest first), of one document or of all."""
    q = select(_reviews).where(_reviews.c.latest == true())
    if doc_id is not None:
        q = q.where(_reviews.c.doc_path == select(_documents.c.path).where(_documents.c.id == doc_id)
                    .scalar_subquery())
    q = q.order_by(_reviews.c.id.desc()).limit(limit).offset(offset)
    with engine.connect() as conn:
        return [_as_dict(r) for r in conn.execute(q)]


def latest_actions(conn: Connection, fact_ids: list[int]) -> dict[int, str]:
    """fact id → the action of its latest review, for the facts of `fact_ids` that have one."""
    out: dict[int, str] = {}
    for ids in batches(fact_ids):
        q = select(_reviews.c.fact_id, _reviews.c.action).where(and_(_reviews.c.fact_id.in_(ids),
                                                                     _reviews.c.latest == true()))
        out.update({fid: a for fid, a in conn.execute(q)})
    return out
