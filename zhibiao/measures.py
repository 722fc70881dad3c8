"""What a quantity measures (level, growth, share …) and its direction, from the cue words before it.

The cue words live in lexicons/measures.yaml. The search window is the clause before the figure
(back to the last comma or stop); the cue nearest the figure wins. Items of an enumeration
(分别增长4.1%、2.6%和0.9%) share the measure of the first item.

The base a figure is compared with (比上年, 同比, 比2020年, 较上年同期: lexicons/comparison.yaml) is read from the
same clause, or from a clause of its own before it in the sentence (与上年相比，…); `fact_base` gives a fact's
`base` from it, once the fact's measure and period are known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon
from .model import Quantity
from .period_bounds import period_bounds
from .sentences import CLAUSE_END, SENTENCE_END, Marks


@dataclass(frozen=True)
class _Cues:
    mask: re.Pattern
    up: re.Pattern
    down: re.Pattern
    growth: re.Pattern
    change: re.Pattern
    level_after: re.Pattern
    arrive: re.Pattern  # a direction verb with 至/到: the figure after it is the level reached
    rate_names: re.Pattern  # the names of a growth rate (增速): after them an arrive word still gives a growth
    share: re.Pattern
    completion: re.Pattern
    target: re.Pattern
    target_sentence: re.Pattern
    past: re.Pattern
    ratio_suffix: str
    not_ratio: re.Pattern
    connectors: re.Pattern  # the words between a rate's name and its value, at the end of a clause
    target_after: re.Pattern  # a figure followed by these is a plan's (完成增长6%的任务, 达到500万千瓦的目标)
    enumeration: re.Pattern  # what stands between two items of an enumeration of figures
    base: re.Pattern  # a stated base: groups time (上年同期), year (2020) or word (同比)
    base_clause: re.Pattern  # a clause of its own naming the base (与上年相比): the groups of `base`
    base_of: dict[str, str]  # a time word or a base word → the base it names
    # cheap tests that a text cannot hold a match of the pattern named, which most clauses cannot: a match
    # of `base` begins with one of these characters (None: any may begin one), a match of `base_clause`
    # holds a closer and its comma, a match of `connectors` ends in one of these characters
    base_starts: re.Pattern | None
    base_clause_end: re.Pattern
    connector_ends: frozenset[str] | None


def _alt(words: list[str]) -> re.Pattern:
    parts = [re.escape(w).replace("…", ".{0,8}") for w in sorted(words, key=len, reverse=True)]
    return re.compile("|".join(parts))


def _ends(words: list[str]) -> frozenset[str] | None:
    """The last characters of the words, None when one is empty (it ends anywhere)."""
    return frozenset(w[-1] for w in words) if all(words) else None


def _listed(words: list[str]) -> str:
    """The words as an alternation in the order they are listed."""
    return "|".join(re.escape(w) for w in words)


@lexicon.reader
def _cues() -> _Cues:
    m = lexicon.cues("measures").take("mask", "up", "down", "growth", "change", "level_after", "arrive",
                                       "rate_names", "share", "completion",
                                       "ratio_suffix", "not_ratio", "connectors")
    plans = lexicon.cues("plans").take("before_figure", "in_sentence", "results", "after_figure",
                                       "after_figure_qualifiers")
    words = {k: _alt(v) for k, v in m.items() if k not in ("ratio_suffix", "connectors", "not_ratio")}
    return _Cues(**words, target=_alt(plans["before_figure"]), target_sentence=_alt(plans["in_sentence"]),
                 past=_alt(plans["results"]), ratio_suffix=m["ratio_suffix"],
                 not_ratio=re.compile(_listed(m["not_ratio"])),
                 # 失业率降至3.1%: an arrive word stands between a rate's name and its value too
                 connectors=re.compile(f"(?:{_listed(m['connectors'] + m['arrive'])})+$"),
                 connector_ends=_ends(m["connectors"] + m["arrive"]),
                 target_after=re.compile(f"的?(?:{_listed(plans['after_figure_qualifiers'])})?"
                                         f"(?:{_listed(plans['after_figure'])})"),
                 enumeration=re.compile(f"^(?:{_listed(lexicon.cues('lists')['joiners'])})$"),
                 **_base_cues())


def _base_cues() -> dict[str, object]:
    c = lexicon.cues("comparison").take("before_period", "not_after", "base_times", "base_year_tails", "base_words",
                                        "base_closers")
    base_of = {w: base for base, words in c["base_times"].items() for w in words}
    comparison = f"(?<![{re.escape(c['not_after'])}])(?:{_alt(c['before_period']).pattern})"
    stated = (f"{comparison}(?:(?P<time>{_alt(list(base_of)).pattern})"
              f"|(?P<year>(?:19|20)[0-9]{{2}})年(?:{_listed(c['base_year_tails'])})?)")
    base_of.update(c["base_words"])
    starts = {w[:1] for w in c["before_period"] + list(c["base_words"])}
    return {"base": re.compile(f"{stated}|(?P<word>{_alt(list(c['base_words'])).pattern})"),
            "base_clause": re.compile(f"{stated}(?:{_listed(c['base_closers'])})[，,]"), "base_of": base_of,
            # an empty word, or one of … (_alt), may begin with any character
            "base_starts": None if starts & {"", "…"} else re.compile(f"[{re.escape(''.join(sorted(starts)))}]"),
            "base_clause_end": re.compile(f"(?:{_listed(c['base_closers'])})[，,]")}


def base_words() -> re.Pattern:
    """The words that state the base of a comparison (比上年, 较2019年同期, 同比): the other side of what is
    compared, no part of its name (issue 14)."""
    return _cues().base


def _last(pattern: re.Pattern, text: str) -> tuple[int, int]:
    """(end, length) of the last match of pattern in text, (-1, 0) when none."""
    m = pattern.search(text)
    if m is None:  # most texts here hold no match: told without a call
        return -1, 0
    start, end = _last_from(pattern, text, m).span()
    if end > start:
        # matches do not overlap: a non-empty last match ends after every other, so it is the last by end
        return end, end - start
    # an empty last match may end where a longer one before it ends
    return max((m.end(), m.end() - m.start()) for m in pattern.finditer(text))


def _final(pattern: re.Pattern, text: str) -> re.Match | None:
    """The last match of finditer(pattern, text), None when none."""
    m = pattern.search(text)
    return None if m is None else _last_from(pattern, text, m)


def _last_from(pattern: re.Pattern, text: str, m: re.Match) -> re.Match:
    """The last match of finditer(pattern, text), whose first is m.

    Found by searching on from the end of each match (as finditer does, a lookbehind still seeing the
    text before it): cheaper than finditer on the short texts read here. After an empty match finditer
    moves on a character: then finditer itself is asked.
    """
    while True:
        start, end = m.span()
        if end == start:
            *_, m = pattern.finditer(text)
            return m
        n = pattern.search(text, end)
        if n is None:
            return m
        m = n


_QUOTED = re.compile(r"“[^”]{1,20}”|‘[^’]{1,20}’|《[^》]{1,30}》")


def _masked(text: str) -> str:
    # same length, so positions stay put
    text = _QUOTED.sub(lambda m: "□" * len(m.group()), text)
    return _cues().mask.sub(lambda m: "□" * len(m.group()), text)


SENTENCE_WINDOW = 200  # characters of its sentence before a figure read for its plan and scope words
CLAUSE_WINDOW = 80  # characters of its clause before a figure read for its cue words


def _uncut(masked: str, at: int) -> bool:
    """No mask match of `masked` runs across `at`: the two characters either side are not both masked."""
    return at <= 0 or at >= len(masked) or masked[at - 1] != "□" or masked[at] != "□"


def assign_measures(text: str, quantities: list[Quantity], clauses: Marks | None = None,
                    sentences: Marks | None = None) -> None:
    """Set measure, polarity and the sign of each quantity (in place); spans index into `text`.

    `clauses` and `sentences` are the clause and sentence marks of `text` when the caller has them.
    """
    clauses = clauses if clauses is not None else Marks(text, CLAUSE_END)
    sentences = sentences if sentences is not None else Marks(text, SENTENCE_END)
    enumeration = _cues().enumeration
    # Each sentence is masked once, whole (_masked), and the clause and sentence windows of its figures are
    # cut from it: a window masked alone is masked alike when no mask match of the whole sentence runs
    # across the window's ends, as the mask words and quotes look neither before nor after what they match.
    # When one may run across them (_uncut), the window is masked alone.
    first = end = 0  # the bounds of the sentence of the figure before
    masked, plain = "", True  # that sentence masked; whether nothing in it is
    prev: Quantity | None = None
    for q in quantities:
        pos = q.span.start
        if prev is not None and enumeration.match(text[prev.span.end:pos]) and \
                q.unit == prev.unit and q.unit not in ("rank",):
            q.measure, q.polarity, q.base = prev.measure, prev.polarity, prev.base
            _sign(q)
            prev = q
            continue
        prev = q
        # the clause: back to the mark before, at most CLAUSE_WINDOW characters
        clause_start = clauses.start(pos, max(0, pos - CLAUSE_WINDOW))
        if not first <= pos < end:  # not in the sentence of the figure before: find and mask its own
            first, end = sentences.start(pos), sentences.end(pos)
            masked = _masked(text[first:end])
            plain = "□" not in masked
        window_start = max(first, pos - SENTENCE_WINDOW)
        a, c, e = window_start - first, clause_start - first, pos - first
        if c >= 0 and (plain or _uncut(masked, a) and _uncut(masked, c) and _uncut(masked, e)):
            _assign(text, q, text[clause_start:pos], masked[c:e], masked[a:e])
        else:
            raw_clause = text[clause_start:pos]
            _assign(text, q, raw_clause, _masked(raw_clause), _masked(text[window_start:pos]))


def _assign(text: str, q: Quantity, raw_clause: str, clause: str, sentence: str) -> None:
    """Set q's measure, polarity, sign and base from the words before it: `raw_clause` is its clause,
    `clause` and `sentence` are its clause and sentence masked (_masked, assign_measures)."""
    cues = _cues()
    # the last up and down words of the clause give its direction and are growth words too: read once
    up, down = _last(cues.up, clause), _last(cues.down, clause)
    direction = _direction(up, down)
    # the base the clause states, else a clause of its own before it; most state none, as a cheap search
    # tells first (_Cues.base_starts, base_clause_end)
    q.base = ""
    if cues.base_starts is None or cues.base_starts.search(clause):
        q.base = _stated_base(clause, cues.base)
    if not q.base:
        before = sentence[:len(sentence) - len(clause)]
        if cues.base_clause_end.search(before):
            q.base = _stated_base(before, cues.base_clause)
    if q.unit == "rank":
        q.measure = "rank"
        return
    if q.unit == "pp":
        q.measure = "pp_diff"
        q.polarity = direction
        _sign(q)
        return
    if q.unit == "x":
        # 2.05:1 is a ratio of two amounts; 2.5倍 a multiple of one
        q.measure = "ratio" if q.unit_text[1:] == "1" else "multiple"
        return
    if q.unit_text in (":", "："):
        q.measure = "share"  # 13.0:43.0:44.0: the parts of a whole
        return
    if q.unit_text == "亿级":
        q.measure = "target"  # 千亿级产业集群: a scale aimed at
        return
    completion = _last(cues.completion, clause)  # after the early returns: they do not read it
    if q.unit == "%":
        arrive = _last(cues.arrive, clause)
        growth = max(_last(cues.growth, clause), up, down)
        rate = _final(cues.rate_names, clause[:arrive[0]]) if arrive[0] >= growth[0] >= 0 else None
        if rate:
            # 增速回落至4.5%: the growth rate reached, whose sign its name gives (降幅收窄至0.8% is -0.8%)
            name = rate.group()
            direction = _direction(_last(cues.up, name), _last(cues.down, name)) or "+"
        elif arrive[0] >= growth[0] >= 0:
            growth = (-1, 0)  # 失业率降至3.1%: the rate reached, neither a growth of -3.1% nor of +3.1%
        # the cue that ends last wins, then the longer, then the one first in this order
        measure, best = "completion", completion
        for kind, cue in (("share", _last(cues.share, clause)),
                          # unmasked: 净增率 is masked for its 增 but still names a rate
                          ("ratio", (-1, 0) if cues.not_ratio.search(raw_clause) else _ratio_end(raw_clause)),
                          ("growth", growth)):
            if cue > best:
                measure, best = kind, cue
        end = best[0]
        # 60%以上的新增财力用于教育: a part of a whole; after an arrive word, the level reached
        q.measure = measure if end >= 0 else "level" if arrive[0] >= 0 and growth[0] < 0 else "share"
        if q.measure == "completion":
            return
        if q.measure == "growth":
            q.polarity = direction or "+"
            _sign(q)
    else:
        change_end = _last(cues.change, clause)[0]
        if change_end >= 0 and not cues.level_after.search(clause[change_end:]) and completion[0] < 0:
            q.measure = "change"
            q.polarity = direction or "+"
            _sign(q)
        else:
            q.measure = "level"
        if completion[0] >= 0:
            q.measure = "target"  # 完成目标任务2700人的117%: the 2700人 is the plan
            q.polarity = None
            return
    if _is_target(sentence, clause) or cues.target_after.match(text, q.span.end):
        q.measure = "target"  # 力争增长6% / 增长6%的目标任务
        q.polarity = None


def _stated_base(text: str, pattern: re.Pattern) -> str:
    """The base the last comparison in `text` names ('previous-year', '2020' …), '' when none does;
    `pattern` is _Cues.base or base_clause."""
    found = _final(pattern, text)
    if found is None:
        return ""
    return found["year"] or _cues().base_of[found["time"] or found["word"]]


# the measures of a figure compared with a base (a level or a share is no comparison, whatever its clause says)
COMPARED = ("growth", "change", "pp_diff", "multiple", "target")


def fact_base(stated: str, measure: str, period: str | None) -> str:
    """A fact's `base`: the base its text states (Quantity.base) in the one spelling of that comparison for its period.

    For a whole year, the same period of last year, the year before and the start of the year (of a stock at the
    year's end) are the previous year; for a part of a year, the year before is its same period last year. So
    that 比上年 and 同比 of one annual series are one base, and 比2022年 of a 2023 figure is 'previous-year'.
    """
    if not stated or measure not in COMPARED:
        return ""
    bounds = period_bounds(period) if period else None
    if bounds is None or bounds[0][:4] != bounds[1][:4]:
        return stated
    year = int(bounds[0][:4])
    if bounds[0][5:] == "01-01" and bounds[1][5:] == "12-31":
        if stated in ("same-period-last-year", "start-of-year", str(year - 1)):
            return "previous-year"
        return stated
    return "same-period-last-year" if stated == str(year - 1) else stated


def _direction(up: tuple[int, int], down: tuple[int, int]) -> str | None:
    """The direction the last up word and the last down word of a clause (_last) give, None when neither is there."""
    if up[0] < 0 and down[0] < 0:
        return None
    return "+" if up >= down else "-"


def _sign(q: Quantity) -> None:
    if q.polarity == "-" and q.value > 0:
        q.value = -q.value
        if q.value_high is not None:
            q.value_high = -q.value_high


def _ratio_end(clause: str) -> tuple[int, int]:
    cues = _cues()
    # the connectors end the clause (or stand before a newline ending it): else there are none to strip
    ends = cues.connector_ends
    if ends is None or clause and (clause[-1] in ends or clause[-1] == "\n"):
        stripped = cues.connectors.sub("", clause)
    else:
        stripped = clause
    if stripped.endswith(cues.ratio_suffix):
        return len(stripped), 1
    return -1, 0


def _is_target(sentence: str, clause: str) -> bool:
    """A plan, not a result: a target word in the figure's clause (任务2700人), or a word that makes the
    whole sentence a plan (力争, 到2025年) before it; in either, a nearer past word (完成, 已) wins."""
    cues = _cues()
    target = _last(cues.target, clause)
    if target[0] >= 0 and target[0] > _last(cues.past, clause)[0]:
        return True
    # Turning characters into # makes no match of a pattern without #, only hides some: a sentence with
    # no plan word has none after that either (most sentences), and needs no masking
    if "#" not in cues.target_sentence.pattern and not cues.target_sentence.search(sentence):
        return False
    # 完成年度目标任务的61.7% reports a result: its 目标 is no plan
    sentence = cues.completion.sub(lambda m: "#" * len(m.group()), sentence)
    target = _last(cues.target_sentence, sentence)
    return target[0] >= 0 and target[0] > _last(cues.past, sentence)[0]
