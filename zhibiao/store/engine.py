"""Engines for SQLite and PostgreSQL, and the Alembic upgrade that runs before any use."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, OperationalError

try:
    import fcntl
except ImportError:  # not on Windows: there a second migration fails instead of waiting
    fcntl = None  # type: ignore[assignment]

from zhibiao.errors import ZhibiaoError, first_line
from zhibiao.store.url import describe, resolve_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT_MS = 60_000  # a reader or a second writer waits this long for the lock before failing
IN_LIMIT = 900  # values in one IN (...): below SQLite's old limit of 999 bound parameters per statement
T = TypeVar("T")


def make_engine(db: str | None = None) -> Engine:
    """An engine for `db` (see resolve_url), with SQLite set to WAL, a busy timeout and foreign keys."""
    url = resolve_url(db)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    # WAL lets readers (serve, facts) read while ingest writes; NORMAL syncs at checkpoints, safe in WAL
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def alembic_config() -> Config:
    """Alembic's configuration, pointing into the installed package (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def head_revision() -> str:
    """The newest migration's revision, from the file names (each migration is NNNN_what.py with revision
    "NNNN"; tests/test_store.py checks that Alembic finds the same head). Alembic, a fifth of a second of CPU
    to import and read its scripts, is then loaded only when a database must be migrated, not by every
    ingest, query or export of a database at head."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when new): Alembic's version table, read without Alembic."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`, creating it when empty; an older one is migrated in place.

    Two processes opening a new database at once (two ingests) take turns: the migration runs under a lock
    (an advisory lock on PostgreSQL, a lock on the file for SQLite), and the second finds it done.
    Raises ZhibiaoError for a database made by a newer zhibiao or holding tables that are not ours.
    """
    where = describe(str(engine.url.render_as_string(hide_password=False)))
    try:
        # on SQLite the lock is taken before the first connection too: a process connecting while another turns
        # a new file to WAL met "database is locked" (the journal mode is switched without a busy wait)
        with _file_lock(engine):
            _upgrade_locked(engine, revision, where)
    except ZhibiaoError:
        raise
    except (OperationalError, DBAPIError) as e:
        raise ZhibiaoError(f"cannot open the database {where}: {first_line(e)}") from None


def _upgrade_locked(engine: Engine, revision: str, where: str) -> None:
    if _up_to_date(engine, current_revision(engine), revision):
        return  # the common case
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # held to the end of this transaction, that is until the migration is committed
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        current = MigrationContext.configure(conn).get_current_revision()
        script = ScriptDirectory.from_config(alembic_config())
        if current is not None and current not in {r.revision for r in script.walk_revisions()}:
            raise ZhibiaoError(f"{where}: made by a newer zhibiao (schema {current}); upgrade zhibiao to use it")
        if current is None and inspect(conn).has_table("documents"):
            raise ZhibiaoError(f"{where}: has a 'documents' table that zhibiao did not make; use another database")
        if _up_to_date(engine, current, revision):
            return  # another process migrated it while this one waited for the lock
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


# The key of the PostgreSQL advisory lock around migrations: any fixed 64-bit number, the same in every process.
_MIGRATION_LOCK = 0x7A68_6962_6961_6F00  # "zhibiao\0"


def _up_to_date(engine: Engine, current: str | None, revision: str) -> bool:
    return current is not None and (current == revision or (revision == "head" and current == head_revision()))


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """For a SQLite file, an exclusive flock while it is migrated; else nothing.

    The lock is taken on a file of its own in the temporary folder, named for the database's path, never on
    the database: closing any descriptor of a file drops every POSIX lock the process holds on it, and so
    would drop the locks of SQLite's own open connection. Another process would then take itself for the last
    reader, checkpoint and delete the WAL, and this process's later writes would go to a deleted file.
    """
    path = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:") or fcntl is None:
        yield
        return
    key = hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    with open(Path(tempfile.gettempdir()) / f"zhibiao-migrate-{key}.lock", "ab") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def open_engine(db: str | None = None) -> Engine:
    """An engine on an up-to-date database: the one entry point the rest of zhibiao uses."""
    engine = make_engine(db)
    upgrade(engine)
    return engine


def batches(items: Iterable[T], size: int = IN_LIMIT) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter): for IN lists and multi-row INSERTs of bounded size."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
