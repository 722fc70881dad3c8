"""A whole and its groups of projects in the checks (issue 18): the group a figure is stated for (其中：续建项目…) is part
of the agreement and target keys, so a whole meets only the whole and a group only the same group. Our own reports of
an invented county (青禾县), every sentence written for these tests."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibiao.checks import check
from zhibiao.checks import groups as G
from zhibiao.pipeline import extract

PUB = date(2024, 10, 1)

# written for the agreement key: a report of the first half and one of three quarters, each with a whole and groups
HALF = ("2024年1-6月，青禾县重点项目60个，年度计划投资80亿元，完成投资45亿元，占年度计划的56.25%；其中：续建项目35个，"
        "年度计划投资50亿元，完成投资30亿元；新建项目25个，年度计划投资30亿元，完成投资15亿元。")
NINE = ("2024年1-9月，青禾县重点项目60个，年度计划投资80亿元，完成投资66亿元；其中：续建项目35个，年度计划投资{}亿元，"
        "完成投资42亿元；新建项目25个，年度计划投资30亿元，完成投资24亿元。")
WHOLE_ONLY = "2024年，青禾县重点项目60个，年度计划投资80亿元。"

# (report a, report b, the agreement findings: (status, the texts of their figures)), all written for this check
AGREEMENT = [
    # whole vs whole and each group vs the same group agree (before: one key, 30 ≠ 50 ≠ 80 a false conflict)
    (HALF, NINE.format(50), [("ok", ["80亿元", "80亿元"]), ("ok", ["50亿元", "50亿元"]), ("ok", ["30亿元", "30亿元"])]),
    # a group compared with the same group: its own change is a conflict, the whole and the other group still agree
    (HALF, NINE.format(52), [("ok", ["80亿元", "80亿元"]), ("conflict", ["50亿元", "52亿元"]),
                             ("ok", ["30亿元", "30亿元"])]),
    # a whole stated alone meets the whole only: the groups' plans of the other report are never compared with it
    (WHOLE_ONLY, NINE.format(50), [("ok", ["80亿元", "80亿元"])]),
]


def _findings(*texts: str):
    facts = []
    for i, text in enumerate(texts):
        facts += extract(text, doc=f"r{i}.txt", published=PUB, region="青禾县")
    return check(facts)[0]


@pytest.mark.parametrize(("a", "b", "expected"), AGREEMENT)
def test_a_whole_agrees_with_the_whole_and_a_group_with_the_same_group(a: str, b: str, expected: list) -> None:
    got = [(f.status, sorted(r.text for r in f.facts)) for f in _findings(a, b)
           if f.kind == "agreement" and f.indicator == "年度计划投资"]
    assert sorted(got) == sorted((s, sorted(t)) for s, t in expected)


def test_a_groups_agreement_names_its_group() -> None:
    (f,) = [f for f in _findings(HALF, NINE.format(52)) if f.kind == "agreement" and f.status == "conflict"]
    assert "续建项目年度计划投资" in f.message_zh and "of 续建项目" in f.message_en


# (reports, the target findings: (the plan, the actual)), written for the target pairing
PLANNED = "2024年，青禾县重点项目50个，总投资300亿元；其中：续建项目30个，总投资200亿元；新建项目20个，计划总投资100亿元。"
TARGETS = [
    # a group's plan with no figure of its own group: no progress (before: the other group's 200亿元, 200%)
    ([PLANNED], []),
    # the same group's figure of a later report is its actual, not the other group's 200亿元 of the whole year
    ([PLANNED, "2024年1-9月，青禾县重点项目50个，总投资290亿元；其中：续建项目30个，总投资200亿元；新建项目20个，总投资90亿元。"],
     [("100亿元", "90亿元")]),
    # a whole's plan is still followed by the whole's figure, the parts after 其中 left aside
    (["2025年，全县社会消费品零售总额力争达到500亿元。",
      "2024年，全县社会消费品零售总额450亿元，其中：城镇消费品零售额300亿元；乡村消费品零售额150亿元。"],
     [("500亿元", "450亿元")]),
]


@pytest.mark.parametrize(("texts", "expected"), TARGETS)
def test_a_plan_is_paired_with_an_actual_of_its_own_group(texts: list[str], expected: list) -> None:
    got = [tuple(r.text for r in f.facts) for f in _findings(*texts) if f.kind == "target"]
    assert got == expected


# (sentence, the figure, its indicator, the group), written for the group reading the checks share with /targets
GROUPS = [
    (PLANNED, "200亿元", "总投资", "续建项目"),
    (PLANNED, "300亿元", "总投资", None),  # before the cue: the whole
    # an indicator the whole never states is no group's: the clause after a list of parts
    ("全县装机容量300万千瓦，其中风电装机120万千瓦；新建充电桩450个。", "450个", "充电桩", None),
    # an indicator not printed as such (完成投资 of 完成…): the words before the figure are the whole's, a group's
    ("全县重点工程60项，本年安排80亿元，完成45亿元；其中：续建工程35项，本年安排50亿元，完成30亿元。", "30亿元", "完成投资",
     "续建工程"),
    # a clause that opens with the figure's own indicator is a part the indicator names already
    ("全县地区生产总值200亿元，其中第一产业增加值30亿元。", "30亿元", "第一产业增加值", None),
]


@pytest.mark.parametrize(("sentence", "figure", "indicator", "group"), GROUPS)
def test_the_group_read_for_the_checks(sentence: str, figure: str, indicator: str, group) -> None:
    assert G.group_of(sentence, sentence.index(figure), indicator) == group


def test_a_facts_group_is_read_from_its_sentence() -> None:
    facts = extract(HALF, doc="r.txt", published=PUB, region="青禾县")
    got = {(f.text, G.fact_group(f)) for f in facts if f.indicator == "年度计划投资"}
    assert got == {("80亿元", None), ("50亿元", "续建项目"), ("30亿元", "新建项目")}


@given(st.text(max_size=80), st.integers(min_value=0, max_value=100), st.one_of(st.none(), st.text(max_size=6)))
def test_group_of_never_fails(sentence: str, at: int, indicator) -> None:
    got = G.group_of(sentence, at, indicator)
    assert got is None or (0 < len(got) <= 24)
