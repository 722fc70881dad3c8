"""Figures and names given as lists: 分别 (the i-th figure is the i-th name's), names joined by 、 that share
their head word (工业、服务业投资), and a rank shared by the figures before it (双双第一).
"""

from __future__ import annotations

import dataclasses
import re

from ..catalogue import Indicator, catalogue
from ..gazetteer import Region
from ..model import Fact
from . import phrases
from .context import FOLLOWERS, Figure
from .cues import cues, rx, rx_end


def cue(fig: Figure, lo: int) -> int:
    """Where the last 分别 between `lo` and the figure stands, or -1."""
    return fig.text.rfind(cues()["respectively"], lo, fig.pos)


def listed_name(fig: Figure) -> Indicator | None:
    """税收收入、非税收入分别完成6.3亿元和2.1亿元: the i-th figure after 分别 is the i-th name's."""
    at = cue(fig, fig.clause_lo)
    if at == -1:
        return None
    run = [o for o in fig.others if o.span.start > at and fig.measure_of(o) == fig.measure]
    index = next((i for i, o in enumerate(run) if o is fig.q), None)
    names = coordinated(fig.text, fig.clause_lo, at)
    if index is None or len(names) != len(run):
        return None
    return names[index]


def coordinated(text: str, lo: int, hi: int) -> list[Indicator]:
    """税收收入、非税收入 / 工业、服务业投资增速: the indicators of a list of names before a
    figure, the ones that share their head word (投资) completed by it; [] unless every name is known."""
    pieces = phrases.MARKS.sub("", text[lo:hi]).split("、")
    if len(pieces) < 2:
        return []
    last = phrases.name_in(pieces[-1])
    if last is None:
        return []
    names = []
    for piece in pieces[:-1]:
        piece = phrases.strip(piece) if len(piece) > 1 else piece
        entry = catalogue().get(piece)
        if entry is None:
            words = last[1]
            entry = next((e for k in range(1, len(words)) if (e := catalogue().get(piece + words[k:]))), None)
        if entry is None:
            return []
        names.append(entry)
    return names + [last[0]]


def respective_fact(fig: Figure) -> Fact | None:
    """分别增长4.9%和7.1% after two figures: the i-th rate is about the i-th figure named before 分别."""
    at = cue(fig, fig.s)
    if at == -1:
        return None
    q = fig.q
    run = [o for o in fig.others if o.span.start > at and o.unit == q.unit and fig.measure_of(o) == fig.measure]
    raw_at = fig.ctx.model.cleaned.index[at]  # the facts before it are in raw offsets, in the same order
    named = [p for p in fig.prev if p.span.start < raw_at and p.measure not in FOLLOWERS]
    if len(run) < 2 or len(named) < len(run):
        return None
    index = next((i for i, o in enumerate(run) if o is q), None)
    return None if index is None else named[len(named) - len(run) + index]


def respective_region(fig: Figure, named: list[tuple[int, Region]]) -> Region | None:
    """石家庄市、唐山市生产总值分别突破7500亿元和9000亿元: the i-th figure after 分别 is the i-th region's.
    `named`: the regions named in the sentence before the figure (offset from the sentence start, region)."""
    at = cue(fig, fig.s)
    if at == -1:
        return None
    listed = [r for off, r in sorted(named, key=lambda n: n[0]) if fig.s + off < at]
    run = [o for o in fig.others if at < o.span.start]
    index = next((i for i, o in enumerate(run) if o.span.start == fig.pos), None)
    if index is None or len(listed) < 2 or len(run) != len(listed):
        return None
    return listed[index]


def urban_rural(fig: Figure, indicator: str) -> str:
    """城乡居民收入分别为X元和Y元: the first figure is the towns' (城镇), the second the villages' (农村)."""
    at = cue(fig, fig.s)
    if at == -1:
        return indicator
    raw_at = fig.ctx.model.cleaned.index[at]
    index = sum(1 for p in fig.prev if p.measure == fig.measure and p.span.start > raw_at)
    if index > 1:
        return indicator
    part = "城镇" if index == 0 else "农村"
    name = indicator.replace("城乡", part) if "城乡" in indicator else \
        re.sub(r"^(?:城镇|农村|全体)?居民", part + "居民", indicator)
    entry = catalogue().get(name) or catalogue().get(name.replace("收入", "人均可支配收入"))
    return entry.name if entry else name


def shared_rank(fig: Figure, fact: Fact) -> list[Fact]:
    """双双第一 / 均居全省第一: one fact per figure the rank speaks of, each on the same span; the first
    is `fact` itself (its indicator set here), the others are returned.

    The figures are those of the sentence since the last rank; a growth rate's rank is the rank of the
    indicator's 增速 (a level and its growth rate ranked 双双第二 are two facts)."""
    if fact.measure != "rank":
        return []
    text, q = fig.text, fig.q
    lead = text[max(0, q.span.start - 8):q.span.start]
    if not rx("shared_rank").search(lead):
        return []
    named: list[str] = []
    for p in reversed(fig.prev):
        if p.measure == "rank" or p.indicator is None:
            break
        name = p.indicator
        if p.measure == "growth" and not rx_end("measure_words").search(name):
            name += "增速"
        if name not in named:
            named.append(name)
    named.reverse()  # text order: the first figure named takes the rank's own fact
    how = "shared_rank"
    if not named:
        # 工业、服务业投资增速均居全市首位: the names listed before the rank, with no figures of their own
        growth = bool(re.search("增速|增幅|增长", lead + text[fig.clause_lo:q.span.start]))
        named = [e.name + ("增速" if growth else "") for e in coordinated(text, fig.clause_lo, q.span.start)]
        how = "shared_rank_listed"
    own = named.pop(0) if named else None
    if own:
        fact.indicator = own
        fact.how = {**fact.how, "indicator": how}
    return [dataclasses.replace(fact, indicator=name, how={**fact.how, "indicator": how}, extra={})
            for name in named]
