"""Sums that no 其中 announces: parts listed before a total that says it is one (…，…，合计…), and a whole
named as a total (总产量, 总投资) with parts of the same head noun right after or before it.

    甲镇12亿元，乙镇8亿元，两镇合计20亿元          parts, then their total: they must add up to it
    粮食总产量60万吨，夏粮产量20万吨，秋粮产量40万吨   a 总 whole, then parts of its head (产量)
    夏粮产量20万吨，秋粮产量40万吨，粮食总产量60万吨   the same parts before it

A total word makes the parts exhaust the total: they must add up to it. Without one, figures of one head
noun after or before a 总 whole are taken as its parts only when they add up to it within printed precision
(corroborated); when they do not, nothing says they are its parts (蔬菜总产量 beside 水果产量 and 茶叶产量),
so nothing is reported: a list in one unit is no sum unless the report says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from zhibiao.checks import precision as P
from zhibiao.checks.context import Mention, by_sentence, find_word, head, label, rules
from zhibiao.checks.findings import Finding
from zhibiao.checks.sums import _parts_done, _same_kind, _summable, compare_parts
from zhibiao.periods import cn_int

_TOTAL_WORD = "总"  # 总产量, 总投资, 总产值: a name that says it is a whole


def _words() -> dict:
    return rules()["unmarked"]


def _how_many(m: Mention, word: str) -> int | None:
    """N of 两镇合计 / 三者合计: how many of the figures before the total it adds."""
    at = m.clause.rfind(word)
    found = re.search(r"([两二三四五六])[^\d,;:]{0,2}$", m.clause[:at]) if at > 0 else None
    return cn_int(found.group(1)) if found else None


def check_totals(ms: Sequence[Mention], done: set[tuple[int, ...]]) -> list[Finding]:
    """A figure after a total word (合计, 共计) against the figures of its unit before it in the sentence."""
    out: list[Finding] = []
    cues = rules()["parts_cues"]
    for sentence in by_sentence(ms):
        start = 0
        for k, m in enumerate(sentence):
            if m.at < 0 or not _summable(m):
                continue
            word = find_word(m.clause, _words()["total_words"])
            if word is None:
                continue
            head_text = m.text[:m.at]
            opened = max((head_text.rfind(c) for c in cues), default=-1)
            parts = [p for p in sentence[start:k] if p.at > opened and _summable(p) and p.unit == m.unit
                     and _same_kind(m, p)]
            n = _how_many(m, word)
            if n is not None:
                parts = parts[-n:] if len(parts) >= n else []
            start = k + 1
            if len(parts) < 2 or _parts_done(parts, done):
                continue
            done.add(tuple(sorted(x.index for x in [m, *parts])))
            finding = compare_parts(m, parts, complete=True, cue=None)
            finding.extra["relation"] = "total_after_parts"
            out.append(finding)
    return out


def _name(m: Mention) -> str:
    """What a figure's own clause calls it (轻工业产值), else its subject: the fact stage may give a part the
    indicator of its whole."""
    own = label(m)
    return own if len(own) >= 2 else (m.subject or "")


def _named_whole(m: Mention) -> bool:
    return _TOTAL_WORD in _name(m) and _summable(m) and head(_name(m)) is not None


def _part_of(whole: Mention, p: Mention) -> bool:
    name = _name(p)
    return (p.fact is not whole.fact and _summable(p) and p.unit == whole.unit and _same_kind(whole, p)
            and len(name) >= 2 and _TOTAL_WORD not in name and name != _name(whole)
            and head(name) == head(_name(whole)) and p.fact.period == whole.fact.period)


def _run(figures: Sequence[Mention], whole: Mention) -> list[Mention]:
    """The figures of `whole`'s unit that follow each other from the start of `figures`, each a part of it
    (figures of other units, a growth after each part, may stand between them)."""
    out: list[Mention] = []
    for p in figures:
        if p.unit != whole.unit:
            continue
        if not _part_of(whole, p) or any(_name(p) == _name(q) for q in out):
            break
        out.append(p)
    return out


def check_named_wholes(ms: Sequence[Mention], done: set[tuple[int, ...]]) -> list[Finding]:
    """A 总 whole and figures of its head noun right after or right before it that add up to it."""
    out: list[Finding] = []
    for sentence in by_sentence(ms):
        for k, whole in enumerate(sentence):
            if whole.at < 0 or not _named_whole(whole) or whole.fact.value == 0:
                continue
            after = _run(sentence[k + 1:], whole)
            before = list(reversed(_run(list(reversed(sentence[:k])), whole)))
            for parts, direction in ((after, "after"), (before, "before")):
                if len(parts) < 2 or _parts_done(parts, done):
                    continue
                if not P.interval(whole.fact).overlaps(P.sum_of(p.fact for p in parts)):
                    continue  # not said to be its parts, and not adding up: figures side by side (蔬菜, 水果)
                done.add(tuple(sorted(x.index for x in [whole, *parts])))
                finding = compare_parts(whole, parts, complete=True, cue=None)
                finding.extra["relation"] = f"parts_{direction}_whole"
                out.append(finding)
    return out
