"""The facts stage: indicator, region, period and entity of each figure, on sentences written for these tests.

Places are real (the gazetteer must know them); every figure is invented.
"""

from datetime import date
from decimal import Decimal

import pytest

from zhibiao.pipeline import extract

# (text, published, region hint, figure text, expected {field: value})
CASES = [
    # periods: a year, sub-year periods, relative words, targets, stocks
    ("2023年，全县地区生产总值完成85.2亿元，同比增长5.1%。", date(2024, 2, 1), "灵丘县", "85.2亿元",
     {"indicator": "地区生产总值", "region": "灵丘县", "period": "2023", "measure": "level"}),
    ("2023年，全县地区生产总值完成85.2亿元，同比增长5.1%。", date(2024, 2, 1), "灵丘县", "5.1%",
     {"indicator": "地区生产总值", "period": "2023", "measure": "growth"}),
    ("1—9月，忻州市规模以上工业增加值增长6.8%。", date(2023, 10, 20), None, "6.8%",
     {"indicator": "规模以上工业增加值", "region": "忻州市", "period": "2023-01/2023-09"}),
    ("今年一季度，我市社会消费品零售总额达到52.3亿元。", date(2024, 4, 15), "大同市", "52.3亿元",
     {"indicator": "社会消费品零售总额", "region": "大同市", "period": "2024-Q1"}),
    ("上半年，平鲁区城镇新增就业1230人，完成年度目标任务的61.5%。", date(2023, 7, 20), None, "1230人",
     {"indicator": "城镇新增就业", "region": "平鲁区", "period": "2023-H1"}),
    ("上半年，平鲁区城镇新增就业1230人，完成年度目标任务的61.5%。", date(2023, 7, 20), None, "61.5%",
     {"indicator": "城镇新增就业", "measure": "completion"}),
    ("去年，全区一般公共预算收入18.3亿元，增长8.2%。", date(2024, 1, 20), "怀仁市", "18.3亿元",
     {"indicator": "一般公共预算收入", "period": "2023"}),
    ("到2027年，全区新能源装机容量力争达到500万千瓦。", date(2024, 3, 1), "平鲁区", "500万千瓦",
     {"indicator": "新能源装机容量", "period": "2027", "measure": "target"}),
    ("截至目前，全县现有规模以上工业企业38户。", date(2024, 6, 1), "繁峙县", "38户",
     {"region": "繁峙县", "period": "2024"}),
    ("今年以来，全县新增市场主体1893户。", date(2022, 8, 20), "应县", "1893户", {"period": "2022"}),
    # 目前 holds for the rest of its paragraph, not for the next one
    ("2023年，全县粮食产量4.1亿斤。\n目前，全县已建成冷库12座。建成农产品加工企业36家。", date(2024, 6, 1), "繁峙县",
     "36家", {"period": "2024"}),
    ("目前，全县已建成冷库12座。\n2023年，全县粮食产量4.1亿斤，建成农产品加工企业36家。", date(2024, 6, 1), "繁峙县",
     "36家", {"period": "2023"}),
    # a change from one time to another (由上年的A调整为B): A is dated by the time word after 由, B as its
    # sentence says; 上年 is the year before the one reported, 上年同期 the report's period a year before
    ("2023年，全市一二三产业比例由上年的11.2:40.5:48.3优化为10.8:39.6:49.6。", date(2024, 5, 10), "乐山市", "40.5",
     {"period": "2022"}),
    ("2023年，全市一二三产业比例由上年的11.2:40.5:48.3优化为10.8:39.6:49.6。", date(2024, 5, 10), "乐山市", "10.8",
     {"period": "2023"}),
    ("一季度，全县城乡居民收入比由上年同期的2.31:1缩小为2.26:1。", date(2024, 4, 20), "灵丘县", "2.31:1",
     {"period": "2023-Q1"}),
    ("2023年，全市常住人口由上年末的312.5万人增加到315.2万人。", date(2024, 3, 1), "朔州市", "312.5万人",
     {"period": "2022"}),
    ("去年，全县粮食产量由前年的4.1亿斤增加到4.3亿斤。", date(2024, 3, 1), "灵丘县", "4.3亿斤", {"period": "2023"}),
    # regions: named, whole-area words, comparisons and rank scopes left out, hints
    ("2023年，忻州市粮食总产量达到25.8亿斤。", date(2024, 2, 1), None, "25.8亿斤",
     {"region": "忻州市", "indicator": "粮食总产量"}),
    ("2023年，平鲁区地区生产总值增长7.0%，高于全市平均水平1.5个百分点。", date(2024, 2, 1), None, "1.5个百分点",
     {"region": "平鲁区", "measure": "pp_diff", "indicator": "地区生产总值"}),
    ("2023年，平鲁区固定资产投资增长6.5%，增速居全市第二。", date(2024, 2, 1), None, "第二",
     {"region": "平鲁区", "measure": "rank"}),
    ("全县城镇居民人均可支配收入达到3.2万元。", date(2024, 2, 1), "灵丘县", "3.2万元",
     {"region": "灵丘县", "indicator": "城镇居民人均可支配收入"}),
    ("全县城镇居民人均可支配收入达到3.2万元。", date(2024, 2, 1), "岚东新区", "3.2万元", {"region": "岚东新区"}),
    # the document's subject: a county compared with (与比拼对象X县比, 对标X县) is never it, and never
    # what 全县 speaks of (construction of county news pages that race a paired county)
    ("前三季度，全县固定资产投资增长9.1%。与比拼对象繁峙县比，全县主要指标增速领先，工业投资增长15.2%。",
     date(2023, 10, 20), "灵丘县", "15.2%", {"region": "灵丘县"}),
    ("前三季度，全县固定资产投资增长9.1%。对标繁峙县，全县工业投资增长15.2%。", date(2023, 10, 20), "灵丘县",
     "9.1%", {"region": "灵丘县"}),
    ("前三季度，全县固定资产投资增长9.1%。对标繁峙县，全县工业投资增长15.2%。", date(2023, 10, 20), None,
     "15.2%", {"region": None}),
    # a region that opens a title (创建全国…城市, 获评全省…), the scope of a first (全国首个) or of a survey
    # (根据全国…抽样调查) is no subject of the figures after it
    ("依据全国农业普查数据推算，耕地面积达到268.3万亩。", date(2024, 3, 1), "忻州市", "268.3万亩",
     {"region": "忻州市"}),
    ("根据灵丘县统计局数据，2023年全县地区生产总值增长6.1%。", date(2024, 3, 1), None, "6.1%", {"region": "灵丘县"}),
    ("今年全区入选全国休闲农业重点县，接待游客1200万人次。", date(2024, 12, 1), "平鲁区",
     "1200万人次", {"region": "平鲁区"}),
    ("2023年，大同市数字经济规模增长12.4%，建成全省首个算力调度中心，带动就业8600人。", date(2024, 3, 1),
     None, "8600人", {"region": "大同市"}),
    # a city's own report names itself only inside the names of its projects: 全市 is that city; two
    # counties named so leave 全县 unresolved
    ("过去一年，全市地区生产总值增长5.3%，忻州古城文旅项目开街运营，忻州杂粮品牌走向全国。", date(2024, 1, 20), None,
     "5.3%", {"region": "忻州市"}),
    # named once, two characters may be part of words (财政和金融 holds 政和县's short form): no anchor
    ("全县财政和金融运行平稳，一般公共预算收入增长4.4%。", date(2024, 1, 20), None, "4.4%", {"region": None}),
    ("全县粮食产量增长2.1%，灵丘苦荞、繁峙杂粮两个品牌入选名录。", date(2024, 1, 20), None, "2.1%",
     {"region": None}),
    # a government work report reviews the year before its session: a year told as past is that year
    ("各位代表：\n2023年，全县上下攻坚克难，圆满完成了全年目标任务。\n过去的一年，全县粮食产量达到4.2亿斤。", None, None,
     "4.2亿斤", {"period": "2023"}),
    # indicators that no catalogue holds: the text's own words
    ("2023年，全区建成和美乡村16个。", date(2024, 2, 1), "平鲁区", "16个", {"indicator": "和美乡村"}),
    ("2023年，全区新建5G基站120座。", date(2024, 2, 1), "平鲁区", "120座", {"indicator": "5G基站"}),
    ("城乡居民收入分别达到3.1万元、1.5万元。", date(2024, 2, 1), "平鲁区", "1.5万元",
     {"indicator": "农村居民人均可支配收入"}),
    # projects: capacity in the name, attributes undated
    ("总投资12.5亿元的晋北光伏产业园项目已开工建设。", date(2024, 5, 1), "应县", "12.5亿元",
     {"indicator": "总投资", "period": None}),
    ("年产10万吨高纯硅项目正在加紧建设。", date(2024, 5, 1), "应县", "10万吨", {"indicator": "产能"}),
    ("2×35万千瓦热电联产机组投入运行。", date(2024, 5, 1), "应县", "2×35万千瓦", {"indicator": "装机容量"}),
    # written for levels: a rate after a direction verb with 至/到 is the level reached, the verb no part of its name
    ("2023年，全县城镇登记失业率降至2.9%。", date(2024, 2, 1), "灵丘县", "2.9%",
     {"indicator": "城镇登记失业率", "measure": "ratio", "value": Decimal("2.9")}),
    ("去年，全市城镇登记失业率下降到3.2%，低于控制目标。", date(2024, 2, 1), "大同市", "3.2%",
     {"indicator": "城镇登记失业率", "measure": "ratio", "value": Decimal("3.2")}),
    ("2023年，全县森林覆盖率提升至41.3%。", date(2024, 2, 1), "应县", "41.3%",
     {"indicator": "森林覆盖率", "measure": "ratio", "value": Decimal("41.3")}),
    # written for levels: without 至/到 the verb gives a change of the rate
    ("2023年，全县城镇登记失业率下降0.4个百分点。", date(2024, 2, 1), "灵丘县", "0.4个百分点",
     {"indicator": "城镇登记失业率", "measure": "pp_diff", "value": Decimal("-0.4")}),
]


