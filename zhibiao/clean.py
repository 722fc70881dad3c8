"""Normalize raw text for parsing and keep a map from every normalized position back to the raw text.

The parsers only ever see the normalized text; every span they return goes through
``Normalized.to_raw`` before it reaches a Fact, so what a user sees is always the raw text.

What changes:
* full-width ASCII (０-９, Ａ-Ｚ, ．％＋－ ...) becomes ASCII, one character for one;
* ideographic and other odd spaces become a plain space; zero-width characters are dropped;
* a line break that cuts a sentence (the line before does not end a sentence and the next line goes
  on with prose) is dropped with the spaces around it, so 12.5 / 亿元 across a page break parse as one.

The Chinese clause marks ，。；：！？、 stay as they are: they are the sentence structure, and every
parser knows both them and their ASCII twins.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .model import Span

# full-width forms kept as written: they are how Chinese prose marks clauses
_KEEP = set("，。；：！？（）")
_SPACES = {"\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u205f", "\t"}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_OTHER = {"—": "—", "～": "~", "﹪": "%", "‰": "‰", "・": "·"}

# a line ending in one of these closes its sentence (or is a heading, caption or list item)
_ENDS = set("。！？!?；;：:”」』）)】]…*#|") | {"摄"}
_HAN = re.compile(r"[\u4e00-\u9fff]")
# the next line starts a new block rather than going on with the sentence
_NEW_BLOCK = re.compile(r"^\s*(?:#|[-*>|]|\d+[.、)]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
                        r"|第[一二三四五六七八九十\d]+[章节部分条])")
_MIN_CUT_LINE = 16  # shorter lines are headings, bylines and captions: never joined to the next


@dataclass(slots=True)
class Normalized:
    """Normalized text with, for each of its characters, the raw offset it came from."""

    text: str
    index: list[int]
    raw_length: int

    def to_raw(self, start: int, end: int) -> Span:
        """The raw span covering normalized [start, end)."""
        if end <= start:
            pos = self.index[start] if start < len(self.index) else self.raw_length
            return Span(pos, pos)
        return Span(self.index[start], self.index[end - 1] + 1)

    def to_norm(self, raw_pos: int) -> int:
        """The first normalized position at or after a raw offset."""
        return bisect_right(self.index, raw_pos - 1)


def _char(ch: str) -> str:
    if ch in _KEEP:
        return ch
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if ch in _SPACES:
        return " "
    return _OTHER.get(ch, ch)


def _cut_breaks(raw: str) -> set[int]:
    """Raw offsets of line-break characters (and the blank space around them) that cut a sentence."""
    drop: set[int] = set()
    for m in re.finditer(r"[ \t\u3000]*(?:\r?\n[ \t\u3000]*)+", raw):
        line_start = raw.rfind("\n", 0, m.start()) + 1
        line = raw[line_start:m.start()].strip()
        nxt_end = raw.find("\n", m.end())
        nxt = raw[m.end(): nxt_end if nxt_end != -1 else len(raw)].strip()
        if not line or not nxt or len(line) < _MIN_CUT_LINE:
            continue
        if line[-1] in _ENDS or line.endswith("摄") or line.startswith(("#", "|", ">")):
            continue
        if _NEW_BLOCK.match(nxt) or not (_HAN.match(nxt[0]) or nxt[0].isdigit() or nxt[0] in "“%％"):
            continue
        # blank lines between the halves mean a page break; a lone newline a wrapped line: both are cuts
        drop.update(range(m.start(), m.end()))
    return drop


def normalize(raw: str, joins: bool = True) -> Normalized:
    """Normalize `raw` for parsing; `joins=False` keeps every line break."""
    drop = _cut_breaks(raw) if joins else set()
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(raw):
        if i in drop or ch in _ZERO_WIDTH:
            continue
        out.append(_char(ch))
        index.append(i)
    return Normalized("".join(out), index, len(raw))
