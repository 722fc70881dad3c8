"""Figures and names given as lists: 分别 (the i-th figure is the i-th name's), names joined by 、 that share
their head word (工业、服务业投资), a rank shared by the figures before it (双双第一) or by the indicators
counted before it (3项指标均居全省第一), and a list of ranks each after its own name (规模第2、效益第3).
"""

from __future__ import annotations

import dataclasses
import re

from ..catalogue import Indicator, catalogue
from ..gazetteer import Region
from ..gazetteer import load as gazetteer
from ..model import Fact, Quantity
from . import phrases
from .context import FOLLOWERS, Figure
from .cues import cues, rx, rx_end

_HAN = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"\d")
_CLAUSE_MARK = re.compile(r"[，,；;。：:]")
_SENTENCE_PART = re.compile(r"[；;。]")
_DURATIONS = ("month", "year", "day")


def cue(fig: Figure, lo: int) -> int:
    """Where the last 分别 between `lo` and the figure stands, or -1."""
    return fig.text.rfind(cues()["respectively"], lo, fig.pos)


def listed_name(fig: Figure) -> tuple[str, bool] | None:
    """税收收入、非税收入分别完成6.3亿元和2.1亿元: the i-th figure after 分别 is the i-th name's; the name,
    and whether it is the catalogue's."""
    at = cue(fig, fig.clause_lo)
    if at == -1:
        return None
    run = [o for o in fig.others if o.span.start > at and fig.measure_of(o) == fig.measure]
    index = next((i for i, o in enumerate(run) if o is fig.q), None)
    if index is None:
        return None
    shared = places_share(fig.text, fig.clause_lo, at)
    if shared is not None:
        entry = phrases.name_in(shared)
        return (entry[0].name, True) if entry else (phrases.strip(shared), False)
    names = coordinated(fig.text, fig.clause_lo, at)
    if len(names) == len(run):
        return names[index].name, True
    heads = shared_head(fig.text, fig.clause_lo, at)
    return (heads[index], False) if len(heads) == len(run) else None


def places_share(text: str, lo: int, hi: int) -> str | None:
    """甲县、乙县城镇居民人均可支配收入分别增长…: a list of places that share one indicator, written after the
    last place; the words of that indicator, None unless every item but the last is a place (one the gazetteer
    knows, or a short name ending in a place word such as 县) and the last starts with one."""
    listed = _places_list(text, lo, hi)
    return listed[1] if listed else None


def _places_list(text: str, lo: int, hi: int) -> tuple[list[str], str] | None:
    """places_share: the places of the list, in order, and the words of the indicator after the last."""
    pieces = phrases.MARKS.sub("", text[lo:hi]).split("、")
    if len(pieces) < 2:
        return None
    for piece in pieces[:-1]:
        known = gazetteer().prefix(piece) == len(piece)
        if not known and not _unknown_place(piece):
            return None
    last = pieces[-1]
    ends = cues()["place_words"]
    n = gazetteer().prefix(last)
    if n and last[n:n + 1] in ends:
        n += 1  # 白沙镇: a short form of another unit (白沙) and a place word
    if n == 0:
        # an unknown place: up to its first place word (乙县城镇居民…: 乙县), at most four characters
        n = next((i + 1 for i in range(1, min(4, len(last) - 2)) if last[i] in ends), 0)
        n = n if _unknown_place(last[:n]) else 0
    rest = last[n:]
    if not n or len(rest) < 2 or phrases.empty(rest):
        return None
    return pieces[:-1] + [last[:n]], rest


def _unknown_place(s: str) -> bool:
    """甲县, 东湖镇: a short name ending in a place word, no word for a kind of area (城镇, 农村) or the whole area."""
    return 2 <= len(s) <= 4 and all(_HAN.fullmatch(c) for c in s) and s[-1] in cues()["place_words"] \
        and s not in cues()["area_kinds"] and s not in cues()["whole_area"]


