"""Parts against their whole: a total and its 其中 parts, and the identities of checks.yaml (三次产业 → 地区生产总值)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from zhibiao.checks import precision as P
from zhibiao.checks.context import Mention, by_sentence, head, rules
from zhibiao.checks.findings import FactRef, Finding

SUMMABLE_MEASURES = ("level", "change", "target")
_NOT_SUMMABLE_UNITS = ("%", "pp", "rank", "x")


def _summable(m: Mention) -> bool:
    # an average or a per-head figure (亩产, 人均收入) adds up to nothing
    averaged = any(w in (m.fact.indicator or "") for w in rules()["not_additive"])
    return (m.unit not in _NOT_SUMMABLE_UNITS and m.measure in SUMMABLE_MEASURES and m.fact.qualifier != "range"
            and not averaged)


def _same_kind(whole: Mention, part: Mention) -> bool:
    """Whether `part` can be a part of `whole`: the same measure (a plan's total may hold results), and for
    counts the same measure word (326个 项目 hold no 2860张 cards)."""
    plan_or_result = {whole.measure, part.measure} <= {"level", "target"}
    if whole.measure != part.measure and not plan_or_result:
        return False
    return whole.unit != "count" or whole.fact.unit_text == part.fact.unit_text


def check_parts(ms: Sequence[Mention], done: set[tuple[int, ...]] | None = None) -> list[Finding]:
    """A total and the parts that follow 其中 (包括 …) in the same sentence.

    The mention indices of each set checked are added to `done`.
    """
    out: list[Finding] = []
    cues = rules()["parts_cues"]
    sentences = by_sentence(ms)
    for si, sentence in enumerate(sentences):
        text = sentence[0].text
        starts = sorted({i for cue in cues for i in _all(text, cue)})
        for k, cue_at in enumerate(starts):
            stop = starts[k + 1] if k + 1 < len(starts) else len(text) + 1
            after = [m for m in sentence if cue_at <= m.at < stop and _summable(m)]
            if not after:
                continue
            first = after[0]
            whole = _whole_before(sentence, cue_at, first)
            if whole is None and cue_at <= 2:
                whole = whole_in_sentences_before(sentences, si, first)
            if whole is None:
                continue
            parts = [m for m in after if m.unit == whole.unit and _same_kind(whole, m)]
            if parts:
                ids = tuple(sorted(m.index for m in [whole, *parts]))
                if done is not None and _parts_done(parts, done):
                    continue  # already checked as the groups of a whole
                if done is not None:
                    done.add(ids)
                complete = _complete(whole, parts) or (len(parts) > 1 and bool(parts[-1].before(rules()["rest_words"])))
                out.append(compare_parts(whole, parts, complete=complete, cue=cue_text(text, cue_at)))
    return out


def cue_text(text: str, at: int) -> str:
    for cue in rules()["parts_cues"]:
        if text.startswith(cue, at):
            return cue
    return rules()["parts_cues"][0]


def _all(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def _whole_before(sentence: Sequence[Mention], pos: int, first: Mention) -> Mention | None:
    """The nearest figure before `pos` that can be a whole of `first`: a summable figure in the same unit,
    whose head noun is that of `first` when both name one (渔业产值 stands under 总产值, not under 增加值).

    The measure is not compared: a plan's total and its parts are often told apart as target and level.
    """
    part_head = head(first.subject)
    for m in reversed(sentence):
        if 0 <= m.at < pos and m.fact is not first.fact and m.unit == first.unit and _summable(m) \
                and _same_kind(m, first):
            whole_head = head(m.subject)
            if part_head and whole_head and whole_head != part_head:
                continue
            return m
    return None


_SENTENCES_BACK = 3  # 其中 opening a sentence refers to the total of one of the few sentences before it


def whole_in_sentences_before(sentences: Sequence[Sequence[Mention]], si: int, first: Mention) -> Mention | None:
    """The whole of parts listed in a sentence that opens with 其中: in the sentence before, or further
    back over sentences that hold rates only (a sentence of rates between a total and
    its parts: 县属企业营收…亿元；对全县增长的贡献…%。其中：甲类…亿元)."""
    for back in range(1, _SENTENCES_BACK + 1):
        if si - back < 0:
            return None
        sentence = sentences[si - back]
        whole = _whole_before(sentence, 10**9, first)
        if whole is not None:
            return whole
        if any(_summable(m) for m in sentence):
            return None  # a sentence of other totals: the 其中 is about them
    return None


def _complete(whole: Mention, parts: Sequence[Mention]) -> bool:
    """True when checks.yaml says these parts exhaust this whole (三次产业 of 地区生产总值)."""
    named = {p.subject for p in parts}
    heads = {head(p.subject) for p in parts}
    for d in rules()["decompositions"]:
        if d["complete"] and len(parts) == len(d["parts"]) and all(named & set(group) for group in d["parts"]):
            # the 三次产业 exhaust any value added: GDP, and the 民营经济增加值 whose parts they are too
            if whole.subject in d["whole"] or (len(heads) == 1 and head(whole.subject) in heads - {None}):
                return True
    return False


def check_identities(ms: Sequence[Mention], done: set[tuple[int, ...]]) -> list[Finding]:
    """The identities of checks.yaml anywhere in one document: a whole and its named parts, first mention each.

    Figures are matched by subject (catalogue name), unit, measure, region and period; a set of figures
    already checked as 其中 parts (`done`, by mention index) is not checked twice.
    """
    out: list[Finding] = []
    firsts: dict[tuple, Mention] = {}
    for m in ms:
        if m.subject and _summable(m):
            key = (m.subject, m.unit, m.measure, m.fact.region, m.fact.period, m.fact.entity)
            firsts.setdefault(key, m)
    for d in rules()["decompositions"]:
        for (subject, unit, measure, region, period, entity), whole in list(firsts.items()):
            if subject not in d["whole"]:
                continue
            parts = []
            for group in d["parts"]:
                found = next((firsts[k] for k in ((n, unit, measure, region, period, entity) for n in group)
                              if k in firsts), None)
                if found is not None:
                    parts.append(found)
            complete = d["complete"] and len(parts) == len(d["parts"])
            if not complete and len(parts) < 2:
                continue
            ids = tuple(sorted(m.index for m in [whole, *parts]))
            if ids in done or _parts_done(parts, done):
                continue
            done.add(ids)
            out.append(compare_parts(whole, parts, complete=complete, cue=None))
    return out


def _parts_done(parts: Sequence[Mention], done: set[tuple[int, ...]]) -> bool:
    # the same parts already checked under another mention of their whole (a headline and its paragraph)
    ids = {m.index for m in parts}
    return any(ids <= set(d) for d in done)


def compare_parts(whole: Mention, parts: Sequence[Mention], *, complete: bool, cue: str | None) -> Finding:
    """The finding for `parts` against `whole`: equal when complete, else at most the whole."""
    w = whole.fact
    total = sum((p.fact.value for p in parts), Decimal(0))
    spread = P.sum_of(p.fact for p in parts)
    own = P.interval(w)
    refs = (FactRef.of(w, "whole"), *(FactRef.of(p.fact, "part") for p in parts))
    shown_parts = "+".join(p.fact.text for p in parts)
    total_s = P.display(total, w)
    half = own.half
    prec = f"±{P.display(half, w)}" if half is not None else "—"
    too_big = [p for p in parts if own.hi is not None and P.interval(p.fact).lo is not None
               and P.interval(p.fact).lo > own.hi]
    common = dict(kind="sum", facts=refs, derived=total, derived_unit=w.unit, indicator=whole.subject,
                  region=w.region, period=w.period)
    if too_big:
        p = too_big[0].fact
        return Finding(status="conflict", tolerance=half,
                       message_zh=f"部分{p.text}大于总数{w.text}（{w.text}按印刷精度{prec}）",
                       message_en=f"the part {p.text} is larger than its whole {w.text} "
                                  f"(printed precision of the whole {prec})", **common)
    if complete:
        status, tol = P.judge(w, total, spread)
        tol_s = "—" if tol is None else f"±{P.display(tol, w)}"
        zh = {"ok": "一致", "rounding": "在四舍五入误差内一致", "conflict": "不一致"}[status]
        en = {"ok": "equals", "rounding": "agrees within rounding with", "conflict": "does not match"}[status]
        return Finding(status=status, tolerance=tol,
                       message_zh=f"各部分之和{shown_parts}={total_s}，与总数{w.text}{zh}（按印刷精度，容差{tol_s}）",
                       message_en=f"the parts {shown_parts} sum to {total_s}, which {en} the whole {w.text} "
                                  f"(tolerance from printed precision {tol_s})", **common)
    lead = f"“{cue}”后的" if cue else ""
    lead_en = f"after “{cue}” " if cue else ""
    if spread.lo is not None and own.hi is not None and spread.lo > own.hi:
        return Finding(status="warning", tolerance=half,
                       message_zh=f"{lead}各部分之和{total_s}超过总数{w.text}：部分可能重叠，或数字有误",
                       message_en=f"the parts {lead_en}sum to {total_s}, more than the whole {w.text}: "
                                  f"they overlap or a figure is wrong", **common)
    status = "ok" if total <= w.value else "rounding"
    share = (total / w.value * 100).quantize(Decimal("0.1")) if w.value else None
    share_s = f"（占{share}%）" if share is not None else ""
    share_en = f" ({share}%)" if share is not None else ""
    return Finding(status=status, tolerance=half,
                   message_zh=f"{lead}各部分之和{shown_parts}={total_s}{share_s}不超过总数{w.text}（非全部构成，只校验不超出；"
                              f"按印刷精度{prec}）",
                   message_en=f"the parts {lead_en}{shown_parts} sum to {total_s}{share_en}, within the whole {w.text} "
                              f"(not exhaustive, so only checked not to exceed it; printed precision {prec})",
                   **common)
