"""Engines for SQLite and PostgreSQL, and the Alembic upgrade that runs before any use."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DBAPIError, OperationalError

from zhibiao.errors import ZhibiaoError, first_line
from zhibiao.store.url import describe, resolve_url

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
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`, creating it when empty; an older one is migrated in place.

    Raises ZhibiaoError for a database made by a newer zhibiao or holding tables that are not ours.
    """
    where = describe(str(engine.url.render_as_string(hide_password=False)))
    try:
        current = current_revision(engine)
        script = ScriptDirectory.from_config(alembic_config())
        if current is not None and current not in {r.revision for r in script.walk_revisions()}:
            raise ZhibiaoError(f"{where}: made by a newer zhibiao (schema {current}); upgrade zhibiao to use it")
        if current is None and inspect(engine).has_table("documents"):
            raise ZhibiaoError(f"{where}: has a 'documents' table that zhibiao did not make; use another database")
        if current == revision or (revision == "head" and current == head_revision()):
            return
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except ZhibiaoError:
        raise
    except (OperationalError, DBAPIError) as e:
        raise ZhibiaoError(f"cannot open the database {where}: {first_line(e)}") from None


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
