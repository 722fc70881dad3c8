"""Tests for zhibiao.numbers: the numeral tokenizer (RUN) and the reader (read, parse_number).

Every numeral here is written by us for these tests; each table row names the form it stands for.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibiao import numbers
from zhibiao.numbers import RUN, parse_number, read

# (numeral as written, exact value)
ARABIC = [
    ("364.6", "364.6"),
    ("0.5", "0.5"),
    ("12", "12"),
    ("1,234.5", "1234.5"),        # thousands separators in groups of three
    ("12,345,678", "12345678"),
    ("1，234", "1234"),            # a full-width comma as a separator
    ("2023", "2023"),
    ("007", "7"),
]

MIXED = [
    ("1.24亿", "124000000"),
    ("1.2万", "12000"),
    ("3万5千", "35000"),
    ("1万2千", "12000"),
    ("5千", "5000"),
    ("3.5千", "3500"),
    ("2千万", "20000000"),
    ("1.2万亿", "1200000000000"),
    ("4万亿", "4000000000000"),
    ("3亿5000万", "350000000"),
    ("1,234.5万", "12345000"),
    ("5百", "500"),
]

CHINESE = [
    ("十二", "12"),
    ("十", "10"),
    ("二十", "20"),
    ("十五", "15"),
    ("两", "2"),
    ("俩", "2"),
    ("幺", "1"),
    ("两千", "2000"),
    ("三千零二十", "3020"),         # 零 inside
    ("一百零八", "108"),
    ("二百零七万", "2070000"),
    ("一千零十", "1010"),           # a bare 十 after 零
    ("十万", "100000"),             # a bare 十 before 万
    ("十亿", "1000000000"),         # and before 亿
    ("十一万", "110000"),
    ("两万", "20000"),
    ("三百亿", "30000000000"),
    ("一万零五", "10005"),
    ("十二万五千", "125000"),
    ("十二万三千四百", "123400"),
    ("两千三百四十五", "2345"),
    ("一千二百万", "12000000"),
    ("一亿二千万", "120000000"),
    ("三亿五千万", "350000000"),
    ("一万亿", "1000000000000"),     # 亿 after 万 scales what came before
    ("百", "100"),
    ("千", "1000"),
    ("万", "10000"),
    ("百万", "1000000"),
    ("千亿", "100000000000"),
    ("廿三", "23"),                 # 廿 = 二十
    ("卅", "30"),
    ("卌五", "45"),
]

FINANCIAL = [
    ("壹仟贰佰", "1200"),
    ("伍萬", "50000"),
    ("叁拾陆", "36"),
    ("玖億", "900000000"),
    ("壹佰零捌", "108"),
]

# The spoken short forms: a last digit right after a place word is the next place down.
SHORT_FORMS = [
    ("一万二", "12000"),
    ("三千五", "3500"),
    ("两百五", "250"),
    ("十二万五", "125000"),
    ("一亿二", "120000000"),
    ("一百一", "110"),
]

DECIMALS = [
    ("四点七亿", "470000000"),       # X点Y anywhere a numeral stands
    ("零点四", "0.4"),
    ("六点五", "6.5"),
    ("三十二点五", "32.5"),
    ("二百零三点八", "203.8"),
    ("十点零五", "10.05"),
    ("一点五万亿", "1500000000000"),
]

# Digits without place words are positional: a year or a code.
POSITIONAL = [
    ("二〇二三", "2023"),
    ("二○二四", "2024"),
    ("一九九八", "1998"),
]

ALL = ARABIC + MIXED + CHINESE + FINANCIAL + SHORT_FORMS + DECIMALS + POSITIONAL


@pytest.mark.parametrize(("numeral", "expected"), ALL, ids=[n for n, _ in ALL])
def test_parse_number(numeral: str, expected: str) -> None:
    value = parse_number(numeral)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


@pytest.mark.parametrize("numeral", [n for n, _ in ALL])
def test_the_tokenizer_takes_the_whole_numeral(numeral: str) -> None:
    m = RUN.match(numeral)
    assert m is not None and m.end() == len(numeral)


@pytest.mark.parametrize(("numeral", "positional"), [("二〇二三", True), ("一九九八", True), ("三一", True),
                                                     ("十二", False), ("364.6", False), ("五六", False)])
def test_positional_digits_are_flagged(numeral: str, positional: bool) -> None:
    r = read(numeral, 0)
    assert r is not None and r.positional is positional


# Two neighbouring digits: a range, the low end the value and the high end value_high.
@pytest.mark.parametrize(("numeral", "low", "high"), [
    ("五六十", "50", "60"), ("十七八", "17", "18"), ("三四百", "300", "400"), ("一两", "1", "2"),
    ("两三千", "2000", "3000"), ("二十七八", "27", "28"), ("一千五六百", "1500", "1600"), ("七八", "7", "8"),
    ("三四十万", "300000", "400000"),
])
def test_neighbouring_digits_are_a_range(numeral: str, low: str, high: str) -> None:
    r = read(numeral, 0)
    assert r is not None and r.end == len(numeral)
    assert (r.value, r.high) == (Decimal(low), Decimal(high))


# 几 is a digit not said: the value read is a lower bound.
@pytest.mark.parametrize(("numeral", "value"), [("十几", "10"), ("几十", "10"), ("几百", "100"), ("几十万", "100000"),
                                                ("十几万", "100000"), ("二十几", "20"), ("一百几十", "110")])
def test_a_vague_digit(numeral: str, value: str) -> None:
    r = read(numeral, 0)
    assert r is not None and r.vague and r.value == Decimal(value)


# Where the reader stops: the longest numeral at the start, the rest for the next reading.
@pytest.mark.parametrize(("text", "end"), [
    ("三百千瓦", 2),     # 千 after 百 cannot be a place of the same number: it begins the unit
    ("50万千瓦", 3),     # nor 千 right after 万
    ("3万5", 2),         # an Arabic figure inside a numeral needs its own place word
    ("三万五千万", 4),
    ("十十", 1),
])
def test_the_reader_stops_where_the_numeral_ends(text: str, end: int) -> None:
    r = read(text, 0)
    assert r is not None and r.end == end


@pytest.mark.parametrize("text", ["", "   ", "abc", "-3", "3,4", "12元", "第三", "1.2.3", "几", "伍", "陆",
                                  "五六十"])
def test_parse_number_rejects_what_is_not_one_numeral(text: str) -> None:
    # 伍 and 陆 alone are parts of words (队伍, 陆续); 五六十 is a range, not one number
    with pytest.raises(ValueError):
        parse_number(text)


def test_precision_is_kept() -> None:
    # exact Decimal arithmetic: the printed precision of 1.24亿 survives, no float noise
    assert str(parse_number("1.24亿")) == "124000000.00"
    assert parse_number("0.1") + parse_number("0.2") == Decimal("0.3")


def test_a_figure_beyond_any_float_is_read_exactly() -> None:
    # the reader keeps the digits; quantities.py decides that no report states such a figure
    assert parse_number("9" * 400) == Decimal("9" * 400)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,，零〇一二两三四五六七八九十百千万亿廿几点半成壹伍陆拾佰仟萬億xy", max_size=60))
def test_read_never_looks_past_its_end(text: str) -> None:
    for m in RUN.finditer(text):
        r = read(text, m.start(), m.end())
        if r is not None:
            assert m.start() < r.end <= m.end()
            if r.high is not None:
                assert r.high > r.value



_NUMERAL_CHARS = "0123456789.,，零〇一二两三四五六七八九十百千万亿廿几点半成壹伍陆拾佰仟萬億"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_NUMERAL_CHARS, min_size=1, max_size=20), st.text(alphabet=_NUMERAL_CHARS + "xy吨", max_size=6),
       st.text(alphabet=_NUMERAL_CHARS + "xy吨", max_size=6))
def test_a_reading_depends_on_its_characters_alone(numeral: str, before: str, after: str) -> None:
    # read() keeps the readings of short runs by their text: the same characters read where they stand in
    # another text, and again, give the same reading, its end moved with them
    text, start = before + numeral + after, len(before)
    first = read(text, start, start + len(numeral))
    alone = read(numeral, 0)
    for r in (first, read(text, start, start + len(numeral))):
        if alone is None:
            assert r is None
        else:
            assert r is not None
            assert (r.value, r.high, r.end - start, r.digits, r.vague, r.positional, r.big) == \
                (alone.value, alone.high, alone.end, alone.digits, alone.vague, alone.positional, alone.big)


# RUN as first written, with a lookbehind first: the plain reading of what a run is. RUN begins with its first
# character instead (so that a search skips to it at once) and must take the same characters.
_RUN_AS_WRITTEN = re.compile(
    rf"(?<![0-9.])(?:(?P<plain>[0-9]++(?:\.[0-9]++)?+(?P<big>[万亿])?)(?![0-9.,，{numbers.CN_CHARS}点半])"
    rf"|(?:{numbers.ARABIC}|[{numbers.CN_CHARS}]|点(?=[{''.join(numbers.DIGITS)}])|半(?=成))++)")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"0123456789.,，点半成万亿千百十一二两三五九零〇几廿壹拾佰萬億吨元a ", "1,234", "12,345.6",
                                 "多"]), max_size=16).map("".join))
def test_run_takes_the_characters_of_the_run_as_written(text: str) -> None:
    for i in range(len(text)):
        a, b = _RUN_AS_WRITTEN.match(text, i), RUN.match(text, i)
        assert (a and a.span()) == (b and b.span()), (text, i)
        if a is not None:
            plain = a["plain"]
            assert (plain is None) == (b["figure"] is None)
            assert plain is None or (text[i:b.end("figure")] == plain and a["big"] == b["big"])
    assert [m.span() for m in _RUN_AS_WRITTEN.finditer(text)] == [m.span() for m in RUN.finditer(text)]
