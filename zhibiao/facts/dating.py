"""The period of a figure (named so as not to be confused with zhibiao.periods, the grammar of time words).

The figure's own sentence first (a time word before it, or right after it), then what holds for no one
period (what a project will do once built, what holds year after year, a project's size), then the
period stated last in its article, then the article's usual period. The document's time words are read
once (DocModel.times); this module decides which of them date which figure.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from .. import named_groups, periods
from ..docmodel import DocModel
from ..layout import Layout
from ..measures import SENTENCE_WINDOW
from ..sentences import OPENING_CLAUSE_END, Marks
from .context import FOLLOWERS, Context, Decision, Figure, Stated, Strategy, first
from .cues import cues, rx

_DIGIT = re.compile(r"\d")
_FRAMING_AFTER = frozenset(OPENING_CLAUSE_END + "：:")  # 1-6月，… frames what follows; 1-6月累计… its clause
_WINDOW = SENTENCE_WINDOW  # read for plan words and 其中 as far back as the measure stage reads
_WALK = 64  # figures of a sentence walked over at most: a longer run is a table without ends, not one sentence
_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+(?:次|批|届|期|轮|场)")


# --- the time words of a document that set a period ------------------------------------------------------


def stated_periods(model: DocModel) -> list[Stated]:
    """The time words that set the period of what follows, in text order: not a comparison base, not a
    due year, not in a sentence about plans; and, when the publication date is known, the words for the
    time of writing (目前，已建成…), which give the publication year to the figures after them."""
    text = model.text
    opening = Marks(text, OPENING_CLAUSE_END)
    out = []
    for m in model.times:
        if m.comparison or m.kind == "target_year" or m.period is None or (m.kind == "years" and "/" in m.period):
            continue
        s, e = model.sentence_at(m.start, m.end)
        if not _DIGIT.search(text, m.end, e):
            # a sentence with no figure that opens with a time word frames what follows: only plan words
            # of the time word's own clause make it a plan (这个五一假期，…，确保工程如期竣工)
            cut = opening.first(m.end, e)
            e = cut if cut is not None else e
        if rx("after_time_word").search(text, s, e):
            continue
        out.append(Stated(m.start, period_of(m), m.kind))
    if model.ref is not None:
        now = str(model.ref.year)
        out += [Stated(m.start(), now, "now") for m in rx("now").finditer(text)]
        out.sort(key=lambda t: (t.at, t.period, t.kind))
    return out


def usual_period(stated: list[Stated], year: int | None) -> str | None:
    """The period most figures of a text are for when a sentence does not say: the period its own time
    words name most often (2023 in a report on 2023; 2022-H1 in a mid-year review), else the year of
    publication. Comparison bases and targets do not count."""
    counts: dict[str, int] = {}
    for t in stated:
        if t.kind not in ("since", "day", "now"):  # 今年以来 frames a story, a day an event: neither dates a table
            counts[t.period] = counts.get(t.period, 0) + 1
    if year is not None:
        counts = {p: n for p, n in counts.items() if int(p[:4]) <= year}
    if counts:
        return max(counts, key=lambda p: (counts[p], p))
    return str(year) if year else None


def period_of(m: periods.PeriodMention) -> str | None:
    """The period a time word gives the figures after it: 今年以来 (January to now) is the year so far."""
    if m.kind == "since" and m.period and re.fullmatch(r"(\d{4})-01/\1-\d\d", m.period):
        return m.period[:4]
    return m.period


def reported(m: periods.PeriodMention, ctx: Context) -> str | None:
    """The period a time word names, read against the period the report is about rather than the day it
    was written where statistics read it so: 上年 in a bulletin on 2023 printed in 2024 is 2022, and
    上年同期 is the report's own period a year before (2024-Q1 in a report on 2025-Q1)."""
    period = period_of(m)
    default, year = ctx.default_period, ctx.year
    if period is None or default is None or year is None or not period[:4].isdigit():
        return period
    word = ctx.text[m.start:m.end]
    if word.endswith("同期"):
        return _shift(default, int(period[:4]) - year)
    if word.startswith(tuple(cues()["report_relative"])) and int(default[:4]) < year:
        return _shift(period, int(default[:4]) - year)
    return period


def _shift(period: str, years: int) -> str:
    """A period moved by whole years (2025-Q1, -1 → 2024-Q1)."""
    return re.sub(r"\d{4}", lambda y: str(int(y.group()) + years), period)


