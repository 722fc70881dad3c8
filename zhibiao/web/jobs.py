"""Ingest from the browser: files saved under the uploads folder, extracted (zhibiao.ingest.extract_one) in a
worker process and stored (zhibiao.ingest.run) one by one by a background thread, with progress a page can poll.

Extraction is pure Python: in a thread of the server it held the interpreter's lock and froze every page for as
long as a report took (issue 19), so it runs in a process of its own. One thread does all the writing, so
SQLite sees one writer at a time; the server keeps answering reads (WAL).
"""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from zhibiao.ingest import Hints, extract_one
from zhibiao.ingest.run import Run
from zhibiao.store.version import extractor_version
from zhibiao.store.write import DocumentRecord

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
    status: str = "queued"  # queued | running | checking | done | failed
    files: list[FileProgress] = field(default_factory=list)
    n_findings: int | None = None  # of the checks run after the files went in (None: not run)
    check_error: str | None = None
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

    def __init__(self, engine: Engine, *, region: str | None = None, queue: Path | None = None):
        """`queue`: a folder where each job waits as a file until it is done, so that the jobs a stopped server
        had not finished run when it starts again (see resume)."""
        self.engine = engine
        self.region = region
        self.queue = queue
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhibiao-ingest")
        self._extractor: ProcessPoolExecutor | None = None  # started with the first job

    def submit(self, paths: list[Path], *, texts: dict[str, str] | None = None, hints: Hints | None = None,
               rejected: list[tuple[str, str]] = ()) -> Job:
        """Queue the files at `paths` (or, for a path in `texts`, the stored text of a report whose file is gone).

        `hints` are the region and date the reports do not print (default: the server's --region); `rejected`,
        (name, error) of files refused before they were saved, are listed in the job as failed.
        """
        files = [FileProgress(name=name, path="", status="failed", error=error) for name, error in rejected]
        files += [FileProgress(name=p.name, path=str(p)) for p in paths]
        hints = hints or Hints(region=self.region)
        job = Job(id=uuid.uuid4().hex, files=files)
        self._save(job, texts or {}, hints)
        return self._start(job, texts or {}, hints)

    def resume(self) -> list[Job]:
        """Queue again the jobs of the queue folder: those a stopped server had not finished, under their ids."""
        if self.queue is None or not self.queue.is_dir():
            return []
        resumed = []
        for f in sorted(self.queue.glob("*.json"), key=lambda p: p.stat().st_mtime):
            try:
                saved = json.loads(f.read_text(encoding="utf-8"))
                job = Job(id=saved["id"], files=[FileProgress(**x) for x in saved["files"]])
                published = saved["published"]
                hints = Hints(region=saved["region"], published=date.fromisoformat(published) if published else None)
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a torn or foreign file: nothing to resume
            resumed.append(self._start(job, saved.get("texts") or {}, hints))
        return resumed

    def _save(self, job: Job, texts: dict[str, str], hints: Hints) -> None:
        if self.queue is None:
            return
        self.queue.mkdir(parents=True, exist_ok=True)
        saved = {"id": job.id, "files": [asdict(f) for f in job.files], "texts": texts, "region": hints.region,
                 "published": hints.published.isoformat() if hints.published else None}
        part = self.queue / f"{job.id}.part"
        part.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
        part.replace(self.queue / f"{job.id}.json")  # whole or not at all

    def _done(self, job: Job) -> None:
        if self.queue is not None:
            (self.queue / f"{job.id}.json").unlink(missing_ok=True)

    def _start(self, job: Job, texts: dict[str, str], hints: Hints) -> Job:
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > _KEPT_JOBS:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, dict(texts), hints)
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
        if self._extractor is not None:
            self._extractor.shutdown(wait=True, cancel_futures=True)

    def worker_pids(self) -> list[int]:
        """The processes that extract (none before the first job)."""
        pool = self._extractor
        return list(getattr(pool, "_processes", None) or {}) if pool is not None else []

    def _extract(self, path: str, hints: Hints, text: str | None) -> DocumentRecord:
        """extract_one in the worker process (a new one if the last one died on a file)."""
        if self._extractor is None:
            self._extractor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        try:
            return self._extractor.submit(_extract_in_worker, path, hints, text).result()
        except BrokenProcessPool:
            self._extractor = None
            return extract_failed(path, "the extracting process died on this file (out of memory?)")

    def _run(self, job: Job, texts: dict[str, str], hints: Hints) -> None:
        job.status = "running"
        try:
            run = Run(self.engine, command="zhibiao serve: add reports", paths=[f.path for f in job.files], workers=1)
        except Exception as e:  # noqa: BLE001 - the job page says what went wrong
            job.status = "failed"
            for f in job.files:
                f.status, f.error = "failed", f"cannot write to the database: {type(e).__name__}"
            job.finished = time.time()
            return
        for f in job.files:
            if f.status == "failed":  # refused at the upload
                run.summary.failed += 1
                continue
            f.status = "running"
            record = self._extract(f.path, hints, texts.get(f.path))
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
        if any(f.status == "done" for f in job.files):
            job.status = "checking"
            self._check(job)
        job.status = "done"
        job.finished = time.time()
        self._done(job)

    def _check(self, job: Job) -> None:
        """Check the store again, as `zhibiao check` does, so that the new or re-extracted reports' findings, and
        those of the reports they agree or conflict with, are there when the job is done: without it a finding
        pointed at facts a re-extract had replaced until someone ran the command (issue 18). The whole store is
        checked because a finding across reports belongs to both."""
        from zhibiao.checks import check as run_checks
        from zhibiao.store.findings import load_facts, save_findings

        try:
            stored = load_facts(self.engine)
            findings, derived = run_checks(stored.facts)
            save_findings(self.engine, findings, derived, stored)
            job.n_findings = len(findings)
        except Exception as e:  # noqa: BLE001 - the reports are in; the job page says the check failed
            job.check_error = f"the checks failed: {type(e).__name__}: {e}"


def _extract_in_worker(path: str, hints: Hints, text: str | None) -> DocumentRecord:
    record = extract_one(path, hints, text=text)
    if record.error is None:
        record.prepare()  # the rows are built here too, so that the writing thread only inserts
    return record


def extract_failed(path: str, error: str) -> DocumentRecord:
    return DocumentRecord(path=path, name=Path(path).name, content_hash=None, extractor_version=extractor_version(),
                          error=error)
