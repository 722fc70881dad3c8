"""The words a figure is said of: catalogue names before it, the noun phrase before it, the noun after it.

These read strings (a clause, a phrase), never the document: the resolvers hand them the words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TypeVar

from .. import measures, periods
from ..catalogue import Indicator, Mention, catalogue, fold
from ..gazetteer import load as gazetteer
from ..lexicon import load, words
from ..model import Quantity
from .cues import cues, rx, rx_end

_HAN = re.compile(r"[\u4e00-\u9fff]")
_TIME_HINT = re.compile(r"[年月季今去前后以]")  # no time word lacks all of these: skip the period grammar
_INNER = re.compile(r"累计|分别|总共|(?<![公总])共(?![同享建有])|(?<![人平])均(?![衡匀])")
MARKS = re.compile(r"[“”\"‘’《》\s]")  # quotes, title marks and spaces: no part of a name
_FRAMING = re.compile(r"[“”\"‘’《》（）()【】\s]")  # quotes, brackets and spaces around the words of a phrase
ITEM_MARKS = re.compile(r"[、,，;；:：]")
_NOTE = re.compile(r"（[^）]{0,12}）|\([^)]{0,12}\)")
_NOUN = re.compile(r"[“\"]?[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9“”\"]{1,23}")
_QUOTES = re.compile(r"[“”\"]")
_DIGIT = re.compile(r"\d")
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")

T = TypeVar("T")
_MEMO_SIZE = 8192  # readings kept by each cache below
_MEMO_LONGEST = 64  # characters of words read through a cache; longer ones are read anew


def _memo(fn: Callable[..., T]) -> Callable[..., T]:
    """A reading of words that depends on the words alone, cached: the same words (比上年增长, 规模以上工业,
    全县) come back in figure after figure and report after report. Words longer than _MEMO_LONGEST (a clause of
    a text without sentence ends) are read anew, so that no cache holds pages of text."""
    cached = functools.lru_cache(maxsize=_MEMO_SIZE)(fn)

    @functools.wraps(fn)
    def read(*words: str) -> T:
        return cached(*words) if sum(map(len, words)) <= _MEMO_LONGEST else fn(*words)

    read.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return read


def last_name(text: str, lo: int, mentions: list[Mention]) -> tuple[Indicator, str] | None:
    """The catalogue indicator named last among `mentions` (found in text from `lo` on, in text offsets),
    with the words that name it."""
    if not mentions:
        return None
    last = mentions[-1]
    if last.text[0] in "年月" and last.start > lo and text[last.start - 1].isdigit():
        # 2023年产值: the 年 closes the date, the name is 产值
        entry = catalogue().get(last.text[1:])
        if entry is None:
            return (mentions[-2].indicator, mentions[-2].text) if len(mentions) > 1 else None
        return entry, last.text[1:]
    return last.indicator, last.text


def name_in(s: str) -> tuple[Indicator, str] | None:
    """The catalogue indicator named last in the string s, with its words."""
    return last_name(s, 0, catalogue().find(s))


def phrase(text: str, lo: int, hi: int, others: list[Quantity]) -> str | None:
    """The noun phrase a figure measures when no catalogue name fits: the clause before the number, without
    the region and time of its subject, the verbs that lead to the number and the function words."""
    # other figures of the clause are cut out: in 补贴860户62.5万元 the second shares the words before
    # the first; in 为56家个体户办理贷款3.2亿元 the words after the first are the second's
    # Only the first and the last piece are looked at: cutting every piece made a clause with many figures
    # (a text without sentence ends) quadratic (issue 19).
    first_start, last_end = None, lo
    for o in others:
        if o.span.start > hi:
            break  # the others are in text order: none after this one ends before hi
        if lo <= o.span.start and o.span.end <= hi:
            if first_start is None:
                first_start = o.span.start
            last_end = o.span.end
    if first_start is None:
        return _phrase_of(text[last_end:hi])
    s = _framed(text[last_end:hi])
    if len(strip(s)) < 2:
        s = _framed(text[lo:first_start])
    return _last_item(s)


@_memo
def _phrase_of(s: str) -> str | None:
    """The phrase of words before a figure: the last item of their framed words (one cache for the two)."""
    return _last_item(_framed(s))


@_memo
def _last_item(s: str) -> str | None:
    """The phrase of framed words: their last item, stripped, when it can name a thing measured."""
    s = strip(ITEM_MARKS.split(s)[-1])
    if not (2 <= len(s) <= 24 and _HAN.search(s)) or empty(s):
        return None
    return s


@functools.cache
def _marks() -> re.Pattern:
    """Notes in brackets (（下同）, （以下简称…）), footnote marks ([3], 【4】) and bullets (◆, ●)."""
    notes = "|".join(re.escape(w) for w in sorted(cues()["notes"], key=len, reverse=True))
    bullets = "".join(re.escape(w) for w in cues()["bullets"])
    return re.compile(rf"[（(【\[](?:\d{{1,3}}|(?:{notes})[^（()）【】\[\]]{{0,20}})[）)】\]]|[{bullets}]")


@_memo
def _framed(s: str) -> str:
    """The words of a phrase without its notes, bullets, quotes, brackets and spaces."""
    return _FRAMING.sub("", _marks().sub("", s))


@_memo
def empty(s: str) -> bool:
    """A phrase that names nothing measured: only a verb, a measure word, a region or a whole-area word."""
    return bool(rx("verbs").fullmatch(s) or rx("strip_tail").fullmatch(s) or rx("strip_lead").fullmatch(s)
                or _change_at_end().fullmatch(s) or _base_of_change(s) == 0
                or rx("whole_area").fullmatch(s) or rx("empty").fullmatch(s)
                or gazetteer().prefix(s) == len(s))


@functools.cache
def _base_at_end() -> re.Pattern:
    """A comparison's base ending the words (比上年, 较2021年同期, 同比)."""
    return re.compile(f"(?:{measures.base_words().pattern})$")


