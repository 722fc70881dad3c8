"""Claims: which ingest extracts which file, so that two ingests of one folder share the work.

Before a run deals a file to a worker it claims it. A file claimed by another live run is left to that run;
a claim lapses when its run has ended, when its process is gone (on this host), or when nobody renewed it for
CLAIM_SECONDS (a run killed on another host). Claims are taken and read in separate short transactions, the
writing one beginning with a write, so that SQLite's busy timeout serializes two runs instead of failing one.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from zhibiao.store.schema import ClaimRow, DocumentRow, RunRow

__all__ = ["CLAIM_SECONDS", "Claims"]

# A claim not renewed for this long is taken for a dead run's: well above the time budget of a file (300 s),
# since a run renews its claims between files.
CLAIM_SECONDS = 900.0
_RENEW_SECONDS = 60.0
_claims, _documents, _runs = ClaimRow.__table__, DocumentRow.__table__, RunRow.__table__


class Claims:
    """The claims of one run (`run_id`) in the database of `engine`."""

    def __init__(self, engine: Engine, run_id: int):
        self.engine, self.run_id = engine, run_id
        self.host, self.pid = socket.gethostname(), os.getpid()
        self._renewed = time.monotonic()

    def take(self, paths: Sequence[str], version: str) -> tuple[set[str], dict[str, str]]:
        """Claim `paths` (at most a few hundred); return those now this run's, and the content hash of those
        of them stored meanwhile by extractor `version` (so that a file another run has just stored is
        skipped, not extracted again)."""
        if not paths:
            return set(), {}
        self.renew_if_due()
        now = datetime.now(UTC)
        with self.engine.connect() as conn:
            held = conn.execute(select(_claims.c.path, _claims.c.host, _claims.c.pid)
                                .where(_claims.c.path.in_(paths), _claims.c.run_id != self.run_id)).all()
        dead = [p for p, host, pid in held if host == self.host and not _alive(pid)]
        with self.engine.begin() as conn:
            conn.execute(delete(_claims).where(_claims.c.path.in_(paths), _claims.c.run_id != self.run_id, (
                (_claims.c.renewed_at < now - timedelta(seconds=CLAIM_SECONDS))
                | _claims.c.run_id.in_(select(_runs.c.id).where(_runs.c.status != "running"))
                | _claims.c.path.in_(dead or [""]))))
            rows = [{"path": p, "run_id": self.run_id, "host": self.host, "pid": self.pid, "renewed_at": now}
                    for p in dict.fromkeys(paths)]
            # an executemany of one statement, compiled once per run: a multi-row VALUES of up to 16 rows was
            # compiled anew for every chunk of files (its cache key walks every row)
            conn.execute(_insert(self.engine).on_conflict_do_nothing(index_elements=["path"]), rows)
        with self.engine.connect() as conn:
            mine = set(conn.execute(select(_claims.c.path).where(_claims.c.path.in_(paths),
                                                                 _claims.c.run_id == self.run_id)).scalars())
            found = conn.execute(select(_documents.c.path, _documents.c.content_hash).where(
                _documents.c.path.in_(mine or [""]), _documents.c.extractor_version == version,
                _documents.c.status == "ok", _documents.c.content_hash.is_not(None)))
            stored = {p: h for p, h in found}
        return mine, stored

    def renew_if_due(self) -> None:
        """Renew this run's claims when the last renewal is a minute old."""
        if time.monotonic() - self._renewed < _RENEW_SECONDS:
            return
        with self.engine.begin() as conn:
            conn.execute(update(_claims).where(_claims.c.run_id == self.run_id).values(renewed_at=datetime.now(UTC)))
        self._renewed = time.monotonic()

    def release(self) -> None:
        """Drop every claim of this run (its files are stored, failed, or left for the next run)."""
        with self.engine.begin() as conn:
            conn.execute(delete(_claims).where(_claims.c.run_id == self.run_id))


def _insert(engine: Engine):
    return (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(_claims)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
