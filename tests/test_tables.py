"""Cells of a table flattened to text: the row names the indicator, the header or a 单位 line the unit.

Every table is written for these tests (invented figures; 岚州 is no real place).
"""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibiao.docmodel import analyze
from zhibiao.facts.tables import cells
from zhibiao.model import Document
from zhibiao.pipeline import extract

UNITS_IN_HEADER = """表1 全市主要经济指标
| 总量 (亿元) | 增速 (%) |
第一产业 | 41.20 | -3.2 |
地区生产总值 | 512.30 | 5.1 |
"""

UNIT_LINE = """表2 全年居民消费价格涨跌情况
（单位：%）
指标 | 涨跌 |
居民消费价格 | 0.6 |
食品烟酒 | -1.2 |
"""

NO_UNIT = """表3 主要指标
指标 | 绝对数 | 增长 |
地区生产总值 | 512.30 | 5.1 |
"""

YEARS = """表4 历年生产总值（单位：亿元）
指标 | 2022 | 2023 |
地区生产总值 | 480.1 | 512.3 |
"""

WITH_UNITS = """表5 主要产品产量
| 产品 | 产量 | 增长 |
粮食 | 12.5万吨 | 3.1% |
"""

# (construction, table, [(cell text, value, unit, measure, indicator)])
CASES = [
    ("units in the header's brackets; the row's catalogue name", UNITS_IN_HEADER, [
        ("41.20", "4120000000", "CNY", "level", "第一产业增加值"), ("-3.2", "-3.2", "%", "growth", "第一产业增加值"),
        ("512.30", "51230000000", "CNY", "level", "地区生产总值"), ("5.1", "5.1", "%", "growth", "地区生产总值")]),
    ("a 单位 line for the whole table; a header over the labels too; a row named with the caption's head",
     UNIT_LINE, [("0.6", "0.6", "%", "growth", "居民消费价格"), ("-1.2", "-1.2", "%", "growth", "食品烟酒价格")]),
    ("no unit said anywhere: no cells", NO_UNIT, []),
    ("a header of years: its columns say no measure", YEARS, []),
    ("cells with their own units are the quantity stage's", WITH_UNITS, []),
]


@pytest.mark.parametrize(("table", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cells_of_a_table(table, expected):
    found = cells(analyze(Document("t.txt", "全市经济平稳运行。\n\n" + table, published=date(2024, 3, 1))))
    assert [(c.text, c.value, c.unit, c.measure, c.row) for c in found] == \
        [(t, Decimal(v), u, m, i) for t, v, u, m, i in expected]


def test_a_cell_is_a_fact_of_its_row_in_the_documents_period():
    text = "2023年岚州市统计公报\n\n全年经济平稳运行。\n\n" + UNITS_IN_HEADER
    facts = [f for f in extract(text, published=date(2024, 3, 1)) if f.how["indicator"] == "table_cell"]
    assert [(f.text, f.indicator, f.period) for f in facts][2:] == [("512.30", "地区生产总值", "2023"),
                                                                      ("5.1", "地区生产总值", "2023")]
    assert all(text[f.span.start:f.span.end] == f.text for f in facts)


_LABEL = st.sampled_from(["地区生产总值", "第二产业", "工业投资", "粮食产量", "其他"])
_NUMBER = st.decimals(min_value=-999, max_value=99999, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_LABEL, _NUMBER, _NUMBER), min_size=1, max_size=6))
def test_every_cell_of_a_table_with_units_is_read_with_its_unit(rows):
    body = "".join(f"{label} | {a} | {b} |\n" for label, a, b in rows)
    found = cells(analyze(Document("t.txt", "表1 主要指标\n| 绝对数 (万元) | 比上年增长 (%) |\n" + body)))
    assert [(c.value, c.unit) for c in found] == [v for _, a, b in rows for v in ((a * 10000, "CNY"), (b, "%"))]
