"""The one-way pipeline: Document → cleaned text → quantities → measures → facts.

Every stage works on the cleaned text; spans are mapped back to the raw text before a Fact is made.
"""

from __future__ import annotations

from datetime import date

from . import clean, facts, measures, published, quantities
from .model import Document, Fact
from .read import read_text


def extract_document(doc: Document, region: str | None = None) -> list[Fact]:
    """Every fact of one document, in the order of the text."""
    published.apply(doc)
    cleaned = clean.normalize(doc.text)
    found = quantities.find_quantities(cleaned.text)
    measures.assign_measures(cleaned.text, found)
    return facts.build_facts(doc, cleaned, found, region=region)


def extract(text: str, doc: str | None = None, published: date | None = None,
            region: str | None = None) -> list[Fact]:
    """Every fact in `text`: the library twin of `zhibiao extract`.

    `published` and `region` are hints for what the text leaves open (a county page that never names
    its county or prints its date); they never override what the text says.
    """
    document = read_text(text, name=doc or "<text>")
    if published is not None:
        document.published, document.published_how = published, "given"
    return extract_document(document, region=region)
