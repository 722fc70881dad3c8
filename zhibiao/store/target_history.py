"""Each target's history across reports for /targets (issue 18): its plans, stated and implied, against the figures
stated for it and the completion percentages reported, the whole and each group of projects apart.

A history is one plan's key: indicator × region × entity × period × group. The group of a figure is read from its
sentence by checks/groups.py's group_of, the reading the checks key by (agreement, targets): a figure after a parts cue (其中) belongs to
the group its clause names (其中：续建项目40项，… ；新建项目20项，… → 续建项目, 新建项目; clauses apart by ;), a figure
before the cue to the whole. So the whole's plan and each group's are separate histories, never mixed.

What follows a plan:
* the figures of its key within its period: the growth for a rate, the level for an amount; the completion %;
* what the checks tied to it in its report, whatever their indicator (完成投资 for 年度计划投资): a rate of the plan
  (its part / figure / numerator is an actual, its share / completion / rate a completion reported);
* the plans its completions imply (figure / completion, derived): a derived fact joins the history of the stated plan
  its completion is a rate of; a group's implied plan, kept by the checks as a finding only (a derived fact's key
  holds no group), is listed from that finding, with the completion it came from.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, select

from zhibiao.checks.groups import group_of
from zhibiao.period_bounds import period_bounds
from zhibiao.store.engine import batches
from zhibiao.store.query import stored_fact
from zhibiao.store.reviews import not_wrong
from zhibiao.store.schema import DocumentRow, FactRow, FindingFactRow, FindingRow

_f = FactRow.__table__
_d = DocumentRow.__table__
_fi = FindingRow.__table__
_ff = FindingFactRow.__table__

# what a target of each unit is followed by: a rate by the growth stated for its period, an amount by its level
_ACTUAL_MEASURE = {"%": "growth"}
# the roles of a rate finding (checks/rates.py, groups.py, implied.py): the plan is the base of the rate
_PLAN_ROLES = ("whole", "target", "denominator")
_ACTUAL_ROLES = ("part", "figure", "numerator")
_RATE_ROLES = ("share", "completion", "rate")


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date | datetime) else v


def _with_doc(row: Any) -> dict[str, Any]:
    d = stored_fact(row)
    d["published"], d["doc_title"] = _iso(row.published), row.doc_title
    d["group"] = group_of(d["sentence"], (d["in_sentence"] or (None,))[0], d["indicator"])
    d["period_span"] = (row.period_start, row.period_end)
    if d["derived"]:  # the completion it was implied from: the fact its span is that of
        source = row.source or {}
        anchor = source.get("anchor")
        figure = next((s.get("fact_id") for s in source.get("sources", ()) if s.get("fact_id") != anchor), None)
        d["implied_from"] = {"fact_id": anchor, "doc_id": d["doc_id"], "text": d["text"], "figure_id": figure}
    return d


def _select() -> Any:
    return select(_f, _d.c.published, _d.c.title.label("doc_title")).join(_d, _f.c.doc_id == _d.c.id)


def _ties(conn: Any, plan_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """Each stated plan's rate findings: plan id -> [("actual" | "completion", fact id)]."""
    out: dict[int, list[tuple[str, int]]] = defaultdict(list)
    finding_plan: dict[int, int] = {}
    for batch in batches(plan_ids):
        q = (select(_ff.c.finding_id, _ff.c.fact_id).join(_fi, _fi.c.id == _ff.c.finding_id)
             .where(and_(_fi.c.kind == "rate", _ff.c.role.in_(_PLAN_ROLES), _ff.c.fact_id.in_(batch))))
        finding_plan.update({r.finding_id: r.fact_id for r in conn.execute(q)})
    for batch in batches(sorted(finding_plan)):
        q = (select(_ff.c.finding_id, _ff.c.fact_id, _ff.c.role)
             .where(and_(_ff.c.finding_id.in_(batch), _ff.c.fact_id.is_not(None), _ff.c.derived.is_not(True)))
             .order_by(_ff.c.finding_id, _ff.c.position))
        for r in conn.execute(q):
            kind = "actual" if r.role in _ACTUAL_ROLES else "completion" if r.role in _RATE_ROLES else None
            if kind:
                out[finding_plan[r.finding_id]].append((kind, r.fact_id))
    return out


