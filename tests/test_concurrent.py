"""Issue 19: two ingests at once, on a new database and on an existing one. The Alembic migration raced, and one of them failed ("has a
'documents' table that zhibiao did not make", "table alembic_version already exists"). Now the migration runs
under a lock and every process finds the database ready; and on an existing database both redid every document:
now each file is claimed by one run (zhibiao.store.claims)."""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime

import dbfixtures
import pytest
from helpers import write_reports
from sqlalchemy import insert, select, text
from test_ingest import _start_ingest

from zhibiao.ingest import ingest
from zhibiao.ingest.extract import abspath
from zhibiao.store.engine import current_revision, head_revision, make_engine, open_engine
from zhibiao.store.schema import ClaimRow, RunRow

db_url = dbfixtures.db_url


def _open(url: str, barrier, results) -> None:
    from zhibiao.store import open_engine

    barrier.wait()  # all at once, as two `zhibiao ingest` started together
    try:
        open_engine(url).dispose()
        results.put("ok")
    except Exception as e:  # noqa: BLE001 - the test reports what each process met
        results.put(f"{type(e).__name__}: {e}")


def test_processes_opening_a_new_database_at_once_all_find_it_migrated(db_url: str) -> None:
    n = 4
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_open, args=(db_url, barrier, results)) for _ in range(n)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
    assert outcomes == ["ok"] * n
    engine = make_engine(db_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def _count_in_another_process(path: str) -> int:
    """Rows of `t` as another process sees them; its connection closes, as a poller's (serve, a test) would."""
    code = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('SELECT count(*) FROM t').fetchone()[0])"
    return int(subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True).stdout)


def test_writes_after_a_migration_stay_visible_to_other_processes(tmp_path) -> None:
    # The migration lock was once an flock on the database file itself: closing it dropped the POSIX locks of
    # SQLite's own connection in the migrating process, so the next process that closed a connection deleted
    # the WAL, and every later write of the migrating process (an ingest's documents) was lost.
    path = str(tmp_path / "new.db")
    engine = open_engine(f"sqlite:///{path}")  # a new database: migrated under the lock
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        assert _count_in_another_process(path) == 1
        for x in range(2, 6):
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": x})
            assert _count_in_another_process(path) == x
    finally:
        engine.dispose()


def test_two_ingests_of_one_folder_share_its_files(db_url: str, tmp_path) -> None:
    # Before claims, both runs extracted and stored every file: twice the work, and each replaced the other's.
    n = 60
    write_reports(tmp_path / "in", n)
    open_engine(db_url).dispose()  # an existing database: the migration is not what this is about
    procs = [_start_ingest(tmp_path / "in", db_url) for _ in range(2)]
    outs = [p.communicate(timeout=300)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    engine = open_engine(db_url)
    with engine.connect() as conn:
        runs = conn.execute(select(RunRow.n_ok, RunRow.n_skipped)).all()
        docs = conn.execute(text("SELECT count(*), count(DISTINCT path) FROM documents")).one()
        claims = conn.execute(text("SELECT count(*) FROM claims")).scalar_one()
    engine.dispose()
    assert sum(ok for ok, _ in runs) == n, (runs, outs)  # each file extracted and stored once, by one run
    assert tuple(docs) == (n, n) and claims == 0


@pytest.mark.parametrize(("alive", "status", "expected"), [
    (True, "running", "elsewhere"),      # a live run on this host has it: left to that run
    (False, "running", "stored"),        # its process is gone (a SIGKILLed ingest): taken over
    (True, "done", "stored"),            # its run ended without releasing it: lapsed
])
def test_a_claim_is_honoured_only_while_its_run_lives(db_url: str, tmp_path, alive: bool, status: str,
                                                       expected: str) -> None:
    paths = write_reports(tmp_path / "in", 2)
    engine = open_engine(db_url)
    pid = os.getpid()
    if not alive:
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()
        pid = gone.pid
    with engine.begin() as conn:
        run_id = conn.execute(insert(RunRow).returning(RunRow.id), {
            "started_at": datetime.now(UTC), "command": "ingest", "paths": [], "status": status,
            "extractor_version": "x", "workers": 1, "errors": []}).scalar_one()
        conn.execute(insert(ClaimRow), {"path": abspath(paths[0]), "run_id": run_id, "host": socket.gethostname(),
                                        "pid": pid, "renewed_at": datetime.now(UTC)})
    engine.dispose()
    summary = ingest([tmp_path / "in"], db_url, workers=1, progress=False)
    assert (summary.ok, summary.elsewhere) == ((1, 1) if expected == "elsewhere" else (2, 0))
