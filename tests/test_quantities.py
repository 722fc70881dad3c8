"""Tests for zhibiao.quantities (numbers with units, qualifiers, ranges, enumerations, exclusions) and for
the measure and polarity that zhibiao.measures gives them.

Every sentence here is our own, about the fictional 青禾县 and 岚州市; none comes from the corpus.
A row is (sentence, expected quantities in order); each expected quantity is
(text as written, value as a string for Decimal, unit, qualifier), with value_high for ranges.
Spans are checked by position: the n-th expected text must stand at the n-th quantity's span.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibiao.measures import assign_measures
from zhibiao.model import Quantity
from zhibiao.quantities import find_quantities

MU = Decimal("666.6667")  # m2 in one 亩, as units.yaml and GUIDELINES.md have it


def _quantities(sentence: str) -> list[Quantity]:
    found = find_quantities(sentence)
    for q in found:
        assert sentence[q.span.start:q.span.end] == q.text
    return found


def _check(sentence: str, expected: list[tuple]) -> None:
    found = _quantities(sentence)
    got = [(q.text, q.value, q.unit, q.qualifier, q.value_high) for q in found]
    want = []
    for row in expected:
        text, value, unit, qualifier, *high = row
        want.append((text, Decimal(value), unit, qualifier, Decimal(high[0]) if high else None))
    assert got == want
    # spans: each expected text at its own place, in order
    pos = 0
    for q, (text, *_rest) in zip(found, expected, strict=True):
        start = sentence.index(text, pos)
        assert (q.span.start, q.span.end) == (start, start + len(text))
        pos = start + len(text)


def _ids(row) -> str:
    return row if isinstance(row, str) else ""


NUMERALS = [
    ("青禾县地区生产总值364.6亿元。", [("364.6亿元", "36460000000", "CNY", "exact")]),
    ("岚州市财政收入1.24亿元。", [("1.24亿元", "124000000", "CNY", "exact")]),
    ("全县共有3万5千人参加培训。", [("3万5千人", "35000", "count", "exact")]),
    ("岚州市新招两千名工人。", [("两千名", "2000", "count", "exact")]),
    ("青禾县今年新建学校十二所。", [("十二所", "12", "count", "exact")]),
    ("城镇人口占百分之四十。", [("百分之四十", "40", "%", "exact")]),
    ("完成造林1.2万余亩。", [("1.2万余亩", Decimal(12000) * MU, "m2", "over")]),
    ("企业利润为-3.5亿元。", [("-3.5亿元", "-350000000", "CNY", "exact")]),
    ("岚州市项目总额1,234.5万元。", [("1,234.5万元", "12345000", "CNY", "exact")]),
    ("1.2万亿元的经济总量。", [("1.2万亿元", "1200000000000", "CNY", "exact")]),
    ("投资3亿5000万元。", [("3亿5000万元", "350000000", "CNY", "exact")]),
    ("全县有两千三百四十五户。", [("两千三百四十五户", "2345", "count", "exact")]),
    ("人口十二万三千四百人。", [("十二万三千四百人", "123400", "count", "exact")]),
    ("青禾县收入一千二百万元。", [("一千二百万元", "12000000", "CNY", "exact")]),
    ("岚州市吸纳就业一万二千人。", [("一万二千人", "12000", "count", "exact")]),
]

MULTIPLIERS = [
    # 万 and 亿 multiply whatever unit follows
    ("粮食产量3.2万吨。", [("3.2万吨", "32000", "t", "exact")]),
    ("装机容量50万千瓦。", [("50万千瓦", "500000000", "W", "exact")]),
    ("发电量23.4亿千瓦时。", [("23.4亿千瓦时", "2340000000", "kWh", "exact")]),
    ("蓄水1200万立方米。", [("1200万立方米", "12000000", "m3", "exact")]),
    ("游客12万人次。", [("12万人次", "120000", "count", "exact")]),
    ("耕地3.6万亩。", [("3.6万亩", Decimal(36000) * MU, "m2", "exact")]),
    ("产量达300多万吨。", [("300多万吨", "3000000", "t", "over")]),
    # 2×100万千瓦 is one quantity of the total
    ("建设2×100万千瓦火电项目。", [("2×100万千瓦", "2000000000", "W", "exact")]),
    ("规划约2×35万千瓦机组。", [("约2×35万千瓦", "700000000", "W", "about")]),
]

UNIT_FAMILIES = [
    ("出口额3.2亿美元，进口额1.5亿元。", [("3.2亿美元", "320000000", "USD", "exact"),
                                    ("1.5亿元", "150000000", "CNY", "exact")]),
    ("城镇化率为56.3%。", [("56.3%", "56.3", "%", "exact")]),
    ("出生率8.5‰。", [("8.5‰", "0.85", "%", "exact")]),
    ("死亡率千分之八。", [("千分之八", "0.8", "%", "exact")]),
    ("九成以上农户参加医保。", [("九成以上", "90", "%", "over")]),
    ("岚州市三成耕地为水浇地。", [("三成", "30", "%", "exact")]),
    ("比全市高1.5个百分点。", [("1.5个百分点", "1.5", "pp", "exact")]),
    ("全年用电量120万度。", [("120万度", "1200000", "kWh", "exact")]),
    ("新建300兆瓦光伏，另有5MW和2GW项目，还有1.5吉瓦。", [
        ("300兆瓦", "300000000", "W", "exact"), ("5MW", "5000000", "W", "exact"),
        ("2GW", "2000000000", "W", "exact"), ("1.5吉瓦", "1500000000", "W", "exact")]),
    ("装机80千瓦。", [("80千瓦", "80000", "W", "exact")]),
    ("收购小麦500万斤。", [("500万斤", "2500", "t", "exact")]),
    ("面积1200平方米，辖区45平方公里，林地800公顷。", [
        ("1200平方米", "1200", "m2", "exact"), ("45平方公里", "45000000", "m2", "exact"),
        ("800公顷", "8000000", "m2", "exact")]),
    ("修建道路12公里，护栏800米。", [("12公里", "12000", "m", "exact"), ("800米", "800", "m", "exact")]),
    ("设计时速350公里/小时。", [("350公里/小时", "350", "km/h", "exact")]),
    ("产值是上年的2.5倍。", [("2.5倍", "2.5", "x", "exact")]),
    ("连续运行168小时，工期45天，用时两个月，期限3年。", [
        ("168小时", "168", "h", "exact"), ("45天", "45", "day", "exact"),
        ("两个月", "2", "month", "exact"), ("3年", "3", "year", "exact")]),
    ("总投资524.6亿，年产值80亿。", [("524.6亿", "52460000000", "CNY", "exact"),
                              ("80亿", "8000000000", "CNY", "exact")]),
]

COUNTS = [
    ("新设企业23家，帮扶农户560户，建成桥梁4座，举办比赛12场，发放证书300张，签约合同15份，"
     "落地项目27项，办结案件9件，购置设备40台，新增景点6处，开通线路8条，新建学校3所，接待游客12万人次，"
     "培训人员45人，建成站点7个。",
     [("23家", "23", "count", "exact"), ("560户", "560", "count", "exact"), ("4座", "4", "count", "exact"),
      ("12场", "12", "count", "exact"), ("300张", "300", "count", "exact"), ("15份", "15", "count", "exact"),
      ("27项", "27", "count", "exact"), ("9件", "9", "count", "exact"), ("40台", "40", "count", "exact"),
      ("6处", "6", "count", "exact"), ("8条", "8", "count", "exact"), ("3所", "3", "count", "exact"),
      ("12万人次", "120000", "count", "exact"), ("45人", "45", "count", "exact"),
      ("7个", "7", "count", "exact")]),
    ("开设12个工种培训。", [("12个工种", "12", "count", "exact")]),
]

RANKS = [
    ("青禾县GDP总量排名全省第二，增速全市第一。", [("第二", "2", "rank", "exact"), ("第一", "1", "rank", "exact")]),
    ("岚州市粮食产量位居全省第三。", [("第三", "3", "rank", "exact")]),
]

QUALIFIERS = [
    ("约3000人，近5万人，超2亿元，超过80%，500余人，300多家，50%以上，2000人左右，不足10%，不到100人。", [
        ("约3000人", "3000", "count", "about"), ("近5万人", "50000", "count", "about"),
        ("超2亿元", "200000000", "CNY", "over"), ("超过80%", "80", "%", "over"),
        ("500余人", "500", "count", "over"), ("300多家", "300", "count", "over"),
        ("50%以上", "50", "%", "over"), ("2000人左右", "2000", "count", "about"),
        ("不足10%", "10", "%", "under"), ("不到100人", "100", "count", "under")]),
    # 达 is a verb: outside the span, and no qualifier
    ("全年游客达85万人次。", [("85万人次", "850000", "count", "exact")]),
]

RANGES = [
    ("每户补贴3000至10000元，每组5—8个，工期3~5年。", [
        ("3000至10000元", "3000", "CNY", "range", "10000"), ("5—8个", "5", "count", "range", "8"),
        ("3~5年", "3", "year", "range", "5")]),
    ("奖励3万至5万元。", [("3万至5万元", "30000", "CNY", "range", "50000")]),
    ("奖励3至5万元。", [("3至5万元", "30000", "CNY", "range", "50000")]),
    ("三到五年。", [("三到五年", "3", "year", "range", "5")]),
]

ENUMERATIONS = [
    ("主要指标分别增长3.2%、0.5%和1.2%。", [("3.2%", "3.2", "%", "exact"), ("0.5%", "0.5", "%", "exact"),
                                     ("1.2%", "1.2", "%", "exact")]),
    ("两地分别新增3、5和8个。", [("3", "3", "count", "exact"), ("5", "5", "count", "exact"),
                           ("8个", "8", "count", "exact")]),
    ("两县新增就业分别为3、5万人。", [("3", "30000", "count", "exact"), ("5万人", "50000", "count", "exact")]),
    ("分别提高3.2个、0.5个和1.2个百分点。", [("3.2个", "3.2", "pp", "exact"), ("0.5个", "0.5", "pp", "exact"),
                                     ("1.2个百分点", "1.2", "pp", "exact")]),
]

# Numbers that are not quantities: dates, ordinals, names, slogans, codes.
EXCLUSIONS = [
    ("2023年8月19日召开会议。", []),
    ("上半年形势平稳。", []),
    ("二〇二三年工作回顾。", []),
    ("第三批名单公布，首届论坛举行，第一产业稳定。", []),
    ("5G基站覆盖城区。", []),
    ("落实十四五规划。", []),
    ("落实国务院“33条”。", []),
    ("构建1+8+2产业体系。", []),
    ("推进三个一批，建设一区两城，实现双过半。", []),
    ("咨询电话0351-1234567。", []),
    ("项目编号2022XM21。", []),
    ("近三年来持续向好。", []),
    ("前5个月运行平稳。", []),
    ("千家万户受益。", []),
    ("这是关键一年。", []),
]

ALL_ROWS = NUMERALS + MULTIPLIERS + UNIT_FAMILIES + COUNTS + RANKS + QUALIFIERS + RANGES + ENUMERATIONS + EXCLUSIONS


@pytest.mark.parametrize(("sentence", "expected"), ALL_ROWS, ids=[row[0][:24] for row in ALL_ROWS])
def test_find_quantities(sentence: str, expected: list[tuple]) -> None:
    _check(sentence, expected)


def test_values_are_decimal() -> None:
    for q in _quantities("岚州市收入1.24亿元，增长5.6%，用工三千人。"):
        assert isinstance(q.value, Decimal)


def test_number_and_unit_as_written() -> None:
    (q,) = _quantities("产量达300多万吨。")
    assert (q.number_text, q.unit_text) == ("300多万", "吨")


# (sentence, text of the quantity, value, measure, polarity)
MEASURES = [
    ("规模以上工业增加值下降5.0%。", "5.0%", "-5.0", "growth", "-"),
    ("地区生产总值比上年增长6.2%。", "6.2%", "6.2", "growth", "+"),
    ("社会消费品零售总额同比增长4.1%。", "4.1%", "4.1", "growth", "+"),
    ("第一产业增加值占GDP比重为12.3%。", "12.3%", "12.3", "share", None),
    ("城镇化率比上年提高1.5个百分点。", "1.5个百分点", "1.5", "pp_diff", "+"),
    ("增速低于全市0.8个百分点。", "0.8个百分点", "-0.8", "pp_diff", "-"),
    ("固定资产投资完成年度目标的61.7%。", "61.7%", "61.7", "completion", None),
    ("明年地区生产总值力争达到500亿元。", "500亿元", "50000000000", "target", None),
    ("产值是上年的2.5倍。", "2.5倍", "2.5", "multiple", None),
    ("重点项目开复工率达94%。", "94%", "94", "ratio", None),
    ("存款余额增加2.3亿元。", "2.3亿元", "230000000", "change", "+"),
    ("贷款余额减少1.1亿元。", "1.1亿元", "-110000000", "change", "-"),
    ("全县粮食产量18.6万吨。", "18.6万吨", "186000", "level", None),
    ("岚州市GDP增速位居全省第二。", "第二", "2", "rank", None),
    ("其中城乡居民收入分别增长5.1%、6.3%和7.0%。", "7.0%", "7.0", "growth", "+"),
    ("主要指标分别下降1.2%、0.4%和2.5%。", "0.4%", "-0.4", "growth", "-"),
    # written for levels: a direction verb with 至/到 gives the level reached, never a growth (issue 14)
    ("年末城镇登记失业率降至2.7%。", "2.7%", "2.7", "ratio", None),
    ("全年居民消费价格涨幅回落到1.9%。", "1.9%", "1.9", "growth", "+"),
    ("工业品出厂价格降幅收窄至0.8%。", "0.8%", "-0.8", "growth", "-"),
    ("贫困发生率下降到0.6%。", "0.6%", "0.6", "ratio", None),
    ("农村低收入人口降至1.2万人。", "1.2万人", "12000", "level", None),
    ("小麦良种覆盖面升至98%，比上年增加一成。", "98%", "98", "level", None),
    ("污水集中处理水平提高到96.2%。", "96.2%", "96.2", "level", None),
    ("空置面积减少到原先的35%。", "35%", "35", "level", None),
    # written for levels: without 至/到 the same verbs still give a growth or a pp change
    ("全县农机总动力下降3.4%。", "3.4%", "-3.4", "growth", "-"),
    ("城镇登记失业率下降0.3个百分点。", "0.3个百分点", "-0.3", "pp_diff", "-"),
    ("规上企业利润提高7.2%。", "7.2%", "7.2", "growth", "+"),
    ("出口增速回落至4.5%。", "4.5%", "4.5", "growth", "+"),
]


@pytest.mark.parametrize(("sentence", "text", "value", "measure", "polarity"), MEASURES,
                         ids=[row[0][:20] for row in MEASURES])
def test_measure_and_polarity(sentence: str, text: str, value: str, measure: str, polarity: str | None) -> None:
    found = _quantities(sentence)
    assign_measures(sentence, found)
    (q,) = [q for q in found if q.text == text]
    assert (q.value, q.measure, q.polarity) == (Decimal(value), measure, polarity)


def test_the_unit_table_holds_together() -> None:
    # every normalized unit is one the fact format knows; every word the rules name is a unit of the table
    from zhibiao import lexicon
    from zhibiao.model import UNITS
    data = lexicon.load("units")
    written = {str(e["text"]) for e in data["units"]} | {str(w) for w in data["counts"]}
    assert {e["unit"] for e in data["units"] + data["before"]} <= set(UNITS)
    assert set(data["guards"]) <= written
    assert set(data["arabic_only"]) | set(data["clause_end_only"]) <= written
    assert set(data["money_parts"]) - {"分"} <= written  # 分 is a part only after 角/毛 (12元4角7分)
    assert all(float(e["factor"]) > 0 for e in data["units"] + data["before"])


# written for levels: a direction verb with 至/到 before a rate, whatever the verb, the subject and the value
# (the verb with 至/到, the same verb alone)
_ARRIVE = [("降至", "降"), ("下降到", "下降"), ("降到", "降"), ("回落至", "回落"), ("升至", "上升"), ("提高到", "提高"),
           ("提升至", "提升"), ("上升到", "上升")]


@given(st.sampled_from(_ARRIVE), st.sampled_from(["失业率", "覆盖率", "水平", "比例"]),
       st.decimals(min_value="0.1", max_value="99.9", places=1))
def test_a_rate_arrived_at_is_never_a_growth(verbs: tuple[str, str], subject: str, value: Decimal) -> None:
    """X降至N% / X提高到N%: the rate reached, N as written (no sign from the verb), never a growth; the same
    verb without 至/到 (下降N%) a growth with the verb's sign."""
    verb, alone = verbs
    sentence = f"全县{subject}{verb}{value}%。"
    (q,) = _quantities(sentence)
    assign_measures(sentence, [q])
    assert (q.measure != "growth", q.value) == (True, value)
    plain = f"全县{subject}{alone}{value}%。"
    (g,) = _quantities(plain)
    assign_measures(plain, [g])
    assert g.measure == "growth" and (g.value < 0) == ("降" in verb or "落" in verb)
