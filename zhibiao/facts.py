"""Quantities in context → Facts: what each figure measures (indicator), where (region), for what (entity)
and when (period), with its raw span, sentence and article.

The stage reads the normalized text, one sentence at a time, and looks for context the way a reader
does: first in the figure's own clause, then in the sentence, then in the article, then in what the
user gave as hints (a region, a publication date). Cue words live in lexicons/facts.yaml.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from . import layout
from . import periods as periods_mod
from .catalogue import Indicator, catalogue, fold
from .clean import Normalized
from .gazetteer import Region
from .gazetteer import load as gazetteer
from .layout import Layout
from .lexicon import load, words
from .model import Document, Fact, Quantity, Span

_SENTENCE_END = "。！？!?\n"
_CLAUSE_MARKS = "，,。；;：:！!？?\n"
_HAN = re.compile(r"[\u4e00-\u9fff]")

# measures that say something about a figure named before them in the sentence (增长7.2%, 居全省第一)
_FOLLOWERS = ("growth", "rank", "pp_diff", "change", "share", "completion", "multiple")


@functools.cache
def _cues() -> dict:
    return load("facts")


@functools.cache
def _rx(name: str) -> re.Pattern:
    words = sorted(_cues()[name], key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


@functools.cache
def _rx_end(name: str, repeat: bool = False) -> re.Pattern:
    """The words of a cue list at the end of a string (once, or repeated)."""
    return re.compile(f"(?:{_rx(name).pattern}){'+' if repeat else ''}$")


# --- the context of a document --------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    doc: Document
    text: str  # normalized
    ref: date | int | None
    principal: Region | None
    hint: Region | None
    default_period: str | None
    # time words of the whole text, read once, and the region names of each sentence, read once
    mentions: list[periods_mod.PeriodMention] = field(default_factory=list)
    mention_starts: list[int] = field(default_factory=list)
    regions: dict[tuple[int, str], list[tuple[int, int, Region]]] = field(default_factory=dict)
    found_regions: Found = field(default_factory=list)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return left, right


def _clause_start(text: str, pos: int, floor: int) -> int:
    return max([floor] + [text.rfind(c, floor, pos) + 1 for c in _CLAUSE_MARKS])


Found = list[tuple[int, int, "Region | list[Region]"]]


def _region_mentions(text: str, near: Region | None = None, found: Found | None = None, lo: int = 0,
                     hi: int | None = None) -> list[tuple[int, int, Region]]:
    """Region names in text[lo:hi], with offsets from lo. A full name counts anywhere; a short form (平鲁,
    红山) only for a region in the province of `near`, because short forms hide inside ordinary words
    (顺利通过 holds 利通). An ambiguous form is left out rather than guessed. `found` is the gazetteer's
    scan of the whole text when the caller has it (the scan is the costly part)."""
    g = gazetteer()
    hi = len(text) if hi is None else hi
    if found is None:
        found = g.find(text[lo:hi]) if (lo, hi) != (0, len(text)) else g.find(text)
        base = lo
    else:
        i = bisect_left(found, (lo,))
        found = found[i:bisect_left(found, (hi,), i)]
        base = 0
    province = None
    if near is not None:
        chain = [near, *g.ancestors(near)]
        province = next((r for r in chain if r.level == "province"), None)
    out = []
    for start, end, r in found:
        start, end = start + base, end + base
        if end > hi:
            break
        if not isinstance(r, list) and r.level == "country":
            continue  # 全国 is a whole-area word, read with 全省 and 全市
        if isinstance(r, list):
            if province is None:
                continue
            inside = [c for c in r if g.within(c, province)]
            if len(inside) != 1:
                continue
            r = inside[0]
        if text[start:end] != r.name:
            if province is None or not (g.within(r, province) or r in g.ancestors(province) or r == province):
                continue
        out.append((start - lo, end - lo, r))
    return out


def _principal(text: str, hint: Region | None, found: Found | None = None, lo: int = 0,
               hi: int | None = None) -> Region | None:
    """The region a text is mostly about: the most named one, the more specific one on a near tie.

    A county named together with its city (朔州市平鲁区) counts for the county; 全区/全县 add to the
    most named unit of that level, because they speak of the report's own area.
    """
    g = gazetteer()
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    anchor = _principal_full(text, found, lo, hi) or hint
    for start, _, r in _region_mentions(text, anchor, found, lo, hi):
        counts[r.code] = counts.get(r.code, 0) + 1
        first.setdefault(r.code, start)
    text = text[lo:hi]
    if not counts:
        # a text that names no place below the country but speaks of it (中法欧会晤, 中国国情读本) is national
        local = any(m for m in _rx("whole_area").finditer(text) if not m.group().endswith("国"))
        if not local and len(_rx("national").findall(text)) >= 2:
            return g.get("100000")
        return hint
    if hint is not None and hint.code and hint.code not in counts \
            and any(g.within(g.get(c), hint) for c in counts):
        # the page's own city (its masthead, its other articles) is a candidate for 全市 in this article
        counts[hint.code], first[hint.code] = 0, -1
    for word, suffix in (("全区", "区"), ("全县", "县"), ("全市", "市"), ("我区", "区"), ("我县", "县"),
                         ("我市", "市")):
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
    leader = max(counts, key=lambda c: (counts[c], -first[c]))
    near = [c for c, n in counts.items() if n * 2 >= top]
    # a unit named with its city (朔州市平鲁区) is the text's subject, unless several of the city's units
    # are named: then the text is about the city (分县区看，南康区…章贡区…)
    children = [c for c in counts if c != leader and g.within(g.get(c), g.get(leader))]
    if len(children) > 1:
        return g.get(leader)
    level = {"county": 0, "prefecture": 1, "province": 2, "country": 3}
    best = min(near, key=lambda c: (level[g.get(c).level], -counts[c], first[c]))
    return g.get(best)


def _principal_full(text: str, found: Found | None = None, lo: int = 0, hi: int | None = None) -> Region | None:
    """The most named region counting full names only: the anchor that short forms are read against."""
    counts: dict[str, int] = {}
    for _, _, r in _region_mentions(text, None, found, lo, hi):
        counts[r.code] = counts.get(r.code, 0) + 1
    return gazetteer().get(max(counts, key=counts.get)) if counts else None


def _resolve_whole(word: str, principal: Region | None) -> Region | None:
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


# --- indicator ------------------------------------------------------------------------------------


def _catalogue_before(text: str, lo: int, hi: int) -> tuple[Indicator, str] | None:
    """The catalogue indicator named nearest before `hi` in text[lo:hi], with the words that name it."""
    mentions = catalogue().find(text[lo:hi])
    if not mentions:
        return None
    last = mentions[-1]
    if last.text[0] in "年月" and last.start > 0 and text[lo + last.start - 1].isdigit():
        # 2023年产值: the 年 closes the date, the name is 产值
        entry = catalogue().get(last.text[1:])
        if entry is None:
            return (mentions[-2].indicator, mentions[-2].text) if len(mentions) > 1 else None
        return entry, last.text[1:]
    return last.indicator, last.text


_QUANTITY_END = re.compile(r"[\d.]+(?:万|亿)?[\u4e00-\u9fff]?")
_TIME_HINT = re.compile(r"[年月季今去前后以]")  # no time word lacks all of these: skip the period grammar
_INNER = re.compile(r"累计|分别|总共|(?<![公总])共(?![同享建有])|(?<![人平])均(?![衡匀])")


def _phrase(text: str, lo: int, hi: int, others: list[Quantity]) -> str | None:
    """The noun phrase a figure measures when no catalogue name fits: the clause before the number, without
    the region and time of its subject, the verbs that lead to the number and the function words."""
    # other figures of the clause are cut out: in 减免1324户485.3万元 the second shares the words before
    # the first; in 为103户小微企业发放贷款8.5亿元 the words after the first are the second's
    pieces, at = [], lo
    for o in others:
        if lo <= o.span.start and o.span.end <= hi:
            pieces.append(text[at:o.span.start])
            at = o.span.end
    pieces.append(text[at:hi])
    pieces = [re.sub(r"[“”\"‘’《》（）()【】\s]", "", p) for p in pieces]
    s = pieces[-1]
    if len(pieces) > 1 and len(_strip(s)) < 2:
        s = pieces[0]
    s = _strip(re.split(r"[、,，;；:：]", s)[-1])
    if not (2 <= len(s) <= 24 and _HAN.search(s)) or _empty_phrase(s):
        return None
    return s


def _empty_phrase(s: str) -> bool:
    """A phrase that names nothing measured: only a verb, a measure word, a region or a whole-area word."""
    return bool(_rx("verbs").fullmatch(s) or _rx("strip_tail").fullmatch(s) or _rx("strip_lead").fullmatch(s)
                or _rx("whole_area").fullmatch(s) or _rx("empty").fullmatch(s)
                or gazetteer().prefix(s) == len(s))


def _strip(s: str) -> str:
    """Cut what frames a phrase: trailing verbs (达到, 为), leading regions, time words and 其中."""
    lead = _rx("strip_lead")
    for _ in range(4):
        before = s
        m = _rx_end("strip_tail").search(s)
        if m and m.start() > 0:
            s = s[:m.start()]
        for rx in (lead, _rx("whole_area"), _rx("verbs")):
            m = rx.match(s)
            if m and m.end() < len(s) - 1:
                s = s[m.end():]
        n = gazetteer().prefix(s)
        if 0 < n < len(s):
            s = s[n:]
            if len(s) > 3 and s[0] == s[1]:
                s = s[1:]  # 怀仁站站房面积: the place's 站 ends its name, 站房 begins the phrase
        if _TIME_HINT.search(s):
            for p in periods_mod.find_periods(s)[-1:]:
                if p.end < len(s) - 1:
                    s = s[p.end:]  # 示范区2024年确定项目: what follows the time word
        if s == before:
            break
    if "的" in s[:-1]:
        rest = s[s.rindex("的") + 1:]
        if len(rest) >= 2:
            s = rest
    if len(s) > 6:
        # a long phrase holds its subject and means (依托…公路建成和美乡村): keep from its last verb on
        cuts = [m.start() for m in _rx("verbs").finditer(s) if 0 < m.start() and m.end() <= len(s) - 2]
        if cuts:
            s = s[cuts[-1]:]
    return _INNER.sub("", s) if len(_INNER.sub("", s)) >= 2 else s


@functools.cache
def _prepositions() -> tuple[str, ...]:
    return tuple(_cues()["prepositions"])


def _ends_in_verb(phrase: str) -> bool:
    """Whether a phrase ends in a verb or preposition of the verb list (守住, 给予, 通过), not a noun."""
    verbs = words("verbs")
    # a preposition ends no noun (将在一周时间里); 把/将 make the figure the object of the verb after it
    return any(phrase[-k:] in verbs for k in (2, 3, 4) if len(phrase) > k) or phrase in verbs \
        or phrase.endswith(_prepositions())


def _phrase_after(text: str, end: int, hi: int) -> str | None:
    """For counts, the noun after the measure word is what is counted (建成16个和美乡村): up to the next
    verb, adverb or function word."""
    lead = re.match(r"(?:不等|以上|左右)?的", text[end:hi])  # 3000至10000元不等的奖励
    end += lead.end() if lead else 0
    window = re.sub(r"（[^）]{0,12}）|\([^)]{0,12}\)", "", text[end:hi])  # 6个县（市、区）: the note is no noun
    m = re.match(r"[“\"]?[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9“”\"]{1,23}", window)
    if not m:
        return None
    p = re.sub(r"[“”\"]", "", m.group())
    p = re.split(r"\d", p)[0]  # the next figure begins
    if _rx("stop_after").match(p):
        return None
    cut = _rx("stop_after").search(p, 2)
    if cut:
        p = p[:cut.start()]
    # 103户小微企业发放贷款: the counted thing ends where a verb begins (a short head such as 重点 stays)
    # 4个县获评: a one-character place word is a whole noun
    verb = _rx("object_verbs").search(p, 1 if p[:1] in _cues()["place_words"] else 3)
    if verb:
        p = p[:verb.start()]
    if p.endswith("率"):
        # 12个省市重点工程项目开复工率100%: the rate belongs to the next figure, the projects to this one
        rate = [m for m in _rx("verbs").finditer(p) if m.end() == len(p) - 1 and m.start() >= 2]
        p = p[:rate[-1].start()] if rate else ""
    if p in _cues()["place_words"]:
        return p
    return p if len(p) >= 2 and not _empty_phrase(p) and p not in words("verbs") else None


# --- entity ----------------------------------------------------------------------------------------


@functools.cache
def _entity_rx() -> re.Pattern:
    heads = "|".join(re.escape(w) for w in sorted(_cues()["entity_heads"], key=len, reverse=True))
    # a name: Han letters, digits, Latin and a few joiners, ending in a head word (项目, 有限公司 …)
    return re.compile(r"[\u4e00-\u9fffA-Za-z0-9×.·“”\"\-]{2,40}?(?:" + heads + ")")


def _entity_at(text: str, lo: int, hi: int, q: Quantity) -> tuple[str | None, bool]:
    """The project or company in text[lo:hi] a figure belongs to, and whether the figure is in its name."""
    best = None
    for m in _entity_rx().finditer(text, lo, hi):
        name = _trim_entity(m.group())
        if name is None:
            continue
        start = m.end() - len(name)
        if start <= q.span.start and q.span.end <= m.end():
            return name, True
        if _GROUP.match(text, m.end()):
            continue  # 批复风电光伏项目6个: a kind of thing being counted, not one of them
        if m.end() <= q.span.start:
            best = name
    if best is None and text.startswith("的", q.span.end):
        # 总投资17.2亿元的凤凰古城项目: the project named right after its figure
        m = _entity_rx().match(text, q.span.end + 1, hi)
        if m:
            best = _trim_entity(m.group())
    return best, False


_GROUP = re.compile(r"(?:\d+|[一二两三四五六七八九十百千几多]+)(?:个|项|家|座|条|处|批|大类|类|级)")


def _trim_entity(name: str) -> str | None:
    """The name proper, or None when the words only describe a kind of thing (重点工程, 215个项目)."""
    # the name starts after the verb or function word that introduces it (建设…项目, 投产的…工厂)
    cut = 0
    for m in _rx("entity_lead").finditer(name):
        if m.end() < len(name) - 2:
            cut = m.end()
    name = name[cut:].strip("“”\"")
    if _GROUP.search(name):
        return None  # 3个项目, 三大类工程: a group of things, not one
    core = _rx("entity_heads").sub("", name)
    core = _rx("entity_generic").sub("", core)
    return name if len(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", core)) >= 2 else None


def _attribute_in_name(q: Quantity, entity: str, after: str = "") -> str | None:
    """The attribute a number in a project's name gives: its capacity (5GW单晶硅项目, 2×100万千瓦机组)."""
    if q.unit == "W":
        power = any(w in entity or w in after for w in _cues()["power_plant"])
        # 6MW示范项目: no product between the power and the project's head word, so it is the plant's own
        bare = entity and not _rx("entity_heads").sub("", _rx("entity_generic").sub("", after)).strip()
        return "装机容量" if power or bare else "产能"
    if q.unit in ("t", "m3"):
        return "产能"
    return None