@functools.cache
def _change_at_end() -> re.Pattern:
    """A verb of change ending the words, with the word that turns to the new value or alone (扩大到, 降至,
    压减): what changed is named before it. A one-character verb needs its 到/至/为 (降 ends no word alone)."""
    verbs = sorted(cues()["change_verbs"], key=len, reverse=True)
    two = "|".join(re.escape(w) for w in verbs if len(w) >= 2)
    one = "".join(re.escape(w) for w in verbs if len(w) == 1)
    to = "".join(re.escape(w) for w in cues()["change_to"])
    return re.compile(f"(?:(?:{two})[{to}]?|[{one}][{to}])$")


def _base_of_change(s: str) -> int | None:
    """Where the base of a change ends the words (我县由二季度的, 从2022年的: 由/从, a time word, 的), if it
    does: the old value's time is no part of the name, whatever the time word (issue 14)."""
    if not s.endswith("的") or not _TIME_HINT.search(s):
        return None
    found = periods.find_periods(s)
    if not found:
        return None
    p = found[-1]
    if p.end == len(s) - 1 and p.start >= 1 and s[p.start - 1] in cues()["change_from"]:
        return p.start - 1
    return None


@_memo
def strip(s: str) -> str:
    """Cut what frames a phrase: trailing verbs (达到, 为), leading regions, time words and 其中."""
    lead = rx("strip_lead")
    for _ in range(4):
        before = s
        m = rx_end("strip_tail").search(s)
        if m and m.start() > 0:
            s = s[:m.start()]
        m = _change_at_end().search(s)
        if m and m.start() >= 2:
            s = s[:m.start()]  # 茶叶种植面积扩大到: the verb of the change is no part of the name (issue 14)
        n = _base_of_change(s)
        if n is not None and n >= 2:
            s = s[:n]
        m = _base_at_end().search(s)
        if m and m.start() >= 2:
            s = s[:m.start()]  # 人均可支配收入比2020年(增长): the base compared with is no part of the name
        for pattern in (lead, rx("whole_area"), rx("verbs")):
            m = pattern.match(s)
            if m and m.end() < len(s) - 1:
                s = s[m.end():]
        n = gazetteer().prefix(s)
        if 0 < n < len(s):
            s = s[n:]
            if len(s) > 3 and s[0] == s[1]:
                s = s[1:]  # 应县站站房面积: the place's 站 ends its name, 站房 begins the phrase
        if _TIME_HINT.search(s):
            for p in periods.find_periods(s)[-1:]:
                if p.end < len(s) - 1:
                    s = s[p.end:]  # 示范区2024年确定项目: what follows the time word
        if s == before:
            break
    s = before_place(s)
    if "的" in s[:-1]:
        rest = s[s.rindex("的") + 1:]
        if len(rest) >= 2:
            s = rest
    if len(s) > 6:
        # a long phrase holds its subject and means (依托新修步道打造生态公园): keep from its last verb on
        cuts = [m.start() for m in rx("verbs").finditer(s) if 0 < m.start() and m.end() <= len(s) - 2]
        if cuts:
            s = s[cuts[-1]:]
    return _INNER.sub("", s) if len(_INNER.sub("", s)) >= 2 else s


