"""Reading the store for the web app (zhibiao serve): pages of facts with their row ids and reviews, a report
with its text and layout, findings with the sentences of their facts, series, targets and entities.

Every query is built with SQLAlchemy (bound parameters only); the web layer never sees a connection.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, desc, func, select, true

from zhibiao.store.engine import batches
from zhibiao.store.names import indicator_names, region_names
from zhibiao.store.query import FactFilter, select_facts, stored_fact, stored_facts
from zhibiao.store.reviews import latest_actions, not_wrong
from zhibiao.store.schema import (
    ArticleRow,
    DocumentRow,
    FactRow,
    FindingFactRow,
    FindingRow,
    ReviewRow,
    RunRow,
)

_f = FactRow.__table__
_d = DocumentRow.__table__
_a = ArticleRow.__table__
_r = ReviewRow.__table__
_fi = FindingRow.__table__
_ff = FindingFactRow.__table__
_runs = RunRow.__table__
# a page of facts needs every column but what a derived fact was inferred from (shown on the fact's own page)
_PAGE_COLUMNS = tuple(c for c in _f.c if c.name != "source")


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date | datetime) else v


def facts_page(engine: Engine, where: FactFilter, *, offset: int = 0, limit: int = 100,
               entity: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """(how many match, the facts of one page) for the filters of `zhibiao facts`, plus entity."""
    base = FactFilter(doc=where.doc, indicator=where.indicator, region=where.region, period=where.period,
                      measure=where.measure)
    q = select_facts(base, _PAGE_COLUMNS)
    count_q = select_facts(base, (func.count(_f.c.id),)).order_by(None)
    if entity:
        q = q.where(_f.c.entity == entity)
        count_q = count_q.where(_f.c.entity == entity)
    with engine.connect() as conn:
        total = int(conn.execute(count_q).scalar_one())
        return total, stored_facts(conn, list(conn.execute(q.limit(limit).offset(offset))))


def overview(engine: Engine) -> dict[str, Any]:
    """Counts for the front page: documents, facts, findings by kind and status, reviews, the latest runs."""
    with engine.connect() as conn:
        docs = dict(conn.execute(select(_d.c.status, func.count()).group_by(_d.c.status)).all())
        n_facts = conn.execute(select(func.count()).select_from(_f).where(_f.c.derived.is_not(True),
                                                                          not_wrong())).scalar_one()
        n_derived = conn.execute(select(func.count()).select_from(_f).where(_f.c.derived.is_(True))).scalar_one()
        findings = [{"kind": k, "status": s, "n": n} for k, s, n in conn.execute(
            select(_fi.c.kind, _fi.c.status, func.count()).group_by(_fi.c.kind, _fi.c.status)
            .order_by(_fi.c.kind, _fi.c.status))]
        reviews = dict(conn.execute(select(_r.c.action, func.count()).where(_r.c.latest == true())
                                    .group_by(_r.c.action)).all())
        runs = [{k: _iso(v) for k, v in r._mapping.items() if k not in ("errors", "paths")}
                for r in conn.execute(select(_runs).order_by(desc(_runs.c.id)).limit(5))]
    return {"documents": {"ok": docs.get("ok", 0), "error": docs.get("error", 0)}, "facts": n_facts,
            "derived_facts": n_derived, "findings": findings, "reviews": reviews, "runs": runs}


def documents(engine: Engine) -> list[dict[str, Any]]:
    cols = (_d.c.id, _d.c.name, _d.c.path, _d.c.title, _d.c.published, _d.c.published_how, _d.c.format,
            _d.c.status, _d.c.error, _d.c.n_facts, _d.c.ingested_at)
    with engine.connect() as conn:
        return [{k: _iso(v) for k, v in r._mapping.items()}
                for r in conn.execute(select(*cols).order_by(_d.c.name, _d.c.id))]


def document(engine: Engine, doc_id: int) -> dict[str, Any] | None:
    """One document with its text and articles, or None."""
    with engine.connect() as conn:
        row = conn.execute(select(_d).where(_d.c.id == doc_id)).first()
        if row is None:
            return None
        out = {k: _iso(v) for k, v in row._mapping.items() if k != "content_hash"}
        out["articles"] = [dict(a._mapping) for a in conn.execute(
            select(_a.c.index, _a.c.title, _a.c.start, _a.c.end).where(_a.c.doc_id == doc_id).order_by(_a.c.index))]
    return out


# how a figure is drawn when several findings name it: a conflict outranks everything, so that a figure in a
# conflict is never shown as "rounding" or "ok" because another check agreed with it (issue 18)
STATUS_RANK = {"conflict": 3, "warning": 2, "rounding": 1, "ok": 0}


def worst_status(findings: Iterable[dict[str, Any]]) -> str | None:
    """The status a figure is drawn with: the highest ranked of its findings', None without findings."""
    statuses = [f["status"] for f in findings]
    return max(statuses, key=lambda s: STATUS_RANK.get(s, -1)) if statuses else None