# --- period ------------------------------------------------------------------------------------------


@functools.cache
def _plan_rx() -> re.Pattern:
    return _rx("plan")


def _doc_period(stated: list[tuple[int, str, str]], ref: date | int | None) -> str | None:
    """The period most figures of a text are for when a sentence does not say: the period its own time
    words name most often (2023 in a report on 2023; 2022-H1 in a mid-year review), else the year of
    publication. Comparison bases and targets do not count."""
    counts: dict[str, int] = {}
    for _, period, kind in stated:
        if kind not in ("since", "day", "now"):  # 今年以来 frames a story, a day an event: neither dates a table
            counts[period] = counts.get(period, 0) + 1
    year = ref.year if isinstance(ref, date) else ref
    if year is not None:
        counts = {p: n for p, n in counts.items() if int(p[:4]) <= year}
    if counts:
        return max(counts, key=lambda p: (counts[p], p))
    return str(year) if year else None


# --- building facts ------------------------------------------------------------------------------------


def build_facts(doc: Document, cleaned: Normalized, found: list[Quantity], region: str | None = None,
                page: Layout | None = None) -> list[Fact]:
    """One Fact per quantity (more for 双双第一-like ranks), in text order, every span a raw span.

    Each article of a page is its own context: its region is the one it names most, and a period it
    states carries on only within it. `page` is the layout of doc.text (computed when not given).
    """
    text = cleaned.text
    g = gazetteer()
    hint = None
    if region:
        # a region the gazetteer does not know (a new district, a typo) is still the user's word for it
        hint = g.resolve(region) or Region(code="", name=region.strip(), short=(), level="county",
                                          parent_code=None)
    page = page if page is not None else layout.analyze(doc.text)
    ref = doc.published
    found_regions = g.find(text)  # once per text: every later look at region names slices it
    principal = _principal(text, hint, found_regions)
    mentions = periods_mod.find_periods(text, ref)
    stated = _stated_periods(text, mentions)
    if ref is not None:
        # 目前，已建成…。建成…: the time of writing holds for the figures after it in its paragraph
        now = str(ref.year if isinstance(ref, date) else ref)
        stated = sorted(stated + [(m.start(), now, "now") for m in _rx("now").finditer(text)])
    doc_ctx = _Context(doc, text, ref, principal, hint, _doc_period(stated, ref), mentions,
                       [m.start for m in mentions], {}, found_regions)
    contexts: dict[int, tuple[_Context, int]] = {}
    out: list[Fact] = []
    prev_in_sentence: list[Fact] = []
    last_sentence = (-1, -1)
    starts = [p for p, _, _ in stated]
    q_starts = [q.span.start for q in found]
    plans = _plan_sections(doc.text, page, ref)
    for q in found:
        raw = cleaned.to_raw(q.span.start, q.span.end)
        block = page.block_at(raw.start)
        index = block.article if block is not None else -1
        if index not in contexts:
            contexts[index] = _article_context(doc_ctx, cleaned, page, index, stated)
        ctx, article_start = contexts[index]
        s, e = _sentence(text, q.span.start, q.span.end)
        if (s, e) != last_sentence:
            prev_in_sentence = []
            last_sentence = (s, e)
        # the last period stated before this sentence, in its article, goes on until another is stated
        i = bisect_left(starts, s)
        carried = _carried(stated, i, article_start, text, s)
        near = found[bisect_left(q_starts, s):bisect_left(q_starts, e)]
        fact = _fact(ctx, cleaned, q, s, e, prev_in_sentence, carried, near)
        if block is not None and block.span.start in plans and fact.measure in ("level", "growth", "change", "share", "ratio") \
                and not _rx("past").search(text, _clause_start(text, q.span.start, s), q.span.start):
            # under 2024年主要预期目标 every figure is a target for that year
            fact.measure = "target"
            fact.period = plans[block.span.start] or fact.period
        if index >= 0:
            fact.article = page.articles[index].title
        if block is not None and block.repeat_of is not None:
            fact.duplicate_of = _first_print(doc.text, fact, block)
        out.append(fact)
        out.extend(_shared_rank(fact, prev_in_sentence, text, s, q))
        prev_in_sentence.append(fact)
    for f in out:
        f.extra.pop("pos", None)  # the figure's place in the cleaned text serves this stage only
    return out


