"""Time expressions in report text → the period of a fact (2023, 2023-H1, 2024-Q1, 2024-01/2024-10 ...).

Formats (../shared/gold/GUIDELINES.md): ``2023`` a year, ``2023-H1`` a half, ``2024-Q1`` a quarter,
``2024-01/2024-10`` a run of months, ``2024-05`` a month, ``2024-11-26`` a day, ``2018/2022`` a run
of years; a target's period is the year it is due.

Choices, where the language leaves room:

* Relative words (今年, 去年, 上半年 with no year …) resolve from ``ref``, the publication date. ``ref``
  may also be a bare year (an int) when only the year is known; with ``ref=None`` they get period None.
* A sub-year expression with no year (上半年, 1—6月份, 3月18日) takes the year of the last
  non-comparison, non-target mention before it in the same text; failing that the publication year —
  minus one when its end lies seven or more months after the publication month and nothing marks it as
  a plan (a January report's 前三季度 is last year's).
* 近N年 and N年来 end in the publication year (ref.year-N+1 … ref.year); 过去N年 ends the year before
  (ref.year-N … ref.year-1), the way a 政府工作报告 early in a year looks back on five full years.
* 今年以来 runs from January to the publication month (``2024-01/2024-05``), or is the year when only
  the year is known.
* A comparison base (比上年, 较2022年, 与去年相比, 去年同期) is returned with ``comparison=True``;
  it never governs a fact's period.
* A year is a ``target_year`` when a cue says so (到2027年, 2025年前, 力争2025年, 今年力争, "十四五"末)
  or when it lies after the publication year; 到2023年底 in a 2024 report is a stock, not a target.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

try:  # the regex parser, to read where a rule's matches can begin (see _starts): a private module of re
    from re import _parser
except ImportError:  # a Python that moved it: the rules are compiled as written, no faster
    _parser = None

from .errors import ZhibiaoError
from .lexicon import cues, reader
from .sentences import TIME_CLAUSE_END

KINDS = ("year", "half", "quarter", "months", "month", "day", "years", "relative", "target_year", "since")

_SHIFT_MONTHS = 7  # a bare period ending this many months after publication is taken as last year's
_CUE_WINDOW = 8  # how far before a mention a target cue may stand (characters, within the clause)


@dataclass(frozen=True)
class PeriodMention:
    """A time expression found in a text.

    Attributes:
        start, end: offsets of the expression in the string searched, half-open.
        text: the string's slice [start:end].
        period: the period in the fact format, or None when it cannot be resolved (relative words
            without a reference date).
        kind: year, half, quarter, months, month, day, years, relative, target_year or since.
        comparison: True when the expression is the base of a comparison (比上年, 去年同期), not
            the period of the figures near it.
    """

    start: int
    end: int
    text: str
    period: str | None
    kind: str
    comparison: bool = False


@dataclass(frozen=True)
class _Ref:
    """What is known of the publication date: always the year, maybe the month."""

    year: int
    month: int | None


class _Parsed(NamedTuple):
    """A match read into its parts, before the context (ref, earlier mentions) is applied. (A NamedTuple,
    as _Expr: a report makes thousands, and a frozen dataclass takes twice as long to make.)

    shape is one of: ("year",), ("half", h), ("quarter", q), ("months", m1, m2), ("month", m),
    ("day", m, d), ("years", y1, y2), ("month_span", y1, m1, y2, m2), ("look_back", n, past),
    ("since", m), ("plan", first_year, tail).
    """

    shape: tuple[Any, ...]
    year: int | None = None  # an absolute year stated in the expression
    rel: int | None = None  # a relative year stated (今年 = 0, 去年 = -1)
    target: bool = False  # 到/至 before or 前 after
    past_stock: bool = False  # 截至 before: a stock at a date, never a target
    comparison: bool = False  # 同期 after


# --- the lexicon, read once -------------------------------------------------------------------------


@reader
def _lex() -> dict[str, Any]:
    """The words of the grammar (periods.yaml), with the comparison words (comparison.yaml) and the plan
    words (plans.yaml) it reads."""
    lex = cues("periods").take("digits", "range_marks", "relative_years", "halves", "five_year_plans", "year_end",
                               "holidays", "holiday_after", "since_year_start", "look_back", "record_after")
    comparison, plans = cues("comparison"), cues("plans")
    lex.update(comparison_before=comparison["before_period"], comparison_not_after=comparison["not_after"],
               comparison_after=comparison["after_period"], target_before=plans["before_year"],
               target_after=plans["after_year"])
    return lex


def cn_int(s: str) -> int | None:
    """The value of a small number written in Arabic digits or Chinese numerals (二十六, 二〇二四)."""
    if not s:
        return None
    if s.isdecimal():
        return int(s)
    digits: dict[str, int] = _lex()["digits"]
    if "十" in s:
        tens_s, _, ones_s = s.partition("十")
        if "十" in ones_s or len(tens_s) > 1 or len(ones_s) > 1:
            return None
        tens = 1 if not tens_s else digits.get(tens_s)
        ones = 0 if not ones_s else digits.get(ones_s)
        if not tens or ones is None:  # 〇十 is not a number
            return None
        return tens * 10 + ones
    values = [digits.get(c) for c in s]
    if any(v is None for v in values):
        return None
    if len(s) > 1 and "两" in s:  # 两 counts, it is not a digit of a written-out year
        return None
    return int("".join(str(v) for v in values))


@functools.cache
def _section_number() -> re.Pattern[str]:
    cn = _klass("".join(c for c in _lex()["digits"] if c not in "两〇○零") + "十")
    return re.compile(rf"\s*(?:[（(][{cn}]{{1,3}}[）)]|[{cn}]{{1,3}}、|[（(]?\d{{1,2}}[、.．）)](?!\d))")


def section_number(heading: str) -> bool:
    """Whether a heading opens with the number of a section (一、 （二） 3．): the sections of a release
    or a report are numbered so."""
    return _section_number().match(heading) is not None


def _alt(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so that 过去的 wins over 过去."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _klass(chars: str) -> str:
    return "".join(re.escape(c) for c in chars)


def _starts(pattern: str) -> str:
    """A lookahead for the characters a match of pattern can begin with, ``(?=[...])``, or "" when they
    cannot be told (a pattern that may match empty, a construct _first does not read) or the engine
    already searches by them (a pattern that opens with a character, a set of them or words).

    Put before the pattern it changes no match, and it makes the search cheaper: the engine tries the
    whole pattern at every position of a window, and one character test turns most of them away.
    """
    if _parser is None:
        return ""
    try:
        items = list(_parser.parse(pattern))
        pieces, empty = _first(items)
        if empty or _opens_with_chars(items):
            return ""
    except (ValueError, AttributeError, TypeError, IndexError):  # a construct, or a parser, it does not read
        return ""
    return f"(?=[{''.join(sorted(pieces))}])"


def _opens_with_chars(items: list[tuple[Any, Any]]) -> bool:
    """Whether the engine finds a parsed regex's first characters itself (re._compiler's charset prefix:
    a character, a set, or alternatives that each open with a character, maybe inside a group)."""
    while items and items[0][0] is _parser.SUBPATTERN:
        items = list(items[0][1][3])
    if not items:
        return False
    op, av = items[0]
    if op is _parser.BRANCH:
        return all(alt and list(alt)[0][0] is _parser.LITERAL for alt in av[1])
    return op in (_parser.LITERAL, _parser.IN)


def _compile(pattern: str) -> re.Pattern[str]:
    """pattern compiled behind the lookahead of _starts, when there is one: the same matches, found faster."""
    starts = _starts(pattern)
    return re.compile(f"{starts}(?:{pattern})" if starts else pattern)


def _first(items: list[tuple[Any, Any]]) -> tuple[set[str], bool]:
    """The characters a parsed regex (a sequence of items) can begin with, as pieces of a character class,
    and whether it can match empty. ValueError for what it does not read."""
    pieces: set[str] = set()
    for op, av in items:
        if op in (_parser.ASSERT, _parser.ASSERT_NOT, _parser.AT):
            continue  # no width: the next item begins the match
        if op is _parser.LITERAL:
            return pieces | {re.escape(chr(av))}, False
        if op is _parser.IN:
            return pieces | {_class_piece(o, a) for o, a in av}, False
        if op is _parser.SUBPATTERN and not av[1] and not av[2]:  # a group, no flags set in it
            subs, empty = [av[3]], False
        elif op is _parser.BRANCH:
            subs, empty = av[1], False
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT):
            subs, empty = [av[2]], av[0] == 0
        else:
            raise ValueError(op)
        for sub in subs:
            sub_pieces, sub_empty = _first(list(sub))
            pieces |= sub_pieces
            empty = empty or sub_empty
        if not empty:
            return pieces, False
    return pieces, True


def _class_piece(op: Any, av: Any) -> str:
    if op is _parser.LITERAL:
        return re.escape(chr(av))
    if op is _parser.RANGE:
        return f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}"
    if op is _parser.CATEGORY and av is _parser.CATEGORY_DIGIT:
        return r"\d"
    raise ValueError(op)  # a negated set, another category: not read


# --- the grammar, compiled once -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """One rule of the grammar.

    needs: the words every match must hold, as groups: a match holds at least one word of each group
    (the month rule's ("月",), the day rule's ("月",) and ("日", "号")). A window of text that lacks a
    group cannot hold a match, so the rule is not run there: the words are read off the rule's own
    pattern, the parts of it that are not optional.
    """

    name: str
    rx: re.Pattern[str]
    needs: tuple[tuple[str, ...], ...]


@functools.cache
def _grammar() -> tuple[_Rule, ...]:
    lex = _lex()
    cn = _klass("".join(lex["digits"]))  # Chinese digits
    cn_year = _klass("".join(c for c in lex["digits"] if c != "两"))
    num = rf"(?:\d{{1,2}}|[{cn}十]{{1,3}})"  # a month, a day, a count of years
    year_num = rf"(?:\d{{4}}|[{cn_year}]{{4}})"
    no_num_before = rf"(?<![\d.{cn}十])"  # so that 12023年 and 一二〇二三年 are not years
    sep = rf"\s*(?:{_alt(lex['range_marks'])})\s*"
    rel_parts = []
    for entry in sorted(lex["relative_years"], key=lambda e: len(e["word"]), reverse=True):
        before = f"(?<![{_klass(entry['not_after'])}])" if entry.get("not_after") else ""
        after = f"(?![{_klass(entry['not_before'])}])" if entry.get("not_before") else ""
        rel_parts.append(f"{before}{re.escape(entry['word'])}{after}")
    rel = "|".join(rel_parts)
    # an optional year before a part of a year: 2024年 / 二〇二四年度 / 今年
    yp = rf"(?:{no_num_before}(?P<ya>{year_num})年度?|(?P<yr>{rel}))?"
    year_tail = rf"(?P<tail>年底前|年末前|年底|年末|底前|末前|底|末|以来|至今|同期|前(?![\d{cn}十后]))?"
    not_every = r"(?<!每年)(?<!每)"  # 每年5月 recurs every year: no period
    plans = _alt(list(lex["five_year_plans"]))
    quote_open, quote_close = "[“\"「『‘']?", "[”\"」』’']?"
    # what the patterns require, named once for the needs of the rules
    year, month, quarter, ranges = ("年",), ("月",), ("季度",), tuple(lex["range_marks"])
    rules = [
        ("plan", rf"{quote_open}(?P<plan>{plans}){quote_close}(?P<tail>期间|时期|期末|末期|末|以来|收官之年)",
         (tuple(lex["five_year_plans"]),)),
        ("year_span", rf"{no_num_before}(?P<y1>{year_num})年?度?{sep}(?P<y2>{year_num})年度?", (year, ranges)),
        ("month_span", rf"{no_num_before}(?P<y1>{year_num})年(?P<m1>{num})月份?{sep}"
                       rf"(?P<y2>{year_num})年(?P<m2>{num})月份?", (year, month, ranges)),
        ("iso_day", r"(?<![\d.])(?P<y>\d{4})(?P<s>[-./])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d])",
         (("-", ".", "/"),)),
        ("day", rf"{yp}{not_every}{no_num_before}(?P<m>{num})月(?P<d>{num})[日号]", (month, ("日", "号"))),
        ("months", rf"{yp}{no_num_before}(?P<m1>{num})(?:月份?)?(?:{sep}|(?P<pair>、))(?P<m2>{num})月份?",
         (month, (*ranges, "、"))),
        ("first_n", rf"{yp}(?<![提之以此目当])前(?P<n>{num})个?(?P<unit>月|季度)", (("前",), month + quarter)),
        ("quarters", rf"{yp}{no_num_before}(?P<q1>[一二三四1-4])(?:季度)?(?:{sep}|(?P<pair>、|和|及|))"
                     r"(?P<q2>[一二三四1-4])季度", (quarter,)),
        ("half", rf"{yp}(?P<h>{_alt(list(lex['halves']))})", (tuple(lex["halves"]),)),
        ("quarter", rf"{yp}(?<![每逐各前{cn}\d])第?(?P<q>[一二三四1-4])季度(?P<tail>末)?", (quarter,)),
        ("month", rf"{yp}{not_every}{no_num_before}(?P<m>{num})月(?P<fen>份)?"
                  r"(?P<tail>底前|末前|底|末|初|上旬|中旬|下旬|以来|至今)?(?![\d日号])", (month,)),
        ("holiday", rf"{yp}{quote_open}(?P<hol>{_alt(list(lex['holidays']))}){quote_close}"
                    rf"(?:{_alt(lex['holiday_after'])})", (tuple(lex["holidays"]), tuple(lex["holiday_after"]))),
        ("year", rf"(?P<pre>截至|截止|到|至)?{no_num_before}(?P<y>{year_num})年度?{year_tail}", (year,)),
        ("relative", rf"(?P<yr>{rel})度?{year_tail}", (tuple(e["word"] for e in lex["relative_years"]),)),
        ("year_end", rf"(?P<pre>到|至)?(?<![年\d{cn}])(?P<w>{_alt(lex['year_end'])})(?P<tail>前)?",
         (tuple(lex["year_end"]),)),
        ("since_start", rf"(?P<w>{_alt(lex['since_year_start'])})", (tuple(lex["since_year_start"]),)),
        ("look_back", rf"(?P<lb>{_alt([e['word'] for e in lex['look_back']])})(?P<n>{num})年(?:以来|来|间|里)?",
         (tuple(e["word"] for e in lex["look_back"]), year)),
        ("years_since", rf"(?<![\d.{cn}十年第每])(?P<n>{num})年(?:以来|来)", (year, ("来",))),
    ]
    return tuple(_Rule(name, _compile(rx), needs) for name, rx, needs in rules)


@dataclass(frozen=True)
class _Needs:
    """The words the rules need, found in a window of text by one pass (see _present)."""

    words: tuple[str, ...]  # every word, longest first; words[i] is bit i
    # each position where a word begins reports the longest word there: one of the words' first characters,
    # then a lookbehind that steps back over it to read the word. The same as (?=(words)) at each position,
    # but the engine searches a pattern that opens with a set of characters by that set, skipping cheaply
    # what begins no word, where it tries a pattern that opens with a lookahead at every position
    rx: re.Pattern[str]
    holds: dict[str, int]  # a word → the bits of the words it holds (年底 holds 年底 and 年)
    rules: tuple[tuple[int, ...], ...]  # for each rule, the bits of each of its groups


@functools.cache
def _needs() -> _Needs:
    rules = _grammar()
    words = tuple(sorted({w for r in rules for group in r.needs for w in group}, key=lambda w: (-len(w), w)))
    bit = {w: 1 << i for i, w in enumerate(words)}
    # two words found at one position are one the prefix of the other: rx reports the longer,
    # which holds the shorter
    holds = {w: sum(bit[v] for v in words if v in w) for w in words}
    groups = tuple(tuple(sum(bit[w] for w in group) for group in r.needs) for r in rules)
    firsts = _klass("".join(sorted({w[0] for w in words})))
    return _Needs(words, re.compile(f"[{firsts}](?<=(?=({_alt(list(words))})).)"), holds, groups)


@functools.lru_cache(maxsize=1024)
def _runnable(present: int) -> tuple[tuple[int, _Rule], ...]:
    """The rules (with their rank) that may match in a window holding the words `present` (bits of
    _Needs.words): a match lies inside its window and holds a word of each of its rule's groups, so a rule
    lacking one cannot match there. A few sets of words recur across windows: cached by set."""
    groups = _needs().rules
    return tuple((rank, rule) for rank, rule in enumerate(_grammar()) if all(present & g for g in groups[rank]))


def _present(text: str, lo: int, hi: int) -> int:
    """The bits of the rules' words that text[lo:hi] holds."""
    needs = _needs()
    bits = 0
    for w in set(needs.rx.findall(text, lo, hi)):
        bits |= needs.holds[w]
    return bits


