"""The document model: everything the fact stage reads about one document, computed once.

`analyze(doc)` reads a document the way every later stage needs it, and nothing after it reads the text
again for the same thing: its layout (blocks, articles, the line breaks that cut a sentence), the
cleaned text with its map back to the raw text, its sentence and clause marks, its quantities with
their measures, and three scans of the cleaned text, one each: the names of the indicator catalogue,
the names of regions (the gazetteer) and the time words (the period grammar).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from . import clean, layout, measures, quantities
from .catalogue import Mention, catalogue
from .clean import Normalized
from .gazetteer import Match
from .gazetteer import load as gazetteer
from .layout import Layout
from .model import Document, Quantity, Span
from .periods import PeriodMention, find_periods
from .sentences import CLAUSE_END, SENTENCE_END, Marks, Sentence, stripped

T = TypeVar("T")
_UNSET = object()  # per_sentence: no reading of the sentence yet (a reading may be None)


@dataclass(eq=False)
class DocModel:
    """One document read once.

    Attributes:
        doc: the document (its raw text, its publication date).
        page: its layout, in raw offsets.
        cleaned: the cleaned text and its offset map; every offset below is in the cleaned text.
        quantities: its quantities in text order, with their measures.
        sentence_marks, clause_marks: where its sentences and clauses end.
        indicators: the catalogue's names in the text, in order; None when the scan's offsets could not be
            trusted (a character whose lower case is longer than itself), and each clause is read alone.
        regions: the gazetteer's names in the text, in order (gazetteer.Gazetteer.find).
        times: the time words in the text, in order (periods.find_periods, against the publication date).
    """

    doc: Document
    page: Layout
    cleaned: Normalized
    quantities: list[Quantity]
    sentence_marks: Marks
    clause_marks: Marks
    indicators: list[Mention] | None
    regions: list[Match]
    times: list[PeriodMention]
    _time_starts: list[int] = field(default_factory=list, repr=False)
    _indicator_starts: list[int] = field(default_factory=list, repr=False)
    _per_sentence: dict[tuple[Callable[..., Any], int, int], Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._time_starts = [m.start for m in self.times]
        self._indicator_starts = [m.start for m in self.indicators or ()]

    @property
    def text(self) -> str:
        """The cleaned text."""
        return self.cleaned.text

    @property
    def raw(self) -> str:
        return self.doc.text

    @property
    def ref(self) -> date | None:
        """The publication date the time words were read against."""
        return self.doc.published

    def to_raw(self, start: int, end: int) -> Span:
        return self.cleaned.to_raw(start, end)

    def sentence_at(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding text[start:end] (one past the sentence mark before start to one past the
        first at or after end): one sentence, or the ones a figure spans."""
        return self.sentence_marks.start(start), self.sentence_marks.end(end)

    def clause_start(self, pos: int, floor: int = 0) -> int:
        """Where the clause holding `pos` begins, not before `floor` (the sentence start)."""
        return self.clause_marks.start(pos, floor)

    def times_in(self, lo: int, hi: int) -> list[PeriodMention]:
        """The time words that start in [lo, hi)."""
        return self.times[bisect_left(self._time_starts, lo):bisect_left(self._time_starts, hi)]

    def indicators_in(self, lo: int, hi: int) -> list[Mention]:
        """The catalogue's names in text[lo:hi], as catalogue().find(text[lo:hi]) gives them but in the
        text's offsets. The document's scan is sliced; where one of its names runs over either end of the
        range, the range is read alone, as the two readings differ there."""
        found = self.indicators
        if found is not None:
            i = bisect_left(self._indicator_starts, lo)
            j = bisect_left(self._indicator_starts, hi, i)
            crossing = (i > 0 and found[i - 1].end > lo) or (j > i and found[j - 1].end > hi)
            if not crossing:
                return found[i:j]
        return [Mention(m.start + lo, m.end + lo, m.text, m.indicator) for m in catalogue().find(self.text[lo:hi])]

    def per_sentence(self, read: Callable[[str, int, int], T], s: int, e: int) -> T:
        """read(text, s, e) for the sentence text[s:e], computed once and shared by all its figures: a reading
        that depends on the sentence alone (the fact stage's scan for named projects)."""
        key = (read, s, e)
        cache = self._per_sentence
        # get, not try/except: half the calls are a sentence's first, and a KeyError costs more than a lookup
        value = cache.get(key, _UNSET)
        if value is _UNSET:
            value = cache[key] = read(self.cleaned.text, s, e)
        return value

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """Every sentence of the cleaned text, the blank around it left out, with its raw span (for the
        store and the web page; the fact stage reads `sentence_at`)."""
        out = []
        start = 0
        for end in [*(p + 1 for p in self.sentence_marks.at), len(self.text)]:
            lo, hi = stripped(self.text, start, end)
            if hi > lo:
                out.append(Sentence(lo, hi, self.to_raw(lo, hi)))
            start = end
        return tuple(out)


def analyze(doc: Document, page: Layout | None = None, cleaned: Normalized | None = None) -> DocModel:
    """Read `doc` once: layout, cleaned text, marks, quantities with their measures, the three scans.

    The publication date must be known by now (published.apply): the time words are read against it.
    `page` and `cleaned`, when given, are the document's layout and cleaned text, already read (by the
    pipeline, which infers the date from the cleaned text before the time words are resolved).
    """
    page = layout.analyze(doc.text) if page is None else page
    cleaned = clean.normalize(doc.text, page=page) if cleaned is None else cleaned
    text = cleaned.text
    sentence_marks, clause_marks = Marks(text, SENTENCE_END), Marks(text, CLAUSE_END)
    found = quantities.find_quantities(text)
    measures.assign_measures(text, found, clause_marks, sentence_marks)
    return DocModel(doc, page, cleaned, found, sentence_marks, clause_marks, *scans(text, doc.published))


def scans(text: str, ref: date | None) -> tuple[list[Mention] | None, list[Match], list[PeriodMention]]:
    """The three scans of a cleaned text: catalogue names, region names, time words (read against `ref`)."""
    # the catalogue's scan lower-cases the text: its offsets hold only while that keeps every length
    names = catalogue().find(text) if len(text.lower()) == len(text) else None
    return names, gazetteer().find(text), find_periods(text, ref)