def _plan_sections(raw: str, page: Layout, ref: date | int | None) -> dict[int, str | None]:
    """Blocks under a heading that announces plans (二、2024年主要预期目标): block start → the plan's year."""
    out: dict[int, str | None] = {}
    plan: tuple[str | None] | None = None
    article = None
    for b in page.blocks:
        if b.article != article:
            plan, article = None, b.article
        if b.kind == "heading":
            words = raw[b.span.start:b.span.end]
            plan = None
            if _rx("plan_heading").search(words):
                years = [m.period[:4] for m in periods_mod.find_periods(words, ref) if m.period]
                plan = (years[-1] if years else None,)
        elif plan is not None and b.kind in ("prose", "list", "table"):
            out[b.span.start] = plan[0]
    return out


def _article_context(doc_ctx: _Context, cleaned: Normalized, page: Layout, index: int,
                     stated: list[tuple[int, str, str]]) -> tuple[_Context, int]:
    """The context of one article (its principal region and default period), and where it starts."""
    if index < 0:
        return doc_ctx, 0
    span = page.articles[index].span
    lo, hi = cleaned.to_norm(span.start), cleaned.to_norm(span.end)
    principal = _principal(doc_ctx.text, doc_ctx.principal or doc_ctx.hint, doc_ctx.found_regions, lo, hi)
    own = [t for t in stated if lo <= t[0] < hi]
    default = _doc_period(own, doc_ctx.ref) if own else doc_ctx.default_period
    return _Context(doc_ctx.doc, doc_ctx.text, doc_ctx.ref, principal, doc_ctx.hint, default, doc_ctx.mentions,
                    doc_ctx.mention_starts, doc_ctx.regions, doc_ctx.found_regions), lo


