"""Fuzzing the quantity layer and `zhibiao extract` with strings of numerals, units and noise.

What fuzzing found, kept as properties: a long run of digits after a letter took time cubic in its length,
and a number beyond what a float holds ended the whole extraction with an error. Now every stage reads each
character a bounded number of times (counted below, never timed: benchmarks/bench_linear.py times it), and
a figure too large for a float is no quantity.

ZHIBIAO_FUZZ_EXAMPLES sets how many strings the main property tries (400 in CI; the issue's run of 10,000
is `ZHIBIAO_FUZZ_EXAMPLES=10000 pytest tests/test_quantity_fuzz.py`).
"""

from __future__ import annotations

import json
import math
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from zhibiao import quantities
from zhibiao.cli import app
from zhibiao.numbers import Reading
from zhibiao.pipeline import extract

# Numerals of every form, units of every family, the words around them, marks and noise.
_NUMERALS = ["0", "1", "7", "12", "364.6", "1,234", "1，234", "2023", "9" * 30, ".", ",", "，", "点", "〇", "○", "零",
             "一", "二", "两", "俩", "幺", "三", "五", "六", "七", "八", "九", "十", "百", "千", "万", "亿", "廿", "卅",
             "几", "半", "壹", "贰", "伍", "陆", "拾", "佰", "仟", "萬", "億", "数", "上", "余", "多", "分之", "百分之",
             "千分之", "成", "负", "正", "-", "−", "﹣", "×", "x", ":", "：", "~", "～", "—", "--", "至", "到", "（含）", "（",
             "）", "(", ")"]
_UNITS = ["元", "圆", "块", "毛", "角", "分", "美元", "美分", "欧元", "港元", "￥", "¥", "$", "人民币", "%", "‰", "％",
          "个百分点", "倍", "千瓦", "千瓦时", "万千瓦", "千克", "千米", "kg", "km", "km²", "m²", "m", "g", "L", "ml", " kg",
          "MW", "GW", "GWp", "吨", "斤", "亩", "公顷", "平方公里", "公里/小时", "个", "个月", "人", "人次", "家", "户", "辆",
          "双", "对", "标箱", "TEU", "席", "年", "月", "日", "天", "小时", "级", "强", "第", "位", "名", "次", "届", "会议"]
_WORDS = ["约", "近", "超过", "不足", "以上", "左右", "以内", "达", "增长", "下降", "占", "比重", "全省", "排名", "分别", "、",
          "和", "，", "。", "；", "“", "”", "《", "》", "\n", "\n\n", " ", "\u3000", "\u200b", "\t", "青禾县", "地区生产总值",
          "总投资", "三次产业结构", "收入比", "每", "以上项目", "http://", "www.", "a", "e", "A", "+", "#", "_",
          "０", "５", "．", "ｋｍ", "0351-", "13912345678"]
_PIECES = _NUMERALS + _UNITS + _WORDS

pieces = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
mixed = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=40).map("".join)
texts = st.one_of(pieces, mixed, st.text(max_size=80))

_EXAMPLES = int(os.environ.get("ZHIBIAO_FUZZ_EXAMPLES", "400"))


def _grounded(text: str) -> None:
    facts = extract(text)
    for f in facts:
        assert 0 <= f.start <= f.end <= len(text)
        assert f.text == text[f.start:f.end]
        row = f.to_dict()
        assert math.isfinite(row["value"]) and (row["value_high"] is None or math.isfinite(row["value_high"]))
    json.dumps([f.to_dict() for f in facts], allow_nan=False)  # never Infinity or NaN in the output


