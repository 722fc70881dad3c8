"""The document model (zhibiao.docmodel) and the sentence marks (zhibiao.sentences), on texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhibiao import clean, layout
from zhibiao.catalogue import catalogue
from zhibiao.docmodel import analyze
from zhibiao.model import Document
from zhibiao.sentences import CLAUSE_END, SENTENCE_END, Marks, stripped

# (text, marks, position, floor, where the unit holding it starts, where it ends)
MARKS = [
    ("全县粮食产量4.1亿斤，增长2.5%。", CLAUSE_END, 14, 0, 12, 19),  # the clause after the comma, its stop in it
    ("全县粮食产量4.1亿斤，增长2.5%。", SENTENCE_END, 14, 0, 0, 19),  # the whole sentence
    ("全县粮食产量4.1亿斤，增长2.5%。", CLAUSE_END, 14, 13, 13, 19),  # not before the floor
    ("甲。乙，丙", CLAUSE_END, 4, 0, 4, 5),  # no mark after: the text's end
    ("", SENTENCE_END, 0, 0, 0, 0),
]


@pytest.mark.parametrize(("text", "marks", "pos", "floor", "start", "end"), MARKS)
def test_marks_find_the_unit_around_a_position(text, marks, pos, floor, start, end):
    m = Marks(text, marks)
    assert (m.start(pos, floor), m.end(pos)) == (start, end)


def test_stripped_bounds_are_those_of_str_strip():
    for text in ("  甲乙 ", "甲", "   ", ""):
        lo, hi = stripped(text, 0, len(text))
        assert text[lo:hi] == text.strip()


PAGE = "岚州日报\n\n全县粮食产量达到\n4.1亿斤，比上年增长2.5%。目前，全县已建成冷库12座。\n"


def test_the_model_reads_layout_once_and_cleans_by_it():
    doc = Document("p.txt", PAGE, published=date(2024, 3, 1))
    model = analyze(doc)
    assert list(model.page.joined) == layout.joined_gaps(PAGE)  # the line breaks clean drops are layout's
    assert model.text == clean.normalize(PAGE).text
    assert [q.text for q in model.quantities] == ["4.1亿斤", "2.5%", "12座"]
    # sentences in raw offsets, for the store and the web page
    assert [PAGE[s.raw.start:s.raw.end] for s in model.sentences] == \
        ["岚州日报", "全县粮食产量达到\n4.1亿斤，比上年增长2.5%。", "目前，全县已建成冷库12座。"]


_PIECES = ["全县", "规模以上工业增加值", "工业增加值", "增加值", "地区生产总值", "税收收入", "，", "。", "增长", "5%",
           "2023年", "产值", "\n"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), st.data())
def test_the_names_of_a_range_are_those_the_range_holds_alone(text, data):
    # one scan of the document, sliced, gives what reading the range alone gives
    model = analyze(Document("t.txt", text))
    n = len(model.text)
    lo = data.draw(st.integers(0, n))
    hi = data.draw(st.integers(lo, n))
    got = [(m.start - lo, m.end - lo, m.indicator.name) for m in model.indicators_in(lo, hi)]
    alone = [(m.start, m.end, m.indicator.name) for m in catalogue().find(model.text[lo:hi])]
    assert got == alone