def _first_print(raw: str, fact: Fact, block: layout.Block) -> Span | None:
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


def _period_of(m: periods_mod.PeriodMention) -> str | None:
    """The period a time word gives the figures after it: 今年以来 (January to now) is the year so far."""
    if m.kind == "since" and m.period and re.fullmatch(r"(\d{4})-01/\1-\d\d", m.period):
        return m.period[:4]
    return m.period


def _carried(stated: list[tuple[int, str, str]], i: int, floor: int, text: str, s: int) -> str | None:
    """The period stated last before position s (stated[:i]) within the article: a day (3月18日，…) or a
    word for now (目前，…) holds for its own paragraph only, a longer period until another is stated."""
    while i > 0 and stated[i - 1][0] >= floor:
        at, period, kind = stated[i - 1]
        if kind not in ("day", "now") or "\n" not in text[at:s]:
            return period
        i -= 1
    return None


_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+(?:次|批|届|期|轮|场)")


def _ordinal(text: str, end: int) -> bool:
    """2024年第一次“三个一批”活动: a year that names an event of a series, not the time of a figure."""
    return bool(_ORDINAL.match(text, end))


_DIGIT = re.compile(r"\d")
_CLAUSE_END = re.compile(r"[，,；;]")


def _stated_periods(text: str, mentions: list[periods_mod.PeriodMention]) -> list[tuple[int, str, str]]:
    """(position, period, kind) of each time word that sets the period of what follows: not a comparison
    base, not a due year, not in a sentence about plans."""
    out = []
    for m in mentions:
        if m.comparison or m.kind == "target_year" or m.period is None or (m.kind == "years" and "/" in m.period):
            continue
        s, e = _sentence(text, m.start, m.end)
        if not _DIGIT.search(text, m.end, e):
            # a sentence with no figure that opens with a time word frames what follows: only plan words
            # of the time word's own clause make it a plan (这个五一假期，…，确保工程如期竣工)
            clause = _CLAUSE_END.search(text, m.end, e)
            e = clause.start() if clause else e
        if _plan_rx().search(text, s, e):
            continue
        out.append((m.start, _period_of(m), m.kind))
    return out


