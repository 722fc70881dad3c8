"""A database with the example reports in it, extracted in this process and checked: for tests and benchmarks.

`zhibiao ingest` does the same with worker processes; this one is quicker for a handful of files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def build(db: str, paths: Iterable[str | Path] | None = None, *, check: bool = True) -> int:
    """Ingest `paths` (files or folders; default: the repository's examples/) into `db`, then run the checks.

    Returns the number of facts stored.
    """
    from zhibiao.checks import check as run_checks
    from zhibiao.ingest import extract_one
    from zhibiao.ingest.run import IngestSummary, store_record
    from zhibiao.read import iter_paths
    from zhibiao.store import open_engine
    from zhibiao.store.findings import load_facts, save_findings

    engine = open_engine(db)
    stored = IngestSummary()
    try:
        for path in iter_paths([str(p) for p in (paths or [EXAMPLES])]):
            store_record(engine, extract_one(path), stored)
        if check:
            facts = load_facts(engine)
            findings, derived = run_checks(facts.facts)
            save_findings(engine, findings, derived, facts)
    finally:
        engine.dispose()
    return stored.facts
