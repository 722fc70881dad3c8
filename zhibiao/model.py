"""The typed data that flows through zhibiao: Document → Span → Quantity → Fact.

Every offset counts Unicode code points in the *raw decoded* text of a document, half-open:
``document.text[span.start:span.end] == fact.text`` is an invariant, checked by the tests.
Values are kept exact as ``Decimal``; floats appear only when a fact is written out.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

# The vocabularies of the fact format (../shared/DESIGN.md, GUIDELINES.md).
# Currencies other than CNY and USD keep their own code (GUIDELINES): EUR, JPY, HKD, GBP.
UNITS = ("CNY", "USD", "EUR", "JPY", "HKD", "GBP", "%", "pp", "kWh", "W", "t", "m2", "m", "m3", "km/h", "count",
         "rank", "x", "h", "day", "month", "year")
QUALIFIERS = ("exact", "about", "over", "under", "range")
MEASURES = ("level", "growth", "change", "share", "pp_diff", "rank", "target", "completion", "ratio", "multiple")


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
        base: what the text compares it with (set by the measure stage): 'previous-year' (比上年),
            'same-period-last-year' (同比, 比上年同期), a year ('2020': 比2020年), 'previous-month',
            'previous-period' (环比), 'start-of-year' (比年初); '' when it states none.
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
    base: str = ""


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
    # where it was read: its sentence in the raw text, and where the figure stands in `sentence` (the
    # cleaned sentence: clean drops the line breaks that cut a sentence, so raw offsets do not index it)
    sentence_span: Span | None = None
    in_sentence: Span | None = None
    number_text: str = ""  # the number as printed (364.6亿, 三千, 1.2万), as Quantity.number_text
    # what a rate, a change or a difference is compared with, as Quantity.base in the spelling of the fact's period
    # (measures.fact_base): two bases are two series of a chart and two rows of the panel
    base: str = ""
    # which strategy of each resolver named its indicator, region and period (zhibiao.facts)
    how: dict[str, str | None] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready row: the keys of FACT_FIELDS in order (the DESIGN.md fields first), floats for values."""
        return {key: v if conv is None else conv(v) for key, conv, v in zip(_JSON_KEYS, _JSON_CONVS,
                                                                             _json_values(self), strict=True)}