def _implied(conn: Any, figure_ids: list[int]) -> list[dict[str, Any]]:
    """The implied-target findings (a completion and its figure) of these figures: their finding id, completion and
    figure fact ids, the plan computed, its unit and year."""
    found: dict[int, dict[str, Any]] = {}
    for batch in batches(figure_ids):
        q = (select(_fi.c.id, _fi.c.derived, _fi.c.derived_unit, _fi.c.period, _fi.c.status, _ff.c.fact_id)
             .join(_ff, _fi.c.id == _ff.c.finding_id)
             .where(and_(_fi.c.kind == "implied", _ff.c.role == "figure", _ff.c.fact_id.in_(batch),
                         _fi.c.derived.is_not(None))))
        for r in conn.execute(q):
            found[r.id] = {"finding_id": r.id, "value": r.derived, "unit": r.derived_unit, "period": r.period,
                           "status": r.status, "figure": r.fact_id, "completion": None}
    for batch in batches(sorted(found)):
        q = select(_ff.c.finding_id, _ff.c.fact_id).where(and_(_ff.c.finding_id.in_(batch),
                                                               _ff.c.role == "completion"))
        for r in conn.execute(q):
            found[r.finding_id]["completion"] = r.fact_id
    return [x for x in found.values() if x["completion"] is not None]


def _facts(conn: Any, ids: set[int], have: dict[int, dict[str, Any]]) -> None:
    """Load the facts of `ids` not in `have` into it (wrong ones left out)."""
    for batch in batches(sorted(ids - set(have))):
        for r in conn.execute(_select().where(and_(_f.c.id.in_(batch), not_wrong()))):
            have[r.id] = _with_doc(r)


def _from_finding(x: dict[str, Any], completion: dict[str, Any], figure: dict[str, Any]) -> dict[str, Any]:
    """A plan implied by a finding alone (no derived fact stores it): shown as a derived plan of the figure's key."""
    return {"id": None, "finding_id": x["finding_id"], "doc_id": figure["doc_id"], "doc": figure["doc"],
            "doc_title": figure["doc_title"], "published": figure["published"], "value": x["value"],
            "unit": x["unit"], "text": completion["text"], "measure": "target", "derived": True,
            "indicator": figure["indicator"], "region": figure["region"], "entity": figure["entity"],
            "period": x["period"], "sentence": completion["sentence"],
            "in_sentence": completion["in_sentence"], "group": figure["group"],
            "period_span": period_bounds(x["period"]) or (None, None), "status": x["status"],
            "implied_from": {"fact_id": completion["id"], "doc_id": completion["doc_id"], "text": completion["text"]}}


def _order(f: dict[str, Any]) -> tuple[Any, ...]:
    start, end = f["period_span"]
    # a plan implied from a completion after the plan stated in the same report
    return (start or "", end or "", f["published"] or "", f["derived"], f["id"] or 0)


