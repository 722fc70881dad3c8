"""Issue 19: two ingests on a new database. The Alembic migration raced, and one of them failed ("has a
'documents' table that zhibiao did not make", "table alembic_version already exists"). Now the migration runs
under a lock and every process finds the database ready."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

import dbfixtures
from sqlalchemy import text

from zhibiao.store.engine import current_revision, head_revision, make_engine, open_engine

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