def _fact(ctx: _Context, cleaned: Normalized, q: Quantity, s: int, e: int, prev: list[Fact],
          carried_period: str | None, others: list[Quantity]) -> Fact:
    text = ctx.text
    span = cleaned.to_raw(q.span.start, q.span.end)
    clause_lo = _clause_start(text, q.span.start, s)
    entity, in_name = _entity_at(text, s, e, q)
    confidence = 0.5

    # indicator
    indicator, standard, words_only = None, False, False
    # the words right after the figure, up to the next item of a list (5GW组件及支架以及数字化发电站)
    regional = False
    right = re.split(r"[、，,；;。]|以及|及|和|与", text[q.span.end:q.span.end + 12], maxsplit=1)[0]
    if in_name and entity:
        figure = text[q.span.start:q.span.end]
        rest = entity[entity.rfind(figure) + len(figure):] if figure in entity else right
        attribute = _attribute_in_name(q, entity, rest)  # the words of the name after its figure
    else:
        attribute = None
    if attribute is None and q.unit in ("W", "t") and _names_product(text, q.span.end, e):
        # 10GW单晶硅片、5GW组件: a power or a tonnage before a product is what a plant makes of it
        attribute = _attribute_in_name(q, "", right)
    if attribute is None and q.unit not in ("CNY", "USD", "%", "pp", "rank", "x") \
            and (_rx_end("yearly_output").search(text, clause_lo, q.span.start)
                 or _rx("capacity_after").match(text, q.span.end)):
        attribute = "产能"  # 年产7200万平方米建筑陶瓷, 7200万平方米的生产能力: what plants can make in a year
        regional = entity is None  # a whole industry's capacity is dated like any figure of the region
    found = _catalogue_before(text, clause_lo, q.span.start)
    phrase = _phrase(text, clause_lo, q.span.start, others)
    after = _phrase_after(text, q.span.end, e) if q.unit == "count" and q.measure != "rank" else None
    if found and phrase and not _heads(phrase, found[1]):
        found = None  # 增值税 in 小规模纳税人增值税免征: the phrase is about something else
    if found and not _fits_unit(found[0], q):
        found = None  # 5GW after 单晶硅产量: an output in tonnes cannot be measured in watts
    if q.unit == "count" and after is None and len(q.unit_text) > 1 and not found \
            and q.unit_text[1:] not in _measure_words():
        # 提供59个工种, 新建3所学校: the noun is in the measure word; the verb before says what was done
        verb = _verb_before(text, clause_lo, q.span.start)
        after = (verb or "") + q.unit_text[1:]
    elif q.unit == "count" and after is None and phrase is None and not found:
        after = _verb_before(text, clause_lo, q.span.start)  # 已开复工202个: the verb is all the text says
    if q.unit_text.endswith("亿级"):
        attribute = attribute or "年产值"  # 千亿级产业: the scale of an industry is its output value
    listed = _listed(text, clause_lo, q, others)
    share = _share_name(text, clause_lo, q.span.start) if q.measure == "share" else None
    if attribute:
        indicator, standard, confidence = attribute, True, 0.8
    elif listed is not None:
        indicator, standard, confidence = listed.name, True, 0.7
    elif (before := next((p for p in reversed(prev) if p.unit == q.unit), None)) is not None \
            and _rx_end("change_to").search(text, clause_lo, q.span.start):
        # 由原来的2台变为3台: the new figure is of the thing the old one was
        indicator, standard, confidence = before.indicator, before.indicator_standard, 0.6
    elif share:
        entry = catalogue().get(share)
        indicator, standard, confidence = (entry.name, True, 0.8) if entry else (share, False, 0.6)
    elif after:
        indicator, confidence = after, 0.5
    elif q.measure in ("ratio", "share") and phrase and len(phrase) > 2 and phrase.endswith(("率", "比重")) \
            and not (found and fold(found[1]) == fold(phrase)):
        indicator, confidence = phrase, 0.5  # 开复工率, 贡献率: the rate names itself
    elif found and _qualified(phrase, found[1]):
        indicator, confidence = phrase, 0.6  # 乡村企业营业收入 is not all 营业收入: keep the qualified name
    elif found and found[0].kind == "attribute" and fold(found[1]) != fold(found[0].name) and entity is None \
            and not _rx("this_entity").search(text, s, q.span.start) and "项目" not in text[s:q.span.start]:
        # 2023年产值增长10%: 产值 of a region or a sector is not a project's 年产值; keep the text's word
        indicator, confidence, words_only = found[1], 0.5, True
    elif found:
        indicator, standard, confidence = found[0].name, True, 0.8
    elif prev and (q.measure in _FOLLOWERS or phrase and _rx("task").fullmatch(phrase)):
        # 增长7.2% / 完成市任务2700人: about the figure named before
        source = _respective(text, s, q, prev, others) or prev[-1]
        indicator, standard, confidence = source.indicator, source.indicator_standard, 0.6
    elif phrase and text[clause_lo:q.span.start].rstrip().endswith("了") \
            and (noun := _phrase_after(text, q.span.end, e)):
        indicator, confidence = noun, 0.4  # 盘活了1.2万平方米可利用土地: a verb before, the thing after
    elif phrase:
        # 牢牢守住116.7万亩耕地红线: a phrase that ends in a verb leaves the thing measured to the words after
        noun = _phrase_after(text, q.span.end, e) if _ends_in_verb(phrase) else None
        indicator, confidence = noun or phrase, 0.4
    else:
        wider = _catalogue_before(text, s, clause_lo)
        noun = _phrase_after(text, q.span.end, e) if q.measure != "rank" else None
        if noun:
            indicator, confidence = noun, 0.4  # 600亩土地完成清丈: the thing measured follows its figure
        else:
            if wider:
                indicator, standard, confidence = wider[0].name, True, 0.5
            elif prev:
                indicator, standard = prev[-1].indicator, prev[-1].indicator_standard
            if indicator and _rx("total").search(text, clause_lo, q.span.start):
                # 新增市场主体1893户，累计达到12254户: the total is of the thing, not of the new ones
                whole = re.sub(_cues()["new_prefix"][0], "", indicator, count=1)
                if whole != indicator and len(whole) >= 2:
                    entry = catalogue().get(whole)
                    indicator, standard = (entry.name, True) if entry else (whole, False)
    if indicator and q.measure == "share" and "用于" in indicator[:-2]:
        indicator = indicator.split("用于")[-1]  # 把81%的财力用于民生领域支出: the share goes to what it is used for
    if indicator and not standard and not words_only:
        entry = catalogue().get(indicator)
        if entry is not None and (indicator != after or fold(entry.name) == fold(indicator)):
            indicator, standard = entry.name, True
        elif entry is None and (entry := catalogue().get(indicator + "量")) is not None and _fits_unit(entry, q):
            indicator, standard = entry.name, True  # 累计发电321亿千瓦时: the verb's amount is 发电量
        elif q.unit == "m2" and q.measure in ("level", "target", "change") \
                and not _rx_end("area_words").search(indicator) and not _ends_in_verb(indicator):
            indicator += "面积"  # 3万平方米屋顶: what is measured is the roofs' area
    if entity and indicator in _cues()["of_project"]:
        indicator, standard = _cues()["of_project"][indicator], True  # 生产线，投资3450万元: its total investment
    if indicator and "居民" in indicator and "城乡" in text[s:q.span.start]:
        indicator = _urban_rural(indicator, text, s, q, prev)

    # region
    region = _region_for(ctx, text, s, q.span.start, prev, q.measure, others)

    # period
    year = ctx.ref.year if isinstance(ctx.ref, date) else ctx.ref
    if q.measure == "target" and year and carried_period and int(carried_period[:4]) < year \
            and _rx("estimate").search(text, clause_lo, q.span.start) \
            and not _rx("strong_plan").search(text, clause_lo, q.span.start):
        q.measure = "level"  # 粮食总产量预计达到… in a report on last year: an estimate of a result
    undated = (attribute is not None and not regional) or _undated_attribute(ctx, s, q, indicator, entity, prev)
    period = _period_for(ctx, text, s, e, q, undated, carried_period, entity)

    fact = Fact(
        doc=ctx.doc.name, span=span, text=ctx.doc.text[span.start:span.end], value=q.value, unit=q.unit,
        value_high=q.value_high, qualifier=q.qualifier, measure=q.measure, indicator=indicator,
        region=region.name if region else None, entity=entity, period=period, polarity=q.polarity,
        unit_text=q.unit_text, indicator_standard=standard, sentence=text[s:e].strip(), confidence=confidence,
        extra={"pos": q.span.start},
    )
    return fact


