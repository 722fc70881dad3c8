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
# the modules and lexicons that decide which facts a file gives (the pipeline's stages), named one by one so
# that a new module elsewhere (the store, the web app, the Ray engine) never forces a re-ingest
_EXTRACTION = frozenset({"model.py", "lexicon.py", "read.py", "formats.py", "published.py", "clean.py",
                         "layout.py", "numbers.py", "quantities.py", "measures.py", "periods.py", "catalogue.py",
                         "gazetteer.py", "facts.py", "pipeline.py"})
_NOT_EXTRACTION_LEXICONS = frozenset({"checks.yaml"})
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
    lexicons = [p for p in (_PACKAGE / "lexicons").rglob("*")
                if p.is_file() and not p.name.startswith(".") and p.name not in _NOT_EXTRACTION_LEXICONS]
    modules = [_PACKAGE / name for name in sorted(_EXTRACTION) if (_PACKAGE / name).is_file()]
    return sorted(lexicons + modules)