@functools.cache
def _record() -> re.Pattern[str]:
    """What follows N年来 when it counts the years since a record was last set (35年来、20年来首次)."""
    lex = _lex()
    num = rf"(?:\d{{1,2}}|[{_klass(''.join(lex['digits']))}十]{{1,3}})"
    return re.compile(rf"(?:[、和与及]{num}年(?:以来|来))*(?:{_alt(lex['record_after'])})")


@functools.cache
def _rel_offsets() -> dict[str, int]:
    return {e["word"]: int(e["offset"]) for e in _lex()["relative_years"]}


# --- reading one match --------------------------------------------------------------------------------


def _year(s: str | None) -> int | None:
    y = cn_int(s) if s else None
    return y if y is not None and 1900 <= y <= 2100 else None


def _month(s: str | None) -> int | None:
    m = cn_int(s) if s else None
    return m if m is not None and 1 <= m <= 12 else None


def _prefix(g: dict[str, str | None]) -> tuple[int | None, int | None, bool]:
    """The year part before a part of a year, from a match's groups: (absolute year, relative offset, well
    formed)."""
    ya, yr = g.get("ya"), g.get("yr")
    if ya:
        y = _year(ya)
        return y, None, y is not None
    if yr:
        return None, _rel_offsets()[yr], True
    return None, None, True


