"""Ingest many files into the store: extraction in worker processes, one writer, one transaction per file."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from zhibiao.errors import ReadError, ZhibiaoError
from zhibiao.model import Document, Fact
from zhibiao.store.engine import open_engine
from zhibiao.store.url import describe, resolve_url
from zhibiao.store.version import extractor_version
from zhibiao.store.write import (
    DocumentRecord,
    RunCounts,
    finish_run,
    known_documents,
    save_document,
    start_run,
    stored_paths,
)

Extractor = Callable[[Document, str | None], list[Fact]]

_IN_FLIGHT_PER_WORKER = 4  # files queued per worker: enough to keep it busy, few enough to bound memory
_HASH_CHUNK = 1 << 20


@dataclass(slots=True)
class IngestSummary:
    """What an ingest did.

    Attributes:
        run_id: the row in the runs table.
        ok, skipped, failed: files stored, already stored (same content and extractor), failed.
        facts: facts stored by this run.
        errors: (path, message) of each failed file.
        duration: seconds.
        interrupted: stopped by Ctrl-C or SIGTERM before the end (run again to finish).
    """

    run_id: int
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    facts: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    duration: float = 0.0
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        """0 when all went in, 1 when some files failed, 130 when interrupted."""
        return 130 if self.interrupted else 1 if self.failed else 0


def ingest(paths: Sequence[str | Path], db: str | None = None, *, workers: int | None = None,
           region: str | None = None, progress: bool = True, console: Console | None = None,
           command: str | None = None, extract: Extractor | None = None,
           published: date | None = None) -> IngestSummary:
    """Read, extract and store every report under `paths` (folders recursively) into the database `db`.

    Files already stored with the same content and extractor version are skipped; a changed file replaces
    its old document and facts in one transaction; a file that fails is stored as an error and the rest go
    on. `extract` replaces zhibiao.pipeline.extract_document (a top-level function, so that workers can
    import it). Raises ZhibiaoError when the database cannot be opened or written.
    """
    from zhibiao.read import iter_paths

    started = time.monotonic()
    workers = max(1, workers or os.cpu_count() or 1)
    url = resolve_url(db)
    engine = open_engine(url)
    version = extractor_version()
    try:
        files = list(iter_paths(paths))
        stored_hash, paths_in_db = known_documents(engine, version), stored_paths(engine)
        run_id = start_run(engine, command=command or "ingest " + " ".join(map(str, paths)),
                           paths=[str(p) for p in paths], version=version, workers=workers)
        counts = RunCounts()
        run = _Run(engine, counts, files, stored_hash, version, region, workers, extract, paths_in_db, published)
        display = _progress(console) if progress else None
        interrupted = False
        with display or nullcontext(), _sigterm_as_interrupt():
            task = display.add_task("ingest", total=len(files), facts=0, errors=0) if display else None
            try:
                for _ in run.steps():
                    if display is not None and task is not None:
                        display.update(task, completed=counts.ok + counts.skipped + counts.failed,
                                       facts=counts.facts, errors=counts.failed)
            except KeyboardInterrupt:
                interrupted = True
            finally:
                run.close()
        duration = time.monotonic() - started
        finish_run(engine, run_id, counts, status="interrupted" if interrupted else "done", duration=duration)
    except SQLAlchemyError as e:
        raise ZhibiaoError(f"cannot write to {describe(url)}: {str(getattr(e, 'orig', e) or e).strip()}") from None
    finally:
        engine.dispose()
    return IngestSummary(run_id=run_id, ok=counts.ok, skipped=counts.skipped, failed=counts.failed,
                         facts=counts.facts, errors=[(e["path"], e["error"]) for e in counts.errors],
                         duration=duration, interrupted=interrupted)


class _Run:
    """The loop of one ingest: hash, skip or hand to a worker, store each result as it comes back."""

    def __init__(self, engine: Any, counts: RunCounts, files: list[Path], stored_hash: dict[str, str],
                 version: str, region: str | None, workers: int, extract: Extractor | None,
                 paths_in_db: set[str] | None = None, published: date | None = None):
        self.engine, self.counts, self.version = engine, counts, version
        self.published = published
        self.pending = deque(files)
        self.stored_hash = stored_hash
        self.paths_in_db = paths_in_db
        self.region, self.workers, self.extract = region, workers, extract
        self.pool: ProcessPoolExecutor | None = None
        # each future with its file and the pool it runs in (a dead pool is replaced, its futures still arrive)
        self.in_flight: dict[Future[DocumentRecord], tuple[Path, ProcessPoolExecutor]] = {}

    def steps(self) -> Iterator[None]:
        """Run to the end, yielding after each file is accounted for (for the progress bar)."""
        while self.pending or self.in_flight:
            yield from self._fill()
            if not self.in_flight:
                continue
            done, _ = wait(self.in_flight, return_when=FIRST_COMPLETED)
            for fut in done:
                path, pool = self.in_flight.pop(fut)
                try:
                    record = fut.result()
                except BrokenProcessPool:
                    record = _failed(path, None, self.version, "a worker process died while this file was being "
                                                              "extracted (out of memory or killed); run again to retry")
                    self._drop_pool(pool)
                self._store(record)
                yield

    def _fill(self) -> Iterator[None]:
        while self.pending and len(self.in_flight) < self.workers * _IN_FLIGHT_PER_WORKER:
            path = self.pending.popleft()
            digest = _sha256(path)
            if digest is not None and self.stored_hash.get(_abspath(path)) == digest:
                self.counts.skipped += 1  # same bytes, same extractor: its facts are stored already
                yield
                continue
            pool = self._pool()
            self.in_flight[pool.submit(_extract_prepared, str(path), self.region, self.version, self.extract,
                                       self.published)] = \
                (path, pool)

    def _store(self, record: DocumentRecord) -> None:
        # a path not in the database when the run began needs no replacing (and has no reviews to re-apply);
        # without the list (zhibiao.cluster's writers call this too), replace
        known = getattr(self, "paths_in_db", None)
        try:
            try:
                save_document(self.engine, record, replace=known is None or record.path in known)
            except IntegrityError:
                save_document(self.engine, record)  # stored meanwhile by another ingest: replace it
        except (ValueError, TypeError, OverflowError, DataError, IntegrityError) as e:
            # this document's rows do not fit the schema (a bug, or a value out of range): record it and go on.
            # Losing the connection or the disk is not this document's fault and stops the run.
            record = _failed(Path(record.path), record.content_hash, record.extractor_version,
                             f"cannot store its facts: {type(e).__name__}: {_first_line(e)}")
            save_document(self.engine, record)
        if record.error is None:
            self.counts.ok += 1
            self.counts.facts += record.n_facts
        else:
            self.counts.failed += 1
            self.counts.errors.append({"path": record.path, "error": record.error})

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            # spawn, not fork: the parent runs Rich's refresh thread, and forking a threaded process can deadlock
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_init_worker)
        return self.pool

    def _drop_pool(self, pool: ProcessPoolExecutor) -> None:
        # every future of the dead pool fails the same way and is recorded as it comes in; new files go to a
        # new pool. Which file killed the worker cannot be told, so the next run retries them all.
        if pool is self.pool:
            pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _init_worker() -> None:
    # Ctrl-C goes to the whole process group: only the parent handles it, then stops the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_file(path: str, region: str | None, version: str, extract: Extractor | None,
                  published: date | None = None) -> DocumentRecord:
    """In a worker: read and extract one file. Never raises: a failure comes back as the record's error."""
    p = Path(path)
    digest = _sha256(p)
    try:
        from zhibiao.read import read_path

        doc = read_path(p, published=published)
        if extract is None:
            from zhibiao.pipeline import extract_document as extract
        facts = extract(doc, region)
    except ReadError as e:
        return _failed(p, digest, version, e.problem)
    except ZhibiaoError as e:
        return _failed(p, digest, version, str(e))
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the run; the message says what broke
        return _failed(p, digest, version, f"internal error while extracting: {type(e).__name__}: {e}")
    return DocumentRecord(path=_abspath(p), name=p.name, content_hash=digest, extractor_version=version,
                          document=doc, facts=facts)


