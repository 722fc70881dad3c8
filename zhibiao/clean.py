"""Normalize raw text for parsing and keep a map from every normalized position back to the raw text.

The parsers only ever see the normalized text; every span they return goes through
``Normalized.to_raw`` before it reaches a Fact, so what a user sees is always the raw text.

What changes:
* full-width ASCII (０-９, Ａ-Ｚ, ．％＋－ ...) becomes ASCII, one character for one;
* ideographic and other odd spaces become a plain space; zero-width characters are dropped;
* a line break that cuts a sentence (the line before does not end a sentence and the next line goes
  on with prose) is dropped with the spaces around it, so 12.5 / 亿元 across a page break parse as one;
  which breaks those are is decided by ``layout.joined_gaps``, so clean and layout agree.

The Chinese clause marks ，。；：！？、 stay as they are: they are the sentence structure, and every
parser knows both them and their ASCII twins.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from . import layout
from .model import Span

# full-width forms kept as written: they are how Chinese prose marks clauses
_KEEP = set("，。；：！？（）")
_SPACES = {"\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u205f", "\t"}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
# the minus signs of other fonts (﹣2.65‰, −3.1%) are the ASCII minus the quantity grammar reads
_OTHER = {"—": "—", "～": "~", "﹪": "%", "‰": "‰", "・": "·", "﹣": "-", "−": "-"}


@dataclass(slots=True)
class Normalized:
    """Normalized text with, for each of its characters, the raw offset it came from."""

    text: str
    index: list[int]
    raw_length: int

    def to_raw(self, start: int, end: int) -> Span:
        """The raw span covering normalized [start, end)."""
        index = self.index
        if end > start:
            return Span(index[start], index[end - 1] + 1)
        pos = index[start] if start < len(index) else self.raw_length
        return Span(pos, pos)

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


def _translation() -> dict[int, str]:
    # the one-for-one map of _char as a str.translate table, for the characters it changes
    table = {o: _char(chr(o)) for o in range(0xFF01, 0xFF5F)}
    table.update({ord(ch): _char(ch) for ch in _SPACES | set(_OTHER)})
    return {o: ch for o, ch in table.items() if ch != chr(o)}


_TABLE = _translation()
# runs of the characters _TABLE changes: str.translate looks up every character and is slow on Chinese
# text, where few change, so it is given only these runs
_CHANGED_RUN = re.compile("[" + "".join(re.escape(chr(o)) for o in sorted(_TABLE)) + "]+")
_ZERO_WIDTH_RUN = re.compile("[" + "".join(sorted(_ZERO_WIDTH)) + "]+")


def normalize(raw: str, joins: bool = True, page: layout.Layout | None = None) -> Normalized:
    """Normalize `raw` for parsing; `joins=False` keeps every line break.

    The line breaks dropped are those layout joins (the rule is layout's, so that a paragraph clean joins
    is one block of the layout too): `page.joined` when the caller has analyzed the page already.
    """
    if not joins:
        drops: list[tuple[int, int]] = []
    else:
        drops = list(page.joined) if page is not None else layout.joined_gaps(raw)
    if any(ch in raw for ch in _ZERO_WIDTH):  # substring tests are much faster than the regex's scan
        drops = drops + [m.span() for m in _ZERO_WIDTH_RUN.finditer(raw)]
    drops = sorted(drops)
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for start, end in drops + [(len(raw), len(raw))]:
        if start > pos:
            # whole runs at a time: the text is megabytes, a loop over characters would be slow
            out.append(raw[pos:start])
            index.extend(range(pos, start))
        pos = max(pos, end)
    # one character for one, so the pieces can be mapped after they are joined
    text = _CHANGED_RUN.sub(_translate_run, "".join(out))
    return Normalized(text, index, len(raw))


def _translate_run(m: re.Match) -> str:
    return m.group().translate(_TABLE)