def _parse(name: str, m: re.Match[str]) -> _Parsed | None:
    """What a match says, or None when it is not a date after all (13月, 32日)."""
    g = m.groupdict()
    year, rel, ok = _prefix(g)
    if not ok:
        return None
    tail = g.get("tail") or ""
    if name == "plan":
        return _Parsed(("plan", _lex()["five_year_plans"][g["plan"]], tail))
    if name == "year_span":
        y1, y2 = _year(g["y1"]), _year(g["y2"])
        return _Parsed(("years", y1, y2)) if y1 and y2 and y1 < y2 <= y1 + 50 else None
    if name == "month_span":
        y1, y2, m1, m2 = _year(g["y1"]), _year(g["y2"]), _month(g["m1"]), _month(g["m2"])
        if not (y1 and y2 and m1 and m2) or (y1, m1) >= (y2, m2):
            return None
        return _Parsed(("month_span", y1, m1, y2, m2))
    if name in ("iso_day", "day"):
        if name == "iso_day":
            year = _year(g["y"])
            if year is None:
                return None
        mo, d = _month(g["m"]), cn_int(g["d"])
        if mo is None or d is None or not 1 <= d <= calendar.monthrange(year or 2000, mo)[1]:
            return None
        return _Parsed(("day", mo, d), year, rel)
    if name == "months":
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        if g["pair"] is not None and (m2 or 0) != (m1 or 0) + 1:
            return None  # 1、2月 are a run; 3、5月 are two months
        return _Parsed(("months", m1, m2), year, rel) if m1 and m2 and m1 < m2 else None
    if name == "first_n":
        n = cn_int(g["n"])
        per = 3 if g["unit"] == "季度" else 1
        if n is None or not 1 <= n * per <= 12:
            return None
        return _Parsed(("months", 1, n * per) if n * per > 1 else ("month", 1), year, rel)
    if name == "quarters":
        q1, q2 = cn_int(g["q1"]), cn_int(g["q2"])
        if g["pair"] is not None and (q2 or 0) != (q1 or 0) + 1:
            return None  # 二、三季度 are a run; 一、三季度 are two quarters, not the months between
        return _Parsed(("months", 3 * q1 - 2, 3 * q2), year, rel) if q1 and q2 and q1 < q2 else None
    if name == "half":
        return _Parsed(("half", _lex()["halves"][g["h"]]), year, rel)
    if name == "quarter":
        return _Parsed(("quarter", cn_int(g["q"])), year, rel)
    if name == "month":
        mo = _month(g["m"])
        if mo is None or (not g["m"].isdecimal() and year is None and rel is None and not g["fen"]):
            return None  # 一月一次 is not January: a Chinese month needs a year or 份
        if tail in ("以来", "至今"):
            return _Parsed(("since", mo), year, rel)
        return _Parsed(("month", mo), year, rel, target="前" in tail)
    if name == "holiday":
        return _Parsed(("month", _lex()["holidays"][g["hol"]]), year, rel)
    if name in ("year", "relative"):
        if name == "year":
            year = _year(g["y"])
            if year is None:
                return None
        pre = g.get("pre") or ""
        if tail in ("以来", "至今"):
            return _Parsed(("since", 1), year, rel)
        return _Parsed(("year",), year, rel, target=pre in ("到", "至") or "前" in tail,
                       past_stock=pre in ("截至", "截止"), comparison=tail in _lex()["comparison_after"])
    if name == "year_end":
        return _Parsed(("year",), target=bool(g.get("pre")) or bool(tail))
    if name == "since_start":
        return _Parsed(("since", 1))
    if name in ("look_back", "years_since"):
        n = cn_int(g["n"])
        if n is None or not 1 <= n <= 50:
            return None
        if _record().match(m.string, m.end()):
            return None  # 为35年来首次: how long since the last such record, not the period of a figure
        past = any(e["word"] == g.get("lb") and e["past"] for e in _lex()["look_back"])
        return _Parsed(("look_back", n, past))
    raise AssertionError(f"no reader for rule {name}")  # pragma: no cover - rules and readers go together


