"""Ranks and lists (zhibiao/quantities.py rank forms, zhibiao/facts/lists.py): a list of ranks each after its
own name, N强, 第N位 in a sentence about a ranking, a rank shared by a count of indicators or by growth rates,
分别 after levels and after a list of items sharing a head word.

Every sentence is written for these tests (places real, figures invented); the `source` column says which
construction of the language each row stands for, as seen in the reports of ../shared/corpus (never their words).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibiao.measures import assign_measures
from zhibiao.pipeline import extract
from zhibiao.quantities import find_quantities

# --- reading: (source, sentence, expected ranks as (text, value, qualifier)) ---------------------------------
READ = [
    ("a 、-list of ranks, only the first after a rank word (a county's standing in national lists)",
     "应县入选全国县域榜单旅游活力第4、营商环境第8、数字乡村第12。",
     [("第4", "4", "exact"), ("第8", "8", "exact"), ("第12", "12", "exact")]),
    ("a 、-list of ranks with no rank word at all, Chinese numerals",
     "在年度考核中，交通建设第二、生态保护第三、民生实事第五。",
     [("第二", "2", "exact"), ("第三", "3", "exact"), ("第五", "5", "exact")]),
    ("N强 after a rank word: at most the N-th (GUIDELINES: 跻身…10强 is rank 10, under)",
     "灵丘县文化旅游业首次跻身全省20强。", [("20强", "20", "under")]),
    ("N强 before a noun names a group of companies, no rank", "代县引进中国500强企业两家。", []),
    ("第N位 later in a sentence that opens with a ranking (排名…中)",
     "在全省县域营商环境排名中，五台县由去年的第15位前移到第9位。",
     [("第15位", "15", "exact"), ("第9位", "9", "exact")]),
    ("ordinals in a 、-list (editions, sessions, sectors) are no ranks", "第七届、第八届运动会在代县举办。", []),
    ("ordinals in a 、-list (sessions)", "全会听取了第一次、第二次会议的报告。", []),
    ("ordinals in a 、-list (sectors)", "第一产业、第二产业增加值均有增长。", []),
]


def _ranks(sentence: str) -> list[tuple[str, Decimal, str]]:
    qs = find_quantities(sentence)
    assign_measures(sentence, qs)
    return [(q.text, q.value, q.qualifier) for q in qs if q.unit == "rank"]


@pytest.mark.parametrize(("source", "sentence", "expected"), READ, ids=[r[0][:40] for r in READ])
def test_rank_forms_are_read(source: str, sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert _ranks(sentence) == [(t, Decimal(v), q) for t, v, q in expected]


# --- naming: (source, sentence, region hint, figure text, the indicators of its facts in text order) ------
PUB = date(2024, 3, 1)
NAMES = [
    ("each rank of a 、-list takes the name written just before it, the verb and scope cut",
     "2023年，应县位居全国县域旅游活力第4、营商环境第8、数字乡村第12。", "应县", "第8", ["营商环境"]),
    ("the first item of the list: its verb and scope before the name are cut",
     "2023年，应县位居全国县域旅游活力第4、营商环境第8。", "应县", "第4", ["县域旅游活力"]),
    ("N强: the name before the scope word", "2023年，灵丘县跻身文化旅游业全省20强。", "灵丘县", "20强", ["文化旅游业"]),
    ("a rank after its own quoted name, not the figure before it",
     "2023年，全县研发投入增长15%，“营商指数”跃居全市第三。", "代县", "第三", ["营商指数"]),
    ("排名 after words of no catalogue name names a composite ranking and stays",
     "2023年，全县营商环境综合排名全市第二。", "代县", "第二", ["营商环境综合排名"]),
    ("排名 after a catalogue name is the rank's verb: the indicator is the catalogue's",
     "2023年，全县地区生产总值排名全市第三。", "代县", "第三", ["地区生产总值"]),
    ("a growth word as the rank's own name: the rank of the growth of what the figure before measures",
     "今年以来，全县招商引资到位资金45亿元，总量全市第二、增速全市第一。", "代县", "第一", ["招商引资到位资金增速"]),
    ("a growth word then 排名: still the growth of the figure before",
     "2023年，全县地区生产总值增长6.5%，增速排名全市第三。", "代县", "第三", ["地区生产总值增速"]),
    ("a span of time between the name and the rank is how long it held",
     "2023年，全县出口增速连续6个月全市第一。", "代县", "第一", ["出口增速"]),
    ("a rank after a figure in its own clause stays the figure's",
     "2023年，全县粮食产量4.5亿斤，居全市第一。", "代县", "第一", ["粮食总产量"]),
    ("a rank shared by the indicators counted before it, with a growth word: each indicator's 增速",
     "2023年，全县税收收入、工业投资、社会消费品零售总额3项指标增速居全市第一。", "五台县", "第一",
     ["税收收入增速", "工业投资增速", "社会消费品零售总额增速"]),
    ("the count of those indicators counts 指标", "2023年，全县税收收入、工业投资2项指标增速居全市第一。", "五台县",
     "2项", ["指标"]),
    ("a count of indicators with no list: the rank of the sector's indicators",
     "2023年，全县林业4项指标保持全市第一。", "五台县", "第一", ["林业指标"]),
    ("a rank shared after a growth word ranks the growth rates only, not the level before them",
     "2023年，全县地区生产总值完成120亿元、增长6.3%，一般公共预算收入增长8.1%，增速均居全市第一。", "代县",
     "第一", ["地区生产总值增速", "一般公共预算收入增速"]),
    ("双双 after a level and a rate with no growth word: both figures ranked",
     "2023年，全县粮食产量4.5亿斤，增长3%，总量、增速双双全市第一。", "代县", "第一",
     ["粮食总产量", "粮食总产量增速"]),
    ("分别 before levels then rates: the i-th rate is the i-th level's",
     "2023年，全县税收收入、非税收入分别完成6.2亿元、2.4亿元，增长4.1%、9.3%。", "代县", "4.1%", ["税收收入"]),
    ("分别 after a 、-list whose items share the last one's head word: each item with the head, in the text's words",
     "2023年，全市造纸业、家具制造业、通用设备制造业增加值分别增长12.5%、8.4%、6.1%。", "大同市", "8.4%",
     ["家具制造业增加值"]),
    ("the last item of such a list keeps its own qualifier",
     "2023年，全市造纸业、家具制造业、通用设备制造业增加值分别增长12.5%、8.4%、6.1%。", "大同市", "6.1%",
     ["通用设备制造业增加值"]),
]

# --- 分别 after a list of places sharing one indicator: (source, sentence, report's region, figure, indicator,
# region of the figure); the places are real counties of other provinces than the corpus reports', or invented
PLACES = [
    ("written for levels: two counties the gazetteer knows share one indicator named after the last",
     "2023年，阳高县、天镇县城镇居民人均可支配收入分别增长5.1%和4.8%。", "大同市", "5.1%",
     "城镇居民人均可支配收入", "阳高县"),
    ("written for levels: the second figure is the second county's",
     "2023年，阳高县、天镇县城镇居民人均可支配收入分别增长5.1%和4.8%。", "大同市", "4.8%",
     "城镇居民人均可支配收入", "天镇县"),
    ("written for levels: three counties, a level of the catalogue",
     "2023年，南县、华容县、湘阴县粮食产量分别达到9.8亿斤、11.2亿斤和10.4亿斤。", "岳阳市", "10.4亿斤",
     "粮食总产量", "湘阴县"),
    ("written for levels: places the gazetteer does not know: no place glued into the name, each its figure's",
     "2023年，甲县、乙县城镇居民人均可支配收入分别增长5.1%和4.8%。", "大同市", "5.1%",
     "城镇居民人均可支配收入", "甲县"),
    ("written for levels: the second unknown place takes the second figure",
     "2023年，甲县、乙县城镇居民人均可支配收入分别增长5.1%和4.8%。", "大同市", "4.8%",
     "城镇居民人均可支配收入", "乙县"),
    ("written for levels: towns the gazetteer does not know, the last one's name kept out of the indicator",
     "去年，东湖镇、西岭镇农村居民人均可支配收入分别为2.1万元和1.9万元。", "代县", "1.9万元",
     "农村居民人均可支配收入", "西岭镇"),
    ("written for levels: an unknown town whose name starts with a short form the gazetteer knows (白沙)",
     "去年，青石镇、白沙镇农村居民人均可支配收入分别为2.1万元和1.9万元。", "代县", "1.9万元",
     "农村居民人均可支配收入", "白沙镇"),
    ("written for levels: 城镇、农村 name kinds of area, no places: the villages' income, the report's region",
     "2023年，全县城镇、农村居民人均可支配收入分别为4.1万元和2.2万元。", "代县", "2.2万元",
     "农村居民人均可支配收入", "代县"),
    ("written for levels: two figures for three places do not pair: the report's region",
     "去年，东湖镇、西岭镇、南塘镇农村居民人均可支配收入分别为2.1万元和1.9万元。", "代县", "1.9万元",
     "农村居民人均可支配收入", "代县"),
]


@pytest.mark.parametrize(("source", "sentence", "region", "figure", "indicator", "place"), PLACES,
                         ids=[r[0][:40] + r[3] for r in PLACES])
def test_places_sharing_an_indicator(source: str, sentence: str, region: str, figure: str, indicator: str,
                                     place: str) -> None:
    (fact,) = [f for f in extract(sentence, published=PUB, region=region) if f.text == figure]
    assert (fact.indicator, fact.region) == (indicator, place)


@pytest.mark.parametrize(("source", "sentence", "region", "figure", "indicators"), NAMES,
                         ids=[r[0][:40] for r in NAMES])
def test_ranks_and_lists_are_named(source: str, sentence: str, region: str, figure: str,
                                   indicators: list[str]) -> None:
    facts = [f for f in extract(sentence, published=PUB, region=region) if f.text == figure]
    assert [f.indicator for f in facts] == indicators


def test_listed_ranks_each_keep_their_own_span() -> None:
    facts = [f for f in extract("2023年，应县位居全国县域旅游活力第4、营商环境第8、数字乡村第12。", published=PUB,
                                region="应县") if f.measure == "rank"]
    assert [(f.text, f.value) for f in facts] == [("第4", 4), ("第8", 8), ("第12", 12)]
    assert len({f.start for f in facts}) == 3


# --- properties ----------------------------------------------------------------------------------------------
_NAME = st.text(alphabet="产业创新绿色发展营商环境数字乡村旅游活力科技质量效益", min_size=2, max_size=6)


@given(st.lists(st.tuples(_NAME, st.integers(1, 99)), min_size=2, max_size=6))
def test_every_rank_of_a_list_is_read(items: list[tuple[str, int]]) -> None:
    """名称第N、名称第M…: however many items and whatever the names, every 第N is a rank of value N."""
    sentence = "该县位列" + "、".join(f"{name}第{n}" for name, n in items) + "。"
    assert [q[1] for q in _ranks(sentence)] == [Decimal(n) for _, n in items]


@given(st.lists(st.integers(1, 99), min_size=2, max_size=6), st.sampled_from("届次批期"))
def test_ordinals_of_a_list_are_never_ranks(numbers: list[int], counter: str) -> None:
    """第N届、第M届…: an ordinal's counter makes no item a rank, listed or not."""
    sentence = "全县举办了" + "、".join(f"第{n}{counter}" for n in numbers) + "活动。"
    assert _ranks(sentence) == []