def carried(ctx: Context, s: int) -> str | None:
    """The period stated last before position s within the article: a day (3月18日，…) or a word for now
    (目前，…) holds for its own paragraph only; a time word in the body of a numbered section (五、服务业 …
    1-2月，…) until the next numbered heading; a longer period stated in a heading or in the lead before
    the first one, until another is stated."""
    stated, text = ctx.stated, ctx.text
    i = bisect_left(stated, s, key=lambda t: t.at)
    while i > 0 and stated[i - 1].at >= ctx.start:
        t = stated[i - 1]
        if (t.kind not in ("day", "now") or "\n" not in text[t.at:s]) and not _section_closed(ctx, t.at, s):
            return t.period
        i -= 1
    return None


def _section_closed(ctx: Context, at: int, s: int) -> bool:
    """Whether a time word at `at`, in the body of a numbered section of the article (after its heading,
    not in it), lies in a section that has closed before `s` (the next numbered heading starts between)."""
    heads = ctx.sections
    if not heads:
        return False
    i = bisect_left(heads, (at + 1,)) - 1  # the last heading starting at or before `at`
    if i < 0 or heads[i][0] < ctx.start or heads[i][1] > at:
        return False  # before the article's first heading (its lead), or inside a heading
    return i + 1 < len(heads) and heads[i + 1][0] < s


def plan_sections(raw: str, page: Layout, ref) -> dict[int, str | None]:
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
            if rx("heading").search(words):
                years = [m.period[:4] for m in periods.find_periods(words, ref) if m.period]
                plan = (years[-1] if years else None,)
        elif plan is not None and b.kind in ("prose", "list", "table"):
            out[b.span.start] = plan[0]
    return out


def estimate_of_past(fig: Figure) -> bool:
    """A figure read as a plan in a passage on a year already past that is a result: an estimate (蔬菜产量
    预计达到…), or what was secured (争取中央资金…亿元: see _secured)."""
    year = fig.ctx.year
    if fig.measure != "target" or not year:
        return False
    text, lo, pos = fig.text, fig.clause_lo, fig.pos
    if fig.carried and int(fig.carried[:4]) < year and rx("estimate").search(text, lo, pos) \
            and not rx("strong").search(text, lo, pos):
        return True
    return _secured(fig, year)


def _secured(fig: Figure, year: int) -> bool:
    """争取上级资金12亿元 in a sentence on a year already past (去年，…; under 2023年工作回顾): in a review
    争取 reports what was won, when its sentence holds no other plan word (the words before the figure in
    it, as far back as the measure stage looks)."""
    text, pos = fig.text, fig.pos
    s = max(fig.s, pos - _WINDOW)
    won = [m.span() for m in rx("secured").finditer(text, s, pos)]
    if not won:
        return False
    for name in ("strong", "after_time_word"):
        for m in rx(name).finditer(text, s, pos):
            if not any(a <= m.start() and m.end() <= b for a, b in won):
                return False  # 力争, 计划 … beside it: a plan after all
    own = [m.period for m in fig.ctx.model.times_in(s, pos) if m.period and not m.comparison]
    passage = own[-1] if own else fig.carried
    return bool(passage and passage[:4].isdigit() and int(passage[:4]) < year)


# --- the strategies ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Times:
    """A figure and the time words of its sentence that can date it (not a comparison base, not a year
    that names an event of a series), with the ones before it; a strategy may narrow those."""

    fig: Figure
    undated: bool  # a project's attribute: its own clause alone can date it
    entity: str | None
    usable: list[periods.PeriodMention]
    before: list[periods.PeriodMention]
    start_of_change: periods.PeriodMention | None = None  # 由上年的… in the sentence, before the figure


def _change_from(t: _Times) -> Decision[str | None] | None:
    """由上年的52.1%提高到55.3%: a time word after 由/从 dates the figures of its sentence
    before the change verb (为/到/至), even as a comparison base (由上年同期的2.31:1缩小为2.26:1); the
    figures after it are dated as their sentence says otherwise."""
    fig = t.fig
    if t.start_of_change is None:
        return None
    m = t.start_of_change
    if rx("change_to").search(fig.text, m.end, fig.pos):
        t.before = [b for b in t.before if b is not m]
        return None
    return Decision(reported(m, fig.ctx))


def _due_year(t: _Times) -> Decision[str | None] | None:
    if t.fig.measure == "target":
        due = [m for m in t.usable if m.kind == "target_year"]
        if due:
            return Decision(due[-1].period)
    return None


def _timeless(t: _Times) -> Decision[str | None] | None:
    """每年可减少排放3万吨, 距离县城8千米: what holds year after year has no one period."""
    fig = t.fig
    if rx("timeless").search(fig.text, fig.clause_lo, fig.pos) and not any(m.start >= fig.clause_lo for m in t.before):
        return Decision(None)
    return None