# --- context ----------------------------------------------------------------------------------------


def _is_comparison(text: str, start: int) -> bool:
    """Whether a comparison word (比, 较, 与 …) stands right before position start."""
    lex = _lex()
    head = text[max(0, start - 4):start].rstrip()
    if not head.endswith(_cue_words().comparison_before):  # most mentions: no word to look at
        return False
    for word in lex["comparison_before"]:
        if head.endswith(word):
            before = head[: len(head) - len(word)][-1:]
            if before and before in lex["comparison_not_after"]:
                continue
            return True
    return False


@dataclass(frozen=True)
class _CueWords:
    """The context words, in the forms the tests of every mention want them."""

    comparison_before: tuple[str, ...]  # for str.endswith
    target_before: re.Pattern[str]  # any plan word
    target_after: tuple[str, ...]  # for str.startswith
    clause_tail: re.Pattern[str]  # what follows the last clause mark of a string


@functools.cache
def _cue_words() -> _CueWords:
    lex = _lex()
    return _CueWords(tuple(lex["comparison_before"]), re.compile(_alt(lex["target_before"])),
                     tuple(lex["target_after"]), re.compile(f"[^{_klass(TIME_CLAUSE_END)}]*\\Z"))


def _clause_before(text: str, start: int) -> str:
    """The words of a mention's clause before it, no more than _CUE_WINDOW of them."""
    return _cue_words().clause_tail.search(text, max(0, start - _CUE_WINDOW), start).group()


