"""A report's publication date: printed on the page, else inferred from what the text reports as past.

Relative words (今年, 上半年 without a year) resolve from this date (see zhibiao.periods), so it matters.

How a date is found, in order:

1. **printed**: a full date (year, month, day) that the page prints as its own date:
   a label before it (``发布时间：2024-05-07``, ``来源：某某网 2024-05-07 10:31``), a masthead (a weekday or
   the lunar date after it, ``2024年5月7日 星期二``; a short line near the top holding a newspaper's name
   or issue number; a line that is only the date), a clock time after it (``2024-05-07 10:31``), the
   title line of a speech (``——2024年1月15日在…人民代表大会…上``), or a news dateline (``本报讯 2024年
   3月18日``, ``新华社北京2024年3月18日电``). Mastheads, labels and lines win over datelines; among equals
   the one nearest the top wins. A date inside a sentence about events (…于2023年8月19日召开…) is never
   printed: it is evidence for step 2.
2. **inferred**: the text's own time expressions (zhibiao.periods.scan) bound the date from below:
   a past full-year result (``2023年，全区地区生产总值达到364.6亿元``) puts it in the next year; a past
   event in a year, month or day (2023年6月, 于2023年9月16日开工) puts it at or after that time; a
   sub-year expression of the publication year (今年11月26日, 今年1至10月, 上半年, a dateline's 8月19日)
   puts it after what it reports (11月26日, November, July, 19 August). A headline plan for a year
   (``2024年，全市将…``, ``2024年是…``) after the last past year moves the date to the start of that year.
   The year needs an absolute year in the text; relative words alone give no year. The date is the
   latest lower bound, so an inferred date is the earliest the text allows: its year is what matters,
   its month when the text dates events of that year, its day only when a day was mentioned.
3. **unknown**: (None, "unknown").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .clean import Normalized
from .errors import ZhibiaoError
from .lexicon import cues, reader
from .model import Document
from .periods import Reading, cn_int, scan

__all__ = ["Published", "apply", "detect", "find_published"]

PRINTED, INFERRED, GIVEN, UNKNOWN = "printed", "inferred", "given", "unknown"

_SENTENCE_END = "。！!？?；;\n"
_SENTENCE_STOP = re.compile(f"[{re.escape(_SENTENCE_END)}]")
_MAX_MASTHEAD_LINE = 80  # characters: a longer line is prose, not a masthead
_LABEL_GAP = 40  # how far after a source label (来源：) its date may stand on the same line
_DATELINE_GAP = 24  # how far after a dateline source (本报讯) its date may stand
# After this many months' gap between the months of undated days (12月28日 … 1月5日), the later ones are
# last year's: a January report looks back on December.
_MONTH_GAP = 7
# Last characters of a short subject that may stand before a year opening a clause (全区2023年…).
_SUBJECT_ENDS = "市区县省旗州盟镇乡村"


@dataclass(frozen=True)
class Published:
    """What zhibiao found about a text's publication date.

    Attributes:
        date: the date, or None when nothing tells.
        how: printed, inferred or unknown.
        precision: day, month or year: how much of the date the text supports (an inferred date is the
            earliest the text allows, so its finer parts are a floor); None when unknown.
        start, end: the span of the evidence in the text (the printed date, or the expression that set
            the inferred bound); None when unknown.
        reason: a short note on which rule decided, for people reading logs.
    """

    date: date | None
    how: str
    precision: str | None = None
    start: int | None = None
    end: int | None = None
    reason: str = ""


@reader
def _lex() -> dict[str, Any]:
    return cues("published").take("labels", "source_labels", "weekdays", "masthead_words", "dateline_sources",
                                  "speech_cues", "future_cues", "past_cues", "result_cues", "masthead_lines",
                                  "review_cues")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_CN_DIGITS = "〇○零一二三四五六七八九"
# A full date: 2024年5月7日, 二〇二四年五月七日, 2024-05-07, 2024/5/7, 2024.05.07; spaces allowed in the
# Chinese form (2024 年 5 月 7 日), a clock time may follow. Every form opens with the four digits of its
# year: the lookahead says so first, which turns most places of a page away at a test or two of a character.
_FULL_DATE = re.compile(
    rf"""(?=[\d{_CN_DIGITS}]{{4}})(?<![\d{_CN_DIGITS}])
    (?:
      (?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]        # 2024年5月7日
    | (?P<cy>[{_CN_DIGITS}]{{4}})年(?P<cm>[一二三四五六七八九十]{{1,3}})月
      (?P<cd>[一二三四五六七八九十]{{1,3}})日                                    # 二〇二四年五月七日
    | (?P<iy>\d{{4}})(?P<s>[-/.])(?P<im>\d{{1,2}})(?P=s)(?P<id>\d{{1,2}})(?![\d.])  # 2024-05-07
    )""",
    re.VERBOSE,
)
_CLOCK = re.compile(r"\s*(?:[01]?\d|2[0-3])[:：][0-5]\d(?:[:：][0-5]\d)?(?!\d)")


def _full_date(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    if g["y"]:
        parts = (g["y"], g["m"], g["d"])
    elif g["cy"]:
        parts = (g["cy"], g["cm"], g["cd"])
    else:
        parts = (g["iy"], g["im"], g["id"])
    values = [cn_int(p) for p in parts]
    if any(v is None for v in values):
        return None
    y, mo, d = values  # type: ignore[misc]
    if not 1900 <= y <= 2100:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


# --- 1. printed dates --------------------------------------------------------------------------------


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end


def _top_lines(text: str) -> int:
    """The offset where the top of the page (its first few non-empty lines) ends."""
    seen, pos = 0, 0
    for line in text.splitlines(keepends=True):
        pos += len(line)
        if line.strip():
            seen += 1
            if seen >= int(_lex()["masthead_lines"]):
                break
    return pos


def _printed_kind(text: str, m: re.Match[str], top_end: int) -> tuple[int, str] | None:
    """(tier, what) when the date at m is printed as the page's date, else None. Tier 0 beats tier 1."""
    lex = _lex()
    start, end = m.start(), m.end()
    line_start, line_end = _line_bounds(text, start, end)
    before = text[line_start:start]
    after = text[end:line_end]
    head = before.rstrip(" \t\u3000:：【[（(")
    if any(head.endswith(w) for w in lex["labels"]):
        return 0, "label"
    if any(w in before[-_LABEL_GAP:] for w in lex["source_labels"]) and not _has_sentence_mark(before):
        return 0, "label"
    rest = after.lstrip(" \t\u3000,，")
    if any(rest.startswith(w) for w in lex["weekdays"]):
        return 0, "masthead"
    if _CLOCK.match(after) and not _has_sentence_mark(before):
        return 0, "timestamp"
    line = text[line_start:line_end].strip()
    date_only = line.strip("（()）[]【】 \t\u3000—-") == m.group(0).strip()
    if date_only:
        return 0, "line"
    if (start < top_end and len(line) <= _MAX_MASTHEAD_LINE and not _has_sentence_mark(line)
            and any(w in line for w in lex["masthead_words"])):
        return 0, "masthead"
    if before.strip(" \t\u3000") in ("——", "—", "--", "－－") and any(rest.startswith(w) for w in lex["speech_cues"]):
        return 0, "speech"
    window = text[max(0, start - _DATELINE_GAP):start]
    for source in lex["dateline_sources"]:
        at = window.rfind(source)
        if at >= 0 and not _has_sentence_mark(window[at:]):
            return 1, "dateline"
    return None


