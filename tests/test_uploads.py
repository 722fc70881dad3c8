"""Issue 19, the /add page and its uploads: a bad file among good ones, a name uploaded twice, the region and date
hints of `zhibiao ingest --region --published`, extraction out of the server's process."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhibiao.web.app import create_app
from zhibiao.web.settings import Settings

FIRST = "全年青禾县地区生产总值达到120.5亿元，比上年增长6.1%。"  # our own sentences
SECOND = "全年青禾县粮食总产量35.2万吨，增长2.1%。"


@pytest.fixture
def client(tmp_path: Path):
    app = create_app(Settings(db=str(tmp_path / "u.db"), uploads=tmp_path / "up"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.jobs.close()


def _upload(client: TestClient, files: list, data: dict | None = None, lang: str = "zh"):
    r = client.post(f"/api/uploads?lang={lang}", files=files, data=data or {})
    assert r.status_code == 202, r.text
    return client.app.state.jobs.wait(r.json()["id"])


# (language, words of the error for x.exe, for empty.txt)
LANG_CASES = [("zh", "不是报告文件", "空文件"), ("en", "not a report file", "empty file")]


@pytest.mark.parametrize(("lang", "not_report", "empty"), LANG_CASES)
def test_a_bad_file_is_one_error_and_the_good_ones_go_in(client: TestClient, lang: str, not_report: str,
                                                          empty: str) -> None:
    job = _upload(client, [("files", ("x.exe", b"MZ", "application/octet-stream")),
                           ("files", ("empty.txt", b"", "text/plain")),
                           ("files", ("good.txt", FIRST.encode(), "text/plain"))], lang=lang)
    by_name = {f.name: f for f in job.files}
    assert by_name["good.txt"].status == "done" and by_name["good.txt"].n_facts > 0
    assert by_name["x.exe"].status == "failed" and not_report in by_name["x.exe"].error
    assert by_name["empty.txt"].status == "failed" and empty in by_name["empty.txt"].error


def test_a_name_uploaded_again_keeps_both_reports_unless_the_bytes_are_the_same(client: TestClient) -> None:
    first = _upload(client, [("files", ("报告.txt", FIRST.encode(), "text/plain"))]).files[0]
    second = _upload(client, [("files", ("报告.txt", SECOND.encode(), "text/plain"))]).files[0]
    again = _upload(client, [("files", ("报告.txt", SECOND.encode(), "text/plain"))]).files[0]
    assert Path(first.path).name == "报告.txt" and Path(second.path).name == "报告-2.txt"
    assert Path(first.path).read_text(encoding="utf-8") == FIRST  # not replaced
    assert again.path == second.path  # the same bytes: the same report, not a third copy
    docs = client.get("/api/documents").json()
    names = sorted(d["name"] for d in (docs["documents"] if isinstance(docs, dict) else docs))
    assert names == ["报告-2.txt", "报告.txt"]


def test_the_region_and_date_hints_reach_the_stored_report(client: TestClient) -> None:
    job = _upload(client, [("files", ("hinted.txt", FIRST.encode(), "text/plain"))],
                  data={"region": "平鲁区", "published": "2024-03-05"})
    doc = client.get(f"/api/documents/{job.files[0].doc_id}").json()
    assert (doc["published"], doc["published_how"]) == ("2024-03-05", "given")
    facts = client.get(f"/api/documents/{job.files[0].doc_id}/facts").json()["facts"]
    assert facts and {f["region"] for f in facts} == {"平鲁区"}


def test_a_bad_date_hint_is_a_clear_400(client: TestClient) -> None:
    r = client.post("/api/uploads?lang=en", files=[("files", ("a.txt", FIRST.encode(), "text/plain"))],
                    data={"published": "5 March"})
    assert r.status_code == 400 and "not like 2024-05-07" in r.json()["detail"]


def test_the_add_page_has_the_hint_fields(client: TestClient) -> None:
    page = client.get("/add").text
    assert 'name="region"' in page and 'name="published"' in page


def test_extraction_runs_outside_the_server_process(client: TestClient) -> None:
    import os

    _upload(client, [("files", ("one.txt", FIRST.encode(), "text/plain"))])
    workers = client.app.state.jobs.worker_pids()
    assert workers and os.getpid() not in workers


def test_the_reader_page_works_out_a_reports_layout_once(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import zhibiao.layout
    from zhibiao.web import pages

    calls = []
    real = zhibiao.layout.analyze
    monkeypatch.setattr(zhibiao.layout, "analyze", lambda text: calls.append(len(text)) or real(text))
    pages._layout.cache_clear()
    doc_id = _upload(client, [("files", ("reader.txt", FIRST.encode(), "text/plain"))]).files[0].doc_id
    first = client.get(f"/documents/{doc_id}")
    second = client.get(f"/documents/{doc_id}")
    assert first.status_code == second.status_code == 200 and first.text == second.text
    assert len(calls) == 1


def test_a_job_queued_when_the_server_stops_runs_when_it_starts_again(tmp_path: Path) -> None:
    import threading

    settings = Settings(db=str(tmp_path / "q.db"), uploads=tmp_path / "up")
    app = create_app(settings)
    gate = threading.Event()
    jobs = app.state.jobs
    jobs._pool.submit(gate.wait)  # the one ingest thread busy: the next job waits in the queue
    with TestClient(app) as c:
        r = c.post("/api/uploads", files=[("files", ("queued.txt", FIRST.encode(), "text/plain"))])
        assert r.status_code == 202
        job_id = r.json()["id"]
    jobs._pool.shutdown(wait=False, cancel_futures=True)  # the server stops with the job not begun
    gate.set()
    assert jobs.get(job_id).status == "queued"
    again = create_app(Settings(db=str(tmp_path / "q.db"), uploads=tmp_path / "up"))
    try:
        job = again.state.jobs.wait(job_id)
        assert job is not None and job.status == "done" and job.files[0].n_facts > 0
        assert not list((tmp_path / "up" / ".jobs").glob("*.json"))  # done: nothing left to resume
    finally:
        again.state.jobs.close()
