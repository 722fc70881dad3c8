"""The indicator catalogue (lexicons/indicators.yaml): integrity and lookups."""

import pytest

from zhibiao.catalogue import KINDS, catalogue, fold
from zhibiao.model import UNITS


def test_catalogue_is_large_and_every_entry_is_complete():
    c = catalogue()
    assert len(c) >= 300
    for e in c.entries:
        assert e.name and e.en and e.domain, e
        assert e.kind in KINDS
        assert set(e.units) <= set(UNITS), (e.name, e.units)


def test_no_name_or_alias_points_to_two_indicators():
    seen = {}
    for e in catalogue().entries:
        for key in {fold(k) for k in (e.name, *e.aliases)}:
            assert seen.setdefault(key, e.name) == e.name, f"{key} names {seen[key]} and {e.name}"


def test_names_are_unique():
    names = [e.name for e in catalogue().entries]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("query", "name"), [
    ("GDP", "地区生产总值"),
    ("规上工业增加值", "规模以上工业增加值"),
    ("社零", "社会消费品零售总额"),
    ("Gross regional product", "地区生产总值"),
    ("ＧＤＰ", "地区生产总值"),
])
def test_get_by_alias_english_name_or_full_width(query, name):
    assert catalogue().get(query).name == name


def test_find_prefers_the_longest_name():
    found = catalogue().find("全市规模以上工业增加值增长6.1%")
    assert [m.indicator.name for m in found] == ["规模以上工业增加值"]


def test_search_finds_by_part_of_a_name():
    assert any(e.name == "一般公共预算收入" for e in catalogue().search("公共预算"))


# the scan's agreement with a regex of the names, longest first: tests/test_automaton.py