def _after_completion(t: _Times) -> Decision[str | None] | None:
    """工厂投产后，年销售收入将达到20亿元: what a project will do once built holds for no one period, unless a
    time word after 建成后 dates it (the others before it are left out)."""
    fig = t.fig
    done = _last_completion(fig)
    if done is not None:
        t.before = [m for m in t.before if m.start >= done]
        if not t.before:
            return Decision(None)
    return None


def _completion_words(text: str, s: int, e: int) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in rx("after_completion").finditer(text, s, e))


def _last_completion(fig: Figure) -> int | None:
    """Where the last 建成后 before the figure in its sentence ends, or None; the sentence's words are read once
    for all its figures (DocModel.per_sentence)."""
    spans = fig.ctx.model.per_sentence(_completion_words, fig.s, fig.e)
    if not spans:
        return None  # most sentences: no such word
    return last_end(rx("after_completion"), fig.text, spans, fig.s, fig.pos)


def last_end(words: re.Pattern, text: str, spans: Sequence[tuple[int, int]], s: int, pos: int) -> int | None:
    """Where the last match of `words` in text[s:pos] ends (None: none), from `spans`, its matches over a longer
    stretch from s on. `words` is a list of words (no look-arounds, no anchors), so the scan that stops at pos
    finds the same matches as far as none of them runs over pos; when one does, that scan is made."""
    end = None
    for a, b in spans:
        if b <= pos:
            end = b
        elif a < pos:
            m = max(words.finditer(text, s, pos), key=lambda m: m.start(), default=None)
            return m.end() if m is not None else None
        else:
            break
    return end


def _undated_attribute(t: _Times) -> Decision[str | None] | None:
    """A project's size or cost holds whenever it is told, unless its own clause dates it; a year in the
    project's name (2024年…项目内含3条年产2万吨的生产线) does not date its capacity."""
    if not t.undated:
        return None
    fig = t.fig
    entity = t.entity
    named = fig.text.find(entity, fig.s, fig.e) if entity else -1
    t.before = [m for m in t.before if m.start >= fig.clause_lo
                and not (named <= m.start < named + len(entity or "") and named >= 0)]
    return None if t.before else Decision(None)


def _named_group(t: _Times) -> Decision[str | None] | None:
    """新能源和半导体两大产业集群: how many things a named group holds is what it is made of, dated by its
    own sentence only, never by a period carried from before."""
    return Decision(None) if not t.before and named_groups.is_group(t.fig.q) else None


def _stock(t: _Times) -> Decision[str | None] | None:
    """现有/目前 …: a stock as the report is written."""
    fig = t.fig
    year = fig.ctx.year
    if not t.before and year and fig.measure not in ("target", "growth", "change") \
            and rx("stock").search(fig.text, fig.s, fig.e):
        return Decision(str(year))
    return None


def _stated(t: _Times) -> Decision[str | None] | None:
    """The time word nearest before the figure in its sentence; a plan or task is for the year, whatever
    months it is reported at. A time word inside a later clause of a sentence that has already given a
    figure (总投资…，年度计划投资…，1-6月累计完成投资…，占年计划的…%，其中…) is that clause's: it dates the
    figure of its clause and the rates that follow on it, not the next figure of another thing."""
    if not t.before:
        return None
    t.before = [m for m in t.before if not _inner_elsewhere(t.fig, m)]
    if not t.before:
        return None
    last = t.before[-1]
    period = reported(last, t.fig.ctx)
    if t.fig.measure == "target" and last.kind != "target_year":
        period = period[:4]
    return Decision(period)


def _inner_elsewhere(fig: Figure, m: periods.PeriodMention) -> bool:
    """Whether m stands inside a clause after the sentence's first figure (no comma after it: 1-6月累计完成
    投资…) and the figure is neither in that clause nor one of the rates that follow on it."""
    others = fig.others
    if fig.clause_lo <= m.start or not others or others[0].span.start >= m.start \
            or fig.text[m.end:m.end + 1] in _FRAMING_AFTER:
        return False  # the figure's own clause, the sentence's opening, or a time word framing what follows
    i = bisect_left(others, m.end, key=lambda q: q.span.start)  # the first figure after m: m's own
    j = bisect_left(others, fig.pos, key=lambda q: q.span.start)  # the figure itself
    if i >= j or others[j] is not fig.q or j - i > _WALK:
        return False
    parts = _parts_whole(fig, m)
    if parts is not None:
        return parts
    # the figures between m's own and this one: rates that follow on it keep m, another thing's figure ends it
    return any(fig.measure_of(q) not in FOLLOWERS for q in others[i + 1:j + 1])


