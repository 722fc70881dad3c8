"""Tests for zhibiao.numbers: numerals (Arabic, Chinese and mixed) → exact Decimal values."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from zhibiao.numbers import NUMBER, decimals, is_arabic, parse_fraction, parse_number

# (numeral as written, exact value)
ARABIC_CASES = [
    ("364.6", "364.6"),
    ("0.5", "0.5"),
    ("12", "12"),
    ("1,234.5", "1234.5"),
    ("12,345,678", "12345678"),
    ("2023", "2023"),
]

MIXED_CASES = [
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
]

CHINESE_CASES = [
    ("十二", "12"),
    ("十", "10"),
    ("二十", "20"),
    ("十五", "15"),
    ("两", "2"),
    ("两千", "2000"),
    ("三千零二十", "3020"),
    ("一百零八", "108"),
    ("十万", "100000"),
    ("十一万", "110000"),
    ("两万", "20000"),
    ("三百亿", "30000000000"),
    ("一万零五", "10005"),
    ("一万零二", "10002"),
    ("十二万五千", "125000"),
    ("十二万三千四百", "123400"),
    ("两千三百四十五", "2345"),
    ("一千二百万", "12000000"),
    ("一亿二千万", "120000000"),
    ("壹仟贰佰", "1200"),
    ("百", "100"),
    ("千", "1000"),
    ("万", "10000"),
    # digits without a place word are positional: a year written out
    ("二〇二三", "2023"),
    ("二○二四", "2024"),
]

# The spoken short forms: a last digit right after a place word is the next place down.
SHORT_FORM_CASES = [
    ("一万二", "12000"),
    ("三千五", "3500"),
    ("两百五", "250"),
    ("十二万五", "125000"),
    ("一亿二", "120000000"),
]


@pytest.mark.parametrize(("numeral", "expected"),
                         ARABIC_CASES + MIXED_CASES + CHINESE_CASES + SHORT_FORM_CASES,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_parse_number(numeral: str, expected: str) -> None:
    value = parse_number(numeral)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


# 千 and 万 alone are numbers only after 数/上/几 (上千人, 数万亩): the quantity pattern adds them there.
@pytest.mark.parametrize("numeral", [n for n, _ in ARABIC_CASES + MIXED_CASES + CHINESE_CASES + SHORT_FORM_CASES
                                     if n not in ("千", "万")])
def test_number_regex_takes_the_whole_numeral(numeral: str) -> None:
    assert re.fullmatch(NUMBER, numeral), numeral


@pytest.mark.parametrize("text", ["", "   ", "abc", "廿", "-3", "3,4", "12元", "第三", "1.2.3"])
def test_parse_number_rejects_what_is_not_a_numeral(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(("den", "num", "expected"), [
    ("四", "一", Decimal("0.25")),
    ("百", "四十", Decimal("0.4")),
    ("千", "三", Decimal("0.003")),
    ("5", "2", Decimal("0.4")),
])
def test_parse_fraction(den: str, num: str, expected: Decimal) -> None:
    assert parse_fraction(den, num) == expected


def test_parse_fraction_zero_denominator() -> None:
    with pytest.raises(ValueError):
        parse_fraction("零", "一")


@pytest.mark.parametrize(("text", "places"), [("364.6", 1), ("364.60", 2), ("1.24亿", 2), ("12", 0), ("三千", 0)])
def test_decimals(text: str, places: int) -> None:
    assert decimals(text) == places


@pytest.mark.parametrize(("text", "arabic"), [
    ("1,234", True), ("1234.5", True), ("3,4", False), ("三千", False), ("1.2万", False), ("", False),
])
def test_is_arabic(text: str, arabic: bool) -> None:
    assert is_arabic(text) is arabic


def test_precision_is_kept() -> None:
    # exact Decimal arithmetic: the printed precision of 1.24亿 survives, no float noise
    assert str(parse_number("1.24亿")) == "124000000.00"
    assert parse_number("0.1") + parse_number("0.2") == Decimal("0.3")
