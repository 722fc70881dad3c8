"""The typed result of a check: a Finding with the facts it involves, and the derived facts it implies."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhibiao.model import Fact, Span

KINDS = ("sum", "rate", "growth", "implied", "agreement", "target")
STATUSES = ("ok", "rounding", "conflict", "warning")


@dataclass(frozen=True, slots=True)
class FactRef:
    """One fact a finding involves, as the finding reports it.

    Attributes:
        doc, start, end, text, value: the fact's source, raw span, text and exact value.
        role: what the fact is in the check (whole, part, rate, numerator, denominator, level, growth,
            change, previous, completion, figure, target, actual, own_growth, pp_diff, source, derived).
        derived: True for a derived fact (its span is that of the fact it was derived from).
    """

    doc: str
    start: int
    end: int
    text: str
    value: Decimal
    role: str = ""
    derived: bool = False

    @classmethod
    def of(cls, fact: Fact, role: str = "") -> FactRef:
        return cls(fact.doc, fact.span.start, fact.span.end, fact.text, fact.value, role,
                   bool(fact.extra.get("derived")))

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text,
                "value": float(self.value), "role": self.role, "derived": self.derived}


@dataclass(slots=True)
class Finding:
    """What one check found.

    Attributes:
        kind: sum, rate, growth, implied, agreement or target.
        status: ok (the figures agree as printed), rounding (they agree only within the printed precision),
            conflict (they cannot agree), warning (they disagree but the check is not conclusive, or it
            cannot be computed: a zero base, an approximate figure, a comparable-price growth).
        message_zh, message_en: one line each, naming the figures and the tolerance used.
        tolerance: the half-width allowed, in the unit of the compared value (None when not numeric).
        derived: the value the check computed (a sum, a rate, an implied target, a progress in %).
        derived_unit: the normalized unit of `derived`.
        facts: the facts involved, with their roles.
        indicator, region, period: the key the check is about, where known.
        extra: what else the check knows; extra["relation"] names the relation within the kind (groups,
            completion, n_of_m, structure, contribution, pulls, difference, pp_difference, repeat,
            revision, named_items, table_rows, table_text, exchange, total_after_parts, parts_after_whole,
            parts_before_whole), also in to_dict().
    """

    kind: str
    status: str
    message_zh: str
    message_en: str
    facts: tuple[FactRef, ...]
    tolerance: Decimal | None = None
    derived: Decimal | None = None
    derived_unit: str | None = None
    indicator: str | None = None
    region: str | None = None
    period: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind {self.kind!r}")
        if self.status not in STATUSES:
            raise ValueError(f"unknown finding status {self.status!r}")

    @property
    def key(self) -> str:
        """A stable identity: the kind and the facts involved (the same check on the same facts)."""
        parts = [self.kind] + [f"{r.doc}:{r.start}:{r.end}:{r.role}" for r in self.facts]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    @property
    def docs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.doc for r in self.facts))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "status": self.status,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "tolerance": None if self.tolerance is None else float(self.tolerance),
            "derived": None if self.derived is None else float(self.derived),
            "derived_unit": self.derived_unit,
            "indicator": self.indicator,
            "region": self.region,
            "period": self.period,
            "relation": self.extra.get("relation"),
            "facts": [r.to_dict() for r in self.facts],
        }


def derived_fact(*, value: Decimal, unit: str, measure: str, anchor: Fact, sources: list[Fact], how: str,
                 indicator: str | None = None, region: str | None = None, period: str | None = None,
                 entity: str | None = None, polarity: str | None = None,
                 tolerance: Decimal | None = None, shown: str | None = None) -> Fact:
    """A fact the reports imply without stating it, tied to the span of the fact it mainly rests on.

    `extra` marks it: {"derived": True, "sources": [{doc, start, end, text}], "how": ..., "tolerance": the
    half-width of what it can be, "shown": the value as the report would print it}.
    """
    return Fact(
        doc=anchor.doc, span=Span(anchor.span.start, anchor.span.end), text=anchor.text, value=value, unit=unit,
        measure=measure, indicator=indicator, region=region, period=period, entity=entity, polarity=polarity,
        qualifier="exact", sentence=anchor.sentence, article=anchor.article, confidence=0.4,
        sentence_span=anchor.sentence_span, in_sentence=anchor.in_sentence,
        extra={"derived": True, "how": how,
               "tolerance": None if tolerance is None else str(_short(tolerance)), "shown": shown,
               "sources": [{"doc": s.doc, "start": s.span.start, "end": s.span.end, "text": s.text}
                           for s in sources]},
    )


def _short(d: Decimal) -> Decimal:
    """`d` to six significant digits: a tolerance, not a measurement."""
    if d == 0:
        return d
    return d.quantize(Decimal(1).scaleb(d.adjusted() - 5)).normalize()
