"""Tests for zhibiao.published: printed, inferred and unknown publication dates, on texts written for them."""

from __future__ import annotations

from datetime import date

import pytest

from zhibiao import clean, layout, periods
from zhibiao.errors import ZhibiaoError
from zhibiao.model import Document
from zhibiao.pipeline import extract
from zhibiao.published import apply, detect, find_published

# (text, date, how)
CASES_PRINTED = [
    # a masthead: the date with the weekday, near the top
    ("# 青禾日报\n\n2023年3月2日 星期四 第1024期\n\n本报讯 全县春耕备耕有序推进。", date(2023, 3, 2)),
    ("青禾日报 2023年3月2日\n\n全县春耕备耕有序推进，2022年粮食产量增长3%。", date(2023, 3, 2)),
    ("2024年5月7日 星期二\n农历甲辰年三月廿九\n\n青禾县召开大会。", date(2024, 5, 7)),
    # a line that is only the date
    ("青禾县人民政府\n2024年1月15日\n\n政府工作报告全文。", date(2024, 1, 15)),
    ("二〇二四年一月十五日\n\n青禾县人民政府工作报告。", date(2024, 1, 15)),
    # web pages: a label, or a source line with a clock time
    ("关于全县经济运行情况的通报\n发布时间：2024-05-07\n一季度，全县GDP增长5%。", date(2024, 5, 7)),
    ("一季度经济运行平稳\n来源：青禾县统计局 2024-04-20 10:31 浏览次数：88\n正文", date(2024, 4, 20)),
    ("发布日期: 2023/12/28\n全年新增就业三千人。", date(2023, 12, 28)),
    # the title line of a speech
    ("政府工作报告\n——2024年1月15日在青禾县第十八届人民代表大会第三次会议上\n各位代表：", date(2024, 1, 15)),
    # a dateline
    ("本报讯（记者 王小明）2024年3月18日，青禾县举行项目集中开工仪式。", date(2024, 3, 18)),
    ("新华社北京2024年3月18日电 国家统计局今天发布数据。", date(2024, 3, 18)),
]

# (text, date, precision)
CASES_INFERRED = [
    # past full-year results: the next year
    ("2023年，全县地区生产总值达到286.5亿元，增长5.2%。2024年，全县将加快转型。", date(2024, 1, 1), "year"),
    ("2023年全县粮食产量12.6万吨，比上年增长2%。", date(2024, 1, 1), "year"),
    ("全县2023年地区生产总值达到286.5亿元。", date(2024, 1, 1), "year"),
    # 今年 with a month and day, in a text whose results end last year
    ("2023年，全县GDP达到300亿元。今年10月8日，记者来到项目现场。今年1至9月，新增就业二千人。",
     date(2024, 10, 8), "day"),
    # 今年1至10月 results: November at the earliest
    ("2023年，全县GDP达到300亿元。今年1至10月，新增就业2100人。", date(2024, 11, 1), "month"),
    # a past event in a year and undated days of the publication year
    ("活动于2019年首次启动。7月12日，青禾县召开推进会。上半年，全县税收增长6%。", date(2019, 7, 12), "day"),
    ("2022年青禾县组织了首批科技项目申报。\n8月3日，县委书记带队调研。\n5月20日，春播结束。",
     date(2022, 8, 3), "day"),
    # a headline plan for the year after the last past event
    ("2023年青禾县举办了首届农民运动会。2024年，全县将新建学校三所。", date(2024, 1, 1), "year"),
    ("2024年是实施规划的关键一年。2023年青禾县举办了首届运动会。", date(2024, 1, 1), "year"),
    # one plan year opening two sentences: the first of them is the evidence (found by fuzzing: a tie)
    ("2030年，全县将力争增长5%。2030年，全县将力争增长6%。", date(2030, 1, 1), "year"),
    # undated days across a year end: December is last year's
    ("2024年，全县GDP达到300亿元。\n12月28日，新区开工。\n1月5日，县委召开会议。", date(2025, 1, 5), "day"),
    # a report delivered to its session reviews whole years: a year it tells as past has ended
    ("各位代表：\n2023年，全县上下攻坚克难，圆满完成了全年目标任务。", date(2024, 1, 1), "year"),
    ("现在，我代表县人民政府向大会报告工作。2023年青禾县举办了首届农民运动会。", date(2024, 1, 1), "year"),
    # the same year in a news story: an event of that year, so no later than it
    ("2023年，全县上下攻坚克难，圆满完成了全年目标任务。", date(2023, 1, 1), "year"),
    # a date inside a sentence about events, when nothing better: inferred, not printed
    ("大会于2023年8月19日在青禾县召开。", date(2023, 8, 19), "day"),
]

CASES_UNKNOWN = [
    "全县经济运行稳中向好。",
    "今年以来，全县新增市场主体五百户。上半年，税收增长6%。",  # relative words alone give no year
    "到2027年，光伏产业产值达到600亿元；力争2025年装机突破百万千瓦。",  # targets are not past
    "",
]


@pytest.mark.parametrize(("text", "when"), CASES_PRINTED, ids=[c[0][:12] for c in CASES_PRINTED])
def test_printed(text, when):
    assert find_published(text) == (when, "printed")
    found = detect(text)
    assert found.precision == "day" and text[found.start:found.end].strip()


@pytest.mark.parametrize(("text", "when", "precision"), CASES_INFERRED, ids=[c[0][:12] for c in CASES_INFERRED])
def test_inferred(text, when, precision):
    assert find_published(text) == (when, "inferred")
    assert detect(text).precision == precision