@given(st.lists(st.tuples(_NAME, st.integers(1, 30), st.sampled_from(["第{}", "第{}位", "{}强"])),
                min_size=1, max_size=5), st.sampled_from(["均居", "位居全省", "，", "3项指标增速居全市", "分别"]))
def test_rank_text_never_crashes_the_fact_stage(items: list[tuple[str, int, str]], glue: str) -> None:
    """Ranks in any of their forms after any of the list constructions: the fact stage gives one fact per
    figure at least and never raises."""
    sentence = "2023年，全县" + glue + "、".join(name + form.format(n) for name, n, form in items) + "。"
    facts = extract(sentence, published=PUB, region="代县")
    assert all(f.measure != "rank" or f.value >= 1 for f in facts)


# written for levels: invented places (characters of no place name, one place word each) sharing one indicator
_PLACE = st.tuples(st.text(alphabet="甲乙丙丁戊庚壬癸", min_size=1, max_size=2), st.sampled_from("县镇乡"))


@given(st.lists(_PLACE, min_size=2, max_size=4, unique=True), st.sampled_from(["城镇居民人均可支配收入", "粮食产量"]))
def test_each_listed_place_takes_its_figure(places: list[tuple[str, str]], indicator: str) -> None:
    """甲县、乙县…X分别增长a%、b%…: whatever the places and however many, the i-th figure is the i-th place's and
    every figure's indicator is X's, no place glued into it."""
    names = [stem + word for stem, word in places]
    rates = [f"{i + 1}.{i + 2}%" for i in range(len(names))]
    sentence = "2023年，" + "、".join(names) + indicator + "分别增长" + "、".join(rates) + "。"
    facts = [f for f in extract(sentence, published=PUB, region="代县") if f.text in rates]
    assert [f.region for f in facts] == names
    assert all(not any(name in f.indicator for name in names) for f in facts)
