"""The project, company or body a figure describes, and the attributes that figures of one give.

A figure inside a project's name (3GW电池片项目) is its capacity; a figure said of a named project (总投资,
占地面积) holds whenever it is told, so it has no period of its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import takewhile

from ..model import Fact, Quantity
from . import phrases
from .context import Figure
from .cues import cues, rx

_NOT_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")
# How far before a figure its project or company is looked for. Without a bound each figure scanned its whole
# sentence, and a text without sentence ends (pasted from a page, figures apart by spaces) took quadratic time:
# 60 KB in 53 s (issue 19). Report sentences are far shorter than this.
_BEFORE = 400
_AFTER = 64  # past the figure: a name that holds it (40 characters at most, then its head word)


# the characters of a name: Han letters, digits, Latin and a few joiners
_NAME_CHARS = r"\u4e00-\u9fffA-Za-z0-9×.·“”\"\-"


@functools.cache
def _heads_rx() -> re.Pattern:
    """The head words that end a name (项目, 有限公司 …), longest first."""
    return re.compile("|".join(re.escape(w) for w in sorted(cues()["entity_heads"], key=len, reverse=True)))


@functools.cache
def _entity_rx() -> re.Pattern:
    # a name: 2 to 40 name characters, as few as will do, and a head word
    return re.compile(f"[{_NAME_CHARS}]{{2,40}}?(?:{_heads_rx().pattern})")


@functools.cache
def _past_breaks() -> re.Pattern:
    """Everything up to and with the last character that is no name character."""
    return re.compile(f"(?:[{_NAME_CHARS}]*[^{_NAME_CHARS}])*")


def _matches(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The spans of _entity_rx().finditer(text, lo, hi), found from the head words (issue 17): the pattern tries
    up to 40 lengths and every head word at each character, and most sentences have no head word at all.

    Say no name starts before p. A name from p on ends in a head word starting at p + 2 or later, so the next
    name ends in the first such head word h (with the first head word that matches there, as in the pattern)
    if any name can: it starts where the name characters running up to h start, but not before h.start() - 40
    nor p, and has 2 of them at least. With fewer, no name reaches h, and the next starts there or later.
    """
    p = lo
    while (h := _heads_rx().search(text, p + 2, hi)) is not None:
        start = _past_breaks().match(text, max(p, h.start() - 40), h.start()).end()
        if h.start() - start >= 2:
            yield start, h.end()
            p = h.end()
        else:
            p = start


@functools.cache
def _group() -> re.Pattern:
    """A number and a measure word: a group of things (3个项目, 三大类工程)."""
    words = "|".join(re.escape(w) for w in cues()["group_words"])
    return re.compile(r"(?:\d+|[一二两三四五六七八九十百千几多]+)(?:" + words + ")")


@dataclass(frozen=True, slots=True)
class Name:
    """A match of the name pattern in a sentence: where it is, the name proper (None: no name, see _trim) and
    whether a count of things follows it (核准储能项目4个)."""

    start: int
    end: int
    name: str | None
    counted: bool


def sentence_names(text: str, s: int, e: int) -> tuple[Name, ...] | None:
    """The name pattern's matches over the sentence text[s:e], read once for all its figures (DocModel.per_sentence);
    None for a sentence longer than a figure's window, whose figures each read their own window (issue 19)."""
    if e - s > _BEFORE + _AFTER:
        return None
    return tuple(_name(text, a, b) for a, b in _matches(text, s, e))


def _name(text: str, start: int, end: int) -> Name:
    name = _trim(text[start:end])
    return Name(start, end, name, name is not None and _group().match(text, end) is not None)