def target_histories(engine: Engine, *, limit: int = 300) -> list[dict[str, Any]]:
    """Each target (indicator × region × entity × period × group) with its history across every report: its plans
    (stated, and implied by the checks from a completion: derived, with `implied_from`), the figures stated for it
    within its period (`actuals`) and the completion percentages reported (`completions`); `group` None for the whole.
    Each list is ordered by period, then the report's publication date."""
    q = _select().where(and_(_f.c.measure == "target", not_wrong())).order_by(_f.c.indicator, _f.c.period_start,
                                                                               _f.c.id)
    with engine.connect() as conn:
        plans = [_with_doc(r) for r in conn.execute(q.limit(limit * 4))]
        have = {p["id"]: p for p in plans}
        indicators = sorted({p["indicator"] for p in plans if p["indicator"]})
        followed: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
        for batch in batches(indicators):
            fq = (_select().where(and_(_f.c.indicator.in_(batch), _f.c.measure.in_(("level", "growth", "completion")),
                                       _f.c.period_start.is_not(None), not_wrong())))
            for r in conn.execute(fq):
                f = have.setdefault(r.id, _with_doc(r))
                followed[(f["indicator"], f["region"], f["entity"], f["group"])].append(f)
        ties = _ties(conn, [p["id"] for p in plans if not p["derived"]])
        _facts(conn, {i for tied in ties.values() for _, i in tied}, have)
        actual_ids = {f["id"] for fs in followed.values() for f in fs} | {i for t in ties.values() for k, i in t
                                                                          if k == "actual"}
        implied = _implied(conn, sorted(actual_ids))
        sources = {i for p in plans if p["derived"] for i in (p["implied_from"]["fact_id"], p["implied_from"]["figure_id"])
                   if i is not None}
        _facts(conn, {x["completion"] for x in implied} | {x["figure"] for x in implied} | sources, have)
    # the stated plan each completion is a rate of: a plan it implies belongs to that plan's history
    plan_of_completion = {i: pid for pid, tied in ties.items() for k, i in tied if k == "completion" and pid in have}
    out: dict[tuple[Any, ...], dict[str, Any]] = {}

    def history(key: tuple[Any, ...], p: dict[str, Any]) -> dict[str, Any]:
        return out.setdefault(key, {"indicator": key[0], "region": key[1], "entity": key[2], "period": key[3],
                                    "group": key[4], "unit": p["unit"], "plans": [], "actuals": [],
                                    "completions": [], "span": p["period_span"], "ids": set()})

    def add(h: dict[str, Any], kind: str, f: dict[str, Any]) -> None:
        mark = f["id"] if f["id"] is not None else ("finding", f["finding_id"])
        if mark not in h["ids"]:
            h["ids"].add(mark)
            h[kind].append(f)

    key_of: dict[int, tuple[Any, ...]] = {}
    for p in plans:
        if not p["derived"]:
            key_of[p["id"]] = (p["indicator"], p["region"], p["entity"], p["period"], p["group"])
    stated_keys = set(key_of.values())
    # the indicator a plan's actuals are stated under, learnt from the rates of the plan (完成投资 for 年度计划投资): a
    # plan implied in a report that states no plan, keyed by its figure's indicator, joins the plan's history
    actual_of: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for pid, tied in ties.items():
        k = key_of[pid]
        for kind, i in tied:
            if kind == "actual" and i in have:
                actual_of.setdefault((have[i]["indicator"], *k[1:]), k)

    def implied_key(stated: int | None, own: tuple[Any, ...]) -> tuple[Any, ...]:
        if stated is not None:
            return key_of[stated]
        return own if own in stated_keys else actual_of.get(own, own)

    for p in plans:
        if not p["derived"]:
            add(history(key_of[p["id"]], p), "plans", p)
            continue
        src = p["implied_from"]
        key = implied_key(plan_of_completion.get(src["fact_id"]),
                          (p["indicator"], p["region"], p["entity"], p["period"], p["group"]))
        key_of[p["id"]] = key
        h = history(key, p)
        add(h, "plans", p)
        if src["figure_id"] in have:  # what it was implied from: a figure stated for the plan, its completion
            add(h, "actuals", have[src["figure_id"]])
        if src["fact_id"] in have:
            add(h, "completions", have[src["fact_id"]])
    derived_from = {p["implied_from"]["fact_id"] for p in plans if p["derived"]}
    for pid, tied in ties.items():
        h = out[key_of[pid]]
        for kind, i in tied:
            if i in have:
                add(h, "actuals" if kind == "actual" else "completions", have[i])
    for x in implied:  # a group's implied plan: a finding only
        completion, figure = have.get(x["completion"]), have.get(x["figure"])
        if x["completion"] in derived_from or completion is None or figure is None or x["value"] is None:
            continue
        p = _from_finding(x, completion, figure)
        stated = plan_of_completion.get(x["completion"])
        key = implied_key(stated, (figure["indicator"], figure["region"], figure["entity"], x["period"],
                                   figure["group"]))
        h = history(key, p)
        add(h, "plans", p)
        add(h, "actuals", figure)
        add(h, "completions", completion)
    for h in out.values():
        start, end = h["span"]
        if start is None:
            continue
        want = _ACTUAL_MEASURE.get(h["unit"] or "", "level")
        for f in followed.get((h["indicator"], h["region"], h["entity"], h["group"]), ()):
            s, e = f["period_span"]
            if not (start <= s and e <= end):
                continue
            if f["measure"] == "completion" and f["unit"] == "%":
                add(h, "completions", f)
            elif f["measure"] == want and f["unit"] == h["unit"]:
                add(h, "actuals", f)
    listed = sorted(out.values(), key=lambda h: (h["indicator"] or "", h["region"] or "", h["entity"] or "",
                                                 h["period"] or "", h["group"] is not None, h["group"] or ""))
    for n, h in enumerate(listed, 1):
        h["n"] = n
        for kind in ("plans", "actuals", "completions"):
            h[kind].sort(key=_order)
        del h["span"], h["ids"]
    return listed[:limit]