@pytest.mark.parametrize(("text", "published", "region", "figure", "expected"), CASES,
                         ids=[f"{c[3]}-{'-'.join(c[4])}" for c in CASES])
def test_fact_fields(text, published, region, figure, expected):
    facts = [f for f in extract(text, published=published, region=region) if f.text == figure]
    assert facts, f"{figure} not found in {[f.text for f in extract(text, published=published, region=region)]}"
    got = {k: getattr(facts[0], k) for k in expected}
    assert got == expected


def test_shared_rank_gives_one_fact_per_figure():
    text = "2023年，全市工业投资增长12.4%，民间投资增长6.8%，均居全省第一。"
    ranks = [f for f in extract(text, published=date(2024, 3, 1), region="朔州市") if f.measure == "rank"]
    assert [f.indicator for f in ranks] == ["工业投资增速", "民间投资增速"]
    assert len({(f.start, f.end) for f in ranks}) == 1


def test_a_hint_never_overrides_the_text():
    facts = extract("2023年，忻州市粮食总产量达到25.8亿斤。", published=date(2024, 2, 1), region="大同市")
    assert facts[0].region == "忻州市"


def test_publication_date_found_in_a_masthead():
    text = "岚州日报\n2024年5月7日 星期二\n\n今年一季度，大同市地区生产总值增长5.2%。\n"
    facts = extract(text)
    assert facts[0].period == "2024-Q1"