def _parts_whole(fig: Figure, m: periods.PeriodMention) -> bool | None:
    """After 其中 between m and the figure, the parts are of the last figure before 其中 in the unit of the
    first part: m dates them when it dates that whole (…，1-6月完成投资50亿元，其中工业投资20亿元), not when the
    whole came before it (重点项目共530项，…，1-6月累计完成…，其中：在建项目185项). None: no 其中 between."""
    opener = None
    for o in rx("parts_cues").finditer(fig.text, max(m.end, fig.pos - _WINDOW), fig.pos):
        opener = o
    if opener is None:
        return None
    others = fig.others
    k = bisect_left(others, opener.end(), key=lambda q: q.span.start)  # the first part
    if k >= len(others):
        return None
    head = others[k]
    whole = next((q for q in reversed(others[max(0, k - _WALK):k]) if q.unit == head.unit), None)
    return whole is None or whole.span.start < m.start


def _right_after(t: _Times) -> Decision[str | None] | None:
    """A time word right after the figure (…12亿元，2023年): it dates the figure before it."""
    if not t.usable:
        return None
    fig = t.fig
    after = [m for m in t.usable if m.start >= fig.q.span.end and m.kind != "target_year"]
    if after and not fig.text[fig.q.span.end:after[0].start].strip("，, ") and not _opens_own_clause(fig, after[0]):
        return Decision(period_of(after[0]))
    return None


def _opens_own_clause(fig: Figure, m: periods.PeriodMention) -> bool:
    """…全市第二，三季度综合排名全市第四: a time word that opens a clause with a figure of its own dates that
    figure, not the one before it."""
    others = fig.others
    i = bisect_left(others, m.end, key=lambda q: q.span.start)
    return i < len(others) and others[i].span.start < fig.ctx.model.clause_marks.end(m.end)


def _plan_year(t: _Times) -> Decision[str | None] | None:
    """A target with no year of its own: the publication year's."""
    fig = t.fig
    if fig.measure == "target":
        year = fig.ctx.year
        return Decision(str(year)) if year else Decision(fig.ctx.default_period, "usual")
    return None


def _carried(t: _Times) -> Decision[str | None] | None:
    return Decision(t.fig.carried) if t.fig.carried else None


def _usual(t: _Times) -> Decision[str | None] | None:
    return Decision(t.fig.ctx.default_period)


STRATEGIES: tuple[Strategy[_Times, str | None], ...] = (
    Strategy("change_from", _change_from),  # 由上年的A调整为B: A is last year's
    Strategy("due_year", _due_year),  # 到2027年…力争: a target's due year
    Strategy("timeless", _timeless),
    Strategy("after_completion", _after_completion),
    Strategy("undated_attribute", _undated_attribute),
    Strategy("named_group", _named_group),
    Strategy("stock", _stock),
    Strategy("stated", _stated),
    Strategy("right_after", _right_after),
    Strategy("plan_year", _plan_year),
    Strategy("carried", _carried),  # the period stated last before the sentence in its article
    Strategy("usual", _usual),  # the period most of the article's figures are for
)


def resolve(fig: Figure, undated: bool, entity: str | None) -> tuple[str | None, str]:
    """The figure's period and how it was found. `undated`: the figure is a project's attribute."""
    usable, changes = _sentence_times(fig)
    pos = fig.pos
    before = [m for m in usable if m.end <= pos] if usable else []  # most sentences name no time
    start_of_change = None
    for m in changes:
        if m.start < pos:
            start_of_change = m
    times = _Times(fig, undated, entity, usable, before, start_of_change)
    how, period = first(STRATEGIES, times)  # _usual always decides
    return period, how


def _sentence_times(fig: Figure) -> tuple[list[periods.PeriodMention], list[periods.PeriodMention]]:
    """The time words of the figure's sentence that can date a figure (no comparison base, no ordinal 第3次),
    and the ones right after a word of change (由上年的…), in order: the same for all the figures of the
    sentence, so read once (Context.sentence_times). Strategies narrow `before`, never these lists."""
    key = (fig.s, fig.e)
    found = fig.ctx.sentence_times.get(key)
    if found is None:
        text, e = fig.text, fig.e
        times = fig.ctx.model.times_in(fig.s, e)
        usable = [m for m in times if not m.comparison and m.period and m.end <= e and not _ORDINAL.match(text, m.end)]
        change_from = cues()["change_from"]
        changes = [m for m in times if m.period and m.start > 0 and text[m.start - 1] in change_from]
        found = fig.ctx.sentence_times[key] = (usable, changes)
    return found
