"""Numerals → exact Decimal values: 364.6, 1,234, 1.24亿, 3万5千, 两千, 十二, 二〇二三, 百分之四十, 四分之一.

The regexes here find a *number*; quantities.py decides whether a unit makes it a quantity.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

CN_DIGIT_CHARS = "".join(DIGITS)
CN_CHARS = CN_DIGIT_CHARS + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

# An Arabic number: thousands separators only in groups of three, so "3,4" stays two numbers.
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# 千 before 瓦/克/米/伏/焦/卡 belongs to the unit (千瓦, 千克, 千米), not to the number.
_NOT_UNIT_PREFIX = r"(?![瓦克米伏焦卡帕])"
# A number: Arabic with optional Chinese multipliers (1.2万, 3万5千, 2千), or Chinese numerals.
NUMBER = (
    rf"(?:(?:{ARABIC})(?:[万萬亿億]|[十百千]{_NOT_UNIT_PREFIX}(?:[万亿])?)*"
    # 3万5千, 3亿5000万: more digits after a place word, each with its own place word
    rf"(?:(?:{ARABIC})(?:[万萬亿億]|[千百十]{_NOT_UNIT_PREFIX}))*"
    rf"|[{CN_CHARS}]*[{CN_DIGIT_CHARS}十拾百佰][{CN_CHARS}]*)"
)

_PLACES = {**SMALL_UNITS, **BIG_UNITS}
_ARABIC_RE = re.compile(ARABIC)
_PLAIN_RE = re.compile(r"\d+(?:\.\d+)?")
_TOKEN_RE = re.compile(rf"{ARABIC}|[{CN_CHARS}]")
FRACTION_RE = re.compile(rf"(?P<den>{NUMBER})分之(?P<num>{NUMBER})")


def parse_number(text: str) -> Decimal:
    """The value of a numeral as written; raises ValueError if it is not one.

    >>> parse_number("1.24亿")
    Decimal('124000000.00')
    >>> parse_number("三万五千")
    Decimal('35000')
    >>> parse_number("二〇二三")
    Decimal('2023')
    """
    s = text.strip()
    if not s:
        raise ValueError("empty numeral")
    if _PLAIN_RE.fullmatch(s):
        return Decimal(s)  # the common case, 364.6: no tokens to walk
    tokens = _TOKEN_RE.findall(s)
    if "".join(tokens) != s:
        raise ValueError(f"not a numeral: {text!r}")
    # Digit strings without any unit character are positional: 二〇二三 → 2023, 一九 → 19.
    if len(tokens) > 1 and all(t in DIGITS for t in tokens):
        return Decimal("".join(str(DIGITS[t]) for t in tokens))
    total = Decimal(0)      # everything above the current 万/亿 section
    section = Decimal(0)    # the current section below 万
    current: Decimal | None = None
    last_big = 0
    for tok in tokens:
        if tok in DIGITS:
            current = Decimal(DIGITS[tok])
        elif tok in SMALL_UNITS:
            # 十二 means 12: a bare 十 counts as 一十.
            section += (current if current is not None else Decimal(1)) * SMALL_UNITS[tok]
            current = None
        elif tok in BIG_UNITS:
            big = BIG_UNITS[tok]
            section += current if current is not None else Decimal(0)
            if section == 0 and total == 0:
                section = Decimal(1)  # 万亩 = 一万亩
            if big > last_big and last_big:
                total = (total + section) * big  # 1.2万亿: the 亿 scales what came before too
            else:
                total += section * big
            last_big = max(last_big, big)
            section = Decimal(0)
            current = None
        else:
            try:
                current = Decimal(tok.replace(",", ""))
            except InvalidOperation as e:  # pragma: no cover - the token regex only lets numbers through
                raise ValueError(f"not a numeral: {text!r}") from e
    if current is not None and len(tokens) > 1 and tokens[-1] in DIGITS and tokens[-2] in _PLACES:
        # 一万二, 三千五, 两百五: a last digit right after a unit (no 零 between) is the next place down
        current *= Decimal(_PLACES[tokens[-2]]) / 10
    return total + section + (current if current is not None else Decimal(0))


def parse_fraction(den: str, num: str) -> Decimal:
    """N分之M as a fraction: 四分之一 → 0.25."""
    d = parse_number(den)
    if d == 0:
        raise ValueError("zero denominator")
    return parse_number(num) / d


def is_arabic(text: str) -> bool:
    return bool(_ARABIC_RE.fullmatch(text))


def decimals(text: str) -> int:
    """How many decimal places the Arabic part of a numeral prints (364.6 → 1): its precision."""
    m = re.search(r"\.(\d+)", text)
    return len(m.group(1)) if m else 0
