"""Parallel groups: a whole stated with several attributes, then its groups with the same attributes.

    今年列入清单的工程40项，概算共90亿元，本年安排30亿元，…；其中：续建工程25项，概算60亿元，本年安排
    20亿元，…；新建工程15项，概算30亿元，本年安排10亿元，…

Each attribute (the count, 总投资, 计划投资, 完成投资) is a sum of its groups: the i-th figure of the whole
against the i-th figures of the groups, when every group states the same attributes in the same order (the
same units in the same order). The groups exhaust the whole when their counts add up to its count exactly;
otherwise each attribute is only checked not to exceed the whole's.

A share named by what it is a share of (占本年安排的七成, 占本年安排的70%) is checked against the figure just before it and
the figure of the same group that the name points to (年度计划投资): the completion of each group and of the whole.

`group_of` names the group a figure is stated for (None for the whole): the one reading of the groups that the
agreement, repeat and target checks key by and /targets (store/target_history.py) shows, so a whole is compared
with the whole only and a group with the same group.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal

from zhibiao.checks import precision as P
from zhibiao.checks.context import Mention, by_sentence, find_word, rules
from zhibiao.checks.findings import FactRef, Finding
from zhibiao.checks.rates import _rate_finding
from zhibiao.checks.sums import _summable, compare_parts
from zhibiao.model import Fact

_RATE_UNITS = ("%", "pp")
_CLAUSE_ENDS = (";", "；")  # the groups after a parts cue are apart by ; (as _groups splits them)
_DIGIT = re.compile(r"[0-9０-９]")
_LABEL_EDGES = " \t,，:：、;；"
_MAX_LABEL = 24


# each figure is keyed by four checks (agreement, repeats, tables with text, targets): read its group once
@functools.lru_cache(maxsize=65536)
def group_of(sentence: str | None, at: int | None, indicator: str | None = None) -> str | None:
    """The group a figure printed at `at` of `sentence` is stated for: None for the whole (no parts cue before it),
    else the words that open its clause after the cue, up to the first number (其中：续建项目40项 → 续建项目), the
    figure's own indicator cut off (续建项目年度计划投资30亿元 → 续建项目); '#n' (its clause's place) when none.

    A group states what its whole states (总投资, 完成投资 of the whole, then of each group): a figure is no group's
    when the words before the cue name neither its indicator nor the words just before it (完成 of …，完成15亿元):
    其中新能源装机…；新建5G基站… . Nor is one whose clause opens
    with its indicator or names a part of it only (其中第一产业增加值… for 第一产业增加值): the indicator already tells
    that part from the whole, and the same figure printed outside a 其中 list (a table row, another report) must
    still meet it."""
    if not sentence or at is None:
        return None
    head = sentence[:at]
    cues = sorted((head.find(c), c) for c in rules()["parts_cues"] if c in head)
    if not cues:
        return None
    cue_at, cue = cues[0]
    start = max([cue_at + len(cue), *(head.rfind(s) + 1 for s in _CLAUSE_ENDS)])
    clause = head[start:]
    whole = head[:cue_at]
    if indicator and indicator not in whole:
        words = _DIGIT.split(clause)[-1]  # after the figure before it: its unit, then the words of this one
        words = words[max(words.rfind(c) for c in _LABEL_EDGES) + 1:]
        if len(words) < 2 or words not in whole:
            return None
    number = _DIGIT.search(clause)
    label = (clause[:number.start()] if number else clause).strip(_LABEL_EDGES)
    if indicator and label and (label.startswith(indicator) or label in indicator):
        return None
    if indicator and indicator in label[1:]:
        label = label[:label.index(indicator, 1)].strip(_LABEL_EDGES)
    if not label:
        return f"#{1 + sum(head.count(s, cue_at) for s in _CLAUSE_ENDS)}"
    return label[:_MAX_LABEL]


def fact_group(f: Fact) -> str | None:
    """The group of a fact (None for the whole), read from its cleaned sentence; a derived fact has its anchor's."""
    return group_of(f.sentence, f.in_sentence.start if f.in_sentence is not None else None, f.indicator)


def _groups(sentence: Sequence[Mention]) -> tuple[list[Mention], list[list[Mention]], str] | None:
    """The whole's figures and each group's, when a parts cue is followed by groups separated by ;."""
    text = sentence[0].text
    cues = rules()["parts_cues"]
    found = sorted((text.find(c), c) for c in cues if text.find(c) >= 0)
    if not found:
        return None
    cue_at, cue = found[0]
    before = text[:cue_at].rstrip(" ,;:")  # the ; that opens 其中 closes the whole, it does not start it
    start = text.rfind(";", 0, len(before)) + 1
    whole = [m for m in sentence if start <= m.at < cue_at]
    bounds = [cue_at] + [i for i, ch in enumerate(text) if ch == ";" and i > cue_at] + [len(text) + 1]
    groups = [[m for m in sentence if a <= m.at < b] for a, b in zip(bounds, bounds[1:], strict=False)]
    groups = [g for g in groups if g]
    shape = [m.unit for m in whole]
    if len(whole) < 2 or len(groups) < 2 or any([m.unit for m in g] != shape for g in groups):
        return None
    if not any(_summable(m) for m in whole):
        return None
    return whole, groups, cue