_MARKS = re.compile(r"[“”\"‘’《》\s]")  # quotes, title marks and spaces: no part of a name
_SHARE = re.compile(r"占(?:到|了|据)?(?P<b>[\u4e00-\u9fffA-Za-z]{2,16}?)的?(?:比重|比例|份额)?"
                    r"(?:为|是|达到|达|约|近|超过|已达)?$")


def _share_name(text: str, clause_lo: int, pos: int) -> str | None:
    """第三产业增加值占地区生产总值的比重为52.3%: the share is named by its part and its whole."""
    clause = _MARKS.sub("", text[clause_lo:pos])
    m = _SHARE.search(clause)
    if not m or m.start() < 2:
        return None
    part = _strip(clause[:m.start()])
    whole = m.group("b")
    if len(part) < 2 or _empty_phrase(part):
        return None
    return f"{part}占{whole}比重"


def _listed(text: str, clause_lo: int, q: Quantity, others: list[Quantity]) -> Indicator | None:
    """一般公共预算收入、税收收入分别完成10.2亿元和8.1亿元: the i-th figure after 分别 is the i-th name's."""
    cue = text.rfind("分别", clause_lo, q.span.start)
    if cue == -1:
        return None
    run = [o for o in others if o.span.start > cue and o.measure == q.measure]
    index = next((i for i, o in enumerate(run) if o is q), None)
    names = _coordinated(text, clause_lo, cue)
    if index is None or len(names) != len(run):
        return None
    return names[index]


def _coordinated(text: str, lo: int, hi: int) -> list[Indicator]:
    """一般公共预算收入、税收收入 / 制造业、第三产业投资增幅: the indicators of a list of names before a
    figure, the ones that share their head word (投资) completed by it; [] unless every name is known."""
    clause = _MARKS.sub("", text[lo:hi])
    pieces = clause.split("、")
    if len(pieces) < 2:
        return []
    last = _catalogue_before(pieces[-1], 0, len(pieces[-1]))
    if last is None:
        return []
    names = []
    for piece in pieces[:-1]:
        piece = _strip(piece) if len(piece) > 1 else piece
        entry = catalogue().get(piece)
        if entry is None:
            words = last[1]
            entry = next((e for k in range(1, len(words)) if (e := catalogue().get(piece + words[k:]))), None)
        if entry is None:
            return []
        names.append(entry)
    return names + [last[0]]


def _respective(text: str, s: int, q: Quantity, prev: list[Fact], others: list[Quantity]) -> Fact | None:
    """分别增长4.9%和7.1% after two figures: the i-th rate is about the i-th figure named before 分别."""
    cue = text.rfind("分别", s, q.span.start)
    if cue == -1:
        return None
    run = [o for o in others if o.span.start > cue and o.unit == q.unit and o.measure == q.measure]
    named = [p for p in prev if p.extra.get("pos", -1) < cue and p.measure not in _FOLLOWERS]
    if len(run) < 2 or len(named) < len(run):
        return None
    index = next((i for i, o in enumerate(run) if o is q), None)
    return None if index is None else named[len(named) - len(run) + index]


def _urban_rural(indicator: str, text: str, s: int, q: Quantity, prev: list[Fact]) -> str:
    """城乡居民收入分别达到X元、Y元: the first figure is the towns' (城镇), the second the villages' (农村)."""
    cue = text.rfind("分别", s, q.span.start)
    if cue == -1:
        return indicator
    index = sum(1 for p in prev if p.measure == q.measure and p.extra.get("pos", -1) > cue)
    if index > 1:
        return indicator
    part = "城镇" if index == 0 else "农村"
    name = indicator.replace("城乡", part) if "城乡" in indicator else \
        re.sub(r"^(?:城镇|农村|全体)?居民", part + "居民", indicator)
    entry = catalogue().get(name) or catalogue().get(name.replace("收入", "人均可支配收入"))
    return entry.name if entry else name