def _by_rank(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(findings, key=lambda f: -STATUS_RANK.get(f["status"], -1))


def document_facts(engine: Engine, doc_id: int) -> list[dict[str, Any]]:
    """Every stated fact of a document, those marked wrong too (with review 'wrong'), in text order.

    Each has its findings, worst first, and `status`, the worst of their statuses (see worst_status)."""
    q = select(_f).where(and_(_f.c.doc_id == doc_id, _f.c.derived.is_not(True))).order_by(_f.c.start, _f.c.id)
    with engine.connect() as conn:
        facts = stored_facts(conn, list(conn.execute(q)))
        linked = _findings_by_fact(conn, [d["id"] for d in facts])
    for d in facts:
        d["findings"] = _by_rank(linked.get(d["id"], []))
        d["status"] = worst_status(d["findings"])
    return facts


def _findings_by_fact(conn: Any, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for batch in batches(ids):
        q = (select(_ff.c.fact_id, _ff.c.role, _fi.c.id, _fi.c.kind, _fi.c.status, _fi.c.message_zh,
                    _fi.c.message_en).join(_fi, _fi.c.id == _ff.c.finding_id)
             .where(_ff.c.fact_id.in_(batch)).order_by(_fi.c.id))
        for r in conn.execute(q):
            out[r.fact_id].append({"id": r.id, "kind": r.kind, "status": r.status, "role": r.role,
                                   "message_zh": r.message_zh, "message_en": r.message_en})
    return out


def fact(engine: Engine, fact_id: int) -> dict[str, Any] | None:
    """One fact (wrong ones too) with its document's name and title and its findings."""
    q = select(_f, _d.c.title.label("doc_title"), _d.c.path.label("doc_path")).join(
        _d, _f.c.doc_id == _d.c.id).where(_f.c.id == fact_id)
    with engine.connect() as conn:
        row = conn.execute(q).first()
        if row is None:
            return None
        out = stored_fact(row, latest_actions(conn, [fact_id]).get(fact_id))
        out["doc_title"] = row.doc_title
        out["findings"] = _by_rank(_findings_by_fact(conn, [fact_id]).get(fact_id, []))
        out["status"] = worst_status(out["findings"])
        out["source"] = row.source
    return out


def finding(engine: Engine, finding_id: int) -> dict[str, Any] | None:
    """One finding with its facts (their sentences, reports and row ids), or None."""
    _total, rows = findings(engine, finding_id=finding_id, limit=1)
    return rows[0] if rows else None


def findings(engine: Engine, *, kind: str | None = None, status: str | None = None, doc: str | None = None,
             limit: int = 100, offset: int = 0, finding_id: int | None = None) -> tuple[int, list[dict[str, Any]]]:
    """(how many, one page of) findings, each with its facts and their sentences and row ids."""
    q = select(_fi)
    conds = [] if finding_id is None else [_fi.c.id == finding_id]
    if kind:
        conds.append(_fi.c.kind == kind)
    if status:
        conds.append(_fi.c.status == status)
    if doc:
        conds.append(_fi.c.id.in_(select(_ff.c.finding_id).where(_ff.c.doc == doc.strip())))
    if conds:
        q = q.where(and_(*conds))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = list(conn.execute(q.order_by(_fi.c.id).limit(limit).offset(offset)))
        links: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for batch in batches([r.id for r in rows]):
            lq = (select(_ff, _f.c.sentence, _f.c.doc_id, _f.c.unit, _f.c.indicator, _f.c.period,
                         _d.c.title.label("doc_title"), _d.c.published.label("doc_published"))
                  .outerjoin(_f, _f.c.id == _ff.c.fact_id).outerjoin(_d, _d.c.id == _f.c.doc_id)
                  .where(_ff.c.finding_id.in_(batch)).order_by(_ff.c.finding_id, _ff.c.position))
            for li in conn.execute(lq):
                links[li.finding_id].append({"fact_id": li.fact_id, "doc_id": li.doc_id, "role": li.role,
                                             "doc": li.doc, "start": li.start, "end": li.end, "text": li.text,
                                             "value": li.value, "derived": bool(li.derived),
                                             "sentence": li.sentence, "indicator": li.indicator,
                                             "period": li.period, "unit": li.unit, "doc_title": li.doc_title,
                                             "doc_published": _iso(li.doc_published)})
    out = []
    for r in rows:
        d = {k: _iso(v) for k, v in r._mapping.items() if not k.endswith("_text")}
        d["facts"] = links.get(r.id, [])
        if r.kind == "agreement":
            _differences(d["facts"])
        out.append(d)
    return total, out


def _differences(facts: list[dict[str, Any]]) -> None:
    """Each fact of an agreement finding after the first gets `difference` (its value minus the first's, in the
    normalized unit) and `relative` (that over the first value): how far apart two reports are."""
    if not facts:
        return
    base = facts[0]["value"]
    for f in facts[1:]:
        if f["value"] is None or base is None or f.get("unit") != facts[0].get("unit"):
            continue
        f["difference"] = f["value"] - base
        f["relative"] = (f["value"] - base) / abs(base) if base else None


def indicators(engine: Engine, query: str | None = None, *, limit: int = 50) -> list[dict[str, Any]]:
    """Indicators matching `query` (Chinese or English name, alias; all when empty) with their facts in store.

    Catalogue entries come first, then names facts are stored under that the catalogue does not know.
    """
    from zhibiao.catalogue import catalogue

    cat = catalogue()
    q = (query or "").strip()
    with engine.connect() as conn:
        counts = dict(conn.execute(select(_f.c.indicator, func.count()).where(
            and_(_f.c.indicator.is_not(None), not_wrong())).group_by(_f.c.indicator)).all())
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    from zhibiao.catalogue import fold

    fq = fold(q)
    entries = cat.search(q) if q else [e for e in cat.entries if e.name in counts]
    if q:  # English names with their spaces folded away too: "Gross regional product" finds GDP's entry
        entries += [e for e in cat.entries if fq and fq in fold(e.en) and e not in entries]
    for e in entries:
        seen.add(e.name)
        out.append({"name": e.name, "en": e.en, "aliases": list(e.aliases), "domain": e.domain,
                    "units": list(e.units), "standard": True, "n_facts": counts.get(e.name, 0)})
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if name not in seen and (not fq or fq in fold(name)):
            out.append({"name": name, "en": "", "aliases": [], "domain": "", "units": [], "standard": False,
                        "n_facts": n})
    out.sort(key=lambda d: (d["n_facts"] == 0, not d["standard"], -d["n_facts"]))
    return out[:limit]


def series(engine: Engine, indicator: str, *, regions: list[str] | None = None,
           measure: str | None = None, limit: int = 2000) -> dict[str, Any]:
    """The facts of one indicator (by any of its names) with a period: the points of a chart, by period.

    Returns {"indicator", "regions" (those found, with counts), "points": [fact dicts]} in period order.
    """
    names = sorted(indicator_names(indicator))
    conds = [_f.c.indicator.in_(names), _f.c.period_start.is_not(None), not_wrong()]
    if regions:
        wanted: set[str] = set()
        for r in regions:
            wanted |= region_names(r)
        conds.append(_f.c.region.in_(sorted(wanted)))
    if measure:
        conds.append(_f.c.measure == measure)
    q = select(_f).where(and_(*conds)).order_by(_f.c.period_start, _f.c.period_end, _f.c.id).limit(limit)
    with engine.connect() as conn:
        rows = list(conn.execute(q))
        all_regions = conn.execute(select(_f.c.region, func.count()).where(
            and_(_f.c.indicator.in_(names), not_wrong())).group_by(_f.c.region)).all()
        linked = _findings_by_fact(conn, [r.id for r in rows])
    points = []
    for r in rows:
        p = stored_fact(r)
        p["status"] = worst_status(linked.get(r.id, []))  # a point in a conflict is drawn as one
        points.append(p)
    return {"indicator": indicator, "names": names,
            "regions": [{"region": r, "n": n} for r, n in sorted(all_regions, key=lambda x: (x[0] is None, x[0]))],
            "points": points}


def targets(engine: Engine, *, limit: int = 500) -> list[dict[str, Any]]:
    """Every target, stated or implied by the checks (derived), with the progress the last check found for it
    (None when no actual matched)."""
    q = (select(_f).where(and_(_f.c.measure == "target", not_wrong()))
         .order_by(_f.c.period_start, _f.c.indicator, _f.c.id).limit(limit))
    with engine.connect() as conn:
        rows = list(conn.execute(q))
        progress: dict[int, dict[str, Any]] = {}
        for batch in batches([r.id for r in rows]):
            pq = (select(_ff.c.fact_id, _fi.c.id, _fi.c.status, _fi.c.derived, _fi.c.derived_unit,
                         _fi.c.message_zh, _fi.c.message_en)
                  .join(_fi, _fi.c.id == _ff.c.finding_id)
                  .where(and_(_fi.c.kind == "target", _ff.c.role == "target", _ff.c.fact_id.in_(batch))))
            found = list(conn.execute(pq))
            actuals: dict[int, dict[str, Any]] = {}
            for finding_ids in batches([p.id for p in found]):
                aq = (select(_ff.c.finding_id, _ff.c.fact_id, _ff.c.text, _ff.c.doc)
                      .where(and_(_ff.c.finding_id.in_(finding_ids), _ff.c.role == "actual"))
                      .order_by(_ff.c.finding_id, _ff.c.position))
                for a in conn.execute(aq):  # a finding's first actual
                    actuals.setdefault(a.finding_id, {"fact_id": a.fact_id, "text": a.text, "doc": a.doc})
            for p in found:
                progress[p.fact_id] = {"finding_id": p.id, "status": p.status, "derived": p.derived,
                                       "unit": p.derived_unit, "message_zh": p.message_zh,
                                       "message_en": p.message_en, "actual": actuals.get(p.id)}
    out = []
    for r in rows:
        d = stored_fact(r)
        d["progress"] = progress.get(r.id)
        out.append(d)
    return out


def entities(engine: Engine, query: str | None = None, *, limit: int = 200) -> list[dict[str, Any]]:
    """The projects and companies the reports name (facts with an entity), the names of one merged and phrases that
    name none left out (store/entities.py), with their facts' count, reports and first and last period."""
    from zhibiao.store.entities import group

    conds = [_f.c.entity.is_not(None), _f.c.derived.is_not(True), not_wrong()]
    q = (select(_f.c.entity, _f.c.doc_id, func.count(), func.min(_f.c.period), func.max(_f.c.period))
         .where(and_(*conds)).group_by(_f.c.entity, _f.c.doc_id))
    with engine.connect() as conn:
        rows = list(conn.execute(q))
    found, _dropped = group(r[0] for r in rows)
    of_name = {n: e for e in found for n in e.names}
    out: dict[str, dict[str, Any]] = {}
    for name, doc_id, n, p0, p1 in rows:
        e = of_name.get(name)
        if e is None:
            continue
        d = out.setdefault(e.name, {"entity": e.name, "names": e.names, "n_facts": 0, "docs": set(),
                                    "first_period": None, "last_period": None})
        d["n_facts"] += n
        d["docs"].add(doc_id)
        d["first_period"] = min(x for x in (d["first_period"], p0) if x) if (d["first_period"] or p0) else None
        d["last_period"] = max(x for x in (d["last_period"], p1) if x) if (d["last_period"] or p1) else None
    wanted = (query or "").strip()
    listed = [{**{k: v for k, v in d.items() if k != "docs"}, "n_docs": len(d["docs"])} for d in out.values()
              if not wanted or any(wanted in n for n in d["names"])]
    listed.sort(key=lambda d: (-d["n_facts"], d["entity"]))
    return listed[:limit]


def entity_names(engine: Engine, name: str) -> list[str]:
    """Every name the reports give the entity `name` names (itself alone when it is no merged entity)."""
    from zhibiao.store.entities import group

    with engine.connect() as conn:
        names = conn.execute(select(_f.c.entity).where(_f.c.entity.is_not(None)).distinct()).scalars()
        found, _ = group(names)
    for e in found:
        if name == e.name or name in e.names:
            return e.names
    return [name]


def entity_facts(engine: Engine, name: str) -> list[dict[str, Any]]:
    """The facts of one entity, under any of its names, across reports and periods, by period then document."""
    names = entity_names(engine, name)
    q = (select(_f, _d.c.published).join(_d, _f.c.doc_id == _d.c.id)
         .where(and_(_f.c.entity.in_(names), _f.c.derived.is_not(True), not_wrong()))
         .order_by(_f.c.period_start, _d.c.published, _f.c.doc, _f.c.start))
    with engine.connect() as conn:
        out = []
        for r in conn.execute(q):
            d = stored_fact(r)
            d["published"] = _iso(r.published)
            out.append(d)
        return out


_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?$")


def search(engine: Engine, query: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """Stated facts across every report that match `query`: a number (364.6) matches the figures printed with
    it (364.6亿元, not 1364.6 nor 364.65); words match the figures' sentences, indicators and entities."""
    q = query.strip()
    if not q:
        return []
    stated = and_(_f.c.derived.is_not(True), not_wrong())
    if _NUMBER.match(q):
        digits = q.replace(",", "")
        # the number whole: no digit before it, no digit nor decimal part after it
        whole = re.compile(r"(?<![\d.])" + re.escape(digits) + r"(?!\d|\.\d)")
        cond = _f.c.text.contains(digits, autoescape=True)
    else:
        whole = None
        like = [c.contains(q, autoescape=True) for c in (_f.c.sentence, _f.c.indicator, _f.c.entity)]
        cond = like[0] | like[1] | like[2]
    sel = select(_f).where(and_(stated, cond)).order_by(_f.c.doc_id, _f.c.start).limit(limit * 4)
    with engine.connect() as conn:
        rows = [r for r in conn.execute(sel) if whole is None or whole.search(r.text.replace(",", ""))]
        return stored_facts(conn, rows[:limit])


def target_histories(engine: Engine, *, limit: int = 300) -> list[dict[str, Any]]:
    """Each target's history across reports, the whole and each group of projects apart (issue 18): see
    zhibiao/store/target_history.py."""
    from zhibiao.store import target_history

    return target_history.target_histories(engine, limit=limit)