def _has_sentence_mark(s: str) -> bool:
    return any(c in s for c in "。，,；;！!？?")


def _printed(text: str) -> Published | None:
    top_end = _top_lines(text)
    best: tuple[int, int, Published] | None = None
    for m in _FULL_DATE.finditer(text):
        when = _full_date(m)
        if when is None:
            continue
        kind = _printed_kind(text, m, top_end)
        if kind is None:
            continue
        tier, what = kind
        found = Published(when, PRINTED, "day", m.start(), m.end(), f"printed date ({what})")
        if best is None or (tier, m.start()) < best[:2]:
            best = (tier, m.start(), found)
    return None if best is None else best[2]


# --- 2. inferred dates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bound:
    """The publication date is on or after `when`."""

    when: date
    precision: str
    start: int
    end: int
    reason: str
    undated: bool = False  # from an expression with no year at all (8月19日, not 今年8月19日)


def _sentence_after(text: str, end: int) -> str:
    stop = _SENTENCE_STOP.search(text, end)  # the first mark from end on: one pass, not one for each mark
    return text[end:len(text) if stop is None else stop.start()]


def _first_cue(s: str) -> str | None:
    """'future' or 'past', by whichever cue comes first in s; None when neither does."""
    lex = _lex()
    best: tuple[int, str] | None = None
    for what, words in (("future", lex["future_cues"]), ("past", lex["past_cues"])):
        for w in words:
            i = s.find(w)
            # 已将 / 了将 are past; 将近 is "nearly"
            if w == "将" and i >= 0 and s[i + 1:i + 2] == "近":
                continue
            if i >= 0 and (best is None or i < best[0]):
                best = (i, what)
    return None if best is None else best[1]


