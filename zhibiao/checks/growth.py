"""A stated growth against the stated levels: in one report (a level, its absolute increase and its growth
rate), and across reports (the level of the same period a year before, stated elsewhere)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from zhibiao.checks import precision as P
from zhibiao.checks.context import Mention, by_sentence, find_word, rules
from zhibiao.checks.findings import FactRef, Finding
from zhibiao.checks.periods import year_before
from zhibiao.model import Fact

_LEVEL_UNITS_EXCLUDED = ("%", "pp", "rank", "x")


def is_yoy(m: Mention) -> bool:
    """True when a growth figure is year over year (not 环比, not 年均)."""
    return m.measure == "growth" and m.unit == "%" and not find_word(m.clause, rules()["not_yoy"]) \
        and not find_word(m.lead, rules()["not_yoy"])


def pair_levels(ms: Sequence[Mention]) -> dict[int, tuple[Mention, Mention | None]]:
    """For each year-over-year growth figure (by mention index): the level it is the growth of, and the
    absolute change stated with it, when the same sentence gives them for the same subject."""
    out: dict[int, tuple[Mention, Mention | None]] = {}
    for sentence in by_sentence(ms):
        for k, g in enumerate(sentence):
            if not is_yoy(g):
                continue
            level = None
            for x in reversed(sentence[:k]):
                if x.measure == "level" and x.unit not in _LEVEL_UNITS_EXCLUDED and x.fact.qualifier != "range":
                    level = x if x.subject == g.subject else None
                    break
            if level is None:
                continue
            change = None
            for x in sentence[level.index - sentence[0].index + 1:]:
                if x is g:
                    continue
                if x.measure == "level":
                    break
                if x.measure == "change" and x.unit == level.unit and x.subject == level.subject:
                    change = x
                    break
            out[g.index] = (level, change)
    return out


def check_in_report(ms: Sequence[Mention], pairs: dict[int, tuple[Mention, Mention | None]]) -> list[Finding]:
    """Growth = change / (level − change) where a sentence states all three."""
    out: list[Finding] = []
    for gi, (level, change) in pairs.items():
        if change is None:
            continue
        g = ms[gi]
        base = level.fact.value - change.fact.value
        refs = (FactRef.of(g.fact, "growth"), FactRef.of(level.fact, "level"), FactRef.of(change.fact, "change"))
        common = dict(kind="growth", facts=refs, derived_unit="%", indicator=g.subject, region=g.fact.region,
                      period=g.fact.period)
        if base == 0:
            out.append(Finding(status="warning",
                               message_zh=f"增速{g.fact.text}无法验算：{level.fact.text}减去增量{change.fact.text}为零",
                               message_en=f"the growth {g.fact.text} cannot be recomputed: the level "
                                          f"{level.fact.text} less the change {change.fact.text} is zero", **common))
            continue
        computed = change.fact.value / base * 100
        spread = P.interval(change.fact).divided(P.interval(level.fact) - P.interval(change.fact))
        spread = spread.scaled(Decimal(100)) if spread is not None else None
        formula = f"{change.fact.text}/({level.fact.text}−{change.fact.text})"
        out.append(_growth_finding(g.fact, computed, spread, formula, formula, g.subject, common))
    return out


def _growth_finding(stated: Fact, computed: Decimal, spread, formula_zh: str, formula_en: str,
                    subject: str | None, common: dict) -> Finding:
    status, tol = P.judge(stated, computed, spread)
    comparable = subject in rules()["comparable_price"]
    shown = P.display(computed, stated)
    tol_s = "—" if tol is None else f"±{P.display(tol, stated)}"
    note_zh = note_en = ""
    if status == "conflict" and comparable:
        status = "warning"
        note_zh, note_en = "；该指标增速按可比价计算，现价水平算出的增速可以不同", \
            "; this growth is at comparable prices, so current-price levels may give another rate"
    zh = {"ok": "一致", "rounding": "在四舍五入误差内一致", "conflict": "不一致", "warning": "不一致"}[status]
    en = {"ok": "matches", "rounding": "agrees within rounding with", "conflict": "does not match",
          "warning": "does not match"}[status]
    return Finding(status=status, tolerance=tol, derived=computed,
                   message_zh=f"增速按{formula_zh}算得{shown}，与所报{stated.text}{zh}（按印刷精度，容差{tol_s}）{note_zh}",
                   message_en=f"growth recomputed as {formula_en} = {shown}, which {en} the stated {stated.text} "
                              f"(tolerance from printed precision {tol_s}){note_en}", **common)


def level_key(f: Fact) -> tuple | None:
    if f.measure != "level" or not f.indicator or not f.period or f.unit in _LEVEL_UNITS_EXCLUDED:
        return None
    if f.extra.get("derived") or f.qualifier == "range":
        return None
    return (f.indicator, f.region, f.entity, f.unit, f.period)


def _levels_by_key(levels: Iterable[Fact]) -> dict[tuple, list[Fact]]:
    """Level facts by (indicator, region, entity, unit, period), exact figures first, then in text order."""
    index: dict[tuple, list[Fact]] = defaultdict(list)
    for f in levels:
        key = level_key(f)
        if key is not None:
            index[key].append(f)
    for group in index.values():
        group.sort(key=lambda f: (f.qualifier != "exact", f.doc, f.span.start))
    return index


def check_across(growths: Iterable[tuple[Mention, Mention | None]], levels: Iterable[Fact]) -> list[Finding]:
    """Each stated year-over-year growth with its level, against the level a year before from any report.

    `growths` are (growth, its level in the same report or None); `levels` every level fact. One index
    by (indicator, region, entity, unit, period) makes this linear in the number of facts.
    """
    index = _levels_by_key(levels)
    out: list[Finding] = []
    for g, level in growths:
        f = g.fact
        if not f.indicator or not f.period:
            continue
        before = year_before(f.period)
        if before is None:
            continue
        if level is not None and level.fact.indicator == f.indicator and level.fact.period == f.period:
            now = level.fact
        else:
            now = _first(index, f, f.period)
        if now is None:
            continue
        prev = next((p for p in index.get((f.indicator, f.region, f.entity, now.unit, before), ())
                     if p.doc != now.doc or p.doc != f.doc), None)
        if prev is None:
            prev = next(iter(index.get((f.indicator, f.region, f.entity, now.unit, before), ())), None)
        if prev is None or prev.value == 0:
            continue
        computed = (now.value / prev.value - 1) * 100
        spread = P.interval(now).divided(P.interval(prev))
        spread = P.Interval(None if spread.lo is None else (spread.lo - 1) * 100,
                            None if spread.hi is None else (spread.hi - 1) * 100) if spread else None
        refs = (FactRef.of(f, "growth"), FactRef.of(now, "level"), FactRef.of(prev, "previous"))
        common = dict(kind="growth", facts=refs, derived_unit="%", indicator=f.indicator, region=f.region,
                      period=f.period)
        zh = f"{now.text}/{prev.text}（{before}，{prev.doc}）−1"
        en = f"{now.text}/{prev.text} ({before}, {prev.doc}) − 1"
        out.append(_growth_finding(f, computed, spread, zh, en, f.indicator, common))
    return out


def _first(index: dict[tuple, list[Fact]], f: Fact, period: str) -> Fact | None:
    for _key, group in _keys_for(index, f, period):
        if group:
            return group[0]
    return None


def _keys_for(index: dict[tuple, list[Fact]], f: Fact, period: str):
    # the unit of a level is not known from its growth: try the units a level can have, money first
    for unit in ("CNY", "USD", "t", "count", "kWh", "W", "m2", "m", "m3"):
        key = (f.indicator, f.region, f.entity, unit, period)
        if key in index:
            yield key, index[key]


def pair_changes(ms: Sequence[Mention]) -> list[tuple[Mention, Mention]]:
    """Each year-over-year absolute change (比上年增加10亿元) with the level it follows in its sentence, for
    the same subject and unit (a change and its level with no other level between them)."""
    out: list[tuple[Mention, Mention]] = []
    for sentence in by_sentence(ms):
        level: Mention | None = None
        for x in sentence:
            if x.measure == "level" and x.unit not in _LEVEL_UNITS_EXCLUDED and x.fact.qualifier != "range":
                level = x
            elif x.measure == "change" and level is not None and x.unit == level.unit \
                    and x.fact.indicator and x.fact.indicator == level.fact.indicator \
                    and x.fact.period == level.fact.period and not find_word(x.clause, rules()["not_yoy"]):
                out.append((x, level))
    return out


def check_changes_across(changes: Iterable[tuple[Mention, Mention]], levels: Iterable[Fact]) -> list[Finding]:
    """比上年增加X against the two levels: this year's (stated with it) less last year's (from any report)."""
    index = _levels_by_key(levels)
    out: list[Finding] = []
    for change, level in changes:
        now, f = level.fact, change.fact
        before = year_before(now.period)
        if before is None or not now.indicator:
            continue
        prev = next(iter(index.get((now.indicator, now.region, now.entity, now.unit, before), ())), None)
        if prev is None:
            continue
        computed = now.value - prev.value
        spread = P.interval(now) - P.interval(prev)
        status, tol = P.judge(f, computed, spread)
        shown = P.display(computed, f)
        tol_s = "—" if tol is None else f"±{P.display(tol, f)}"
        zh = {"ok": "一致", "rounding": "在四舍五入误差内一致", "conflict": "不一致"}[status]
        en = {"ok": "matches", "rounding": "agrees within rounding with", "conflict": "does not match"}[status]
        out.append(Finding(
            kind="growth", status=status, tolerance=tol, derived=computed, derived_unit=f.unit,
            facts=(FactRef.of(f, "change"), FactRef.of(now, "level"), FactRef.of(prev, "previous")),
            indicator=now.indicator, region=now.region, period=now.period, extra={"relation": "change"},
            message_zh=f"增量按{now.text}−{prev.text}（{before}，{prev.doc}）算得{shown}，与所报{f.text}{zh}"
                       f"（按印刷精度，容差{tol_s}）",
            message_en=f"the change recomputed as {now.text} − {prev.text} ({before}, {prev.doc}) = {shown}, which "
                       f"{en} the stated {f.text} (tolerance from printed precision {tol_s})"))
    return out
