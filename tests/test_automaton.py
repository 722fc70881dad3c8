"""zhibiao.automaton, and the scans built on it (the catalogue's names, the gazetteer's), against the regexes
and the per-place loop they replaced: the same matches, left to right, the longest at each place."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibiao import gazetteer
from zhibiao.automaton import Words
from zhibiao.catalogue import catalogue, fold


def _alternation(words) -> re.Pattern:
    """The regex the automaton stands for: the words as one alternation, longest first."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


# --- Words ---------------------------------------------------------------------------------------------

# (words, text, the spans Words.longest finds); written for this module
CASES_LONGEST = [
    (["增加值", "工业增加值", "规模以上工业增加值"], "全县规模以上工业增加值增长", [(2, 11)]),
    (["工业", "工业增加值"], "工业增加值和工业用电", [(0, 5), (6, 8)]),
    (["ab", "bc"], "abc", [(0, 2)]),  # leftmost wins over longer-later
    (["a", "abc", "abcd"], "abcabcd", [(0, 3), (3, 7)]),
    (["产值"], "", []),
    (["产值"], "总产值😀产值", [(1, 3), (4, 6)]),  # offsets in code points past an astral character
    (["产值"], "产值\ud800产值", [(0, 2), (3, 5)]),  # a lone surrogate keeps its place
]


@pytest.mark.parametrize(("words", "text", "spans"), CASES_LONGEST, ids=[c[1] or "empty" for c in CASES_LONGEST])
def test_longest(words, text, spans):
    found = Words(words).longest(text)
    assert [(s, e) for _, s, e in found] == spans
    assert [m.span() for m in _alternation(words).finditer(text)] == spans


def test_every_gives_overlapping_occurrences():
    w = Words(["工业", "工业增加值", "增加值"])
    assert sorted((w.words[i], s, e) for i, s, e in w.every("工业增加值")) == [
        ("增加值", 2, 5), ("工业", 0, 2), ("工业增加值", 0, 5)]


def test_no_words_find_nothing():
    assert Words([]).longest("任何文字") == [] and Words([]).every("任何文字") == []


@pytest.mark.parametrize("word", ["", "坏\ufffd字", "坏\udc80字"])
def test_refuses_a_word_it_could_not_find_faithfully(word):
    with pytest.raises(ValueError):
        Words(["好", word])


_ALPHABET = "工业增加值产总规模以上，1a😀\ud800"
_words = st.lists(st.text(alphabet=_ALPHABET[:-1], min_size=1, max_size=5), min_size=1, max_size=12, unique=True)


@settings(max_examples=300, deadline=None)
@given(_words, st.text(alphabet=_ALPHABET, max_size=40))
def test_longest_is_the_alternation_longest_first(words, text):
    found = Words(words).longest(text)
    assert [(s, e) for _, s, e in found] == [m.span() for m in _alternation(words).finditer(text)]
    assert all(text[s:e] == Words(words).words[i] for i, s, e in found)


@settings(max_examples=300, deadline=None)
@given(_words, st.text(alphabet=_ALPHABET, max_size=40))
def test_every_is_each_word_at_each_place(words, text):
    w = Words(words)
    brute = {(i, s, s + len(word)) for i, word in enumerate(w.words) for s in range(len(text)) if text.startswith(word, s)}
    found = w.every(text)
    assert len(found) == len(brute) and set(found) == brute


# --- the catalogue's names ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def names_regex() -> re.Pattern:
    """The catalogue's scan as a regex: every folded name and alias, longest first (what its trie was)."""
    keys = {fold(k) for e in catalogue().entries for k in (e.name, *e.aliases)}
    return _alternation(keys)


# sentences written for this test, each with names that overlap or nest
SENTENCES = [
    "今年全区规模以上工业增加值增长6%，工业增加值占地区生产总值的比重提高。",
    "一般公共预算收入完成计划，其中税收收入增长。",
    "社会消费品零售总额和固定资产投资双双回升，GDP迈上新台阶。",
    "全年城镇新增就业人数超过预期，城镇调查失业率保持稳定。",
    "粮食总产量再创新高，粮食播种面积稳中有增。",
    "进出口总额中出口增长较快，进口略有下降。",
    "",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_catalogue_find_agrees_with_the_regex(names_regex, text):
    found = catalogue().find(text)
    assert [(m.start, m.end) for m in found] == [m.span() for m in names_regex.finditer(text.lower())]
    assert all(m.indicator is catalogue().get(m.text) for m in found)


def test_the_sentences_hold_names():
    assert sum(len(catalogue().find(s)) for s in SENTENCES) >= 12  # the agreement above is not vacuous


_NAME_CHARS = "".join(sorted({ch for s in SENTENCES for ch in s}))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_NAME_CHARS + "GDPgdp", max_size=60))
def test_catalogue_find_agrees_on_random_text(names_regex, text):
    assert [(m.start, m.end) for m in catalogue().find(text)] == [m.span() for m in names_regex.finditer(text.lower())]


# --- the gazetteer's names -------------------------------------------------------------------------------


def _find_by_lengths(g: gazetteer.Gazetteer, text: str) -> list[gazetteer.Match]:
    """The gazetteer's scan as it was before the automaton: at each place that starts a form, the lengths
    of the forms starting with that character, longest first, each looked up in the form table."""
    found: list[gazetteer.Match] = []
    last_end, pos, n = -1, 0, len(text)
    left_ok, hiding = gazetteer._cues()
    hidden = [m.span() for m in _alternation(hiding.words).finditer(text)]
    starts = re.compile("[" + "".join(re.escape(ch) for ch in sorted(g._lengths)) + "]")
    while (m := starts.search(text, pos)) is not None:
        i = m.start()
        for length in g._lengths[text[i]]:
            end = i + length
            if end > n:
                continue
            key = text[i:end]
            regions = g._keys.get(key)
            if regions is None or not gazetteer._fits(text, i, end, key, left_ok, adjacent=i == last_end):
                continue
            if key not in g._full and any(s <= i and end <= e for s, e in hidden):
                continue
            if regions:
                found.append((i, end, regions[0] if len(regions) == 1 else list(regions)))
                last_end = end
            pos = end
            break
        else:
            pos = i + 1
    return found


# sentences written for this test: full names, short forms, names inside words, set phrases
PLACES = [
    "山西省朔州市平鲁区和大同市联合举办展会。",
    "到长治和晋城考察，祝愿长治久安。",
    "平鲁区域内新建学校两所，朝阳区和鼓楼区结对帮扶。",
    "在沛县、丰县和徐州市区之间修路。",
    "推进县域经济，示范县建设加快，乡村振兴走深。",
    "延边州与吉林省长春市签约，河南省郑州市参会。",
    "",
]


@pytest.fixture(scope="module")
def g() -> gazetteer.Gazetteer:
    return gazetteer.load()


@pytest.mark.parametrize("text", PLACES)
def test_gazetteer_find_agrees_with_the_loop(g, text):
    assert g.find(text) == _find_by_lengths(g, text)


def test_the_places_hold_names(g):
    assert sum(len(g.find(s)) for s in PLACES) >= 15  # the agreement above is not vacuous


_PLACE_CHARS = "".join(sorted({ch for s in PLACES for ch in s}))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_PLACE_CHARS, max_size=60))
def test_gazetteer_find_agrees_on_random_text(g, text):
    assert g.find(text) == _find_by_lengths(g, text)