def check_groups(ms: Sequence[Mention], done: set[tuple[int, ...]]) -> list[Finding]:
    out: list[Finding] = []
    for sentence in by_sentence(ms):
        if sentence[0].at < 0:
            continue
        found = _groups(sentence)
        if found is None:
            continue
        whole, groups, cue = found
        counts = [i for i, m in enumerate(whole) if m.unit == "count" and _summable(m)]
        complete = bool(counts) and all(
            sum((g[i].fact.value for g in groups), Decimal(0)) == whole[i].fact.value
            and P.half_unit(whole[i].fact) == 0 for i in counts)
        for i, w in enumerate(whole):
            parts = [g[i] for g in groups]
            if not _summable(w) or not all(_summable(p) for p in parts):
                continue
            ids = tuple(sorted(m.index for m in [w, *parts]))
            done.add(ids)
            finding = compare_parts(w, parts, complete=complete, cue=None if complete else cue)
            finding.extra["relation"] = "groups"
            out.append(finding)
    return out


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _named(m: Mention) -> str | None:
    """What a share names as its whole: 本年安排 in 占本年安排的70%."""
    at = m.lead.rfind("占")
    if at < 0:
        return None
    name = m.lead[at + 1:]
    for tail in ("的比重为", "的比重", "比重为", "比重", "的", "为"):
        if name.endswith(tail):
            name = name[: -len(tail)]
            break
    return name if len(name) >= 2 else None


def check_named_shares(ms: Sequence[Mention], seen: set[tuple[int, ...]]) -> list[Finding]:
    """占X的N%: the figure just before against the figure of the same sentence (back to the last ;)
    whose own words are X."""
    out: list[Finding] = []
    for sentence in by_sentence(ms):
        for k, m in enumerate(sentence):
            if m.unit != "%" or m.at < 0:
                continue
            name = _named(m)
            if name is None:
                continue
            before = [x for x in sentence[:k] if x.unit not in _RATE_UNITS]
            if not before:
                continue
            part = before[-1]
            stop = m.text.rfind(";", 0, part.at)
            whole = next((x for x in reversed(before[:-1]) if x.at > stop and x.unit == part.unit
                          and _subsequence(name, x.lead)), None)
            if whole is None or whole.fact.value == 0:
                continue
            ids = (m.index, part.index, whole.index)
            if ids in seen:
                continue
            seen.add(ids)
            refs = (FactRef.of(m.fact, "share"), FactRef.of(part.fact, "part"), FactRef.of(whole.fact, "whole"))
            common = dict(kind="rate", facts=refs, derived_unit="%", indicator=part.subject, region=m.fact.region,
                          period=m.fact.period)
            computed = part.fact.value / whole.fact.value * 100
            spread = P.interval(part.fact).divided(P.interval(whole.fact))
            spread = spread.scaled(Decimal(100)) if spread is not None else None
            finding = _rate_finding(m.fact, computed, spread, f"占{name}的比例", f"{part.fact.text}/{whole.fact.text}",
                                    common)
            finding.extra["relation"] = "completion"
            out.append(finding)
    return out


_JOINED = re.compile("、")
_SHORT_NAME = 10  # a list of names this short splits cleanly: a count that differs from it is worth a warning


def check_named_items(ms: Sequence[Mention]) -> list[Finding]:
    """甲、乙、丙3项: a small count right after the names it counts, joined by 、, no figure between.
    Equal: ok; different: a warning, and only for short names (a long name may hold a 、 of its own)."""
    words = rules()["named_items"]
    out: list[Finding] = []
    for m in ms:
        f = m.fact
        if m.unit != "count" or f.unit_text not in words["measure_words"] or not P.exact(f) or m.at < 0:
            continue
        if f.value != f.value.to_integral_value() or not 2 <= f.value <= 20 or len(m.phrase) > len(m.lead):
            continue
        if "、" not in m.phrase or find_word(m.phrase, words["open"]):
            continue
        names = [n for n in _JOINED.split(m.phrase) if n]
        if len(names) < 2:
            continue
        status = "ok" if len(names) == f.value else "warning"
        if status == "warning" and max(map(len, names)) > _SHORT_NAME:
            continue  # long names may hold a 、 of their own
        shown = "、".join(names)
        out.append(Finding(
            kind="sum", status=status, derived=Decimal(len(names)), derived_unit="count",
            facts=(FactRef.of(f, "count"),), indicator=f.indicator, region=f.region, period=f.period,
            extra={"relation": "named_items"},
            message_zh=f"{f.text}之前列出{len(names)}项（{shown}），"
                       + ("与数字一致" if status == "ok" else "与数字不一致（列举或有合并，仅作提示）"),
            message_en=f"{len(names)} items are named before {f.text} ({shown}): "
                       + ("they match the count" if status == "ok" else "they do not match it (a warning)")))
    return out