_FIGURE = re.compile(r"\d(?:[\d.]*)\s*(?:%|％|亿|万|千|个|家|户|人|吨|元|座|项|处|条|台|亩|公里|平方|千瓦|兆瓦|倍)")


def _is_result(s: str) -> bool:
    """Whether s states a statistical result: a figure and a result word."""
    return bool(_FIGURE.search(s)) and any(w in s for w in _lex()["result_cues"])


def _after_months(year: int, last_month: int) -> date:
    """The first day after the end of last_month: data for 1至10月 are out in November at the earliest."""
    return date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)


def _sentence_start(text: str, start: int) -> bool:
    head = text[max(0, start - 3):start].strip(" \t\u3000“\"「『*#")
    return head == "" or head[-1] in _SENTENCE_END + "，,：:"


def _opens_clause(text: str, start: int) -> bool:
    """Whether a time expression opens its clause, maybe after a short region subject (全区2023年…)."""
    head = text[max(0, start - 8):start].rstrip(" \t\u3000“\"「『*#")
    cut = max(head.rfind(c) for c in _SENTENCE_END + "，,：:")
    subject = head[cut + 1:]
    return subject == "" or (len(subject) <= 6 and subject[-1] in _SUBJECT_ENDS)


def _bound(text: str, r: Reading, this_year: int | None, review: bool = False) -> _Bound | None:
    """What one time expression says about the publication date; this_year is the publication year
    that expressions without an absolute year (今年11月26日, 上半年, 8月19日) belong to. In a report
    delivered to a session (`review`: 各位代表, 向大会报告工作) a year told as past is the year it
    reviews, and the session sits after that year has ended."""
    if r.comparison or r.target or r.months is None or r.kind in ("look_back", "plan"):
        return None
    undated = r.year is None and r.rel is None
    year = r.year if r.year is not None else (this_year if r.rel == 0 or undated else None)
    if year is None:
        return None
    rest = _sentence_after(text, r.end)
    cue = _first_cue(rest)
    if cue == "future":
        return None
    first, last = r.months
    if r.kind == "day" and r.day is not None:
        try:
            when = date(year, last, r.day)
        except ValueError:
            return None
        return _Bound(when, "day", r.start, r.end, f"a past day: {r.text}", undated)
    if r.kind in ("year", "years"):
        if r.year is None or rest.lstrip("，, ").startswith("是"):  # 今年 alone, 2024年是… say nothing
            return None
        if _is_result(rest) and _opens_clause(text, r.start) and not rest.startswith("第"):
            return _Bound(date(year + 1, 1, 1), "year", r.start, r.end, f"full-year results: {r.text}")
        if cue == "past" and review and r.kind == "year":
            return _Bound(date(year + 1, 1, 1), "year", r.start, r.end, f"the year reviewed: {r.text}")
        if cue == "past":
            return _Bound(date(year, 1, 1), "year", r.start, r.end, f"a past event: {r.text}")
        return None
    if r.kind == "since":
        if first == 1:  # 今年以来 / 2023年以来: no more than the year itself
            return None if r.year is None else _Bound(date(year, 1, 1), "year", r.start, r.end, f"since {r.text}")
        return _Bound(date(year, first, 1), "month", r.start, r.end, f"since: {r.text}", undated)
    # a month, months, a quarter or a half: a result for it is out after it ends; an event in one month
    # happened in that month
    dated = r.year is not None
    if first == last and not _is_result(rest):
        if cue == "past" or not dated:
            return _Bound(date(year, first, 1), "month", r.start, r.end, f"a past month: {r.text}", undated)
        return None
    if cue == "past" or not dated or _is_result(rest):
        return _Bound(_after_months(year, last), "month", r.start, r.end, f"results for: {r.text}", undated)
    return None


