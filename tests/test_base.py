"""The base a rate, a change or a difference is compared with (issue 18): read by the measure stage, given in a
fact's period's spelling (measures.fact_base), one row of the panel per base. Sentences written for these tests;
the places are real or invented (溪川县), every figure invented."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibiao.measures import COMPARED, fact_base
from zhibiao.pipeline import extract

# (sentence, published, region hint, figure, base): written for the base of a fact
CASES = [
    ("2023年，全区规模以上工业增加值比上年增长6.2%。", date(2024, 2, 1), "平鲁区", "6.2%", "previous-year"),
    ("2023年，全区粮食产量23.5万吨，同比增长3.1%。", date(2024, 2, 1), "平鲁区", "3.1%", "previous-year"),
    ("2023年，全区粮食产量23.5万吨，同比增长3.1%。", date(2024, 2, 1), "平鲁区", "23.5万吨", ""),  # a level
    ("上半年，全市社会消费品零售总额同比增长4.4%。", date(2023, 7, 20), "朔州市", "4.4%", "same-period-last-year"),
    ("1—6月，全县税收收入较上年同期下降2.6%。", date(2023, 7, 20), "应县", "2.6%", "same-period-last-year"),
    ("2023年，全区城镇居民人均可支配收入比2020年增长18.5%。", date(2024, 2, 1), "平鲁区", "18.5%", "2020"),
    ("2023年，全县地区生产总值比2022年增长4.8%。", date(2024, 2, 1), "应县", "4.8%", "previous-year"),
    ("溪川县工业增加值比2019年同期增长9.6%。", date(2021, 7, 20), "溪川县", "9.6%", "2019"),
    # a clause of its own names the base of the figures after it
    ("与上年相比，全县一般公共预算收入增长7.3%，税收收入增长5.5%。", date(2024, 2, 1), "应县", "5.5%", "previous-year"),
    ("2023年，全县城镇化率比上年提高0.9个百分点。", date(2024, 2, 1), "应县", "0.9个百分点", "previous-year"),
    # a stock at the year's end against the year's start: against the end of the year before
    ("2023年末，全县各项存款余额比年初增加12.6亿元。", date(2024, 2, 1), "应县", "12.6亿元", "previous-year"),
    ("截至5月末，全市贷款余额较年初增长4.2%。", date(2024, 6, 15), "大同市", "4.2%", "start-of-year"),
    ("5月份，全市工业用电量环比增长2.2%。", date(2024, 6, 15), "大同市", "2.2%", "previous-period"),
    ("全年地区生产总值120.5亿元，增长5.0%。", date(2024, 2, 1), "应县", "5.0%", ""),  # not stated
    ("城乡居民人均可支配收入分别比上年增长5.1%、6.3%。", date(2024, 2, 1), "应县", "6.3%", "previous-year"),
    ("全县粮食产量比上年增加到25.1万吨。", date(2024, 2, 1), "应县", "25.1万吨", ""),  # 增加到: a level
    ("增速比全市高0.4个百分点。", date(2024, 2, 1), "应县", "0.4个百分点", ""),  # a region compared, no time
]


@pytest.mark.parametrize(("text", "published", "region", "figure", "base"), CASES,
                         ids=[f"{c[3]}-{c[4] or 'none'}" for c in CASES])
def test_the_base_a_figure_is_compared_with(text: str, published: date, region: str, figure: str, base: str) -> None:
    facts = [f for f in extract(text, published=published, region=region) if f.text == figure]
    assert facts, figure
    assert facts[0].base == base


# (base stated, measure, period, the fact's base): written for fact_base
SPELLINGS = [
    ("", "growth", "2023", ""),
    ("previous-year", "level", "2023", ""),  # a level is compared with nothing
    ("previous-year", "share", "2023", ""),
    ("same-period-last-year", "growth", "2023", "previous-year"),  # 同比 of a whole year
    ("same-period-last-year", "growth", "2023-H1", "same-period-last-year"),
    ("2022", "growth", "2023", "previous-year"),
    ("2022", "growth", "2023-01/2023-09", "same-period-last-year"),
    ("2020", "growth", "2023", "2020"),
    ("2020", "target", "2021/2025", "2020"),
    ("start-of-year", "change", "2023", "previous-year"),
    ("start-of-year", "change", "2023-05", "start-of-year"),
    ("previous-year", "pp_diff", None, "previous-year"),
]


@pytest.mark.parametrize(("stated", "measure", "period", "expected"), SPELLINGS)
def test_a_base_in_the_spelling_of_the_facts_period(stated: str, measure: str, period: str | None,
                                                    expected: str) -> None:
    assert fact_base(stated, measure, period) == expected


_BASES = {"previous-year", "same-period-last-year", "previous-month", "previous-period", "start-of-year", ""}
_PIECES = ["比", "较", "与", "相比", "，", "同比", "环比", "上年", "去年", "同期", "年初", "2020年", "2023年", "增长",
           "下降", "提高", "5.1%", "3个百分点", "12亿元", "全县", "。", "末"]


@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_any_text_gives_a_base_of_the_vocabulary_and_none_to_a_level(pieces: list[str]) -> None:
    text = "".join(pieces)
    for f in extract(text, published=date(2024, 2, 1), region="应县"):
        assert text[f.start:f.end] == f.text
        assert f.base in _BASES or (f.base.isdigit() and len(f.base) == 4)
        assert not f.base or f.measure in COMPARED
