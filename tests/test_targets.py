"""/targets (issue 18): each target's history across reports, its plans (stated, and implied by a completion) against
the figures stated for it and the completion percentages reported, drawn plan against actual. Our own reports of an
invented county (青禾县), on a real SQLite file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhibiao.checks import check as run_checks
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
        sections = re.findall(r'<section class="target-history" id="(target-\d+)" data-indicator="([^"]*)">(.*?)'
                              r"</section>", page, re.S)
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
