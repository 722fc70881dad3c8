"""Ingest: idempotent, parallel, one transaction per document; bad files recorded; kills and readers survived."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dbfixtures
import pytest
from helpers import report, write_reports
from sqlalchemy import func, select, text, update
from test_formats import PAGE, minimal_docx, minimal_pdf
from typer.testing import CliRunner

from zhibiao.cli import app
from zhibiao.ingest import ingest
from zhibiao.model import Document, Fact
from zhibiao.pipeline import extract_document
from zhibiao.read import iter_paths, read_path
from zhibiao.store import FactFilter, count_facts, iter_facts, list_documents, open_engine
from zhibiao.store.schema import DocumentRow, FactRow, RunRow

db_url = dbfixtures.db_url  # the fixture: each test runs on SQLite and on PostgreSQL

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")

def expected_facts(paths) -> list[dict]:
    """What `zhibiao extract` gives for these files, once."""
    out = []
    for p in iter_paths(paths):
        out.extend(f.to_dict() for f in extract_document(read_path(p)))
    return out


def stored_facts(url: str) -> list[dict]:
    engine = open_engine(url)
    try:
        return [f.to_dict() for f in iter_facts(engine)]
    finally:
        engine.dispose()


def _key(d: dict) -> str:
    return json.dumps(d, sort_keys=True, ensure_ascii=False)  # a total order: facts may share a span


def _same(a: list[dict], b: list[dict]) -> bool:
    return sorted(a, key=_key) == sorted(b, key=_key)


def _consistent(url: str) -> list[dict]:
    """Every document whole: as many fact rows as it says it has. Returns the documents."""
    engine = open_engine(url)
    try:
        docs = list_documents(engine)
        with engine.connect() as conn:
            per_doc = {doc_id: n for doc_id, n in conn.execute(
                select(FactRow.doc_id, func.count()).group_by(FactRow.doc_id))}
        for d in docs:
            assert per_doc.get(d["id"], 0) == d["n_facts"], d["name"]
        assert len({d["path"] for d in docs}) == len(docs)
        return docs
    finally:
        engine.dispose()


# --- the corpus ------------------------------------------------------------------------------------------------

def test_corpus_twice_gives_the_facts_of_extract_once(db_url: str) -> None:
    first = ingest([CORPUS], db_url, workers=2, progress=False)
    files = list(iter_paths([CORPUS]))
    assert (first.ok, first.skipped, first.failed) == (len(files), 0, 0)
    second = ingest([CORPUS], db_url, workers=2, progress=False)
    assert (second.ok, second.skipped, second.failed, second.facts) == (0, len(files), 0, 0)
    want = expected_facts([CORPUS])
    got = stored_facts(db_url)
    assert len(got) == len(want) == first.facts
    assert _same(got, want)
    _consistent(db_url)


def test_a_changed_file_replaces_its_facts_and_a_new_extractor_redoes_all(db_url: str, tmp_path: Path) -> None:
    paths = write_reports(tmp_path / "in", 6)
    ingest([tmp_path / "in"], db_url, workers=1, progress=False)
    paths[2].write_text(report(100), encoding="utf-8")
    again = ingest([tmp_path / "in"], db_url, workers=1, progress=False)
    assert (again.ok, again.skipped) == (1, 5)
    assert _same(stored_facts(db_url), expected_facts([tmp_path / "in"]))
    engine = open_engine(db_url)
    with engine.begin() as conn:
        conn.execute(update(DocumentRow).values(extractor_version="0.0.1+old"))
    engine.dispose()
    redo = ingest([tmp_path / "in"], db_url, workers=2, progress=False)
    assert (redo.ok, redo.skipped) == (6, 0)
    assert _same(stored_facts(db_url), expected_facts([tmp_path / "in"]))
    assert len(_consistent(db_url)) == 6


# --- bad input -------------------------------------------------------------------------------------------------

GOOD_TEXT = report(7)


def vanishing_extract(doc: Document, region: str | None) -> list[Fact]:
    """The pipeline, but extracting a_first.txt deletes zz_vanishes.txt: a file gone mid-run."""
    if doc.name == "a_first.txt" and doc.path:
        Path(doc.path).with_name("zz_vanishes.txt").unlink(missing_ok=True)
    return extract_document(doc, region)


def bad_folder(folder: Path) -> dict[str, str | None]:
    """Files good and bad; each name → the words its error must contain (None: a good file)."""
    sub = folder / "sub"
    sub.mkdir(parents=True)
    (folder / "a_first.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "gbk.txt").write_bytes(report(8).encode("gbk"))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    (sub / "truncated.pdf").write_bytes(minimal_pdf([report(9)])[:400])
    (sub / "menus.html").write_text('<html><body><nav><a href="/">首页</a> <a href="/a">政务公开</a></nav>'
                                    "</body></html>", encoding="utf-8")
    (sub / "page.html").write_text(PAGE, encoding="utf-8")
    (sub / "report.pdf").write_bytes(minimal_pdf(report(10).splitlines()[:3]))
    (sub / "report.docx").write_bytes(minimal_docx(report(11).splitlines()))
    (folder / "zz_vanishes.txt").write_text(report(12), encoding="utf-8")
    return {"a_first.txt": None, "gbk.txt": None, "binary.txt": "not text", "empty.txt": "empty file",
            "truncated.pdf": "truncated PDF", "menus.html": "no article text", "page.html": None,
            "report.pdf": None, "report.docx": None, "zz_vanishes.txt": "no such file"}


def test_bad_files_are_recorded_and_the_good_ones_stored(db_url: str, tmp_path: Path) -> None:
    expect = bad_folder(tmp_path / "in")
    summary = ingest([tmp_path / "in"], db_url, workers=1, progress=False, extract=vanishing_extract)
    bad = {k for k, v in expect.items() if v}
    assert (summary.ok, summary.failed, summary.exit_code) == (len(expect) - len(bad), len(bad), 1)
    assert {Path(p).name for p, _ in summary.errors} == bad
    docs = {d["name"]: d for d in _consistent(db_url)}
    assert set(docs) == set(expect)
    for name, problem in expect.items():
        if problem is None:
            assert docs[name]["status"] == "ok" and docs[name]["n_facts"] > 0, name
        else:
            assert docs[name]["status"] == "error" and problem in docs[name]["error"], (name, docs[name]["error"])
    assert docs["gbk.txt"]["encoding"] == "gb18030"
    engine = open_engine(db_url)
    with engine.connect() as conn:
        run = conn.execute(select(RunRow)).one()
    assert (run.status, run.n_ok, run.n_failed, len(run.errors)) == ("done", summary.ok, len(bad), len(bad))
    assert {f.doc for f in iter_facts(engine, FactFilter(doc="report.docx"))} == {"report.docx"}
    engine.dispose()


def test_the_cli_reports_failures_in_its_summary_and_exit_code(db_url: str, tmp_path: Path) -> None:
    expect = bad_folder(tmp_path / "in")
    (tmp_path / "in" / "zz_vanishes.txt").unlink()
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db_url, "-j", "2", "--no-progress"])
    assert first.exit_code == 1, first.output
    n_bad = sum(1 for v in expect.values() if v) - 1
    n_good = len(expect) - 1 - n_bad
    assert f"{n_good} stored, 0 unchanged, {n_bad} failed" in first.output
    assert "empty.txt: empty file" in first.output
    again = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db_url, "--no-progress"])
    assert again.exit_code == 1
    assert f"0 stored, {n_good} unchanged, {n_bad} failed" in again.output  # errors are retried, and fail again
    ok = runner.invoke(app, ["ingest", str(tmp_path / "in" / "a_first.txt"), "--db", db_url, "--no-progress"])
    assert ok.exit_code == 0 and "0 stored, 1 unchanged, 0 failed" in ok.output


@pytest.mark.parametrize(("options", "named"), [
    (["--out", "parquet"], "--out goes"),
    (["--address", "auto"], "--address goes"),
    (["--writers", "2"], "--writers goes"),
    (["--out", "parquet", "--writers", "2"], "--out and --writers go"),
])
def test_the_ray_engines_options_are_refused_by_the_local_one(tmp_path: Path, options: list[str], named: str) -> None:
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db"), *options])
    assert result.exit_code == 2 and f"{named} with --engine ray" in " ".join(result.output.split())


def test_a_database_that_cannot_be_opened_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "no" / "such" / "x.db")])
    assert result.exit_code == 1 and "cannot open the database" in result.output


# --- kill and concurrent readers ---------------------------------------------------------------------------------

def _start_ingest(folder: Path, url: str, workers: int = 2) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "zhibiao.cli", "ingest", str(folder), "--db", url,
                             "-j", str(workers), "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def _stored(url: str) -> int:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM documents")).scalar_one())
    finally:
        engine.dispose()


def test_sigkill_mid_batch_then_run_again_finishes_with_every_document_once(db_url: str, tmp_path: Path) -> None:
    n = 250
    write_reports(tmp_path / "in", n)
    open_engine(db_url).dispose()  # migrate first, so that polling sees the tables
    proc = _start_ingest(tmp_path / "in", db_url)
    deadline = time.monotonic() + 120
    try:
        while (stored := _stored(db_url)) < 30:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "ingest stored nothing in time"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, at once, mid-batch
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    before = len(_consistent(db_url))
    assert 30 <= stored <= before < n, "the kill came after the end: make the batch bigger"
    again = ingest([tmp_path / "in"], db_url, workers=2, progress=False)
    assert (again.skipped, again.ok, again.failed) == (before, n - before, 0)
    docs = _consistent(db_url)
    assert len(docs) == n and all(d["status"] == "ok" for d in docs)
    assert _same(stored_facts(db_url), expected_facts([tmp_path / "in"]))


def test_readers_read_while_an_ingest_writes(tmp_path: Path) -> None:
    """SQLite in WAL mode: `facts` and the web app read while ingest writes, without 'database is locked'."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    n = 200
    write_reports(tmp_path / "in", n)
    open_engine(url).dispose()
    proc = _start_ingest(tmp_path / "in", url)
    reads, during, last = 0, 0, 0
    engine = open_engine(url)
    try:
        while proc.poll() is None:
            total = count_facts(engine)
            assert total >= last  # documents appear whole, never go away
            last = total
            sample = list(iter_facts(engine, FactFilter(measure="growth", limit=50)))
            assert all(f.measure == "growth" for f in sample)
            reads += 1
            during += total > 0
        out = proc.stdout.read().decode() if proc.stdout else ""
        assert proc.returncode == 0, out
        assert count_facts(engine) == len(expected_facts([tmp_path / "in"]))
    finally:
        engine.dispose()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert reads >= 10 and during >= 3, (reads, during)


