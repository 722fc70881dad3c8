"""Read report files: bytes → decoded text → Document, with clear errors for what is not a report."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

import charset_normalizer

from zhibiao.errors import ReadError
from zhibiao.model import Document

__all__ = ["FORMATS", "MAX_CHARS", "MAX_FILE_BYTES", "READERS", "check_length", "decode", "iter_paths", "open_regular",
           "read_bytes", "read_path", "read_text", "show_path"]

# A reader turns a file's bytes into (text, encoding). New formats (html, pdf, docx) add one entry here
# and one suffix below; iter_paths picks their suffixes up from FORMATS.
Reader = Callable[[bytes, str], tuple[str, str]]

# file suffix → format name (Document.format)
FORMATS: dict[str, str] = {".txt": "txt", ".md": "md", ".markdown": "md"}

# Binary formats people save by mistake under a text name, by their leading bytes.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX and EPUB files are ZIP archives too)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (DOC, XLS, PPT)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

# Encodings charset-normalizer may name that can hold Chinese (its names are Python codec names).
# Japanese and Korean ones are left out: on Chinese bytes they are garbage, and on random bytes
# charset-normalizer names them with confidence.
_CHINESE_ENCODINGS = frozenset({"big5", "big5hkscs", "cp950", "gb2312", "gbk", "gb18030", "hz",
                                "utf_8", "utf_16", "utf_32"})

# Control characters (Unicode category Cc) other than the whitespace ones (\t \n \v \f \r).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Every control character, the whitespace ones too: none belongs in a file name as printed on one line.
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What a Chinese report is mostly made of (see _common_share), and the hanzi of the basic block; as patterns, so that
# a text of millions of characters is counted in C.
_COMMON = re.compile(r"[\x00-\x7f\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f]+")
_NOT_HANZI = re.compile(r"[^\u4e00-\u9fff]+")
# Above this share of control characters a "text" is binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.05
# A UTF-8 file with at most one bad byte sequence per this many good multibyte characters is UTF-8 with
# damage (a truncated download, a cut last character), not GBK text: GBK seldom forms valid UTF-8.
_UTF8_GOOD_PER_BAD = 20

# Budgets per file (issue 19), so that no file runs for minutes or takes a worker's memory. The largest
# report seen is a few hundred thousand characters; extraction runs at about 100,000 characters a second.
MAX_FILE_BYTES = 200 * 2**20  # what a file may weigh (a PDF with images is large; its text is not)
MAX_CHARS = 2_000_000  # characters per document: about 20 s of extraction


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode a report's bytes; return (text, encoding name). A BOM is stripped; nothing else changes.

    Tries, in order: a byte-order mark, UTF-16 without one (when the bytes hold NULs), UTF-8 (also with
    rare damaged bytes replaced by U+FFFD), UTF-16 without NULs, GB18030 (with a check for Big5 read as
    GB18030), then charset-normalizer if it names a CJK encoding.
    Raises ReadError naming `name` for empty, whitespace-only, binary or undecodable data.
    """
    if not data:
        raise ReadError(name, "empty file")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ReadError(name, f"not text: looks like {kind}")
    text, encoding = _decode_bytes(data, name)
    _check_text(text, name)
    return text, encoding


def _decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            codec = "utf-8" if encoding == "utf-8-sig" else encoding
            try:
                return data[len(bom):].decode(codec), encoding
            except UnicodeDecodeError as e:
                raise ReadError(name, f"undecodable: starts with a {encoding} byte-order mark but "
                                      f"{_where(e, len(bom))} is not valid {codec}") from None
    if b"\x00" in data:
        # NULs in text mean UTF-16 (the zero half of ASCII characters); anything else is binary.
        found = _utf16_without_bom(data, min_common=0.8)
        if found is None:
            raise ReadError(name, "not text: contains NUL bytes (binary data)")
        return found
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    damaged = _mostly_utf8(data, utf8_error)
    if damaged is not None:
        return damaged, "utf-8"
    # UTF-16 text with no ASCII at all has no NULs; GBK read as UTF-16 lands in Hangul, PUA and
    # surrogates, so a near-perfect score tells them apart.
    found = _utf16_without_bom(data, min_common=0.95)
    if found is not None:
        return found
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        return _unless_big5(data, text)
    guess = _guess(data)
    if guess is not None:
        return guess
    raise ReadError(name, f"undecodable: not UTF-8 ({_where(utf8_error)} is invalid), not GB18030, "
                          f"and no other Chinese encoding fits")


