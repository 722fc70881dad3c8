"""The SVG charts of the web app (zhibiao/web/chart.py): what each kind of point and series looks like."""

from __future__ import annotations

import re

import pytest

from zhibiao.web.chart import CONFLICT, line_chart


def _point(i: int, period: str, value: float, series: str, **kw) -> dict:
    return {"id": i, "doc_id": 1, "period": period, "period_start": period, "value": value, "series": series,
            "text": f"{value}亿元", "doc": "a.txt", **kw}


# (case, points, what the SVG must hold, what it must not) — our own figures
CASES = [
    ("a stated level: a filled point linking its sentence",
     [_point(1, "2022", 10.0, "甲县 · 总量"), _point(2, "2023", 12.0, "甲县 · 总量")],
     [r'href="/documents/1#f1"', r'<polyline class="series" '], [r'class="point derived"', r"推算"]),
    ("a derived point: hollow, linking its own page, its tooltip says implied",
     [_point(3, "2023", 50.0, "计划", derived=True, plan=True)],
     [r'href="/facts/3"', r'class="point derived"', r'fill="#fff"', r"— 推算"], [r'href="/documents/1#f3"']),
    ("plans against actuals: the plan series dashed, the actual one not",
     [_point(4, "2022", 40.0, "计划", plan=True), _point(5, "2023", 45.0, "计划", plan=True),
      _point(6, "2022", 38.0, "实际"), _point(7, "2023", 46.0, "实际")],
     [r'<polyline class="series plan" ', r'<polyline class="series" '], []),
    ("a conflict stays ringed in red, derived or not",
     [_point(8, "2023", 9.0, "甲县 · 总量", status="conflict", derived=True)],
     [f'stroke="{CONFLICT}"', r"— 冲突"], []),
]


@pytest.mark.parametrize(("points", "present", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_kind_of_point_is_drawn_its_way(points, present, absent) -> None:
    svg = line_chart(points, title="地区生产总值", unit="亿元", conflict_label="冲突", derived_label="推算")
    for pattern in present:
        assert re.search(pattern, svg), pattern
    for pattern in absent:
        assert not re.search(pattern, svg), pattern
