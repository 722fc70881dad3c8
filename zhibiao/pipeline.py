"""The one-way pipeline: Document → document model (layout, cleaned text, quantities, measures, the scans of
names and time words) → facts.

Every stage works on the cleaned text; spans are mapped back to the raw text before a Fact is made.
"""

from __future__ import annotations

from datetime import date

from . import clean, docmodel, layout, published
from .docmodel import DocModel
from .facts import build_facts
from .model import Document, Fact
from .read import read_text


def analyze_document(doc: Document, region: str | None = None) -> tuple[DocModel, list[Fact]]:
    """The document model of one document and its facts, in the order of the text: for a caller that also
    shows the document (its articles, blocks and sentences, in raw offsets) without reading it again."""
    # the date is inferred from the cleaned text's time words, read once: the document model's scan of
    # the same text reuses them (periods caches the grammar's reading by text)
    page = layout.analyze(doc.text)
    cleaned = clean.normalize(doc.text, page=page)
    published.apply(doc, cleaned)
    model = docmodel.analyze(doc, page, cleaned)
    return model, build_facts(model, region=region)


def extract_document(doc: Document, region: str | None = None) -> list[Fact]:
    """Every fact of one document, in the order of the text."""
    return analyze_document(doc, region)[1]


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
