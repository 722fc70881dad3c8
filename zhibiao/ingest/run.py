"""The accounting of an ingest: what it stored, skipped and failed, and its row in the runs table.

Every way of ingesting stores its records through store_record and counts in an IngestSummary: the local
engine, the Ray engine (a summary per writer batch, added up by the driver), the web app's upload jobs and
the demo database.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from zhibiao.errors import ZhibiaoError, first_line
from zhibiao.store.url import describe
from zhibiao.store.version import extractor_version
from zhibiao.store.write import DocumentRecord, finish_run, save_document, start_run

__all__ = ["IngestSummary", "Run", "database_errors", "store_record"]


@dataclass(slots=True)
class IngestSummary:
    """What an ingest did.

    Attributes:
        run_id: its row in the runs table (0 when it wrote no database).
        ok, skipped, failed: documents stored, already stored (same content and extractor), failed.
        elsewhere: files left to another ingest running at the same time (it had claimed them).
        facts: facts stored.
        errors: (path, message) of each failed document.
        duration: seconds.
        interrupted: stopped (Ctrl-C, SIGTERM, a Ray run that could not finish) before the end: run again to
            finish.
    """

    run_id: int = 0
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    elsewhere: int = 0
    facts: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    duration: float = 0.0
    interrupted: bool = False

    @property
    def done(self) -> int:
        """Documents accounted for."""
        return self.ok + self.skipped + self.failed + self.elsewhere

    @property
    def exit_code(self) -> int:
        """0 when all went in, 1 when some failed, 130 when interrupted."""
        return 130 if self.interrupted else 1 if self.failed else 0

    def count(self, record: DocumentRecord) -> None:
        """Count a record as it was stored: ok with its facts, or failed with its error."""
        if record.error is None:
            self.ok += 1
            self.facts += record.n_facts
        else:
            self.failed += 1
            self.errors.append((record.path, record.error))

    def add(self, other: IngestSummary) -> None:
        """Add the counts of `other` (a part of this run) to these."""
        self.ok += other.ok
        self.skipped += other.skipped
        self.failed += other.failed
        self.elsewhere += other.elsewhere
        self.facts += other.facts
        self.errors.extend(other.errors)


def store_record(engine: Engine, record: DocumentRecord, summary: IngestSummary, *,
                 known_paths: set[str] | None = None) -> int:
    """Store `record` in one transaction and count it in `summary`; return its document id.

    A document whose rows do not fit the schema (a bug, or a value out of range) is stored as failed instead,
    and the run goes on; losing the connection or the disk is not the document's fault and raises.
    `known_paths`, the paths stored when the run began, saves the lookup of what a new path replaces.
    """
    try:
        try:
            doc_id = save_document(engine, record, replace=known_paths is None or record.path in known_paths)
        except IntegrityError:
            doc_id = save_document(engine, record)  # stored meanwhile by another ingest: replace it
    except (ValueError, TypeError, OverflowError, DataError, IntegrityError) as e:
        record = DocumentRecord(path=record.path, name=record.name, content_hash=record.content_hash,
                                extractor_version=record.extractor_version,
                                error=f"cannot store its facts: {type(e).__name__}: {first_line(e)}")
        doc_id = save_document(engine, record)
    summary.count(record)
    return doc_id


class Run:
    """One ingest in the runs table: started with what it was asked, finished with what it did.

    Without an engine (the Ray engine writing Parquet only) it only counts.
    """

    def __init__(self, engine: Engine | None, *, command: str, paths: Sequence[str | Any], workers: int,
                 version: str | None = None):
        self.engine = engine
        self.version = version or extractor_version()
        self.summary = IngestSummary()
        self.known_paths: set[str] | None = None
        self._started = time.monotonic()
        if engine is not None:
            self.summary.run_id = start_run(engine, command=command, paths=[str(p) for p in paths],
                                            version=self.version, workers=workers)

    def store(self, record: DocumentRecord) -> int:
        """Store and count one record (see store_record); return its document id."""
        assert self.engine is not None
        return store_record(self.engine, record, self.summary, known_paths=self.known_paths)

    def skip(self) -> None:
        """Count a document stored already."""
        self.summary.skipped += 1

    def finish(self, *, interrupted: bool = False) -> IngestSummary:
        """Record the end of the run (done or interrupted) and return its summary."""
        s = self.summary
        s.duration, s.interrupted = time.monotonic() - self._started, interrupted
        if self.engine is not None:
            finish_run(self.engine, s.run_id, status="interrupted" if interrupted else "done", ok=s.ok,
                       skipped=s.skipped, failed=s.failed, facts=s.facts, errors=s.errors, duration=s.duration)
        return s


@contextmanager
def database_errors(url: str | None) -> Iterator[None]:
    """Turn a database failure during an ingest into a ZhibiaoError naming the database."""
    try:
        yield
    except SQLAlchemyError as e:
        raise ZhibiaoError(f"cannot write to {describe(url) if url else 'the database'}: {first_line(e)}") from None