def _target_cue(text: str, start: int, end: int) -> bool:
    """Whether a plan word stands shortly before (力争2025年) or right after (今年力争) a mention."""
    cues = _cue_words()
    if cues.target_before.search(_clause_before(text, start)):
        return True
    return text[end:end + 6].lstrip("，, ").startswith(cues.target_after)


def _end_month(shape: tuple[Any, ...]) -> int | None:
    kind = shape[0]
    return {"half": lambda: 6 * shape[1], "quarter": lambda: 3 * shape[1], "months": lambda: shape[2],
            "month": lambda: shape[1], "day": lambda: shape[1]}.get(kind, lambda: None)()


def _fmt_sub(y: int, shape: tuple[Any, ...]) -> str:
    kind = shape[0]
    if kind == "year":
        return str(y)
    if kind == "half":
        return f"{y}-H{shape[1]}"
    if kind == "quarter":
        return f"{y}-Q{shape[1]}"
    if kind == "months":
        return f"{y}-{shape[1]:02d}/{y}-{shape[2]:02d}"
    if kind == "month":
        return f"{y}-{shape[1]:02d}"
    if kind == "day":
        try:
            return date(y, shape[1], shape[2]).isoformat()
        except ValueError:  # 2月29日 of a year that has none
            return ""
    raise AssertionError(kind)  # pragma: no cover


