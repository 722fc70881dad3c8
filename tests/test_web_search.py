"""Issue 18: search by number (364.6) or by words across all reports, and the English mode's indicator names
(the catalogue's English name where the Chinese mode writes the stored one)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from zhibiao.store import open_engine
from zhibiao.store.browse import search
from zhibiao.web import Settings, create_app, demo

# our own reports: one number printed in two of them, near misses of it in a third
REPORTS = {
    "甲县公报.txt": "2023年，灵丘县地区生产总值达到364.6亿元，比上年增长5.0%。",
    "乙县报告.txt": "灵丘县2023年全年地区生产总值364.6亿元。全年粮食产量12.6万吨。",
    "丙县公报.txt": "2023年，广灵县地区生产总值1364.6亿元，社会消费品零售总额364.65亿元。",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("search")
    for name, text in REPORTS.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    path = str(folder / "search.db")
    demo.build(path, [folder])
    return path


# (query, the printed figures it finds, where the case comes from)
CASES = [
    ("364.6", {"364.6亿元"}, "issue 18: a number across reports; not 1364.6 nor 364.65"),
    ("364.65", {"364.65亿元"}, "a longer number finds only itself"),
    ("12.6", {"12.6万吨"}, "a number in one report"),
    ("粮食", {"12.6万吨"}, "words: the sentence and indicator of a figure"),
    ("999.9", set(), "a number no report prints"),
]


@pytest.mark.parametrize(("query", "texts", "why"), CASES)
def test_search_finds_the_figures_printed_with_a_number_or_in_sentences_with_the_words(db: str, query: str,
                                                                                    texts: set[str], why: str) -> None:
    engine = open_engine(db)
    try:
        found = search(engine, query)
    finally:
        engine.dispose()
    assert {f["text"] for f in found} == texts, why


def test_a_number_is_found_in_every_report_that_prints_it(db: str) -> None:
    engine = open_engine(db)
    try:
        docs = {f["doc"] for f in search(engine, "364.6")}
    finally:
        engine.dispose()
    assert docs == {"甲县公报.txt", "乙县报告.txt"}


@pytest.fixture(scope="module")
def client(db: str, tmp_path_factory: pytest.TempPathFactory):
    app = create_app(Settings(db=db, uploads=tmp_path_factory.mktemp("up")))
    with TestClient(app) as c:
        yield c
    app.state.jobs.close()


# (language, the indicator name the search page writes for 地区生产总值)
NAME_CASES = [("zh", "地区生产总值"), ("en", "Gross regional product")]


@pytest.mark.parametrize(("lang", "name"), NAME_CASES)
def test_the_search_page_lists_the_figures_with_the_indicator_name_of_its_language(client: TestClient, lang: str,
                                                                                  name: str) -> None:
    page = client.get("/search", params={"q": "364.6", "lang": lang}).text
    assert page.count('href="/documents/') >= 2 and "364.6亿元" in page and "1364.6亿元" not in page
    assert f"<td>{name}</td>" in page


def test_every_page_has_the_search_box(client: TestClient) -> None:
    assert 'id="top-search"' in client.get("/documents").text
