"""clean.normalize: what it changes, what it joins, and that every position maps back to the raw text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zhibiao import clean


@pytest.mark.parametrize("raw, text", [
    ("１２３．４万人", "123.4万人"),  # full-width digits and point
    ("增长５．６％", "增长5.6%"),
    ("ＧＤＰ增长ｋｍ", "GDP增长km"),  # full-width letters
    ("＋３．５～４．０", "+3.5~4.0"),
    ("全年，增长；完成：好！是？（注）", "全年，增长；完成：好！是？（注）"),  # clause marks kept as written
    ("全县\u3000人口\u00a0万", "全县 人口 万"),  # odd spaces become plain ones
    ("364\u200b.6亿\ufeff元", "364.6亿元"),  # zero-width characters dropped
    ("", ""),
])
def test_characters(raw: str, text: str) -> None:
    assert clean.normalize(raw).text == text


@pytest.mark.parametrize("raw, text", [
    # a page break in the middle of a sentence: the halves are joined
    ("全年地区生产总值达到\n\n364.6亿元，增长5.2%。", "全年地区生产总值达到364.6亿元，增长5.2%。"),
    ("青禾县全年完成固定资产投资总额\n58.2亿元。", "青禾县全年完成固定资产投资总额58.2亿元。"),
    ("今年以来，全县新增市场主体\n\n1260户。", "今年以来，全县新增市场主体1260户。"),  # short, but opens a sentence
    # a finished sentence, a heading, a caption or a list item is not joined to what follows
    ("全年粮食总产量4.1亿斤。\n\n全年肉类总产量2.3万吨。", "全年粮食总产量4.1亿斤。\n\n全年肉类总产量2.3万吨。"),
    ("## 经济运行稳中向好\n全年地区生产总值增长6.1%。", "## 经济运行稳中向好\n全年地区生产总值增长6.1%。"),
    ("一、综合\n\n全年地区生产总值增长6.1%。", "一、综合\n\n全年地区生产总值增长6.1%。"),
    ("青禾县梨园一角。 李军 摄\n\n全县梨园面积达到3.2万亩。", "青禾县梨园一角。 李军 摄\n\n全县梨园面积达到3.2万亩。"),
    ("全县今年重点推进以下几个方面的工作\n1. 新建5G基站120个；",
     "全县今年重点推进以下几个方面的工作\n1. 新建5G基站120个；"),
])
def test_line_breaks(raw: str, text: str) -> None:
    assert clean.normalize(raw).text == text


def test_joins_off_keeps_every_break() -> None:
    raw = "全年地区生产总值达到\n\n364.6亿元。"
    assert clean.normalize(raw, joins=False).text == raw


def test_to_raw_and_to_norm() -> None:
    raw = "全年地区生产总值达到\n\n３６４．６亿元，增长5.2%。"
    norm = clean.normalize(raw)
    start = norm.text.index("364.6亿元")
    span = norm.to_raw(start, start + len("364.6亿元"))
    assert raw[span.start:span.end] == "３６４．６亿元"
    # a slice across the joined break covers the break in the raw text
    span = norm.to_raw(norm.text.index("达到"), start + 3)
    assert raw[span.start:span.end] == "达到\n\n３６４"
    assert norm.to_norm(raw.index("３６４")) == start
    empty = norm.to_raw(len(norm.text), len(norm.text))
    assert empty.start == empty.end == len(raw)


_PIECES = ["0", "5", "12", "364.6", "亿元", "%", "增长", "，", "。", "；", "：", "“", "”", "（", "）", "## ", "**", "摄",
           " 李军 摄", "本报讯", "记者 周明", "（下转第二版）", "\n", "\n\n", "\r\n", "\f", " ", "\t", "\u3000", "\u200b",
           "\ufeff", "\u00a0", "０", "１", "．", "％", "Ａ", "ｋｍ", "青禾县", "全年地区生产总值达到", "今年以来，", "1.", "一、", "|"]
_texts = st.one_of(st.text(max_size=200),
                   st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=60).map("".join))
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_DROPPABLE = set(" \t\r\n\f\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff")


@_SETTINGS
@given(_texts, st.booleans())
@example("", True)
@example("达到\n\n\u200b364", True)
def test_every_character_maps_back(raw: str, joins: bool) -> None:
    norm = clean.normalize(raw, joins=joins)
    assert len(norm.index) == len(norm.text) and norm.raw_length == len(raw)
    assert all(a < b for a, b in zip(norm.index, norm.index[1:], strict=False))  # order kept, nothing doubled
    for ch, i in zip(norm.text, norm.index, strict=True):
        assert ch == clean._char(raw[i])  # one character for one
    # what is dropped is blank: zero-width characters and the blank of a joined line break
    kept = set(norm.index)
    assert all(raw[i] in _DROPPABLE or raw[i].isspace() for i in range(len(raw)) if i not in kept)
    if not joins:
        assert "\n" not in {raw[i] for i in range(len(raw)) if i not in kept}


@_SETTINGS
@given(_texts, st.data())
def test_to_raw_maps_every_slice_back(raw: str, data: st.DataObject) -> None:
    norm = clean.normalize(raw)
    n = len(norm.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    span = norm.to_raw(start, end)
    assert 0 <= span.start <= span.end <= len(raw)
    if end > start:
        # the raw slice holds exactly the normalized characters, plus what normalize dropped
        piece = raw[span.start:span.end]
        assert "".join(clean._char(raw[i]) for i in norm.index[start:end]) == norm.text[start:end]
        assert len(piece) >= end - start
        assert norm.to_norm(span.start) == start


def test_full_width_forms_are_ascii() -> None:
    full = "".join(chr(o) for o in range(0xFF01, 0xFF5F))
    text = clean.normalize(full).text
    kept = set("，。；：！？（）")
    for raw_ch, ch in zip(full, text, strict=True):
        assert ch == raw_ch if raw_ch in kept else ch == chr(ord(raw_ch) - 0xFEE0)


def test_a_long_text_is_normalized_whole() -> None:
    # its speed is measured by benchmarks/bench_linear.py, not by a clock here (the machines are shared)
    raw = ("全年地区生产总值达到\n\n３６４．６亿元，增长5.2%。\n\n## 民生\n\n全县城镇新增就业4260人。\n\n") * 20000
    norm = clean.normalize(raw)
    assert norm.text.count("364.6亿元") == 20000