def test_every_fact_keeps_its_sentence():
    text = "2023年，全县地区生产总值完成85.2亿元。全年粮食产量3.1亿斤。"
    facts = extract(text, published=date(2024, 2, 1), region="灵丘县")
    assert [f.sentence for f in facts] == ["2023年，全县地区生产总值完成85.2亿元。", "全年粮食产量3.1亿斤。"]


PAGE = """岚州日报
2024年5月7日 星期二

灵丘县经济稳中向好

本报记者 王明

今年一季度，灵丘县地区生产总值增长5.6%，规模以上工业增加值增长7.1%。

繁峙县加快项目建设

本报记者 李青

今年一季度，繁峙县完成固定资产投资12.3亿元，同比增长9.4%。这是全县发展的坚实基础，也是未来一段时期的重要支撑。

今年一季度，繁峙县完成固定资产投资12.3亿元，同比增长9.4%。这是全县发展的坚实基础，也是未来一段时期的重要支撑。
"""


def test_articles_of_a_page_each_have_their_title_and_region():
    facts = extract(PAGE)
    by_text = {}
    for f in facts:
        by_text.setdefault(f.text, []).append(f)
    assert by_text["5.6%"][0].article == "灵丘县经济稳中向好"
    assert by_text["5.6%"][0].region == "灵丘县"
    assert by_text["12.3亿元"][0].article == "繁峙县加快项目建设"
    assert by_text["12.3亿元"][0].region == "繁峙县"
    assert by_text["12.3亿元"][0].period == "2024-Q1"