_DASHES = "—–－-"


@_memo
def before_place(s: str) -> str:
    """The words before a place that ends them, alone or with the verb of what it holds (10家省实验室余杭占4席,
    油菜花海——平鲁区): the place opens a clause of its own about the thing named before it, and is no part
    of that thing's name (issue 14). Words with nothing of two characters before the place are kept."""
    found = gazetteer().find(s)
    if not found:
        return s
    start, end, _ = found[-1]
    if end < len(s) and not rx("strip_tail").fullmatch(s, end):
        return s
    head = s[:start].rstrip(_DASHES)
    # 援建西藏, 浙江余杭: nothing named before the place; 对口帮扶凉山州: the place is the verb's object
    return head if len(head) >= 2 and not empty(head) and not ends_in_verb(head) else s


@functools.cache
def _before_noun() -> re.Pattern:
    return re.compile("(?:" + "|".join(re.escape(w) for w in cues()["before_noun"]) + ")?的")


@functools.cache
def _prepositions() -> tuple[str, ...]:
    return tuple(cues()["prepositions"])


@_memo
def ends_in_verb(phrase: str) -> bool:
    """Whether a phrase ends in a verb or preposition of the verb list (守住, 给予, 通过), not a noun."""
    verbs = words("verbs")
    # a preposition ends no noun (要在半个月内); 把/将 make the figure the object of the verb after it
    return any(phrase[-k:] in verbs for k in (2, 3, 4) if len(phrase) > k) or phrase in verbs \
        or phrase.endswith(_prepositions())


def noun_after(text: str, end: int, hi: int, counted: bool = False) -> str | None:
    """For counts, the noun after the measure word is what is counted (建成16个和美乡村): up to the next
    verb, adverb or function word, and for a count (`counted`), up to what is said of the counted things."""
    lead = _before_noun().match(text, end, hi)  # 500至2000元不等的补贴
    end = lead.end() if lead else end
    # a noun is at most _NOUN_LONGEST characters: the rest of the sentence is read only for a note among them
    window = text[end:min(hi, end + _NOUN_LONGEST)]
    if "（" in window or "(" in window:
        window = _NOTE.sub("", text[end:hi])  # 6个县（市、区）: the note is no noun
    m = _NOUN.match(window)
    return _noun(m.group(), counted) if m else None


_NOUN_LONGEST = 25  # characters _NOUN can match


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _noun(p: str, counted: bool) -> str | None:
    """noun_after() of the words _NOUN matched after the figure (at most _NOUN_LONGEST characters)."""
    p = _QUOTES.sub("", p)
    p = _DIGIT.split(p)[0]  # the next figure begins
    if rx("stop_after").match(p):
        return None
    cut = _free_cut("stop_after", p, 2)
    if cut is not None:
        p = p[:cut]
    # 56家个体户办理贷款: the counted thing ends where a verb begins (a short head such as 重点 stays)
    # 4个县获评: a one-character place word is a whole noun
    cut = _free_cut("object_verbs", p, 1 if p[:1] in cues()["place_words"] else 3)
    if cut is not None:
        p = p[:cut]
    # 300亩耕地整理结束, 12名学生获奖: a verb whose subject is the thing measured ends it too
    cut = _free_cut("subject_verbs", p, 2)
    if cut is not None:
        p = p[:cut]
    if counted:
        # 12个村全覆盖: a bound verb that ends the words is what the counted things do
        bound = rx_end("bound_words").search(p)
        p = p[:bound.start()] if bound and bound.start() >= 1 else p
        # 5家企业营业收入增长, 3项指标增速居首: what is said of the counted things (a measure word, or the
        # head of an amount that ends the words) is no part of them
        said = rx("measure_words").search(p, 2)
        p = p[:said.start()] if said else p
        head = rx_end("subject_heads").search(p)
        p = p[:head.start()] if head and head.start() >= 2 else p
    p = before_place(p)
    if p.endswith("率"):
        # 15个县级重点项目开工率90%: the rate belongs to the next figure, the projects to this one
        rate = [m for m in rx("verbs").finditer(p) if m.end() == len(p) - 1 and m.start() >= 2]
        p = p[:rate[-1].start()] if rate else ""
    if p in cues()["place_words"]:
        return p
    return p if len(p) >= 2 and not empty(p) and p not in words("verbs") else None


