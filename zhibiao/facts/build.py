"""Quantities in context → Facts: one Fact per quantity (more for a rank shared by several figures).

For each quantity, in text order: its article's context, its sentence, the facts before it in the
sentence; then the resolvers, each an ordered list of named strategies: the entity, the indicator, the
region, the measure (an estimate of a past year is a level), the period. Last, what the page's layout
says: a plan section makes its figures targets, a repeated paragraph points to its first print.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ..docmodel import DocModel
from ..gazetteer import Region
from ..gazetteer import load as gazetteer
from ..layout import Block
from ..measures import fact_base
from ..model import Fact, Quantity, Span
from ..sentences import stripped
from . import dating, entities, indicators, lists, regions, tables
from .context import Context, Figure
from .cues import rx


@dataclass(slots=True)
class _Sentence:
    """What the figures of one sentence share, read once for all of them (issue 17).

    Attributes:
        s, e: the sentence in the cleaned text (DocModel.sentence_at).
        others: its quantities, in order.
        lo, hi: its words without the blank around them; words: text[lo:hi]; raw: their raw span.
        names: its project and company names (entities.sentence_names, None for a sentence too long).
        carried: the period carried into it from before, by article (a sentence's figures share an article
            but for a page cut in mid-sentence).
    """

    s: int
    e: int
    others: list[Quantity]
    lo: int
    hi: int
    words: str
    raw: Span
    names: tuple[entities.Name, ...] | None
    carried: dict[int, str | None] = field(default_factory=dict)


def _sentence(model: DocModel, s: int, e: int, q_starts: list[int]) -> _Sentence:
    lo, hi = stripped(model.text, s, e)
    return _Sentence(s, e, model.quantities[bisect_left(q_starts, s):bisect_left(q_starts, e)], lo, hi,
                     model.text[lo:hi], model.to_raw(lo, hi), model.per_sentence(entities.sentence_names, s, e))


def build_facts(model: DocModel, region: str | None = None) -> list[Fact]:
    """Every fact of the document, in text order, every span a raw span.

    Each article of a page is its own context: its region is the one it names most, and a period it
    states carries on only within it. `region` is the user's hint for a document that never names its
    region; it never overrides what the text says.
    """
    text, raw, page = model.text, model.raw, model.page
    doc_ctx = _document_context(model, region)
    contexts: dict[int, Context] = {}
    plans = dating.plan_sections(raw, page, model.ref)
    cells = tables.cells(model)  # the bare numbers of a table's cells, read with their row and header
    measures = {id(q): q.measure for q in (*model.quantities, *cells)}
    q_starts = [q.span.start for q in model.quantities]
    out: list[Fact] = []
    prev: list[Fact] = []
    sentence: _Sentence | None = None
    # read once, not per figure
    to_raw, sentence_at, clause_start, block_at = model.cleaned.to_raw, model.sentence_at, model.clause_start, \
        page.block_at
    doc_name = model.doc.name
    for q in sorted((*model.quantities, *cells), key=lambda q: q.span.start) if cells else model.quantities:
        start, end = q.span.start, q.span.end
        span = to_raw(start, end)
        block = block_at(span.start)
        index = block.article if block is not None else -1
        if index not in contexts:
            contexts[index] = _article_context(doc_ctx, index)
        ctx = contexts[index]
        s, e = sentence_at(start, end)
        if sentence is None or s != sentence.s or e != sentence.e:
            prev, sentence = [], _sentence(model, s, e, q_starts)
        if index not in sentence.carried:
            sentence.carried[index] = dating.carried(ctx, s)
        fig = Figure(ctx, q, s, e, clause_start(start, s), prev, sentence.others, sentence.carried[index], measures)
        fact = _fact(fig, span, sentence, doc_name, raw)
        if block is not None and block.span.start in plans and fact.measure in ("level", "growth", "change", "share",
                                                                                 "ratio") \
                and not rx("results_in_plans").search(text, fig.clause_lo, start):
            # under 2024年主要预期目标 every figure is a target for that year
            fact.measure = "target"
            if plans[block.span.start]:
                fact.period = plans[block.span.start]
                fact.how = {**fact.how, "period": "plan_heading"}
        if index >= 0:
            fact.article = page.articles[index].title
        if block is not None and block.repeat_of is not None:
            fact.duplicate_of = _first_print(raw, fact, block)
        fact.base = fact_base(q.base, fact.measure, fact.period)  # its measure and period are final here
        out.append(fact)
        out.extend(lists.shared_rank(fig, fact))
        prev.append(fact)
    return out


def _fact(fig: Figure, span: Span, sentence: _Sentence, doc_name: str, raw: str) -> Fact:
    q, s, e = fig.q, fig.s, fig.e
    entity, in_name = entities.entity_at(fig.text, s, e, q, sentence.names)
    evidence = indicators.Evidence(fig, entity, in_name)
    naming, how_indicator = indicators.resolve(evidence)
    region, how_region = regions.resolve(fig)
    if dating.estimate_of_past(fig):
        fig.set_measure("level")
    attribute = evidence.attribute
    undated = (attribute is not None and not attribute[2]) or entities.undated_attribute(fig, naming.indicator, entity)
    period, how_period = dating.resolve(fig, undated, entity)
    lo = sentence.lo
    qspan = q.span
    return Fact(
        doc=doc_name, span=span, text=raw[span.start:span.end], value=q.value, unit=q.unit,
        value_high=q.value_high, qualifier=q.qualifier, measure=fig.measure, indicator=naming.indicator,
        region=region.name if region else None, entity=entity, period=period, polarity=q.polarity,
        unit_text=q.unit_text, indicator_standard=naming.standard, sentence=sentence.words,
        confidence=naming.confidence, sentence_span=sentence.raw,
        in_sentence=Span(qspan.start - lo, qspan.end - lo), number_text=q.number_text,
        how={"indicator": how_indicator, "region": how_region, "period": how_period},
    )


def _document_context(model: DocModel, region: str | None) -> Context:
    hint = None
    if region:
        # a region the gazetteer does not know (a new district, a typo) is still the user's word for it
        hint = gazetteer().resolve(region) or Region(code="", name=region.strip(), short=(), level="county",
                                                     parent_code=None)
    stated = dating.stated_periods(model)
    year = model.ref.year if model.ref is not None else None
    return Context(model, hint, regions.principal(model, hint), dating.usual_period(stated, year),
                   0, stated, {})


def _article_context(doc_ctx: Context, index: int) -> Context:
    """The context of one article: its principal region and usual period, and where it starts."""
    if index < 0:
        return doc_ctx
    model = doc_ctx.model
    span = model.page.articles[index].span
    lo, hi = model.cleaned.to_norm(span.start), model.cleaned.to_norm(span.end)
    own = [t for t in doc_ctx.stated if lo <= t.at < hi]
    year = model.ref.year if model.ref is not None else None
    default = dating.usual_period(own, year) if own else doc_ctx.default_period
    return Context(model, doc_ctx.hint, regions.context_principal(doc_ctx, lo, hi), default, lo, doc_ctx.stated,
                   doc_ctx.sentence_regions, doc_ctx.sentence_times)


def _first_print(raw: str, fact: Fact, block: Block) -> Span | None:
    """Where a figure of a repeated block was first printed: the same offset in the first block, or the
    nearest place its text occurs there."""
    first = block.repeat_of
    guess = first.start + (fact.span.start - block.span.start)
    if raw[guess:guess + len(fact.text)] == fact.text:
        return Span(guess, guess + len(fact.text))
    hits = [m.start() for m in re.finditer(re.escape(fact.text), raw[first.start:first.end])]
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(first.start + h - guess)) + first.start
    return Span(best, best + len(fact.text))