def test_a_repeated_paragraph_points_to_its_first_print():
    facts = [f for f in extract(PAGE) if f.text == "12.3亿元"]
    assert len(facts) == 2
    first, again = facts
    assert first.duplicate_of is None
    assert again.duplicate_of == first.span
    assert PAGE[again.duplicate_of.start:again.duplicate_of.end] == "12.3亿元"


def test_figures_under_a_plan_heading_are_targets_for_its_year():
    text = ("政府工作报告\n\n一、2023年工作回顾\n\n过去一年，全县地区生产总值完成98.6亿元，增长5.8%。\n\n"
            "二、2024年主要预期目标\n\n地区生产总值增长6%左右；城镇新增就业2000人以上；城镇调查失业率控制在5.5%以内。\n")
    facts = {f.text: f for f in extract(text, published=date(2024, 1, 10), region="灵丘县")}
    assert (facts["98.6亿元"].measure, facts["98.6亿元"].period) == ("level", "2023")
    for figure, indicator in (("6%左右", "地区生产总值"), ("2000人以上", "城镇新增就业"), ("5.5%以内", "城镇调查失业率")):
        assert (facts[figure].measure, facts[figure].period, facts[figure].indicator) == ("target", "2024", indicator)


def test_a_rank_shared_by_listed_names_gives_one_fact_per_name():
    facts = extract("2023年，全区工业、民间投资增速均为全市第一。", published=date(2024, 2, 1), region="平鲁区")
    assert sorted(f.indicator for f in facts if f.text == "第一") == ["工业投资增速", "民间投资增速"]


def test_what_a_project_will_do_once_built_has_no_period():
    text = "项目一期于2023年11月开工，项目建成后，每年可节约标准煤2000吨，年产值将超过15亿元。"
    facts = {f.text: f for f in extract(text, published=date(2024, 3, 1), region="平鲁区")}
    assert facts["2000吨"].period is None and facts["超过15亿元"].period is None


@pytest.mark.parametrize(("text", "figure", "period"), [
    # a count of projects then their total investment, in a dated sentence: the total is dated too
    ("2024年全县共确定重点项目45个，总投资86.3亿元。", "86.3亿元", "2024"),
    ("公司每年可节省电费80万元。", "80万元", None),  # year after year
    ("新站距离县城3千米。", "3千米", None),  # always
    ("该项目占地面积320亩。", "320亩", None),  # an attribute of the project the text speaks of
    ("全县规模以上纺织企业达到25户，形成服装面料3000万米的生产能力。", "3000万米", "2023"),
])
def test_period_of_events_attributes_and_timeless_figures(text, figure, period):
    facts = {f.text: f for f in extract("2023年，全县经济平稳运行。" + text, published=date(2024, 3, 20),
                                        region="应县")}
    assert facts[figure].period == period


def test_a_year_naming_an_event_of_a_series_gives_way_to_the_day():
    text = "在3月8日举行的2024年第一次项目签约活动上，全县集中签约项目12个。"
    facts = {f.text: f for f in extract(text, published=date(2024, 3, 20), region="应县")}
    assert facts["12个"].period == "2024-03-08"


def test_a_holiday_frames_the_figures_after_it_even_in_a_sentence_with_plans():
    text = "这个“五一”假期，全县重点项目现场一片繁忙，确保工程如期竣工。\n项目部有286名建设者坚守岗位。"
    facts = {f.text: f for f in extract(text, published=date(2024, 5, 7), region="怀仁市")}
    assert facts["286名"].period == "2024-05"


