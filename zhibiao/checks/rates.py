"""Rates stated with what they are made of: 开复工率 from the started and planned counts, 单产 from output and
area, 净增率 from the net increase and the level, a share (占…%) from the part and its whole."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from zhibiao.checks import precision as P
from zhibiao.checks.context import Mention, by_sentence, catalogue_name, find_word, rules
from zhibiao.checks.findings import FactRef, Finding
from zhibiao.checks.sums import _summable, _whole_before, whole_in_sentences_before


def _rate_names(rate: dict) -> list[str]:
    return sorted([rate["name"], *(rate.get("aliases") or ())], key=len, reverse=True)


def _all_rate_names() -> list[str]:
    return [n for r in rules()["rates"] for n in _rate_names(r)]


def check_defined_rates(ms: Sequence[Mention]) -> list[Finding]:
    """Each rate of checks.yaml printed in a sentence whose figures (or the previous sentence's) hold both sides."""
    out: list[Finding] = []
    sentences = by_sentence(ms)
    every_name = _all_rate_names()
    for si, sentence in enumerate(sentences):
        for m in sentence:
            # the sentence before may hold the sides only when this one has no figure of its own before the
            # rate (a rate's earlier value, 从2.30:1缩小到2.20:1, is not one)
            own_figures = any(x.at < m.at and x.unit not in ("%", "pp", m.unit) for x in sentence)
            window = [*(sentences[si - 1] if si and not own_figures else []), *sentence]
            for rate in rules()["rates"]:
                if m.unit != rate.get("rate_unit", "%") or not _names_rate(m, rate):
                    continue
                if find_word(m.lead, _EARLIER):
                    break  # the value the rate had before (由上年的2.10:1缩小为…): no sides of its year here
                if find_word(m.clause, rate.get("unless") or ()):
                    break
                sides = [x for x in window if x.fact is not m.fact and x.unit not in ("%", "pp")
                         and not find_word(x.clause, every_name)]
                finding = _one_rate(m, rate, sides, ms if rate.get("anywhere") else ())
                if finding is not None:
                    out.append(finding)
                break
    return out


_EARLIER = ("上年", "去年", "同期", "由")  # before a rate's figure: the value it had before (由…下降为…)


def _names_rate(m: Mention, rate: dict) -> bool:
    """Whether the rate is named in the figure's clause, or, for a rate printed a:1 (its clause cut by the
    colons of the figures before it), since the last ; of its sentence, its own value not an earlier one."""
    names = _rate_names(rate)
    if find_word(m.clause, names):
        return True
    if rate.get("rate_unit") != "x" or m.at < 0 or find_word(m.lead, _EARLIER):
        return False
    head = m.text[:m.at]
    return bool(find_word(head[head.rfind(";") + 1:], names))


def _one_rate(m: Mention, rate: dict, sides: list[Mention], everywhere: Sequence[Mention] = ()) -> Finding | None:
    scale = Decimal(str(rate["scale"]))
    num_words, den_words = rate["numerator"], rate.get("denominator") or []
    near = sorted(sides, key=lambda x: abs(x.index - m.index))
    if rate.get("from") == "change":
        num = next((x for x in near if x.measure == "change" and find_word(x.clause, num_words)), None)
        if num is None:
            return None
        base = next((x for x in near if x.measure == "level" and x.unit == num.unit), None)
        if base is None:
            return None
        value_iv = P.interval(base.fact) - P.interval(num.fact)
        den_value = base.fact.value - num.fact.value
        dens = [base, num]
    else:
        # a side named with the numerator's words too (城镇常住人口 holds 常住人口) is a denominator last
        unless = rate.get("denominator_unless") or ()
        dens = [x for x in near if find_word(x.clause, den_words) and x.unit == rate.get("denominator_unit", x.unit)
                and not find_word(x.clause, unless)]
        dens.sort(key=lambda x: bool(find_word(x.clause, num_words)))
        if not dens and everywhere:
            dens = sorted((x for x in everywhere if x.fact.period == m.fact.period and x.measure == "level"
                           and x.unit not in ("%", "pp") and find_word(x.clause, den_words)
                           and not find_word(x.clause, num_words) and not find_word(x.clause, unless)),
                          key=lambda x: abs(x.index - m.index))
        if not dens:
            return None
        den = dens[0]
        num = next((x for x in near if x is not den and find_word(x.clause, num_words)
                    and (bool(unless) or not find_word(x.clause, den_words))
                    and x.unit == rate.get("numerator_unit", den.unit)
                    and ("numerator_unit" in rate or x.unit == den.unit)), None)
        if num is None:
            return None
        value_iv = P.interval(den.fact)
        den_value = den.fact.value
        dens = [den]
    refs = (FactRef.of(m.fact, "rate"), FactRef.of(num.fact, "numerator"),
            *(FactRef.of(d.fact, "denominator" if i == 0 else "subtracted") for i, d in enumerate(dens)))
    name = rate["name"]
    common = dict(kind="rate", facts=refs, derived_unit=m.unit, indicator=m.subject or name,
                  region=m.fact.region, period=m.fact.period)
    formula = f"{num.fact.text}/{dens[0].fact.text}" if len(dens) == 1 else \
        f"{num.fact.text}/({dens[0].fact.text}−{num.fact.text})"
    if den_value == 0:
        return Finding(status="warning", message_zh=f"{name}{m.fact.text}无法验算：分母{formula}为零",
                       message_en=f"{name} {m.fact.text} cannot be recomputed: the denominator of {formula} is zero",
                       **common)
    computed = num.fact.value / den_value * scale
    spread = P.interval(num.fact).divided(value_iv)
    spread = spread.scaled(scale) if spread is not None else None
    return _rate_finding(m.fact, computed, spread, name, formula, common, average=bool(rate.get("average_base")))


def _rate_finding(stated, computed: Decimal, spread, name: str, formula: str, common: dict, *,
                  average: bool = False) -> Finding:
    """`average`: the rate's own denominator is the period's average (出生率 per 年平均人口), of which the stated
    population (at the year's end) is only near, so a mismatch is a warning, never a conflict."""
    status, tol = P.judge(stated, computed, spread)
    if status == "conflict" and average:
        status = "warning"
    shown = P.display(computed, stated)
    tol_s = "—" if tol is None else f"±{P.display(tol, stated)}"
    zh = {"ok": "一致", "rounding": "在四舍五入误差内一致", "conflict": "不一致",
          "warning": "不一致（其分母应为平均人口，所用为报告所载人口，仅作提示）"}[status]
    en = {"ok": "matches", "rounding": "agrees within rounding with", "conflict": "does not match",
          "warning": "does not match (its denominator is the average population, not the one stated: a warning "
                     "only)"}[status]
    return Finding(status=status, tolerance=tol, derived=computed,
                   message_zh=f"{name}按{formula}算得{shown}，与所报{stated.text}{zh}（按印刷精度，容差{tol_s}）",
                   message_en=f"{name} recomputed as {formula} = {shown}, which {en} the stated {stated.text} "
                              f"(tolerance from printed precision {tol_s})", **common)


# what may stand between 占 and the figure without naming a whole: 占比为, 占的比重
_PUNCT_OR_OF = re.compile(r"比重|比例|占比|的|为|达|达到|[\s,;:]")


def check_shares(ms: Sequence[Mention]) -> list[Finding]:
    """A share (占…%, 占比…%) against its part and whole: the whole named after 占, else the total before 其中."""
    out: list[Finding] = []
    sentences = by_sentence(ms)
    firsts: dict[tuple, Mention] = {}
    for m in ms:
        if m.subject and m.standard and _summable(m):
            firsts.setdefault((m.subject, m.unit, m.measure), m)
    for si, sentence in enumerate(sentences):
        for k, m in enumerate(sentence):
            if m.measure != "share" or m.unit != "%" or not find_word(m.clause, rules()["share_cues"]):
                continue
            part = next((x for x in reversed(sentence[:k]) if _summable(x)), None)
            if part is None:
                continue
            whole = None
            at = m.clause.rfind("占")
            named = catalogue_name(m.clause[at + 1:]) if at >= 0 else None
            if named is not None:
                whole = firsts.get((named, part.unit, part.measure))
            if whole is None and at >= 0 and len(_PUNCT_OR_OF.sub("", m.clause[at + 1:])) >= 2:
                continue  # 占年度安排的60%: its whole is named, not the total before 其中 (groups.check_named_shares)
            if whole is None:
                whole = _whole_of_parts(sentences, si, part)
            if whole is None or whole.fact is part.fact:
                continue
            out.append(_share_finding(m, part, whole))
    return out


def _whole_of_parts(sentences: list[list[Mention]], si: int, part: Mention) -> Mention | None:
    """The total a part stands under, when a parts cue (其中) comes before it in its sentence."""
    text = part.text
    cue_at = max((text.rfind(c, 0, part.at) for c in rules()["parts_cues"]), default=-1)
    if cue_at < 0:
        return None
    whole = _whole_before(sentences[si], cue_at, part)
    if whole is None and cue_at <= 2:
        whole = whole_in_sentences_before(sentences, si, part)
    return whole


def _share_finding(m: Mention, part: Mention, whole: Mention) -> Finding:
    refs = (FactRef.of(m.fact, "share"), FactRef.of(part.fact, "part"), FactRef.of(whole.fact, "whole"))
    common = dict(kind="rate", facts=refs, derived_unit="%", indicator=part.subject,
                  region=m.fact.region, period=m.fact.period)
    formula = f"{part.fact.text}/{whole.fact.text}"
    if whole.fact.value == 0:
        return Finding(status="warning", message_zh=f"占比{m.fact.text}无法验算：总数{whole.fact.text}为零",
                       message_en=f"the share {m.fact.text} cannot be recomputed: the whole {whole.fact.text} is zero",
                       **common)
    computed = part.fact.value / whole.fact.value * 100
    spread = P.interval(part.fact).divided(P.interval(whole.fact))
    spread = spread.scaled(Decimal(100)) if spread is not None else None
    return _rate_finding(m.fact, computed, spread, "占比", formula, common)


def check_n_of_m(ms: Sequence[Mention]) -> list[Finding]:
    """N of M: 30个乡镇中有24个…，增长面80% — a count M, a count N of the same measure word right after it
    whose words end with 中有, and the rate right after N, named in its words (checks.yaml n_of_m)."""
    out: list[Finding] = []
    words = rules()["n_of_m"]
    for sentence in by_sentence(ms):
        for k in range(len(sentence) - 2):
            whole, part, rate = sentence[k], sentence[k + 1], sentence[k + 2]
            if whole.unit != "count" or part.unit != "count" or rate.unit != "%" or whole.at < 0:
                continue
            if whole.fact.unit_text != part.fact.unit_text or not any(part.lead.endswith(w) for w in words["among"]):
                continue
            if not find_word(rate.lead, words["rates"]) or whole.fact.value == 0:
                continue
            refs = (FactRef.of(rate.fact, "rate"), FactRef.of(part.fact, "numerator"),
                    FactRef.of(whole.fact, "denominator"))
            name = find_word(rate.lead, words["rates"]) or ""
            common = dict(kind="rate", facts=refs, derived_unit="%", indicator=name, region=rate.fact.region,
                          period=rate.fact.period)
            computed = part.fact.value / whole.fact.value * 100
            spread = P.interval(part.fact).divided(P.interval(whole.fact))
            spread = spread.scaled(Decimal(100)) if spread is not None else None
            finding = _rate_finding(rate.fact, computed, spread, name, f"{part.fact.text}/{whole.fact.text}", common)
            finding.extra["relation"] = "n_of_m"
            out.append(finding)
    return out
