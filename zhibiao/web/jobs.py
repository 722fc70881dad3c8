"""Ingest from the browser: files saved under the uploads folder, extracted (zhibiao.ingest.extract_one) and stored
(zhibiao.ingest.run) one by one in a background thread, with progress a page can poll.

One thread does all the writing, so SQLite sees one writer at a time; the server keeps answering reads (WAL).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from zhibiao.ingest import Hints, extract_one
from zhibiao.ingest.run import Run

_KEPT_JOBS = 100  # finished jobs remembered for their pages


@dataclass(slots=True)
class FileProgress:
    name: str
    path: str
    status: str = "queued"  # queued | running | done | failed
    doc_id: int | None = None
    n_facts: int = 0
    error: str | None = None


@dataclass(slots=True)
class Job:
    id: str
    status: str = "queued"  # queued | running | done | failed
    files: list[FileProgress] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for f in d["files"]:
            f.pop("path", None)  # the server's folders are not the browser's business
        d["done"] = sum(1 for f in self.files if f.status in ("done", "failed"))
        d["total"] = len(self.files)
        return d


class Jobs:
    """The ingest jobs of one app: submit files (already saved), poll a job by id."""

    def __init__(self, engine: Engine, *, region: str | None = None):
        self.engine = engine
        self.region = region
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhibiao-ingest")

    def submit(self, paths: list[Path], *, texts: dict[str, str] | None = None) -> Job:
        """Queue the files at `paths` (or, for a path in `texts`, the stored text of a report whose file is gone)."""
        job = Job(id=uuid.uuid4().hex, files=[FileProgress(name=p.name, path=str(p)) for p in paths])
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > _KEPT_JOBS:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, dict(texts or {}))
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """Block until the job is over (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(job_id)
            if job is None or job.status in ("done", "failed"):
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: Job, texts: dict[str, str]) -> None:
        job.status = "running"
        try:
            run = Run(self.engine, command="zhibiao serve: add reports", paths=[f.path for f in job.files], workers=1)
        except Exception as e:  # noqa: BLE001 - the job page says what went wrong
            job.status = "failed"
            for f in job.files:
                f.status, f.error = "failed", f"cannot write to the database: {type(e).__name__}"
            job.finished = time.time()
            return
        hints = Hints(region=self.region)
        for f in job.files:
            f.status = "running"
            record = extract_one(f.path, hints, text=texts.get(f.path))
            try:
                f.doc_id = run.store(record)
            except Exception as e:  # noqa: BLE001 - one file the database refuses must not stop the job
                f.status, f.error = "failed", f"cannot store: {type(e).__name__}"
                run.summary.failed += 1
                continue
            if record.error:
                f.status, f.error = "failed", record.error
            else:
                f.status, f.n_facts = "done", record.n_facts
        run.finish()
        job.status = "done"
        job.finished = time.time()
