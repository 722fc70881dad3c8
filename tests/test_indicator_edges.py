"""The edges of an indicator's name: what stands around the name of the thing measured and is no part of it.

Every sentence is written for these tests (invented figures, real places); each case names the construction.
"""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibiao.facts import phrases
from zhibiao.pipeline import extract

# (construction, text, figure, expected indicator)
EDGES = [
    ("a verb of a price's change after the name", "全市居民消费价格指数上涨2%左右。", "2%左右", "居民消费价格"),
    ("the base of the change and the verb", "全年全县居民消费价格比上年上涨1.2%，食品价格下降0.6%。", "1.2%",
     "居民消费价格"),
    ("a falling price compared with last year", "工业生产者出厂价格比上年下跌2.1%。", "2.1%", "工业生产者出厂价格"),
    ("a structure changed from last year's", "三次产业结构由上年的9.1:40.2:50.7优化为8.8:41.0:50.2。", "9.1",
     "三次产业结构"),
    ("the base alone in a clause: the name is the sentence's", "城乡收入比继续缩小，由上年同期的2.31:1下降为2.25:1。",
     "2.31:1", "城乡居民收入比"),
    ("a note in brackets after the name", "全年地区生产总值同比（下同）增长4.1%。", "4.1%", "地区生产总值"),
    ("a footnote mark after the name", "全县工业投资[2]增长12%。", "12%", "工业投资"),
    ("a bullet opening the line", "今年的目标：\n◆城镇调查失业率5%左右；\n◆粮食产量120亿斤。", "5%左右", "城镇调查失业率"),
    ("a figure converted to another unit", "按年平均汇率折算，全市人均生产总值约合1.4万美元。", "1.4万美元", "人均地区生产总值"),
    ("the verb of an award before it", "全县荣获省级文明村称号5个。", "5个", "省级文明村称号"),
    ("获得 before the thing counted", "全县获得国家级专利奖3项。", "3项", "国家级专利奖"),
    ("a note of the text's own words", "全县小微企业（以下简称小微）贷款户数增长3.3%。", "3.3%", "小微企业贷款户数"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in EDGES], ids=[c[0] for c in EDGES])