def unknown_place(fig: Figure) -> Region | None:
    """甲县、乙县城镇居民收入分别增长5.1%和4.8%, places the gazetteer does not know: the i-th figure after 分别
    is the i-th place's, a region of the text's own words (as a hint the gazetteer does not know). None when
    the gazetteer knows one of them (respective_region reads those) or the figures do not pair with them."""
    at = cue(fig, fig.clause_lo)
    if at == -1:
        return None
    listed = _places_list(fig.text, fig.clause_lo, at)
    if listed is None or any(gazetteer().prefix(p) == len(p) for p in listed[0]):
        return None
    run = [o for o in fig.others if o.span.start > at and fig.measure_of(o) == fig.measure]
    index = next((i for i, o in enumerate(run) if o is fig.q), None)
    if index is None or len(run) != len(listed[0]):
        return None
    principal = fig.ctx.principal
    return Region(code="", name=listed[0][index], short=(), level="county",
                  parent_code=principal.code if principal and principal.code else None)


def shared_head(text: str, lo: int, hi: int) -> list[str]:
    """造纸业、家具制造业、通用设备制造业增加值分别增长…: the items of a list share the head word (增加值) the
    last one ends with; each item is a qualifier of it, named in the text's words. [] unless the last item
    ends in a head word after a qualifier of its own and every item is a word of its own."""
    pieces = phrases.MARKS.sub("", text[lo:hi]).split("、")
    if len(pieces) < 2:
        return []
    last = phrases.strip(pieces[-1])
    head = rx_end("subject_heads").search(last)
    if head is None or head.start() < 2:
        return []
    names = []
    for piece in pieces[:-1]:
        piece = phrases.strip(piece) if len(piece) > 2 else piece
        if len(piece) < 2 or not _HAN.fullmatch(piece[-1]) or _DIGIT.search(piece):
            return []
        names.append(piece if rx_end("subject_heads").search(piece) else piece + head.group())
    return names + [last]


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
    # 甲、乙分别达到X、Y，增长P、Q: the levels after 分别 are the ones the rates pair with, in order
    named = [p for p in fig.prev if p.span.start > raw_at and p.measure not in FOLLOWERS]
    if len(named) != len(run) or len({p.unit for p in named}) > 1 \
            or (run and _SENTENCE_PART.search(fig.text, at, run[0].span.start)):
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
    counted = counted_rank(fig, fact)
    if counted is not None:
        return counted
    text, q = fig.text, fig.q
    lead = text[max(0, q.span.start - 8):q.span.start]
    if not rx("shared_rank").search(lead):
        return []
    growth_only = _growth_only(fig)
    named: list[str] = []
    for p in reversed(fig.prev):
        if p.measure == "rank" or p.indicator is None:
            break
        if growth_only and p.measure != "growth":
            continue
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


def _before(fig: Figure) -> Quantity | None:
    """The quantity right before the figure in its sentence, if any."""
    k = next((i for i, o in enumerate(fig.others) if o is fig.q), 0)
    return fig.others[k - 1] if k > 0 else None


def _unframed(s: str) -> str:
    """The words of a rank's item without its verbs and scope (位居全国…, …跃居全省), quotes and edges."""
    frame = rx("rank_frame")
    s = _stripped(phrases.MARKS.sub("", s))  # 应县位居…: the subject's region and time first
    for _ in range(4):
        before = s
        m = frame.match(s)
        if m:
            s = s[m.end():]
        m = rx_end("rank_frame").search(s)
        if m and m.start() > 0:
            rest = s[:m.start()]
            if not m.group().startswith("排") or catalogue().get(rest) is not None:
                s = rest
        if s == before:
            break
    return _stripped(s)


def _stripped(s: str) -> str:
    """phrases.strip, but 排名 after no catalogue name stays: it names a ranking (综合排名)."""
    if len(s) <= 2:
        return s
    cut = phrases.strip(s)
    if cut and s.startswith("排名", s.rfind(cut) + len(cut)) and catalogue().get(cut) is None \
            and cut not in cues()["growth_words"] and cut not in cues()["back_heads"]:
        cut += "排名"
    return cut


