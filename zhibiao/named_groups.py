"""Counts of named groups: N大 + noun (三大产业, 两大基地) when exactly N names stand beside it.

    group := name (sep name){N-1} [等] N 大 noun          甲、乙和丙三大基地
           | N 大 noun (：|（) name (sep name){N-1}         三大基地：甲、乙、丙

N大 alone is as often a slogan (打造三大基地) or a title (二十大) as a count; the names beside it, as many
as N says, are what makes it a figure of the text. The words (the 大, the separators, what opens the
names after the noun) are in lexicons/quantities.yaml, `named_groups`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from . import lexicon
from .model import Quantity
from .numbers import read

_MAX_NAME = 15     # a name of a list item is short; a longer piece is a clause, not one name
_MAX_BEFORE = 60   # the names before N大 stand in its clause, within this many characters
_MAX_NOUN = 10
_CLAUSE_MARKS = "，,。；;：:！!？?\n（）()"
_QUOTES = re.compile(r"[“”‘’\"《》「」]")  # 甲”、“乙: the marks around a name are no part of it
_SMALL = "两二三四五六七八九十"  # N of a named group: two to about twenty


@dataclass(frozen=True, slots=True)
class Group:
    """A count of named things: the span of N大 (the figure as printed) and N."""

    start: int
    end: int
    value: Decimal
    number: str


@dataclass(frozen=True, slots=True)
class _Words:
    mark: str
    sep: re.Pattern
    list_end: tuple[str, ...]
    opens_after: frozenset[str]


_NUMERAL = re.compile(rf"(?:[1-9][0-9]?|[{_SMALL}]{{1,3}})$")  # N, ending right before 大
_N_LAST = frozenset(f"0123456789{_SMALL}")
_NOT_BEFORE = frozenset(f"0123456789{_SMALL}一零〇百千万第")  # 第二大, 二十大: N is part of a longer word
_NOUN = re.compile(rf"[\u4e00-\u9fff]{{1,{_MAX_NOUN}}}")


@functools.cache
def _words() -> _Words:
    w = lexicon.load("quantities")["named_groups"]
    seps = sorted(w["separators"], key=len, reverse=True)
    return _Words(w["mark"], re.compile("|".join(re.escape(s) for s in seps)), tuple(w["list_end"]),
                  frozenset(w["opens_after"]))


def find(text: str) -> list[Group]:
    """Every named group in text, in order. The scan goes from 大 to 大 (a plain string search) and looks at
    the few characters around each: linear in the text, and cheap beside the quantity scan."""
    w = _words()
    out = []
    k = text.find(w.mark)
    while k >= 0:
        group = _at(text, k, w)
        if group is not None:
            out.append(group)
        k = text.find(w.mark, k + 1)
    return out


def _at(text: str, k: int, w: _Words) -> Group | None:
    """The named group whose 大 stands at k, if N stands before it and its N names beside it."""
    if not k or text[k - 1] not in _N_LAST:
        return None  # 重大, 扩大: most 大 of a text follow no numeral
    m = _NUMERAL.search(text, max(0, k - 3), k)
    noun = _NOUN.match(text, k + 1)
    if m is None or noun is None:
        return None
    i = m.start()
    if i and text[i - 1] in _NOT_BEFORE:
        return None
    r = read(text, i, k)
    if r is None or r.end != k or not r.digits or r.vague or r.positional or r.high is not None:
        return None
    n = int(r.value)
    if not 2 <= n <= 20 or r.value != n:
        return None
    name = _noun(noun.group(), w)
    if _names_before(text, i, w) == n or _names_after(text, k + 1 + len(name), w) == n:
        return Group(i, k + 1, Decimal(n), m.group())
    return None


def is_group(q: Quantity) -> bool:
    """Whether a quantity is the count of a named group (the unit as written is the 大 of N大)."""
    return q.unit == "count" and q.unit_text == _words().mark


def _noun(noun: str, w: _Words) -> str:
    """The noun after N大, up to a separator (两大产业集群和…: 产业集群)."""
    cut = w.sep.search(noun, 1)
    return noun[:cut.start()] if cut else noun


def _names_before(text: str, i: int, w: _Words) -> int:
    """How many names stand joined before N大 in its clause (甲、乙和丙: 3); 0 when one of them is too
    long to be a name or a figure stands among them. The first piece also holds the clause's words before
    the first name (重点打造甲), so only its being there counts."""
    lo = max(0, i - _MAX_BEFORE)
    before = text[lo:i]
    cut = max(before.rfind(c) for c in _CLAUSE_MARKS)
    before = _QUOTES.sub("", before[cut + 1:])
    for end in w.list_end:
        before = before.removesuffix(end)
    pieces = w.sep.split(before)
    if len(pieces) < 2 or not pieces[0]:
        return 0
    if any(not p or len(p) > _MAX_NAME or any(c.isdigit() for c in p) for p in pieces[1:]):
        return 0
    return len(pieces)


def _names_after(text: str, p: int, w: _Words) -> int:
    """How many names follow the noun after a colon or in brackets (三大基地：甲、乙、丙)."""
    if p >= len(text) or text[p] not in w.opens_after:
        return 0
    rest = text[p + 1:p + 1 + _MAX_NAME * 21]
    end = next((k for k, c in enumerate(rest) if c in _CLAUSE_MARKS), len(rest))
    if end == len(rest) and len(rest) == _MAX_NAME * 21:
        return 0
    items = _QUOTES.sub("", rest[:end])
    for tail in w.list_end:
        items = items.removesuffix(tail)
    pieces = w.sep.split(items)
    if len(pieces) < 2 or any(not p or len(p) > _MAX_NAME or any(c.isdigit() for c in p) for p in pieces):
        return 0
    return len(pieces)
