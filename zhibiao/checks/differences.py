"""Rates as differences of rates: a rate defined as one less another (人口自然增长率 = 出生率 − 死亡率), and a
difference in percentage points against the report's own figure it names (某行业增长9.0%，比全市平均水平高出
4.0个百分点, in the city's own report where 全市 has stated 5.0%)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from zhibiao.checks import precision as P
from zhibiao.checks.context import Mention, by_sentence, find_word, listed, rules
from zhibiao.checks.findings import FactRef, Finding

LevelOf = Callable[[str], "str | None"]


def check_rate_differences(ms: Sequence[Mention]) -> list[Finding]:
    """Each rate of checks.yaml differences with both of its sides, nearest first (same period)."""
    out: list[Finding] = []
    rates = [m for m in ms if m.unit == "%" and m.at >= 0]
    for d in rules()["differences"]:
        for m in rates:
            if not find_word(m.clause, d["whole"]):
                continue
            plus = _side(m, rates, d["plus"], d["whole"])
            minus = _side(m, rates, d["minus"], d["whole"])
            if plus is None or minus is None:
                continue
            computed = plus.fact.value - minus.fact.value
            spread = P.interval(plus.fact) - P.interval(minus.fact)
            status, tol = P.judge(m.fact, computed, spread)
            shown = P.display(computed, m.fact)
            tol_s = "—" if tol is None else f"±{P.display(tol, m.fact)}"
            zh = {"ok": "一致", "rounding": "在四舍五入误差内一致", "conflict": "不一致"}[status]
            en = {"ok": "matches", "rounding": "agrees within rounding with", "conflict": "does not match"}[status]
            name = d["whole"][0]
            out.append(Finding(
                kind="rate", status=status, tolerance=tol, derived=computed, derived_unit="%",
                facts=(FactRef.of(m.fact, "rate"), FactRef.of(plus.fact, "minuend"),
                       FactRef.of(minus.fact, "subtrahend")),
                indicator=m.fact.indicator or name, region=m.fact.region, period=m.fact.period,
                extra={"relation": "difference"},
                message_zh=f"{name}按{plus.fact.text}−{minus.fact.text}算得{shown}，与所报{m.fact.text}{zh}"
                           f"（按印刷精度，容差{tol_s}）",
                message_en=f"{name} recomputed as {plus.fact.text} − {minus.fact.text} = {shown}, which {en} the "
                           f"stated {m.fact.text} (tolerance from printed precision {tol_s})"))
    return out


def _side(m: Mention, rates: Sequence[Mention], names: list[str], whole: list[str]) -> Mention | None:
    named = [x for x in rates if x is not m and x.fact.period == m.fact.period and find_word(x.clause, names)
             and not find_word(x.clause, whole)]
    return min(named, key=lambda x: abs(x.index - m.index), default=None)


def check_pp_against_stated(ms: Sequence[Mention], level_of: LevelOf | None) -> list[Finding]:
    """高于全市N个百分点 in the report of 全市 itself: own − N against the report's first figure of the same
    measure and period that stands for 全市 (its region the report's, 全市 written before it, not one of a list).

    The compared figure is found by its place, not by name, so a mismatch is a warning, not a conflict.
    """
    if level_of is None:
        return []
    cmp = rules()["comparison"]
    units: dict[str, str] = cmp["units"]
    out: list[Finding] = []
    for sentence in by_sentence(ms):
        for k, m in enumerate(sentence):
            if m.unit != "pp" or m.at < 0:
                continue
            word = find_word(m.phrase, cmp["higher"]) or find_word(m.phrase, cmp["lower"])
            if word is None:
                continue
            tail = m.phrase[m.phrase.find(word):]
            named = [u for u in units if u in tail]
            if len(named) != 1:
                continue
            own = next((x for x in reversed(sentence[:k]) if x.unit == "%"), None)
            if own is None or not own.fact.region or level_of(own.fact.region) != units[named[0]]:
                continue
            stated = next((x for x in ms if x.index < own.index and x.unit == "%" and x.measure == own.measure
                           and x.fact.period == own.fact.period and x.fact.region == own.fact.region
                           and x.at >= 0 and named[0] in x.text[:x.at] and not listed(x)), None)
            if stated is None or stated.fact is own.fact:
                continue
            sign = 1 if word in cmp["higher"] else -1
            computed = own.fact.value - sign * abs(m.fact.value)
            spread = P.interval(own.fact) - P.interval(m.fact).scaled(Decimal(sign if m.fact.value >= 0 else -sign))
            status, tol = P.judge(stated.fact, computed, spread)
            if status == "conflict":
                status = "warning"
            shown = P.display(computed, stated.fact)
            tol_s = "—" if tol is None else f"±{P.display(tol, stated.fact)}"
            zh = {"ok": "一致", "rounding": "在四舍五入误差内一致", "warning": "不一致（所比数字按位置认定，仅作提示）"}[status]
            en = {"ok": "matches", "rounding": "agrees within rounding with",
                  "warning": "does not match (the compared figure is found by its place: a warning only)"}[status]
            out.append(Finding(
                kind="implied", status=status, tolerance=tol, derived=computed, derived_unit="%",
                facts=(FactRef.of(own.fact, "own"), FactRef.of(m.fact, "pp_diff"), FactRef.of(stated.fact, "compared")),
                indicator=stated.fact.indicator, region=stated.fact.region, period=stated.fact.period,
                extra={"relation": "pp_difference"},
                message_zh=f"{own.fact.text}{word}{named[0]}{m.fact.text}，推算{named[0]}为{shown}，与报告所列{named[0]}"
                           f"{stated.fact.text}{zh}（按印刷精度，容差{tol_s}）",
                message_en=f"{own.fact.text} being {abs(m.fact.value)} pp {'above' if sign > 0 else 'below'} "
                           f"{named[0]} implies {shown}, which {en} the stated {stated.fact.text} "
                           f"(tolerance from printed precision {tol_s})"))
    return out
