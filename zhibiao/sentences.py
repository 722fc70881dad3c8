"""Sentences and clauses: where the unit of text around a position begins and ends, by its marks.

One mechanism for every stage: `Marks` indexes the positions of a set of marks in a text once, and
answers "where does the sentence (or clause) holding this position begin, where does it end" by
bisection. The mark sets are named here, so that a stage that reads a clause differently says so.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from dataclasses import dataclass

from .model import Span

# what ends a sentence: the stops and a line break (a cut line was joined by clean before)
SENTENCE_END = "。！？!?\n"
# what ends a clause: a sentence end, a comma, a semicolon, a colon
CLAUSE_END = SENTENCE_END + "，,；;：:"
# the clause a time word's cue is read in (力争2025年): as CLAUSE_END, but a colon does not end it
# (主要目标：2025年… keeps its cue word)
TIME_CLAUSE_END = SENTENCE_END + "，,；;"
# a clause a time word opens, read forward (2023年，…): up to the next comma or semicolon
OPENING_CLAUSE_END = "，,；;"


@functools.cache
def _pattern(marks: str) -> re.Pattern:
    return re.compile("[" + re.escape(marks) + "]")


class Marks:
    """The positions of one set of marks in a text.

    A unit (sentence, clause) runs from one past a mark to one past the next mark: the mark belongs to
    the unit it ends.
    """

    __slots__ = ("at", "length")

    def __init__(self, text: str, marks: str):
        self.at = [m.start() for m in _pattern(marks).finditer(text)]
        self.length = len(text)

    def start(self, pos: int, floor: int = 0) -> int:
        """Where the unit holding `pos` begins: one past the last mark before `pos`, never before `floor`."""
        at = self.at
        i = bisect_left(at, pos)
        if i:
            p = at[i - 1] + 1
            return p if p > floor else floor  # not max(): a call less on a path taken for every figure
        return floor

    def end(self, pos: int) -> int:
        """Where the unit holding `pos` ends: one past the first mark at or after `pos`, else the text's end."""
        at = self.at
        i = bisect_left(at, pos)
        return at[i] + 1 if i < len(at) else self.length

    def first(self, lo: int, hi: int) -> int | None:
        """The first mark in [lo, hi), if any."""
        i = bisect_left(self.at, lo)
        return self.at[i] if i < len(self.at) and self.at[i] < hi else None


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document.

    Attributes:
        start, end: offsets in the cleaned text, the blank around it left out.
        raw: the same sentence in the raw text.
    """

    start: int
    end: int
    raw: Span


def stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] without the blank at either end, as offsets: the bounds of text[start:end].strip()."""
    chunk = text[start:end]
    rest = chunk.lstrip()
    lo = start + len(chunk) - len(rest)
    return lo, lo + len(rest.rstrip())
