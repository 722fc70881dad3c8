"""zhibiao check on the eleven reports of ../shared/corpus from outside Shanxi: every relation they hold, by hand.

The table names each relation by its figures as printed (the texts of the facts a finding involves, in
any order), the kind and status expected, and what the relation is. It was written by reading the reports,
not from the checker's output; figures are quoted, never sentences. The reports go through the real
extractor (with the hints of corpus/hints.json, as dev.py runs it) and all eleven are checked together,
so that no relation crosses reports by mistake.

Traps: pairs of figures that must never meet in a conflict (different years or periods, different groups, a
plan and its result, the two halves of a 分别 pair).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from zhibiao.checks import Finding, check
from zhibiao.pipeline import extract_document
from zhibiao.read import read_path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")

OTHERS = ["changsha_county_2023_gwr.txt", "fangxian_2018_q3_news.txt", "guangdong_2024_gwr_news.txt",
          "handan_2025_gwr.txt", "leshan_2023_tjgb.txt", "minhou_2023_h1_projects.txt",
          "quanzhou_2022_oct_tjj.txt", "sichuan_2022_tjgb_news.txt", "youyang_2025_q1_tjj.txt",
          "yuhang_2022_plan_report.txt", "yuhuan_2019_tjgb.txt"]

pytestmark = pytest.mark.skipif(not all((CORPUS / n).is_file() for n in OTHERS), reason="no shared corpus here")

LE, MH, QZ, SC = "leshan_2023_tjgb.txt", "minhou_2023_h1_projects.txt", "quanzhou_2022_oct_tjj.txt", \
    "sichuan_2022_tjgb_news.txt"
YY, YH, GD, FX = "youyang_2025_q1_tjj.txt", "yuhuan_2019_tjgb.txt", "guangdong_2024_gwr_news.txt", \
    "fangxian_2018_q3_news.txt"

# (doc, kind, status, the figures involved, what relation; why the status)
RELATIONS = [
    # 乐山 2023 统计公报
    (LE, "sum", "ok", ("2447.53亿元", "308.30亿元", "1034.47亿元", "1104.76亿元"), "GDP = three industries"),
    (LE, "rate", "ok", ("12.6", "308.30亿元", "2447.53亿元"), "structure term 1 from the levels (12.596)"),
    (LE, "rate", "ok", ("42.3", "1034.47亿元", "2447.53亿元"), "structure term 2 (42.266)"),
    (LE, "rate", "ok", ("45.1", "1104.76亿元", "2447.53亿元"), "structure term 3 (45.138)"),
    (LE, "sum", "ok", ("12.6", "42.3", "45.1"), "this year's structure adds up to 100"),
    (LE, "sum", "ok", ("13.0", "43.0", "44.0"), "last year's structure adds up to 100 (no levels of that year)"),
    (LE, "sum", "ok", ("9.3%", "41.0%", "49.7%"), "contribution rates of the three industries add up to 100"),
    (LE, "rate", "ok", ("56.3%", "1377.17亿元", "2447.53亿元"), "private economy's share of GDP (56.268)"),
    (LE, "rate", "rounding", ("56.2%", "3.7个百分点", "6.5%"), "contribution = pull / GDP growth: 56.92, "
                                                               "within the rounding of 3.7 and 6.5"),
    (LE, "sum", "rounding", ("1377.17亿元", "97.32亿元", "728.77亿元", "551.09亿元"),
     "private economy = its three industries, 1377.18 (其中 two sentences after its total)"),
    (LE, "sum", "ok", ("23.08万户", "4.62万户"), "private firms within private market entities (not exhaustive)"),
    # 闽侯 2023 上半年 重点项目: a whole and three groups, each attribute a sum, each group's completion
    (MH, "sum", "ok", ("530项", "185项", "157项", "188项"), "project counts: groups exhaust the whole"),
    (MH, "sum", "ok", ("2944.74亿元", "1330.5亿元", "506.08亿元", "1108.16亿元"), "总投资 of the groups"),
    (MH, "sum", "rounding", ("561.86亿元", "327.53亿元", "194.54亿元", "39.78亿元"), "年度计划投资: 561.85"),
    (MH, "sum", "rounding", ("362.32亿元", "235.8亿元", "101.97亿元", "24.56亿元"), "完成投资: 362.33"),
    (MH, "rate", "ok", ("64.49%", "362.32亿元", "561.86亿元"), "the whole's completion (64.486)"),
    (MH, "rate", "ok", ("72%", "235.8亿元", "327.53亿元"), "在建 completion (71.99)"),
    (MH, "rate", "ok", ("52.42%", "101.97亿元", "194.54亿元"), "新开工 completion (52.416)"),
    (MH, "rate", "rounding", ("61.73%", "24.56亿元", "39.78亿元"), "预备 completion: 61.740, within rounding"),
    # 泉州 2022 1—10月 工业
    (QZ, "rate", "ok", ("56.8%", "21个", "37个"), "增长面: 21 of 37 industries (56.757)"),
    (QZ, "implied", "ok", ("8.5%", "5.1个百分点", "3.4%"), "pp difference against the city's stated 3.4%"),
    (QZ, "implied", "ok", ("7.6%", "4.2个百分点", "3.4%"), "pp difference against the city's stated 3.4%"),
    (QZ, "implied", "ok", ("5.2%", "1.8个百分点", "3.4%"), "pp difference against the city's stated 3.4%"),
    # 四川 2022 统计公报 (news)
    (SC, "rate", "ok", ("6.39‰", "53.5万人", "8374万人"), "birth rate = births / population (6.389)"),
    (SC, "rate", "ok", ("9.04‰", "75.7万人", "8374万人"), "death rate = deaths / population (9.040)"),
    (SC, "rate", "ok", ("﹣2.65‰", "6.39‰", "9.04‰"), "natural growth = birth rate − death rate"),
    (SC, "sum", "ok", ("8374万人", "4886.2万人", "3487.8万人"), "population = urban + rural"),
    (SC, "rate", "ok", ("58.35%", "4886.2万人", "8374万人"), "urbanization rate from urban and total"),
    (SC, "growth", "ok", ("4.3%", "43233元", "1789元"), "urban income growth from level and change"),
    (SC, "growth", "ok", ("6.2%", "18672元", "1097元"), "rural income growth from level and change"),
    (SC, "sum", "ok", ("1460.4万辆", "1288.6万辆"), "private cars within all cars (not exhaustive)"),
    # a figure of the text and the same figure in a table's cell (facts/tables.py reads the cells)
    (LE, "agreement", "ok", ("0.4%", "0.4"), "consumer prices: the text and the price table's total row"),
    (YH, "agreement", "ok", ("617.50亿元", "617.50"), "GDP: the text and the GDP table"),
    (YH, "agreement", "ok", ("5.2%", "5.2"), "GDP growth: the text and the GDP table"),
    (YH, "agreement", "ok", ("37.11亿元", "37.11"), "first industry: the text's 其中 list and its table row"),
    (YH, "agreement", "ok", ("2.6%", "2.6"), "first industry's growth: text and table"),
    (YH, "agreement", "ok", ("339.85亿元", "339.85"), "second industry: text and table"),
    (YH, "agreement", "ok", ("4.5%", "4.5"), "second industry's growth: text and table"),
    (YH, "agreement", "ok", ("240.54亿元", "240.54"), "third industry: text and table"),
    (YH, "agreement", "ok", ("6.7%", "6.7"), "third industry's growth: text and table"),
    (YH, "sum", "ok", ("617.50", "37.11", "339.85", "240.54"), "the GDP table: the first row is the sum of the rows "
                                                               "below it"),
    (GD, "agreement", "rounding", ("13.57万亿元", "突破13万亿元"), "GDP: the figure and the round threshold it passed"),
    (SC, "agreement", "ok", ("8374万人", "8374万人"), "headline and paragraph: population"),
    (SC, "agreement", "ok", ("30679元", "30679元"), "headline and paragraph: income"),
    (SC, "agreement", "ok", ("5.5%", "5.5%"), "headline and paragraph: income growth"),
    (SC, "agreement", "ok", ("1460.4万辆", "1460.4万辆"), "headline and paragraph: cars"),
    (SC, "agreement", "ok", ("5.7%", "5.7%"), "headline and paragraph: cars growth"),
    # 酉阳 2025 一季度
    (YY, "sum", "ok", ("56.82亿元", "5.32亿元", "11.49亿元", "40.01亿元"), "GDP = three industries"),
    (YY, "rate", "ok", ("2.02:1", "10063元", "4974元"), "urban-rural income ratio (2.023), not last year's 2.05"),
    # 玉环 2019 统计公报
    (YH, "sum", "ok", ("617.50亿元", "37.11亿元", "339.85亿元", "240.54亿元"), "GDP = three industries"),
    (YH, "sum", "ok", ("6.01", "55.04", "38.95"), "structure adds up to 100"),
    (YH, "rate", "ok", ("6.01", "37.11亿元", "617.50亿元"), "structure term 1 (6.0097)"),
    (YH, "rate", "ok", ("55.04", "339.85亿元", "617.50亿元"), "structure term 2 (55.036)"),
    (YH, "rate", "ok", ("38.95", "240.54亿元", "617.50亿元"), "structure term 3 (38.954)"),
    (YH, "sum", "ok", ("69.93亿元", "7.09亿元", "0.11亿元", "1.14亿元", "60.75亿元", "0.84亿元"),
     "farm output = its five branches (not the 增加值 stated just before them)"),
    (YH, "rate", "ok", ("20533美元", "141647元"), "per-head GDP in dollars at the year's average rate: 20533.01"),
    # 广东 2024 政府工作报告 (news)
    (GD, "agreement", "ok", ("13.57万亿", "13.57万亿元"), "the headline and the paragraph: GDP"),
    # 房县 2018 前三季度
    (FX, "sum", "ok", ("3项",), "three indicators named before 3项"),
    (FX, "sum", "ok", ("2项",), "two indicators named before 2项"),
]

# (doc, figure, figure): never together in a conflict; why
TRAPS = [
    (QZ, "7.3%", "3.4%", "October against January–October: two periods"),
    (QZ, "0.5个百分点", "0.9个百分点", "two differences against two earlier periods"),
    (LE, "308.30亿元", "97.32亿元", "the first industry of GDP and of the private economy: two groups"),
    (LE, "1034.47亿元", "728.77亿元", "two groups"),
    (LE, "4.2%", "7.8%", "growth of two groups"),
    (LE, "13.0", "308.30亿元", "last year's structure against this year's levels"),
    (YH, "60.75亿元", "37.90亿元", "fishery output is no part of the farm value added"),
    (MH, "1330.5亿元", "506.08亿元", "总投资 of two groups"),
    (MH, "561.86亿元", "327.53亿元", "the plan of the whole and of one group"),
    (MH, "64.49%", "72%", "completions of two groups"),
    (MH, "561.86亿元", "362.32亿元", "a plan and its result"),
    (FX, "12.7%", "7.8%", "7.8% is the urban income's growth of a 分别 pair, not the industry's"),
    (FX, "12.1%", "9.2%", "9.2% is the rural income's growth of a 分别 pair"),
    (YY, "2.05:1", "2.02:1", "last year's ratio and this year's"),
    (YY, "0.5%", "129.2%", "the first industry's value added and its investment"),
    (SC, "58.35%", "38.86%", "resident and registered urbanization"),
    (SC, "0.53个百分点", "0.42个百分点", "two rates' changes"),
    (GD, "4.8%", "5%", "2023 result against 2024 target"),
]


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    hints = json.loads((CORPUS / "hints.json").read_text(encoding="utf-8"))
    facts = []
    for name in OTHERS:
        doc = read_path(CORPUS / name)
        h = hints.get(name, {})
        if "published" in h:
            doc.published, doc.published_how = date.fromisoformat(h["published"]), "given"
        facts += extract_document(doc, region=h.get("region"))
    return check(facts)[0]


def _texts(f: Finding) -> Counter:
    return Counter(r.text for r in f.facts)


@pytest.mark.parametrize("doc,kind,status,figures,what", RELATIONS,
                         ids=[f"{r[0].split('_')[0]}-{r[4][:28]}" for r in RELATIONS])
def test_relation_found(findings, doc, kind, status, figures, what) -> None:
    found = [f for f in findings if f.docs == (doc,) and f.kind == kind and _texts(f) == Counter(figures)]
    assert [f.status for f in found] == [status], (what, [(f.kind, f.status, f.message_zh) for f in findings
                                                         if doc in f.docs])
    assert found[0].message_zh and found[0].message_en


@pytest.mark.parametrize("doc,a,b,why", TRAPS, ids=[f"{t[0].split('_')[0]}-{t[3][:28]}" for t in TRAPS])
def test_trap_no_conflict(findings, doc, a, b, why) -> None:
    bad = [f for f in findings if f.status == "conflict" and doc in f.docs and {a, b} <= set(_texts(f))]
    assert bad == [], why


def test_no_conflict_at_all_in_the_eleven(findings) -> None:
    # every relation these reports hold agrees; any conflict is a false one (different periods or groups)
    assert [f.message_zh for f in findings if f.status == "conflict"] == []


def test_every_finding_is_in_the_table(findings) -> None:
    """No finding beyond the table and the targets (2024 targets against 2023 results, out of scope here)
    and the pp differences that imply the city's figure (implied.comparisons, without a region)."""
    table = {(d, k, frozenset(Counter(f).items())) for d, k, _s, f, _w in RELATIONS}
    extra = [f for f in findings if f.kind != "target" and not (f.kind == "implied" and len(f.facts) == 2)
             and (f.docs[0], f.kind, frozenset(_texts(f).items())) not in table]
    assert [f.message_zh for f in extra] == []
