"""/targets (issue 18): each target's history across reports, its plans (stated, and implied by a completion) against
the figures stated for it and the completion percentages reported, drawn plan against actual. Our own reports of an
invented county (青禾县), on a real SQLite file."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from zhibiao.checks import check as run_checks
from zhibiao.checks.groups import group_of
from zhibiao.ingest import ingest
from zhibiao.store import open_engine
from zhibiao.store.browse import target_histories
from zhibiao.store.findings import load_facts, save_findings
from zhibiao.web import Settings, create_app

# a plan at the start of the year, two reports of its progress later; and a completion that alone implies a plan
REPORTS = {
    "plan.txt": "2024年，青禾县计划城镇新增就业2600人。",
    "june.txt": "2024年1-6月，青禾县城镇新增就业1300人，完成年度目标任务的50%。",
    "october.txt": "2024年1-10月，青禾县城镇新增就业2400人，完成年度目标任务的92.31%。",
    "implied.txt": "2023年，全县农村劳动力转移就业2395人，完成年度目标任务82.58%。",
}


@pytest.fixture
def url(tmp_path: Path) -> str:
    for name, text in REPORTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 't.db'}"
    assert ingest([tmp_path / n for n in REPORTS], db, workers=1, progress=False, region="青禾县").ok == 4
    engine = open_engine(db)
    stored = load_facts(engine)
    findings, derived = run_checks(stored.facts)
    save_findings(engine, findings, derived, stored)
    engine.dispose()
    return db


def _history(url: str, indicator: str) -> dict:
    engine = open_engine(url)
    try:
        (h,) = [h for h in target_histories(engine) if h["indicator"] == indicator]
        return h
    finally:
        engine.dispose()


# (indicator, the plans' texts (derived ones by their value), the actuals in period order, the completions)
CASES = [
    # each completion implies the plan again (1300 / 50%, 2400 / 92.31%): both agree with the plan stated
    ("城镇新增就业", [("2600人", False), (2600.0, True), (2600.0, True)], ["1300人", "2400人"], ["50%", "92.31%"]),
    ("农村劳动力转移就业", [(2900.0, True)], ["2395人"], ["82.58%"]),  # 2395 / 82.58% = 2900.2
]


@pytest.mark.parametrize(("indicator", "plans", "actuals", "completions"), CASES, ids=[c[0] for c in CASES])
def test_a_targets_history_holds_its_plans_actuals_and_completions(url: str, indicator, plans, actuals,
                                                                   completions) -> None:
    h = _history(url, indicator)
    got = [(round(p["value"], -2) if p["derived"] else p["text"], p["derived"]) for p in h["plans"]]
    assert got == plans
    assert [a["text"] for a in h["actuals"]] == actuals
    assert [c["text"] for c in h["completions"]] == completions


def test_the_targets_page_draws_plan_against_actual_and_lists_implied_plans(url: str, tmp_path: Path) -> None:
    app = create_app(Settings(db=url, uploads=tmp_path / "up"))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        page = c.get("/targets").text
        sections = re.findall(r'<section class="target-history" id="(target-\d+)" data-indicator="([^"]*)"[^>]*>'
                              r"(.*?)</section>", page, re.S)
        by_indicator = {ind: body for _, ind, body in sections}
        jobs = by_indicator["城镇新增就业"]
        assert jobs.count("<svg") == 1 and "计划" in jobs and "实际" in jobs
        # the stated plan and the two actuals link their figures in their reports, the two implied plans their pages
        assert len(re.findall(r'<a class="point[^"]*" href="/documents/\d+#f\d+"', jobs)) == 3
        assert len(re.findall(r'<a class="point[^"]*" href="/facts/\d+"', jobs)) == 2
        implied = by_indicator["农村劳动力转移就业"]
        assert "推算" in implied and re.search(r'href="/facts/\d+"', implied)  # the implied plan links its own page
        assert "推算" in page.split('id="histories"')[0]  # the summary lists the implied plan too
        english = c.get("/targets?lang=en").text
        assert "Plan" in english and "Actual" in english and "implied" in english
    app.state.jobs.close()


def test_a_finding_has_a_page_of_its_own_naming_what_was_computed_from_what(url: str, tmp_path: Path) -> None:
    app = create_app(Settings(db=url, uploads=tmp_path / "up"))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        found = c.get("/api/findings", params={"kind": "implied", "limit": 50}).json()["findings"]
        (x,) = [f for f in found if f["indicator"] == "农村劳动力转移就业"]
        listing = c.get("/findings").text
        assert f'href="/findings/{x["id"]}"' in listing and f'id="finding-{x["id"]}"' in listing
        page = c.get(f"/findings/{x['id']}").text
        assert "由以下数字计算" in page and re.search(r'class="computed-value">2900.2\d* count', page)
        for f in x["facts"]:  # both figures it was computed from, linked to their place in their report
            assert f'href="/documents/{f["doc_id"]}#f{f["fact_id"]}"' in page
        assert c.get(f"/api/findings/{x['id']}").json()["id"] == x["id"]
        assert c.get("/findings/999999").status_code == 404
    app.state.jobs.close()


# a whole of key projects and its two groups, each with its plan, its actual and the completion of its plan, in a
# report of September and one of the year's end (written for issue 18: the whole against each group, not mixed)
GROUPED = {
    "projects-sep.txt": ("2024年1-9月，青禾县市级重点项目48个，年度计划投资120亿元，完成投资90亿元，占年度计划投资的75%；"
                         "其中：工业类项目20个，年度计划投资50亿元，完成投资40亿元，占年度计划投资的80%；民生类项目28个，"
                         "年度计划投资70亿元，完成投资50亿元，占年度计划投资的71.43%。", date(2024, 10, 12)),
    "projects-dec.txt": ("2024年1-12月，青禾县市级重点项目48个，年度计划投资120亿元，完成投资126亿元，占年度计划投资的105%；"
                         "其中：工业类项目20个，年度计划投资50亿元，完成投资54亿元，占年度计划投资的108%；民生类项目28个，"
                         "年度计划投资70亿元，完成投资72亿元，占年度计划投资的102.86%。", date(2025, 1, 18)),
}


def _stored(folder: Path, reports: dict[str, tuple[str, date]]) -> str:
    db = f"sqlite:///{folder / 'g.db'}"
    for name, (text, published) in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
        assert ingest([folder / name], db, workers=1, progress=False, region="青禾县", published=published).ok == 1
    engine = open_engine(db)
    stored = load_facts(engine)
    findings, derived = run_checks(stored.facts)
    save_findings(engine, findings, derived, stored)
    engine.dispose()
    return db


@pytest.fixture
def grouped(tmp_path: Path) -> str:
    return _stored(tmp_path, GROUPED)


# (group, its plans in order: (text, derived, the completion an implied one came from), its actuals, its completions)
GROUP_CASES = [
    (None, [("120亿元", False, None), ("75%", True, "75%"), ("120亿元", False, None), ("105%", True, "105%")],
     ["90亿元", "126亿元"], ["75%", "105%"]),
    ("工业类项目", [("50亿元", False, None), ("80%", True, "80%"), ("50亿元", False, None), ("108%", True, "108%")],
     ["40亿元", "54亿元"], ["80%", "108%"]),
    ("民生类项目", [("70亿元", False, None), ("71.43%", True, "71.43%"), ("70亿元", False, None),
                 ("102.86%", True, "102.86%")], ["50亿元", "72亿元"], ["71.43%", "102.86%"]),
]


@pytest.mark.parametrize(("group", "plans", "actuals", "completions"), GROUP_CASES, ids=["whole", "industry", "welfare"])
def test_the_whole_and_each_group_have_histories_of_their_own(grouped: str, group, plans, actuals,
                                                              completions) -> None:
    engine = open_engine(grouped)
    try:
        histories = [h for h in target_histories(engine) if h["indicator"] == "年度计划投资"]
    finally:
        engine.dispose()
    assert sorted(h["group"] or "" for h in histories) == sorted(["", "民生类项目", "工业类项目"])
    (h,) = [h for h in histories if h["group"] == group]
    got = [(p["text"], p["derived"], (p.get("implied_from") or {}).get("text")) for p in h["plans"]]
    assert got == plans
    assert [a["text"] for a in h["actuals"]] == actuals
    assert [c["text"] for c in h["completions"]] == completions
    value = {None: 120e8, "工业类项目": 50e8, "民生类项目": 70e8}[group]
    assert all(abs(p["value"] - value) < 0.01 * value for p in h["plans"])  # every plan of a group is the group's


def test_the_targets_page_draws_the_whole_and_each_group_apart(grouped: str, tmp_path: Path) -> None:
    app = create_app(Settings(db=grouped, uploads=tmp_path / "up"))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        page = c.get("/targets").text
        sections = re.findall(r'<section class="target-history" id="target-\d+" data-indicator="年度计划投资" '
                              r'data-group="([^"]*)">(.*?)</section>', page, re.S)
        by_group = dict(sections)
        assert sorted(by_group) == sorted(["", "民生类项目", "工业类项目"])
        for group, body in by_group.items():
            assert body.count("<svg") == 1, group  # plan against actual, one chart each
            assert ("分组 " + group if group else "全部") in body
            # two plans stated, two implied, two actuals: each a point of the chart
            assert len(re.findall(r'<a class="point', body)) == 6
            # each implied plan names the completion it came from, linked to its place in its report
            assert len(re.findall(r'class="implied-from">由完成率推算： <a href="/documents/\d+#f\d+">', body)) == 2
        # the whole's implied plans are derived facts (their own page), a group's are findings (theirs)
        assert len(re.findall(r'<td><a href="/facts/\d+">', by_group[""])) == 2
        for group in ("工业类项目", "民生类项目"):  # each row quotes its figure's clause, not the start of the sentence
            cells = re.findall(r'<td class="sentence">([^<]*)</td>', by_group[group])
            assert len(cells) == 8 and all(group in cell for cell in cells), cells
        assert len(re.findall(r'<td><a href="/findings/\d+">', by_group["工业类项目"])) == 2
        for href in set(re.findall(r'href="(/findings/\d+|/facts/\d+)"', page)):
            assert c.get(href).status_code == 200, href
        english = c.get("/targets?lang=en").text
        assert "Group 工业类项目" in english and "implied by the completion" in english
    app.state.jobs.close()


# the year's end reported without its plans: completions of the plans the September report states
UNPLANNED = {
    "projects-sep.txt": GROUPED["projects-sep.txt"],
    "projects-end.txt": ("2024年1-12月，青禾县市级重点项目48个，完成投资126亿元，占年度计划投资的105%；其中：工业类项目20个，"
                         "完成投资54亿元，占年度计划投资的108%；民生类项目28个，完成投资72亿元，占年度计划投资的102.86%。",
                         date(2025, 1, 18)),
}
# (group, the texts of its plans, its actuals, its completions): the year end's implied plans join the plans stated in
# September, though keyed by the figures' indicator (完成投资), since September's rates tie 完成投资 to 年度计划投资
UNPLANNED_CASES = [
    (None, ["120亿元", "75%", "105%"], ["90亿元", "126亿元"], ["75%", "105%"]),
    ("工业类项目", ["50亿元", "80%", "108%"], ["40亿元", "54亿元"], ["80%", "108%"]),
    ("民生类项目", ["70亿元", "71.43%", "102.86%"], ["50亿元", "72亿元"], ["71.43%", "102.86%"]),
]


@pytest.mark.parametrize(("group", "plans", "actuals", "completions"), UNPLANNED_CASES,
                         ids=["whole", "industry", "welfare"])
def test_a_plan_implied_where_no_plan_is_stated_joins_the_plan_stated_elsewhere(tmp_path: Path, group, plans,
                                                                              actuals, completions) -> None:
    engine = open_engine(_stored(tmp_path, UNPLANNED))
    try:
        histories = target_histories(engine)
    finally:
        engine.dispose()
    assert sorted(h["indicator"] for h in histories) == ["年度计划投资"] * 3  # no history of 完成投资 apart
    (h,) = [h for h in histories if h["group"] == group]
    assert [p["text"] for p in h["plans"]] == plans
    assert [p["derived"] for p in h["plans"]] == [False, True, True]
    assert [a["text"] for a in h["actuals"]] == actuals
    assert [c["text"] for c in h["completions"]] == completions


# (sentence, the figure (its first occurrence), its indicator, the group read)
GROUP_OF = [
    ("2024年，全县项目完成投资90亿元。", "90亿元", "完成投资", None),  # written for group_of: no parts cue, the whole
    ("全县项目40个，完成投资90亿元，其中：续建项目25个，完成投资60亿元。", "60亿元", "完成投资", "续建项目"),
    ("全县项目40个，完成投资90亿元；其中续建项目25个，完成投资60亿元；新建项目15个，完成投资30亿元。", "30亿元",
     "完成投资", "新建项目"),
    ("计划投资80亿元，其中：省级项目计划投资50亿元。", "50亿元", "计划投资", "省级项目"),  # the indicator cut off
    ("计划投资80亿元，其中50亿元为省级项目。", "50亿元", "计划投资", "#1"),  # no words before it: its clause's place
    ("计划投资80亿元，其中：省级项目50亿元。", "80亿元", "计划投资", None),  # a figure before the cue is the whole's
]


@pytest.mark.parametrize(("sentence", "figure", "indicator", "group"), GROUP_OF)
def test_the_group_of_a_figure_is_read_from_its_clause(sentence: str, figure: str, indicator: str, group) -> None:
    assert group_of(sentence, sentence.index(figure), indicator) == group


@given(st.text(max_size=80), st.integers(min_value=0, max_value=100), st.one_of(st.none(), st.text(max_size=6)))
def test_group_of_never_fails_and_names_no_number(sentence: str, at: int, indicator) -> None:
    got = group_of(sentence, at, indicator)
    assert got is None or re.fullmatch(r"#\d+", got) or (0 < len(got) <= 24 and not re.search(r"[0-9０-９]", got))
