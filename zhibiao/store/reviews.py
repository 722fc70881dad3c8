"""People's reviews of facts (migration 0004): confirm, correct any field, or mark wrong; kept with time and author.

How a review takes effect (so that `facts`, `export`, `check` and zhibiao.open all see it):
- a correction is written through into the fact's row (value, indicator, period ...), so every filter and
  export reads the corrected values;
- a fact marked wrong stays in the table but is left out by `not_wrong()`, which query.select_facts and
  findings.load_facts add to their WHERE;
- re-ingesting a report replaces its fact rows: write.save_document calls `reattach`, which finds each
  reviewed fact again and applies its latest review again. A review is anchored by the figure's text and the
  characters around it (context_before, context_after), so it finds its figure when the report's text changed
  above it or around it; where no figure of that text fits, or two fit alike, it stays unattached (fact_id
  NULL) and `unattached_reviews` lists it as needing a person's attention, rather than landing on the wrong
  figure or vanishing without a word.

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
CONTEXT = 24  # characters kept on each side of a reviewed figure
MIN_CONTEXT = 8  # of them, how many must still stand beside a figure for the review to take it
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
        q = select(_facts, _documents.c.path.label("doc_path"), _documents.c.text.label("doc_text")).join(
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
        before, after = _context(row.doc_text or "", row.start, row.end)
        record = {"doc_path": row.doc_path, "doc": row.doc, "start": row.start, "end": row.end, "text": row.text,
                  "key_value": key_value, "context_before": before, "context_after": after,
                  "fact_id": fact_id, "action": action, "changes": in_force,
                  "before": _snapshot(row), "note": note, "author": author, "created_at": datetime.now(UTC),
                  "latest": True}
        rid = conn.execute(insert(_reviews).returning(_reviews.c.id), record).scalar_one()
        if new:
            conn.execute(update(_facts).where(_facts.c.id == fact_id).values(_row_values(new)))
    return {"id": rid, **record, "created_at": record["created_at"].isoformat()}


def has_reviews_table(conn: Connection) -> bool:
    return inspect(conn).has_table("reviews")


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """The CONTEXT characters before and after [start, end) of a report's text."""
    return text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _find(review: Any, candidates: list[Any], text: str) -> Any | None:
    """The fact among `candidates` (the new facts of the review's figure text) that the review belongs to.

    A review made before migration 0006 has no context: it takes the fact at its span (with its value when
    several share it). Else the fact whose surroundings keep most of the review's context, at least
    MIN_CONTEXT characters of it (or all there was, for a figure that is almost the whole text); its value
    and its span break ties. None when nothing fits, or two places fit alike: a person then decides.
    """
    if not candidates:
        return None
    if review.context_before is None and review.context_after is None:
        same = [c for c in candidates if (c.start, c.end) == (review.start, review.end)]
        match = [c for c in same if c.value_text == review.key_value]
        return match[0] if match else same[0] if len(same) == 1 else None
    before, after = review.context_before or "", review.context_after or ""

    def fit(c: Any) -> tuple[int, bool, bool]:
        kept = _common_suffix(text[max(0, c.start - CONTEXT):c.start], before) + \
            _common_prefix(text[c.end:c.end + CONTEXT], after)
        return kept, c.value_text == review.key_value, (c.start, c.end) == (review.start, review.end)

    ranked = sorted(candidates, key=fit, reverse=True)
    best = fit(ranked[0])
    if best[0] < min(MIN_CONTEXT, len(before) + len(after)):
        return None
    if len(ranked) > 1 and fit(ranked[1])[:2] == best[:2] and not best[2]:
        return None
    return ranked[0]


def reattach(conn: Connection, doc_id: int, path: str) -> int:
    """After a document's facts were (re)written: point its reviews at the new rows and apply them again.

    Each review in force finds its fact by the figure's text and context (see _find), no two reviews the
    same fact; its span and context, and those of its history, follow the fact. One it cannot find keeps
    fact_id NULL (unattached_reviews lists it) until a later ingest brings its figure back. Returns how many
    were re-attached. A database older than migration 0004 has no reviews to re-attach.
    """
    if not has_reviews_table(conn):
        return 0
    r = _reviews.c
    kept = list(conn.execute(select(_reviews).where(r.doc_path == path).order_by(r.id)))
    latest = [x for x in kept if x.latest]
    if not latest:
        return 0
    text = conn.execute(select(_documents.c.text).where(_documents.c.id == doc_id)).scalar() or ""
    facts = conn.execute(select(_facts.c.id, _facts.c.start, _facts.c.end, _facts.c.text, _facts.c.value_text)
                         .where(and_(_facts.c.doc_id == doc_id, _facts.c.derived.is_not(True))))
    by_text: dict[str, list[Any]] = {}
    for f in facts:
        by_text.setdefault(f.text, []).append(f)
    history: dict[tuple[int, int, str], list[int]] = {}  # the reviews of each anchor, older ones included
    for x in kept:
        history.setdefault((x.start, x.end, x.text), []).append(x.id)
    taken: set[int] = set()
    n = 0
    for x in latest:
        found = _find(x, [c for c in by_text.get(x.text, []) if c.id not in taken], text)
        if found is None:
            conn.execute(update(_reviews).where(r.id == x.id).values(fact_id=None))
            continue
        taken.add(found.id)
        n += 1
        before, after = _context(text, found.start, found.end)
        conn.execute(update(_reviews).where(r.id.in_(history[(x.start, x.end, x.text)]))
                     .values(start=found.start, end=found.end, context_before=before, context_after=after))
        conn.execute(update(_reviews).where(r.id == x.id).values(fact_id=found.id))
        if x.changes:
            conn.execute(update(_facts).where(_facts.c.id == found.id).values(_row_values(dict(x.changes))))
    return n


def unattached_reviews(engine: Engine, limit: int = 500) -> list[dict[str, Any]]:
    """The reviews in force that no fact carries (newest first): their figure changed or went when its report was
    extracted again, or the report was deleted. Each needs a person to look at it again."""
    q = (select(_reviews).where(and_(_reviews.c.latest == true(), _reviews.c.fact_id.is_(None)))
         .order_by(_reviews.c.id.desc()).limit(limit))
    with engine.connect() as conn:
        return [_as_dict(x) for x in conn.execute(q)]


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
