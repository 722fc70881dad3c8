"""The period and measure of figures in reports from anywhere: a statistics release's sections, a government
work report's review of last year, the progress of a year's plan. Every sentence is written for these tests
(places real, so the gazetteer knows them; every figure invented); each case says which construction it
stands for.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibiao.periods import find_periods, section_number
from zhibiao.pipeline import extract


def _facts(text: str, published: date, region: str | None = None) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in extract(text, published=published, region=region):
        out.setdefault(f.text, []).append(f)
    return out


# --- a quarterly or monthly release: the lead's period dates the sections that state none -------------------

# (release, figure, period). A release opens with its period (一季度, 1—10月, 上半年), then numbered sections,
# one a sector; a time word in one section's body (1—2月 for services, whose figures lag a month; 3月末 for
# balances, a stock at the month's end) is that section's, and the next section is again the release's period.
_Q1 = ("一季度，全县地区生产总值38.5亿元，增长5.2%。\n一、工业\n全县规模以上工业增加值增长6.1%。\n"
       "二、服务业\n1—2月，全县规上服务业营业收入2.4亿元，增长3.0%。\n3月末，全县金融机构存款余额210.6亿元，"
       "增长7.3%。\n三、居民收入\n全县居民人均可支配收入6120元，增长5.5%。")
_OCT = ("1—10月，全市规模以上工业增加值增长4.4%。\n（一）投资\n9月末，全市在建项目812个。\n"
        "（二）消费\n全市社会消费品零售总额1280.2亿元，增长2.9%。")
_H1 = ("上半年，全县一般公共预算收入9.8亿元，增长4.0%。\n1、农业\n5月份，全县完成夏粮收购1.2万吨。\n"
       "2、工业\n全县规模以上工业企业实现营业收入86.4亿元，增长8.8%。")
_TOPICAL = ("2023年，全市工业增加值增长6.0%。\n产业升级\n2024年，全市新签约项目40个。\n"
            "营商环境\n全市新增市场主体3200户。")
SECTIONS = [
    (_Q1, date(2024, 5, 10), "酉阳土家族苗族自治县", "2.4亿元", "2024-01/2024-02"),  # its own section's words
    (_Q1, date(2024, 5, 10), "酉阳土家族苗族自治县", "210.6亿元", "2024-03"),  # a stock at the month's end
    (_Q1, date(2024, 5, 10), "酉阳土家族苗族自治县", "6120元", "2024-Q1"),  # the next section: the release's
    (_Q1, date(2024, 5, 10), "酉阳土家族苗族自治县", "5.5%", "2024-Q1"),
    (_OCT, date(2022, 11, 20), "泉州市", "812个", "2022-09"),
    (_OCT, date(2022, 11, 20), "泉州市", "1280.2亿元", "2022-01/2022-10"),  # （二） closes （一）'s 9月末
    (_H1, date(2023, 7, 25), "闽侯县", "1.2万吨", "2023-05"),
    (_H1, date(2023, 7, 25), "闽侯县", "86.4亿元", "2023-H1"),  # 2、 closes 1、's 5月份
    # headings with no number are a feature's topics, not a release's sections: a year carries across them
    (_TOPICAL, date(2024, 3, 1), "朔州市", "3200户", "2024"),
]


@pytest.mark.parametrize(("text", "published", "region", "figure", "period"), SECTIONS,
                         ids=[f"{c[3]}-{c[4]}" for c in SECTIONS])
def test_a_time_word_in_a_numbered_section_holds_until_the_next(text, published, region, figure, period):
    assert _facts(text, published, region)[figure][0].period == period


@pytest.mark.parametrize(("heading", "numbered"), [
    ("一、农业生产稳中有进", True), ("（三）固定资产投资", True), ("十二、金融", True), ("3．居民收入", True),
    ("(2)对外贸易", True), ("2、工业", True),
    ("产业升级", False), ("2023年全市经济运行情况", False), ("一季度全县经济运行", False), ("两个市场", False),
])
def test_section_number(heading, numbered):
    assert section_number(heading) is numbered


# --- N年来首次: how long since a record, not a period ----------------------------------------------------

RECORDS = [
    # (sentence, ref, mentions read as periods)
    ("全县粮食产量增长4.2%，为十年来最高。", date(2024, 2, 1), []),
    ("地区生产总值增速居全省第一，分别为30年来、15年来首次；工业投资增长9%。", date(2025, 2, 1), []),
    ("出口额创八年来新高。", date(2023, 3, 1), []),
    ("规上工业增加值增速为近五年来最快。", date(2024, 2, 1), []),
    # a span of years that dates what follows stays one
    ("十年来，全县累计建成农村公路900公里。", date(2024, 2, 1), [("十年来", "2015/2024")]),
    ("近五年来首次举办的博览会吸引客商二百家；五年来，全县新增企业五百家。", date(2024, 2, 1),
     [("五年来", "2020/2024")]),
]


@pytest.mark.parametrize(("text", "ref", "expected"), RECORDS)
def test_years_since_a_record_are_no_period(text, ref, expected):
    assert [(m.text, m.period) for m in find_periods(text, ref)] == expected


_CN_COUNTS = ["三", "五", "八", "十", "十五", "二十", "三十五"]


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.integers(min_value=2, max_value=50).map(str), st.sampled_from(_CN_COUNTS)),
       st.sampled_from(["首次", "最快", "最高", "新高", "最好"]), st.integers(min_value=2000, max_value=2035),
       st.sampled_from(["", "近"]))
def test_property_years_since_a_record_never_date(n, record, year, near):
    """However many years and whichever record word: N年来 before a record is no period; before a comma it
    is the run of N years up to the reference year."""
    ref = date(year, 3, 1)
    assert find_periods(f"全县工业投资增速为{near}{n}年来{record}。", ref) == []
    span = find_periods(f"{near}{n}年来，全县新增企业五百家。", ref)
    assert [m.kind for m in span] == ["years"] and span[0].period.endswith(str(year))


def test_a_record_span_does_not_date_the_next_figures():
    text = "2024年，全市地区生产总值增长6.3%，增速为20年来最快；固定资产投资增长7.1%，社会消费品零售总额增长5.2%。"
    facts = _facts(text, date(2025, 2, 10), "邯郸市")
    assert [facts[f][0].period for f in ("6.3%", "7.1%", "5.2%")] == ["2024", "2024", "2024"]


# --- 争取 in a review of a year already past: what was won --------------------------------------------------

# (text, published, figure, measure, period)
SECURED = [
    # a review of last year: 争取 reports funds and projects won
    ("去年，全市争取中央预算内资金15.6亿元，获得专项债券额度42亿元。", date(2024, 2, 1), "15.6亿元", "level", "2023"),
    ("去年，全市争取中央预算内资金15.6亿元，获得专项债券额度42亿元。", date(2024, 2, 1), "42亿元", "level", "2023"),
    ("2023年，全县积极争取上级项目38个。", date(2024, 1, 15), "38个", "level", "2023"),
    ("2022年全区上下奋力拼搏\n过去的一年，全区争取超长期国债项目21个，到位资金8.2亿元。", date(2023, 2, 1), "21个",
     "level", "2022"),
    # a plan word beside it, a sentence on this year, or no time word of the past: still a plan
    ("去年，全市争取上级资金10亿元，力争今年达到12亿元。", date(2024, 2, 1), "12亿元", "target", "2024"),
    ("今年，全县争取上级项目40个。", date(2024, 2, 1), "40个", "target", "2024"),
    ("2024年，全县争取上级资金18亿元。", date(2024, 2, 1), "18亿元", "target", "2024"),
    ("去年，全市计划争取上级资金10亿元。", date(2024, 2, 1), "10亿元", "target", "2023"),
]


@pytest.mark.parametrize(("text", "published", "figure", "measure", "period"), SECURED,
                         ids=[f"{c[2]}-{c[3]}-{c[4]}" for c in SECURED])
def test_secured_in_a_past_year_is_a_result(text, published, figure, measure, period):
    fact = _facts(text, published, "邯郸市")[figure][0]
    assert (fact.measure, fact.period) == (measure, period)


# --- the progress of a year's plan: the list is the year's, its progress the months to date ---------------

# A year's list of key projects: its counts and sums are of the year; 1-N月累计完成 and 占年计划的N% (completion)
# are the months to date; the parts after 其中 are the year's list again.
_LIST = ("2024年市级重点项目共210项，总投资1560.3亿元，年度计划投资302.8亿元，1-9月累计完成投资245.6亿元，"
         "占年计划投资的81.1%，其中：续建项目96项，总投资880.4亿元，1-9月完成投资150.2亿元，占年度计划的85%。")
_TOWN = ("2023年全县共安排重点项目64个，总投资98.7亿元，1至5月完成投资21.3亿元，占全年目标的43.6%；"
         "新开工项目28个，完成投资6.2亿元。")
# (text, published, region, figure, measure, period)
PROGRESS = [
    (_LIST, date(2024, 10, 15), "泉州市", "210项", "level", "2024"),
    (_LIST, date(2024, 10, 15), "泉州市", "1560.3亿元", "level", "2024"),  # the sum of the year's list
    (_LIST, date(2024, 10, 15), "泉州市", "302.8亿元", "target", "2024"),
    (_LIST, date(2024, 10, 15), "泉州市", "245.6亿元", "level", "2024-01/2024-09"),
    (_LIST, date(2024, 10, 15), "泉州市", "81.1%", "completion", "2024-01/2024-09"),  # 占年计划投资的
    (_LIST, date(2024, 10, 15), "泉州市", "96项", "level", "2024"),  # not 1-9月: that dates its own clause
    (_LIST, date(2024, 10, 15), "泉州市", "880.4亿元", "level", "2024"),
    (_LIST, date(2024, 10, 15), "泉州市", "85%", "completion", "2024-01/2024-09"),  # 占年度计划的
    (_TOWN, date(2023, 6, 20), "闽侯县", "98.7亿元", "level", "2023"),
    (_TOWN, date(2023, 6, 20), "闽侯县", "43.6%", "completion", "2023-01/2023-05"),  # 占全年目标的
    (_TOWN, date(2023, 6, 20), "闽侯县", "28个", "level", "2023"),
    # a time word that opens its clause with a comma frames what follows: unchanged
    ("全年完成投资120亿元，1-6月，工业投资增长8%，民间投资增长5%。", date(2023, 7, 20), "闽侯县", "5%", "growth",
     "2023-01/2023-06"),
    # a share of a whole, not of a plan, stays a share
    ("2023年，全县服务业增加值占地区生产总值的52.4%。", date(2024, 2, 1), "闽侯县", "52.4%", "share", "2023"),
]


@pytest.mark.parametrize(("text", "published", "region", "figure", "measure", "period"), PROGRESS,
                         ids=[f"{c[3]}-{c[4]}-{c[5]}" for c in PROGRESS])
def test_a_year_list_of_projects_and_its_progress(text, published, region, figure, measure, period):
    fact = _facts(text, published, region)[figure][0]
    assert (fact.measure, fact.period) == (measure, period)


# --- a time word right after a figure dates it only when it opens no clause of its own figure -------------

RIGHT_AFTER = [
    # (text, published, figure, period): the period stated in the sentence before, carried
    ("前三季度，全县经济稳中有进。财政收入增速全市第二，三季度综合排名全市第四。", date(2023, 11, 16), "第二",
     "2023-01/2023-09"),
    ("前三季度，全县经济稳中有进。财政收入增速全市第二，三季度综合排名全市第四。", date(2023, 11, 16), "第四",
     "2023-Q3"),
    ("上半年，全县经济平稳。新签约项目12个，二季度新开工项目5个。", date(2023, 8, 1), "12个", "2023-H1"),
    ("上半年，全县经济平稳。全县累计完成投资12亿元，2022年。", date(2023, 8, 1), "12亿元", "2022"),  # its own
]


@pytest.mark.parametrize(("text", "published", "figure", "period"), RIGHT_AFTER,
                         ids=[f"{c[2]}-{c[3]}" for c in RIGHT_AFTER])
def test_a_time_word_after_a_figure(text, published, figure, period):
    assert _facts(text, published, "房县")[figure][0].period == period


# the parts after 其中 are of the last figure of their unit before it: a time word dating that whole dates them
PARTS = [
    ("全年完成投资120亿元，1-6月完成投资50亿元，其中工业投资20亿元，民间投资15亿元。", date(2023, 7, 20), "20亿元",
     "2023-01/2023-06"),
    ("全年完成投资120亿元，1-6月完成投资50亿元，其中工业投资20亿元，民间投资15亿元。", date(2023, 7, 20), "15亿元",
     "2023-01/2023-06"),
    ("2023年全县重点项目共88个，1-6月完成投资31亿元，其中：续建项目40个，总投资55亿元。", date(2023, 7, 20), "40个",
     "2023"),
]


@pytest.mark.parametrize(("text", "published", "figure", "period"), PARTS, ids=[f"{c[2]}-{c[3]}" for c in PARTS])
def test_parts_after_qizhong_are_dated_like_their_whole(text, published, figure, period):
    text = "2023年，全县经济运行平稳。" + text  # a year carried from before: what a part gets when no word dates it
    assert _facts(text, published, "闽侯县")[figure][0].period == period


# --- the words before a figure read once per sentence (issue 17) ---------------------------------------------

# words of a cue list that overlap one another every way (one inside, a prefix, a suffix, across the end of another)
_WORDS = ["建成投产后", "全面建成后", "建成后", "成投", "投产", "产后", "建"]
_PIECES_AFTER = [*_WORDS, "全面", "后", "年产", "3万吨", "，"]


@given(st.lists(st.sampled_from(_PIECES_AFTER), max_size=12), st.integers(0, 60), st.integers(0, 60))
@settings(max_examples=500, deadline=None)
def test_the_last_word_before_a_figure_read_from_its_sentence(pieces, s, pos):
    """dating.last_end, given the matches over the whole sentence, finds where the last word of the list before
    pos ends as a scan that stops at pos does, even when a word of the sentence runs over pos."""
    import re

    from zhibiao.facts import dating

    text = "".join(pieces)
    s, pos = min(s, len(text)), min(max(s, pos), len(text))
    words = re.compile("|".join(sorted(_WORDS, key=len, reverse=True)))  # longest first, as cues.rx
    spans = [m.span() for m in words.finditer(text, s, len(text))]
    direct = max(words.finditer(text, s, pos), key=lambda m: m.start(), default=None)
    assert dating.last_end(words, text, spans, s, pos) == (direct.end() if direct else None)
