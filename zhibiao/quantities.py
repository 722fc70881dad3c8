"""Find every quantity in a (cleaned) text: a number with its unit, qualifier and range.

Offsets are into the string given; the pipeline maps them back to the raw text. Measure and
polarity are left at their defaults here: measures.py sets them from the words around.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from . import lexicon
from .model import Quantity, Span
from .numbers import ARABIC, BIG_UNITS, CN_CHARS, DIGITS, NUMBER, SMALL_UNITS, parse_fraction, parse_number

# Qualifiers written before and after a number (GUIDELINES: about, over, under).
_PREFIX = {"约": "about", "大约": "about", "约为": "about", "近": "about", "将近": "about", "接近": "about",
           "超": "over", "超过": "over", "超出": "over", "逾": "over", "突破": "over", "达": None,
           "不足": "under", "不到": "under", "不超过": "under", "数": "over", "上": "over", "几": "over"}
_POSTFIX = {"左右": "about", "上下": "about", "以上": "over", "及以上": "over", "有余": "over",
            "以下": "under", "以内": "under", "之内": "under"}
_INFIX = {"余": "over", "多": "over"}
# The words above that are part of a quantity's span (达 is a verb: left outside the span).
_PREFIX_IN_SPAN = [p for p, q in _PREFIX.items() if q]
# Before 百/千/万 alone, 数 上 几 make a quantity (数百名, 上千人); before a digit they do not (上3个).
_VAGUE_PREFIX = ("数", "上", "几")

_RANGE_SEP = r"(?:至|到|～|~|—|–|－|-)"
_SHARED_SEP = re.compile(r"(?:、|和|及|与|以及|,|，)$")  # between items of an enumeration
_MULT = r"(?:千万|百万|十万|万亿|万|亿)"
_RANK_CUE = re.compile(r"(全国|全省|全市|全区|全县|全州|全盟|同类|排名|排位|位居|位列|名列|居|列|跃居|稳居|"
                       r"跻身|双双|均|分别|保持|蝉联|排)[^，。；,]{0,6}$")
_RANK_STOP = "批届次期章条个款项部季阶类轮家号大天年月日代产版集卷篇步道层段组把关线书时课站"
_DATE_NUMBER = re.compile(r"(?:1[89]|20)\d\d|[〇零一二三四五六七八九]{4}")
_PERIOD_BEFORE = re.compile(r"(?:近|过去|未来|今后|最近|此前|这|那)$")


@dataclass(frozen=True, slots=True)
class _Unit:
    text: str
    unit: str
    factor: Decimal


@functools.cache
def _units() -> dict[str, _Unit]:
    data = lexicon.load("units")
    out = {}
    for e in data["units"]:
        lexicon.require(e, ("text", "unit", "factor"), "units.yaml")
        out[str(e["text"])] = _Unit(str(e["text"]), e["unit"], Decimal(str(e["factor"])))
    for w in data["counts"]:
        out.setdefault(str(w), _Unit(str(w), "count", Decimal(1)))
    return out


@functools.cache
def _count_starts() -> frozenset[str]:
    """First characters of measure words: 第一所, 第三家 are ordinals, not ranks."""
    return frozenset(w[0] for w in lexicon.load("units")["counts"])


def _unit_pattern() -> str:
    data = lexicon.load("units")
    guards = data.get("guards", {})
    alts = []
    for text in sorted(_units(), key=len, reverse=True):
        alt = re.escape(text)
        if text[-1].isascii() and text[-1].isalpha():
            alt += r"(?![A-Za-z])"  # 5GW yes, 5GWp no
        if text in guards:
            alt += f"(?![{re.escape(guards[text])}])"
        alts.append(alt)
    return "|".join(alts)


@functools.cache
def _patterns() -> re.Pattern:
    unit = _unit_pattern()
    pre = "|".join(sorted((re.escape(p) for p in _PREFIX), key=len, reverse=True))
    post = "|".join(sorted((re.escape(p) for p in _POSTFIX), key=len, reverse=True))
    start = r"(?<![\d.A-Za-z_×*])"  # not inside a number, a code or a product (2×100万)
    alternatives = [
        # 2×100万千瓦: units of equal size
        rf"(?P<t>{start}(?P<t_pre>{pre})?(?P<t_n1>{ARABIC})[×xX*](?P<t_n2>{NUMBER})(?P<t_unit>{unit}))",
        # 3000至10000元, 5—8个, 三到五年, 3万至5万元
        rf"(?P<r>{start}(?P<r_pre>{pre})?(?P<r_n1>{NUMBER})(?P<r_u1>{unit})?{_RANGE_SEP}"
        rf"(?P<r_n2>{NUMBER})(?P<r_inf>余|多)?(?P<r_unit>{unit}))",
        # 百分之四十, 千分之三, 四分之一
        rf"(?P<f>(?P<f_pre>{pre})?(?P<f_den>百|千|{NUMBER})分之(?P<f_num>{NUMBER})(?P<f_post>{post})?)",
        # 三成, 九成以上
        rf"(?P<c>(?P<c_pre>{pre})?(?P<c_num>[一二三四五六七八九十]|\d)成(?![为立果效功本员绩交长型熟品就])"
        rf"(?P<c_post>{post})?)",
        # 千亿级, 百亿级: the scale of an industry in yuan
        r"(?P<y>(?P<y_num>[一二两三四五六七八九十百千万\d]{0,3}亿)级)",
        # the common case: 约364.6亿元, 40余人, 1.2万余平方米, 300多万吨, 81%以上
        rf"(?P<b>{start}(?P<b_pre>{pre})?(?P<b_neg>[-−－]|负)?(?P<b_num>{NUMBER})(?P<b_inf>余|多)?"
        rf"(?P<b_mult>{_MULT})?(?P<b_unit>{unit})?(?P<b_post>{post})?)",
    ]
    # Every alternative starts with a digit, a Chinese numeral, a qualifier or a minus sign: a lookahead on
    # that one character lets the scan skip all other positions without trying the six alternatives.
    firsts = set(CN_CHARS) | {p[0] for p in _PREFIX} | set("-−－负")
    lead = rf"(?=[\d{re.escape(''.join(sorted(firsts)))}])"
    return re.compile(lead + "(?:" + "|".join(alternatives) + ")")


_RANK_RE = re.compile(r"第(?P<n>[一二三四五六七八九十]{1,3}|\d{1,3})(?:位|名)?")


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order, with spans into `text`."""
    found: list[Quantity] = []
    bare: list[tuple[int, int, Decimal, str]] = []  # numbers without a unit, for enumerations
    for m in _patterns().finditer(text):
        kind = m.lastgroup
        try:
            q = _build(kind, m, text)
        except (ValueError, ArithmeticError):
            continue
        if q is None:
            continue
        if isinstance(q, tuple):
            bare.append(q)
            continue
        found.append(q)
    found += _ranks(text, found)
    found.sort(key=lambda q: q.span.start)
    _share_units(text, found, bare)
    found.sort(key=lambda q: q.span.start)
    return found


