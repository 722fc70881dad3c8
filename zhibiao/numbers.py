"""Numerals → exact Decimal values: the tokenizer and the reader of the quantity layer.

``RUN`` is the one tokenizer: it finds a run of numeral characters (Arabic figures with their thousands
separators and decimals, Chinese digits, place words, 点 between digits). ``read`` is the one reader:
from a position in such a run it reads the longest numeral there and says what it is worth:

    364.6, 1,234.5, 1，234          Arabic (full-width digits are made ASCII by clean)
    1.24亿, 3万5千, 3亿5000万        Arabic with place words
    三千零二十, 十万, 廿三, 两百五    Chinese, with 零 inside, a bare 十, 廿/卅/卌 and the spoken short form
    四点七亿, 零点四                 Chinese decimals
    壹仟贰佰, 伍萬                   financial numerals
    五六十, 十七八, 三四百           two neighbouring digits: a range, value and value_high
    十几, 几十                       a vague digit: at least the value read
    二〇二三                         digits without place words: positional (a year, a code), not a count

quantities.py decides whether a unit makes the numeral a quantity. The reader never looks past the end
of its run and each character is read once, so reading is linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9,
          "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
SMALL_PLACES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_PLACES = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
TENS = {"廿": 20, "卅": 30, "卌": 40}  # one character for 二十, 三十, 四十
VAGUE = "几"  # 十几, 几十: a digit not said
ZEROS = "〇○零"
# Financial numerals stand in runs (壹仟贰佰, 伍萬); alone they are parts of words (队伍, 陆续, 大陆, 收拾).
FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟"

PLACES = {**SMALL_PLACES, **BIG_PLACES}
_CN_DIGITS = "".join(DIGITS)
CN_CHARS = _CN_DIGITS + "".join(PLACES) + "".join(TENS) + VAGUE

# An Arabic figure: thousands separators (ASCII or full-width comma) only in groups of three, so 3,4 stays two
# numbers. Possessive: a long run of digits is walked once.
ARABIC = r"[0-9]{1,3}(?:[,，][0-9]{3}(?![0-9]))++(?:\.[0-9]++)?+|[0-9]++(?:\.[0-9]++)?+"
# A run of numeral characters, never started inside a figure (the 3 of 1.3 or of 23); 半 only as the
# number of 半成 (5%). The common case, a plain figure with at most one 万 or 亿 and nothing more (364.6,
# 1.24亿), is its own group: plain_value reads it without the walk.
_RUN_CHARS = rf"{ARABIC}|[{CN_CHARS}]|点(?=[{_CN_DIGITS}])|半(?=成)"
# The first character of a run, then the rest of its first piece as _RUN_CHARS would read it (ARABIC after
# its first digit). A pattern that begins with a class lets the regex engine skip to the next such character
# at once (search is then as quick as a class alone), so RUN begins with its first character, not a lookbehind.
_FIRST = f"[0-9{CN_CHARS}点半]"
_ARABIC_REST = r"[0-9]{0,2}(?:[,，][0-9]{3}(?![0-9]))++(?:\.[0-9]++)?+|[0-9]*+(?:\.[0-9]++)?+"
_FIRST_REST = rf"(?<=[0-9])(?:{_ARABIC_REST})|(?<=[{CN_CHARS}])|(?<=点)(?=[{_CN_DIGITS}])|(?<=半)(?=成)"


def run_pattern(place_unit: str | None = None) -> str:
    """The pattern of RUN; `place_unit`, a pattern of the units that begin with a place word (千瓦, 百分点),
    lets a plain figure end before one (3千瓦, 99亿千瓦时: the 千 is the unit's, as quantities.py reads it).

    Its group `figure` is the rest of a plain figure after its first digit (the run is then the whole figure,
    364.6 or 1.24亿), `big` the 万 or 亿 that ends it."""
    ends = rf"(?![0-9.,，{CN_CHARS}点半])"
    if place_unit:
        ends = rf"(?:{ends}|(?={place_unit}))"
    # (?<![0-9.].): the character before the first one is no digit and no point
    return (rf"{_FIRST}(?<![0-9.].)(?:(?<=[0-9])(?P<figure>[0-9]*+(?:\.[0-9]++)?+(?P<big>[万亿])?){ends}"
            rf"|(?:{_FIRST_REST})(?:{_RUN_CHARS})*+)")


RUN = re.compile(run_pattern())
_ARABIC_AT = re.compile(ARABIC)
_PLAIN = re.compile(r"[0-9]++(?:\.[0-9]++)?+(?P<big>[万亿])?")
_BIG = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def plain_value(run: re.Match) -> Reading | None:
    """The reading of a run RUN (or a pattern made of it) found to be a plain figure (364.6, 1.24亿), else
    None: read() the run."""
    end, big = run.end("figure"), run.group("big")
    if end < 0:
        return None
    plain = run.string[run.start("figure") - 1:end]
    if big is None:
        return Reading(Decimal(plain), None, end)
    return Reading(Decimal(plain[:-1]) * _BIG[big], None, end, big=True)


@dataclass(slots=True)
class Reading:
    """What a numeral is worth, and how much of the text it takes.

    Attributes:
        value: the value; the low end for 五六十.
        high: the high end of two neighbouring digits (五六十 → 60), else None.
        end: where the numeral ends in the text.
        digits: it holds a digit (十万, 百, 万 hold place words only).
        vague: a digit is left unsaid (十几, 几十): the value is a lower bound.
        positional: digits without place words (二〇二三, 一九九八): a year or a code, never a count.
        big: it ends in 万 or 亿 (1.2万, 三亿): money may drop 元 after it.
    """

    value: Decimal
    high: Decimal | None
    end: int
    digits: bool = True
    vague: bool = False
    positional: bool = False
    big: bool = False


def read(text: str, start: int, end: int | None = None) -> Reading | None:
    """The numeral that begins at text[start], read no further than `end`; None if none begins there.

    >>> read("产值1.24亿元", 2).value
    Decimal('124000000.00')
    >>> r = read("五六十人", 0); (r.value, r.high, r.end)
    (Decimal('50'), Decimal('60'), 3)
    """
    if end is None:
        end = len(text)
    m = _PLAIN.match(text, start, end)
    if m and m.end() == end:
        big = m["big"]
        if big is None:
            return Reading(Decimal(m.group()), None, end)
        return Reading(Decimal(text[start:end - 1]) * _BIG[big], None, end, big=True)
    if m and m["big"] is None and text[m.end()] not in _AFTER_ARABIC:
        return Reading(Decimal(m.group()), None, m.end())
    if end - start > _CACHED_LENGTH:
        return _Reader(text, start, end).read()
    # A reading is a function of text[start:end] alone (the reader never looks outside it), and the Chinese
    # numerals of a text are few and short (三, 两, 十二, 百分之): each is walked once, then looked up.
    key = text[start:end]
    got = _READINGS.get(key, _UNREAD)
    if got is _UNREAD:
        if len(_READINGS) >= _CACHED_READINGS:
            _READINGS.clear()
        got = _READINGS[key] = _Reader(key, 0, len(key)).read()
    if got is None:
        return None
    return Reading(got.value, got.high, start + got.end, got.digits, got.vague, got.positional, got.big)


def parse_number(text: str) -> Decimal:
    """The value of a whole string that is one numeral; ValueError if it is not one.

    >>> parse_number("三万五千")
    Decimal('35000')
    """
    s = text.strip()
    r = read(s, 0) if s else None
    if r is None or r.end != len(s) or r.high is not None:
        raise ValueError(f"not a numeral: {text!r}")
    return r.value


# What may follow an Arabic figure inside a numeral: a place word or a thousands separator.
_AFTER_ARABIC = frozenset("".join(PLACES) + ",，")
# The readings of the short runs read so far, by their text; the end of each is counted from the run's start.
_READINGS: dict[str, Reading | None] = {}
_CACHED_LENGTH = 16
_CACHED_READINGS = 8192
_UNREAD = object()


class _Reader:
    """One left-to-right pass over a numeral: place values summed within a section below 万, sections
    scaled by 万 and 亿, then an optional decimal part (四点七亿) and the place words that scale it."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end

    def read(self) -> Reading | None:
        text, i, end = self.text, self.start, self.end
        if i >= end:
            return None
        c = text[i]
        if c == "半":
            return Reading(Decimal("0.5"), None, i + 1)
        if c in DIGITS and i + 1 < end and text[i + 1] in DIGITS:
            positional = self._positional()
            if positional is not None:
                return positional
        low = self._places(None)
        if low is None:
            return None
        if low.pair is not None:  # 五六十: read again with the upper digit
            high = self._places(low.pair)
            return Reading(low.value, high.value if high else None, low.stop, low.digits, low.vague, False,
                           low.big)
        if low.financial and low.stop - self.start < 2:
            return None  # 伍 of 队伍, 陆 of 陆续
        return Reading(low.value, None, low.stop, low.digits, low.vague, False, low.big)

    def _positional(self) -> Reading | None:
        """Digits one after another without place words: a year, a name or a code (二〇二三, 三一, 五一), never
        a count; None for two neighbouring digits, which begin a range (五六, 五六十) read by _places."""
        text, start, end = self.text, self.start, self.end
        i = start
        while i < end and text[i] in DIGITS:
            i += 1
        if i - start == 2 and _neighbours(text[start], text[start + 1]):
            return None
        return Reading(Decimal("".join(str(DIGITS[c]) for c in text[start:i])), None, i, positional=True)

    def _places(self, pair: int | None) -> _Pass | None:
        """One pass; `pair` is the position of the upper digit of a neighbouring pair to read instead of
        the lower one (the second pass of 五六十)."""
        text, end = self.text, self.end
        i = self.start
        total = Decimal(0)     # the sections above the current one, scaled
        section = Decimal(0)   # the current section, below the last 万 or 亿
        cur: Decimal | None = None  # a digit (or figure) not yet given its place
        last_small = 10_000    # the last small place of the section: places must fall (千, 百, 十)
        last_big = 0           # the last big place: 万 after 亿 adds, 亿 after 万 scales
        after_place = 0        # the place right before the current digit (for 一万二, 三千五)
        zero = False           # a 零 since the last place: 一百零五 is 105, 一百五 is 150
        digits = vague = financial = big_end = False
        found_pair: int | None = None
        stop = i
        while i < end:
            c = text[i]
            if c in DIGITS:
                if cur is not None:
                    # two digits together: the upper of a neighbouring pair is skipped (read in pass two)
                    if found_pair is None and pair is None and _neighbours(text[i - 1], c) \
                            and (i + 1 >= end or text[i + 1] not in DIGITS):
                        found_pair = i
                        i += 1
                        stop = i
                        continue
                    if pair == i:
                        i += 1
                        stop = i
                        continue
                    break
                financial = financial or c in FINANCIAL
                if c in ZEROS:
                    if section or total:
                        zero = True
                        i += 1
                        stop = i
                        continue
                    cur = Decimal(0)
                else:
                    d = DIGITS[c]
                    if pair is not None and i + 1 == pair:
                        d = DIGITS[text[pair]]
                    cur = Decimal(d)
                digits = True
                big_end = False
                i += 1
            elif c in SMALL_PLACES:
                p = SMALL_PLACES[c]
                if p >= last_small:
                    break  # 三百千瓦: the 千 belongs to the unit
                if cur is None:
                    if p == 10 and (section == 0 or zero):
                        cur = Decimal(1)  # 十二, 十万, 一百零十
                    elif i == self.start:
                        cur = Decimal(1)  # 百万, 千亿: a place word leads
                    else:
                        break
                financial = financial or c in FINANCIAL
                section += cur * p
                cur = None
                last_small = p
                after_place = p
                zero = False
                big_end = False
                i += 1
            elif c in BIG_PLACES:
                b = BIG_PLACES[c]
                if b == last_big:
                    break
                group = section + (cur if cur is not None else 0)
                if cur is None and section == 0:
                    if i == self.start:
                        group = Decimal(1)  # 万亩, 亿元: one 万
                    elif not (last_big and b > last_big):
                        break
                if last_big and b > last_big:
                    total = (total + group) * b  # 1.2万亿, 十万亿: the 亿 scales everything before it
                elif last_big and b < last_big and group == 0:
                    break
                else:
                    total += group * b
                last_big = max(last_big, b)
                section = Decimal(0)
                cur = None
                last_small = 10_000
                after_place = b
                zero = False
                big_end = True
                i += 1
            elif c in TENS:
                if cur is not None or section:
                    break
                section += TENS[c]
                last_small = 10
                after_place = 10
                digits = True
                big_end = False
                i += 1
            elif c == VAGUE:
                if cur is not None:
                    break
                # 几十, 几万: one of the place after it; 十几, 十几万: nothing more
                nxt = text[i + 1] if i + 1 < end else ""
                leads = nxt in SMALL_PLACES or (nxt in BIG_PLACES and not section and not total)
                cur = Decimal(1) if leads else Decimal(0)
                vague = digits = True
                big_end = False
                i += 1
            elif c == "点" and i + 1 < end and text[i + 1] in DIGITS and (cur is not None or section or total):
                return self._decimal(i, total + section + (cur or 0), vague, financial, found_pair)
            elif "0" <= c <= "9":
                if cur is not None or (i > self.start and not after_place):
                    break
                m = _ARABIC_AT.match(text, i, end)
                nxt = m.end()
                if i > self.start and (nxt >= end or text[nxt] not in PLACES):
                    break  # 3万5 is not 35000: an Arabic figure inside a numeral needs its own place word
                cur = Decimal(m.group().replace(",", "").replace("，", ""))
                digits = True
                big_end = False
                i = nxt
            else:
                break
            stop = i
        if stop == self.start or (vague and not total and not section and not cur):
            return None  # 几 alone (几个, 几乎) says no number
        value = total + section
        if cur is not None:
            if after_place and not zero and text[stop - 1] in DIGITS and after_place >= 100 \
                    and text[stop - 2] in PLACES and stop - self.start >= 3:
                cur *= Decimal(after_place) / 10  # 一万二, 三千五, 两百五: the next place down
            value += cur
        return _Pass(value, stop, digits, vague, financial, big_end, found_pair)

    def _decimal(self, dot: int, whole: Decimal, vague: bool, financial: bool, pair: int | None) -> _Pass:
        """四点七亿, 百分之二百零三点八: digits after 点 are a decimal part; 万/亿 after it scale the whole."""
        text, end = self.text, self.end
        i = dot + 1
        frac = []
        while i < end and text[i] in DIGITS:
            frac.append(str(DIGITS[text[i]]))
            i += 1
        value = whole + Decimal("0." + "".join(frac))
        big_end = False
        last_big = 0
        while i < end and text[i] in BIG_PLACES and BIG_PLACES[text[i]] > last_big:
            last_big = BIG_PLACES[text[i]]
            value *= last_big
            big_end = True
            i += 1
        return _Pass(value, i, True, vague, financial, big_end, pair)


@dataclass(slots=True)
class _Pass:
    value: Decimal
    stop: int
    digits: bool
    vague: bool
    financial: bool
    big: bool
    pair: int | None


def _neighbours(a: str, b: str) -> bool:
    """五六, 十七八, 一两, 两三: the second digit is the first plus one."""
    return a in DIGITS and b in DIGITS and a not in ZEROS and DIGITS[b] == DIGITS[a] + 1
