"""The extractor version: what a stored document's facts were made by, part of the key that makes ingest idempotent.

zhibiao's version alone is not enough while the package is developed between releases: a changed lexicon or
extraction module makes other facts from the same bytes. So the version is ``__version__+<hash>``.

The rule, the simplest that is never wrong: the hash covers every file of the zhibiao package (its source and
its lexicons) except the parts that only store, show, move or check facts: the store, the web app, the
database migrations, the command line (cli/), ingest and its Ray engine (ingest/), export.py, csvrows.py,
api.py, panel.py with its lexicon vintage.yaml (they merge stored facts), and the checks (they make findings, not
facts) with their lexicon checks.yaml. A new file anywhere else
(a new resolver, a new lexicon) is in the hash without anyone listing it, so it can never leave stale facts in
a database; a new file of the excluded parts forces at worst a re-ingest nobody needed.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import zhibiao

_PACKAGE = Path(zhibiao.__file__).resolve().parent
# what changes no fact: folders and files of the package, relative to it
_NOT_EXTRACTION_DIRS = frozenset({"store", "web", "migrations", "checks", "cli", "ingest"})
_NOT_EXTRACTION_FILES = frozenset({"export.py", "csvrows.py", "api.py", "panel.py", "lexicons/vintage.yaml",
                                   "lexicons/checks.yaml"})
_HASH_LEN = 12


@functools.cache
def extractor_version() -> str:
    """``zhibiao.__version__`` plus a short hash of the lexicons and extraction code, e.g. ``0.1.0+3f2a9c01d4e7``."""
    h = hashlib.sha256()
    for path in inputs():
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return f"{zhibiao.__version__}+{h.hexdigest()[:_HASH_LEN]}"


def inputs() -> list[Path]:
    """The files the hash covers, in order."""
    out = []
    for path in _PACKAGE.rglob("*"):
        rel = path.relative_to(_PACKAGE)
        if not path.is_file() or any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            continue
        name = rel.as_posix()
        if rel.parts[0] in _NOT_EXTRACTION_DIRS or name in _NOT_EXTRACTION_FILES:
            continue
        out.append(path)
    return sorted(out)
