"""The fact stage's scan for named projects and companies, read once per sentence (DocModel.per_sentence):
each figure finds the same name as when it scanned its own window of the sentence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibiao.facts.entities import _AFTER, _BEFORE, _entity_rx, _matches, entity_at, sentence_names
from zhibiao.model import Quantity, Span


def _q(text: str, figure: str, nth: int = 0) -> Quantity:
    start = -1
    for _ in range(nth + 1):
        start = text.index(figure, start + 1)
    return Quantity(span=Span(start, start + len(figure)), text=figure, value=Decimal(1), unit="CNY")


# (sentence of our own, figure, which occurrence, expected (entity, figure in its name), what it shows)
CASES = [
    ("全县新建青禾光伏电站项目投资3.2亿元。", "3.2亿元", 0, ("青禾光伏电站", False),
     "a project named before its figure, up to its first head word (电站)"),
    ("白河3GW电池片项目开工建设。", "3GW", 0, ("白河3GW电池片项目", True), "a figure inside the project's name"),
    ("核准储能项目4个，总投资9亿元。", "9亿元", 0, (None, False), "a kind of thing counted: no one project"),
    ("总投资9.6亿元的滨河公园项目开工。", "9.6亿元", 0, ("滨河公园项目", False), "the project named right after its figure"),
    ("青禾新材料有限公司营业收入5亿元，白河物流园项目投资2亿元。", "2亿元", 0, ("白河物流园项目", False),
     "the last name before the figure"),
]


@pytest.mark.parametrize(("text", "figure", "nth", "expected", "what"), CASES)
def test_the_sentence_scan_finds_the_figure_s_name(text: str, figure: str, nth: int, expected: tuple,
                                                   what: str) -> None:
    q = _q(text, figure, nth)
    names = sentence_names(text, 0, len(text))
    assert entity_at(text, 0, len(text), q, names) == expected, what
    assert entity_at(text, 0, len(text), q) == expected, what


def test_a_sentence_longer_than_a_window_is_not_read_whole() -> None:
    text = "青禾光伏项目投资3亿元，" * 40
    assert len(text) > _BEFORE + _AFTER
    assert sentence_names(text, 0, len(text)) is None


# Pieces of names and of what stands around them: head words (one a prefix of another: 集团, 集团公司), lead
# words, group words, quotes, figures
_PIECES = ["项目", "工程", "公司", "有限公司", "集团", "集团公司", "研究院", "建设", "新建", "投资", "总投资", "的",
           "和", "、", "个", "3个", "三大类", "“", "”", "青禾", "白河", "光伏", "电站", "物流园", "GW", "3", "9.6",
           "亿元", "，", "；", "X", "-", "·"]
_FIGURE = "7.5亿元"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.lists(st.sampled_from(_PIECES), max_size=40),
       st.integers(0, 3))
def test_sentence_scan_equals_the_figure_s_own_scan(before: list[str], after: list[str], lead: int) -> None:
    head = "".join(before)
    text = "前" * lead + head + _FIGURE + "".join(after)
    s, e = lead, len(text)
    q = _q(text, _FIGURE, 0) if _FIGURE not in head else Quantity(
        span=Span(lead + len(head), lead + len(head) + len(_FIGURE)), text=_FIGURE, value=Decimal(1), unit="CNY")
    assert entity_at(text, s, e, q, sentence_names(text, s, e)) == entity_at(text, s, e, q)


# Pieces for the scan from head words: every head word (some end in another: 有限公司, 公司; 发电厂, 电厂), name
# characters of every kind, characters just outside them, and runs of name characters longer than a name
_HEADS = ["有限责任公司", "股份有限公司", "有限公司", "集团公司", "集团", "公司", "项目", "工程", "研究院", "发电厂",
          "电厂", "电站", "中心", "研究中心"]
_CHARS = list("青禾限公司团项目") + ["3", "G", "w", "×", ".", "·", "“", "”", '"', "-", "，", "。", " ", "、", "_", "/",
                                    "\u4dff", "\ua000", "\u4e00", "\u9fff"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_HEADS), st.sampled_from(_CHARS),
                          st.builds(lambda c, n: c * n, st.sampled_from(["青", "3", "有"]), st.integers(1, 45))),
                max_size=30),
       st.integers(0, 400), st.integers(0, 400))
def test_the_scan_from_head_words_finds_the_name_pattern_s_matches(pieces: list[str], a: int, b: int) -> None:
    text = "".join(pieces)
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    assert list(_matches(text, lo, hi)) == [m.span() for m in _entity_rx().finditer(text, lo, hi)]
    assert list(_matches(text, 0, len(text))) == [m.span() for m in _entity_rx().finditer(text)]
