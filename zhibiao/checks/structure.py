"""Structures and contributions: the terms of a:b:c against the levels of the parts, the contribution rates
of the parts adding up to 100 %, and a part's pull (拉动N个百分点) over the whole's growth against its
contribution rate (贡献率).

A structure stated with its earlier value (从去年的11.0:39.0:50.0变为10.0:40.0:50.0) is checked against the
levels for its current terms only; both add up to 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from zhibiao.checks import precision as P
from zhibiao.checks.context import Mention, by_sentence, catalogue_name, find_word, listed, rules
from zhibiao.checks.findings import FactRef, Finding
from zhibiao.checks.rates import _rate_finding

_EARLIER = ("上年", "去年", "同期", "前一年", "上一年", "由", "从")
HUNDRED = Decimal(100)


def _terms(sentence: Sequence[Mention]) -> list[list[Mention]]:
    """The runs of a:b:c terms in a sentence: figures printed with ':' joined by ':' alone."""
    runs: list[list[Mention]] = []
    for m in sentence:
        if m.fact.unit_text != ":" or m.at < 0:
            continue
        if runs and m.text[runs[-1][-1].end:m.at] in (":", ""):
            runs[-1].append(m)
        else:
            runs.append([m])
    return [r for r in runs if len(r) >= 2]


def _decomposition(whole_name: str, n: int) -> dict | None:
    return next((d for d in rules()["decompositions"] if whole_name in d["whole"] and len(d["parts"]) == n
                 and d["complete"]), None)


def _first_levels(ms: Sequence[Mention]) -> dict[tuple, Mention]:
    firsts: dict[tuple, Mention] = {}
    for m in ms:
        if m.subject and m.measure == "level" and m.unit not in ("%", "pp"):
            firsts.setdefault((m.subject, m.fact.period), m)
    return firsts


def check_structures(ms: Sequence[Mention]) -> list[Finding]:
    out: list[Finding] = []
    firsts: dict[tuple, Mention] | None = None
    for sentence in by_sentence(ms):
        runs = _terms(sentence)
        for ri, run in enumerate(runs):
            head = run[0].text[:run[0].at]
            word = find_word(head, list(rules()["structures"]))
            if word is None:
                continue
            out.append(_sums_to_hundred(run, "structure", f"{word}结构", f"the {word} structure"))
            if ri < len(runs) - 1 or find_word(run[0].lead, _EARLIER):
                continue  # the structure of before (from A to B: A): no levels of its year here
            d = _decomposition(rules()["structures"][word], len(run))
            if d is None:
                continue
            if firsts is None:
                firsts = _first_levels(ms)
            period = run[0].fact.period
            whole = next((firsts[(n, period)] for n in d["whole"] if (n, period) in firsts), None)
            parts = [next((firsts[(n, period)] for n in group if (n, period) in firsts), None) for group in d["parts"]]
            if whole is None or whole.fact.value == 0 or any(p is None or p.unit != whole.unit for p in parts):
                continue
            for term, part in zip(run, parts, strict=True):
                assert part is not None
                refs = (FactRef.of(term.fact, "share"), FactRef.of(part.fact, "part"), FactRef.of(whole.fact, "whole"))
                common = dict(kind="rate", facts=refs, derived_unit="%", indicator=part.subject,
                              region=term.fact.region, period=period)
                computed = part.fact.value / whole.fact.value * HUNDRED
                spread = P.interval(part.fact).divided(P.interval(whole.fact))
                spread = spread.scaled(HUNDRED) if spread is not None else None
                f = _rate_finding(term.fact, computed, spread, f"{word}结构中{part.subject}的比重",
                                  f"{part.fact.text}/{whole.fact.text}", common)
                f.extra["relation"] = "structure"
                out.append(f)
    return out


def _sums_to_hundred(run: Sequence[Mention], relation: str, name: str, name_en: str) -> Finding:
    total = sum((m.fact.value for m in run), Decimal(0))
    spread = P.sum_of(m.fact for m in run)
    if total == HUNDRED:
        status = "ok"
    elif spread.contains(HUNDRED):
        status = "rounding"
    else:
        status = "conflict"
    shown = "+".join(m.fact.text.rstrip(":") for m in run)
    zh = {"ok": "等于", "rounding": "在四舍五入误差内等于", "conflict": "不等于"}[status]
    en = {"ok": "equal", "rounding": "equal within rounding", "conflict": "do not equal"}[status]
    return Finding(kind="sum", status=status, tolerance=spread.half, derived=total, derived_unit="%",
                   facts=tuple(FactRef.of(m.fact, "part") for m in run), indicator=name,
                   region=run[0].fact.region, period=run[0].fact.period, extra={"relation": relation},
                   message_zh=f"{name}各项之和{shown}={P.display(total, unit='')}，{zh}100（按印刷精度）",
                   message_en=f"the terms of {name_en} {shown} sum to {P.display(total, unit='')}: they {en} 100 "
                              f"(printed precision)")


def check_contributions(ms: Sequence[Mention]) -> list[Finding]:
    """The contribution rates of a complete decomposition's parts (三次产业…贡献率分别为…) add up to 100; a
    part's pull over the whole's growth is its contribution rate."""
    out: list[Finding] = []
    words = rules()["contributions"]
    growths: dict[tuple, Mention] | None = None
    for sentence in by_sentence(ms):
        rates = [m for m in sentence if m.unit == "%" and m.at >= 0
                 and find_word(m.text[:m.at], words["rate"]) and find_word(m.text[:m.at], ("分别",))]
        head = rates[0].text[:rates[0].at] if rates else ""
        word = find_word(head, list(rules()["structures"]))
        if word is not None:
            d = _decomposition(rules()["structures"][word], len(rates))
            if d is not None:
                out.append(_sums_to_hundred(rates, "contribution", f"{word}贡献率", f"the contributions of {word}"))
        out += _pulls_add_up(sentence, ms, words)
        for k, pull in enumerate(sentence):
            if pull.unit != "pp" or not find_word(pull.lead, words["pull"]):
                continue
            rate = next((x for x in sentence[k + 1:] if x.unit == "%" and find_word(x.lead, words["rate"])), None)
            after = pull.lead[pull.lead.rfind(find_word(pull.lead, words["pull"]) or ""):]
            whole_name = catalogue_name(after)
            if rate is None or whole_name is None:
                continue
            if growths is None:
                growths = {}
                for m in ms:
                    if m.measure == "growth" and m.unit == "%" and m.subject and not listed(m):
                        growths.setdefault((m.subject, m.fact.period), m)
            whole = growths.get((whole_name, pull.fact.period))
            if whole is None or whole.fact.value == 0:
                continue
            refs = (FactRef.of(rate.fact, "contribution"), FactRef.of(pull.fact, "pull"),
                    FactRef.of(whole.fact, "growth"))
            common = dict(kind="rate", facts=refs, derived_unit="%", indicator=whole_name, region=rate.fact.region,
                          period=rate.fact.period)
            computed = pull.fact.value / whole.fact.value * HUNDRED
            spread = P.interval(pull.fact).divided(P.interval(whole.fact))
            spread = spread.scaled(HUNDRED) if spread is not None else None
            f = _rate_finding(rate.fact, computed, spread, "贡献率", f"{pull.fact.text}/{whole.fact.text}", common)
            f.extra["relation"] = "contribution"
            out.append(f)
    return out


def _pulls_add_up(sentence: Sequence[Mention], ms: Sequence[Mention], words: dict) -> list[Finding]:
    """三次产业分别拉动…a、b、c个百分点: the pulls of a complete decomposition's parts add up to the whole's growth."""
    pulls = [m for m in sentence if m.unit == "pp" and m.at >= 0 and find_word(m.text[:m.at], words["pull"])
             and find_word(m.text[:m.at], ("分别",))]
    if len(pulls) < 2:
        return []
    word = find_word(pulls[0].text[:pulls[0].at], list(rules()["structures"]))
    whole_name = rules()["structures"][word] if word else None
    if whole_name is None or _decomposition(whole_name, len(pulls)) is None:
        return []
    period = pulls[0].fact.period
    whole = next((m for m in ms if m.measure == "growth" and m.unit == "%" and m.subject == whole_name
                  and m.fact.period == period and not listed(m)), None)
    if whole is None:
        return []
    total = sum((p.fact.value for p in pulls), Decimal(0))
    spread = P.sum_of(p.fact for p in pulls)
    status, tol = P.judge(whole.fact, total, spread)
    shown = "+".join(p.fact.text for p in pulls)
    tol_s = "—" if tol is None else f"±{P.display(tol, whole.fact)}"
    zh = {"ok": "一致", "rounding": "在四舍五入误差内一致", "conflict": "不一致"}[status]
    en = {"ok": "equals", "rounding": "agrees within rounding with", "conflict": "does not match"}[status]
    return [Finding(kind="sum", status=status, tolerance=tol, derived=total, derived_unit="pp",
                    facts=(FactRef.of(whole.fact, "whole"), *(FactRef.of(p.fact, "pull") for p in pulls)),
                    indicator=whole_name, region=whole.fact.region, period=period, extra={"relation": "pulls"},
                    message_zh=f"{word}拉动之和{shown}={P.display(total, unit='个百分点')}，与{whole_name}增速"
                               f"{whole.fact.text}{zh}（按印刷精度，容差{tol_s}）",
                    message_en=f"the pulls of {word} {shown} sum to {P.display(total, unit=' pp')}, which {en} the "
                               f"growth of {whole_name} {whole.fact.text} (tolerance from printed precision {tol_s})")]