def test_the_name_has_no_edge_words(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# (construction, text, figure, expected indicator)
OWN_SUBJECT = [
    ("each product's rate after its own name", "全年全县服装产量增长14.6%，饮料产量增长5.5%。", "5.5%", "饮料产量"),
    ("同比 between the name and the rate", "全县包装机械产量同比增长2.1%。", "2.1%", "包装机械产量"),
    ("a chain of industries named in the second clause",
     "全市家居产业链增加值同比增长6.0%，电子信息产业链增加值同比增长7.7%。", "7.7%", "电子信息产业链增加值"),
    ("a price falling after one rising", "全年居民消费价格上涨1.2%，食品价格下降0.6%，服务价格上涨0.9%。", "0.9%",
     "服务价格"),
    # no name of its own in the clause: the figure before it names it
    ("a bare rate follows the level", "全县地区生产总值完成85.2亿元，同比增长5.1%。", "5.1%", "地区生产总值"),
    ("a bare head word is no name of its own", "全县民营经济增加值85.2亿元，增加值同比增长5.1%。", "5.1%",
     "民营经济增加值"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in OWN_SUBJECT],
                         ids=[c[0] for c in OWN_SUBJECT])
def test_a_rate_with_its_own_subject_is_that_subjects(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# (construction, text, figure, expected indicator)
THRESHOLD = [
    ("the first province past an amount: the amount named before",
     "2023年全省地区生产总值达到5.2万亿元，是全国首个突破5万亿元的省份。", "突破5万亿元", "地区生产总值"),
    ("the second city of an amount", "全市社会消费品零售总额达1.1万亿元，成为全省第二个万亿元消费城市。", "万亿元",
     "社会消费品零售总额"),
    ("the first project past an amount: its total investment", "全省首个超百亿元水利工程开工建设。", "超百亿元", "总投资"),
    ("a capacity in the name stays a capacity", "全县首个年产10万吨项目投产。", "10万吨", "产能"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in THRESHOLD], ids=[c[0] for c in THRESHOLD])
def test_a_threshold_the_first_of_a_kind_passes(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# (construction, text, figure, expected indicator)
POINTS_BACK = [
    ("总量 as a share's part is the level named before",
     "全年民营经济增加值1377亿元，比上年增长6.6%，总量占地区生产总值的56.3%。", "56.3%", "民营经济增加值占地区生产总值比重"),
    ("a bare 增加值 after a share is the share's part",
     "全市高新技术产业增加值占全市工业增加值比重达24.5%，比上年提高1.2个百分点；增加值同比增长8.5%。", "8.5%",
     "高新技术产业增加值"),
    ("a rate right after a share is its part's", "全市服务业增加值占地区生产总值的比重为48.6%，同比增长3.1%。", "3.1%",
     "服务业增加值"),
    ("a change of a share in points stays the share's",
     "全市服务业增加值占地区生产总值的比重为48.6%，比上年提高1.1个百分点。", "1.1个百分点", "服务业增加值占地区生产总值比重"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in POINTS_BACK],
                         ids=[c[0] for c in POINTS_BACK])
def test_a_bare_head_word_points_back_to_the_subject(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# Names of the catalogue from the vocabulary of 统计公报 (the three 门类 of industry, the share of growing
# sectors): (construction, text, figure, expected indicator)
CATALOGUE = [
    ("a 门类 of industry", "分三大门类看，采矿业增加值下降7.3%，制造业增加值增长6.3%。", "7.3%", "采矿业增加值"),
    ("a 门类 whose name holds 、", "全市电力、热力、燃气及水生产和供应业增加值同比增长5.8%。", "5.8%",
     "电力、热力、燃气及水生产和供应业增加值"),
    ("the share of sectors that grew", "全市39个行业中有25个行业增加值实现增长，增长面为64.1%。", "64.1%", "行业增长面"),
    ("the share of loss-making firms", "全县工业企业亏损面为12.5%。", "12.5%", "工业企业亏损面"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in CATALOGUE], ids=[c[0] for c in CATALOGUE])
def test_names_of_official_statistics(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# A duration after 连续 is the length of a streak, named by what kept on and what it kept doing, never by the
# thing alone; a figure inside the streak's predicate is of the thing: (construction, text, figure, expected)
STREAK = [
    ("a streak of months with its predicate, 保持 dropped", "全县出口额连续14个月保持两位数增长。", "14个月",
     "出口额连续两位数增长月数"),
    ("a streak of years with a rank in its predicate", "全市税收收入连续6年居全省首位，财政实力稳步增强。", "6年",
     "税收收入连续居全省首位年数"),
    ("a streak with no subject in its clause", "该镇连续三年获评省级卫生乡镇。", "三年", "连续获评省级卫生乡镇年数"),
    ("the verb of the streak before its length; 这项 points back", "这项赛事已连续举办9年。", "9年", "连续举办年数"),
    ("a bare 总量 before the streak is the subject named before",
     "全县粮食产量达到41万吨，总量连续7年位居全市第二。", "7年", "粮食总产量连续位居全市第二年数"),
    ("a rank inside the streak is of the streak's subject", "全区工业投资增速连续5个月全市第一。", "第一", "工业投资增速"),
    ("a rank after a streak with no subject is the figure's before it",
     "全县社会消费品零售总额增长7.1%，连续4年居全市第一。", "第一", "社会消费品零售总额"),
    ("a bare 总量's rank after the streak is the level named before",
     "全县粮食产量达到41万吨，总量连续7年位居全市第二。", "第二", "粮食总产量"),
    ("a duration with no 连续 is no streak", "该工程建设工期为18个月。", "18个月", "建设工期"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in STREAK], ids=[c[0] for c in STREAK])
def test_the_length_of_a_streak(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# The thing a count counts ends where what is said of it begins: a verb whose subject it is, a measure word,
# or the head of an amount of it: (construction, text, figure, expected indicator)
COUNTED = [
    ("a verb of completion after the thing measured", "全镇第二批450亩耕地整理结束，年底前交付。", "450亩", "耕地整理面积"),
    ("a verb whose subject is the counted people", "节日期间，120名环卫工人放弃休假，坚持清扫街道。", "120名", "环卫工人"),
    ("获 after the counted things", "全市有8项专利获省级金奖。", "8项", "专利"),
    ("a measure word said of the counted things", "全县有4项指标增幅居全市前列。", "4项", "指标"),
    ("the head of an amount of the counted things", "全区41个工业行业中，有26个行业产值同比增长。", "26个", "行业"),
    ("an amount's noun after a figure that is no count keeps its head", "全年完成2.4亿元财政收入。", "2.4亿元",
     "一般公共预算收入"),
    ("a count of things whose name holds a head word stays whole", "全县新培育6家产值超亿元企业。", "6家",
     "产值超亿元企业"),
    # written for bound words: a verb bound to the character before it is no edge inside a name
    ("a bound verb inside the counted thing's name (全覆盖)", "青禾县建成50个医保服务全覆盖站点，方便群众就医。", "50个",
     "医保服务全覆盖站点"),
    ("a bound verb inside the name of what lasted (试运行)", "青禾县2号机组通过72小时满负荷试运行。", "72小时",
     "满负荷试运行"),
    ("a bound verb ending the words after a count is what the things do", "全县8个乡镇全覆盖。", "8个", "乡镇"),
    ("a bound verb after a one-character place word", "全县12个村全覆盖，群众满意。", "12个", "村"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in COUNTED], ids=[c[0] for c in COUNTED])
def test_the_counted_thing_ends_where_what_is_said_of_it_begins(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# A rank whose own clause names what is ranked is of that; a bare measure or head word points back to the
# figure before it: (construction, text, figure, expected indicator)
RANKED = [
    ("a ranked index named in quotes after another figure", "全县研发投入增长12%，“营商环境指数”跃居全省第三。", "第三",
     "营商环境指数"),
    ("a bare 数量 points back to the count", "全县新增省级孵化器5家，数量位列全市第一。", "第一", "省级孵化器"),
    ("a bare 增速 with the one-character verb 居: the growth of the figure before it", "全县地区生产总值增长6.5%，增速居全市第二。", "第二", "地区生产总值增速"),
    ("no words of its own: the figure before it", "全县工业增加值增长8%，居全市第一。", "第一", "工业增加值"),
    ("a ranking named before 排名 keeps 排名", "全县粮食产量增长2%，年度考核综合排名居全市第三。", "第三",
     "年度考核综合排名"),
    ("a ranking with no figure before it", "全县营商环境评价位列全省第5位。", "第5位", "营商环境评价"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in RANKED], ids=[c[0] for c in RANKED])
def test_a_rank_of_what_its_clause_names(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# After a verb of dividing, a count whose measure word names a kind of part is the number of those parts:
# (construction, text, figure, expected indicator)
PARTS = [
    ("共分 and a part of a book", "该丛书共分八编。", "八编", "编数"),
    ("分 before batches, with a verb after", "补贴资金分三批拨付到户。", "三批", "批数"),
    ("分为 before groups", "比赛分为四组进行。", "四组", "组数"),
    ("分 before routes with a subject before it", "工作组分两路赴各乡镇督导。", "两路", "路数"),
    ("a generic measure word keeps the noun after it", "全县分设5个工作组。", "5个", "工作组"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in PARTS], ids=[c[0] for c in PARTS])
def test_a_count_of_parts_after_a_verb_of_dividing(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# (construction, text, figure, expected indicator)
COMPLETION = [
    ("the plan's name holds the thing done only by its verb",
     "全县重点项目年度计划投资80亿元，1-5月累计完成投资36亿元，占年度计划投资的45%。", "45%", "年度计划投资完成率"),
    ("the plan's own figure between its name and the share",
     "上半年全县完成投资12亿元，完成年计划投资30亿元的40%。", "40%", "年计划投资完成率"),
    # a bare task names nothing of its own: the thing done names the completion
    ("a bare task after the thing done", "全县城镇新增就业900人，完成全年任务的90%。", "90%", "城镇新增就业"),
    ("a task with its own figure", "全区农村劳动力转移就业1200人，完成市任务1000人的120%。", "120%", "农村劳动力转移就业"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in COMPLETION],
                         ids=[c[0] for c in COMPLETION])
def test_a_completion_is_of_the_plan_that_names_what_was_done(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].measure == "completion"
    assert facts[figure].indicator == indicator


# Issue 14: the base a change is compared with (比2020年, 较2023年同期, 比上年末, 比2022年底) stands between the
# name and the verb of the change; it is no part of the name, whether the catalogue knows the name or not.
# Written for issue 14 (比2020年 kept at the end of a name): (construction, text, figure, expected indicator)
BASE_EDGE = [
    ("a year in digits as the base of an income's growth", "2022年，全县城镇居民人均可支配收入比2020年增长12.5%。",
     "12.5%", "城镇居民人均可支配收入"),
    ("a year as the base of an output's change in tonnes", "全年粮食总产量比2019年增加3.2万吨。", "3.2万吨", "粮食总产量"),
    ("a year as the base of a rate's change in points", "2022年，全市森林覆盖率比2020年提高1.2个百分点。", "1.2个百分点",
     "森林覆盖率"),
    ("较 and a year as the base of an intensity", "全县研发经费投入强度较2020年提高0.4个百分点。", "0.4个百分点",
     "研发经费投入强度"),
    ("the year-end of a year as the base", "全市新能源汽车保有量比2022年底增加3.4万辆。", "3.4万辆", "新能源汽车保有量"),
    # names the catalogue does not know keep every word of their own
    ("a name not in the catalogue, a year as the base", "2023年，全市夜间经济营业额比2021年增长35.2%。", "35.2%",
     "夜间经济营业额"),
    ("a name not in the catalogue, a year's same period as the base", "一季度，全县冷链物流吞吐量较2023年同期增长9.4%。",
     "9.4%", "冷链物流吞吐量"),
    ("a name not in the catalogue, last year's end as the base", "全区民宿床位数比上年末增加860张。", "860张", "民宿床位数"),
    ("last year's same period as the base", "2023年，全县快递业务量比上年同期增长21.4%。", "21.4%", "快递业务量"),
    # 比较 is no base: a name that holds it keeps it
    ("比较 inside a name is no base", "全市比较优势产业产值增长8.8%。", "8.8%", "比较优势产业产值"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in BASE_EDGE], ids=[c[0] for c in BASE_EDGE])
def test_the_base_of_a_comparison_is_no_part_of_the_name(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# written for issue 14: strip() of a name, a base and a verb of change gives the name, for any year and base
@given(name=st.sampled_from(["夜间经济营业额", "冷链物流吞吐量", "民宿床位数", "茶叶产量", "快递业务量"]),
       base=st.sampled_from(["比{y}年", "较{y}年", "比{y}年同期", "较{y}年末", "比{y}年底", "比上年", "较上年同期",
                             "比去年同期", "较上年末", "同比"]),
       year=st.integers(1990, 2039), verb=st.sampled_from(["增长", "增加", "提高", "下降", "减少"]))
def test_strip_cuts_a_base_before_the_verb(name, base, year, verb):
    assert phrases.strip(name + base.format(y=year) + verb) == name


# Issue 14: a place that ends the words of a name, alone or with the verb of what it holds (N家X临澧占M家, a
# caption's X——汉寿县), opens a clause of its own; the name is the thing before it. A place inside a name, or
# one with nothing named before it, stays. Written for issue 14: (construction, text, figure, expected indicator)
PLACE_EDGE = [
    ("a county's short form and 占 after the counted things", "全省20家省级孵化器临澧占5家。", "20家", "省级孵化器"),
    ("the county's part of them", "全省20家省级孵化器临澧占5家。", "5家", "省级孵化器"),
    ("a district's full name and 占 after the counted things", "全市6家三甲医院鼎城区占2家。", "6家", "三甲医院"),
    ("the district's part of them", "全市6家三甲医院鼎城区占2家。", "2家", "三甲医院"),
    ("a place after a dash names where the thing is", "游人如织的桃花海——汉寿县5000亩桃林。", "5000亩", "桃花海面积"),
    # the place is part of the name: what is given to it, or a name with nothing before the place
    ("a place a fund goes to stays in its name", "全县对口支援阿坝州资金3000万元。", "3000万元", "对口支援阿坝州资金"),
    ("a verb and a place only: nothing to cut to", "全县援建西藏资金达到3000万元。", "3000万元", "援建西藏资金"),
    ("a place that is the object of the verb before it stays", "今年全县对口帮扶凉山州3000万元。", "3000万元",
     "对口帮扶凉山州"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in PLACE_EDGE], ids=[c[0] for c in PLACE_EDGE])
def test_a_place_ending_the_words_is_no_part_of_the_name(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="石门县")}
    assert facts[figure].indicator == indicator


# written for issue 14: the words before a place that ends them, for any name and place
@given(name=st.sampled_from(["省级孵化器", "三甲医院", "国家级农业产业园", "桃花海"]),
       place=st.sampled_from(["临澧", "鼎城区", "汉寿县", "——桃源县", "石门县占", "汉寿有"]))
def test_before_place_gives_the_name(name, place):
    assert phrases.before_place(name + place) == name
    assert phrases.before_place(name) == name


# (construction, text, figure, expected indicator); every sentence written for issue 14 (verbs of change)
CHANGE_VERBS = [
    ("扩大到 before the new value", "全镇蔬菜大棚面积扩大到1200亩。", "1200亩", "蔬菜大棚面积"),
    ("缩小 before the amount of the change", "全县城乡居民收入差距缩小0.3个百分点。", "0.3个百分点", "城乡居民收入差距"),
    ("压减 of a consumption", "全区燃煤消费量压减8.5万吨。", "8.5万吨", "燃煤消费量"),
    ("降至 of a count", "全市农村低收入人口降至2300人。", "2300人", "农村低收入人口"),
    ("攀升至 of a balance", "全县普惠小微贷款余额攀升至36.4亿元。", "36.4亿元", "普惠小微贷款余额"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in CHANGE_VERBS],
                         ids=[c[0] for c in CHANGE_VERBS])
def test_a_verb_of_change_is_no_part_of_the_name(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="平鲁区")}
    assert facts[figure].indicator == indicator


# (words before a figure, the name they give): written for issue 14; the last ones are names that end in
# a verb-like word or hold a verb of change, and stay whole
STRIP_CHANGE = [
    ("林下种植面积扩大至", "林下种植面积"),
    ("夜间客流量下滑", "夜间客流量"),
    ("常住人口净增", "常住人口"),
    ("工业废水排放量缩减到", "工业废水排放量"),
    ("化肥施用量减至", "化肥施用量"),
    ("进口额跌至", "进口额"),
    ("存款准备金率下调", "存款准备金率"),
    # the base of a change, 由/从 and any time word with 的 (由上年的 is in the lexicon; 一季度, 2021年 are not)
    ("出口额由一季度的", "出口额"),
    ("公路客运量从2021年的", "公路客运量"),
    ("企业盈利增长面", "企业盈利增长面"),
    ("工业品价格降幅", "工业品价格降幅"),
    ("扩大再生产", "扩大再生产"),
    ("跨境电商升降", "跨境电商升降"),
]


@pytest.mark.parametrize(("words", "name"), STRIP_CHANGE)
def test_strip_cuts_a_verb_of_change(words, name):
    assert phrases.strip(words) == name


# (words, names nothing): written for issue 14; a verb of change or a change's base alone names nothing
EMPTY_CHANGE = [("扩大到", True), ("降至", True), ("由二季度的", True), ("从上半年的", True), ("降幅", False),
                ("增长面", False)]


@pytest.mark.parametrize(("words", "nothing"), EMPTY_CHANGE)
def test_a_verb_of_change_alone_names_nothing(words, nothing):
    assert phrases.empty(words) is nothing


@given(name=st.sampled_from(["茶园面积", "快递业务量", "规上工业综合能耗", "民宿床位数", "地表水劣V类比例"]),
       verb=st.sampled_from(["扩大", "缩小", "收窄", "下滑", "攀升", "压减", "缩减", "回落", "下降", "降", "升", "减"]),
       to=st.sampled_from(["到", "至", ""]))
def test_strip_cuts_any_verb_of_change_with_its_to(name, verb, to):
    if len(verb) == 1 and not to:
        return  # a one-character verb alone is not cut (降 ends words of their own)
    assert phrases.strip(name + verb + to) == name
    assert not phrases.empty(name)
