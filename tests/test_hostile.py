"""Issue 19: hostile requests and outputs — a chunked body over the limit, a write from `Origin: null`, a cell a
spreadsheet would run as a formula, a figure beyond a float's range. Each gave a 500, was accepted, or wrote
something that is not JSON before the fix."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhibiao.csvrows import CsvRows
from zhibiao.ingest.extract import extract_one
from zhibiao.ingest.run import IngestSummary, store_record
from zhibiao.pipeline import extract_document
from zhibiao.read import read_text
from zhibiao.web.app import create_app
from zhibiao.web.settings import Settings

SENTENCE = "二〇二三年，青禾县粮食总产量达到31.6万吨，比上年增长2.4%。"  # our own sentence


@pytest.fixture
def client(tmp_path: Path):
    app = create_app(Settings(db=str(tmp_path / "h.db"), uploads=tmp_path / "up", max_request_bytes=1000))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.jobs.close()


def test_a_chunked_body_over_the_limit_is_413_not_500(client: TestClient) -> None:
    def chunks():  # no Content-Length: httpx sends it chunked, so only the reading can see its size
        for _ in range(20):
            yield b"x" * 200

    boundary = "b0undary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\n").encode()

    def body():
        yield head
        yield from chunks()
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post("/api/uploads", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413, r.text
    r = client.post("/api/reviews", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text


@pytest.mark.parametrize(("origin", "status"), [
    ("null", 403),  # a sandboxed frame, a data: URL, a local file: never this site
    ("http://evil.example", 403),
    ("http://testserver", 422),  # this site: the write goes through (and fails on its empty body)
])
def test_writes_from_another_origin_or_none_are_refused(client: TestClient, origin: str, status: int) -> None:
    r = client.post("/api/reviews", json={}, headers={"origin": origin})
    assert r.status_code == status, r.text


# (cell, as written): OWASP's list of formula starts; numbers and plain text left alone
CELLS = [
    ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1", "'\t=1"),
    ("-3.2", "-3.2"),  # an exact value's text
    ("+5", "+5"),
    ("粮食总产量", "粮食总产量"),
    (-3.5, "-3.5"),
]


@pytest.mark.parametrize(("cell", "written"), CELLS)
def test_csv_cells_that_would_run_as_formulas_are_neutralised(cell: object, written: str) -> None:
    out = io.StringIO()
    CsvRows(out, ["a"]).write({"a": cell})
    assert list(csv.reader(io.StringIO(out.getvalue())))[1] == [written]


def test_the_web_csv_download_neutralises_formulas(client: TestClient) -> None:
    r = client.post("/api/uploads", files=[("files", ("=cmd.txt", SENTENCE.encode(), "text/plain"))])
    assert r.status_code == 202
    client.app.state.jobs.wait(r.json()["id"])
    rows = list(csv.DictReader(io.StringIO(client.get("/api/facts?format=csv").text.lstrip("\ufeff"))))
    assert rows and all(not v.startswith(("=", "@")) for row in rows for v in row.values())


def test_a_figure_beyond_a_floats_range_is_never_infinity(tmp_path: Path, client: TestClient) -> None:
    facts = extract_document(read_text(SENTENCE), None)
    huge = [dataclasses.replace(f, value=Decimal("9E+400")) for f in facts]
    for f in huge:
        row = f.to_dict()
        assert row["value"] is None
        json.dumps(row, allow_nan=False)
    record = extract_one("huge.txt", text=SENTENCE)
    record.facts = huge
    store_record(client.app.state.engine, record, IngestSummary())
    r = client.get("/api/facts")
    assert r.status_code == 200 and r.json(), r.text
    assert all(f["value"] is None for f in r.json()["facts"] if f["doc"] == "huge.txt")