def _build(kind: str | None, m: re.Match, text: str):
    units = _units()
    if kind == "t":
        u = units[m["t_unit"]]
        value = parse_number(m["t_n1"]) * parse_number(m["t_n2"]) * u.factor
        return _q(m, "t", value, u, m["t_unit"], _qualifier(m["t_pre"], None, None))
    if kind == "r":
        u = units[m["r_unit"]]
        n1, n2 = m["r_n1"], m["r_n2"]
        if _bad_number(text, m.start("r_n1"), n1, u.text) or _is_date(n1, u.unit) or _is_date(n2, u.unit):
            return None
        low, high = parse_number(n1), parse_number(n2)
        # 3至5万元: the 万 of the high end scales the low end too
        if not any(c in BIG_UNITS for c in n1) and any(c in BIG_UNITS for c in n2) and high > low * 100:
            low *= Decimal(BIG_UNITS["亿" if "亿" in n2 else "万"])
        u1 = units.get(m["r_u1"]) if m["r_u1"] else u
        if u1 is None or u1.unit != u.unit:
            return None
        if low >= high:
            return None
        q = _q(m, "r", low * u1.factor, u, m["r_unit"], "range")
        q.value_high = high * u.factor
        return q
    if kind == "f":
        den = m["f_den"]
        num = m["f_num"]
        if den == "百":
            value = parse_number(num)
        elif den == "千":
            value = parse_number(num) / 10
        else:
            value = parse_fraction(den, num) * 100
        qual = _qualifier(m["f_pre"], None, m["f_post"])
        return _q(m, "f", value, _Unit("%", "%", Decimal(1)), "%", qual)
    if kind == "c":
        value = parse_number(m["c_num"]) * 10
        return _q(m, "c", value, _Unit("成", "%", Decimal(1)), "成", _qualifier(m["c_pre"], None, m["c_post"]))
    if kind == "y":
        value = parse_number(m["y_num"])
        return _q(m, "y", value, _Unit("亿", "CNY", Decimal(1)), "亿级", "about")
    # the common case
    num, unit_text, pre = m["b_num"], m["b_unit"], m["b_pre"]
    num_start = m.start("b_num")
    if pre in _VAGUE_PREFIX and any(c.isdigit() for c in num):
        return None
    if pre and pre not in _VAGUE_PREFIX and not any(c in DIGITS or c.isdigit() for c in num) and num not in (
            "十", "百", "千", "万", "百万", "千万", "亿"):
        return None
    value = parse_number(num)
    if m["b_mult"]:
        value *= parse_number(m["b_mult"])
    if m["b_neg"]:
        value = -value
    if not unit_text:
        if m["b_inf"] or m["b_post"] or m["b_neg"]:
            return None
        if (m["b_mult"] or any(c in BIG_UNITS for c in num)) and _money_context(text, m.start()):
            # 总投资524.6亿: money without 元
            return _q(m, "b", value, _Unit("", "CNY", Decimal(1)), "", _qualifier(pre, None, None))
        if _bad_number(text, num_start, num, None):
            return None
        return (m.start("b_num"), m.end("b_num"), value, num)
    u = units[unit_text]
    if _bad_number(text, num_start, num, unit_text) or _is_date(num, u.unit):
        return None
    if u.unit == "year" and _PERIOD_BEFORE.search(text, 0, num_start):
        return None  # 近三年, 过去五年: periods, not durations
    if unit_text == "个月" and text[max(0, num_start - 1):num_start] == "前" and \
            text[max(0, num_start - 2):num_start] != "提前":
        return None  # 前5个月 is a period
    if not pre and not any(c in DIGITS or c.isdigit() for c in num) and num != "十":
        return None  # 千家万户, 百花: idioms, not counts
    if unit_text in lexicon.load("units").get("arabic_only", []) and not num[0].isdigit():
        return None
    if num == "一" and u.unit in ("count", "kWh", "m3", "year"):
        return None  # 一个, 一批, 一度, 关键一年: articles and adverbs, not counts
    if _slogan(text, m.end("b"), unit_text):
        return None
    qual = _qualifier(pre, m["b_inf"], m["b_post"])
    return _q(m, "b", value * u.factor, u, unit_text, qual)


