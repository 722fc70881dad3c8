"""The same indicator, region, period and measure (and base) in several reports: corroborated, or in conflict."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from operator import attrgetter

from zhibiao.bases import by_base
from zhibiao.checks import precision as P
from zhibiao.checks.context import find_word, rules
from zhibiao.checks.findings import FactRef, Finding
from zhibiao.checks.groups import fact_group
from zhibiao.model import Fact

MAX_NAMED = 6  # sources named in a message; the finding's facts list them all


def agreement_key(f: Fact) -> tuple | None:
    """What must be equal for two facts to state the same figure; None when a fact cannot be keyed.

    The group of projects a figure is stated for (groups.group_of: 其中：续建项目… → 续建项目, None for the whole) is
    part of it: a whole's plan and a group's plan of the same indicator are two figures, never one in conflict."""
    if not f.indicator or not f.region or not f.period or f.measure in ("rank", "completion"):
        return None
    return (f.indicator, f.region, f.entity, f.period, f.measure, f.unit, fact_group(f))


def check(facts: Iterable[Fact]) -> list[Finding]:
    """One finding per key stated in two reports or more (or stated once and implied once).

    Facts are grouped by key in a dict and each group sorted by value, so the work grows as n log n.
    """
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        key = agreement_key(f)
        if key is not None:
            groups[key].append(f)
    out: list[Finding] = []
    for key, whole in groups.items():
        # a rate against 2020 is no second value of the rate against the year before: one group per base
        for group in by_base(whole, attrgetter("base")).values():
            # a figure an implied one was derived from is not a second source of it
            used = {(s["doc"], s["start"], s["end"]) for f in group if f.extra.get("derived")
                    for s in f.extra.get("sources", ())}
            if used:
                group = [f for f in group if f.extra.get("derived") or (f.doc, f.span.start, f.span.end) not in used]
            docs = {f.doc for f in group}
            if len(group) < 2 or (len(docs) < 2 and not any(f.extra.get("derived") for f in group)):
                continue
            out.append(_judge(key, group))
    return out


def _clusters(group: list[Fact]) -> list[list[Fact]]:
    """Facts sorted by value, cut where a figure cannot stand for the same value as those before it."""
    ordered = sorted(group, key=lambda f: (f.value, f.doc, f.span.start))
    clusters: list[list[Fact]] = []
    common: P.Interval | None = None
    for f in ordered:
        iv = P.interval(f)
        if common is not None and common.overlaps(iv):
            clusters[-1].append(f)
            common = P.Interval(P._max(common.lo, iv.lo), P._min(common.hi, iv.hi))
        else:
            clusters.append([f])
            common = iv
    return clusters


def _named(facts: list[Fact]) -> str:
    shown = [f"{_text(f)}（推算）（{f.doc}）" if f.extra.get("derived") else f"{f.text}（{f.doc}）"
             for f in facts[:MAX_NAMED]]
    more = f"等{len(facts)}处" if len(facts) > MAX_NAMED else ""
    return "、".join(shown) + more


def _named_en(facts: list[Fact]) -> str:
    shown = [f"{_text(f)} (implied) ({f.doc})" if f.extra.get("derived") else f"{f.text} ({f.doc})"
             for f in facts[:MAX_NAMED]]
    more = f" and {len(facts) - MAX_NAMED} more" if len(facts) > MAX_NAMED else ""
    return ", ".join(shown) + more


def describe(key: tuple, base: str = "") -> tuple[str, str]:
    """What an agreement key names, in Chinese and in English (the repeat and table checks key their figures alike)."""
    indicator, region, _entity, period, measure, _unit, part = key
    return (f"{region}{period}{part or ''}{indicator}（{measure}{'，' + base if base else ''}）",
            f"{indicator}{' of ' + part if part else ''} ({measure}{', ' + base if base else ''}) of {region} in {period}")


def _judge(key: tuple, group: list[Fact]) -> Finding:
    indicator, region, _entity, period, _measure, unit, _part = key
    clusters = _clusters(group)
    coarsest = max(group, key=P.half_unit)
    tol = P.half_unit(coarsest)
    # the base a group's rates are compared with, named when stated: two groups of one key differ by it alone
    what, what_en = describe(key, next((f.base for f in group if f.base), ""))
    if len(clusters) == 1:
        printed = {P.round_like(f.value, coarsest) for f in group}
        status = "ok" if len(printed) == 1 and all(P.exact(f) for f in group) else "rounding"
        refs = tuple(FactRef.of(f, "source") for f in sorted(group, key=lambda f: (f.doc, f.span.start)))
        tol_s = P.display(tol, coarsest, unit)
        zh = "各来源一致" if status == "ok" else "各来源在四舍五入（或约数）范围内一致"
        en = "agree" if status == "ok" else "agree within rounding (or approximation)"
        return Finding(kind="agreement", status=status, tolerance=tol, derived=group[0].value, derived_unit=unit,
                       facts=refs, indicator=indicator, region=region, period=period,
                       message_zh=f"{what}：{_named(refs_facts(group))}{zh}（按最粗印刷精度±{tol_s}）",
                       message_en=f"{what_en}: {_named_en(refs_facts(group))} {en} "
                                  f"(coarsest printed precision ±{tol_s})")
    refs = tuple(FactRef.of(f, f"value{i + 1}") for i, c in enumerate(clusters) for f in c)
    zh_parts = " ≠ ".join(_named(c) for c in clusters)
    en_parts = " vs ".join(_named_en(c) for c in clusters)
    if _revision(group):
        return Finding(kind="agreement", status="warning", tolerance=tol, facts=refs, derived_unit=unit,
                       indicator=indicator, region=region, period=period, extra={"relation": "revision"},
                       message_zh=f"{what}前后数字不同，系初步数与核实数之差（修订，非矛盾）：{zh_parts}",
                       message_en=f"{what_en} differs between a preliminary and a final figure (a revision, not a "
                                  f"conflict): {en_parts}")
    return Finding(kind="agreement", status="conflict", tolerance=tol, facts=refs, derived_unit=unit,
                   indicator=indicator, region=region, period=period,
                   message_zh=f"{what}各来源不一致，超出印刷精度：{zh_parts}",
                   message_en=f"{what_en} disagrees beyond printed precision: {en_parts}")


def _revision(group: list[Fact]) -> bool:
    """True when some of the figures are said to be preliminary (初步核算) and others final (最终核实)."""
    words = rules()["revision"]
    kinds = set()
    for f in group:
        sentence = f.sentence or ""
        if find_word(sentence, words["final"]):
            kinds.add("final")
        elif find_word(sentence, words["preliminary"]):
            kinds.add("preliminary")
    return kinds == {"final", "preliminary"}


def refs_facts(group: list[Fact]) -> list[Fact]:
    return sorted(group, key=lambda f: (f.doc, f.span.start))


def _text(f: Fact) -> str:
    """A fact as printed; a derived one by its value (its text is that of its source)."""
    return str(f.extra.get("shown") or P.display(f.value, unit=f.unit)) if f.extra.get("derived") else f.text
