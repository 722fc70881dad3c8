"""An ingest worker process of the local engine: extract each file sent to it and build its rows.

It imports the pipeline, the reader and zhibiao.store.rows, not the database layers (SQLAlchemy's engine,
Alembic, Rich) that the writing process uses: those took it about 0.5 s of CPU to import, paid by every
worker of every run.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from zhibiao.ingest.extract import Extractor, abspath, extract_changed
from zhibiao.store.rows import DocumentRecord
from zhibiao.store.version import extractor_version

__all__ = ["READY", "failed", "serve"]

_PARENT_POLL = 0.5  # how often a worker looks whether its parent is still there


def serve(conn: Any, extract: Extractor | None = None) -> None:
    """A worker's life: answer each task with its record, in order, until told to end (None) or orphaned.

    `extract` is the extractor its tasks name (None: the pipeline's): received with the process, its module is
    imported before the worker is ready.
    """
    # Ctrl-C goes to the whole process group: only the parent acts on it, and then ends the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()
    del extract  # received only so that its module is imported now; each task names its extractor again
    _warm_up()
    conn.send(READY)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        path, hints, stored_hash, extract = task
        try:
            record = extract_changed(path, hints, stored_hash, extract=extract)
            if record is not None:
                record.prepare()  # the rows are built here, so that the one writer only inserts
            conn.send(record)
        except Exception as e:  # noqa: BLE001 - rows that cannot be built or sent: this file fails, the rest go on
            conn.send(failed(Path(path), f"internal error while building its rows: {type(e).__name__}: {e}"))


READY = "ready"  # a worker's first message: started, imported and warmed up; its first file's budget starts now


def _warm_up() -> None:
    """Import the pipeline and load its lexicons on a short text, so that a file's time budget is the file's.

    A spawned worker takes seconds to start on a loaded machine; counted against the first file, a short
    budget failed every file of a batch.
    """
    from zhibiao.pipeline import extract

    extract("2024年，全县地区生产总值增长5.0%。")


def _end_with_parent() -> None:
    """End this worker as soon as its parent is gone (SIGKILLed: nobody is left to end it, nor to read it)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL)
        os._exit(1)  # the rest of the file's work is for nobody

    threading.Thread(target=watch, name="zhibiao-orphan-watch", daemon=True).start()


def failed(path: Path, error: str) -> DocumentRecord:
    """The record of a file that failed with `error`, before or without extraction."""
    return DocumentRecord(path=abspath(path), name=path.name, content_hash=None,
                          extractor_version=extractor_version(), error=error)
