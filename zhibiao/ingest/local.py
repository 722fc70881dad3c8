"""The local engine of `zhibiao ingest`: worker processes on this machine extract, this process writes.

    files ─▶ workers (one per core: hash, skip what is stored, read, extract, build the rows) ─▶ this process:
    one transaction per document (zhibiao.ingest.run)

Each worker has a pipe of its own with at most a few files queued in it, answered in order. So when a worker
dies, the file it was extracting is known (the first unanswered one) and recorded as failed, and the others
go to a new worker. Ctrl-C and SIGTERM only set a flag that the loop reads between two documents: the document
being written is written whole, the workers are ended wherever they are, and the run is recorded as
interrupted.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from datetime import date
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhibiao.ingest.extract import Extractor, Hints, abspath
from zhibiao.ingest.run import IngestSummary, Run, database_errors
from zhibiao.ingest.worker import failed as failed_record
from zhibiao.ingest.worker import serve
from zhibiao.store.claims import Claims
from zhibiao.store.engine import open_engine
from zhibiao.store.url import resolve_url
from zhibiao.store.write import DocumentRecord, known_documents, stored_paths

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["ingest"]

_AHEAD = 4  # files queued per worker: enough to keep it busy, few enough to bound memory
_JOIN_SECONDS = 5.0  # a worker still there this long after it was asked to end is killed
# The time budget of one file: the longest document allowed (zhibiao.read.MAX_CHARS) takes about 20 s; a file
# still not done after this is a super-linear input, and its worker is killed so that the others go on.
FILE_SECONDS = 300.0


def ingest(paths: Sequence[str | Path], db: str | None = None, *, workers: int | None = None,
           region: str | None = None, published: date | None = None, progress: bool = True,
           console: Console | None = None, command: str | None = None,
           extract: Extractor | None = None, file_seconds: float = FILE_SECONDS) -> IngestSummary:
    """Read, extract and store every report under `paths` (folders recursively) into the database `db`.

    Files already stored with the same content and extractor version are skipped; a changed file replaces
    its old document and facts in one transaction; a file that fails is stored as an error and the rest go
    on. `workers` is the number of worker processes (default: one per core). `extract` replaces
    zhibiao.pipeline.extract_document (a top-level function, so that workers can import it). A file that takes
    longer than `file_seconds` to extract is recorded as failed and its worker replaced. Raises
    ZhibiaoError when the database cannot be opened or written.
    """
    from zhibiao.read import iter_paths

    workers = max(1, workers or os.cpu_count() or 1)
    url = resolve_url(db)
    engine = open_engine(url)
    try:
        with database_errors(url):
            files = list(iter_paths(paths))
            run = Run(engine, command=command or "ingest " + " ".join(map(str, paths)), paths=paths,
                      workers=workers)
            stored = known_documents(engine, run.version)
            run.known_paths = stored_paths(engine)
            claims = Claims(engine, run.summary.run_id)
            display = None
            if progress:
                # Rich only for a progress display: a tenth of a second of CPU to import, for every run
                from zhibiao.ingest.progress import progress_display

                display = progress_display(console)
            with display or nullcontext(), _StopRequest() as stop:
                task = display.add_task("ingest", total=len(files), facts=0, errors=0) if display else None
                try:
                    for record in _extracted(files, Hints(region, published), stored, workers, extract, stop,
                                             file_seconds, lambda paths: claims.take(paths, run.version)):
                        if record is None:
                            run.skip()  # same bytes, same extractor: its facts are stored already
                        elif record is _ELSEWHERE:
                            run.summary.elsewhere += 1
                        else:
                            run.store(record)
                        claims.renew_if_due()
                        if display is not None and task is not None:
                            s = run.summary
                            display.update(task, completed=s.done, facts=s.facts, errors=s.failed)
                finally:
                    claims.release()
            return run.finish(interrupted=stop.requested)
    finally:
        engine.dispose()


# Files claimed at once: a transaction per this many files, and no more taken from a second ingest than it
# could have started on.
_CLAIM_CHUNK = 16
_ELSEWHERE = DocumentRecord(path="", name="", content_hash=None, extractor_version="")  # claimed by another run
Claim = Callable[[list[str]], tuple[set[str], dict[str, str]]]


def _extracted(files: list[Path], hints: Hints, stored: dict[str, str], n: int, extract: Extractor | None,
               stop: _StopRequest, file_seconds: float = FILE_SECONDS,
               claim: Claim | None = None) -> Iterator[DocumentRecord | None]:
    """Each file's record (None: stored already; _ELSEWHERE: another run claimed it) as the workers send them,
    until all are in or a stop. `claim` takes paths and returns those this run may extract (see
    zhibiao.store.claims) and the hashes of those stored meanwhile."""
    ctx = multiprocessing.get_context("spawn")  # not fork: the parent runs Rich's refresh thread
    unclaimed, pending = deque(files), deque[Path]()
    keys: dict[Path, str] = {}  # each file's stored path, resolved once (it stats every part of the path)

    def key(p: Path) -> str:
        if p not in keys:
            keys[p] = abspath(p)
        return keys[p]

    workers = [_Worker(ctx, extract) for _ in range(min(n, len(files)))]
    try:
        while not stop.requested and (unclaimed or pending or any(w.queue for w in workers)):
            while unclaimed and len(pending) < _AHEAD * len(workers):
                chunk = [unclaimed.popleft() for _ in range(min(_CLAIM_CHUNK, len(unclaimed)))]
                if claim is None:
                    pending.extend(chunk)
                    continue
                mine, now_stored = claim([key(p) for p in chunk])
                stored.update(now_stored)
                for p in chunk:
                    if key(p) in mine:
                        pending.append(p)
                    else:
                        yield _ELSEWHERE
            for i, w in enumerate(workers):
                while pending and len(w.queue) < _AHEAD:
                    path = pending.popleft()
                    if not w.send(path, (str(path), hints, stored.get(key(path)), extract)):
                        workers[i], failed = _replace(w, ctx, pending)
                        yield failed
                        break
            busy = [w for w in workers if w.queue or not w.ready]
            now = time.monotonic()
            timed = [w.since + file_seconds for w in busy if w.ready]
            timeout = max(0.0, min(timed) - now) if timed else None
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy] + [stop.fd], timeout))
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w.conn in ready:
                    try:
                        record = w.conn.recv()
                    except (EOFError, OSError):
                        if not w.queue:  # died starting, before any file was its
                            workers[i] = _Worker(ctx, extract)
                            w.end(now=True)
                            continue
                        workers[i], record = _replace(w, ctx, pending)
                    else:
                        if isinstance(record, str):  # READY
                            w.started()
                            continue
                        w.done()
                elif w.process.sentinel in ready:
                    if not w.queue:
                        workers[i] = _Worker(ctx, extract)
                        w.end(now=True)
                        continue
                    workers[i], record = _replace(w, ctx, pending)
                elif w.ready and w.queue and now - w.since >= file_seconds:
                    workers[i], record = _replace(w, ctx, pending, f"took longer than {file_seconds:g} s to "
                                                  "extract (the time budget of a file); the others went on")
                else:
                    continue
                yield record
                if stop.requested:
                    return
    finally:
        for w in workers:
            w.end(now=stop.requested or bool(w.queue))


_DIED = "a worker process died while this file was being extracted (out of memory or killed); run again to retry"


def _replace(dead: _Worker, ctx: Any, pending: deque[Path], why: str = _DIED) -> tuple[_Worker, DocumentRecord]:
    """A new worker for a dead (or stuck) one, whose unanswered files but the first go back to `pending`; the
    first, the one it died on, as a failed record saying `why`."""
    culprit = dead.queue.popleft()
    pending.extendleft(reversed(dead.queue))
    dead.end(now=True)
    return _Worker(ctx, dead.extract), failed_record(culprit, why)


class _Worker:
    """A worker process, its end of their pipe, and the files sent to it that it has not answered yet."""

    def __init__(self, ctx: Any, extract: Extractor | None):
        self.conn, theirs = ctx.Pipe()
        # the extractor goes with the process, so that its module is imported before the worker says it is ready
        # (not within the first file's time budget)
        self.extract = extract
        self.process = ctx.Process(target=serve, args=(theirs, extract), daemon=True)
        self.process.start()
        theirs.close()  # so that its death reads as the end of the pipe
        self.queue: deque[Path] = deque()
        self.ready = False  # until its first message: still starting, no file's time runs yet
        self.since = time.monotonic()  # when it began the first file of its queue

    def send(self, path: Path, task: tuple[Any, ...]) -> bool:
        """Queue `task` (about `path`); False when the worker is gone."""
        if not self.queue:
            self.since = time.monotonic()  # (if not ready yet, reset again when it is)
        self.queue.append(path)
        try:
            self.conn.send(task)
        except OSError:
            return False
        return True

    def started(self) -> None:
        """It is ready: the first file of its queue begins now."""
        self.ready = True
        self.since = time.monotonic()

    def done(self) -> None:
        """The first file of the queue is answered: the next one begins now."""
        self.queue.popleft()
        self.since = time.monotonic()

    def end(self, *, now: bool) -> None:
        """Ask the worker to end (`now`: end it wherever it is) and wait for it; kill it if it does not end."""
        if not now:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(_JOIN_SECONDS)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(_JOIN_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class _StopRequest:
    """Ctrl-C and SIGTERM as a request to stop between two documents, seen by the loop as a flag and a pipe.

    The handler never raises: an exception raised from a signal handler lands in whatever code runs then (a join,
    a lock, a transaction) and left the run hanging with its row `running` (issue 19: two SIGTERMs 0.1 s apart).
    The first signal already stops the run at once: the loop wakes, the workers are ended wherever they are,
    and the run is recorded as interrupted; a second one has nothing to add.
    """

    def __enter__(self) -> _StopRequest:
        self.requested = False
        self.fd, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self._previous: dict[int, Any] = {}
        try:
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        except ValueError:  # not the main thread: the signals are not ours to take
            pass
        return self

    def _handle(self, _signum: int, _frame: Any) -> None:
        self.requested = True
        try:
            os.write(self._write, b"\0")  # wakes the loop's wait
        except BlockingIOError:
            pass

    def __exit__(self, *_exc: object) -> None:
        for signum, handler in self._previous.items():
            # once stopping, the process is on its way out with its run recorded: a further signal is ignored,
            # so that it does not cut short the summary and the exit code 130
            signal.signal(signum, signal.SIG_IGN if self.requested else handler)
        os.close(self.fd)
        os.close(self._write)
