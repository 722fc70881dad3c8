"""The findings of `zhibiao check` in the store (tables FindingRow, FindingFactRow): writing a run, reading it back.

A check run replaces what the previous one wrote: every finding and every derived fact (facts.derived = true)
is deleted and written again in one transaction, so the store always holds the findings of its current facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, delete, false, func, insert, select, true

from zhibiao.checks.findings import FactRef, Finding
from zhibiao.model import Fact
from zhibiao.store.engine import batches
from zhibiao.store.marks import number, retire
from zhibiao.store.query import to_fact
from zhibiao.store.reviews import not_wrong
from zhibiao.store.schema import FactRow, FindingFactRow, FindingRow
from zhibiao.store.write import fact_row

_BATCH = 5000  # rows inserted per statement

_facts = FactRow.__table__
_findings = FindingRow.__table__
_links = FindingFactRow.__table__


class StoredFacts:
    """The stated facts of the store with their row ids, to link findings and derived facts back to rows."""

    def __init__(self) -> None:
        self.facts: list[Fact] = []
        self._ids: dict[tuple[str, int, int], list[tuple[Decimal, int, int, str]]] = defaultdict(list)

    def add(self, fact: Fact, fact_id: int, doc_id: int, version: str) -> None:
        self.facts.append(fact)
        self._ids[(fact.doc, fact.span.start, fact.span.end)].append((fact.value, fact_id, doc_id, version))

    def row_of(self, doc: str, start: int, end: int, value: Decimal | None = None) -> tuple[int, int, str] | None:
        """(fact id, doc id, extractor version) of the stated fact at this span (with this value, if several)."""
        rows = self._ids.get((doc, start, end))
        if not rows:
            return None
        for v, fid, did, version in rows:
            if value is None or v == value:
                return fid, did, version
        return rows[0][1:]


def load_facts(engine: Engine) -> StoredFacts:
    """Every stated (not derived) fact of the store, in document and text order."""
    out = StoredFacts()
    # corrections are in the rows already; a fact a person marked wrong is not checked
    q = select(_facts).where(_facts.c.derived == false(), not_wrong()).order_by(_facts.c.doc_id, _facts.c.start,
                                                                               _facts.c.id)
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=_BATCH).execute(q):
            out.add(to_fact(row), row.id, row.doc_id, row.extractor_version)
    return out


def save_findings(engine: Engine, findings: Sequence[Finding], derived: Sequence[Fact], stored: StoredFacts) -> None:
    """Replace the store's findings and derived facts with these, in one transaction.

    A derived fact or a finding that the run before found too keeps its id (a link to /facts/N of an implied plan,
    or to a finding, stays good across checks and re-extracts, issue 18): a derived fact is the same when it says
    the same of the same anchor fact, a finding when it has the same key, or the same kind, roles and facts (their
    ids are stable across a re-extract where their spans are not). A new one gets an id no row had."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        old_derived: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for r in conn.execute(select(_facts.c.id, _facts.c.source, *(_facts.c[c] for c in _DERIVED_KEY))
                              .where(_facts.c.derived == true()).order_by(_facts.c.id)):
            old_derived[_derived_key(r._mapping, (r.source or {}).get("anchor"))].append(r.id)
        old_findings: dict[Any, int] = {}
        kinds: dict[int, str] = {}
        for r in conn.execute(select(_findings.c.id, _findings.c.key, _findings.c.kind)):
            old_findings[r.key] = r.id
            kinds[r.id] = r.kind
        refs: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
        for li in conn.execute(select(_links.c.finding_id, _links.c.role, _links.c.fact_id)
                               .order_by(_links.c.finding_id, _links.c.position)):
            refs[li.finding_id].append((li.role, li.fact_id))
        for fid, pairs in refs.items():
            if all(i is not None for _, i in pairs):
                old_findings.setdefault((kinds.get(fid), tuple(pairs)), fid)
        retire(conn, _facts, [i for ids in old_derived.values() for i in ids])
        retire(conn, _findings, kinds)
        conn.execute(delete(_links))
        conn.execute(delete(_findings))
        conn.execute(delete(_facts).where(_facts.c.derived == true()))
        derived_ids: dict[tuple[str, int, int, str], int] = {}
        rows = []
        for f in derived:
            anchor = stored.row_of(f.doc, f.span.start, f.span.end)
            if anchor is None:
                continue
            anchor_id, doc_id, version = anchor
            row = fact_row(f, doc_id, None, version)
            sources = []
            for s in f.extra.get("sources", ()):
                src = stored.row_of(s["doc"], s["start"], s["end"])
                sources.append({**s, "fact_id": src[0] if src else None})
            row.update(derived=True, source={"how": f.extra.get("how"), "sources": sources, "anchor": anchor_id})
            again = old_derived.get(_derived_key(row, anchor_id))
            if again:
                row["id"] = again.pop(0)
            rows.append((f, row))
        number(conn, _facts, [r for _, r in rows])
        for f, row in rows:
            derived_ids[(f.doc, f.span.start, f.span.end, str(f.value))] = row["id"]
        for chunk in batches(rows, _BATCH):
            conn.execute(insert(_facts), [r for _, r in chunk])
        seen: set[str] = set()
        unique = [x for x in findings if not (x.key in seen or seen.add(x.key))]
        made: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        given: set[int] = set()
        for x in unique:
            row = _finding_row(x, now)
            links = [_link_row(0, pos, ref, stored, derived_ids) for pos, ref in enumerate(x.facts)]
            same = old_findings.get(x.key)
            if same is None:
                same = old_findings.get((x.kind, tuple((li["role"], li["fact_id"]) for li in links)))
            if same is not None and same not in given:
                row["id"] = same
                given.add(same)
            made.append((row, links))
        number(conn, _findings, [r for r, _ in made])
        for chunk in batches(made, _BATCH):
            conn.execute(insert(_findings), [r for r, _ in chunk])
            links = [{**li, "finding_id": r["id"]} for r, lis in chunk for li in lis]
            for part in batches(links, _BATCH):
                conn.execute(insert(_links), part)


