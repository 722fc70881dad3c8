"""The extractor version: what a stored document's facts were made by, part of the key that makes ingest idempotent.

zhibiao's version alone is not enough while the package is developed between releases: a changed lexicon or
extraction module makes other facts from the same bytes. So the version is ``__version__+<hash>``, the hash of
the lexicon files and of the extraction modules' source. Modules that only move facts around (store, ingest,
the command line, export, the web app) are left out: changing them does not make a re-ingest necessary.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import zhibiao

_PACKAGE = Path(zhibiao.__file__).resolve().parent
# top-level modules that do not change which facts a file gives
_NOT_EXTRACTION = frozenset({"__init__.py", "api.py", "export.py", "ingest.py", "errors.py"})
_NOT_EXTRACTION_PREFIXES = ("cli", "web", "serve", "check")
_HASH_LEN = 12


@functools.cache
def extractor_version() -> str:
    """``zhibiao.__version__`` plus a short hash of the lexicons and extraction code, e.g. ``0.1.0+3f2a9c01d4e7``."""
    h = hashlib.sha256()
    for path in _inputs():
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return f"{zhibiao.__version__}+{h.hexdigest()[:_HASH_LEN]}"


def _inputs() -> list[Path]:
    lexicons = [p for p in (_PACKAGE / "lexicons").rglob("*") if p.is_file() and not p.name.startswith(".")]
    modules = [p for p in _PACKAGE.glob("*.py")
               if p.name not in _NOT_EXTRACTION and not p.name.startswith(_NOT_EXTRACTION_PREFIXES)]
    return sorted(lexicons + modules)