def _q(m: re.Match, kind: str, value: Decimal, u: _Unit, unit_text: str, qualifier: str) -> Quantity:
    start, end = m.start(kind), m.end(kind)
    # 达 is a verb before the number: keep it out of the span
    pre = m.groupdict().get(f"{kind}_pre")
    if pre and pre not in _PREFIX_IN_SPAN:
        start += len(pre)
    first, *rest = _NUMBER_GROUPS[kind]
    number_end = max(m.end(g) for g in (first, *rest) if m.group(g) is not None)
    return Quantity(span=Span(start, end), text=m.string[start:end], value=value, unit=u.unit,
                    unit_text=unit_text, number_text=m.string[m.start(first):number_end], qualifier=qualifier)


# The groups of each pattern that hold the number as written: from the first to the last that matched
# (300多万 of 300多万吨, 2×100万 of 2×100万千瓦, 3000至10000 of 3000至10000元).
_NUMBER_GROUPS = {"t": ("t_n1", "t_n2"), "r": ("r_n1", "r_n2", "r_inf"), "f": ("f_den", "f_num"),
                  "c": ("c_num",), "y": ("y_num",), "b": ("b_num", "b_inf", "b_mult")}


def _qualifier(pre: str | None, infix: str | None, post: str | None) -> str:
    for word, table in ((post, _POSTFIX), (infix, _INFIX), (pre, _PREFIX)):
        if word and table.get(word):
            return table[word]
    return "exact"


def _is_date(num: str, unit: str) -> bool:
    """2023年 and 二〇二三年 are dates, not durations of two thousand years."""
    return unit == "year" and bool(_DATE_NUMBER.fullmatch(num))


