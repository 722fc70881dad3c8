"""The same figure twice in one report: a headline and its paragraph, a summary and its section.

Figures are keyed as across reports (indicator, region, entity, period, measure, unit, group of projects). Equal within the
printed precision: corroborated. Different: a conflict only when both figures stand on their own (not one of
a 其中 or 分别 list, where one key holds several groups) and their own clauses name the same thing (one
name ending the other: 全省常住人口 and 常住人口). Any other difference is two figures the fact stage could
not tell apart, not a disagreement of the report with itself, and is left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from zhibiao.checks import precision as P
from zhibiao.checks.agreement import _clusters, agreement_key, describe
from zhibiao.checks.context import Mention, label, listed
from zhibiao.checks.findings import FactRef, Finding
from zhibiao.checks.tables import is_cell

# differences and a structure's terms (a:b:c) are relative to something else: two of them are not one figure
_NOT_REPEATED = ("pp_diff",)


def check(ms: Sequence[Mention]) -> list[Finding]:
    groups: dict[tuple, list[Mention]] = defaultdict(list)
    in_tables: dict[tuple, list[Mention]] = defaultdict(list)
    for m in ms:
        key = agreement_key(m.fact)
        if key is None or m.measure in _NOT_REPEATED or m.fact.unit_text in (":", ":1") \
                or m.fact.qualifier == "range":
            continue
        # a cell against the text is checks/tables.py's: its key is its row and column, not a clause
        (in_tables if is_cell(m) else groups)[key].append(m)
    out: list[Finding] = _headlines(ms, groups)
    for key, group in [*groups.items(), *in_tables.items()]:
        if len(group) < 2:
            continue
        by_fact = {id(m.fact): m for m in group}
        for cluster in _clusters([m.fact for m in group if _distinctive(m)]):
            # a figure of a list corroborates another only under the same name (a group's 30亿元 of one
            # attribute is not the whole's 30亿元 of another)
            ms_of = [by_fact[id(f)] for f in cluster]
            if len(cluster) > 1 and (not any(listed(m) for m in ms_of)
                                     or all(_same_name(ms_of[0], m) for m in ms_of[1:])):
                out.append(_corroborated(key, cluster))
        free = [m for m in group if not listed(m) and label(m)]
        pairs = [(a, b) for i, a in enumerate(free) for b in free[i + 1:] if _same_name(a, b)
                 and not P.interval(a.fact).overlaps(P.interval(b.fact))]
        if pairs:
            a, b = pairs[0]
            out.append(_conflict(key, by_fact[id(a.fact)], by_fact[id(b.fact)]))
    return out


_HEADLINE = 24  # a sentence this short with one figure is a headline


def _headlines(ms: Sequence[Mention], groups: dict[tuple, list[Mention]]) -> list[Finding]:
    """A headline figure the fact stage could not name (a title of one figure: 8.88万亿元!) and the one figure of
    the report with the same value and unit, printed with three digits or more."""
    by_value: dict[tuple, list[tuple[tuple, Mention]]] = defaultdict(list)
    for key, group in groups.items():
        for m in group:
            by_value[(m.fact.value, m.unit)].append((key, m))
    out: list[Finding] = []
    per_sentence = Counter(m.sentence for m in ms)
    for m in ms:
        if m.fact.indicator or len(m.text) > _HEADLINE or per_sentence[m.sentence] != 1:
            continue
        number = P.printed_number(m.fact)
        if number is None or sum(c.isdigit() for c in number) < 3:
            continue
        same = by_value.get((m.fact.value, m.unit), [])
        if len(same) == 1:
            key, other = same[0]
            out.append(_corroborated(key, [m.fact, other.fact]))
    return out


def _distinctive(m: Mention) -> bool:
    # 两个 twice says nothing: only figures printed with two digits or more corroborate each other
    number = P.printed_number(m.fact)
    return number is not None and sum(c.isdigit() for c in number) >= 2


def _same_name(a: Mention, b: Mention) -> bool:
    la, lb = label(a), label(b)
    return len(min(la, lb, key=len)) >= 2 and (la.endswith(lb) or lb.endswith(la))



def _corroborated(key: tuple, cluster: list) -> Finding:
    coarsest = max(cluster, key=P.half_unit)
    tol = P.half_unit(coarsest)
    printed = {P.round_like(f.value, coarsest) for f in cluster}
    status = "ok" if len(printed) == 1 and all(P.exact(f) for f in cluster) else "rounding"
    facts = sorted(cluster, key=lambda f: f.span.start)
    what, what_en = describe(key)
    shown = "、".join(f.text for f in facts)
    tol_s = P.display(tol, coarsest, key[5])
    zh = "相互印证" if status == "ok" else "在四舍五入（或约数）范围内相互印证"
    en = "corroborate each other" if status == "ok" else "corroborate each other within rounding (or approximation)"
    return Finding(kind="agreement", status=status, tolerance=tol, derived=facts[0].value, derived_unit=key[5],
                   facts=tuple(FactRef.of(f, "figure") for f in facts), indicator=key[0], region=key[1],
                   period=key[3], extra={"relation": "repeat"},
                   message_zh=f"{what}在同一报告中出现{len(facts)}次：{shown}，{zh}（按最粗印刷精度±{tol_s}）",
                   message_en=f"{what_en} is printed {len(facts)} times in one report: {shown}; they {en} "
                              f"(coarsest printed precision ±{tol_s})")


def _conflict(key: tuple, a: Mention, b: Mention) -> Finding:
    what, what_en = describe(key)
    tol = max(P.half_unit(a.fact), P.half_unit(b.fact))
    return Finding(kind="agreement", status="conflict", tolerance=tol, derived_unit=key[5],
                   facts=(FactRef.of(a.fact, "value1"), FactRef.of(b.fact, "value2")), indicator=key[0],
                   region=key[1], period=key[3], extra={"relation": "repeat"},
                   message_zh=f"{what}在同一报告中前后不一致：{a.fact.text}与{b.fact.text}，超出印刷精度",
                   message_en=f"{what_en} is printed twice in one report as {a.fact.text} and {b.fact.text}, "
                              f"beyond printed precision")
