"""Ingest: read, extract and store many reports, on this machine's cores or on a Ray cluster.

    extract.py   one report → its DocumentRecord (extract_one), the same for every engine, upload and demo
    run.py       the accounting of a run: its counts (IngestSummary), storing each record, the runs table
    local.py     the engine `local`: worker processes on this machine, one writer
    worker.py    a worker process of the engine `local` (it imports no database layer)
    progress.py  the local engine's progress display (Rich), imported only when a run shows one
    cluster.py   the engine `ray`: a Ray Data pipeline (the extra zhibiao[ray]), imported only when asked for
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhibiao.errors import ZhibiaoError
from zhibiao.ingest.extract import Extractor, Hints, extract_one

if TYPE_CHECKING:
    from rich.console import Console

    from zhibiao.ingest.local import ingest
    from zhibiao.ingest.run import IngestSummary

__all__ = ["ENGINES", "Hints", "IngestSummary", "extract_one", "ingest", "ingest_with"]

ENGINES = ("local", "ray")




def __getattr__(name: str) -> Any:
    # the writing side (the engine, Rich, SQLAlchemy) is imported when first asked for, not by a worker process
    # that imports zhibiao.ingest.worker and, with it, this package
    if name == "ingest":
        from zhibiao.ingest.local import ingest

        return ingest
    if name == "IngestSummary":
        from zhibiao.ingest.run import IngestSummary

        return IngestSummary
    raise AttributeError(f"module 'zhibiao.ingest' has no attribute {name!r}")


class UsageError(ZhibiaoError):
    """Options that do not go together: the command line shows it as a usage error."""


def ingest_with(engine: str, paths: Sequence[str | Path], db: str | None = None, *, cpus: int | None = None,
                writers: int = 1, out: str | Path | None = None, address: str | None = None,
                region: str | None = None, published: date | None = None, progress: bool = True,
                console: Console | None = None, command: str | None = None,
                extract: Extractor | None = None) -> IngestSummary:
    """Ingest `paths` with the engine named `engine` (one of ENGINES), the options of `zhibiao ingest`.

    `cpus` is the local engine's worker processes or the CPUs of a new local Ray; `writers`, `out` (Parquet)
    and `address` (a Ray cluster) are the Ray engine's, and raise UsageError with the local one. See
    zhibiao.ingest.local.ingest and zhibiao.ingest.cluster.ingest_ray.
    """
    if engine == "ray":
        from zhibiao.ingest.cluster import ingest_ray

        return ingest_ray(paths, db, out=out, address=address, num_cpus=cpus, region=region, published=published,
                          writers=writers, progress=progress, command=command, extract=extract)
    from zhibiao.ingest.local import ingest

    if engine != "local":
        raise UsageError(f"no engine {engine!r} (one of {', '.join(ENGINES)})")
    given = [name for name, v in (("--out", out), ("--address", address), ("--writers", writers != 1 or None)) if v]
    if given:
        raise UsageError(f"{' and '.join(given)} go{'es' if len(given) == 1 else ''} with --engine ray")
    return ingest(paths, db, workers=cpus, region=region, published=published, progress=progress, console=console,
                  command=command, extract=extract)