def _fmt_since(y1: int, m1: int, ref: _Ref | None) -> str | None:
    """From (y1, m1) to the publication month; the year(s) when its month is not known."""
    if ref is None or y1 > ref.year:
        return None
    if ref.month is None or m1 == 1 and y1 < ref.year:
        return str(y1) if y1 == ref.year else f"{y1}/{ref.year}"
    if (y1, m1) > (ref.year, ref.month):
        return None
    if (y1, m1) == (ref.year, ref.month):
        return f"{y1}-{m1:02d}"
    return f"{y1}-{m1:02d}/{ref.year}-{ref.month:02d}"


class _Expr(NamedTuple):
    """A time expression selected in a text, with its context, all independent of the publication date.

    comparison: a comparison base (同期 after it, or 比/较… right before it).
    cue: a plan word shortly before or right after it (力争2025年, 今年力争); whether that makes it a
        target depends on its form and the date (see _Resolver._in_year and scan).
    """

    start: int
    end: int
    parsed: _Parsed
    comparison: bool
    cue: bool


class _Resolver:
    """Turns parsed matches into mentions, left to right, carrying the year in view."""

    def __init__(self, text: str, ref: _Ref | None):
        self.text = text
        self.ref = ref
        self.carry: int | None = None  # the year of the last plain mention, for 上半年 after 2023年
        self.carry_end = 0  # where that mention ends

    def mention(self, e: _Expr) -> PeriodMention:
        ref, start, end, p = self.ref, e.start, e.end, e.parsed
        comparison = e.comparison
        kind_of = p.shape[0]
        if kind_of == "plan":
            first, tail = p.shape[1], p.shape[2]
            if tail == "以来":
                return self._make(start, end, _fmt_since(first, 1, ref), "since", comparison)
            if tail in ("期间", "时期"):
                return self._make(start, end, f"{first}/{first + 4}", "years", comparison)
            return self._make(start, end, str(first + 4), "target_year", comparison)
        if kind_of == "years":
            return self._make(start, end, f"{p.shape[1]}/{p.shape[2]}", "years", comparison)
        if kind_of == "month_span":
            _, y1, m1, y2, m2 = p.shape
            return self._make(start, end, f"{y1}-{m1:02d}/{y2}-{m2:02d}", "months", comparison)
        if kind_of == "look_back":
            n, past = p.shape[1], p.shape[2]
            if ref is None:
                return self._make(start, end, None, "years", comparison)
            last = ref.year - 1 if past else ref.year
            period = str(last) if n == 1 else f"{last - n + 1}/{last}"
            return self._make(start, end, period, "years", comparison)
        if kind_of == "since":
            y = self._stated_year(p)
            if y is None and p.rel is None and ref is not None:
                y = ref.year - (1 if ref.month is not None and p.shape[1] > ref.month else 0)
            period = None if y is None else _fmt_since(y, p.shape[1], ref)
            return self._make(start, end, period, "since", comparison)
        return self._in_year(e)

    def _in_year(self, e: _Expr) -> PeriodMention:
        """A year or a part of one: the year stated, carried from before, or the publication year."""
        text, ref, start, end, p, comparison = self.text, self.ref, e.start, e.end, e.parsed, e.comparison
        y = self._stated_year(p)
        stated = p.year is not None or p.rel is not None
        whole = p.shape[0] == "year"
        if not stated:
            planned = p.target or e.cue
            # a plan (争取年底投产, 力争8月底前) is for the publication year, whatever came before
            y = None if planned and ref is not None else self._carried(start)
            if y is None and ref is not None:
                y = ref.year
                end_month = _end_month(p.shape)
                if end_month is None and re.search("年[末底]|全年", text[start:end]):
                    end_month = 12  # a bare 年末 in a spring report is last year's end
                if (end_month is not None and ref.month is not None and end_month - ref.month >= _SHIFT_MONTHS
                        and not planned):
                    y -= 1  # a January report's 前三季度 are last year's
        period = None if y is None else _fmt_sub(y, p.shape) or None
        if whole:
            target = not comparison and not p.past_stock and (
                p.target or e.cue
                or (p.year is not None and ref is not None and p.year > ref.year))
            if target and y is not None and ref is not None and y < ref.year:
                target = False  # 到2023年底 in a 2024 report is a stock at that date
            kind = "target_year" if target else ("relative" if p.rel is not None else "year")
        else:
            target = False
            kind = p.shape[0]
        if y is not None and not comparison and not target:
            self.carry, self.carry_end = y, end
        return self._make(start, end, period, kind, comparison)

    def _carried(self, start: int) -> int | None:
        """The year in view at start: a year stated earlier in the same paragraph."""
        if self.carry is None or self.text.find("\n", self.carry_end, start) >= 0:
            return None
        return self.carry

    def _stated_year(self, p: _Parsed) -> int | None:
        if p.year is not None:
            return p.year
        if p.rel is not None:
            return None if self.ref is None else self.ref.year + p.rel
        return None

    def _make(self, start: int, end: int, period: str | None, kind: str, comparison: bool) -> PeriodMention:
        return PeriodMention(start, end, self.text[start:end], period, kind, comparison)