@dataclass(frozen=True, slots=True)
class FactField:
    """One field of a Fact and how it is written: in JSON (to_dict), in flat columns (the store, the export).

    Attributes:
        name: the Fact attribute.
        kind: text; int; bool; score (a float kept to 3 places); json (a dict); decimal (a float in JSON,
            and the columns NAME and NAME_text, the exact value as text); span (a Span or None: [start, end]
            in JSON, columns NAME_start and NAME_end); place (the fact's own span: start and end, in JSON too).
        optional: may be None (a nullable column).
        size: the longest value of a short code (a String(size) column); None: text of any length.
        column: stored in columns of its own; False keeps its flat columns in the facts table's `extra` JSON,
            so that a new field needs no migration until it is queried.
        correctable: a person may correct it in a review (zhibiao.store.reviews).
        choices: the values it may take, when they are a closed vocabulary.
    """

    name: str
    kind: str = "text"
    optional: bool = False
    size: int | None = None
    column: bool = True
    correctable: bool = False
    choices: tuple[str, ...] = ()
    # worked out once from the kind: (key, conversion of the attribute value or None) of each JSON key and column
    json_parts: tuple[tuple[str, Callable[[Any], Any] | None], ...] = field(init=False, repr=False, compare=False)
    flat_parts: tuple[tuple[str, Callable[[Any], Any] | None], ...] = field(init=False, repr=False, compare=False)
    keys: tuple[str, ...] = field(init=False, repr=False, compare=False)  # its keys in to_dict()
    # its flat columns as (name, type): text, int, float, bool, json, or exact (a Decimal as text)
    columns: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    # the attribute value back from a mapping of its columns (a stored row)
    from_columns: Callable[[Mapping[str, Any]], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n, kind = self.name, self.kind
        json: tuple[tuple[str, Any], ...] = ((n, _JSON_OF.get(kind)),)
        flat: tuple[tuple[str, Any], ...] = json
        if kind == "place":
            json = flat = (("start", _start), ("end", _end))
        elif kind == "span":
            flat = ((f"{n}_start", _start_or_none), (f"{n}_end", _end_or_none))
        elif kind == "decimal":
            flat = ((n, _float), (f"{n}_text", _str_or_none))
        types = {"place": ("int", "int"), "span": ("int", "int"), "decimal": ("float", "exact"),
                 "score": ("float",)}.get(kind, (kind,))
        object.__setattr__(self, "json_parts", json)
        object.__setattr__(self, "flat_parts", flat)
        object.__setattr__(self, "keys", tuple(k for k, _ in json))
        object.__setattr__(self, "columns", tuple(zip((c for c, _ in flat), types, strict=True)))
        object.__setattr__(self, "from_columns", _reader(kind, tuple(c for c, _ in flat)))

    def json(self, v: Any) -> tuple[Any, ...]:
        """The values of `keys` for the attribute value `v`."""
        return tuple(v if conv is None else conv(v) for _, conv in self.json_parts)

    def flat(self, v: Any) -> tuple[Any, ...]:
        """The values of `columns` for the attribute value `v`."""
        return tuple(v if conv is None else conv(v) for _, conv in self.flat_parts)


def _reader(kind: str, columns: tuple[str, ...]) -> Callable[[Mapping[str, Any]], Any]:
    """FactField.from_columns for a field of `kind` with these flat columns."""
    first = columns[0]
    if kind in ("place", "span"):
        last = columns[1]
        return lambda m: None if m[first] is None else Span(m[first], m[last] or 0)
    if kind == "decimal":
        exact = columns[1]
        return lambda m: None if m[exact] is None else Decimal(m[exact])
    if kind == "bool":
        return lambda m: None if m[first] is None else bool(m[first])
    return operator.itemgetter(first)


def _start(span: Span) -> int:
    return span.start


def _end(span: Span) -> int:
    return span.end


def _start_or_none(span: Span | None) -> int | None:
    return None if span is None else span.start


def _end_or_none(span: Span | None) -> int | None:
    return None if span is None else span.end


def _pair(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def _float(v: Decimal | None) -> float | None:
    # JSON has no Infinity: a value beyond a float's range keeps only its exact text (NAME_text)
    if v is None or not v.is_finite():
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _str_or_none(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def _score(v: float) -> float:
    return round(v, 3)


_JSON_OF: dict[str, Callable[[Any], Any]] = {"span": _pair, "decimal": _float, "score": _score}


# Every field of a Fact but `extra`, in the order of to_dict(): the one list from which its JSON form, the store's
# columns, the export's columns, the Arrow schema and the CSVs are made. A new field is one line here (and an
# Alembic migration when it has a column of its own).
FACT_FORM: tuple[FactField, ...] = (
    FactField("doc"),
    FactField("span", "place"),
    FactField("text"),
    FactField("value", "decimal", correctable=True),
    FactField("value_high", "decimal", optional=True, correctable=True),
    FactField("unit", size=16, correctable=True, choices=UNITS),
    FactField("qualifier", size=16, correctable=True, choices=QUALIFIERS),
    FactField("measure", size=16, correctable=True, choices=MEASURES),
    FactField("indicator", optional=True, correctable=True),
    FactField("region", optional=True, correctable=True),
    FactField("entity", optional=True, correctable=True),
    FactField("period", optional=True, size=32, correctable=True),
    FactField("polarity", optional=True, size=1, correctable=True, choices=("+", "-")),
    FactField("unit_text"),
    FactField("indicator_standard", "bool"),
    FactField("sentence", optional=True),
    FactField("article", optional=True),
    FactField("duplicate_of", "span", optional=True),
    FactField("confidence", "score"),
    FactField("sentence_span", "span", optional=True, column=False),
    FactField("in_sentence", "span", optional=True, column=False),
    FactField("number_text", column=False),
    FactField("base", size=32, column=False),
    FactField("how", "json", column=False),
)

FACT_FIELDS = tuple(k for f in FACT_FORM for k in f.keys)
# to_dict's plan: one attribute read per key (the own span's two keys read it twice), in one C call
_json_values = operator.attrgetter(*(f.name for f in FACT_FORM for _ in f.json_parts))
_JSON_KEYS = tuple(key for f in FACT_FORM for key, _ in f.json_parts)
_JSON_CONVS = tuple(conv for f in FACT_FORM for _, conv in f.json_parts)
