"""zhibiao's numeral reader against cn2an's, a test-only oracle (MIT, a `dev` dependency, never a runtime one).

Hypothesis writes numbers in every form cn2an reads: Chinese integers to 10^12 (lower case or financial, with
or without 两, 一十 or a bare 十, 零 where places are skipped), the spoken short form (一万二), decimals
(四十二点零五), figures with a place word (1.2万, 3万5千, 5百), years in Chinese digits (二〇二三) and a sign
(负). For each, zhibiao's value must equal cn2an's, and, where the generator knows the number, both must
equal it. The renderer below is ours; the only divergence is deliberate and left out: a single financial
numeral alone (伍, 陆, 拾) is a part of a word for zhibiao (队伍, 陆续, 收拾), a number for cn2an.
"""

from __future__ import annotations

from decimal import Decimal

import cn2an
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhibiao.numbers import FINANCIAL, parse_number
from zhibiao.quantities import find_quantities

LOWER = "零一二三四五六七八九"
UPPER = "零壹贰叁肆伍陆柒捌玖"


def _section(n: int, digits: str, places: tuple[str, ...], liang: bool) -> str:
    """0 < n < 10000 in Chinese, with one 零 for each run of skipped places inside it."""
    out, zero = [], False
    for p in (3, 2, 1, 0):
        d = n // 10 ** p % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(("两" if liang and d == 2 and p >= 2 else digits[d]) + places[p])
    return "".join(out)


def render(n: int, upper: bool = False, liang: bool = False, bare_ten: bool = True) -> str:
    """n (0 ≤ n < 10^12) as a Chinese numeral: 12,0005 → 十二万零五."""
    digits = UPPER if upper else LOWER
    places = ("", "拾", "佰", "仟") if upper else ("", "十", "百", "千")
    wan, yi = ("萬", "億") if upper else ("万", "亿")
    if n == 0:
        return digits[0]
    groups = [(n // 10 ** 8, yi), (n // 10 ** 4 % 10 ** 4, wan), (n % 10 ** 4, "")]
    out: list[str] = []
    gap = False
    for g, big in groups:
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out.append(digits[0])  # 一万零五, 一亿零五百万
        gap = False
        out.append(_section(g, digits, places, liang) + big)
    s = "".join(out)
    if bare_ten and s.startswith(digits[1] + places[1]):
        s = s[1:]  # 十二万 as well as 一十二万
    return s


integers = st.builds(
    lambda n, upper, liang, bare: (render(n, upper, liang, bare), n),
    st.one_of(st.integers(0, 100), st.integers(0, 10 ** 4), st.integers(0, 10 ** 8), st.integers(0, 10 ** 12 - 1)),
    st.booleans(), st.booleans(), st.booleans(),
).filter(lambda t: not (len(t[0]) == 1 and t[0] in FINANCIAL))  # 伍, 拾 alone: parts of words

short_forms = st.builds(
    lambda d1, place, d2: (LOWER[d1] + place[0] + LOWER[d2], d1 * place[1] + d2 * place[1] // 10),
    st.integers(1, 9), st.sampled_from([("百", 100), ("千", 1000), ("万", 10 ** 4)]),  # cn2an has no 一亿二
    st.integers(1, 9))

decimals = st.builds(
    lambda n, frac: (render(n) + "点" + "".join(LOWER[int(c)] for c in frac), Decimal(f"{n}.{frac}")),
    st.integers(0, 10 ** 6), st.text(alphabet="0123456789", min_size=1, max_size=4))

mixed = st.one_of(
    st.builds(lambda a, frac, place: (f"{a}{frac}{place[0]}", Decimal(f"{a}{frac}") * place[1]),
              st.integers(1, 9999), st.sampled_from(["", ".5", ".25", ".08"]),
              st.sampled_from([("万", 10 ** 4), ("亿", 10 ** 8), ("千", 1000), ("百", 100)])),
    st.builds(lambda a, b: (f"{a}万{b}千", a * 10 ** 4 + b * 1000), st.integers(1, 9999), st.integers(1, 9)),
)

years = st.builds(lambda y: ("".join("〇一二三四五六七八九"[int(c)] for c in str(y)), y), st.integers(1900, 2099))


def _cn2an(text: str) -> Decimal:
    # smart mode reads figures with place words (1.2万); it reads all the other forms as normal mode does
    return Decimal(str(cn2an.cn2an(text, "smart" if text[0].isdigit() else "normal")))


_SETTINGS = settings(max_examples=2200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.one_of(integers, short_forms, decimals, mixed, years))
def test_zhibiao_reads_what_cn2an_reads(case: tuple[str, int | Decimal]) -> None:
    text, number = case
    oracle = _cn2an(text)
    assert parse_number(text) == oracle == Decimal(number), text


@settings(max_examples=300, deadline=None)
@given(st.one_of(integers, decimals))
def test_a_sign_before_the_numeral(case: tuple[str, int | Decimal]) -> None:
    # 负 is a sign of the quantity: zhibiao reads it there (负三点五%), cn2an inside the numeral
    text, number = case
    if Decimal(number) == 0:
        return
    (q,) = find_quantities("增速为负" + text + "%。")
    assert q.value == _cn2an("负" + text) == -Decimal(number)