# --- public API ---------------------------------------------------------------------------------------


def _as_ref(ref: date | int | None) -> _Ref | None:
    if ref is None:
        return None
    if isinstance(ref, date):
        return _Ref(ref.year, ref.month)
    if isinstance(ref, int) and not isinstance(ref, bool):
        return _Ref(ref, None)
    raise ZhibiaoError(f"the reference date must be a date, a year or None, not {type(ref).__name__}")


def find_periods(text: str, ref: date | int | None = None) -> list[PeriodMention]:
    """Every time expression in a sentence or paragraph, in text order.

    ``ref`` is the publication date (or only its year, as an int); relative expressions resolve from
    it and get period None without it.
    """
    if not isinstance(text, str):
        raise ZhibiaoError(f"find_periods expects text as str, not {type(text).__name__}")
    return list(_find(text, _as_ref(ref)))


@functools.lru_cache(maxsize=512)
def _find(text: str, ref: _Ref | None) -> tuple[PeriodMention, ...]:
    resolver = _Resolver(text, ref)
    return tuple(resolver.mention(e) for e in _select(text))


# Every time expression holds one of these (2023年, 3月, 一季度, 18日, 年底, 十四五): the grammar only
# runs around them, which makes a page of prose without dates nearly free.
_TRIGGER = _compile(r"[年月季日号]|十[一二三四五六]五|\d{4}[-/.]\d{1,2}|假期|长假|期间|黄金周")
_LEFT, _RIGHT = 24, 16  # characters of context kept around a trigger: longer than any expression


def _windows(text: str) -> list[tuple[int, int]]:
    """Disjoint spans of text around the trigger characters (merged when they touch)."""
    runs: list[list[int]] = []  # [start of the first trigger, end of the last] of the triggers merged
    for m in _TRIGGER.finditer(text):
        start, end = m.span()
        # the spans touch when start - _LEFT <= end + _RIGHT of the last trigger (cut at the text's ends
        # they touch all the same)
        if runs and start - runs[-1][1] <= _LEFT + _RIGHT:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    n = len(text)
    return [(max(0, start - _LEFT), min(n, end + _RIGHT)) for start, end in runs]


