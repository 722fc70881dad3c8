"""A figure converted at an exchange rate printed beside it: 人均收入7万元，按平均汇率7.0折算约合1万美元.

The rate is a bare number right after a rate word (checks.yaml exchange); it is yuan per unit of the foreign
currency, as 人民币汇率 is printed. The converted figure follows a conversion word (折合, 约合); its source is
the nearest figure before it, in the same sentence and measure, in the other currency of the pair (one of the
two is yuan). The converted figure is then the source over the rate (yuan to foreign) or times it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from zhibiao.checks import precision as P
from zhibiao.checks.context import Mention, by_sentence, find_word, rules
from zhibiao.checks.findings import FactRef, Finding

_YUAN = "CNY"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _currency(m: Mention) -> bool:
    # a money unit is an ISO code (units.yaml): CNY, USD, EUR, HKD …
    return len(m.unit) == 3 and m.unit.isupper() and m.unit.isalpha()


def _rate(sentence: Sequence[Mention], words: dict) -> tuple[Decimal, str, str] | None:
    """(rate, its number as printed, the rate word) of the first rate word followed closely by a bare number:
    a figure of the sentence is no rate (按当年汇率折算，约合1万美元 prints none)."""
    text = sentence[0].text
    for w in words["rate_words"]:
        at = text.find(w)
        if at < 0:
            continue
        found = _NUMBER.search(text, at + len(w), at + len(w) + int(words["rate_span"]) + 12)
        if found and any(m.at < found.end() and found.start() < m.end for m in sentence):
            continue
        if found and found.start() - at - len(w) <= int(words["rate_span"]):
            value = Decimal(found.group())
            if value > 0:
                return value, found.group(), w
    return None


def check(ms: Sequence[Mention]) -> list[Finding]:
    words = rules()["exchange"]
    out: list[Finding] = []
    for sentence in by_sentence(ms):
        if sentence[0].at < 0 or not any(_currency(m) and m.unit != _YUAN for m in sentence):
            continue
        rate = _rate(sentence, words)
        if rate is None:
            continue
        for k, m in enumerate(sentence):
            if not _currency(m) or not find_word(m.lead, words["convert_words"]):
                continue
            source = next((s for s in reversed(sentence[:k]) if _currency(s) and s.unit != m.unit
                           and _YUAN in (s.unit, m.unit) and s.measure == m.measure), None)
            if source is not None:
                out.append(_finding(m, source, rate))
    return out


def _finding(m: Mention, source: Mention, rate: tuple[Decimal, str, str]) -> Finding:
    r, printed, word = rate
    half = P.HALF * Decimal(1).scaleb(-P.decimals(printed))
    r_iv = P.Interval(r - half, r + half)
    s_iv = P.interval(source.fact)
    if m.unit == _YUAN:  # foreign to yuan: times the rate
        computed = source.fact.value * r
        lo = None if s_iv.lo is None else s_iv.lo * (r_iv.lo if s_iv.lo >= 0 else r_iv.hi)
        hi = None if s_iv.hi is None else s_iv.hi * (r_iv.hi if s_iv.hi >= 0 else r_iv.lo)
        spread: P.Interval | None = P.Interval(lo, hi)
        formula = f"{source.fact.text}×{printed}"
    else:  # yuan to foreign: over the rate
        computed = source.fact.value / r
        spread = s_iv.divided(r_iv)
        formula = f"{source.fact.text}÷{printed}"
    status, tol = P.judge(m.fact, computed, spread)
    foreign = source.fact if m.unit == _YUAN else m.fact
    per = foreign.unit_text or foreign.unit
    shown = P.display(computed, m.fact)
    tol_s = "—" if tol is None else f"±{P.display(tol, m.fact)}"
    zh = {"ok": "一致", "rounding": "在四舍五入误差内一致", "conflict": "不一致"}[status]
    en = {"ok": "matches", "rounding": "agrees within rounding with", "conflict": "does not match"}[status]
    return Finding(kind="rate", status=status, tolerance=tol, derived=computed, derived_unit=m.unit,
                   facts=(FactRef.of(m.fact, "converted"), FactRef.of(source.fact, "source")),
                   indicator=source.fact.indicator or m.fact.indicator, region=m.fact.region, period=m.fact.period,
                   extra={"relation": "exchange", "rate": str(r)},
                   message_zh=f"按{word}{printed}（元/{per}）折算，"
                              f"{formula}={shown}，与所报{m.fact.text}{zh}（按印刷精度，容差{tol_s}）",
                   message_en=f"converted at the exchange rate ({word}) of {printed} yuan per "
                              f"{foreign.unit}: {formula} = {shown}, which {en} "
                              f"the stated {m.fact.text} (tolerance from printed precision {tol_s})")
