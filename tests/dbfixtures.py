"""The database URLs the store tests run against: a SQLite file always, PostgreSQL when ZHIBIAO_TEST_PG is set.

Each PostgreSQL test gets a database of its own, created on the server ZHIBIAO_TEST_PG names and dropped after.
Without ZHIBIAO_TEST_PG the PostgreSQL cases are skipped with the reason, except under CI=true, where a missing
server is a failure: CI must never pass by skipping them (.ci/run sources .ci/postgres.sh).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "ZHIBIAO_TEST_PG"
BACKENDS = ("sqlite", "postgresql")


def pg_admin_url() -> str:
    """The server's URL, or skip (fail under CI) when there is none."""
    url = os.environ.get(PG_ENV)
    if not url:
        reason = f"no PostgreSQL server: set {PG_ENV} (`source .ci/postgres.sh` starts a throwaway one)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return url


def make_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield a URL of an empty database on `backend`; drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'zhibiao-test.db'}"
        return
    admin = make_url(pg_admin_url()).set(drivername="postgresql+psycopg")
    name = f"zhibiao_t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin.set(database=name).render_as_string(hide_password=False)
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once on SQLite and once on PostgreSQL."""
    yield from make_db_url(request.param, tmp_path)
