"""The web app (zhibiao serve) in process: every page, every endpoint, hostile parameters, reviews, uploads,
security. The database holds the example reports, extracted and checked once per module."""

from __future__ import annotations

import re
from pathlib import Path

import dbfixtures
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import zhibiao
from zhibiao.layout import analyze
from zhibiao.store import open_engine
from zhibiao.store.findings import load_facts
from zhibiao.store.reviews import add_review, reattach
from zhibiao.web import Settings, create_app, demo
from zhibiao.web.highlight import render

GDP = "地区生产总值"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("web") / "web.db"
    demo.build(str(path))
    return str(path)


@pytest.fixture(scope="module")
def client(db: str, tmp_path_factory: pytest.TempPathFactory):
    app = create_app(Settings(db=db, uploads=tmp_path_factory.mktemp("uploads")))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.jobs.close()


def _doc_id(client: TestClient, name: str) -> int:
    return next(d["id"] for d in client.get("/api/documents").json()["documents"] if d["name"] == name)


# --- pages -------------------------------------------------------------------------------------------------

PAGES = ["/", "/documents", "/indicators", "/indicators?q=GDP", f"/indicators?indicator={GDP}", "/findings",
         "/findings?status=conflict", "/targets", "/entities", "/add", "/reviews", "/login"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_chinese_with_no_outside_asset(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert "概览" in r.text and "text/html" in r.headers["content-type"]
    assert not re.search(r"(src|href)=\"(https?:)?//", r.text), "nothing may come from elsewhere"
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_the_english_switch_sets_a_cookie_and_pages_follow_it(client: TestClient) -> None:
    r = client.get("/lang/en?next=/findings", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/findings"
    assert "Overview" in client.get("/findings").text
    client.get("/lang/zh?next=//evil.example", follow_redirects=False)
    assert client.get("/lang/zh?next=//evil.example", follow_redirects=False).headers["location"] == "/"
    assert "概览" in client.get("/").text


def test_the_reader_marks_every_figure_and_sets_captions_and_repeats_apart(client: TestClient) -> None:
    doc_id = _doc_id(client, "county_news_gbk.txt")
    facts = client.get(f"/api/documents/{doc_id}/facts").json()["facts"]
    page = client.get(f"/documents/{doc_id}").text
    for f in facts:
        assert f'data-fact="{f["id"]}"' in page
    assert 'class="blk k-caption' in page
    assert "m-growth" in page and "m-level" in page
    one = client.get(f"/facts/{facts[0]['id']}")
    assert one.status_code == 200 and facts[0]["text"] in one.text


def test_the_indicator_explorer_draws_points_linked_to_sentences(client: TestClient) -> None:
    page = client.get("/indicators", params={"indicator": GDP}).text
    assert "<svg" in page and 'class="point"' in page
    assert re.search(r'href="/documents/\d+#f\d+"', page)
    assert "/api/facts?indicator=" in page  # the CSV download
    assert GDP in client.get("/indicators", params={"q": "Gross regional product"}).text


def test_the_explorer_legend_names_each_series_in_the_page_language(client: TestClient) -> None:
    zh = client.get("/indicators", params={"indicator": GDP}).text
    assert re.search(r'<text class="legend"[^>]*>[^<]* · 总量</text>', zh)
    client.get("/lang/en?next=/")
    try:
        en = client.get("/indicators", params={"indicator": GDP}).text
        assert re.search(r'<text class="legend"[^>]*>[^<]* · Level</text>', en)
        assert not re.search(r'<text class="legend"[^>]*>[^<]* · level</text>', en)  # no raw measure keys
    finally:
        client.get("/lang/zh?next=/")


def test_an_entity_page_lists_its_figures_across_reports(client: TestClient) -> None:
    entities = client.get("/api/entities").json()["entities"]
    assert entities
    name = entities[0]["entity"]
    r = client.get("/entity", params={"name": name})
    assert r.status_code == 200 and name in r.text
    assert client.get("/api/entity", params={"name": name}).json()["total"] == entities[0]["n_facts"]


# --- API ---------------------------------------------------------------------------------------------------

def test_documents_and_facts_with_the_filters_of_zhibiao_facts(client: TestClient, db: str) -> None:
    docs = client.get("/api/documents").json()
    assert docs["total"] == 3 and all("path" not in d for d in docs["documents"])
    with zhibiao.open(db) as store:
        expected = store.count(indicator="GDP", period="2024")
    r = client.get("/api/facts", params={"indicator": "GDP", "period": "2024"}).json()
    assert r["total"] == expected > 0
    assert all(f["indicator"] == GDP for f in r["facts"])
    assert {"id", "doc", "start", "end", "text", "value", "unit", "measure", "review"} <= set(r["facts"][0])
    growth = client.get("/api/facts", params={"measure": "growth", "limit": 5}).json()
    assert len(growth["facts"]) == 5 and {f["measure"] for f in growth["facts"]} == {"growth"}
    page2 = client.get("/api/facts", params={"limit": 5, "offset": 5}).json()["facts"]
    assert page2[0]["id"] != client.get("/api/facts", params={"limit": 5}).json()["facts"][0]["id"]
    doc = client.get(f"/api/documents/{docs['documents'][0]['id']}", params={"text": "true"}).json()
    assert doc["text"] and "path" not in doc


def test_facts_as_csv_download(client: TestClient) -> None:
    r = client.get("/api/facts", params={"indicator": GDP, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    lines = r.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("id,doc,start,end,text") and len(lines) > 1


def test_findings_indicators_targets_entities_overview_openapi(client: TestClient) -> None:
    f = client.get("/api/findings").json()
    assert f["total"] > 0 and f["findings"][0]["facts"]
    assert client.get("/api/findings", params={"status": "conflict"}).json()["total"] <= f["total"]
    ind = client.get("/api/indicators", params={"q": "GDP"}).json()["indicators"]
    assert ind[0]["name"] == GDP and ind[0]["n_facts"] > 0
    series = client.get("/api/series", params={"indicator": "GDP"}).json()
    assert series["points"] and all(p["period"] for p in series["points"])
    assert client.get("/api/targets").json()["total"] > 0
    ov = client.get("/api/overview").json()
    assert ov["documents"]["ok"] == 3 and ov["facts"] > 0
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/documents", "/api/facts", "/api/findings", "/api/indicators", "/api/reviews"):
        assert path in spec["paths"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


HOSTILE = ["'", '"', "' OR 1=1 --", "\"; DROP TABLE facts; --", "<script>alert(1)</script>", "%", "_", "\\",
           "x" * 201, "2023-13", "9999999999", "-1", "../../etc/passwd", "😀", "\u202e", "NaN", "1e309", "[]", "{}"]
HOSTILE_URLS = [
    "/api/facts?doc={v}", "/api/facts?indicator={v}", "/api/facts?region={v}", "/api/facts?period={v}",
    "/api/facts?measure={v}", "/api/facts?entity={v}", "/api/facts?limit={v}", "/api/facts?offset={v}",
    "/api/facts?format={v}", "/api/findings?kind={v}", "/api/findings?status={v}", "/api/findings?doc={v}",
    "/api/indicators?q={v}", "/api/series?indicator={v}", "/api/series?indicator=GDP&region={v}",
    "/api/series?indicator=GDP&measure={v}", "/api/entities?q={v}", "/api/entity?name={v}", "/api/facts/{v}",
    "/api/documents/{v}", "/api/jobs/{v}", "/api/reviews?fact_id={v}", "/indicators?q={v}",
    "/indicators?indicator={v}", "/findings?kind={v}", "/entities?q={v}", "/entity?name={v}", "/documents/{v}",
    "/facts/{v}", "/lang/{v}", "/login?next={v}",
]


@pytest.mark.parametrize("template", HOSTILE_URLS)
def test_hostile_parameters_get_4xx_or_clean_results_never_500(client: TestClient, template: str) -> None:
    from urllib.parse import quote

    for v in [*HOSTILE, str(2**63), str(10**40)]:
        r = client.get(template.format(v=quote(v, safe="")))
        assert r.status_code < 500, (template, v, r.status_code, r.text[:300])
        if "html" in r.headers.get("content-type", ""):  # JSON may quote it: it is never run as HTML (nosniff)
            assert "<script>alert(1)</script>" not in r.text


@pytest.mark.parametrize("raw", ["/api/facts?doc=%00", "/api/facts?indicator=a%00b", "/indicators?q=%0d%0aX",
                                 "/api/facts?limit=1&limit=abc", "/api/facts?" + "a=1&" * 2000,
                                 "/static/../zhibiao/web/app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                                 "/static/%2e%2e%2f%2e%2e%2fpyproject.toml"])
def test_control_characters_and_path_traversal_are_refused(client: TestClient, raw: str) -> None:
    r = client.get(raw)
    assert 400 <= r.status_code < 500 or (r.status_code == 200 and "import" not in r.text), (raw, r.status_code)


@pytest.mark.parametrize("body", [
    {}, {"fact_id": 0, "action": "confirm"}, {"fact_id": 2**40, "action": "confirm"},
    {"fact_id": 1, "action": "delete"}, {"fact_id": 999999, "action": "confirm"},
    {"fact_id": 1, "action": "correct", "changes": {}}, {"fact_id": 1, "action": "correct", "changes": {"text": "x"}},
    {"fact_id": 1, "action": "correct", "changes": {"value": "abc"}},
    {"fact_id": 1, "action": "correct", "changes": {"value": "1e999"}},
    {"fact_id": 1, "action": "correct", "changes": {"unit": "<b>"}},
    {"fact_id": 1, "action": "correct", "changes": {"period": "2023-99"}},
    {"fact_id": 1, "action": "correct", "changes": {"region": "x" * 5000}},
    {"fact_id": 1, "action": "confirm", "author": "a\x00b"}, "not json",
])
def test_bad_reviews_are_refused_with_4xx(client: TestClient, body: object) -> None:
    r = client.post("/api/reviews", json=body) if not isinstance(body, str) else client.post(
        "/api/reviews", content=body, headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500, r.text


# --- reviews -----------------------------------------------------------------------------------------------

def test_a_correction_is_used_by_facts_export_and_check_and_survives_reingest(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    demo.build(db)
    app = create_app(Settings(db=db, uploads=tmp_path / "up"))
    with TestClient(app) as c:
        gdp = c.get("/api/facts", params={"indicator": GDP, "limit": 1}).json()["facts"][0]
        r = c.post("/api/reviews", json={"fact_id": gdp["id"], "action": "correct", "author": "李审",
                                         "changes": {"region": "青禾县", "period": "2023"}, "note": "原文为上年"})
        assert r.status_code == 201 and r.json()["author"] == "李审"
        got = c.get(f"/api/facts/{gdp['id']}").json()
        assert (got["region"], got["period"], got["review"]) == ("青禾县", "2023", "correct")
        assert got["reviews"][0]["before"]["period"] == gdp["period"]
        growth = c.get("/api/facts", params={"measure": "growth", "limit": 1}).json()["facts"][0]
        assert c.post("/api/reviews", json={"fact_id": growth["id"], "action": "wrong"}).status_code == 201
        assert growth["id"] not in {f["id"] for f in c.get("/api/facts", params={"limit": 1000}).json()["facts"]}
        with zhibiao.open(db) as store:
            assert any(f.region == "青禾县" and f.text == gdp["text"] for f in store.facts(region="青禾县"))
            rows = list(store.rows(doc=gdp["doc"]))
            assert not any(r["start"] == growth["start"] and r["text"] == growth["text"] and r["doc"] == growth["doc"]
                           for r in rows if growth["doc"] == gdp["doc"])
            stated = load_facts(store.engine).facts
            assert not any((f.doc, f.span.start, f.text) == (growth["doc"], growth["start"], growth["text"])
                           and f.measure == "growth" for f in stated)
        # re-extract the report: the same document and fact ids (issue 18), the same corrections
        job = c.post(f"/api/documents/{gdp['doc_id']}/reingest").json()
        done = app.state.jobs.wait(job["id"])
        assert done is not None and done.status == "done"
        new_id = done.files[0].doc_id
        assert new_id == gdp["doc_id"]
        facts = c.get(f"/api/documents/{new_id}/facts").json()["facts"]
        again = next(f for f in facts if (f["start"], f["end"], f["text"]) == (gdp["start"], gdp["end"], gdp["text"]))
        assert again["id"] == gdp["id"]
        assert (again["region"], again["period"], again["review"]) == ("青禾县", "2023", "correct")
        hist = c.get("/api/reviews", params={"fact_id": again["id"]}).json()["reviews"]
        assert hist[0]["author"] == "李审" and hist[0]["note"] == "原文为上年"
    app.state.jobs.close()


def test_the_review_form_works_without_javascript(client: TestClient) -> None:
    f = client.get("/api/facts", params={"measure": "level", "limit": 1, "offset": 3}).json()["facts"][0]
    r = client.post(f"/facts/{f['id']}/review", data={"action": "correct", "entity": "测试项目", "author": "王",
                                                     "value": f"{f['value']:.15g}", "unit": f["unit"]},
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/api/facts/{f['id']}").json()["entity"] == "测试项目"
    assert "测试项目" in client.get("/reviews").text


def test_reviews_on_both_backends(db_url: str, tmp_path: Path) -> None:
    demo.build(db_url, [demo.EXAMPLES / "statistical_bulletin.txt"], check=False)
    engine = open_engine(db_url)
    with zhibiao.open(db_url) as store:
        before = store.count()
    from sqlalchemy import select

    from zhibiao.store.schema import FactRow

    with engine.connect() as conn:
        fid, doc_id = conn.execute(select(FactRow.id, FactRow.doc_id).order_by(FactRow.id).limit(1)).one()
    add_review(engine, fid, "correct", changes={"value": "42", "indicator": "测试指标"}, author="t")
    add_review(engine, fid, "confirm", author="u")
    with zhibiao.open(db_url) as store:
        (f,) = store.facts(indicator="测试指标")
        assert str(f.value) == "42"
    add_review(engine, fid, "wrong", author="v")
    with zhibiao.open(db_url) as store:
        assert store.count() == before - 1
    demo.build(db_url, [demo.EXAMPLES / "statistical_bulletin.txt"], check=False)  # re-ingest
    with zhibiao.open(db_url) as store:
        assert store.count() == before - 1
    with engine.begin() as conn:
        assert reattach(conn, doc_id, "/no/such/path") == 0
    engine.dispose()


db_url = dbfixtures.db_url


# --- uploads -----------------------------------------------------------------------------------------------

def test_upload_a_file_and_paste_text_then_see_their_facts(client: TestClient) -> None:
    text = "2024年，青禾县地区生产总值达到120.5亿元，比上年增长6.1%。"
    r = client.post("/api/uploads", files=[("files", ("../../evil name.txt", text.encode(), "text/plain"))],
                    data={"text": "全年粮食产量35.2万吨，增长2.1%。", "name": "粘贴的报告"})
    assert r.status_code == 202, r.text
    job = client.app.state.jobs.wait(r.json()["id"])
    assert job.status == "done" and [f.status for f in job.files] == ["done", "done"]
    uploads = client.app.state.settings.uploads
    assert all(Path(f.path).parent == uploads for f in job.files)
    assert job.files[0].name == "evil_name.txt"
    facts = client.get(f"/api/documents/{job.files[0].doc_id}/facts").json()["facts"]
    assert {f["text"] for f in facts} >= {"120.5亿元", "6.1%"}
    assert client.get(f"/api/jobs/{job.id}").json()["done"] == 2


@pytest.mark.parametrize(("files", "status"), [
    ([("files", ("x.exe", b"MZ", "application/octet-stream"))], 415),
    ([("files", ("noext", b"abc", "text/plain"))], 415),
    ([("files", ("empty.txt", b"", "text/plain"))], 400),
    ([("files", ("big.txt", b"x" * (10 * 2**20 + 10), "text/plain"))], 413),
    ([], 400),
])
def test_uploads_are_limited_in_type_and_size(client: TestClient, files: list, status: int) -> None:
    r = client.post("/api/uploads", files=files or None, data={} if files else {"text": "  "})
    assert r.status_code == status, r.text


def test_a_request_body_over_the_limit_is_refused(db: str, tmp_path: Path) -> None:
    app = create_app(Settings(db=db, uploads=tmp_path, max_request_bytes=1000))
    with TestClient(app) as c:
        r = c.post("/api/uploads", files=[("files", ("a.txt", b"x" * 5000, "text/plain"))])
        assert r.status_code == 413
        assert c.post("/api/reviews", content=b"{" + b" " * 2000 + b"}",
                      headers={"content-type": "application/json"}).status_code == 413
        assert c.post("/api/uploads", files=[("files", ("a.txt", "全年增长5%。".encode(), "text/plain"))]).status_code == 202
    app.state.jobs.close()


# --- security ----------------------------------------------------------------------------------------------

def test_a_token_is_asked_of_every_request_when_set(db: str, tmp_path: Path) -> None:
    token = "s3cret-token-0123456789"
    app = create_app(Settings(db=db, token=token, uploads=tmp_path))
    with TestClient(app) as c:
        assert c.get("/api/facts").status_code == 401
        assert c.get("/", follow_redirects=False).status_code == 303
        assert c.get("/static/app.css").status_code == 200
        assert c.get("/api/facts", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/facts", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert c.post("/login", data={"token": "nope"}).status_code == 401
        r = c.post("/login", data={"token": token, "next": "/findings"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/findings"
        assert c.get("/").status_code == 200  # the cookie now
    app.state.jobs.close()


def test_hosts_and_cross_origin_writes_are_refused(db: str, tmp_path: Path) -> None:
    app = create_app(Settings(db=db, uploads=tmp_path, allowed_hosts=("127.0.0.1", "localhost")))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/overview").status_code == 200
        assert c.get("/api/overview", headers={"host": "evil.example"}).status_code == 400
        r = c.post("/api/reviews", json={"fact_id": 1, "action": "confirm"},
                   headers={"origin": "http://evil.example"})
        assert r.status_code == 403
        r = c.post("/api/reviews", json={"fact_id": 1, "action": "confirm"}, headers={"sec-fetch-site": "cross-site"})
        assert r.status_code == 403
    app.state.jobs.close()


def test_serve_refuses_another_address_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhibiao.cli import app

    monkeypatch.delenv("ZHIBIAO_TOKEN", raising=False)
    r = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--db", "unused.db"])
    assert r.exit_code == 2 and "token" in r.output.lower()
    monkeypatch.setenv("ZHIBIAO_TOKEN", "short")
    assert CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"]).exit_code == 2


# --- the highlighter ---------------------------------------------------------------------------------------

def test_the_highlighter_escapes_the_source_and_marks_overlaps() -> None:
    text = "<script>alert(1)</script>增长6.1%，达到120.5亿元。"
    a = text.index("6.1%")
    b = text.index("120.5亿元")
    facts = [{"id": 1, "start": a, "end": a + 4, "measure": "growth", "review": None},
             {"id": 2, "start": b, "end": b + 8, "measure": "level", "review": "wrong"},
             {"id": 3, "start": b, "end": b + 5, "measure": "level", "review": None}]
    html = render(text, analyze(text).blocks, facts)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'id="f1" class="fact m-growth"' in html and ">6.1%</a>" in html
    assert 'data-facts="3 2"' in html and 'id="f2"' in html and "r-wrong" in html
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">") == text


class _CountingFact(dict):
    """A fact dict that counts how often the highlighter reads it."""

    reads = 0

    def __getitem__(self, key):
        _CountingFact.reads += 1
        return super().__getitem__(key)


# (figures, their separator): lines, one figure each, and one paragraph of them all (issue 19's probe, a 60 KB paste)
@pytest.mark.parametrize(("n", "end"), [(200, "。\n\n"), (2000, "。\n\n"), (200, "，"), (2000, "，")])
def test_the_highlighter_reads_each_fact_a_bounded_number_of_times(n: int, end: str) -> None:
    line = "全县粮食产量31.6万吨" + end  # our own sentence
    text = line * n
    facts = [_CountingFact(id=k + 1, start=k * len(line) + 6, end=k * len(line) + 12, measure="level", review=None)
             for k in range(n)]
    blocks = analyze(text).blocks  # a scan of all facts per block, or per piece of one block, was n² reads
    _CountingFact.reads = 0
    html = render(text, blocks, facts)
    assert html.count('class="fact m-level"') == n
    assert _CountingFact.reads <= 40 * n, _CountingFact.reads / n
