"""Ingest from the browser: files saved under the uploads folder, extracted and stored one by one in a
background thread, with progress a page can poll.

One thread does all the writing, so SQLite sees one writer at a time; the server keeps answering reads (WAL).
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from zhibiao.errors import ReadError, ZhibiaoError

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
        from zhibiao.store.version import extractor_version
        from zhibiao.store.write import RunCounts, finish_run, start_run

        job.status = "running"
        version = extractor_version()
        counts = RunCounts()
        started = time.monotonic()
        try:
            run_id = start_run(self.engine, command="zhibiao serve: add reports",
                               paths=[f.path for f in job.files], version=version, workers=1)
        except Exception as e:  # noqa: BLE001 - the job page says what went wrong
            job.status = "failed"
            for f in job.files:
                f.status, f.error = "failed", f"cannot write to the database: {type(e).__name__}"
            job.finished = time.time()
            return
        for f in job.files:
            f.status = "running"
            self._one(f, version, texts.get(f.path), counts)
        finish_run(self.engine, run_id, counts, status="done", duration=time.monotonic() - started)
        job.status = "done"
        job.finished = time.time()

    def _one(self, f: FileProgress, version: str, text: str | None, counts: Any) -> None:
        from zhibiao.pipeline import extract_document
        from zhibiao.read import read_path, read_text
        from zhibiao.store.write import DocumentRecord, save_document

        path = Path(f.path)
        digest = None
        try:
            if text is not None:
                doc = read_text(text, name=f.name)
                doc.path = f.path
                digest = hashlib.sha256(text.encode()).hexdigest()
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                doc = read_path(path)
            facts = extract_document(doc, region=self.region)
            record = DocumentRecord(path=f.path, name=f.name, content_hash=digest, extractor_version=version,
                                    document=doc, facts=facts)
        except (ReadError, ZhibiaoError, OSError) as e:
            record = DocumentRecord(path=f.path, name=f.name, content_hash=digest, extractor_version=version,
                                    error=getattr(e, "problem", None) or str(e))
        except Exception as e:  # noqa: BLE001 - one bad file must not stop the job
            record = DocumentRecord(path=f.path, name=f.name, content_hash=digest, extractor_version=version,
                                    error=f"internal error while extracting: {type(e).__name__}: {e}")
        try:
            f.doc_id = save_document(self.engine, record)
        except Exception as e:  # noqa: BLE001
            f.status, f.error = "failed", f"cannot store: {type(e).__name__}"
            counts.failed += 1
            return
        if record.error:
            f.status, f.error = "failed", record.error
            counts.failed += 1
            counts.errors.append({"path": f.path, "error": record.error})
        else:
            f.status, f.n_facts = "done", len(record.facts)
            counts.ok += 1
            counts.facts += len(record.facts)
