"""Which database: a --db option, ZHIBIAO_DB or zhibiao.db, as a SQLAlchemy URL."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from zhibiao.errors import ZhibiaoError

DEFAULT_DB = "zhibiao.db"
ENV_VAR = "ZHIBIAO_DB"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for `db`: a plain path is a SQLite file, postgresql:// uses psycopg 3.

    Without `db`, ZHIBIAO_DB, else zhibiao.db in the working folder.
    """
    raw = os.fspath(db) if db is not None else (os.environ.get(ENV_VAR) or DEFAULT_DB)
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    try:
        url = make_url(raw)
    except ArgumentError as e:
        raise ZhibiaoError(f"not a database URL: {raw!r} ({e})") from None
    driver = url.drivername
    if driver in ("postgres", "postgresql"):  # the bare scheme would pick psycopg2, which we do not ship
        url = url.set(drivername="postgresql+psycopg")
    elif not (driver.startswith("sqlite") or driver.startswith("postgresql")):
        raise ZhibiaoError(f"unsupported database {driver!r}: use a SQLite path or a postgresql:// URL")
    return url.render_as_string(hide_password=False)


def describe(url: str) -> str:
    """The URL as it may be shown to a person: no password."""
    return make_url(url).render_as_string(hide_password=True)