def _bad_number(text: str, start: int, num: str, unit_text: str | None) -> bool:
    """Ordinals, names and codes that hold a number: 第三批, 5G, 1+8+2, “33条”."""
    before = text[max(0, start - 1):start]
    # NOTE: `"" in "+#"` is True: a number at the very start of the text has no character before it
    if before and (before == "第" or before in "+＋#№"):
        return True
    end = start + len(num) + (len(unit_text) if unit_text else 0)
    after = text[end:end + 1]
    if after in ("+", "＋") or (after.isascii() and after.isalpha() and not unit_text):
        return True
    if before.isascii() and before.isalpha():
        return True
    # a short quoted name: “33条”, “三个一批”, ‘两个确立’
    for open_, close in _QUOTES:
        left = text.rfind(open_, max(0, start - 4), start)
        if left != -1 and close not in text[left:start]:
            right = text.find(close, end, end + 6)
            if right != -1 and not re.search(r"[，。；、,]", text[left:right]):
                return True
    return False


_QUOTES = (("“", "”"), ("‘", "’"), ("「", "」"), ('"', '"'))


def _slogan(text: str, end: int, unit_text: str) -> bool:
    """三个一批, 两个一百年, 四个“双”: N个 right before a numeral or a quote is a slogan, not a count."""
    return unit_text == "个" and end < len(text) and (text[end] in DIGITS or text[end] in "“‘「")


_MONEY_WORDS = re.compile(r"(投资|产值|收入|营收|资金|金额|销售额|总额|利润|税|贷款|存款|融资|预算|支出|补贴|奖励|"
                          r"资产|营业额|成交额|交易额|消费|销售|经费|债|规模)[^，。；]{0,6}$")


def _money_context(text: str, pos: int) -> bool:
    return bool(_MONEY_WORDS.search(text, max(0, pos - 20), pos))


def _ranks(text: str, found: list[Quantity]) -> list[Quantity]:
    """全省第二, 排名全市第一, 双双第二: ranks; 第三批, 第一产业: ordinals, left out."""
    out = []
    taken = [q.span for q in found]
    for m in _RANK_RE.finditer(text):
        after = text[m.end():m.end() + 1]
        if m.group(0)[-1] not in "位名" and after and (after in _RANK_STOP or after in _count_starts()):
            continue  # 第三批, 第一产业, 第一季度
        if not _RANK_CUE.search(text, max(0, m.start() - 12), m.start()):
            continue
        span = Span(m.start(), m.start() + 1 + len(m["n"]))
        if any(span.overlaps(t) for t in taken):
            continue
        try:
            value = parse_number(m["n"])
        except ValueError:
            continue
        out.append(Quantity(span=span, text=text[span.start:span.end], value=value, unit="rank",
                            unit_text="第", number_text=m["n"], measure="rank"))
    return out


def _share_units(text: str, found: list[Quantity], bare: list[tuple[int, int, Decimal, str]]) -> None:
    """分别为3、5和8个: earlier items of an enumeration take the unit of the last one.

    Also 3.2个、0.5个和1.2个百分点: items whose unit text begins the last unit take the last unit.
    """
    bare_at = {end: (start, value, num) for start, end, value, num in bare}
    units = _units()
    extra = []
    for i in range(len(found) - 1, -1, -1):
        q = found[i]
        if q.unit in ("rank",) or q.qualifier == "range":
            continue
        pos = q.span.start
        j = i
        while True:
            sep = _SHARED_SEP.search(text, max(0, pos - 2), pos)
            if not sep:
                break
            end = sep.start()
            if end in bare_at:
                start, value, num = bare_at.pop(end)
                u = units.get(q.unit_text)
                factor = u.factor if u else Decimal(1)
                mult = Decimal(1)
                if q.unit_text and not any(c in SMALL_UNITS or c in BIG_UNITS for c in num):
                    # 3、5万人: the 万 belongs to every item
                    tail = q.number_text
                    for big in ("亿", "万"):
                        if tail.endswith(big) and not num.endswith(big):
                            mult = Decimal(BIG_UNITS[big])
                extra.append(Quantity(span=Span(start, end), text=text[start:end], value=value * mult * factor,
                                      unit=q.unit, unit_text=q.unit_text, number_text=num))
                pos = start
                continue
            if j > 0 and found[j - 1].span.end == end:
                prev = found[j - 1]
                if prev.unit_text and q.unit_text != prev.unit_text and q.unit_text.startswith(prev.unit_text):
                    u = units[q.unit_text]
                    prev.value = prev.value / (units[prev.unit_text].factor or 1) * u.factor
                    prev.unit, prev.unit_text = u.unit, q.unit_text
                j -= 1
                pos = prev.span.start
                continue
            break
    found.extend(extra)
