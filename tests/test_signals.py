"""Issue 19, signals and budgets: two SIGTERMs close together, a SIGKILLed parent, a file that never finishes.

Before the fixes: the second SIGTERM raised inside a join and left `ingest` hanging with its run `running`;
after a SIGKILL of the parent its workers lived on; a file whose extraction loops held its worker for good.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import group_pids, write_reports
from sqlalchemy import create_engine, inspect, select
from test_ingest import _start_ingest, _stored

from zhibiao.ingest import ingest
from zhibiao.model import Document, Fact
from zhibiao.pipeline import extract_document
from zhibiao.store import open_engine
from zhibiao.store.schema import DocumentRow, RunRow


def _wait_for(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _run_row(url: str):
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(RunRow)).one()
    finally:
        engine.dispose()


@pytest.mark.parametrize("gap", [0.05, 0.2, 0.5])  # the gaps the probe hung on
def test_two_sigterms_end_the_run_marked_and_its_workers_gone(tmp_path: Path, gap: float) -> None:
    url = f"sqlite:///{tmp_path / 'two.db'}"
    write_reports(tmp_path / "in", 200)
    open_engine(url).dispose()
    proc = _start_ingest(tmp_path / "in", url)
    try:
        _wait_for(lambda: _stored(url) >= 3)
        proc.send_signal(signal.SIGTERM)
        time.sleep(gap)  # the input itself: a second signal this long after the first
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0].decode()
        _wait_for(lambda: not group_pids(proc.pid), 30)
    finally:
        if group_pids(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "Traceback" not in out, out
    assert _run_row(url).status == "interrupted"


def test_workers_end_when_their_parent_is_sigkilled(tmp_path: Path) -> None:
    # a worker busy on a file that never finishes, and one idle: both must end with their parent
    folder = tmp_path / "in"
    write_reports(folder, 3)
    (folder / "stuck.txt").write_text((folder / "r0000.txt").read_text(encoding="utf-8"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'kill.db'}"
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from test_signals import never_ending_extract; "
              "from zhibiao.ingest import ingest; "
              "ingest([sys.argv[2]], sys.argv[3], workers=2, progress=False, extract=never_ending_extract)")
    proc = subprocess.Popen([sys.executable, "-c", script, str(Path(__file__).parent), str(folder), url],
                            start_new_session=True)
    try:
        _wait_for(lambda: _has_documents(url) and _stored(url) >= 3)
        assert len(group_pids(proc.pid)) >= 3  # the parent and its two workers at least
        proc.kill()
        proc.wait(timeout=30)
        _wait_for(lambda: not group_pids(proc.pid), 30)  # the workers notice and end, the resource tracker with them
    finally:
        if group_pids(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)


def _has_documents(url: str) -> bool:
    engine = create_engine(url)  # not open_engine: that would migrate the database the ingest is making
    try:
        return inspect(engine).has_table("documents")
    finally:
        engine.dispose()


def never_ending_extract(doc: Document, region: str | None) -> list[Fact]:
    """The pipeline, but a file named stuck* never finishes: a super-linear input as a worker sees it."""
    while doc.name.startswith("stuck"):
        pass
    return extract_document(doc, region)


def test_a_file_over_its_time_budget_fails_and_the_others_are_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_reports(folder, 4)
    (folder / "stuck.txt").write_text((folder / "r0000.txt").read_text(encoding="utf-8"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'budget.db'}"
    summary = ingest([folder], url, workers=2, progress=False, extract=never_ending_extract, file_seconds=3)
    assert (summary.ok, summary.failed) == (4, 1)
    engine = open_engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(DocumentRow).where(DocumentRow.name == "stuck.txt")).one()
    engine.dispose()
    assert row.status == "error" and "time budget" in row.error
