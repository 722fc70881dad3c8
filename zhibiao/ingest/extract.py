"""One report → its DocumentRecord: read, extract, and what went wrong, the same for every way of ingesting.

The local engine's workers, the Ray engine's tasks, the web app's upload jobs and the demo database all call
extract_one (or extract_changed, which first skips a file stored already), so that a report gives the same
record whichever way it comes in.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from zhibiao.errors import ReadError, ZhibiaoError
from zhibiao.model import Document, Fact
from zhibiao.store.rows import DocumentRecord
from zhibiao.store.version import extractor_version

__all__ = ["Extractor", "Hints", "abspath", "extract_changed", "extract_one", "file_hash"]

# what turns a document into facts: zhibiao.pipeline.extract_document, or a top-level function of the same
# shape (tests pass one; a worker process must be able to import it)
Extractor = Callable[[Document, str | None], list[Fact]]

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Hints:
    """What is known of a report that it may not print: `zhibiao ingest --region --published`.

    They fill what the text leaves open and never override what it says.
    """

    region: str | None = None
    published: date | None = None


def extract_one(path: str | Path, hints: Hints = Hints(), *, text: str | None = None, name: str | None = None,
                extract: Extractor | None = None) -> DocumentRecord:
    """Read and extract the report at `path`; never raises: a failure comes back as the record's error.

    With `text`, the report is that text and `path` only its key (a table row's id, the path of a stored
    document whose file is gone); its content hash covers the hints too, which change its facts. `name`
    is what the facts' `doc` says (default: the file name of `path`). `extract` replaces
    zhibiao.pipeline.extract_document.
    """
    record = extract_changed(path, hints, None, text=text, name=name, extract=extract)
    assert record is not None  # no stored hash: nothing to skip
    return record


def extract_changed(path: str | Path, hints: Hints, stored_hash: str | None, *, text: str | None = None,
                    name: str | None = None, extract: Extractor | None = None) -> DocumentRecord | None:
    """extract_one, or None when the report's content hash is `stored_hash` (stored already by this extractor)."""
    if text is not None:
        key, digest, file = str(path), text_hash(text, hints), None
    else:
        file = Path(path)
        key, digest = abspath(file), file_hash(file)
    if digest is not None and digest == stored_hash:
        return None
    from zhibiao.read import show_path

    return _record(key, name or show_path(Path(path).name), digest, hints, extract, path=file, text=text)


def _record(key: str, name: str, digest: str | None, hints: Hints, extract: Extractor | None, *,
            path: Path | None = None, text: str | None = None) -> DocumentRecord:
    version = extractor_version()
    try:
        doc = _read(path, text, name, hints)
        if extract is None:
            from zhibiao.pipeline import extract_document as extract
        facts = extract(doc, hints.region)
    except ReadError as e:
        error = e.problem
    except ZhibiaoError as e:
        error = str(e)
    except Exception as e:  # noqa: BLE001 - one bad report must not stop the others; the message says what broke
        error = f"internal error while extracting: {type(e).__name__}: {e}"
    else:
        return DocumentRecord(path=key, name=name, content_hash=digest, extractor_version=version, document=doc,
                              facts=facts)
    return DocumentRecord(path=key, name=name, content_hash=digest, extractor_version=version, error=error)


def _read(path: Path | None, text: str | None, name: str, hints: Hints) -> Document:
    from zhibiao.read import read_path, read_text

    if path is not None:
        return read_path(path, published=hints.published)
    if not isinstance(text, str) or not text.strip():
        raise ZhibiaoError("no text")
    doc = read_text(text, name=name)
    if hints.published is not None:
        doc.published, doc.published_how = hints.published, "given"
    return doc


def file_hash(path: Path) -> str | None:
    """sha256 hex of the file's bytes; None when it is no regular file, too large, or cannot be read (reading it
    reports why). Never blocks on a FIFO nor reads /dev/zero for ever."""
    from zhibiao.read import MAX_FILE_BYTES, open_regular

    h = hashlib.sha256()
    try:
        fd = open_regular(path, str(path))
    except ReadError:
        return None
    seen = 0
    try:
        with os.fdopen(fd, "rb") as f:
            while chunk := f.read(_HASH_CHUNK):
                h.update(chunk)
                seen += len(chunk)
                if seen > MAX_FILE_BYTES:
                    return None
    except OSError:
        return None
    return h.hexdigest()


def text_hash(text: str | None, hints: Hints) -> str:
    """The content hash of a report given as text: its text, and the hints, which change its facts."""
    h = hashlib.sha256(str(text or "").encode("utf-8"))
    if hints.published is not None or hints.region:
        h.update(f"\0published={hints.published or ''}\0region={hints.region or ''}".encode())
    return h.hexdigest()


def abspath(path: Path) -> str:
    """The absolute path a document is stored and reported under: the name the user gave, made absolute.

    A link is not resolved: a report reached through `latest.txt → 2024/report.txt` is stored as latest.txt,
    the name the user knows (issue 19). Only a `..` needs the file system: after a linked folder it leads
    elsewhere than its text says, so the folder holding the file is resolved then, its name kept. Bytes of a
    file name that are not UTF-8 show as \\xNN, so that it can be stored and printed.
    """
    from zhibiao.read import show_path

    p = Path(path).absolute()  # drops `.` and doubled slashes, which cannot change what is named
    if ".." in p.parts:
        try:
            p = p.parent.resolve() / p.name if p.name not in ("", "..") else p.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a loop of links, reported when the file is read
            pass
    return show_path(p)