def test_runs_are_recorded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    write_reports(tmp_path / "in", 3)
    ingest([tmp_path / "in"], url, workers=1, progress=False, command="test run")
    engine = open_engine(url)
    with engine.connect() as conn:
        run = conn.execute(select(RunRow)).one()
    engine.dispose()
    assert (run.command, run.status, run.n_ok, run.n_failed, run.workers) == ("test run", "done", 3, 0, 1)
    assert run.n_facts > 0 and run.duration > 0 and run.finished_at >= run.started_at


@pytest.mark.parametrize("workers", [1, 3])
def test_workers_give_the_same_facts(tmp_path: Path, workers: int) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    write_reports(tmp_path / "in", 12)
    ingest([tmp_path / "in"], url, workers=workers, progress=False)
    assert _same(stored_facts(url), expected_facts([tmp_path / "in"]))


def test_sigterm_stops_between_documents_and_records_the_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'term.db'}"
    n = 200
    write_reports(tmp_path / "in", n)
    open_engine(url).dispose()
    proc = _start_ingest(tmp_path / "in", url)
    deadline = time.monotonic() + 120
    try:
        while _stored(url) < 10:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)  # the parent only, as `kill PID` does
        out = proc.communicate(timeout=60)[0].decode()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, out
    assert "interrupted" in out
    docs = _consistent(url)
    assert 10 <= len(docs) < n
    engine = open_engine(url)
    with engine.connect() as conn:
        run = conn.execute(select(RunRow)).one()
    engine.dispose()
    assert (run.status, run.n_ok) == ("interrupted", len(docs))


def test_a_worker_imports_no_database_layer() -> None:
    # what a local-engine worker process imports (its target and the rows it builds): the pipeline, not the
    # writer's SQLAlchemy engine, Alembic or Rich, which cost every worker of every run half a second of CPU
    code = ("import sys, zhibiao.ingest.worker, zhibiao.store.rows, zhibiao.pipeline; "
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
