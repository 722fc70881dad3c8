"""Tests for zhibiao.periods: time expressions → periods, on sentences written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zhibiao import periods
from zhibiao.errors import ZhibiaoError
from zhibiao.periods import cn_int, find_periods, period_before, scan, sentence_period
from zhibiao.read import read_path

MAY_2024 = date(2024, 5, 7)
JAN_2025 = date(2025, 1, 10)
DEC_2024 = date(2024, 12, 20)

# (sentence, ref, [(text, period, kind, comparison), ...]) — every mention found, in order.
CASES_CORE = [
    # years
    ("2023年，青禾县地区生产总值286亿元。", MAY_2024, [("2023年", "2023", "year", False)]),
    ("二〇二二年全县粮食产量稳定。", MAY_2024, [("二〇二二年", "2022", "year", False)]),
    ("2023年度考核结果良好。", MAY_2024, [("2023年度", "2023", "year", False)]),
    ("2019—2023年，全县累计投资80亿元。", MAY_2024, [("2019—2023年", "2019/2023", "years", False)]),
    ("2021年至2023年新增企业三百家。", MAY_2024, [("2021年至2023年", "2021/2023", "years", False)]),
    # halves
    ("上半年，全县规上工业增加值增长6%。", MAY_2024, [("上半年", "2024-H1", "half", False)]),
    ("2023年上半年，全县社零额增长4%。", MAY_2024, [("2023年上半年", "2023-H1", "half", False)]),
    ("今年下半年将开工建设二期工程。", MAY_2024, [("今年下半年", "2024-H2", "half", False)]),
    # quarters
    ("一季度，全县固定资产投资增长8%。", MAY_2024, [("一季度", "2024-Q1", "quarter", False)]),
    ("今年第一季度，出口额下降2%。", MAY_2024, [("今年第一季度", "2024-Q1", "quarter", False)]),
    ("2023年四季度用电量回升。", MAY_2024, [("2023年四季度", "2023-Q4", "quarter", False)]),
    ("前三季度，全县财政收入增长5%。", DEC_2024, [("前三季度", "2024-01/2024-09", "months", False)]),
    # runs of months
    ("1至10月，全县新增就业3100人。", DEC_2024, [("1至10月", "2024-01/2024-10", "months", False)]),
    ("1—6月份，全县实现税收9亿元。", MAY_2024, [("1—6月份", "2024-01/2024-06", "months", False)]),
    ("今年1-4月，全市进出口总额增长3%。", MAY_2024, [("今年1-4月", "2024-01/2024-04", "months", False)]),
    ("2023年1至11月，累计发电42亿千瓦时。", MAY_2024, [("2023年1至11月", "2023-01/2023-11", "months", False)]),
    ("前两个月，全县社零额增长5%。", MAY_2024, [("前两个月", "2024-01/2024-02", "months", False)]),
    ("今年前4个月，税收增长3%。", MAY_2024, [("今年前4个月", "2024-01/2024-04", "months", False)]),
    ("去年前三季度，税收增长3%。", MAY_2024, [("去年前三季度", "2023-01/2023-09", "months", False)]),
    ("2023年10月至2024年3月，供暖季平稳运行。", MAY_2024,
     [("2023年10月至2024年3月", "2023-10/2024-03", "months", False)]),
    # months
    ("3月份，全县CPI上涨0.2%。", MAY_2024, [("3月份", "2024-03", "month", False)]),
    ("2023年6月，项目签约落地。", MAY_2024, [("2023年6月", "2023-06", "month", False)]),
    ("今年四月份，全县新增市场主体二百户。", MAY_2024, [("今年四月份", "2024-04", "month", False)]),
    ("4月末，全县存款余额300亿元。", MAY_2024, [("4月末", "2024-04", "month", False)]),
    # days
    ("3月18日，全县召开项目推进会。", MAY_2024, [("3月18日", "2024-03-18", "day", False)]),
    ("2023年9月16日，新站正式开工。", MAY_2024, [("2023年9月16日", "2023-09-16", "day", False)]),
    ("今年5月6日，首批产品下线。", MAY_2024, [("今年5月6日", "2024-05-06", "day", False)]),
    ("截至2024-04-30，累计完成投资12亿元。", MAY_2024, [("2024-04-30", "2024-04-30", "day", False)]),
    ("二〇二四年五月七日", MAY_2024, [("二〇二四年五月七日", "2024-05-07", "day", False)]),
    # the end of a year
    ("截至2023年底，全县常住人口23万人。", MAY_2024, [("截至2023年底", "2023", "year", False)]),
    ("年末全县户籍人口25万人。", JAN_2025, [("年末", "2024", "year", False)]),  # a January report: last year-end
    ("年末全县户籍人口25万人。", date(2024, 12, 20), [("年末", "2024", "year", False)]),
    # since the start of the year
    ("今年以来，全县新签约项目二十个。", MAY_2024, [("今年以来", "2024-01/2024-05", "since", False)]),
    ("年初以来，全县累计接待游客50万人次。", MAY_2024, [("年初以来", "2024-01/2024-05", "since", False)]),
    ("今年以来，全县新签约项目二十个。", 2024, [("今年以来", "2024", "since", False)]),
    ("3月以来，降水偏少。", MAY_2024, [("3月以来", "2024-03/2024-05", "since", False)]),
    ("2008年以来，读本每年出版一本。", MAY_2024, [("2008年以来", "2008/2024", "since", False)]),
    # comparisons: the base of a comparison, never the period of the figures
    ("全县财政收入比上年增长6%。", MAY_2024, [("上年", "2023", "relative", True)]),
    ("一季度，社零额较去年同期增长3%。", MAY_2024,
     [("一季度", "2024-Q1", "quarter", False), ("去年同期", "2023", "relative", True)]),
    ("与去年同期相比，客流量翻了一番。", MAY_2024, [("去年同期", "2023", "relative", True)]),
    ("2023年，发电量较2022年增加5亿千瓦时。", MAY_2024,
     [("2023年", "2023", "year", False), ("2022年", "2022", "year", True)]),
    ("全年粮食产量同比上年增长2%。", MAY_2024, [("上年", "2023", "relative", True)]),
    # relative years
    ("去年，全县新建5G基站二百座。", MAY_2024, [("去年", "2023", "relative", False)]),
    ("前年全县遭遇旱灾。", MAY_2024, [("前年", "2022", "relative", False)]),
    ("今年，全县将新建学校三所。", MAY_2024, [("今年", "2024", "relative", False)]),
    # runs of years before now
    ("近五年，全县GDP年均增长6%。", MAY_2024, [("近五年", "2020/2024", "years", False)]),
    ("过去五年，全县累计脱贫一万人。", MAY_2024, [("过去五年", "2019/2023", "years", False)]),
    ("三年来，全县新增企业五百家。", MAY_2024, [("三年来", "2022/2024", "years", False)]),
    ("“十四五”期间，全县计划投资千亿元。", MAY_2024, [("“十四五”期间", "2021/2025", "years", False)]),
    # targets: the year due
    ("到2027年，光伏产业产值达到600亿元。", MAY_2024, [("到2027年", "2027", "target_year", False)]),
    ("到2023年底，累计建成基站300座。", MAY_2024, [("到2023年底", "2023", "year", False)]),  # a stock, past
    ("2024年计划投资20亿元。", MAY_2024, [("2024年", "2024", "target_year", False)]),
    ("今年力争地区生产总值增长6%。", MAY_2024, [("今年", "2024", "target_year", False)]),
    ("今年，力争新增就业三千人。", MAY_2024, [("今年", "2024", "target_year", False)]),
    ("2025年前建成智能化煤矿十座。", MAY_2024, [("2025年前", "2025", "target_year", False)]),
    ("力争2026年装机规模突破百万千瓦。", MAY_2024, [("2026年", "2026", "target_year", False)]),
    ("2028年新能源装机占比达到一半。", MAY_2024, [("2028年", "2028", "target_year", False)]),
    ("“十四五”末，森林覆盖率达到30%。", MAY_2024, [("“十四五”末", "2025", "target_year", False)]),
    ("年底前完成全部改造任务。", MAY_2024, [("年底前", "2024", "target_year", False)]),
    ("确保8月底前全部竣工。", MAY_2024, [("8月底前", "2024-08", "month", False)]),
    # relative words without a reference date stay unresolved
    ("今年一季度，全县税收增长4%。", None, [("今年一季度", None, "quarter", False)]),
    ("2023年上半年，全县社零额增长4%。", None, [("2023年上半年", "2023-H1", "half", False)]),
    # holidays on fixed dates, named as a time
    ("这个“五一”假期，全县重点项目建设不停工。", MAY_2024, [("“五一”假期", "2024-05", "month", False)]),
    ("国庆期间，全县接待游客12万人次。", MAY_2024, [("国庆期间", "2024-10", "month", False)]),
    ("“十一五”期间的规划已经完成。", MAY_2024, [("“十一五”期间", "2006/2010", "years", False)]),  # not October
]

# Words that look like periods and are not.
CASES_NOT_PERIODS = [
    "一月一次的例会照常举行。",
    "如今年轻人返乡创业的多了。",
    "目前年产能达到五万吨。",
    "每季度开展一次检查。",
    "提前三个月完成任务。",
    "12023年不是一个年份。",
    "第13月不存在。",
    "他说明年度计划已经下达。",
]

# Cases for bugs found while writing these tests.
CASES_BUGS_CAUGHT: list[tuple[str, date | int | None, list[tuple[str, str | None, str, bool]]]] = [
    # 年底前 after a year was read as a stock at the year end, not a deadline
    ("今年年底前全部完工。", MAY_2024, [("今年年底前", "2024", "target_year", False)]),
    ("2024年年底前完成改造。", MAY_2024, [("2024年年底前", "2024", "target_year", False)]),
    # a pair of quarters or months joined by 、 (or nothing) lost its first half
    ("二、三季度旅游收入回升。", MAY_2024, [("二、三季度", "2024-04/2024-09", "months", False)]),
    ("二三季度旅游收入回升。", MAY_2024, [("二三季度", "2024-04/2024-09", "months", False)]),
    ("1、2月份，全县税收增长4%。", MAY_2024, [("1、2月份", "2024-01/2024-02", "months", False)]),
    # …but two quarters or months apart are no run
    ("一、三季度客流较多。", MAY_2024, [("三季度", "2024-Q3", "quarter", False)]),
    # 每年5月 recurs: it is no period
    ("每年5月举办农民丰收节。", MAY_2024, []),
    ("每月15日发放补贴。", MAY_2024, []),
]


def _rows(text: str, ref: date | int | None) -> list[tuple[str, str | None, str, bool]]:
    return [(m.text, m.period, m.kind, m.comparison) for m in find_periods(text, ref)]


@pytest.mark.parametrize(("text", "ref", "expected"), CASES_CORE + CASES_BUGS_CAUGHT,
                         ids=[c[0][:14] for c in CASES_CORE + CASES_BUGS_CAUGHT])
def test_find_periods(text, ref, expected):
    assert _rows(text, ref) == expected


@pytest.mark.parametrize("text", CASES_NOT_PERIODS)
def test_not_periods(text):
    assert _rows(text, MAY_2024) == []


def test_offsets_slice_the_text():
    text = "2023年，全县GDP增长5%；今年一季度，增长6%，比上年同期高1个百分点。"
    for m in find_periods(text, MAY_2024):
        assert text[m.start:m.end] == m.text


# --- context: the year carried from before, and the publication month ---------------------------------

CASES_CONTEXT = [
    # a sub-year period takes the year of the plain mention before it in the same paragraph
    ("2023年，全县GDP增长5%；上半年，增长4%。", MAY_2024, "上半年", "2023-H1"),
    # but not across a paragraph break
    ("2023年，全县GDP增长5%。\n上半年，增长4%。", MAY_2024, "上半年", "2024-H1"),
    # a comparison base is not carried
    ("比2022年增长5%，上半年增长4%。", MAY_2024, "上半年", "2024-H1"),
    # a January report's 前三季度 are last year's
    ("前三季度，全县财政收入增长5%。", JAN_2025, "前三季度", "2024-01/2024-09"),
    # 1—10月 in a December report are this year's
    ("1至10月，全县新增就业3100人。", DEC_2024, "1至10月", "2024-01/2024-10"),
    # a plan for a month ahead stays in the publication year
    ("今年力争10月底前完成。", MAY_2024, "10月底前", "2024-10"),
]


@pytest.mark.parametrize(("text", "ref", "mention", "period"), CASES_CONTEXT, ids=[c[0][:16] for c in CASES_CONTEXT])
def test_context(text, ref, mention, period):
    found = {m.text: m.period for m in find_periods(text, ref)}
    assert found[mention] == period


# --- sentence_period and period_before ---------------------------------------------------------------

CASES_SENTENCE = [
    ("2023年，全县GDP比上年增长5%。", MAY_2024, None, "2023"),
    ("比上年增长5%。", MAY_2024, "2023", "2023"),  # only a comparison: the default
    ("全县GDP增长5%。", MAY_2024, "2022", "2022"),  # nothing: the default
    ("全县GDP增长5%。", MAY_2024, None, None),
    ("今年一季度，全县税收增长4%。", None, "2024", "2024"),  # unresolved: the default
    ("较去年同期，一季度税收增长4%。", MAY_2024, None, "2024-Q1"),
    ("到2027年，产值达到600亿元。", MAY_2024, None, "2027"),
]


@pytest.mark.parametrize(("text", "ref", "default", "expected"), CASES_SENTENCE)
def test_sentence_period(text, ref, default, expected):
    assert sentence_period(text, ref, default) == expected


def test_period_before():
    text = "2023年，全县GDP增长5%，比上年高1个百分点；上半年，社零额增长3%。"
    assert period_before(text, text.index("5%"), MAY_2024) == "2023"
    assert period_before(text, text.index("1个"), MAY_2024) == "2023"  # 上年 is a comparison
    assert period_before(text, text.index("3%"), MAY_2024) == "2023-H1"
    assert period_before(text, 0, MAY_2024) is None


def test_ref_as_year_leaves_months_open():
    assert _rows("今年以来，新增企业五十家。", 2024) == [("今年以来", "2024", "since", False)]
    assert _rows("上半年增长6%。", 2024) == [("上半年", "2024-H1", "half", False)]


def test_bad_arguments():
    with pytest.raises(ZhibiaoError):
        find_periods(b"2023")  # type: ignore[arg-type]
    with pytest.raises(ZhibiaoError):
        find_periods("2023年", "2024-05-07")  # type: ignore[arg-type]


@pytest.mark.parametrize(("s", "value"), [("2024", 2024), ("二〇二四", 2024), ("十", 10), ("二十六", 26),
                                          ("十二", 12), ("两", 2), ("两两", None), ("〇十", None), ("", None)])
def test_cn_int(s, value):
    assert cn_int(s) == value


# --- scan: what published reads ------------------------------------------------------------------------


def test_scan_reads_without_a_reference():
    text = "2023年，全县GDP达到300亿元，比上年增长5%；上半年，社零额增长3%。今年1至10月，新增就业三千人。到2027年，产值翻番。"
    rows = [(r.text, r.kind, r.year, r.rel, r.stated, r.months, r.target, r.comparison) for r in scan(text)]
    assert rows == [
        ("2023年", "year", 2023, None, True, (1, 12), False, False),
        ("上年", "year", None, -1, True, (1, 12), False, True),
        ("上半年", "half", 2023, None, False, (1, 6), False, False),
        ("今年1至10月", "months", None, 0, True, (1, 10), False, False),
        ("到2027年", "year", 2027, None, True, (1, 12), True, False),
    ]


# --- the grammar's prefilter: a rule runs only in a window holding the words it needs -------------------

# written for the prefilter: one phrase of our own for each rule (and for each alternative of a need),
# with what the rule reads in it
CASES_RULE_NEEDS = [
    ("plan", "“十四五”期间累计完成投资", "“十四五”期间"),
    ("year_span", "2019—2023年均增长", "2019—2023年"),
    ("month_span", "2023年11月至2024年2月供暖", "2023年11月至2024年2月"),
    ("iso_day", "发布于2024-03-08", "2024-03-08"),
    ("day", "5月20日开工", "5月20日"),
    ("day", "5月20号开工", "5月20号"),
    ("months", "1至4月累计", "1至4月"),
    ("months", "7、8月份降雨偏多", "7、8月份"),
    ("first_n", "前两个月", "前两个月"),
    ("first_n", "前三季度", "前三季度"),
    ("quarters", "二、三季度", "二、三季度"),
    ("half", "下半年", "下半年"),
    ("quarter", "第四季度", "第四季度"),
    ("month", "9月份", "9月份"),
    ("holiday", "国庆假期客流", "国庆假期"),
    ("year", "2022年", "2022年"),
    ("relative", "去年", "去年"),
    ("year_end", "年末", "年末"),
    ("since_start", "开年以来", "开年以来"),
    ("look_back", "过去五年", "过去五年"),
    ("look_back", "近3年", "近3年"),
    ("years_since", "十年来", "十年来"),
]


def _rule(name: str) -> periods._Rule:
    return next(r for r in periods._grammar() if r.name == name)


def test_every_rule_has_a_case() -> None:
    assert {name for name, _, _ in CASES_RULE_NEEDS} == {r.name for r in periods._grammar()}


@pytest.mark.parametrize(("name", "text", "expected"), CASES_RULE_NEEDS)
def test_a_rule_reads_only_what_holds_the_words_it_needs(name: str, text: str, expected: str) -> None:
    rule = _rule(name)
    matches = [m.group() for m in rule.rx.finditer(text)]
    assert expected in matches
    for found in matches:
        assert all(any(w in found for w in group) for group in rule.needs), (found, rule.needs)
    periods._select.cache_clear()
    assert periods._select.__wrapped__(text)  # and the prefilter lets the rule run there


@pytest.mark.parametrize("path", sorted(Path(__file__).resolve().parent.parent.glob("examples/*")), ids=lambda p: p.name)
def test_the_prefilter_reads_what_every_rule_run_everywhere_reads(path: Path, monkeypatch) -> None:
    # written for the prefilter: the project's own example reports, read with and without it
    text = read_path(path).text
    filtered = periods._select.__wrapped__(text)
    monkeypatch.setattr(periods, "_present", lambda text, lo, hi: -1)  # every word everywhere: no rule skipped
    assert periods._select.__wrapped__(text) == filtered
    assert len(filtered) > 10