def _plan_years(text: str, readings: list[Reading]) -> list[tuple[int, Reading]]:
    """Years a sentence opens as the year being planned: 2024年，全市将… / 2024年是…"""
    out = []
    for r in readings:
        if r.kind != "year" or not r.stated or r.year is None or r.comparison or r.rel is not None:
            continue
        if not _sentence_start(text, r.start) or text[r.start] in "到至":
            continue
        rest = _sentence_after(text, r.end)
        if rest.lstrip("，, ").startswith("是") or _first_cue(rest) == "future":
            out.append((r.year, r))
    return out


def _undated_outliers(bounds: list[_Bound]) -> list[_Bound]:
    """Drop late-year dates of a text whose undated dates span a year end (12月28日 … 1月5日)."""
    months = sorted({b.when.month for b in bounds if b.undated})
    if len(months) < 2 or months[-1] - months[0] < _MONTH_GAP:
        return bounds
    cut = months[0] + _MONTH_GAP - 1
    return [b for b in bounds if not b.undated or b.when.month <= cut]


def _inferred(text: str) -> Published | None:
    # scan and periods.find_periods share the grammar's reading of a text (cached by text): on the cleaned
    # text, the document model's time words reuse this reading
    readings = scan(text)
    review = any(w in text for w in _lex()["review_cues"])
    absolute = [b for r in readings if r.year is not None and (b := _bound(text, r, None, review)) is not None]
    plans = _plan_years(text, readings)
    floor = max(absolute, key=lambda b: b.when, default=None)
    year = floor.when.year if floor is not None else None
    # by year, then by place: two sentences may open with the same year (2030年，…。2030年，…)
    later_plans = sorted(((y, r) for y, r in plans if year is None or y > year), key=lambda p: (p[0], p[1].start))
    if later_plans and (year is None or later_plans[0][0] == year + 1 or floor is None):
        y, r = later_plans[0]
        floor = _Bound(date(y, 1, 1), "year", r.start, r.end, f"plans for the year: {r.text}")
        year = y
    if year is None or floor is None:
        return None
    relative = [b for r in readings if r.year is None and (b := _bound(text, r, year)) is not None]
    relative = _undated_outliers(relative)
    best = max([floor, *[b for b in relative if b.when.year == year]], key=lambda b: (b.when, b.start))
    return Published(best.when, INFERRED, best.precision, best.start, best.end, best.reason)


# --- public API --------------------------------------------------------------------------------------


def detect(text: str, cleaned: Normalized | None = None) -> Published:
    """The publication date of a text, with how it was found, its precision and its evidence.

    `cleaned` is the text cleaned (zhibiao.clean.normalize), when the caller has it: the date is then
    inferred from the time words of the cleaned text, which the document model reads too, so the text's
    time words are scanned once (the evidence span is still in the raw text). Printed dates are always
    read from the raw text, whose lines they stand on.
    """
    if not isinstance(text, str):
        raise ZhibiaoError(f"detect expects text as str, not {type(text).__name__}")
    printed = _printed(text)
    if printed is not None:
        return printed
    if cleaned is None:
        return _inferred(text) or Published(None, UNKNOWN)
    found = _inferred(cleaned.text)
    if found is None:
        return Published(None, UNKNOWN)
    raw = cleaned.to_raw(found.start, found.end)  # type: ignore[arg-type]
    return Published(found.date, found.how, found.precision, raw.start, raw.end, found.reason)


def find_published(text: str) -> tuple[date | None, str]:
    """(date, how): how is printed, inferred or unknown (then the date is None)."""
    found = detect(text)
    return found.date, found.how


def apply(doc: Document, cleaned: Normalized | None = None) -> Document:
    """Set doc.published and doc.published_how from its text; return doc (changed in place). `cleaned`:
    its text cleaned, as for `detect`.

    A date the user gave (published_how == "given") fills what the text leaves open and never overrides
    what the text says: a printed date replaces a given one (the page's own masthead is more reliable
    than a guess typed on the command line), while an inferred date never replaces a given one (the
    hint is more reliable than a floor drawn from the text). Without a given date, the printed or
    inferred date is set; when nothing is found, the fields are set to (None, "unknown").
    """
    found = detect(doc.text, cleaned)
    given = doc.published_how == GIVEN and doc.published is not None
    if found.how == PRINTED or not given:
        doc.published, doc.published_how = found.date, found.how
    return doc