def _where(e: UnicodeDecodeError, skipped: int = 0) -> str:
    return f"byte 0x{e.object[e.start]:02x} at offset {e.start + skipped}"


def _utf16_without_bom(data: bytes, min_common: float) -> tuple[str, str] | None:
    """The UTF-16 byte order under which `data` reads as plausible text, if any.

    `min_common` is the share of common characters (see _common_share) the text must reach.
    """
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _common_share(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    # The wrong byte order still decodes ASCII into valid but rare characters, hence the bar.
    if best is None or best[0] < min_common or _control_share(best[1]) > _MAX_CONTROL_SHARE:
        return None
    return best[1], best[2]


def _common_share(text: str) -> float:
    """Share of characters a Chinese report is mostly made of: ASCII, common hanzi, CJK punctuation."""
    if not text:
        return 0.0
    return (len(text) - len(_COMMON.sub("", text))) / len(text)


def _mostly_utf8(data: bytes, error: UnicodeDecodeError) -> str | None:
    """Decode UTF-8 with a few damaged sequences replaced by U+FFFD, if the rest is clearly UTF-8."""
    text = data.decode("utf-8", errors="replace")
    if error.end == len(data) and error.reason == "unexpected end of data":
        # only the last character was cut off (a truncated download): UTF-8 however short the text
        return text
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad  # the non-ASCII characters, counted in C
    return text if good >= _UTF8_GOOD_PER_BAD * bad else None


def _unless_big5(data: bytes, text: str) -> tuple[str, str]:
    """Return GB18030 text, or Big5 text when the GB18030 reading is the garbage Big5 bytes make.

    Big5 byte pairs are valid GBK, but they land mostly outside GB2312, where simplified text lives.
    """
    hanzi = _NOT_HANZI.sub("", text)
    if len(hanzi) >= 10 and _gb2312_share(hanzi) < 0.8:
        for encoding in ("big5", "big5hkscs"):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    return text, "gb18030"


def _gb2312_share(hanzi: str) -> float:
    # every hanzi of GB2312 is two bytes in it, and those outside are dropped: one encode instead of one per character
    # (a loop over the characters of a 5 MB GBK file took 20 s, issue 19's probe)
    return len(hanzi.encode("gb2312", errors="ignore")) / 2 / len(hanzi)


def _guess(data: bytes) -> tuple[str, str] | None:
    """Ask charset-normalizer; accept only a confident answer naming an encoding that can hold Chinese."""
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding not in _CHINESE_ENCODINGS or best.chaos > 0.1:
        return None
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        # charset-normalizer may judge on a sample; only a full strict decode counts
        return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _check_text(text: str, name: str) -> None:
    if not text:
        raise ReadError(name, "empty file (only a byte-order mark)")
    if not text.strip():
        raise ReadError(name, "whitespace-only file")
    share = _control_share(text)
    if share > _MAX_CONTROL_SHARE:
        raise ReadError(name, f"not text: {share:.0%} of its characters are control characters (binary data)")


def _read_plain(data: bytes, name: str) -> tuple[str, str]:
    return decode(data, name)


# format name → reader
READERS: dict[str, Reader] = {"txt": _read_plain, "md": _read_plain}


def read_path(path: str | Path, published: date | None = None) -> Document:
    """Read one report file. Raises ReadError naming the path for anything that is not a readable report."""
    p = Path(path)
    shown = show_path(path)
    try:
        mode = p.stat().st_mode
    except (OSError, RuntimeError) as e:  # RuntimeError: a symlink loop, on some Python versions
        raise ReadError(shown, _os_problem(e)) from None
    if stat.S_ISDIR(mode):
        raise ReadError(shown, _directory_problem(p))
    suffix = p.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        what = f"unsupported format {suffix}" if suffix else "unsupported format: no file suffix"
        raise ReadError(shown, f"{what} (zhibiao reads {known})")
    data = read_bytes(p, shown)
    text, encoding = READERS[fmt](data, shown)
    check_length(text, shown)
    return Document(name=show_path(p.name), text=text, path=shown, encoding=encoding, format=fmt,
                    published=published, published_how="unknown" if published is None else "given")


def open_regular(path: Path, shown: str) -> int:
    """A descriptor open on the regular file at `path`; ReadError for a FIFO, a device, a socket.

    Opened non-blocking, so that a FIFO with no writer cannot hang the open, and checked on the open file
    itself, so that a link swapped meanwhile cannot lead the read to /dev/zero.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, RuntimeError) as e:
        raise ReadError(shown, _os_problem(e)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or
                stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "a special file")
        raise ReadError(shown, f"not a regular file: it is {kind}")
    return fd


def read_bytes(path: Path, shown: str) -> bytes:
    """The bytes of the regular file at `path`, at most MAX_FILE_BYTES of them (ReadError beyond)."""
    fd = open_regular(path, shown)
    try:
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise ReadError(shown, _os_problem(e)) from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(shown, f"too large: more than {MAX_FILE_BYTES // 2**20} MB (split it into reports)")
    return data


def check_length(text: str, shown: str) -> None:
    """ReadError when `text` holds more than MAX_CHARS characters: its extraction would run for minutes."""
    if len(text) > MAX_CHARS:
        raise ReadError(shown, f"too long: {len(text):,} characters, at most {MAX_CHARS:,} per document "
                               f"(split it into reports)")


def show_path(path: str | Path) -> str:
    """A path as text that can be printed and stored on one line: bytes that are not UTF-8 in a file name, and
    control characters (a newline, a tab, an escape), as \\xNN."""
    shown = os.fsencode(path).decode("utf-8", errors="backslashreplace")
    # a newline in a file name broke the one line that names a bad file in two; an escape could recolour a terminal
    return _CONTROL_IN_NAME.sub(lambda m: f"\\x{ord(m.group()):02x}", shown)


def _os_problem(e: OSError | RuntimeError) -> str:
    if isinstance(e, RuntimeError) or getattr(e, "errno", None) == errno.ELOOP:
        return "cannot read: a loop of symbolic links"
    if isinstance(e, FileNotFoundError):
        return "no such file"
    if isinstance(e, PermissionError):
        return "permission denied"
    return f"cannot read: {e.strerror or e}"


def _directory_problem(p: Path) -> str:
    try:
        os.listdir(p)
    except PermissionError:
        return "is a directory that cannot be listed: permission denied"
    except OSError:
        pass
    return "is a directory, not a report file"


def read_text(text: str, name: str = "<text>") -> Document:
    """Wrap a string as a Document, unchanged, so that offsets index `text` itself (ReadError when too long)."""
    check_length(text, name)
    return Document(name=name, text=text)


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand paths into report files, in a deterministic order, each once.

    A folder yields its report files (by suffix, see FORMATS), recursively, sorted by name, skipping
    hidden files and folders and not following links to folders (which could loop). A path named
    explicitly is yielded whatever it is, even a missing file, so that read_path reports it.
    """
    seen: set[Path] = set()
    for given in paths:
        p = Path(given)
        found = _walk(p) if _is_dir(p) else iter((p,))
        for f in found:
            key = _identity(f)
            if key not in seen:
                seen.add(key)
                yield f


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except OSError:
        # an unreadable folder is yielded so that read_path reports it instead of losing it silently
        yield folder
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            if not _is_link(entry):
                yield from _walk(entry)
        elif entry.suffix.lower() in FORMATS:
            yield entry


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except (OSError, RuntimeError):
        return False


def _is_link(p: Path) -> bool:
    try:
        return p.is_symlink()
    except OSError:
        return False


def _identity(p: Path) -> Path:
    try:
        return p.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return p.absolute()


# HTML, PDF and DOCX: zhibiao/formats.py, which imports their libraries only when such a file is read.
from zhibiao import formats as _formats  # noqa: E402

FORMATS.update(_formats.SUFFIXES)
READERS.update(_formats.READERS)