def _fits_unit(entry: Indicator, q: Quantity) -> bool:
    """Whether an amount's unit can measure an indicator (a rate or a rank can be of anything)."""
    if q.unit in ("%", "pp", "rank", "x") or not entry.units:
        return True
    return q.unit in entry.units or (q.unit == "USD" and "CNY" in entry.units)


def _qualified(phrase: str | None, words: str) -> bool:
    """Whether a phrase narrows the catalogue name it ends with by a qualifier of two or more characters
    (乡村企业 + 营业收入), rather than only framing it (全区, 2023年, 其中)."""
    if not phrase or not phrase.endswith(words):
        return False
    extra = phrase[: len(phrase) - len(words)]
    entry = catalogue().get(words)
    if len(extra) < 2 or catalogue().get(phrase) is not None or entry is None:
        return False
    # a qualifier is a noun (乡村企业, 专业镇): no verb, adverb or place in it
    return not any(_rx(name).search(extra) for name in ("verbs", "strip_lead", "plan", "empty", "whole_area",
                                                         "qualifier_stop")) \
        and not any(True for _ in gazetteer().find(extra))


def _heads(phrase: str, name: str) -> bool:
    """Whether a catalogue name is the head of a phrase: it ends the phrase, but for measure words after it."""
    core = _rx_end("measure_words", repeat=True).sub("", phrase)
    name = fold(name)
    return any(fold(p).endswith(name) or name.endswith(fold(p)) for p in (phrase, core) if p)


@functools.cache
def _measure_words() -> frozenset[str]:
    """The measure words of units.yaml (次, 类, 床 …): 人次 is a unit, not 人 + a counted thing."""
    return frozenset(str(w) for w in load("units")["counts"])


def _names_product(text: str, end: int, hi: int) -> bool:
    """Whether a product's name follows a figure (5GW组件, 50万吨高岭土): Han words that are no verb,
    function word or unit, up to the next mark."""
    m = re.match(r"[\u4e00-\u9fff]{2,}", text[end:hi])
    if not m:
        return False
    words = m.group()
    return not (_rx("stop_after").match(words) or _rx("verbs").match(words) or _rx("empty").match(words)
                or _rx("strip_tail").match(words))


def _verb_before(text: str, lo: int, hi: int) -> str | None:
    """The verb right before a figure (已开复工202个 → 开复工), if the words before it end with one."""
    m = _rx_end("verbs").search(text[lo:hi].rstrip("了的"))
    if not m or _rx("strip_lead").fullmatch(m.group()) or _rx("strip_tail").fullmatch(m.group()):
        return None  # 达到, 累计: they say nothing of what is counted
    return m.group()


def _is_attribute(indicator: str | None) -> bool:
    """An attribute of a project or company: 装机容量, and 光伏装机容量 that narrows it."""
    if not indicator:
        return False
    entry = catalogue().get(indicator)
    if entry is not None and entry.kind == "attribute":
        return True
    return any(indicator.endswith(name) for name in _attribute_names())


@functools.cache
def _attribute_names() -> tuple[str, ...]:
    return tuple(e.name for e in catalogue().entries if e.kind == "attribute")


def _region_for(ctx: _Context, text: str, s: int, pos: int, prev: list[Fact], measure: str,
                others: list[Quantity]) -> Region | None:
    """The region named in the sentence before the figure (not as a comparison or a ranking's scope), else
    the region of the figure it follows, else the text's principal region, else the user's hint."""
    g = gazetteer()
    follower = measure in _FOLLOWERS
    named: list[tuple[int, Region | None]] = []
    parents = g.ancestors(ctx.principal) if ctx.principal else []
    key = (s, ctx.principal.code if ctx.principal else "")
    if key not in ctx.regions:
        ctx.regions[key] = _region_mentions(text, ctx.principal, ctx.found_regions, s, _sentence(text, s, s)[1])
    for start, end, r in ctx.regions[key]:
        if s + end > pos:
            break
        if r in parents and text[s + start:s + end] != r.name:
            continue  # 朔州 in a county's text is part of a name (朔州经济开发区), not its region
        if not _scope_only(text, s, s + start, s + end) and not _example(text, s + end, pos):
            named.append((start, r))
    if measure not in ("rank", "pp_diff"):  # 全省第一, 高于全市: the whole area is the scope there
        for m in _rx("whole_area").finditer(text, s, pos):
            if not _scope_only(text, s, m.start(), m.end()):
                named.append((m.start() - s, _resolve_whole(m.group(), ctx.principal)))
    named = [n for n in named if n[1] is not None]
    respective = _respective_region(text, s, pos, named, others)
    if respective is not None:
        return respective
    if named:
        clause_lo = _clause_start(text, pos, s) - s
        nearest = max(named, key=lambda n: n[0])
        if not (follower and prev and nearest[0] < clause_lo):
            return nearest[1]
    if follower and prev and prev[-1].region:
        return g.resolve(prev[-1].region, ctx.principal) or ctx.principal
    return ctx.principal or ctx.hint


def _respective_region(text: str, s: int, pos: int, named: list[tuple[int, Region | None]],
                       others: list[Quantity]) -> Region | None:
    """石家庄市、唐山市生产总值分别突破7500亿元和9000亿元: the i-th figure after 分别 is the i-th region's."""
    cue = text.rfind("分别", s, pos)
    if cue == -1:
        return None
    listed = [r for at, r in sorted(named, key=lambda n: n[0]) if s + at < cue]
    run = [o for o in others if cue < o.span.start]
    index = next((i for i, o in enumerate(run) if o.span.start == pos), None)
    if index is None or len(listed) < 2 or len(run) != len(listed):
        return None
    return listed[index]