@settings(max_examples=_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("1e" + "9" * 800 + "吨")
@example("9" * 400 + "亿元")
@example("9" * 310 + "吨")
@example("负" + "9" * 320 + "%")
@example("百分之" + "9" * 330)
@example("1" + "0" * 320 + "至" + "9" * 330 + "元")
@example("2×" + "9" * 320 + "万千瓦")
@example("比" + "9" * 320 + ":1")
def test_extract_grounds_every_fact(text: str) -> None:
    _grounded(text)


@settings(max_examples=max(50, _EXAMPLES // 20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces)
def test_zhibiao_extract_on_stdin(text: str) -> None:
    # the command a user runs: one line of JSON per fact, every span inside the text it read
    result = CliRunner().invoke(app, ["extract", "-", "--format", "jsonl"], input=text)
    assert result.exit_code in (0, 1), result.output
    for line in result.stdout.splitlines():
        row = json.loads(line)
        assert 0 <= row["start"] <= row["end"]


@settings(max_examples=_EXAMPLES, deadline=None)
@given(texts)
@example("收入比0:０")  # a digit of another script after a colon (the text not cleaned): raised AttributeError
def test_quantities_are_inside_the_text_and_in_order(text: str) -> None:
    found = quantities.find_quantities(text)
    for q in found:
        assert 0 <= q.span.start < q.span.end <= len(text)
        assert text[q.span.start:q.span.end] == q.text
        assert q.unit and q.qualifier
        if q.value_high is not None:
            assert q.qualifier == "range"
    starts = [q.span.start for q in found]
    assert starts == sorted(starts)


# --- the work of the scan ---------------------------------------------------------------------------------------

# Inputs that made earlier versions re-read their runs: a long figure after a letter, runs of place words, of
# neighbouring digits, of range marks, of notes, of qualifiers.
_RUNS = {
    "digits after a letter": lambda n: "1e" + "9" * n + "吨",
    "tens": lambda n: "十" * n + "吨",
    "hundreds then thousands": lambda n: "三百" * n + "千瓦",
    "pairs": lambda n: "五六" * n + "人",
    "dash chain": lambda n: "1-" * n + "元",
    "to chain": lambda n: "3至" * n + "5万元",
    "fractions": lambda n: "三分之" * n + "一",
    "wan": lambda n: "3" + "万" * n + "元",
    "decimals": lambda n: "一点" * n + "五",
    "ratio": lambda n: "比" + "1:" * n + "1",
    "financial": lambda n: "伍" * n + "1000人",
    "qualifiers": lambda n: "约" * n + "3吨",
    "notes": lambda n: "3" + "（含）" * n + "元",
    "quotes": lambda n: "“3吨" * n,
}


@pytest.mark.parametrize("name", sorted(_RUNS))
def test_the_scan_reads_each_character_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch,
                                                                  name: str) -> None:
    # Every numeral the scan reads goes through quantities.read (the Arabic fast path aside, which reads a
    # figure once in the tokenizer). A second bound or a numerator may be read twice, as part of its
    # quantity and on its own: never more, however long the input.
    steps = [0]
    inner = quantities.read

    def counting(text: str, start: int, end: int | None = None) -> Reading | None:
        r = inner(text, start, end)
        steps[0] += (r.end - start) if r is not None else 1
        return r

    monkeypatch.setattr(quantities, "read", counting)
    for n in (500, 2000):
        steps[0] = 0
        text = _RUNS[name](n)
        quantities.find_quantities(text)
        assert steps[0] <= 2 * len(text) + 10, (name, n, steps[0])


# --- the scan's shortcut ----------------------------------------------------------------------------------------

def _rows(found: list) -> list[tuple]:
    return [(q.span, q.text, q.value, q.unit, q.unit_text, q.number_text, q.value_high, q.qualifier, q.measure)
            for q in found]


@settings(max_examples=_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
# a plain figure and its unit next to each character a rule looks at
@example("约3吨，第3名，A3吨，-3%，每3户，3吨（含），3吨至5吨，3吨级，3吨+，8元5角，三个一批，3个“双”，3次会议，前3个月")
@example("3%左右，3亿元以上项目，300多万吨，3万余亩，2023年，3年，3成，3块地，3分钟，3:1，3分之1，3×5吨，5G，3、5和8个")
@example("《3吨》www.a.cn/3吨 0351-1234567 3吨")
@example("约3吨，超过3万千瓦，每约3户，不超过3%左右，约3，人民币3万元，￥3元，3千瓦，99亿千瓦时，3百分点，3千万元，3百万千瓦")
@example("2023年至3年，2025年—2023年，2023年（含），第2023年，2023年以上，2023多年，2023年级")
@example("近三年，过去5年，一年，一个，约一个，三方，3方，二十三家，三千瓦，十万吨，十几家，五六家，伍家，两吨半，23成，八成，三成半")
@example("一次会议，三个一批，前三个月，第三名，约三家，每三户，三家（含）至五家，三万余亩，二〇二三年，三亿元以上项目")
def test_the_shortcut_reads_as_the_rules_do(text: str) -> None:
    # run() reads the plain figures with a unit and the bare numbers itself; the general rules must read
    # every text the same way
    assert _rows(quantities.find_quantities(text)) == _rows(quantities._Scan(text, fast=False).run())


# Enumerations: each item is walked past once when later items lend their unit (3、5和8个, 1个、2个百分点), not
# once per later item (a clause of 2,000 qualified figures took 3 s before).
_LISTS = {
    "qualified figures": lambda n: "约3吨，" * n,
    "bare items": lambda n: "1、" * n + "1个",
    "unit prefixes": lambda n: "1个、" * n + "1个百分点",
    "mixed units": lambda n: "3吨、5个、" * n,
}


class _CountingSearch:
    def __init__(self, pattern) -> None:
        self.pattern, self.calls = pattern, 0

    def search(self, *args):
        self.calls += 1
        return self.pattern.search(*args)


@pytest.mark.parametrize("name", sorted(_LISTS))
def test_the_walk_of_an_enumeration_is_linear(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    counter = _CountingSearch(quantities._SHARED_SEP)
    monkeypatch.setattr(quantities, "_SHARED_SEP", counter)
    for n in (500, 2000):
        counter.calls = 0
        text = _LISTS[name](n)
        quantities.find_quantities(text)
        assert counter.calls <= 3 * n + 10, (name, n, counter.calls)