def entity_at(text: str, lo: int, hi: int, q: Quantity,
              names: tuple[Name, ...] | None = None) -> tuple[str | None, bool]:
    """The project or company in text[lo:hi] a figure belongs to, and whether the figure is in its name.

    `names` are the sentence's (sentence_names(text, lo, hi)), when it was read whole.
    """
    best = None
    if q.span.start - _BEFORE > lo:
        names = None  # the figure's window starts after its sentence: the sentence's matches may not be its
    lo, hi = max(lo, q.span.start - _BEFORE), min(hi, q.span.end + _AFTER)
    for n in _names_before(text, lo, hi, q, names):
        if n.name is None:
            continue
        if n.end - len(n.name) <= q.span.start and q.span.end <= n.end:
            return n.name, True
        if n.counted:
            continue  # 核准储能项目4个: a kind of thing being counted, not one of them
        if n.end <= q.span.start:
            best = n.name
    if best is None and text.startswith("的", q.span.end):
        # 总投资9.6亿元的滨河公园项目: the project named right after its figure
        m = _entity_rx().match(text, q.span.end + 1, hi)
        if m:
            best = _trim(m.group())
    return best, False


def _names_before(text: str, lo: int, hi: int, q: Quantity, names: tuple[Name, ...] | None) -> Iterable[Name]:
    """The matches of the name pattern in the figure's window text[lo:hi] that start at or before the figure (a
    later one can neither hold it nor precede it). `names`: the sentence's, when its window starts with it.

    The sentence's matches are the window's when none of those starting by the figure runs past the window's
    end: the pattern has no anchors nor look-arounds, so a scan that stops earlier finds the same matches up to
    the first one that would run past where it stops.
    """
    if names is not None:
        before = [n for n in names if n.start <= q.span.start]
        if not before or before[-1].end <= hi:  # matches in order: the last ends last
            return before
    return (_name(text, a, b) for a, b in takewhile(lambda m: m[0] <= q.span.start, _matches(text, lo, hi)))


@functools.lru_cache(maxsize=8192)  # a name is at most 40 characters and its head word
def _trim(name: str) -> str | None:
    """The name proper, or None when the words only describe a kind of thing (重点工程, 215个项目)."""
    # the name starts after the verb or function word that introduces it (建设…项目, 投产的…工厂)
    cut = 0
    for m in rx("entity_lead").finditer(name):
        if m.end() < len(name) - 2:
            cut = m.end()
    name = name[cut:].strip("“”\"")
    if _group().search(name):
        return None  # 3个项目, 三大类工程: a group of things, not one
    core = rx("entity_heads").sub("", name)
    core = rx("entity_generic").sub("", core)
    return name if len(_NOT_WORD.sub("", core)) >= 2 else None


def attribute_in_name(q: Quantity, entity: str, after: str = "") -> str | None:
    """The attribute a number in a project's name gives: its capacity (3GW电池片项目, 2×66万千瓦机组)."""
    if q.unit == "W":
        power = any(w in entity or w in after for w in cues()["power_plant"])
        # 20MW分布式项目: no product between the power and the project's head word, so it is the plant's own
        bare = entity and not rx("entity_heads").sub("", rx("entity_generic").sub("", after)).strip()
        return "装机容量" if power or bare else "产能"
    if q.unit in ("t", "m3"):
        return "产能"
    return None


def undated_attribute(fig: Figure, indicator: str | None, entity: str | None) -> bool:
    """Whether a figure is a project's or company's attribute, which holds whenever it is told (总投资,
    占地面积 of a named project or of 该项目); a change, a target or a completion of it is dated as usual."""
    if fig.measure in ("target", "change", "growth", "completion"):
        return False  # a completion of a plan (占年计划投资的60%) is the progress to date, never a size
    if _of_projects(fig.prev) and _dated(fig, fig.s, fig.pos):
        return False  # 2024年重点项目共120项，总投资…: the sum of a year's list, dated like the list
    if (entity is not None or rx("this_entity").search(fig.text, fig.s, fig.pos)) and phrases.is_attribute(indicator):
        return True
    return indicator in cues()["project_only"]


def _of_projects(prev: list[Fact]) -> bool:
    """新落地项目9个，总投资21.7亿元: after a count of projects, 总投资 is their sum, dated like the count
    when the sentence states a time (the projects of an event or a year's list)."""
    return bool(prev) and prev[-1].unit == "count" and "项目" in (prev[-1].indicator or "")


def _dated(fig: Figure, lo: int, hi: int) -> bool:
    """Whether a time word (not a comparison base) stands in text[lo:hi]."""
    return any(not m.comparison and m.period for m in fig.ctx.model.times_in(lo, hi))