# what makes a derived fact the same one as in the check before: what it says, and where it is anchored
_DERIVED_KEY = ("doc_id", "start", "end", "indicator", "region", "entity", "period", "measure", "unit", "value_text")


def _derived_key(row: Any, anchor: int | None) -> tuple[Any, ...]:
    """By its anchor fact's id when known (stable across a re-extract, where the span moves), else by its span."""
    says = tuple(row[c] for c in _DERIVED_KEY[3:])
    return ("anchor", anchor, *says) if anchor is not None else ("span", *(row[c] for c in _DERIVED_KEY[:3]), *says)


def _finding_row(x: Finding, now: datetime) -> dict[str, Any]:
    return {"key": x.key, "kind": x.kind, "status": x.status, "message_zh": x.message_zh,
            "message_en": x.message_en,
            "tolerance": None if x.tolerance is None else float(x.tolerance),
            "tolerance_text": None if x.tolerance is None else str(x.tolerance)[:64],
            "derived": None if x.derived is None else float(x.derived),
            "derived_text": None if x.derived is None else str(x.derived)[:64],
            "derived_unit": x.derived_unit, "indicator": x.indicator, "region": x.region, "period": x.period,
            "checked_at": now}


def _link_row(finding_id: int, pos: int, ref: FactRef, stored: StoredFacts,
              derived_ids: dict[tuple[str, int, int, str], int]) -> dict[str, Any]:
    if ref.derived:
        fact_id = derived_ids.get((ref.doc, ref.start, ref.end, str(ref.value)))
    else:
        found = stored.row_of(ref.doc, ref.start, ref.end, ref.value)
        fact_id = found[0] if found else None
    return {"finding_id": finding_id, "position": pos, "fact_id": fact_id, "role": ref.role, "doc": ref.doc,
            "start": ref.start, "end": ref.end, "text": ref.text, "value": float(ref.value),
            "value_text": str(ref.value)[:64], "derived": ref.derived}


def iter_findings(engine: Engine, *, kind: str | None = None, status: str | None = None) -> Iterator[Finding]:
    """The stored findings (with their facts), in the order they were written."""
    q = select(_findings).order_by(_findings.c.id)
    if kind:
        q = q.where(_findings.c.kind == kind)
    if status:
        q = q.where(_findings.c.status == status)
    with engine.connect() as conn:
        rows = list(conn.execute(q))
        links: dict[int, list[Any]] = defaultdict(list)
        lq = select(_links).order_by(_links.c.finding_id, _links.c.position)
        for link in conn.execution_options(yield_per=_BATCH).execute(lq):
            links[link.finding_id].append(link)
    for r in rows:
        refs = tuple(FactRef(doc=li.doc, start=li.start, end=li.end, text=li.text, value=Decimal(li.value_text),
                             role=li.role, derived=bool(li.derived)) for li in links.get(r.id, ()))
        yield Finding(kind=r.kind, status=r.status, message_zh=r.message_zh, message_en=r.message_en, facts=refs,
                      tolerance=None if r.tolerance_text is None else Decimal(r.tolerance_text),
                      derived=None if r.derived_text is None else Decimal(r.derived_text),
                      derived_unit=r.derived_unit, indicator=r.indicator, region=r.region, period=r.period)


def count_findings(engine: Engine) -> dict[tuple[str, str], int]:
    """How many findings of each (kind, status)."""
    q = select(_findings.c.kind, _findings.c.status, func.count()).group_by(_findings.c.kind, _findings.c.status)
    with engine.connect() as conn:
        return {(k, s): n for k, s, n in conn.execute(q)}