@functools.lru_cache(maxsize=64)
def _select(text: str) -> tuple[_Expr, ...]:
    """The time expressions of text, read on their own: the longest that do not overlap, in text order,
    each with what the words around it say (a comparison word before it, a plan word near it). Nothing
    here needs the publication date: `scan` (for zhibiao.published, which infers that date) and
    `find_periods` (for the document model, which reads the mentions against it) share this reading of
    a text, cached by text, so a document's time words are read and their context looked at once."""
    # collect every reading, then keep the longest ones that do not overlap (rule order breaks ties)
    # (-length, rank, start, end, parsed) sort longest first, then by rule, then by place; they never tie
    # on the first three (one rule's matches in one window do not overlap, windows are disjoint), so the
    # readings are never compared
    found: list[tuple[int, int, int, int, _Parsed]] = []
    for lo, hi in _windows(text):
        for rank, rule in _runnable(_present(text, lo, hi)):
            for m in rule.rx.finditer(text, lo, hi):
                start, end = m.span()
                if end > start:
                    parsed = _parse(rule.name, m)
                    if parsed is not None:
                        found.append((start - end, rank, start, end, parsed))
    found.sort()
    taken: list[tuple[int, int, _Parsed]] = []
    occupied = bytearray(len(text))  # linear, where testing each pair taken would be quadratic
    for _, _, start, end, parsed in found:
        if not any(occupied[start:end]):
            taken.append((start, end, parsed))
            occupied[start:end] = b"\x01" * (end - start)
    taken.sort(key=lambda t: t[0])
    return tuple(_Expr(start, end, p, p.comparison or _is_comparison(text, start), _target_cue(text, start, end))
                 for start, end, p in taken)


def sentence_period(text: str, ref: date | int | None, default: str | None = None) -> str | None:
    """The period that governs the figures of a sentence: its first resolved non-comparison period,
    else ``default``."""
    for mention in find_periods(text, ref):
        if not mention.comparison:
            return mention.period if mention.period is not None else default
    return default


def period_before(text: str, pos: int, ref: date | int | None) -> str | None:
    """The period of the nearest non-comparison mention that ends at or before ``pos`` (None if that
    mention cannot be resolved, or there is none)."""
    before = [m for m in find_periods(text, ref) if m.end <= pos and not m.comparison]
    return before[-1].period if before else None


@dataclass(frozen=True)
class Reading:
    """A time expression read on its own, before any publication date is applied (for zhibiao.published).

    Attributes:
        start, end, text: where it stands, as in PeriodMention.
        kind: year, half, quarter, months, month, day, years, since, look_back or plan.
        year: the absolute year it names, stated (2023年6月) or carried from an earlier mention in the
            same paragraph (2023年…上半年); for a span, the year it ends in; None when it names none.
        rel: the relative year it names, stated or carried (今年 = 0, 去年 = -1); None when none.
        stated: whether the year (absolute or relative) is written in the expression itself.
        months: the first and last month it covers within its year (1, 12 for a whole year); None for
            spans of years, look-backs and plans.
        day: the day of the month, for kind day.
        target: marked as a due date by its form (到2027年, 2025年前) or a plan word near it (力争).
        comparison: the base of a comparison (比上年, 去年同期).
    """

    start: int
    end: int
    text: str
    kind: str
    year: int | None
    rel: int | None
    stated: bool
    months: tuple[int, int] | None
    day: int | None
    target: bool
    comparison: bool


def scan(text: str) -> list[Reading]:
    """Every time expression of text with what it states, nothing resolved: no reference date needed."""
    if not isinstance(text, str):
        raise ZhibiaoError(f"scan expects text as str, not {type(text).__name__}")
    out: list[Reading] = []
    carry: tuple[int | None, int | None] = (None, None)
    carry_end = 0
    for e in _select(text):
        start, end, p, comparison = e.start, e.end, e.parsed, e.comparison
        target = p.target or e.cue
        kind = p.shape[0]
        stated = p.year is not None or p.rel is not None
        year, rel = p.year, p.rel
        if not stated and kind in ("half", "quarter", "months", "month", "day") and text.find("\n", carry_end, start) < 0:
            year, rel = carry
        months: tuple[int, int] | None = None
        day = None
        if kind == "year":
            months = (1, 12)
        elif kind in ("half", "quarter", "months", "month", "day"):
            last = _end_month(p.shape)
            first = {"half": 6 * p.shape[1] - 5 if kind == "half" else 0,
                     "quarter": 3 * p.shape[1] - 2 if kind == "quarter" else 0}.get(kind, p.shape[1])
            months = (first, last) if last is not None else None
            if kind == "day":
                day = p.shape[2]
        elif kind == "since":
            months = (p.shape[1], 12)
        elif kind == "month_span":
            kind, year, months = "months", p.shape[3], (1, p.shape[4])
        elif kind == "years":
            year, months = p.shape[2], (1, 12)
        if stated and not comparison and not target:
            carry, carry_end = (year, rel), end
        out.append(Reading(start, end, text[start:end], kind, year, rel, stated, months, day, target, comparison))
    return out
