"""A database with the example reports in it, extracted in this process and checked: for tests and benchmarks.

`zhibiao ingest` does the same with worker processes; this one is quicker for a handful of files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def build(db: str, paths: Iterable[str | Path] | None = None, *, check: bool = True) -> int:
    """Ingest `paths` (files or folders; default: the repository's examples/) into `db`, then run the checks.

    Returns the number of facts stored.
    """
    from zhibiao.checks import check as run_checks
    from zhibiao.pipeline import extract_document
    from zhibiao.read import iter_paths, read_path
    from zhibiao.store import open_engine
    from zhibiao.store.findings import load_facts, save_findings
    from zhibiao.store.version import extractor_version
    from zhibiao.store.write import DocumentRecord, save_document

    engine = open_engine(db)
    n = 0
    try:
        for path in iter_paths([str(p) for p in (paths or [EXAMPLES])]):
            doc = read_path(path)
            facts = extract_document(doc)
            save_document(engine, DocumentRecord(
                path=str(Path(path).resolve()), name=Path(path).name,
                content_hash=hashlib.sha256(Path(path).read_bytes()).hexdigest(),
                extractor_version=extractor_version(), document=doc, facts=facts))
            n += len(facts)
        if check:
            stored = load_facts(engine)
            findings, derived = run_checks(stored.facts)
            save_findings(engine, findings, derived, stored)
    finally:
        engine.dispose()
    return n
