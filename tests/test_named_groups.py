"""Named groups and classes: N大 + noun is a count only with its N names beside it (zhibiao/named_groups.py),
and a count of kinds (三大类, 五类) is named by the thing classified and 类别 (indicators' `classes`).

Every sentence is written for these tests, about the fictional 青禾县 and 岚州市; none comes from the corpus.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibiao import named_groups
from zhibiao.pipeline import extract
from zhibiao.quantities import find_quantities

# (where it comes from, sentence, the N大 expected as a count with its value, or None: no count)
GROUPS = [
    # the names before N大, joined by 和/、/与/及
    ("written for: two names joined by 和", "岚州市统筹乡村振兴和城市更新两大任务，稳步推进。", ("两大", 2)),
    ("written for: three names joined by 、 and 和", "青禾县重点培育茶叶、竹木和康养三大产业。", ("三大", 3)),
    ("written for: four names joined by 、 only", "全市布局东城、西城、南城、北城四大片区。", ("四大", 4)),
    ("written for: names joined by 与", "青禾县做强文旅与物流两大板块。", ("两大", 2)),
    ("written for: names joined by 及", "岚州市建设光伏、风电及储能三大基地。", ("三大", 3)),
    ("written for: 等 after the last of all the names", "全县打造茶叶、竹木、康养等三大品牌。", ("三大", 3)),
    ("written for: quoted names", "青禾县擦亮“青禾茶”、“岚山竹”两大招牌。", ("两大", 2)),
    ("written for: an Arabic N", "岚州市形成装备、材料、能源、食品、医药5大集群。", ("5大", 5)),
    # the names after the noun, after a colon or in brackets
    ("written for: names after a colon", "青禾县聚焦三大工程：水利、交通、电网。", ("三大", 3)),
    ("written for: names in brackets", "岚州市划定两大功能区（生态区、产业区）。", ("两大", 2)),
    # not a count
    ("written for: no names beside it (a slogan)", "青禾县全力打造三大基地，加快转型发展。", None),
    ("written for: fewer names than N", "岚州市推进茶叶和竹木三大产业发展。", None),
    ("written for: more names than N", "青禾县发展茶叶、竹木和康养两大产业。", None),
    ("written for: names in another clause", "青禾县有茶叶、竹木和康养，打造三大产业。", None),
    ("written for: a title with 大 (二十大)", "全县干部学习二十大精神。", None),
    ("written for: an ordinal (第二大)", "岚州市是全省第二大城市。", None),
    ("written for: a quoted short name", "青禾县推进“两大工程”建设。", None),
    ("written for: names after a colon, fewer than N", "岚州市聚焦三大工程：水利、交通。", None),
]


@pytest.mark.parametrize(("sentence", "expected"), [c[1:] for c in GROUPS], ids=[c[0] for c in GROUPS])
def test_a_named_group_is_a_count_only_with_its_names(sentence, expected):
    groups = [q for q in find_quantities(sentence) if named_groups.is_group(q)]
    if expected is None:
        assert groups == []
        return
    text, value = expected
    assert [(q.text, q.value, q.unit, q.qualifier) for q in groups] == [(text, Decimal(value), "count", "exact")]
    start = sentence.index(text)
    assert (groups[0].span.start, groups[0].span.end) == (start, start + len(text))


def test_a_named_group_does_not_take_the_place_of_a_count_of_classes():
    # written for: 三大类 is a count of its own (unit 大类), never read twice
    found = find_quantities("青禾县茶叶、竹木和康养三大类产品远销省外。")
    assert [(q.text, q.unit_text) for q in found] == [("三大类", "大类")]


# (where it comes from, text, figure, expected (indicator, value, period))
NAMED = [
    ("written for: the group is named by its noun", "2023年，青禾县重点培育茶叶、竹木和康养三大产业。", "三大",
     ("产业", 3, "2023")),
    ("written for: a group is dated by its own sentence only, not by the paragraph before",
     "2023年，全县茶叶产量增长5%。\n\n青禾县倾力打造茶叶和竹木两大产业集群，建设绿色家园。", "两大",
     ("产业集群", 2, None)),
]


@pytest.mark.parametrize(("text", "figure", "expected"), [c[1:] for c in NAMED], ids=[c[0] for c in NAMED])
def test_a_named_group_counts_its_noun(text, figure, expected):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="青禾县")}
    f = facts[figure]
    assert (f.indicator, f.value, f.period) == expected
    assert f.unit == "count"


# (where it comes from, text, figure, expected indicator)
CLASSES = [
    ("written for: the noun right after the kinds", "青禾县茶企产品涵盖6大类茶叶，远销省外。", "6大类", "茶叶类别"),
    ("written for: the subject of 涵盖 before the kinds", "全县主要产品涵盖五大类300多个品种。", "五大类", "产品类别"),
    ("written for: the subject of 包括 before the kinds", "全市出口商品包括四类，总额增长。", "四类", "出口商品类别"),
    ("written for: what the next figure counts", "岚州市加快推进两大类15项交通工程。", "两大类", "交通工程类别"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), [c[1:] for c in CLASSES], ids=[c[0] for c in CLASSES])
def test_a_count_of_kinds_is_named_by_the_thing_classified(text, figure, indicator):
    facts = {f.text: f for f in extract(text, published=date(2024, 2, 1), region="青禾县")}
    assert facts[figure].indicator == indicator


_PIECES = st.sampled_from(["两大", "三大", "四大", "十大", "产业", "基地", "、", "和", "与", "及", "等", "：", "（",
                           "）", "，", "。", "茶叶", "竹木", "第", "二十", "“", "”", "类", "5", "12", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_named_groups_never_crash_and_stay_inside_the_text(pieces):
    text = "".join(pieces)
    for g in named_groups.find(text):
        assert 0 <= g.start < g.end <= len(text)
        assert text[g.start:g.end] == g.number + "大"
        assert 2 <= g.value <= 20
    for q in find_quantities(text):
        assert text[q.span.start:q.span.end] == q.text


_SENTENCE_PIECES = st.sampled_from(["2023年，", "青禾县", "重点培育", "茶叶", "竹木", "、", "和", "三大", "两大", "产业",
                                    "集群", "：", "涵盖", "主要产品", "五大类", "12项", "工程", "增长5%", "，", "。"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_SENTENCE_PIECES, max_size=16))
def test_the_fact_stage_reads_groups_and_classes_without_crashing(pieces):
    # written for: the strategies classes and named_group on report-like text; every fact stands on its text
    text = "".join(pieces)
    for f in extract(text, published=date(2024, 2, 1), region="青禾县"):
        assert text[f.span.start:f.span.end] == f.text
