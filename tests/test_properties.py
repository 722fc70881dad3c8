"""Property tests: the pipeline never raises, and every fact is grounded in the raw text it came from."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zhibiao import clean
from zhibiao.pipeline import extract

# Pieces that make real quantities appear when strung together: numerals of every kind, units,
# qualifiers, cue words, clause marks, line breaks, full-width forms and odd spaces.
_PIECES = [
    "0", "1", "2", "3", "5", "9", "12", "364.6", "1,234.5", "2023", ".", ",", "-", "×", "~", "—", "至",
    "〇", "一", "二", "两", "三", "五", "十", "百", "千", "万", "亿", "零", "百分之", "千分之", "分之", "成",
    "元", "亿元", "万元", "美元", "%", "‰", "个百分点", "千瓦时", "度", "千瓦", "万千瓦", "兆瓦", "MW", "GW", "吨", "斤",
    "平方米", "平方公里", "亩", "公顷", "米", "公里", "立方米", "个", "人", "家", "户", "人次", "倍", "小时", "天",
    "个月", "年", "月", "日", "公里/小时", "第", "全省", "排名", "约", "近", "超", "余", "多", "以上", "左右", "不足",
    "增长", "下降", "增加", "占", "比重", "完成", "目标的", "力争", "率", "分别", "、", "和", "，", "。", "；", "：",
    "“", "”", "（", "）", "\n", "\r\n", "\n\n", " ", "\u3000", "\u200b", "\ufeff", "\t",
    "０", "１", "２", "５", "．", "％", "，", "＋", "－", "Ａ", "ｋｍ",
    "青禾县", "岚州市", "地区生产总值", "固定资产投资", "规模以上工业增加值", "上半年", "5G", "1+8+2", "2022XM21",
]

report_like = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)
any_text = st.text(max_size=200)
mixed = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=60).map("".join)
texts = st.one_of(any_text, report_like, mixed)

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(texts)
@example("")
@example("\n")
@example("3亿")
@example("１２３．４万人\n\n增长５．６％")
@example("全年地区生产总值达到\n\n364.6亿元，增长5.2%。")
def test_extract_grounds_every_fact(text: str) -> None:
    facts = extract(text)
    for f in facts:
        assert 0 <= f.start <= f.end <= len(text)
        assert f.text == text[f.start:f.end]
        assert f.unit and f.measure and f.qualifier


@_SETTINGS
@given(texts)
def test_extract_finds_what_it_finds_in_report_like_text(text: str) -> None:
    # extraction is a function of the text: the same text twice gives the same facts
    first = [(f.start, f.end, f.value, f.unit) for f in extract(text)]
    assert first == [(f.start, f.end, f.value, f.unit) for f in extract(text)]


@_SETTINGS
@given(texts, st.booleans())
def test_normalize_maps_back(text: str, joins: bool) -> None:
    norm = clean.normalize(text, joins=joins)
    assert len(norm.index) == len(norm.text)
    assert norm.raw_length == len(text)
    assert norm.index == sorted(set(norm.index))  # strictly increasing: order kept, nothing doubled
    for i, ch in enumerate(norm.text):
        raw = text[norm.index[i]]
        # a character is kept, made ASCII (full-width forms), or made a plain space
        assert ch == raw or clean._char(raw) == ch


@_SETTINGS
@given(texts)
def test_to_raw_spans_cover_their_characters(text: str) -> None:
    norm = clean.normalize(text)
    n = len(norm.text)
    for start in range(0, n, 3):
        end = min(n, start + 4)
        span = norm.to_raw(start, end)
        assert 0 <= span.start <= span.end <= len(text)
        if end > start:
            assert span.start == norm.index[start] and span.end == norm.index[end - 1] + 1


def test_report_like_strategy_makes_quantities() -> None:
    # the strategy is worth its name: its pieces, strung together, do hold quantities
    assert extract("".join(["约", "364.6", "亿元", "，", "增长", "５", "．", "２", "％"]))


# A planted figure must come back whole: (unit as written, normalized unit, factor)
_PLANTED_UNITS = [("亿元", "CNY", 10**8), ("万元", "CNY", 10**4), ("元", "CNY", 1), ("万吨", "t", 10**4),
                  ("平方米", "m2", 1), ("公里", "m", 1000), ("万千瓦", "W", 10**7), ("亿千瓦时", "kWh", 10**8),
                  ("%", "%", 1), ("个百分点", "pp", 1), ("万人次", "count", 10**4), ("家", "count", 1)]
_LEADS = ["青禾县全年粮食产量", "岚州市\n\n实现", "全县累计完成", "（一）投资", "其中，", "岚州市２０２４年共"]


@_SETTINGS
@given(st.integers(min_value=1, max_value=99999), st.integers(min_value=0, max_value=99),
       st.sampled_from(_PLANTED_UNITS), st.sampled_from(_LEADS), st.sampled_from(["。", "，其余略。", "\n"]))
def test_planted_figure_comes_back(whole: int, cents: int, unit: tuple, lead: str, tail: str) -> None:
    written, normalized, factor = unit
    number = f"{whole}.{cents:02d}" if cents else str(whole)
    figure = number + written
    text = lead + figure + tail
    facts = [f for f in extract(text) if f.start >= len(lead)]
    assert [(f.text, f.unit, f.value) for f in facts] == [(figure, normalized, Decimal(number) * factor)]