def _undated_attribute(ctx: _Context, s: int, q: Quantity, indicator: str | None, entity: str | None,
                       prev: list[Fact]) -> bool:
    """Whether a figure is a project's or company's attribute, which holds whenever it is told (总投资,
    占地面积 of a named project or of 该项目); a change or a target of it is dated as usual."""
    if q.measure in ("target", "change", "growth"):
        return False
    if (entity is not None or _rx("this_entity").search(ctx.text, s, q.span.start)) and _is_attribute(indicator):
        return True
    return indicator in _cues()["project_only"] and not (_of_projects(prev) and _dated(ctx, s, q.span.start))


def _of_projects(prev: list[Fact]) -> bool:
    """签约项目17个，总投资38.42亿元: after a count of projects, 总投资 is their sum, dated like the count
    when the sentence states a time (the projects of an event or a year's list)."""
    return bool(prev) and prev[-1].unit == "count" and "项目" in (prev[-1].indicator or "")


def _dated(ctx: _Context, lo: int, hi: int) -> bool:
    """Whether a time word (not a comparison base) stands in text[lo:hi]."""
    i = bisect_left(ctx.mention_starts, lo)
    return any(not m.comparison and m.period for m in ctx.mentions[i:bisect_left(ctx.mention_starts, hi)])


def _example(text: str, end: int, pos: int) -> bool:
    """A region named in a list of examples (右玉生态肉羊等8个专业镇): the count is of the whole, not of it."""
    between = text[end:pos]
    if "等" not in between or re.search(r"[，,；;。]", between):
        return False
    item = re.split(r"[、等]", between, maxsplit=1)[0]  # the rest of its item: a name, not a verb (培育了…)
    return "了" not in item and not _rx("verbs").search(item)


def _scope_only(text: str, floor: int, start: int, end: int) -> bool:
    """A region that is only the base of a comparison (高于全市), or the scope of a rank (全省第一)."""
    clause_lo = _clause_start(text, start, floor)
    if _rx("comparison").search(text, clause_lo, start):
        return True
    return bool(_rx("scope_after").match(text, end))


def _period_for(ctx: _Context, text: str, s: int, e: int, q: Quantity, attribute: bool,
                carried: str | None, entity: str | None = None) -> str | None:
    """The period of a figure: a time word before it in its sentence (or right after it), the due year of
    a target, none for an undated project attribute, the publication year for a stock, else the period
    carried from the article, else the article's default."""
    mentions = ctx.mentions[bisect_left(ctx.mention_starts, s):bisect_left(ctx.mention_starts, e)]
    pos = q.span.start
    usable = [m for m in mentions if not m.comparison and m.period and m.end <= e and not _ordinal(text, m.end)]
    periods = {id(m): _period_of(m) for m in usable}
    if q.measure == "target":
        due = [m for m in usable if m.kind == "target_year"]
        if due:
            return due[-1].period
    before = [m for m in usable if m.end <= pos]
    clause_lo = _clause_start(text, pos, s)
    if _rx("timeless").search(text, clause_lo, pos) and not any(m.start >= clause_lo for m in before):
        return None  # 每年可节省电费近百万元, 距离市区4千米: what holds year after year has no one period
    done = max(_rx("after_completion").finditer(text, s, pos), key=lambda m: m.start(), default=None)
    if done is not None:
        # 项目建成后，年产值将超过150亿元: what a project will do once built holds for no one period
        before = [m for m in before if m.start >= done.end()]
        if not before:
            return None
    if attribute:
        # a project's size or cost holds whenever it is told, unless its own clause dates it
        clause_lo = _clause_start(text, q.span.start, s)
        named = text.find(entity, s, e) if entity else -1
        # 2024年…项目包括10GW单晶硅片: a year in the project's name does not date its capacity
        before = [m for m in before if m.start >= clause_lo
                  and not (named <= m.start < named + len(entity or "") and named >= 0)]
        if not before:
            return None
    year = ctx.ref.year if isinstance(ctx.ref, date) else ctx.ref
    if not before and year and q.measure not in ("target", "growth", "change") and _rx("stock").search(text, s, e):
        return str(year)  # 现有/目前 …: a stock as the report is written
    if before:
        period = periods[id(before[-1])]
        if q.measure == "target" and before[-1].kind != "target_year":
            period = period[:4]  # a plan or task is for the year, whatever months it is reported at
        return period
    after = [m for m in usable if m.start >= q.span.end and m.kind != "target_year"]
    if after and not text[q.span.end:after[0].start].strip("，, "):
        return periods[id(after[0])]
    if q.measure == "target":
        return str(year) if year else ctx.default_period
    if carried:
        return carried
    return ctx.default_period


def _shared_rank(fact: Fact, prev: list[Fact], text: str, s: int, q: Quantity) -> list[Fact]:
    """双双第一 / 均居全省第一: one fact per figure the rank speaks of, each on the same span.

    The figures are those of the sentence since the last rank; a growth rate's rank is the rank of the
    indicator's 增速 (a level and its growth rate ranked 双双第二 are two facts)."""
    if fact.measure != "rank":
        return []
    lead = text[max(0, q.span.start - 8):q.span.start]
    if not _rx("shared_rank").search(lead):
        return []
    named: list[str] = []
    for p in reversed(prev):
        if p.measure == "rank" or p.indicator is None:
            break
        name = p.indicator
        if p.measure == "growth" and not _rx_end("measure_words").search(name):
            name += "增速"
        if name not in named:
            named.append(name)
    named.reverse()  # text order: the first figure named takes the rank's own fact
    if not named:
        # 制造业、第三产业投资增幅均为全省第一: the names listed before the rank, with no figures of their own
        growth = bool(re.search("增速|增幅|增长", lead + text[_clause_start(text, q.span.start, s):q.span.start]))
        named = [e.name + ("增速" if growth else "") for e in _coordinated(text, _clause_start(text, q.span.start, s),
                                                                         q.span.start)]
    own = named.pop(0) if named else None
    if own:
        fact.indicator = own
    extra = []
    for name in named:
        f = Fact(**{k: getattr(fact, k) for k in fact.__slots__ if k != "extra"})
        f.indicator = name
        extra.append(f)
    return extra
