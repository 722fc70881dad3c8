"""The typed data that flows through zhibiao: Document → Span → Quantity → Fact.

Every offset counts Unicode code points in the *raw decoded* text of a document, half-open:
``document.text[span.start:span.end] == fact.text`` is an invariant, checked by the tests.
Values are kept exact as ``Decimal``; floats appear only when a fact is written out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

# The vocabularies of the fact format (../shared/DESIGN.md, GUIDELINES.md).
UNITS = ("CNY", "USD", "%", "pp", "kWh", "W", "t", "m2", "m", "m3", "km/h", "count", "rank", "x", "h", "day",
         "month", "year")
QUALIFIERS = ("exact", "about", "over", "under", "range")
MEASURES = ("level", "growth", "change", "share", "pp_diff", "rank", "target", "completion", "ratio", "multiple")
PUBLISHED_HOW = ("printed", "given", "inferred", "unknown")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open interval [start, end) of code points in a document's raw text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return min(self.end, other.end) > max(self.start, other.start)


@dataclass(slots=True)
class Document:
    """One report as read from disk or given as a string.

    Attributes:
        name: the source's file name (what the `doc` field of a fact says).
        text: the decoded raw text; every span points into it.
        path: where it was read from, if a file.
        encoding: the encoding it was decoded from (utf-8, utf-8-sig, gb18030, utf-16 ...).
        format: txt, md, html, pdf, docx.
        published: the publication date, if known.
        published_how: printed, given, inferred or unknown.
    """

    name: str
    text: str
    path: str | None = None
    encoding: str = "utf-8"
    format: str = "txt"
    published: date | None = None
    published_how: str = "unknown"


@dataclass(slots=True)
class Quantity:
    """A number with its unit as written in the text, normalized.

    Attributes:
        span: where the whole expression stands in the raw text (with 约/超/余 that belong to it).
        text: the raw text at span.
        value: the normalized value (in `unit`), exact; the low end for a range.
        value_high: the high end of a range, else None.
        unit: normalized unit, one of UNITS.
        unit_text: the unit as written, without the 万/亿 that belong to the number (元 of 亿元, 千瓦 of 万千瓦).
        number_text: the number as written (364.6, 三千, 1.2万).
        qualifier: exact, about, over, under, range.
        measure: level, growth, change, share, ... (set by the measure stage).
        polarity: '+', '-' or None.
    """

    span: Span
    text: str
    value: Decimal
    unit: str
    unit_text: str = ""
    number_text: str = ""
    value_high: Decimal | None = None
    qualifier: str = "exact"
    measure: str = "level"
    polarity: str | None = None


@dataclass(slots=True)
class Fact:
    """A quantity with what it measures: the row zhibiao stores and exports.

    The first fields are those of the fact format in DESIGN.md; the rest give context.
    """

    doc: str
    span: Span
    text: str
    value: Decimal
    unit: str
    value_high: Decimal | None = None
    qualifier: str = "exact"
    measure: str = "level"
    indicator: str | None = None
    region: str | None = None
    entity: str | None = None
    period: str | None = None
    polarity: str | None = None
    # context beyond the required format
    unit_text: str = ""
    indicator_standard: bool = False
    sentence: str | None = None
    article: str | None = None
    duplicate_of: Span | None = None
    confidence: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready row: the DESIGN.md fields first, floats for values."""
        return {
            "doc": self.doc,
            "start": self.span.start,
            "end": self.span.end,
            "text": self.text,
            "value": _float(self.value),
            "value_high": _float(self.value_high),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "measure": self.measure,
            "indicator": self.indicator,
            "region": self.region,
            "entity": self.entity,
            "period": self.period,
            "polarity": self.polarity,
            "unit_text": self.unit_text,
            "indicator_standard": self.indicator_standard,
            "sentence": self.sentence,
            "article": self.article,
            "duplicate_of": None if self.duplicate_of is None
            else [self.duplicate_of.start, self.duplicate_of.end],
            "confidence": round(self.confidence, 3),
        }


FACT_FIELDS = ("doc", "start", "end", "text", "value", "value_high", "unit", "qualifier", "measure", "indicator",
               "region", "entity", "period", "polarity", "unit_text", "indicator_standard", "sentence", "article",
               "duplicate_of", "confidence")


def _float(v: Decimal | None) -> float | None:
    return None if v is None else float(v)
