"""Each target matched with the latest actual figure of the same indicator and region: progress in %."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from zhibiao.checks import precision as P
from zhibiao.checks.findings import FactRef, Finding
from zhibiao.checks.groups import fact_group
from zhibiao.checks.periods import bounds
from zhibiao.model import Fact

_ACTUAL_MEASURES = {"%": ("growth", "ratio", "share"), "pp": ()}


def _key(f: Fact) -> tuple:
    # a group's plan (其中：新建项目…总投资) is followed by the same group's figure, the whole's by the whole's
    return (f.indicator, f.region, f.entity, f.unit, fact_group(f))


def _is_actual(f: Fact) -> bool:
    if f.extra.get("derived") or not f.indicator or bounds(f.period) is None or f.qualifier == "range":
        return False
    return f.measure in _ACTUAL_MEASURES.get(f.unit, ("level",))


def check(facts: Iterable[Fact]) -> list[Finding]:
    """Targets (measure target, with indicator and the year due) against the latest actual up to the due date.

    Actuals are indexed by (indicator, region, entity, unit, group of projects) and sorted by the end of their period; each
    target finds its actual by bisection, so the work grows as n log n.
    """
    facts = list(facts)
    index: dict[tuple, list[tuple[str, str, Fact]]] = defaultdict(list)
    for f in facts:
        if _is_actual(f):
            b = bounds(f.period)
            assert b is not None
            index[_key(f)].append((b[1], b[0], f))
    ends: dict[tuple, list[str]] = {}
    for key, rows in index.items():
        # latest end first among equals: the longest period (the whole year over its last month)
        rows.sort(key=lambda r: (r[0], _neg_date(r[1]), r[2].doc, r[2].span.start))
        ends[key] = [r[0] for r in rows]
    out: list[Finding] = []
    for t in facts:
        if t.measure != "target" or t.extra.get("derived") or not t.indicator or t.unit == "pp":
            continue
        due = bounds(t.period)
        if due is None:
            continue
        key = _key(t)
        rows = index.get(key)
        if not rows:
            continue
        at = bisect_right(ends[key], due[1]) - 1
        if at < 0:
            continue
        actual_end, _start, actual = rows[at]
        out.append(_progress(t, actual, period_over=actual_end >= due[1]))
    return out


def _neg_date(iso: str) -> str:
    # sorts a start date descending inside an ascending sort (earlier start = longer period comes last)
    return "".join(chr(0x7F - ord(c)) for c in iso)


def _progress(t: Fact, actual: Fact, *, period_over: bool) -> Finding:
    refs = (FactRef.of(t, "target"), FactRef.of(actual, "actual"))
    common = dict(kind="target", facts=refs, indicator=t.indicator, region=t.region, period=t.period)
    ceiling = t.qualifier == "under"  # 控制在3%以内: a ceiling, met when the actual stays below
    if t.unit == "%":
        gap = actual.value - t.value
        met = gap <= 0 if ceiling else gap >= 0
        status = "ok" if met or not period_over else "warning"
        state_zh = "已达到" if met else ("未达到" if period_over else "尚未达到")
        state_en = "meets" if met else ("misses" if period_over else "does not yet meet")
        return Finding(status=status, derived=gap, derived_unit="pp", tolerance=P.half_unit(t), **common,
                       message_zh=f"{t.indicator}目标{t.text}（{t.period}），最新实际{actual.text}（{actual.period}，"
                                  f"{actual.doc}），{state_zh}目标，差{P.display(gap, unit='个百分点')}",
                       message_en=f"{t.indicator} target {t.text} ({t.period}): the latest actual {actual.text} "
                                  f"({actual.period}, {actual.doc}) {state_en} it by {P.display(gap, unit=' pp')}")
    if t.value == 0:
        return Finding(status="warning", **common,
                       message_zh=f"{t.indicator}目标{t.text}为零，无法计算进度",
                       message_en=f"{t.indicator} target {t.text} is zero: no progress can be computed")
    progress = actual.value / t.value * 100
    met = progress <= 100 if ceiling else progress >= 100
    status = "ok" if met or not period_over else "warning"
    shown = progress.quantize(Decimal("0.01"))
    state_zh = "已完成" if met else ("未完成" if period_over else "进行中")
    state_en = "met" if met else ("missed" if period_over else "in progress")
    return Finding(status=status, derived=progress, derived_unit="%", tolerance=None, **common,
                   message_zh=f"{t.indicator}目标{t.text}（{t.period}），最新实际{actual.text}（{actual.period}，"
                              f"{actual.doc}），进度{shown}%，{state_zh}",
                   message_en=f"{t.indicator} target {t.text} ({t.period}): the latest actual {actual.text} "
                              f"({actual.period}, {actual.doc}) is {shown}% of it, {state_en}")
