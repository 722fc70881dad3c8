"""What the resolvers read: the context of an article, the figure in its sentence, and the way they decide.

Every resolver (indicators, regions, dating) is an ordered list of named strategies. A strategy looks at
one `Figure` and either decides (returns an answer) or passes (returns None); the first to decide wins,
and its name goes into the fact's `how`, so that a wrong fact says which rule made it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .. import periods
from ..docmodel import DocModel
from ..gazetteer import Region
from ..model import Fact, Quantity

T = TypeVar("T")
A = TypeVar("A")

# measures that say something about a figure named before them in the sentence (增长7.2%, 居全省第一)
FOLLOWERS = ("growth", "rank", "pp_diff", "change", "share", "completion", "multiple")


@dataclass(frozen=True, slots=True)
class Decision(Generic[T]):
    """What a strategy decided: a value (None is a value: "this figure has no period"), and, when the
    strategy tells apart ways of its own, which one (else the strategy's name says how)."""

    value: T
    how: str | None = None


# What a strategy may know of a figure before reading its words: its measure, its unit, and whether a figure
# comes before it in its sentence.
Kind = tuple[str, str, bool]


@dataclass(frozen=True, slots=True)
class Strategy(Generic[A, T]):
    """One way of deciding: `decide(arg)` gives a Decision, or None to leave it to the next strategy.

    `when(measure, unit, after)`, if given, is a condition without which `decide` always passes: the strategy
    is not even called for a figure of another kind (issue 17: most strategies are for counts, ranks or rates
    only, and were called for every figure). It must hold whenever `decide` decides, and `decide` must change
    nothing when it passes (a strategy that narrows what later ones read takes no condition).
    """

    name: str
    decide: Callable[[A], Decision[T] | None]
    when: Callable[[str, str, bool], bool] | None = None


class Strategies(Generic[A, T]):
    """A resolver's strategies in order, with the ones that can decide for each kind of figure, listed once
    per kind."""

    def __init__(self, *strategies: Strategy[A, T]):
        self.all = strategies
        self._for: dict[Kind, tuple[Strategy[A, T], ...]] = {}

    def __iter__(self):
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def of_kind(self, kind: Kind) -> tuple[Strategy[A, T], ...]:
        found = self._for.get(kind)
        if found is None:
            found = self._for[kind] = tuple(s for s in self.all if s.when is None or s.when(*kind))
        return found


class lazy(Generic[T]):  # noqa: N801 - a decorator, named like functools.cached_property
    """functools.cached_property without its lock: the value is computed on first use and kept in the
    instance (a figure's evidence is read by one thread, thousands of times per document)."""

    def __init__(self, fn: Callable[[Any], T]):
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


def first(strategies: Sequence[Strategy[A, T]], arg: A) -> tuple[str, T] | None:
    """How the first strategy that decides decided, and its value; None when none does. For a figure, pass
    `Strategies.of_kind(its kind)`: only the strategies that can decide for that kind of figure."""
    for s in strategies:
        d = s.decide(arg)
        if d is not None:
            return d.how or s.name, d.value
    return None


@dataclass(frozen=True, slots=True)
class Stated:
    """A time word that sets the period of what follows it (not a comparison base, a due year or a plan).

    Attributes:
        at: its offset in the cleaned text.
        period: the period it gives the figures after it.
        kind: its kind (periods.KINDS), or "now" for a word for the time of writing (目前).
    """

    at: int
    period: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class SentenceRegions:
    """The regions one sentence names, read against one principal region once for all its figures
    (regions._named): (start, end, region, counts), offsets from the sentence start, in text order. A name that
    does not count is there still (a figure before its end is before it): the base of a comparison, the scope
    of a rank, a parent region's short form inside a name; a whole-area word counts when it stands for a
    region (`region` not None) and is no such base or scope either."""

    names: list[tuple[int, int, Region, bool]]
    wholes: list[tuple[int, int, Region | None, bool]]


@dataclass(eq=False)
class Context:
    """The context of one article (or of the whole document, outside every article).

    Attributes:
        model: the document model.
        hint: the region the user named for the document, if any.
        principal: the region the article is mostly about (else the document's, else the hint).
        default_period: the period most figures of the article are for, when their sentence says none.
        start: where the article starts in the cleaned text: a period carries no further back.
        stated: the time words of the whole document that set a period, in text order (shared).
        sentence_regions: the regions each sentence names, read for a principal region (a cache shared by
            the articles: the same sentence is read once per principal), by (sentence start, its code).
        sentence_times: the time words of each sentence that can date its figures, and the ones after a
            word of change (由, 从), read once for all its figures (dating.resolve; shared by the articles),
            by (sentence start, end).
    """

    model: DocModel
    hint: Region | None
    principal: Region | None
    default_period: str | None
    start: int = 0
    stated: list[Stated] = field(default_factory=list)
    sentence_regions: dict[tuple[int, str], SentenceRegions] = field(default_factory=dict)
    sentence_times: dict[tuple[int, int], tuple[list[periods.PeriodMention], list[periods.PeriodMention]]] = \
        field(default_factory=dict)
    text: str = field(init=False, repr=False)  # the cleaned text (model.text, read often)
    year: int | None = field(init=False)  # the publication year, if known

    def __post_init__(self) -> None:
        self.text = self.model.text
        self.year = self.model.ref.year if self.model.ref is not None else None

    @lazy
    def sections(self) -> list[tuple[int, int]]:
        """The spans, in the cleaned text, of the document's numbered headings (一、工业生产, （二）投资, 3．…):
        the sections of a release or a report, in order."""
        model = self.model
        raw, to_norm = model.raw, model.cleaned.to_norm
        return [(to_norm(b.span.start), to_norm(b.span.end)) for b in model.page.blocks
                if b.kind == "heading" and periods.section_number(raw[b.span.start:b.span.end])]


@dataclass(eq=False)
class Figure:
    """One quantity in its sentence, as the resolvers see it.

    Attributes:
        ctx: its article's context.
        q: the quantity.
        s, e: its sentence in the cleaned text.
        clause_lo: where its clause starts.
        prev: the facts made before it in its sentence, in order.
        others: the quantities of its sentence, in order (itself among them).
        carried: the period stated last before its sentence in its article, if any.
        measures: the measure of every quantity of the document as this stage has it (an estimate of a
            past year is a level, not the target the measure stage read): id(quantity) → measure.
    """

    ctx: Context
    q: Quantity
    s: int
    e: int
    clause_lo: int
    prev: list[Fact]
    others: list[Quantity]
    carried: str | None
    measures: dict[int, str]
    text: str = field(init=False, repr=False)  # the cleaned text
    pos: int = field(init=False)  # where the quantity starts
    measure: str = field(init=False)  # its measure, as measures[id(q)]

    def __post_init__(self) -> None:
        self.text = self.ctx.text
        self.pos = self.q.span.start
        self.measure = self.measures[id(self.q)]

    def kind(self) -> Kind:
        """Its measure, its unit, and whether a figure comes before it in its sentence (Strategy.when)."""
        return self.measure, self.q.unit, bool(self.prev)

    def measure_of(self, q: Quantity) -> str:
        return self.measures[id(q)]

    def set_measure(self, measure: str) -> None:
        """Change its measure, for the figures after it too (an estimate of a past year is a level)."""
        self.measure = self.measures[id(self.q)] = measure

    def before(self) -> str:
        """The words of its clause before it."""
        return self.text[self.clause_lo:self.q.span.start]
