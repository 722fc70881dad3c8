"""zhibiao.checks on tables, exchange rates and sums no 其中 announces (issue 16), on texts written for these tests.

Each case is (id, text, expected (kind, status, relation) findings, why). The texts go through the real
pipeline (zhibiao.pipeline.extract reads the tables' cells as facts/tables.py does); no sentence comes from a
real report. Traps expect no finding of the relation, or none in conflict.
"""

from __future__ import annotations

import gc
from datetime import date

import pytest

from zhibiao.checks import check
from zhibiao.pipeline import extract

PUB = date(2024, 3, 1)


def _findings(text: str):
    return check(extract(text, doc="t.txt", published=PUB, region="青禾县"))[0]


def _rel(findings, relation: str) -> list[tuple[str, str]]:
    return [(f.kind, f.status) for f in findings if f.extra.get("relation") == relation]


_HEAD = "青禾县2023年经济简报\n"
_TABLE = "表1 2023年青禾县生产总值\n| 总量 (亿元) | 增速 (%) |\n"


def _table(*rows: str, text: str = "") -> str:
    return _HEAD + text + _TABLE + "".join(r + "\n" for r in rows)


# (id, text, relation, expected (kind, status) findings of that relation, where the case comes from)
CASES = [
    ("rows_named_ok", _table("地区生产总值 | 300.0 | 4.0 |", "第一产业 | 30.5 | 2.0 |", "第二产业 | 120.0 | 5.0 |",
                             "第三产业 | 149.5 | 3.5 |"),
     "table_rows", [("sum", "ok")], "a GDP table: the three industries under the first row"),
    ("rows_named_conflict", _table("地区生产总值 | 300.0 | 4.0 |", "第一产业 | 30.5 | 2.0 |",
                                   "第二产业 | 120.0 | 5.0 |", "第三产业 | 159.5 | 3.5 |"),
     "table_rows", [("sum", "conflict")], "the same table with a third industry 10 too large"),
    ("rows_named_skip_subrows", _table("地区生产总值 | 300.0 | 4.0 |", "第一产业 | 30.5 | 2.0 |",
                                       "第二产业 | 120.0 | 5.0 |", "第三产业 | 149.5 | 3.5 |",
                                       "批发和零售业 | 40.0 | 6.0 |", "金融业 | 25.0 | 4.0 |"),
     "table_rows", [("sum", "ok")], "rows under 第三产业 are its own parts: the named rows only are summed"),
    ("rows_adding_up", _HEAD + "表2 2023年各镇一般公共预算收入\n| 总量 (万元) | 增长 (%) |\n全县 | 5000 | 3.0 |\n"
                              "甲镇 | 2000 | 2.0 |\n乙镇 | 1800 | 4.0 |\n丙镇 | 1200 | 3.5 |\n",
     "table_rows", [("sum", "ok")], "a table of towns whose rows add up to the county's first row"),
    ("rows_total_last", _HEAD + "表4 2023年各镇新增就业\n| 总量 (人) | 增长 (%) |\n甲镇 | 820 | 2.0 |\n"
                               "乙镇 | 640 | 1.0 |\n丙镇 | 540 | 3.0 |\n合计 | 2000 | 2.0 |\n",
     "table_rows", [("sum", "ok")], "a last row 合计 under the rows it adds"),
    ("rows_total_last_conflict", _HEAD + "表4 2023年各镇新增就业\n| 总量 (人) | 增长 (%) |\n甲镇 | 820 | 2.0 |\n"
                                        "乙镇 | 640 | 1.0 |\n丙镇 | 540 | 3.0 |\n合计 | 2100 | 2.0 |\n",
     "table_rows", [("sum", "conflict")], "820 + 640 + 540 is not 2100"),
    ("rows_not_adding_up", _HEAD + "表3 2023年主要农产品产量\n| 总量 (万吨) | 增长 (%) |\n粮食 | 60.0 | 1.0 |\n"
                                  "蔬菜 | 45.0 | 2.0 |\n水果 | 20.0 | 3.0 |\n",
     "table_rows", [], "products in one unit whose first row is no total: nothing is summed"),
    ("cell_and_text_ok", _table("地区生产总值 | 300.0 | 4.0 |", "第一产业 | 30.5 | 2.0 |",
                                text="全县地区生产总值300.0亿元，比上年增长4.0%。\n"),
     "table_text", [("agreement", "ok"), ("agreement", "ok")], "the text's GDP and growth against the table's row"),
    ("cell_and_text_conflict", _table("地区生产总值 | 310.0 | 4.0 |", "第一产业 | 30.5 | 2.0 |",
                                      text="全县地区生产总值300.0亿元，比上年增长4.0%。\n"),
     "table_text", [("agreement", "conflict"), ("agreement", "ok")], "the table's GDP 10 more than the text's"),
    ("cell_and_listed_text", _table("第一产业 | 30.5 | 2.0 |", "第二产业 | 120.0 | 5.0 |",
                                    text="全县民营经济增加值90.0亿元，其中第一产业增加值12.0亿元。\n"),
     "table_text", [], "a 其中 part of another whole (the private economy's first industry) is no second print"),
    ("exchange_yuan_to_dollar", "2023年全县人均生产总值70000元，按美元对人民币平均汇率7.0折算，约合10000美元。",
     "exchange", [("rate", "ok")], "70000 / 7.0 = 10000"),
    ("exchange_conflict", "2023年全县人均生产总值70000元，按美元对人民币平均汇率7.0折算，约合11000美元。",
     "exchange", [("rate", "conflict")], "70000 / 7.0 is not 11000"),
    ("exchange_dollar_to_yuan", "2023年全县出口总额5.0亿美元，按年平均汇率7.10折合人民币35.5亿元。",
     "exchange", [("rate", "ok")], "5.0 × 7.10 = 35.5"),
    ("exchange_rounding", "2023年全县人均生产总值81234元，按年平均汇率7.0467折算，约合11528美元。",
     "exchange", [("rate", "ok")], "81234 / 7.0467 = 11527.8, printed 11528"),
    ("rate_not_printed", "2023年全县人均生产总值70000元，按当年平均汇率折算，约合10000美元。", "exchange", [],
     "a rate word with no rate printed: the converted figure is no rate"),
    ("no_rate_no_exchange", "2023年全县人均生产总值70000元，外贸出口10000美元。", "exchange", [],
     "no rate and no conversion word: two figures, no conversion"),
    ("total_after_parts", "2023年青禾县甲镇完成工业投资12.5亿元，乙镇完成工业投资8.0亿元，两镇合计20.5亿元。",
     "total_after_parts", [("sum", "ok")], "parts, then 合计"),
    ("total_after_parts_conflict", "2023年青禾县甲镇完成工业投资12.5亿元，乙镇完成工业投资8.0亿元，两镇合计22.5亿元。",
     "total_after_parts", [("sum", "conflict")], "12.5 + 8.0 is not 22.5"),
    ("total_of_the_last_two", "2023年青禾县甲镇完成投资30.0亿元，乙镇完成投资12.5亿元，丙镇完成投资8.0亿元，"
                              "乙丙两镇合计20.5亿元。",
     "total_after_parts", [("sum", "ok")], "两镇合计 adds the last two figures only"),
    ("named_whole_then_parts", "2023年全县工业总产值90.0亿元，轻工业产值30.0亿元，增长2.0%，重工业产值60.0亿元，增长4.0%。",
     "parts_after_whole", [("sum", "ok")], "a 总 whole, then two parts of its head noun (产值), growths between"),
    ("parts_then_named_whole", "2023年全县轻工业产值30.0亿元，重工业产值60.0亿元，工业总产值90.0亿元。",
     "parts_before_whole", [("sum", "ok")], "the same parts before their whole"),
    ("named_whole_beside_others", "2023年全县蔬菜总产量80.0万吨，增长3.1%，水果产量20.1万吨，茶叶产量1.5万吨。",
     "parts_after_whole", [], "figures of one head noun beside a 总 whole that do not add up are no parts of it"),
    ("named_whole_not_adding_up", "2023年全县轻工业产值30.0亿元，重工业产值60.0亿元，工业总产值95.0亿元。",
     "parts_before_whole", [], "not said to be parts and not adding up: nothing, never a conflict"),
]