def rank_item(fig: Figure) -> str | None:
    """科技创新第6、工业百强第7 / “创新指数”跃居全省第二 / 跻身旅游业全国10强: a rank whose own 、-item names
    a thing before it ranks that thing (its verb and scope cut off). None when the item names nothing of its
    own (增长7%，居全省第一: the figure's before it), a growth word only (增速居全省第一) or a rank shared by
    several (均居, 双双: shared_rank)."""
    if fig.measure != "rank":
        return None
    text, pos = fig.text, fig.pos
    lo = max(fig.clause_lo, text.rfind("、", fig.clause_lo, pos) + 1)
    last = _before(fig)
    hi = pos
    if last is not None and lo < last.span.end <= pos:
        run_on = rx_end("rank_run_on").search(text, lo, last.span.start) if last.unit in _DURATIONS else None
        if run_on is not None and not _CLAUSE_MARK.search(text, last.span.end, pos):
            hi = run_on.start()  # 出口增速连续5个月全省第一: the span it lasted is no name
        else:
            lo = last.span.end
    piece = text[lo:hi]
    if rx("shared_rank").search(piece):
        return None
    name = _unframed(piece)
    measured = next((p for p in reversed(fig.prev) if p.measure != "rank"), None)
    if name in cues()["growth_words"] and measured is not None and measured.indicator:
        # 总量全市第二、增速全市第一: the rank of the growth of what the figure before measures
        before = measured.indicator
        return before if rx_end("growth_words").search(before) else before + name
    if len(name) < 2 or not _HAN.search(name) or name in cues()["growth_words"] or name in cues()["back_heads"] \
            or name.endswith("的") or phrases.empty(name):
        return None
    entry = catalogue().get(name)
    if entry is None or (entry.name.startswith(name) and entry.name != name):
        return name  # 服务业全国10强: a sector is ranked, not its value added (服务业增加值)
    return entry.name


def counted_rank(fig: Figure, fact: Fact) -> list[Fact] | None:
    """甲、乙、丙3项指标增速均居全省第一: the rank is each listed indicator's (their 增速 when a growth word
    stands between); 丁业5项指标保持全市第一 with no list: the rank of 丁业指标. The count's own indicator
    is the noun it counts (指标). None when the rank follows no count of indicators."""
    c = _before(fig)
    if c is None or c.unit != "count" or c.span.start < fig.clause_lo or c.value != int(c.value) \
            or not fig.prev or fig.prev[-1].unit != "count":
        return None
    text, q = fig.text, fig.q
    noun = rx("indicator_nouns").match(text, c.span.end)
    if noun is None or _CLAUSE_MARK.search(text, noun.end(), q.span.start):
        return None
    growth = "增速" if rx("growth_words").search(text, noun.end(), q.span.start) else ""
    pieces = [phrases.strip(p) if len(p) > 2 else p
              for p in phrases.MARKS.sub("", text[fig.clause_lo:c.span.start]).split("、")]
    if len(pieces) == int(c.value) > 1 and all(len(p) >= 2 for p in pieces):
        names = [p + growth for p in pieces]
    elif len(pieces) == 1 and len(pieces[0]) >= 2 and _HAN.search(pieces[0]):
        names = [pieces[0] + noun.group()]
    else:
        return None
    count = fig.prev[-1]
    if count.indicator and count.indicator != noun.group() and count.indicator.startswith(noun.group()):
        count.indicator, count.how = noun.group(), {**count.how, "indicator": "counted_rank"}
    how = {**fact.how, "indicator": "counted_rank"}
    fact.indicator, fact.how = names[0], how
    return [dataclasses.replace(fact, indicator=name, how=how, extra={}) for name in names[1:]]


def _growth_only(fig: Figure) -> bool:
    """…增长6%，工业增加值增长9%，增速均居全省第一: between the last figure and the rank only a growth word
    (and the rank's verb and scope): the rank is of the growth rates, not of the levels."""
    last = _before(fig)
    if last is None:
        return False
    words = _CLAUSE_MARK.sub("", fig.text[last.span.end:fig.pos])
    words = rx("shared_rank").sub("", words)
    return _unframed(words) in cues()["growth_words"]
