"""The region of a figure, and the region a text or an article is about.

A figure belongs to the region its sentence names before it (unless that region is only the base of a
comparison, the scope of a rank or an example in a list), else to the region of the figure it follows,
else to the article's principal region, else to the user's hint.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from weakref import WeakKeyDictionary, ref

from ..docmodel import DocModel
from ..gazetteer import Match, Region
from ..gazetteer import load as gazetteer
from . import lists
from .context import FOLLOWERS, Context, Decision, Figure, SentenceRegions, Strategies, Strategy, first
from .cues import cues, rx, rx_end

Found = list[Match]
_CLAUSE_MARK = re.compile(r"[，,；;。]")
_ITEM_END = re.compile(r"[、等]")


def mentions(text: str, near: Region | None, found: Found, lo: int, hi: int) -> list[tuple[int, int, Region]]:
    """Region names in text[lo:hi], with offsets from lo, from the document's scan `found`. A full name
    counts anywhere; a short form (平鲁, 红山) only for a region in the province of `near`, because short
    forms hide inside ordinary words (顺利通过 holds 利通). An ambiguous form is left out rather than guessed."""
    g = gazetteer()
    i = bisect_left(found, (lo,))
    found = found[i:bisect_left(found, (hi,), i)]
    out = []
    province: Region | None | bool = False  # not read yet: a full name needs none
    inside: dict[int, bool] = {}  # id(region) → whether a short form of it is read: a text names its units often
    for start, end, r in found:
        if end > hi:
            break
        if not isinstance(r, list):
            if r.level == "country":
                continue  # 全国 is a whole-area word, read with 全省 and 全市
            if text[start:end] == r.name:
                out.append((start - lo, end - lo, r))
                continue
        if province is False:
            province = _province(near)
        if province is None:
            continue
        if isinstance(r, list):
            within = [c for c in r if g.within(c, province)]
            if len(within) != 1:
                continue
            r = within[0]
            if text[start:end] == r.name:
                out.append((start - lo, end - lo, r))
                continue
        ok = inside.get(id(r))
        if ok is None:
            ok = inside[id(r)] = g.within(r, province) or r in g.ancestors(province)
        if ok:
            out.append((start - lo, end - lo, r))
    return out


def _province(near: Region | None) -> Region | None:
    """The province `near` is in (or is), if any."""
    if near is None:
        return None
    return next((r for r in [near, *gazetteer().ancestors(near)] if r.level == "province"), None)


def principal(model: DocModel, hint: Region | None, lo: int = 0, hi: int | None = None) -> Region | None:
    """The region text[lo:hi] is mostly about: the most named one, the more specific one on a near tie.

    A county named together with its city (朔州市平鲁区) counts for the county; 全区/全县 add to the
    most named unit of that level, because they speak of the report's own area. A region named as the
    other side of a comparison (与对标县比) or as the scope of a rank (居全市第一) is not what the text is
    about, and does not count.
    """
    g = gazetteer()
    text, found = model.text, model.regions
    hi = len(text) if hi is None else hi
    # the text's full names, read once: they count whatever the anchor; the short forms (and the ambiguous
    # names) are read against it
    full, short = _full_names(text, found, lo, hi)
    full = [(start, end, r) for start, end, r in full if not compared(model, start, end)]
    counts: dict[str, int] = {}
    for _, _, r in full:
        counts[r.code] = counts.get(r.code, 0) + 1
    # the anchor: the most named region counting full names only, else the hint, else the text's own unit
    anchor = (g.get(max(counts, key=counts.get)) if counts else None) or hint or _own_anchor(model, lo, hi)
    named = [(lo + start, lo + end, r) for start, end, r in mentions(text, anchor, short, lo, hi)
             if not compared(model, lo + start, lo + end)]
    counts = {}
    first_at: dict[str, int] = {}
    for start, _, r in sorted(full + named, key=lambda m: m[0]) if named else full:  # text order
        counts[r.code] = counts.get(r.code, 0) + 1
        first_at.setdefault(r.code, start - lo)
    text = text[lo:hi]
    if not counts:
        # a text that names no place below the country but speaks of it (中法欧会晤, 中国国情读本) is national
        local = any(m for m in rx("whole_area").finditer(text) if not m.group().endswith("国"))
        if not local and len(rx("national").findall(text)) >= 2:
            return g.get("100000")
        return hint
    if hint is not None and hint.code and hint.code not in counts \
            and any(g.within(g.get(c), hint) for c in counts):
        # the page's own city (its masthead, its other articles) is a candidate for 全市 in this article
        counts[hint.code], first_at[hint.code] = 0, -1
    for word in cues()["own_area"]:
        suffix = word[-1]
        n = text.count(word)
        if not n:
            continue
        named = [c for c in counts if g.get(c).name.endswith(suffix)]
        if suffix == "市":  # 全市 speaks of a prefecture when one is named, not of a county-level city
            named = [c for c in named if g.get(c).level == "prefecture"] or named
        if named:
            best = max(named, key=lambda c: counts[c])
            counts[best] += n
    top = max(counts.values())
    leader = max(counts, key=lambda c: (counts[c], -first_at[c]))
    near = [c for c, n in counts.items() if n * 2 >= top]
    # a unit named with its city (朔州市平鲁区) is the text's subject, unless several of the city's units
    # are named: then the text is about the city (分县区看，南康区…章贡区…)
    children = [c for c in counts if c != leader and g.within(g.get(c), g.get(leader))]
    if len(children) > 1:
        return g.get(leader)
    level = {"county": 0, "prefecture": 1, "province": 2, "country": 3}
    best = min(near, key=lambda c: (level[g.get(c).level], -counts[c], first_at[c]))
    return g.get(best)


def _full_names(text: str, found: Found, lo: int, hi: int) -> tuple[Found, Found]:
    """The regions of `found` in text[lo:hi] as mentions reads them, split: the ones named in full (in the
    text's offsets), and the rest (short forms, ambiguous names), for mentions to read against a region."""
    i = bisect_left(found, (lo,))
    full: Found = []
    short: Found = []
    for start, end, r in found[i:bisect_left(found, (hi,), i)]:
        if end > hi:
            break
        if not isinstance(r, list):
            if r.level == "country":
                continue
            if text[start:end] == r.name:
                full.append((start, end, r))
                continue
        short.append((start, end, r))
    return full, short


def _own_anchor(model: DocModel, lo: int, hi: int) -> Region | None:
    """The unit that 全市/我县 speak of when the text names no region in full: a city's own report may
    name itself only inside the names of its projects and brands (邯郸数字经济产业园 with 全市), by a
    short form. The one unit of that level whose short form the text holds at least twice, else None: read
    once, two characters may be part of words (财政和金融 holds 政和, 壮大新能源 大新), and a text about its
    own unit names it more than once."""
    text = model.text[lo:hi]
    suffixes = {w[-1] for w in cues()["own_area"] if w in text}
    if not suffixes:
        return None
    i = bisect_left(model.regions, (lo,))
    units: dict[str, tuple[Region, int]] = {}
    for start, end, r in model.regions[i:bisect_left(model.regions, (hi,), i)]:
        if (not isinstance(r, list) and r.level in ("prefecture", "county") and r.name[-1] in suffixes
                and not compared(model, start, end)):
            units[r.code] = (r, units.get(r.code, (r, 0))[1] + 1)
    return next(iter(units.values()))[0] if len(units) == 1 and next(iter(units.values()))[1] >= 2 else None


def resolve_whole(word: str, principal: Region | None) -> Region | None:
    """全区/全市/全县/全省/全国/我市/该区 → the principal region or the parent it names."""
    g = gazetteer()
    if word.endswith("国"):
        return g.get("100000")
    if principal is None:
        return None
    suffix = word[-1]
    for r in [principal, *g.ancestors(principal)]:
        if suffix == "省" and r.level == "province":
            return r
        if suffix in "市州盟" and r.level == "prefecture":
            return r
        if r.name.endswith(suffix) and r.level != "country":
            return r
    return None


def compared(model: DocModel, start: int, end: int) -> bool:
    """A region at text[start:end] that is only the base of a comparison (高于全市, 与对标县比), the
    scope of a rank (全省第一, 全国首个), of a title (获评全省示范县) or of a survey (根据全国…抽样调查):
    the words of its clause before it, or right after it, say so."""
    # asked once per figure for every region before it in its sentence, and each answer scans the clause:
    # cached per mention, so that a long sentence (a page pasted without punctuation) is not cubic
    last = _last  # read once: another thread may set it
    seen = last[1] if last[0]() is model else _seen(model)
    found = seen.get((start, end))
    if found is None:
        found = seen[start, end] = _compared_at(model, start, end)
    return found


_compared: WeakKeyDictionary[DocModel, dict[tuple[int, int], bool]] = WeakKeyDictionary()
_last: tuple[Callable[[], DocModel | None], dict[tuple[int, int], bool]] = (lambda: None, {})
# ^ the model asked about last (a weak reference to it) and its answers


def _seen(model: DocModel) -> dict[tuple[int, int], bool]:
    """The answers of compared for `model`, kept as the last model's too: compared is asked thousands of times
    in a row for one document, and a WeakKeyDictionary makes a new weak reference for each lookup."""
    seen = _compared.get(model)
    if seen is None:
        seen = _compared[model] = {}
    global _last
    _last = (ref(model), seen)
    return seen


def _compared_at(model: DocModel, start: int, end: int) -> bool:
    text = model.text
    clause_lo = model.clause_start(start, model.sentence_marks.start(start))
    if rx("base_before").search(text, clause_lo, start):
        return True
    # a survey's scope is a whole area (根据全国人口抽样调查); a named office is the data's own source
    # (根据灵丘县统计局数据), which speaks of its region
    if text[start:end] in cues()["whole_area"] and rx("source_before").search(text, clause_lo, start):
        return True
    if rx_end("title_before").search(text[max(clause_lo, start - 6):start].rstrip("了为成“\"")):
        return True
    return bool(rx("scope_after").match(text, end))


def _example(text: str, end: int, pos: int) -> bool:
    """A region named in a list of examples (应县陶瓷等5个特色小镇): the count is of the whole, not of it."""
    between = text[end:pos]
    if "等" not in between or _CLAUSE_MARK.search(between):
        return False
    item = _ITEM_END.split(between, maxsplit=1)[0]  # the rest of its item: a name, not a verb (培育了…)
    return "了" not in item and not rx("verbs").search(item)


# --- the strategies ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Seen:
    """A figure and the regions its sentence names before it: (offset from the sentence start, region,
    what named it), in text order, region names first, then whole-area words."""

    fig: Figure
    named: list[tuple[int, Region, str]]


def _named(fig: Figure) -> list[tuple[int, Region, str]]:
    ctx, text, s, pos = fig.ctx, fig.text, fig.s, fig.pos
    p = ctx.principal
    key = (s, p.code if p else "")
    read = ctx.sentence_regions.get(key)
    if read is None:
        read = ctx.sentence_regions[key] = _sentence_regions(ctx.model, p, s)
    named: list[tuple[int, Region, str]] = []
    for start, end, r, counts in read.names:
        if s + end > pos:
            break
        if counts and not _example(text, s + end, pos):
            named.append((start, r, "named"))
    if fig.measure not in ("rank", "pp_diff"):  # 全省第一, 高于全市: the whole area is the scope there
        for start, end, whole, counts in read.wholes:
            if s + end > pos:
                break
            if counts:
                named.append((start, whole, "whole_area"))  # type: ignore[arg-type]  # counts: not None
    return named


def _sentence_regions(model: DocModel, p: Region | None, s: int) -> SentenceRegions:
    """What of the regions of the sentence starting at `s` does not depend on the figure, read once for all its
    figures against the principal region `p`: its region names, then its whole-area words (全县, 全市 …) as the
    region each stands for."""
    text, e = model.text, model.sentence_marks.end(s)
    parents = None  # read for a short form only
    names = []
    for start, end, r in mentions(text, p, model.regions, s, e):
        # 朔州 in a county's text is part of a name (朔州高新区), not its region
        part_of_name = False
        if text[s + start:s + end] != r.name:
            if parents is None:
                parents = gazetteer().ancestors(p) if p else []
            part_of_name = r in parents
        names.append((start, end, r, not part_of_name and not compared(model, s + start, s + end)))
    wholes = []
    for m in rx("whole_area").finditer(text, s, e):
        whole = resolve_whole(m.group(), p)
        wholes.append((m.start() - s, m.end() - s, whole, whole is not None and not compared(model, m.start(), m.end())))
    return SentenceRegions(names, wholes)


def _respective(seen: _Seen) -> Decision[Region | None] | None:
    if lists.cue(seen.fig, seen.fig.s) == -1:
        return None  # no 分别 before the figure in its sentence, which both readings need
    r = lists.respective_region(seen.fig, [(at, r) for at, r, _ in seen.named]) or lists.unknown_place(seen.fig)
    return Decision(r) if r is not None else None


def _nearest(seen: _Seen) -> Decision[Region | None] | None:
    """The region named nearest before the figure, unless the figure follows another (增长7.2%) and the
    name stands in an earlier clause: then it is the other figure's."""
    if not seen.named:
        return None
    fig = seen.fig
    at, region, how = max(seen.named, key=itemgetter(0))
    if fig.measure in FOLLOWERS and fig.prev and at < fig.clause_lo - fig.s:
        return None
    return Decision(region, how)


def _previous(seen: _Seen) -> Decision[Region | None] | None:
    """The region of the figure it follows (increases, ranks …), seen from the principal region; when the
    name cannot be resolved, the principal (even None: the hint is not the figure's)."""
    fig = seen.fig
    if fig.measure in FOLLOWERS and fig.prev and fig.prev[-1].region:
        p = fig.ctx.principal
        return Decision(gazetteer().resolve(fig.prev[-1].region, p) or p)
    return None


def _principal(seen: _Seen) -> Decision[Region | None] | None:
    p = seen.fig.ctx.principal
    return Decision(p) if p is not None else None


def _hint(seen: _Seen) -> Decision[Region | None] | None:
    h = seen.fig.ctx.hint
    return Decision(h) if h is not None else None


STRATEGIES: Strategies[_Seen, Region | None] = Strategies(
    Strategy("respective", _respective),  # 石家庄市、唐山市…分别: the i-th figure is the i-th region's
    Strategy("named", _nearest),  # named, or a whole-area word (全县) for the principal or its parent
    Strategy("previous", _previous, lambda m, u, after: after and m in FOLLOWERS),  # the region of the figure it follows
    Strategy("principal", _principal),
    Strategy("hint", _hint),
)


def resolve(fig: Figure) -> tuple[Region | None, str | None]:
    """The figure's region and how it was found (None, None when nothing names one)."""
    found = first(STRATEGIES.of_kind(fig.kind()), _Seen(fig, _named(fig)))
    if found is None:
        return None, None
    how, region = found
    return region, how


def context_principal(ctx: Context, lo: int, hi: int) -> Region | None:
    """The principal region of text[lo:hi] (an article), read against the document's."""
    return principal(ctx.model, ctx.principal or ctx.hint, lo, hi)