@pytest.mark.parametrize("text", CASES_UNKNOWN)
def test_unknown(text):
    assert find_published(text) == (None, "unknown")
    assert detect(text).precision is None


def test_masthead_beats_body_dates():
    text = ("青禾日报\n2024年5月7日 星期二\n\n"
            "本报讯 2024年5月6日，县长主持召开会议。会议于2024年4月30日部署工作。")
    assert find_published(text) == (date(2024, 5, 7), "printed")


def test_top_date_beats_a_later_printed_one():
    text = "发布时间：2024-05-07\n正文\n\n更新时间：2024-06-01\n"
    assert find_published(text) == (date(2024, 5, 7), "printed")


def test_event_date_is_not_printed_when_a_dateline_exists():
    text = "本报讯（记者 李华）2024年3月18日，全县召开大会。大会部署了2024年3月25日的开工活动。"
    assert find_published(text) == (date(2024, 3, 18), "printed")


def test_future_dates_are_no_evidence():
    text = "2023年，全县GDP达到300亿元。项目将于2025年6月建成投产，计划9月30日前完成验收。"
    assert find_published(text) == (date(2024, 1, 1), "inferred")


def test_invalid_dates_are_skipped():
    assert find_published("2023年2月30日 星期四\n正文") == (None, "unknown")


def test_bad_argument():
    with pytest.raises(ZhibiaoError):
        find_published(b"2024-05-07")  # type: ignore[arg-type]


# --- apply: the text against a user's hint --------------------------------------------------------------

PRINTED_TEXT = "青禾日报\n2024年5月7日 星期二\n\n正文。"
INFERRED_TEXT = "2023年，全县地区生产总值达到286.5亿元，增长5.2%。"


def test_apply_sets_what_the_text_says():
    doc = apply(Document(name="a.txt", text=PRINTED_TEXT))
    assert (doc.published, doc.published_how) == (date(2024, 5, 7), "printed")
    doc = apply(Document(name="b.txt", text=INFERRED_TEXT))
    assert (doc.published, doc.published_how) == (date(2024, 1, 1), "inferred")
    doc = apply(Document(name="c.txt", text="全县经济稳中向好。"))
    assert (doc.published, doc.published_how) == (None, "unknown")


def test_apply_printed_beats_given():
    doc = Document(name="a.txt", text=PRINTED_TEXT, published=date(2024, 6, 1), published_how="given")
    doc = apply(doc)
    assert (doc.published, doc.published_how) == (date(2024, 5, 7), "printed")


def test_apply_given_beats_inferred_and_unknown():
    for text in (INFERRED_TEXT, "全县经济稳中向好。"):
        doc = Document(name="a.txt", text=text, published=date(2024, 3, 5), published_how="given")
        out = apply(doc)
        assert out is doc
        assert (doc.published, doc.published_how) == (date(2024, 3, 5), "given")


# --- the pipeline's way: the date inferred from the cleaned text, whose time words are read once --------

# (raw text, date, precision, the raw text of the evidence); written for these tests
CASES_CLEANED = [
    # full-width digits: cleaning makes them ASCII, the evidence is still the raw characters
    ("２０２３年，全县地区生产总值达到２８６.５亿元，增长５.２％。", date(2024, 1, 1), "year", "２０２３年"),
    # a line break cutting the sentence before its figure: the cleaned text joins it, so the figure is
    # read as the year's result (the raw line alone holds no figure and reads as a past event)
    ("2023年，全县地区生产总值达到\n286.5亿元，增长5.2%。\n", date(2024, 1, 1), "year", "2023年"),
    # a printed date is read on the raw lines, whatever cleaning joins
    ("青禾日报\n2024年5月7日 星期二\n\n2023年，全县粮食产量12.6万吨。", date(2024, 5, 7), "day", "2024年5月7日"),
]


@pytest.mark.parametrize(("text", "when", "precision", "evidence"), CASES_CLEANED,
                         ids=[c[0][:12] for c in CASES_CLEANED])
def test_inferred_from_the_cleaned_text(text, when, precision, evidence):
    cleaned = clean.normalize(text, page=layout.analyze(text))
    found = detect(text, cleaned)
    assert (found.date, found.precision, text[found.start:found.end]) == (when, precision, evidence)
    doc = apply(Document(name="a.txt", text=text), cleaned)
    assert doc.published == when


@pytest.mark.parametrize("text", [c[0] for c in CASES_PRINTED + CASES_INFERRED] + CASES_UNKNOWN)
def test_the_cleaned_text_gives_the_same_date_where_cleaning_changes_nothing_that_matters(text):
    cleaned = clean.normalize(text, page=layout.analyze(text))
    a, b = detect(text), detect(text, cleaned)
    assert (a.date, a.how, a.precision) == (b.date, b.how, b.precision)


def test_the_pipeline_scans_time_words_once():
    # the date's inference and the document model read the same cleaned text; the raw text, which
    # cleaning changes here (a line break joined), is never read by the grammar
    text = "全县经济运行报告\n\n2023年，全县地区生产总值达到\n286.5亿元，增长5.2%。今年上半年，税收增长6%。\n"
    cleaned = clean.normalize(text, page=layout.analyze(text)).text
    assert cleaned != text
    periods._select.cache_clear()
    extract(text)

    def read_before(s: str) -> bool:
        hits = periods._select.cache_info().hits
        periods._select(s)
        return periods._select.cache_info().hits > hits

    assert (read_before(cleaned), read_before(text)) == (True, False)