@pytest.mark.parametrize("text,relation,expected,why", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_relation(text: str, relation: str, expected: list[tuple[str, str]], why: str) -> None:
    findings = _findings(text)
    assert sorted(_rel(findings, relation)) == sorted(expected), (why, [(f.kind, f.status, f.extra.get("relation"),
                                                                         f.message_zh) for f in findings])
    for f in findings:
        if f.extra.get("relation") == relation:
            assert f.message_zh and f.message_en


# texts where nothing may be in conflict: (id, text, why)
NO_CONFLICT = [
    ("total_after_其中", "2023年全县完成投资50.0亿元，其中甲镇12.5亿元，乙镇8.0亿元，两镇合计20.5亿元。",
     "a 合计 of the 其中 parts is not a second whole of 50.0"),
    ("two_text_figures_one_cell", _table("地区生产总值 | 300.0 | 4.0 |", "第一产业 | 30.5 | 2.0 |",
                                         text="全县地区生产总值300.0亿元。上半年地区生产总值140.0亿元。\n"),
     "a half-year figure of the text is of another period than the table's year"),
    ("rows_of_growth", _table("地区生产总值 | 300.0 | 4.0 |", "第一产业 | 30.5 | 2.0 |", "第二产业 | 120.0 | 5.0 |",
                              "第三产业 | 149.5 | 3.5 |"),
     "growth rates of the rows add up to nothing"),
]


@pytest.mark.parametrize("text,why", [c[1:] for c in NO_CONFLICT], ids=[c[0] for c in NO_CONFLICT])
def test_no_conflict(text: str, why: str) -> None:
    assert [f.message_zh for f in _findings(text) if f.status == "conflict"] == [], why


def test_the_tables_are_read() -> None:
    # the cases above hold cells: a table whose cells were not read would pass its traps for nothing
    for case in ("rows_not_adding_up", "rows_of_growth"):
        text = next(c[1] for c in [*CASES, *NO_CONFLICT] if c[0] == case)
        cells = [f for f in extract(text, doc="t.txt", published=PUB, region="青禾县")
                 if f.how.get("indicator") == "table_cell"]
        assert len(cells) >= 6, case


def test_the_total_after_其中_parts_is_checked_once() -> None:
    findings = _findings(NO_CONFLICT[0][1])
    sums = [f for f in findings if f.kind == "sum"]
    assert [(f.status, f.extra.get("relation")) for f in sums] == [("ok", "total_after_parts")]


def test_a_cell_shows_the_multiple_of_its_column() -> None:
    # 617.50 under a column of 亿元 is shown as 亿元, not as 元
    found = [f for f in _findings(CASES[0][1]) if f.extra.get("relation") == "table_rows"]
    assert "300亿元" in found[0].message_zh or "300.0亿元" in found[0].message_zh, found[0].message_zh


@pytest.mark.parametrize("enabled", [True, False])
def test_check_leaves_the_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        _findings("2023年全县地区生产总值300.0亿元。")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_overlapping_checks_in_two_threads_keep_their_pause_and_end_with_the_collector_on() -> None:
    # the web server checks in several threads: a run that ends while another is under way must not turn
    # the collector back on under it, and the last run to end turns it back on
    import threading

    from zhibiao.checks import run

    was = gc.isenabled()
    gc.enable()
    try:
        first_in, second_in = threading.Event(), threading.Event()

        def first() -> None:
            with run._no_cycle_collection():
                first_in.set()
                second_in.wait(10)

        t = threading.Thread(target=first)
        t.start()
        first_in.wait(10)
        with run._no_cycle_collection():
            second_in.set()
            t.join(10)  # the first run has ended inside this one
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()
