"""/entities (issue 18): the names of one project merged, phrases that name no project or company left out, so that a
project's investment can be followed across reports and years. The names and reports are our own, of an invented
county (青禾县) and its invented projects."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhibiao.ingest import ingest
from zhibiao.store.entities import group, is_name, key
from zhibiao.web import Settings, create_app

# (name, whether it names one project or company, why)
NAMES = [
    ("禾丰光伏储能一体化示范项目", True, "a project by its name and head word"),
    ("青禾县“禾丰光伏储能一体化示范项目", True, "a mark left open where the name was cut at its head word"),
    ("青禾新材料科技有限公司", True, "a company"),
    ("2号机组", True, "a unit of a plant is a thing of its own"),
    ("2024年县级重点项目", False, "a year, a level and a kind: a class of projects"),
    ("全县市级重点工程", False, "only words of a kind of project"),
    ("亿元以上项目", False, "a class of projects by size"),
    ("道路、管网等配套工程", False, "a list of kinds"),
    ("全面推进园区", False, "a clause of the report's own telling that ends in a head word"),
    ("通过项目", False, "a verb and a head word"),
    ("这一年产2万吨饲料生产线", False, "points back to something named before"),
    ("青禾中学扩建”“禾丰大道项目", False, "two names run together"),
]


@pytest.mark.parametrize(("name", "expected", "why"), NAMES, ids=[n[0] for n in NAMES])
def test_what_names_a_project_or_company(name: str, expected: bool, why: str) -> None:
    assert is_name(name) is expected, why


# (the names the reports give, the entities expected (shown name: its names), why)
GROUPS = [
    (["禾丰光伏储能一体化示范项目", "禾丰光伏储能一体化示范工程", "“禾丰光伏储能一体化示范项目”"],
     {"禾丰光伏储能一体化示范项目": 3}, "the same name with quotes or another last word"),
    (["2023年禾丰冷链物流园项目", "禾丰冷链物流园"],
     {"2023年禾丰冷链物流园项目": 2}, "a leading year tells when, not which"),
    (["青禾县禾丰光伏储能一体化示范项目", "光伏储能一体化示范项目"],
     {"青禾县禾丰光伏储能一体化示范项目": 2}, "a short form held in exactly one longer name"),
    (["禾丰南区光伏电站", "禾丰北区光伏电站", "光伏电站"],
     {"禾丰南区光伏电站": 1, "禾丰北区光伏电站": 1, "光伏电站": 1}, "a short form two names hold is neither"),
    (["青禾新材料科技有限公司", "禾丰光伏储能一体化示范项目"],
     {"青禾新材料科技有限公司": 1, "禾丰光伏储能一体化示范项目": 1}, "two names of two things stay apart"),
]


@pytest.mark.parametrize(("names", "expected", "why"), GROUPS, ids=[g[2] for g in GROUPS])
def test_the_names_of_one_project_are_merged(names: list[str], expected: dict[str, int], why: str) -> None:
    found, dropped = group(names)
    assert {e.name: len(e.names) for e in found} == expected, why
    assert dropped == []


def test_a_key_drops_marks_year_and_last_word() -> None:
    assert key("2024年“禾丰冷链物流园”项目") == key("禾丰冷链物流园") == "禾丰冷链物流园"


# three reports of two years naming one project three ways, and a class of projects that is no entity
REPORTS = {
    "2023.txt": "2023年，青禾县“禾丰光伏储能一体化示范项目”完成投资4.2亿元。全县亿元以上项目完成投资30.5亿元。",
    "2024a.txt": "2024年，禾丰光伏储能一体化示范项目累计完成投资7.8亿元。",
    "2024b.txt": "2024年，光伏储能一体化示范工程完成投资2.1亿元。",
}


@pytest.fixture
def client(tmp_path: Path):
    for name, text in REPORTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'e.db'}"
    assert ingest([tmp_path / n for n in REPORTS], url, workers=1, progress=False, region="青禾县").ok == 3
    app = create_app(Settings(db=url, uploads=tmp_path / "up"))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    app.state.jobs.close()


def test_entities_lists_one_project_under_its_names_and_its_figures_across_reports(client: TestClient) -> None:
    listed = client.get("/api/entities").json()["entities"]
    assert [e["entity"] for e in listed] == ["青禾县禾丰光伏储能一体化示范项目"]
    (project,) = listed
    assert (project["n_facts"], project["n_docs"]) == (3, 3) and len(project["names"]) == 3
    facts = client.get("/api/entity", params={"name": project["entity"]}).json()["facts"]
    assert sorted(f["text"] for f in facts) == ["2.1亿元", "4.2亿元", "7.8亿元"]
    # any of its names leads to the same figures; a name that is no entity still has its page
    short = client.get("/api/entity", params={"name": "光伏储能一体化示范工程"}).json()
    assert short["total"] == 3
    page = client.get("/entities")
    assert page.status_code == 200 and "以上项目" not in page.text and "又称" in page.text
    assert client.get("/entity", params={"name": "全县亿元以上项目"}).status_code == 200