def test_capacity_and_regions_given_as_examples():
    text = "2023年，全市培育了应县陶瓷、山阴奶牛等5个市级特色小镇，形成瓷砖3000万平方米的生产能力。"
    facts = {f.text: f for f in extract(text, published=date(2024, 3, 20), region="朔州市")}
    assert facts["5个"].region == "朔州市"  # 应县, 山阴 are examples of the five
    assert facts["3000万平方米"].indicator == "产能"


def test_respective_rates_follow_the_figures_in_order():
    text = "全年城镇居民人均可支配收入达到36820元、农村居民人均可支配收入达到13950元，分别增长4.9%和7.1%。"
    facts = {f.text: f for f in extract(text, published=date(2024, 1, 10), region="灵丘县")}
    assert facts["4.9%"].indicator == "城镇居民人均可支配收入"
    assert facts["7.1%"].indicator == "农村居民人均可支配收入"


@pytest.mark.parametrize(("text", "figure", "indicator"), [
    ("上半年新增市场主体1893户，累计达到12254户。", "12254户", "市场主体"),  # a total after new ones
    ("招聘会提供59个工种。", "59个工种", "提供工种"),  # the noun in the measure word
    ("全年已开复工202个。", "202个", "开复工"),  # the verb is all the text says
    ("第一批600亩土地完成清丈。", "600亩", "土地"),  # the thing measured follows its figure
    ("全年达成就业意向369人次。", "369人次", "达成就业意向"),  # 人次 is a unit, not 人 + 次
    ("项目内含8GW硅片、3GW电池片及配套。", "3GW", "产能"),  # a power before a product: capacity
    ("全区一般公共预算收入、税收收入分别完成10.2亿元和8.1亿元。", "10.2亿元", "一般公共预算收入"),  # 分别 over names
    ("全区一般公共预算收入、税收收入分别完成10.2亿元和8.1亿元。", "8.1亿元", "税收收入"),
    ("全区规模以上工业增加值、固定资产投资分别增长5.1%和6.2%。", "5.1%", "规模以上工业增加值"),
    ("全区林业6项指标连续多年排在全市前列。", "6项", "指标"),  # the counted noun ends before an adverb
    ("区内三个工业园区内建成屋顶光伏。", "三个", "工业园区"),  # … and before a place word
    ("改造后，应县站站房面积扩大至5000平方米。", "5000平方米", "站房面积"),  # 应县站 is a name, 站房 the thing
    ("粮食总产量连续多年稳居全市第一。", "第一", "粮食总产量"),  # a rank's verb and scope are cut
    ("全县坚决守住85.3万亩耕地红线。", "85.3万亩", "耕地红线"),  # a verb before: the thing measured follows
    ("活动为参赛农户发放500至2000元不等的补贴。", "500至2000元", "补贴"),  # the noun after 不等的
    ("全区累计发电86亿千瓦时。", "86亿千瓦时", "发电量"),  # the verb's amount
    ("全镇改造屋顶1.5万平方米。", "1.5万平方米", "屋顶面积"),  # an area of a thing is its 面积
    ("全市规上工业企业实现营业收入410亿元，乡村企业营业收入12.4亿元。", "12.4亿元", "乡村企业营业收入"),
    ("2023年产值增长12%。", "12%", "产值"),  # the 年 closes the date; a sector's 产值 is no project's 年产值
    ("项目建成后年产值可达5亿元。", "5亿元", "年产值"),
    ("其中，12个市级重点建设项目开工率95%。", "12个", "市级重点建设项目"),  # the rate is the next figure's
    ("我县的省级优质农产品占到全省优质农产品的三分之一。", "三分之一", "省级优质农产品占全省优质农产品比重"),
    ("全市第三产业增加值占地区生产总值的比重为52.3%。", "52.3%", "第三产业增加值占地区生产总值比重"),
    ("全县把75%以上的新增财力用于教育医疗支出。", "75%以上", "教育医疗支出"),
    ("这条年产2万吨碳纤维生产线，投资4.5亿元。", "4.5亿元", "总投资"),  # said of a project: its total
    ("市本级安排科技创新经费3000万元。", "3000万元", "科技创新经费"),
    ("所有工程建设工期平均缩短两个月。", "两个月", "建设工期"),
    ("园区二期20MW示范项目已并网。", "20MW", "装机容量"),  # no product named: the plant's own power
    ("青禾光伏一期3GW单晶硅项目已投产。", "3GW", "产能"),  # a product named: what it makes
    ("站场规模由原来的2台变为4台。", "4台", "站场规模"),  # the new value of the same thing
    ("全县农产品加工销售收入86.4亿元。", "86.4亿元", "农产品加工销售收入"),  # sales, not operating revenue
    ("全县地理标志认证产品5个。", "5个", "地理标志产品"),
    ("记者将在两周时间里走访代表。", "两周", "时间"),  # a preposition ends no noun: look after the figure
    ("岳阳县、华容县等4个县获评先进县。", "4个", "县"),  # a place word is a whole noun before its verb  # any body's certification, not only farm products
])
def test_indicator_from_the_words_around_the_figure(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2022, 8, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


CITY_PAGE = """赣州日报 2023年8月3日

上半年全市经济运行稳中向好

本报讯（记者 李明）8月2日，上半年全市实现地区生产总值2301.5亿元，同比增长5.9%。

分县区看，南康区地区生产总值增长7.3%，章贡区增长6.1%，瑞金市增长6.8%。
"""


def test_a_city_page_naming_several_counties_is_about_the_city():
    facts = {f.text: f for f in extract(CITY_PAGE)}
    assert facts["2301.5亿元"].region == "赣州市"
    assert (facts["7.3%"].region, facts["6.1%"].region, facts["6.8%"].region) == ("南康区", "章贡区", "瑞金市")
    assert facts["2301.5亿元"].period == "2023-H1"


def test_province_report_past_year_respective_regions_and_targets():
    text = ("2024年河北省政府工作报告\n\n过去一年，全省生产总值达到43944.1亿元，增长5.5%。"
            "石家庄市、唐山市生产总值分别突破7500亿元和9000亿元。\n\n"
            "今年经济社会发展的主要预期目标是：生产总值增长5.5%左右；城镇新增就业88万人以上。\n")
    facts = {f.text: f for f in extract(text, published=date(2024, 1, 20))}
    assert (facts["43944.1亿元"].region, facts["43944.1亿元"].period) == ("河北省", "2023")
    assert facts["突破7500亿元"].region == "石家庄市" and facts["9000亿元"].region == "唐山市"
    assert (facts["88万人以上"].measure, facts["88万人以上"].period) == ("target", "2024")


# Which strategy named each field (Fact.how): (construction, text, region hint, figure, {field: strategy}).
# A wrong fact says why; these cases pin the names of the strategies as the JSONL and the web page show them.
HOW = [
    ("a catalogue name before the figure, a whole-area word, a year before it",
     "2023年，全县地区生产总值完成85.2亿元，同比增长5.1%。", "灵丘县", "85.2亿元",
     {"indicator": "catalogue_before", "region": "whole_area", "period": "stated"}),
    ("a growth rate after a level: the level's indicator and region",
     "2023年，全县地区生产总值完成85.2亿元，同比增长5.1%。", "灵丘县", "5.1%",
     {"indicator": "previous", "region": "previous", "period": "stated"}),
    ("分别 over a list of names", "全区税收收入、非税收入分别完成6.3亿元和2.1亿元。", "平鲁区", "2.1亿元",
     {"indicator": "listed"}),
    ("分别 over a list of regions", "石家庄市、唐山市生产总值分别突破7500亿元和9000亿元。", None, "9000亿元",
     {"region": "respective"}),
    ("a share named by its part and whole", "全市服务业增加值占地区生产总值的比重为48.6%。", "朔州市", "48.6%",
     {"indicator": "share_of"}),
    ("a power in a project's name, undated", "3GW电池片项目已开工。", "应县", "3GW",
     {"indicator": "capacity_in_name", "region": "principal", "period": "undated_attribute"}),
    ("the period stated before the sentence, in its article", "2023年，全县经济平稳运行。\n粮食产量4.1亿斤。",
     "繁峙县", "4.1亿斤", {"period": "carried"}),
    ("a target's due year", "到2027年，全区新能源装机容量力争达到500万千瓦。", "平鲁区", "500万千瓦",
     {"period": "due_year"}),
    ("what a plant will do once built", "工厂投产后，年销售收入将达到20亿元。", "应县", "20亿元",
     {"period": "after_completion"}),
    ("what holds year after year", "公司每年可减少排放3万吨。", "应县", "3万吨", {"period": "timeless"}),
    ("a stock as the text is written", "截至目前，全县现有规模以上工业企业38户。", "繁峙县", "38户", {"period": "stock"}),
    ("a rank shared by listed names", "2023年，全区工业、民间投资增速均为全市第一。", "平鲁区", "第一",
     {"indicator": "shared_rank_listed"}),
    ("a figure under a plan heading", "政府工作报告\n\n二、2024年主要预期目标\n\n地区生产总值增长6%左右。\n", "灵丘县",
     "6%左右", {"period": "plan_heading"}),
]


@pytest.mark.parametrize(("text", "region", "figure", "how"), [c[1:] for c in HOW], ids=[c[0] for c in HOW])
def test_each_fact_says_which_strategy_named_it(text, region, figure, how):
    fact = next(f for f in extract(text, published=date(2024, 3, 1), region=region) if f.text == figure)
    assert {k: fact.how[k] for k in how} == how
    assert fact.to_dict()["how"] == fact.how


def test_a_fact_keeps_its_sentence_span_and_numeral():
    text = "岚州日报\n\n全县粮食产量\n4.1亿斤，增长２.５％。"  # a cut line joined, full-width digits
    facts = extract(text, published=date(2024, 3, 1), region="繁峙县")
    rate = next(f for f in facts if f.unit == "%")
    assert text[rate.sentence_span.start:rate.sentence_span.end] == "全县粮食产量\n4.1亿斤，增长２.５％。"
    assert rate.sentence == "全县粮食产量4.1亿斤，增长2.5%。"  # the cleaned sentence, the figure in it
    assert rate.sentence[rate.in_sentence.start:rate.in_sentence.end] == "2.5%"
    assert (rate.number_text, facts[0].number_text) == ("2.5", "4.1亿")


def test_a_strategy_decides_only_for_the_kinds_of_figure_it_names(monkeypatch):
    """Strategy.when is a necessary condition (issue 17: a strategy is not even called for another kind of
    figure). Every strategy is tried for every figure of the examples and of sentences written for the
    strategies it gates; none of them decides for a figure its condition leaves out."""
    from pathlib import Path

    from zhibiao.facts import dating, indicators, regions
    from zhibiao.facts.context import Strategies, Strategy
    from zhibiao.read import read_path

    wrong: list[tuple[str, tuple, str]] = []
    gated = 0

    def tried_always(s: Strategy) -> Strategy:
        def decide(arg):
            d = s.decide(arg)
            kind = arg.fig.kind()
            if d is not None and not s.when(*kind):
                wrong.append((s.name, kind, arg.fig.text[arg.fig.s:arg.fig.e]))
            return d
        return Strategy(s.name, decide)  # no condition: called for every figure

    for module in (indicators, regions, dating):
        strategies = module.STRATEGIES
        gated += sum(1 for s in strategies if s.when is not None)
        monkeypatch.setattr(module, "STRATEGIES",
                            Strategies(*(tried_always(s) if s.when else s for s in strategies)))
    assert gated >= 10
    examples = Path(__file__).resolve().parent.parent / "examples"
    texts = [read_path(p).text for p in sorted(examples.iterdir()) if p.suffix in (".txt", ".md")]
    texts += [  # counts, ranks, shares, completions, streaks and figures after another, each kind gated
        "全县新建学校3所，改造农贸市场2个，分三批实施。", "全市涵盖12大类产品，其中三大类20项工程已开工。",
        "全县工业产值连续5年保持增长，出口额连续8个月居全省第一。", "开复工率达到92.5%，贡献率为31.2%。",
        "服务业增加值占地区生产总值的比重为52.1%，增加值增长6.3%。", "完成投资40亿元，占年度计划投资的55%。",
        "营商环境指数跃居全省第三，综合排名全市第二。", "设备由原来的2台变为3台，全国首个突破1万亿元的省份。",
        "甲县、乙县城镇居民人均可支配收入分别增长5.1%和4.8%。",
    ]
    for text in texts:
        extract(text, published=date(2024, 3, 1), region="灵丘县")
    assert wrong == []
