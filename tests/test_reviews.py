"""Reviews that survive a changed report (issue 18): anchored by the figure's text and the words around it,
re-attached after every re-extract, and listed as needing attention when their figure cannot be found."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from zhibiao.ingest import ingest
from zhibiao.store import FactFilter, iter_facts, open_engine
from zhibiao.store.delete import delete_documents
from zhibiao.store.query import iter_stored_facts
from zhibiao.store.reviews import add_review, reviews_of_fact, unattached_reviews
from zhibiao.store.schema import ReviewRow

# our own report: a level and two growth rates printed alike (5.1%), which only their words tell apart
REPORT = ("2023年，灵丘县地区生产总值完成120.5亿元，比上年增长5.1%。\n"
          "全县一般公共预算收入完成8.6亿元，增长5.1%。\n")
ABOVE = "灵丘县统计局发布本年度主要经济数据如下。\n"  # a sentence put above the figures in the second version


@pytest.fixture
def report(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "lingqiu.txt"
    path.write_text(REPORT, encoding="utf-8")
    db = str(tmp_path / "r.db")
    assert ingest([path], db, workers=1, progress=False).ok == 1
    return path, db


def _facts(db: str) -> list[dict]:
    engine = open_engine(db)
    try:
        return list(iter_stored_facts(engine, FactFilter()))
    finally:
        engine.dispose()


def _one(db: str, text: str, nth: int = 0) -> dict:
    return [f for f in _facts(db) if f["text"] == text][nth]


def _reingest(path: Path, db: str, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    assert ingest([path], db, workers=1, progress=False).ok == 1


def test_a_correction_and_a_rejection_follow_their_figures_when_text_is_added_above(report) -> None:
    path, db = report
    engine = open_engine(db)
    gdp = _one(db, "120.5亿元")
    add_review(engine, gdp["id"], "correct", changes={"indicator": "地区生产总值（修订）"}, author="李")
    second = _one(db, "5.1%", 1)  # the revenue's growth: marked wrong
    add_review(engine, second["id"], "wrong", author="李")
    _reingest(path, db, ABOVE + REPORT)
    moved = _one(db, "120.5亿元")
    assert moved["start"] == gdp["start"] + len(ABOVE)  # the figure moved ...
    assert (moved["indicator"], moved["review"]) == ("地区生产总值（修订）", "correct")  # ... and its review with it
    left = [f for f in _facts(db) if f["text"] == "5.1%"]
    assert len(left) == 1 and left[0]["start"] < moved["start"] + 20  # the first 5.1% stays; the rejected one not
    assert [r["author"] for r in reviews_of_fact(engine, moved["id"])] == ["李"]
    assert unattached_reviews(engine) == []
    engine.dispose()


def test_of_two_figures_printed_alike_the_words_around_choose(report) -> None:
    path, db = report
    engine = open_engine(db)
    revenue_growth = _one(db, "5.1%", 1)
    add_review(engine, revenue_growth["id"], "correct", changes={"entity": "预算收入"}, author="王")
    # the first sentence is now the second: a review kept by span would land on the GDP's growth
    lines = REPORT.splitlines(keepends=True)
    _reingest(path, db, lines[1] + lines[0])
    found = [f for f in _facts(db) if f["entity"] == "预算收入"]
    assert len(found) == 1 and found[0]["start"] < len(lines[1])
    engine.dispose()


def test_a_figure_that_changed_leaves_its_review_needing_attention(report) -> None:
    path, db = report
    engine = open_engine(db)
    gdp = _one(db, "120.5亿元")
    add_review(engine, gdp["id"], "confirm", author="赵")
    _reingest(path, db, REPORT.replace("120.5亿元", "121.3亿元"))  # the report was corrected: look again
    waiting = unattached_reviews(engine)
    assert [(r["text"], r["action"], r["author"]) for r in waiting] == [("120.5亿元", "confirm", "赵")]
    assert _one(db, "121.3亿元")["review"] is None
    _reingest(path, db, REPORT)  # the old figure is back: so is its review
    assert unattached_reviews(engine) == [] and _one(db, "120.5亿元")["review"] == "confirm"
    engine.dispose()


def test_a_review_from_before_the_context_is_found_by_its_span(report) -> None:
    path, db = report
    engine = open_engine(db)
    gdp = _one(db, "120.5亿元")
    add_review(engine, gdp["id"], "correct", changes={"region": "灵丘"}, author="周")
    with engine.begin() as conn:  # as migration 0006 leaves a review made before it
        conn.execute(update(ReviewRow.__table__).values(context_before=None, context_after=None))
    _reingest(path, db, REPORT + "\n")
    assert _one(db, "120.5亿元")["region"] == "灵丘"
    engine.dispose()


def test_a_deleted_report_leaves_its_reviews_waiting(report) -> None:
    path, db = report
    engine = open_engine(db)
    add_review(engine, _one(db, "8.6亿元")["id"], "confirm", author="吴")
    delete_documents(engine, ["lingqiu.txt"])
    assert [r["text"] for r in unattached_reviews(engine)] == ["8.6亿元"]
    assert not list(iter_facts(engine))
    engine.dispose()


def test_the_reviews_page_and_check_show_what_needs_attention(report, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from zhibiao.cli import app as cli
    from zhibiao.web.app import create_app
    from zhibiao.web.settings import Settings

    path, db = report
    engine = open_engine(db)
    add_review(engine, _one(db, "8.6亿元")["id"], "correct", changes={"indicator": "预算收入"}, author="郑")
    engine.dispose()
    _reingest(path, db, REPORT.replace("8.6亿元", "8.9亿元"))
    app = create_app(Settings(db=db, uploads=tmp_path / "up"))
    with TestClient(app) as c:
        page = c.get("/reviews").text
    app.state.jobs.close()
    assert 'id="needs-attention"' in page and "8.6亿元" in page and "预算收入" in page
    checked = CliRunner().invoke(cli, ["check", "--db", db])
    assert checked.exit_code == 0 and "1 review(s) need attention" in checked.output and "lingqiu.txt" in checked.output
