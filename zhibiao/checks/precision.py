"""The interval a printed figure stands for, and arithmetic on such intervals.

A report prints 364.6亿元 for any value in [364.55, 364.65) 亿元: the last printed digit decides the
half-width. A count printed in full (84人) is exact; one printed in 万 (1.2万人) is rounded. 100% may stand for 100.3% (a completion rounded to whole per cent), so a rate recomputed as
100.3 is not a conflict with it. 约 (about) widens the interval, 超 (over) opens it upwards, 不足
(under) downwards; a range is its own interval.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from zhibiao.model import Fact

ZERO = Decimal(0)
HALF = Decimal("0.5")
ABOUT = Decimal("0.05")  # 约 / 近 / 左右: taken as within 5 % of the figure (or its printed precision, if wider)

# the first Arabic number of a numeral: 364.6 in 364.6亿, 1,234 in 1,234
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Interval:
    """[lo, hi] of the values a figure can stand for, in its normalized unit; None is unbounded."""

    lo: Decimal | None
    hi: Decimal | None

    @property
    def mid(self) -> Decimal | None:
        if self.lo is None or self.hi is None:
            return self.lo if self.hi is None else self.hi
        return (self.lo + self.hi) / 2

    @property
    def half(self) -> Decimal | None:
        """The half-width (the tolerance), None when unbounded."""
        if self.lo is None or self.hi is None:
            return None
        return (self.hi - self.lo) / 2

    def overlaps(self, other: Interval) -> bool:
        lo = _max(self.lo, other.lo)
        hi = _min(self.hi, other.hi)
        return lo is None or hi is None or lo <= hi

    def contains(self, x: Decimal) -> bool:
        return (self.lo is None or self.lo <= x) and (self.hi is None or x <= self.hi)

    def __add__(self, other: Interval) -> Interval:
        return Interval(_add(self.lo, other.lo), _add(self.hi, other.hi))

    def __sub__(self, other: Interval) -> Interval:
        return Interval(_add(self.lo, _neg(other.hi)), _add(self.hi, _neg(other.lo)))

    def scaled(self, k: Decimal) -> Interval:
        lo = None if self.lo is None else self.lo * k
        hi = None if self.hi is None else self.hi * k
        return Interval(lo, hi) if k >= 0 else Interval(hi, lo)

    def divided(self, other: Interval) -> Interval | None:
        """self / other, None when other may be zero or is unbounded."""
        if other.lo is None or other.hi is None or other.lo <= 0 <= other.hi:
            return None
        if other.lo < 0:
            return self.scaled(Decimal(-1)).divided(Interval(-other.hi, -other.lo))
        lo = None if self.lo is None else self.lo / (other.hi if self.lo >= 0 else other.lo)
        hi = None if self.hi is None else self.hi / (other.lo if self.hi >= 0 else other.hi)
        return Interval(lo, hi)


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b


def _neg(a: Decimal | None) -> Decimal | None:
    return None if a is None else -a


def _max(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else max(a, b)


def _min(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else min(a, b)


def printed(fact: Fact) -> tuple[str, str] | None:
    """The Arabic number as printed in a figure (364.6 of 约364.6亿元, commas left out) and what is printed
    after it (亿元); None for 三千 or 2×100万. Read from the numeral the fact stage kept (Fact.number_text,
    with its unit); a fact made without one (by hand, or stored before facts kept it) gives its text."""
    return _printed(fact.number_text, fact.unit_text) if fact.number_text else _printed(fact.text, "")


@functools.lru_cache(maxsize=1 << 16)
def _printed(numeral: str, unit_text: str) -> tuple[str, str] | None:
    numeral = unicodedata.normalize("NFKC", numeral)
    if "×" in numeral or "*" in numeral:  # 2×100万千瓦: a product, exact as written
        return None
    m = _NUMBER.search(numeral)
    return (m.group(0).replace(",", ""), numeral[m.end():] + unit_text) if m else None


def printed_number(fact: Fact) -> str | None:
    """The Arabic number as printed in a figure: 364.6 in 约364.6亿元; None for 三千 or 2×100万."""
    found = printed(fact)
    return found[0] if found else None


def decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def scale_of(fact: Fact) -> Decimal | None:
    """What one printed unit is worth in the normalized unit: 1e8 for 亿元, 1 for %, 666.6667 for 亩."""
    number = printed_number(fact)
    if number is None:
        return None
    try:
        n = Decimal(number)
    except InvalidOperation:
        return None
    if n == 0:
        return None
    return abs(fact.value / n)


def half_unit(fact: Fact) -> Decimal:
    """Half of the last printed digit, in the normalized unit: 0.05e8 for 364.6亿元; 0 when not known.

    A derived fact carries its own tolerance (extra["tolerance"]): its text is that of its source.
    """
    if fact.extra.get("derived"):
        return Decimal(str(fact.extra.get("tolerance") or 0))
    return _half_unit(printed_number(fact), fact.value, fact.unit)


@functools.lru_cache(maxsize=1 << 16)
def _half_unit(number: str | None, value: Decimal, unit: str) -> Decimal:
    if number is None:
        return ZERO
    n = Decimal(number)
    scale = abs(value / n) if n != 0 else Decimal(1)  # a printed 0: its own unit is unknown, take the normalized one
    if unit == "count" and scale == 1 and "." not in number:
        return ZERO  # 84人, 202个: a count printed in full is exact; 1.2万人 is rounded
    return HALF * scale * Decimal(1).scaleb(-decimals(number))


def interval(fact: Fact) -> Interval:
    """The values `fact` can stand for, given how it is printed and qualified."""
    h = half_unit(fact)
    v = fact.value
    q = fact.qualifier
    if q == "range" and fact.value_high is not None:
        return Interval(v - h, fact.value_high + h)
    if q == "about":
        w = max(h, abs(v) * ABOUT)
        return Interval(v - w, v + w)
    if q == "over":
        return Interval(v - h, None) if v >= 0 else Interval(None, v + h)
    if q == "under":
        return Interval(None, v + h) if v >= 0 else Interval(v - h, None)
    return Interval(v - h, v + h)


def sum_of(facts: Iterable[Fact]) -> Interval:
    """The values a sum of `facts` can stand for: the sum of their intervals."""
    spread = Interval(Decimal(0), Decimal(0))
    for f in facts:
        spread = spread + interval(f)
    return spread


def exact(fact: Fact) -> bool:
    """True when a figure is printed as an exact number (no 约, 超, 不足 or range)."""
    return fact.qualifier == "exact"


def round_like(value: Decimal, fact: Fact) -> Decimal:
    """`value` rounded to the printed precision of `fact` (in the normalized unit)."""
    h = half_unit(fact)
    if h == 0:
        return value
    step = h * 2
    return (value / step).quantize(Decimal(1), rounding="ROUND_HALF_UP") * step


def same_printed(value: Decimal, fact: Fact) -> bool:
    """True when `value`, printed as `fact` is printed, reads the same as `fact`."""
    return round_like(value, fact) == round_like(fact.value, fact)


def display(value: Decimal, like: Fact | None = None, unit: str = "") -> str:
    """`value` in the printed unit of `like` (36.46e9 CNY as 364.6亿元), else plainly in `unit`."""
    if like is not None and not like.extra.get("derived"):
        scale = scale_of(like)
        found = printed(like)
        if scale is not None and found is not None:
            number, suffix = found
            suffix = "" if suffix == ":" else _multiplier(scale, suffix) + suffix  # a:b:c terms are bare
            places = decimals(number) + 2
            shown = (value / scale).quantize(Decimal(1).scaleb(-places))
            return f"{_trim(shown)}{suffix}"
    return f"{_trim(value)}{unit}"


# the words of a multiple printed in a column's header, not in its cells (617.50 under 亿元)
_MULTIPLIERS = {Decimal(10) ** 3: "千", Decimal(10) ** 4: "万", Decimal(10) ** 8: "亿", Decimal(10) ** 12: "万亿"}


@functools.lru_cache(maxsize=256)
def _unit_value(suffix: str) -> Decimal | None:
    from zhibiao.quantities import find_quantities

    found = find_quantities("1" + suffix) if suffix else []
    return found[0].value if len(found) == 1 and found[0].text == "1" + suffix else None


def _multiplier(scale: Decimal, suffix: str) -> str:
    """The multiple a figure's printed unit leaves out: 亿 for a cell 617.50 worth 617.50e8 元 (its column
    says 亿元), nothing for 617.50亿元."""
    one = _unit_value(suffix)
    if not one:
        return ""
    return _MULTIPLIERS.get((scale / one).quantize(Decimal(1)) if scale > one else Decimal(1), "")


def _trim(d: Decimal) -> str:
    s = format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def judge(stated: Fact, computed: Decimal, spread: Interval | None) -> tuple[str, Decimal | None]:
    """How a computed value compares with a stated figure: (status, tolerance).

    ok: the computed value, printed as the figure is printed, reads the same (or, for 约/超/不足 and
    ranges, lies inside what the figure stands for); rounding: they differ as printed but the intervals
    both stand for overlap, so rounding of the inputs explains the gap; conflict: they cannot agree.
    `spread` is the interval of values the computation can give from the inputs' own intervals.
    """
    own = interval(stated)
    spread = spread or Interval(computed, computed)
    tolerance = None
    if own.half is not None and spread.half is not None:
        tolerance = own.half + spread.half
    if exact(stated) and not stated.extra.get("derived"):
        if same_printed(computed, stated):
            return "ok", tolerance
    elif own.contains(computed):
        return "ok", tolerance
    if own.overlaps(spread):
        return "rounding", tolerance
    return "conflict", tolerance
