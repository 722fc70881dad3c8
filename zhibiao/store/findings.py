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
    """Replace the store's findings and derived facts with these, in one transaction."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(delete(_links))
        conn.execute(delete(_findings))
        conn.execute(delete(_facts).where(_facts.c.derived == true()))
        derived_ids: dict[tuple[str, int, int, str], int] = {}
        rows = []
        for f in derived:
            anchor = stored.row_of(f.doc, f.span.start, f.span.end)
            if anchor is None:
                continue
            _fid, doc_id, version = anchor
            row = fact_row(f, doc_id, None, version)
            sources = []
            for s in f.extra.get("sources", ()):
                src = stored.row_of(s["doc"], s["start"], s["end"])
                sources.append({**s, "fact_id": src[0] if src else None})
            row.update(derived=True, source={"how": f.extra.get("how"), "sources": sources})
            rows.append((f, row))
        for chunk in batches(rows, _BATCH):
            ids = conn.execute(insert(_facts).returning(_facts.c.id, sort_by_parameter_order=True),
                               [r for _, r in chunk]).scalars().all()
            for (f, _), fid in zip(chunk, ids, strict=True):
                derived_ids[(f.doc, f.span.start, f.span.end, str(f.value))] = fid
        seen: set[str] = set()
        unique = [x for x in findings if not (x.key in seen or seen.add(x.key))]
        for chunk in batches(unique, _BATCH):
            ids = conn.execute(insert(_findings).returning(_findings.c.id, sort_by_parameter_order=True),
                               [_finding_row(x, now) for x in chunk]).scalars().all()
            links = []
            for x, fid in zip(chunk, ids, strict=True):
                for pos, ref in enumerate(x.facts):
                    links.append(_link_row(fid, pos, ref, stored, derived_ids))
            for part in batches(links, _BATCH):
                conn.execute(insert(_links), part)


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