def _free_cut(name: str, p: str, pos: int) -> int | None:
    """Where the first word of cue list `name` from pos on begins in p, outside the words that bind such
    a verb to the character before it (全覆盖网点, 满负荷试运行: no cut between 全 and 覆盖)."""
    bound = [m.span() for m in rx("bound_words").finditer(p)]
    for m in rx(name).finditer(p, pos):
        if not any(a < m.start() < b for a, b in bound):
            return m.start()
    return None


def verb_before(text: str, lo: int, hi: int) -> str | None:
    """The verb right before a figure (已开复工202个 → 开复工), if the words before it end with one."""
    m = rx_end("verbs").search(text[lo:hi].rstrip("了的"))
    if not m or rx("strip_lead").fullmatch(m.group()) or rx("strip_tail").fullmatch(m.group()):
        return None  # 达到, 累计: they say nothing of what is counted
    return m.group()


def names_product(text: str, end: int, hi: int) -> bool:
    """Whether a product's name follows a figure (5GW组件, 50万吨高岭土): Han words that are no verb,
    function word or unit, up to the next mark."""
    m = _HAN_WORD.match(text[end:hi])
    if not m:
        return False
    w = m.group()
    return not (rx("stop_after").match(w) or rx("verbs").match(w) or rx("empty").match(w)
                or rx("strip_tail").match(w))


@_memo
def heads(phrase: str, name: str) -> bool:
    """Whether a catalogue name is the head of a phrase: it ends the phrase, but for measure words after it."""
    core = rx_end("measure_words", repeat=True).sub("", phrase)
    name = fold(name)
    return any(fold(p).endswith(name) or name.endswith(fold(p)) for p in (phrase, core) if p)


def qualified(phrase: str | None, name: str) -> bool:
    """Whether a phrase narrows the catalogue name it ends with by a qualifier of two or more characters
    (乡村企业 + 营业收入), rather than only framing it (全区, 2023年, 其中)."""
    if not phrase or not phrase.endswith(name):
        return False
    return _qualifies(phrase, name)


@_memo
def _qualifies(phrase: str, name: str) -> bool:
    """qualified() of a phrase that ends with the name."""
    extra = phrase[: len(phrase) - len(name)]
    entry = catalogue().get(name)
    if len(extra) < 2 or catalogue().get(phrase) is not None or entry is None:
        return False
    # a qualifier is a noun (乡村企业, 专业镇): no verb, adverb or place in it
    return not any(rx(key).search(extra) for key in ("verbs", "strip_lead", "after_time_word", "empty", "whole_area",
                                                      "qualifier_stop")) \
        and not any(True for _ in gazetteer().find(extra))


def fits_unit(entry: Indicator, q: Quantity) -> bool:
    """Whether an amount's unit can measure an indicator (a rate or a rank can be of anything)."""
    if q.unit in ("%", "pp", "rank", "x") or not entry.units:
        return True
    return q.unit in entry.units or (q.unit == "USD" and "CNY" in entry.units)


@functools.cache
def measure_words() -> frozenset[str]:
    """The measure words of units.yaml (次, 类, 床 …): 人次 is a unit, not 人 + a counted thing."""
    return frozenset(str(w) for w in load("units")["counts"])


_SHARE = re.compile(r"占(?:到|了|据)?(?P<b>[\u4e00-\u9fffA-Za-z]{2,16}?)的?(?:比重|比例|份额)?"
                    r"(?:为|是|达到|达|约|近|超过|已达)?$")


def share_name(text: str, clause_lo: int, pos: int) -> str | None:
    """服务业增加值占全县经济总量的比重为48.6%: the share is named by its part and its whole."""
    clause = MARKS.sub("", text[clause_lo:pos])
    m = _SHARE.search(clause)
    if not m or m.start() < 2:
        return None
    part = strip(clause[:m.start()])
    whole = m.group("b")
    if len(part) < 2 or empty(part):
        return None
    return f"{part}占{whole}比重"


def is_attribute(indicator: str | None) -> bool:
    """An attribute of a project or company: 装机容量, and 光伏装机容量 that narrows it."""
    if not indicator:
        return False
    entry = catalogue().get(indicator)
    if entry is not None and entry.kind == "attribute":
        return True
    return indicator.endswith(_attribute_names())


@functools.cache
def _attribute_names() -> tuple[str, ...]:
    return tuple(e.name for e in catalogue().entries if e.kind == "attribute")
