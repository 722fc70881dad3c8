"""Quantities in context → Facts: spans mapped back to the raw text, with the sentence around them."""

from __future__ import annotations

from .clean import Normalized
from .model import Document, Fact, Quantity

_SENTENCE_END = "。！？!?\n"


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return left, right


def build_facts(doc: Document, cleaned: Normalized, found: list[Quantity], region: str | None = None) -> list[Fact]:
    """One Fact per quantity, in text order, every span a raw span."""
    out: list[Fact] = []
    for q in found:
        span = cleaned.to_raw(q.span.start, q.span.end)
        s, e = _sentence(cleaned.text, q.span.start, q.span.end)
        out.append(Fact(
            doc=doc.name, span=span, text=doc.text[span.start:span.end], value=q.value, unit=q.unit,
            value_high=q.value_high, qualifier=q.qualifier, measure=q.measure, polarity=q.polarity,
            region=region, unit_text=q.unit_text, sentence=cleaned.text[s:e].strip(),
        ))
    return out
