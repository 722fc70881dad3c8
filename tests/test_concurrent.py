"""Issue 19: two ingests on a new database. The Alembic migration raced, and one of them failed ("has a
'documents' table that zhibiao did not make", "table alembic_version already exists"). Now the migration runs
under a lock and every process finds the database ready."""

from __future__ import annotations

import multiprocessing

import dbfixtures

from zhibiao.store.engine import current_revision, head_revision, make_engine

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