def _extract_prepared(path: str, region: str | None, version: str, extract: Extractor | None,
                      published: date | None = None) -> DocumentRecord:
    """In a worker: _extract_file, then the rows built here too, so that the one writer only inserts."""
    return _extract_file(path, region, version, extract, published).prepare()


def _failed(path: Path, digest: str | None, version: str, error: str) -> DocumentRecord:
    return DocumentRecord(path=_abspath(path), name=path.name, content_hash=digest, extractor_version=version,
                          error=error)


def _first_line(e: BaseException) -> str:
    msg = str(getattr(e, "orig", None) or e).strip()
    return msg.splitlines()[0] if msg else type(e).__name__


def _sha256(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(_HASH_CHUNK):
                h.update(chunk)
    except OSError:
        return None  # reading reports it, with the reader's message
    return h.hexdigest()


def _abspath(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so that `kill` stops between two documents and the run is recorded."""
    def handler(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _RateColumn(ProgressColumn):
    """Files per second over the whole run (Rich's own speed column averages a short window)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.1f} files/s", style="progress.data.speed")


class _ErrorsColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        n = task.fields.get("errors", 0)
        return Text(f"{n} errors", style="bold red" if n else "dim")


def _progress(console: Console | None) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
        TextColumn("{task.fields[facts]:,} facts"), _RateColumn(), _ErrorsColumn(), TimeElapsedColumn(),
        console=console or Console(stderr=True), transient=False,
    )
