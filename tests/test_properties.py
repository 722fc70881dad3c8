"""Property tests: the pipeline never raises, and every fact is grounded in the raw text it came from."""

from __future__ import annotations

from datetime import date
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


# --- report-like sentences: every ordering and tie of the resolvers, none may crash -------------------------
# A sentence is built from the parts a report's sentence has: a time word, a place or whole-area word, an
# indicator, plan or result words, figures with their units, 分别 lists, ranks and comparisons. The parts are
# ours; strung in any order and repeated (one year opening two plan sentences), they reach the resolvers'
# ties: equal years, equal offsets, lists as long as their figures or not.
_TIMES = ["2030年", "2024年", "今年", "去年", "上半年", "1-9月", "一季度", "今年以来", "截至目前", "到2027年",
          "“十四五”期间", "3月18日", "目前", "年底前", "上年同期", "过去的一年", "十年来", "3月末", ""]
_PLACES = ["全县", "全市", "我区", "青禾县", "岚州市", "平鲁区", "朔州市", "山西省", "全国", "该项目", "与对标县青禾县比",
           "根据全国抽样调查", "获评全省", "朔州古城项目", ""]
_INDICATORS = ["地区生产总值", "规模以上工业增加值", "固定资产投资", "一般公共预算收入、税收收入",
               "城乡居民收入", "新增市场主体", "重点项目", "粮食产量", "新能源装机容量", "和美乡村", "总投资", ""]
_VERBS = ["完成", "实现", "达到", "将力争增长", "力争达到", "预计达到", "增长", "下降", "分别增长", "分别完成",
          "占", "累计达到", "新建", "由原来的", "变为", "建成后年产值", "年产", "完成年度目标任务的", "由上年的",
          "分别为", "争取", "1-6月累计完成", "占年计划投资的", ""]
_FIGURES = ["5%", "6%", "85.2亿元", "12个", "1893户", "36820元", "2×35万千瓦", "500万千瓦", "3.1个百分点",
            "第一", "第3", "五分之一", "120座", "10GW", "1.5万平方米", "2000至5000元", "4.9%和7.1%",
            "10.2亿元和8.1亿元", "7500亿元、9000亿元"]
_AFTER = ["，", "，增长5.1%", "，居全省第一", "，双双位居全市第二", "，高于全市平均水平1.5个百分点",
          "，比上年增长4.2%", "的目标", "调整为6%", "，为20年来、十年来首次", "，其中：在建项目96项", "，三季度排名第二",
          "", "。"]

_sentence = st.tuples(*(st.sampled_from(p) for p in (_TIMES, _PLACES, _INDICATORS, _VERBS, _FIGURES, _AFTER))) \
    .map(lambda parts: f"{parts[0]}，{''.join(parts[1:])}。")
# the opening of a speech to a session, and section headings between the sentences
_OPENINGS = ["", "各位代表：\n", "政府工作报告\n\n"]
_HEADINGS = ["", "\n一、农业\n", "\n二、2024年主要预期目标\n", "\n", "\n3、居民收入\n", "\n五、服务业\n"]
report_text = st.tuples(st.sampled_from(_OPENINGS),
                        st.lists(st.tuples(st.sampled_from(_HEADINGS), _sentence).map("".join), min_size=1, max_size=6)
                        .map("".join)).map("".join)
_HINTS = st.sampled_from([None, "青禾县", "平鲁区", "岚东新区"])
_DATES = st.sampled_from([None, date(2024, 2, 1), date(2023, 7, 20), date(2031, 1, 5)])


def _grounded(text: str, facts) -> None:
    for f in facts:
        assert 0 <= f.start <= f.end <= len(text) and f.text == text[f.start:f.end]
        s = f.sentence_span
        assert s is not None and 0 <= s.start <= f.start and f.end <= s.end <= len(text)
        assert f.in_sentence is not None and 0 <= f.in_sentence.start <= f.in_sentence.end <= len(f.sentence)
        assert set(f.how) == {"indicator", "region", "period"}


@_SETTINGS
@given(report_text, _HINTS, _DATES)
@example("2030年，全县将力争增长5%。2030年，全县将力争增长6%。", None, None)  # one year opens two plans
def test_report_like_text_never_crashes(text: str, region, published) -> None:
    facts = extract(text, published=published, region=region)
    _grounded(text, facts)
    # these sentences hold no full-width form and no line break: the figure stands as printed in its sentence
    for f in facts:
        assert f.sentence[f.in_sentence.start:f.in_sentence.end] == f.text


@_SETTINGS
@given(texts)
def test_every_fact_stands_in_its_sentence(text: str) -> None:
    _grounded(text, extract(text))
