"""The panel (zhibiao.panel, `zhibiao panel`, `export --panel`): one row per key, sources merged, conflicts flagged."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from zhibiao.cli import app
from zhibiao.ingest import ingest
from zhibiao.model import Fact, Span
from zhibiao.panel import PANEL_COLUMNS, PANEL_TYPES, Figure, build_panel, canonical_period, panel_rows, stage
from zhibiao.store import FactFilter, open_engine
from zhibiao.store.reviews import add_review

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")
KEY = ["indicator", "region", "entity", "period", "measure", "base", "unit"]


# --- periods: one spelling each ------------------------------------------------------------------------------

@pytest.mark.parametrize(("period", "expected"), [
    ("2022-01/2022-06", ("2022-H1", "half")),  # issue 18: one half-year spelled two ways
    ("2022-H1", ("2022-H1", "half")),
    ("2022-07/2022-12", ("2022-H2", "half")),
    ("2024-01/2024-03", ("2024-Q1", "quarter")),
    ("2024-04/2024-06", ("2024-Q2", "quarter")),  # a quarter, not the first half of anything
    ("2023-01/2023-12", ("2023", "year")),
    ("2024-01/2024-10", ("2024-01/2024-10", "ytd")),  # 1-10月: a year to date
    ("2024-03/2024-05", ("2024-03/2024-05", "months")),
    ("2024-05/2024-05", ("2024-05", "month")),
    ("2018/2022", ("2018/2022", "years")),
    ("2024-11-26", ("2024-11-26", "day")),
])
def test_a_period_has_one_spelling_and_a_frequency(period: str, expected: tuple[str, str]) -> None:
    found = canonical_period(period)
    assert found is not None and (found[0], found[3]) == expected


@given(st.integers(2000, 2030), st.integers(1, 12), st.integers(0, 11))
def test_the_spelling_keeps_the_dates_and_is_its_own_spelling(year: int, first: int, more: int) -> None:
    last = min(12, first + more)
    spelled = canonical_period(f"{year}-{first:02d}/{year}-{last:02d}")
    assert spelled is not None
    assert (spelled[1].month, spelled[2].month) == (first, last)
    assert canonical_period(spelled[0]) == spelled


# --- which release: words of our own ------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    ("经初步核算，全县生产总值为80亿元。", "preliminary"),
    ("据统计快报，全市社会消费品零售总额增长6%。", "preliminary"),
    ("经最终核实，上年全县生产总值为81.2亿元。", "final"),
    ("全县生产总值为80亿元。", ""),
])
def test_stage_is_read_from_the_words_of_the_sentence(sentence: str, expected: str) -> None:
    assert stage(sentence) == expected


def test_stage_falls_back_on_the_title() -> None:
    assert stage("全县生产总值为80亿元。", "2023年全县经济运行初步统计") == "preliminary"


# --- merging, choosing, flagging (figures made by hand) ---------------------------------------------------

def _figure(doc: str, number: str, *, fid: int, published: date | None, derived: bool = False,
            review: str | None = None, sentence: str = "", period: str = "2023") -> Figure:
    value = Decimal(number) * Decimal("1e8")
    fact = Fact(doc=doc, span=Span(10, 10 + len(number) + 2), text=f"{number}亿元", value=value, unit="CNY",
                indicator="地区生产总值", region="灵丘县", period=period, unit_text="元", number_text=f"{number}亿",
                sentence=sentence, extra={"derived": True, "tolerance": "0"} if derived else {})
    return Figure(fact, fid, fid, published, None, derived, review)


def test_agreeing_reports_are_one_row_counting_their_sources() -> None:
    rows = panel_rows([_figure("a.txt", "120.5", fid=1, published=date(2024, 2, 1)),
                       _figure("b.txt", "120.5", fid=2, published=date(2024, 5, 1))]).rows
    assert len(rows) == 1
    r = rows[0]
    assert (r["n_sources"], r["n_figures"], r["conflict"], r["sources"]) == (2, 2, False, "a.txt; b.txt")
    assert (r["doc"], r["chosen_by"], r["printed_value"], r["printed_unit"]) == ("b.txt", "vintage", 120.5, "亿元")
    assert r["region_code"] and r["region_level"] == "county"


def test_a_conflict_keeps_both_values_and_the_rule_decides() -> None:
    rows = panel_rows([_figure("a.txt", "120.5", fid=1, published=date(2024, 2, 1)),
                       _figure("c.txt", "131.2", fid=3, published=date(2024, 6, 1))]).rows
    r = rows[0]
    assert r["conflict"] and r["conflict_scope"] == "reports"
    assert (r["value"], r["other_value"], r["other_text"]) == (131.2e8, 120.5e8, "120.5亿元")
    assert (r["sources"], r["other_sources"], r["n_sources"]) == ("c.txt", "a.txt", 1)


@pytest.mark.parametrize(("older", "newer", "chosen", "rule"), [
    ({"review": "confirm"}, {}, "a.txt", "review"),  # a person's word over a later report
    ({}, {"derived": True}, "a.txt", "stated"),  # a stated figure over one the checks derived
    ({"sentence": "经最终核实，数据如下。"}, {"sentence": "据初步核算，数据如下。"}, "a.txt", "final"),
    ({}, {}, "c.txt", "vintage"),
])
def test_the_rule_of_choice(older: dict, newer: dict, chosen: str, rule: str) -> None:
    rows = panel_rows([_figure("a.txt", "120.5", fid=1, published=date(2024, 2, 1), **older),
                       _figure("c.txt", "131.2", fid=3, published=date(2024, 6, 1), **newer)]).rows
    assert (rows[0]["doc"], rows[0]["chosen_by"]) == (chosen, rule)


def test_two_spellings_of_a_period_are_one_row() -> None:
    rows = panel_rows([_figure("a.txt", "60.1", fid=1, published=date(2023, 7, 20), period="2023-01/2023-06"),
                       _figure("b.txt", "60.1", fid=2, published=date(2023, 8, 2), period="2023-H1")]).rows
    assert [(r["period"], r["frequency"], r["n_sources"]) for r in rows] == [("2023-H1", "half", 2)]


def _rate(doc: str, number: str, base: str, *, fid: int) -> Figure:
    fact = Fact(doc=doc, span=Span(10, 10 + len(number) + 1), text=f"{number}%", value=Decimal(number), unit="%",
                measure="growth", indicator="地区生产总值", region="灵丘县", period="2023", base=base)
    return Figure(fact, fid, fid, date(2024, 2, 1), None, False, None)


# (the rates' numbers and bases, the rows as (base, value, n_figures, conflict)): written for the base of a rate
BASES = [
    # a rate against 2020 is no second value of the rate against the year before
    ([("5.1", "previous-year"), ("16.2", "2020")], [("2020", 16.2, 1, False), ("previous-year", 5.1, 1, False)]),
    # a report that states no base joins the one base the other states (and disagrees with it, in conflict)
    ([("5.1", "previous-year"), ("5.1", "")], [("previous-year", 5.1, 2, False)]),
    ([("5.1", "previous-year"), ("5.6", "")], [("previous-year", 5.6, 2, True)]),
    # with two bases stated, one that states none is joined with neither
    ([("5.1", "previous-year"), ("16.2", "2020"), ("5.1", "")],
     [("", 5.1, 1, False), ("2020", 16.2, 1, False), ("previous-year", 5.1, 1, False)]),
]


@pytest.mark.parametrize(("rates", "expected"), BASES)
def test_two_bases_are_two_rows_and_an_unstated_base_joins_the_one_stated(rates: list, expected: list) -> None:
    figures = [_rate(f"{i}.txt", number, base, fid=i) for i, (number, base) in enumerate(rates, 1)]
    rows = panel_rows(figures).rows
    assert [(r["base"], r["value"], r["n_figures"], r["conflict"]) for r in rows] == expected


def test_a_derived_figure_is_marked_and_has_no_printed_text() -> None:
    r = panel_rows([_figure("a.txt", "120.5", fid=1, published=None, derived=True)]).rows[0]
    assert r["derived"] and r["text"] is None and r["printed_value"] is None


def test_a_fact_without_region_or_period_is_counted_out() -> None:
    g = _figure("a.txt", "1", fid=1, published=None)
    g.fact.region = None
    panel = panel_rows([g])
    assert (panel.rows, panel.left_out) == ([], 1)


# --- stored reports of our own, through ingest, review and the files written ----------------------------

REPORTS = {  # (published, text): sentences written for these tests
    "a.txt": ("2024-02-01", "2023年，灵丘县地区生产总值完成120.5亿元，比上年增长5.1%。\n"),
    "b.txt": ("2024-05-01", "2023年，灵丘县地区生产总值为120.5亿元，增长5.1%。\n"),
    "c.txt": ("2024-06-01", "2023年，灵丘县地区生产总值达到131.2亿元。\n"),
}


@pytest.fixture
def stored(tmp_path: Path) -> str:
    db = str(tmp_path / "p.db")
    for name, (published, text) in REPORTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        summary = ingest([tmp_path / name], db, workers=1, published=date.fromisoformat(published), progress=False)
        assert summary.ok == 1
    return db


def _gdp(rows: list[dict]) -> dict:
    return next(r for r in rows if r["measure"] == "level" and r["indicator"] == "地区生产总值")


def test_stored_reports_merge_and_a_review_is_chosen_first(stored: str) -> None:
    engine = open_engine(stored)
    _, rows, _ = build_panel(engine)
    gdp = _gdp(rows)
    assert gdp["conflict"] and (gdp["doc"], gdp["value"], gdp["other_value"]) == ("c.txt", 131.2e8, 120.5e8)
    assert (gdp["n_sources"], gdp["n_figures"]) == (1, 3)
    growth = next(r for r in rows if r["measure"] == "growth")
    assert (growth["n_sources"], growth["conflict"], growth["value"]) == (2, False, 5.1)
    older = next(f for f in _facts_of(stored, "a.txt") if f["measure"] == "level")
    add_review(engine, older["id"], "confirm", author="test")
    _, rows, _ = build_panel(engine)
    gdp = _gdp(rows)
    assert (gdp["doc"], gdp["review"], gdp["chosen_by"], gdp["value"]) == ("a.txt", "confirm", "review", 120.5e8)
    add_review(engine, older["id"], "wrong", author="test")  # a figure marked wrong is no source
    _, rows, _ = build_panel(engine, FactFilter(measure="level"))
    gdp = _gdp(rows)
    assert (gdp["n_figures"], gdp["sources"], gdp["other_sources"]) == (2, "c.txt", "b.txt")
    engine.dispose()


def _facts_of(db: str, doc: str) -> list[dict]:
    r = CliRunner().invoke(app, ["facts", "--db", db, "--doc", doc, "-f", "jsonl"])
    assert r.exit_code == 0, r.output
    return [json.loads(line) for line in r.stdout.splitlines()]


@pytest.mark.parametrize("ending", [".csv", ".parquet", ".dta"])
def test_the_panel_file_reads_back_with_pandas_with_its_types(stored: str, tmp_path: Path, ending: str) -> None:
    out = tmp_path / f"panel{ending}"
    r = CliRunner().invoke(app, ["panel", "--db", stored, "--out", str(out)])  # the format from the ending
    assert r.exit_code == 0, r.output
    frame = {".csv": lambda p: pd.read_csv(p, encoding="utf-8-sig"), ".parquet": pd.read_parquet,
             ".dta": pd.read_stata}[ending](out)
    assert list(frame.columns) == list(PANEL_COLUMNS)
    assert not frame.duplicated(KEY).any()
    gdp = frame[(frame.measure == "level") & (frame.indicator == "地区生产总值")].iloc[0]
    assert gdp["value"] == 131.2e8 and gdp["other_value"] == 120.5e8 and gdp["printed_unit"] == "亿元"
    assert bool(gdp["conflict"]) and int(gdp["n_figures"]) == 3
    assert pd.Timestamp(gdp["period_start"]) == pd.Timestamp("2023-01-01")
    if ending != ".csv":  # typed formats: a number is a number, a date a date
        assert pd.api.types.is_float_dtype(frame["value"]) and pd.api.types.is_integer_dtype(frame["n_sources"])
        assert pd.api.types.is_datetime64_any_dtype(pd.to_datetime(frame["period_end"]))
        kinds = {c for c, k in PANEL_TYPES.items() if k == "float"}
        assert all(pd.api.types.is_float_dtype(frame[c]) for c in kinds)


def test_the_wide_panel_is_regions_by_periods(stored: str, tmp_path: Path) -> None:
    out = tmp_path / "wide.dta"
    r = CliRunner().invoke(app, ["export", "--panel", "--layout", "wide", "--db", stored, "-o", str(out),
                                 "--measure", "level"])
    assert r.exit_code == 0, r.output
    frame = pd.read_stata(out)
    assert list(frame.columns)[-2:] == ["p2023", "conflict_periods"]  # 2023 is no Stata name: p2023
    assert frame.loc[0, "p2023"] == 131.2e8 and frame.loc[0, "conflict_periods"] == "2023"


def test_the_panel_on_standard_output_is_csv(stored: str) -> None:
    r = CliRunner().invoke(app, ["panel", "--db", stored, "--period", "2023年"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split(",")[:3] == ["indicator", "indicator_standard", "region"] and len(lines) >= 3


# --- the sixteen reports of the shared corpus ---------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not here")
    db = str(tmp_path_factory.mktemp("corpus") / "corpus.db")
    hints = json.loads((CORPUS / "hints.json").read_text(encoding="utf-8"))
    for path in sorted(CORPUS.glob("*.txt")):
        hint = hints.get(path.name, {})
        published = date.fromisoformat(hint["published"]) if "published" in hint else None
        assert ingest([path], db, workers=1, region=hint.get("region"), published=published, progress=False).ok == 1
    r = CliRunner().invoke(app, ["check", "--db", db, "-f", "jsonl"])
    assert r.exit_code == 0, r.output
    return db


def test_the_corpus_panel_has_one_row_per_key_and_flags_every_conflict(corpus_db: str, tmp_path: Path) -> None:
    out = tmp_path / "corpus.parquet"
    assert CliRunner().invoke(app, ["panel", "--db", corpus_db, "-o", str(out)]).exit_code == 0
    panel = pd.read_parquet(out)
    assert len(panel) > 300 and not panel.duplicated(KEY).any()
    series = ["indicator", "region", "entity", "measure", "base", "unit"]  # the pivot that failed on the duplicates
    pivot = panel.assign(entity=panel.entity.fillna("")).pivot(index=series, columns="period", values="value")
    assert pivot.notna().sum().sum() == len(panel)
    # every conflict of `zhibiao check`'s agreement is a panel row in conflict
    checked = CliRunner().invoke(app, ["check", "--db", corpus_db, "-f", "jsonl", "--status", "conflict"])
    for finding in map(json.loads, checked.stdout.splitlines()):
        if finding["kind"] == "agreement":
            hit = panel[(panel.indicator == finding["indicator"]) & (panel.region == finding["region"])]
            assert hit.conflict.any(), finding["message_en"]
    # a row whose figures are more than 5% apart (beyond any printed precision or 约) is a conflict
    facts = pd.read_json(_export(corpus_db, tmp_path), lines=True)
    facts = facts[facts.indicator.notna() & facts.region.notna() & facts.period.notna()]
    facts["period"] = [canonical_period(p)[0] for p in facts.period]
    facts["entity"] = facts.entity.fillna("")
    spread = facts.groupby(KEY).value.agg(lambda v: (v.max() - v.min()) / max(abs(v.max()), abs(v.min()), 1e-9))
    apart = {k for k, s in spread.items() if s > 0.05}
    flagged = {tuple(r) for r in panel.assign(entity=panel.entity.fillna(""))[panel.conflict][KEY].itertuples(
        index=False)}
    assert apart and apart <= flagged
    assert all(panel[panel.conflict].other_value.notna()) and all(panel[panel.conflict].other_sources.notna())
    assert panel.n_figures.sum() == len(facts)


def _export(db: str, tmp_path: Path) -> Path:
    out = tmp_path / "facts.jsonl"
    r = CliRunner().invoke(app, ["export", "--db", db, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


# --- the web app's twin -------------------------------------------------------------------------------------

@pytest.fixture
def web(stored: str, tmp_path: Path):
    from fastapi.testclient import TestClient

    from zhibiao.web.app import create_app
    from zhibiao.web.settings import Settings

    app = create_app(Settings(db=stored, uploads=tmp_path / "up"))
    with TestClient(app) as c:
        yield c
    app.state.jobs.close()


@pytest.mark.parametrize("fmt", ["csv", "parquet", "dta"])
def test_the_web_download_is_the_panel_of_the_command(web, stored: str, tmp_path: Path, fmt: str) -> None:
    import io

    r = web.get("/api/panel", params={"indicator": "地区生产总值", "format": fmt})
    assert r.status_code == 200 and "zhibiao-panel." + fmt in r.headers["content-disposition"]
    got = {"csv": lambda b: pd.read_csv(io.BytesIO(b), encoding="utf-8-sig"), "parquet": pd.read_parquet,
           "dta": pd.read_stata}[fmt](io.BytesIO(r.content) if fmt != "csv" else r.content)
    out = tmp_path / f"cli.{fmt}"
    assert CliRunner().invoke(app, ["panel", "--db", stored, "--indicator", "地区生产总值", "-o", str(out)]).exit_code == 0
    want = {"csv": lambda p: pd.read_csv(p, encoding="utf-8-sig"), "parquet": pd.read_parquet,
            "dta": pd.read_stata}[fmt](out)
    pd.testing.assert_frame_equal(got, want)
    assert got.conflict.astype(bool).any()


def test_the_indicator_page_links_the_panel_of_its_regions(web) -> None:
    page = web.get("/indicators", params={"indicator": "地区生产总值", "region": "灵丘县"}).text
    assert 'id="panel-download"' in page and "/api/panel?indicator=" in page and "layout=wide" in page
    wide = web.get("/api/panel", params={"indicator": "地区生产总值", "region": ["灵丘县", "广灵县"],
                                         "layout": "wide"})
    assert wide.status_code == 200 and wide.text.lstrip("\ufeff").startswith("indicator,measure,base,unit")
    assert web.get("/api/panel", params={"period": "soon"}).status_code == 400
