"""Figures a report implies without stating them, stored as derived facts that name their sources.

* A completion (完成年度目标任务的61.71%) with its figure implies the target (figure / 61.71 %); when the
  report states the target too, the completion is checked as a rate instead.
* A difference in percentage points against a higher unit (增长5.2%，高于全市2.5个百分点) implies that
  unit's figure (全市 2.7%); the derived fact then meets the unit's own reports in the agreement check.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from zhibiao.checks import precision as P
from zhibiao.checks.context import Mention, by_sentence, find_word, listed, rules
from zhibiao.checks.findings import FactRef, Finding, derived_fact
from zhibiao.checks.periods import year_before, year_of
from zhibiao.checks.rates import _rate_finding
from zhibiao.model import Fact

_FIGURE_MEASURES = ("level", "change")
_NOT_FIGURES = ("%", "pp", "rank", "x")


def completions(ms: Sequence[Mention]) -> tuple[list[Finding], list[Fact]]:
    """Each completion % with its figure: checked against the stated target, or the target implied."""
    findings: list[Finding] = []
    derived: list[Fact] = []
    targets: dict[tuple, Mention] = {}
    for m in ms:
        if m.measure == "target" and m.subject and m.unit not in _NOT_FIGURES:
            targets.setdefault((m.subject, m.unit, year_of(m.fact.period)), m)
    for sentence in by_sentence(ms):
        for k, m in enumerate(sentence):
            if m.measure != "completion" or m.unit != "%":
                continue
            # 完成市任务2700人的117%: the task stands in the completion's own clause, the figure before it
            clause_at = m.at - len(m.clause)
            target = next((x for x in reversed(sentence[:k]) if x.at >= clause_at and x.unit not in _NOT_FIGURES),
                          None)
            figure = next((x for x in reversed(sentence[:k]) if x.at < clause_at and x.unit not in _NOT_FIGURES
                           and x.measure in _FIGURE_MEASURES + ("target",)
                           and (target is None or x.unit == target.unit)), None)
            if figure is None:
                continue
            if target is None and figure.subject:
                # the target of the same year only: next year's plan is not this year's task
                target = targets.get((figure.subject, figure.unit, year_of(figure.fact.period)))
                if target is not None and target.fact is figure.fact:
                    target = None
            if target is not None:
                findings.append(_completion_rate(m, figure, target))
                continue
            finding, fact = _implied_target(m, figure)
            findings.append(finding)
            if fact is not None and not listed(figure):  # a group's figure (after 其中, 分别): no group in its key
                derived.append(fact)
    return findings, derived


def _completion_rate(m: Mention, figure: Mention, target: Mention) -> Finding:
    refs = (FactRef.of(m.fact, "completion"), FactRef.of(figure.fact, "figure"), FactRef.of(target.fact, "target"))
    common = dict(kind="rate", facts=refs, derived_unit="%", indicator=figure.subject, region=m.fact.region,
                  period=m.fact.period)
    formula = f"{figure.fact.text}/{target.fact.text}"
    if target.fact.value == 0:
        return Finding(status="warning",
                       message_zh=f"完成率{m.fact.text}无法验算：任务{target.fact.text}为零",
                       message_en=f"the completion {m.fact.text} cannot be recomputed: the target "
                                  f"{target.fact.text} is zero", **common)
    computed = figure.fact.value / target.fact.value * 100
    spread = P.interval(figure.fact).divided(P.interval(target.fact))
    spread = spread.scaled(Decimal(100)) if spread is not None else None
    return _rate_finding(m.fact, computed, spread, "完成率", formula, common)


def _implied_target(m: Mention, figure: Mention) -> tuple[Finding, Fact | None]:
    refs = (FactRef.of(m.fact, "completion"), FactRef.of(figure.fact, "figure"))
    common = dict(kind="implied", facts=refs, derived_unit=figure.unit, indicator=figure.subject,
                  region=figure.fact.region, period=year_of(figure.fact.period))
    if m.fact.value == 0:
        return Finding(status="warning",
                       message_zh=f"完成{m.fact.text}：由完成百分比为零无法推算任务数",
                       message_en=f"a completion of {m.fact.text} implies no target: the percentage is zero",
                       **common), None
    value = figure.fact.value / m.fact.value * 100
    spread = P.interval(figure.fact).divided(P.interval(m.fact))
    spread = spread.scaled(Decimal(100)) if spread is not None else None
    tol = spread.half if spread is not None else None
    fact = derived_fact(value=value, unit=figure.unit, measure="target", anchor=m.fact, sources=[m.fact, figure.fact],
                        how="target = figure / completion", indicator=figure.fact.indicator or
                        (figure.subject if figure.standard else None), region=figure.fact.region,
                        period=year_of(figure.fact.period), entity=figure.fact.entity, tolerance=tol,
                        shown=P.display(value, figure.fact))
    shown = P.display(value, figure.fact)
    tol_s = "—" if tol is None else f"±{P.display(tol, figure.fact)}"
    what = figure.subject or ""
    return Finding(status="ok", tolerance=tol, derived=value,
                   message_zh=f"{what}{figure.fact.text}完成任务的{m.fact.text}，推算任务数为{shown}"
                              f"（按印刷精度，误差{tol_s}）",
                   message_en=f"{what} {figure.fact.text} being {m.fact.text} of the target implies a target of "
                              f"{shown} (within {tol_s} from printed precision)", **common), fact


def comparisons(ms: Sequence[Mention], parent_of=None) -> tuple[list[Finding], list[Fact]]:
    """Each pp difference against a named higher unit (高于全市2.5个百分点) with the figure it is the
    difference of: the higher unit's figure, implied.

    `parent_of(region, level)` names the unit above `region` at `level` (country, province, prefecture);
    without it, or when the report's region is not known, the derived fact has no region.
    """
    findings: list[Finding] = []
    derived: list[Fact] = []
    cmp = rules()["comparison"]
    units: dict[str, str] = cmp["units"]
    for sentence in by_sentence(ms):
        for k, m in enumerate(sentence):
            if m.unit != "pp":
                continue
            word = find_word(m.phrase, cmp["higher"]) or find_word(m.phrase, cmp["lower"])
            if word is None:
                continue
            # 分别快于全国、全省和全市3.2个、0.5个和1.2个百分点: the i-th difference is against the i-th unit
            tail = m.phrase[m.phrase.find(word):]
            named = sorted((tail.find(u), u) for u in units if u in tail)
            same_phrase = [x for x in sentence if x.unit == "pp" and x.at - len(x.phrase) == m.at - len(m.phrase)]
            if len(named) == 1:
                unit_word = named[0][1]
            elif len(named) == len(same_phrase):
                unit_word = named[same_phrase.index(m)][1]
            else:
                continue
            own = next((x for x in reversed(sentence[:k]) if x.unit == "%"), None)
            if own is None:
                continue
            sign = Decimal(1) if word in cmp["higher"] else Decimal(-1)
            pp = sign * abs(m.fact.value)
            value = own.fact.value - pp
            spread = P.interval(own.fact) - P.interval(m.fact).scaled(sign if m.fact.value >= 0 else -sign)
            region = None
            if parent_of is not None and own.fact.region:
                region = parent_of(own.fact.region, units[unit_word])
            tol = spread.half
            fact = derived_fact(value=value, unit="%", measure=own.measure, anchor=m.fact, sources=[own.fact, m.fact],
                                how="compared unit = own − pp", indicator=own.fact.indicator or
                                (own.subject if own.standard else None), region=region, period=own.fact.period,
                                polarity="-" if value < 0 else "+", tolerance=tol,
                                shown=P.display(value, own.fact))
            fact.extra["compared_with"] = unit_word
            if not listed(own):  # a group's figure (after 其中, 分别): its key holds no group
                derived.append(fact)
            where = region or unit_word
            shown = P.display(value, own.fact)
            tol_s = "—" if tol is None else f"±{P.display(tol, own.fact)}"
            findings.append(Finding(
                kind="implied", status="ok", tolerance=tol, derived=value, derived_unit="%",
                facts=(FactRef.of(own.fact, "own"), FactRef.of(m.fact, "pp_diff")),
                indicator=own.subject, region=region, period=own.fact.period,
                message_zh=f"{own.subject or ''}{own.fact.text}{word}{unit_word}{m.fact.text}，推算{where}为{shown}"
                           f"（按印刷精度，误差{tol_s}）",
                message_en=f"{own.subject or ''} {own.fact.text}, {abs(m.fact.value)} pp "
                           f"{'above' if sign > 0 else 'below'} {unit_word}, implies {where} {shown} "
                           f"(within {tol_s} from printed precision)"))
    return findings, derived


def earlier_periods(ms: Sequence[Mention]) -> tuple[list[Finding], list[Fact]]:
    """A pp difference against an earlier period (增幅较上半年放缓0.4个百分点, 比去年同期高出1.5个百分点) with
    the rate it is the difference of: that rate in the earlier period, implied (own − pp, the pp signed as
    the fact stage signs it). The derived fact meets the stated figure of that period in the agreement check.

    The earlier period is the comparison period written in the difference's phrase; with several
    (较前三季度和去年同期分别提升0.1和1.2个百分点), the i-th difference of the phrase is against the i-th period.
    """
    from zhibiao.periods import find_periods

    findings: list[Finding] = []
    derived: list[Fact] = []
    for sentence in by_sentence(ms):
        for k, m in enumerate(sentence):
            if m.unit != "pp" or m.at < 0 or not m.fact.period:
                continue
            own = next((x for x in reversed(sentence[:k]) if x.unit == "%"), None)
            if own is None or not own.fact.indicator or own.fact.period != m.fact.period:
                continue
            year = year_of(own.fact.period)
            if year is None:
                continue
            start = m.at - len(m.phrase)
            periods = [p for p in find_periods(m.phrase, int(year)) if p.comparison and p.period]
            same_phrase = [x for x in sentence if x.unit == "pp" and x.at - len(x.phrase) == start]
            if len(periods) == 1:
                chosen = periods[0]
            elif len(periods) == len(same_phrase) > 1:
                chosen = periods[same_phrase.index(m)]
            else:
                continue
            # 上年同期 of January–October is January–October a year before, not the whole year
            base = year_before(own.fact.period) if "同期" in chosen.text else chosen.period
            if base is None:
                continue
            if base == own.fact.period:
                continue
            value = own.fact.value - m.fact.value
            spread = P.interval(own.fact) - P.interval(m.fact)
            tol = spread.half
            shown = P.display(value, own.fact)
            fact = derived_fact(value=value, unit="%", measure=own.measure, anchor=m.fact, sources=[own.fact, m.fact],
                                how="earlier period = own − pp", indicator=own.fact.indicator, region=own.fact.region,
                                period=base, entity=own.fact.entity, polarity="-" if value < 0 else "+",
                                tolerance=tol, shown=shown)
            if not listed(own):  # a group's figure (after 其中, 分别): its key holds no group
                derived.append(fact)
            tol_s = "—" if tol is None else f"±{P.display(tol, own.fact)}"
            findings.append(Finding(
                kind="implied", status="ok", tolerance=tol, derived=value, derived_unit="%",
                facts=(FactRef.of(own.fact, "own"), FactRef.of(m.fact, "pp_diff")),
                indicator=own.fact.indicator, region=own.fact.region, period=base,
                extra={"relation": "earlier_period"},
                message_zh=f"{own.fact.indicator}{own.fact.text}（{own.fact.period}）比{base}变动{m.fact.text}，"
                           f"推算{base}为{shown}（按印刷精度，误差{tol_s}）",
                message_en=f"{own.fact.indicator} {own.fact.text} ({own.fact.period}), {m.fact.value} pp against "
                           f"{base}, implies {shown} for {base} (within {tol_s} from printed precision)"))
    return findings, derived
