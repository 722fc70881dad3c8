"""Issue 19's probe, run again: what a demanding user and a hostile client do to zhibiao, counted.

Every input is generated (reports of invented counties by tests/helpers.py, as the tests make them; bad files;
hostile requests); nothing is read from the shared corpus. Each probe runs the real commands
(`.venv/bin/zhibiao extract|ingest|serve|check|export`) as subprocesses with a timeout that counts as a hang,
polls the peak memory (VmHWM) of every process of the command in /proc, and prints one row:

    probe | cases | tracebacks | hangs | HTTP 5xx | peak RSS of a process (MB) | good files stored / expected |
    other failures

followed by a line per failure. Exit code 1 when anything failed.

Probes:
- files: bad files (garbage XML in a .docx, zip bombs, a symlink loop, a FIFO, a link to /dev/zero, a 50 MB
  text, empty, binary junk ...) each in a batch with good reports (UTF-8, GBK, UTF-16, a name that is not UTF-8,
  .docx, .html), through `extract` and `ingest`: every good file stored, one line per bad file, no traceback.
- numbers: figures beyond a float's range to JSONL (strict JSON), the store, `check`, `export`, /api/facts.
- signals: SIGTERM pairs 0.05-0.5 s apart and SIGKILLs of `ingest` on SQLite (and PostgreSQL when
  ZHIBIAO_TEST_PG is set or --pg URL is given): the run never left `running`, no process left, a rerun stores
  every document once.
- concurrent: two ingests at once on a new database and on an existing one.
- web: `zhibiao serve` on a free port, hundreds of hostile requests; a page's answer time while a 60 KB pasted
  report is extracted (must be under 1 s).

    .venv/bin/python benchmarks/probe_robust.py --quick        # a few minutes
    .venv/bin/python benchmarks/probe_robust.py                # the fuller run
    .venv/bin/python benchmarks/probe_robust.py --only files,web --sigterms 50

The server binds to 127.0.0.1 only; every loop has a deadline.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the reports and the process-group scan the tests use too
from helpers import group_pids, report  # noqa: E402

RSS_LIMIT_MB = 1024  # per process (issue 19: one worker took 6.4 GB)
PAGE_LIMIT_S = 1.0  # a page's answer while an upload is extracted
# The reader page of the 60 KB paste, once its layout is cached: linear work on 1,600 facts (their rows, the
# template), about 0.8 s on a loaded 2-core machine; issue 19 saw 4 s when the layout was redone every time.
READER_LIMIT_S = 3.0


# ---------------------------------------------------------------------------------------------------- results

@dataclass
class Row:
    """One probe's counts."""

    probe: str
    cases: int = 0
    tracebacks: int = 0
    hangs: int = 0
    http_5xx: int = 0
    peak_rss_mb: float = 0.0
    good_stored: int = 0
    good_expected: int = 0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None

    def fail(self, message: str) -> None:
        self.failures.append(message)

    def rss(self, mb: float) -> None:
        self.peak_rss_mb = max(self.peak_rss_mb, mb)

    def took(self, out: Outcome, what: str) -> None:
        """Count a command's traceback, hang and memory."""
        self.cases += 1
        self.rss(out.peak_rss_mb)
        if out.hung:
            self.hangs += 1
            self.fail(f"{what}: no answer in {out.seconds:.0f} s (killed)")
        if "Traceback (most recent call last)" in out.stdout + out.stderr:
            self.tracebacks += 1
            self.fail(f"{what}: traceback: {_last_line(out.stderr or out.stdout)}")
        if out.peak_rss_mb > RSS_LIMIT_MB:
            self.fail(f"{what}: a process peaked at {out.peak_rss_mb:,.0f} MB")

    @property
    def ok(self) -> bool:
        return self.skipped is not None or not (self.failures or self.tracebacks or self.hangs or self.http_5xx)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def print_table(rows: list[Row]) -> None:
    head = ["probe", "cases", "tracebacks", "hangs", "HTTP 5xx", "peak RSS/process", "good stored/expected",
            "other failures"]
    body = []
    for r in rows:
        if r.skipped:
            body.append([r.probe, "-", "-", "-", "-", "-", "-", f"skipped: {r.skipped}"])
            continue
        other = len(r.failures) - r.tracebacks - r.hangs
        body.append([r.probe, str(r.cases), str(r.tracebacks), str(r.hangs), str(r.http_5xx),
                     f"{r.peak_rss_mb:,.0f} MB", f"{r.good_stored}/{r.good_expected}", str(max(other, 0))])
    widths = [max(len(h), *(_width(b[i]) for b in body)) for i, h in enumerate(head)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for b in body:
        print("| " + " | ".join(c + " " * (w - _width(c)) for c, w in zip(b, widths, strict=True)) + " |")
    for r in rows:
        for n in r.notes:
            print(f"  {r.probe}: {n}")
    for r in rows:
        for f in r.failures:
            print(f"  FAIL {r.probe}: {f}")


def _width(s: str) -> int:
    return sum(2 if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" else 1 for c in s)


# ---------------------------------------------------------------------------------------------------- processes

@dataclass
class Outcome:
    rc: int | None
    stdout: str
    stderr: str
    hung: bool
    seconds: float
    peak_rss_mb: float


def _hwm_mb(pid: int) -> float:
    # VmHWM, the peak resident set of the process so far: polling it misses nothing between two polls
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


class MemoryWatch:
    """Polls the peak RSS of every process of a group until stopped; `peak` is the largest of one process."""

    def __init__(self, pgid: int, every: float = 0.05):
        self.pgid, self.every, self.peak = pgid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in group_pids(self.pgid):
                self.peak = max(self.peak, _hwm_mb(pid))
            self._stop.wait(self.every)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("ZHIBIAO_DB", "ZHIBIAO_TOKEN")}
    e.update(PYTHONUNBUFFERED="1", COLUMNS="200", NO_COLOR="1")
    return e


def start(args: list[str], **kw) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(ZHIBIAO), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                            start_new_session=True, **kw)


def finish(proc: subprocess.Popen[bytes], timeout: float, watch: MemoryWatch | None = None,
           t0: float | None = None) -> Outcome:
    """Wait for a started command; past `timeout` kill its whole group and call it hung."""
    t0 = time.monotonic() if t0 is None else t0
    hung = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        hung = True
        kill_group(proc.pid)
        out, err = proc.communicate()
    peak = watch.stop() if watch else 0.0
    return Outcome(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), hung,
                   time.monotonic() - t0, peak)


def run(args: list[str], timeout: float, stdin: bytes | None = None) -> Outcome:
    t0 = time.monotonic()
    proc = start(args, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
    watch = MemoryWatch(proc.pid)
    if stdin is not None:
        try:
            out, err = proc.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(proc.pid)
            out, err = proc.communicate()
            return Outcome(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), True,
                           time.monotonic() - t0, watch.stop())
        return Outcome(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), False,
                       time.monotonic() - t0, watch.stop())
    return finish(proc, timeout, watch, t0)


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def wait_until(condition: Callable[[], bool], seconds: float, every: float = 0.02) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


# ---------------------------------------------------------------------------------------------------- inputs

def long_report(n_bytes: int, one_line: bool = False) -> str:
    """A report of about `n_bytes` UTF-8 bytes: many bulletins, or (one_line) one paragraph without a full stop."""
    parts, size, n = [], 0, 0
    while size < n_bytes:
        part = report(n)
        if one_line:
            part = part.replace("\n", "，").replace("。", "，").replace("；", "，")
        parts.append(part)
        size += len(part.encode())
        n += 1
    return "".join(parts)


def _docx_bytes(document_xml: bytes | Iterator[bytes], extra: dict[str, bytes] | None = None) -> bytes:
    """A .docx (a ZIP) with this document.xml; streamed into the archive when given as chunks."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
        if isinstance(document_xml, bytes):
            z.writestr("word/document.xml", document_xml)
        else:
            with z.open("word/document.xml", "w", force_zip64=True) as f:
                for chunk in document_xml:
                    f.write(chunk)
    return buf.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 b'"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                 b'document.main+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_of(text: str) -> bytes:
    paras = b"".join(b"<w:p><w:r><w:t>" + line.encode() + b"</w:t></w:r></w:p>" for line in text.splitlines())
    return _docx_bytes(b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W + b"><w:body>" + paras +
                       b"</w:body></w:document>")


def _chunks(head: bytes, unit: bytes, total: int, tail: bytes) -> Iterator[bytes]:
    yield head
    block = unit * max(1, (1 << 20) // len(unit))
    left = total
    while left > 0:
        piece = block[:left] if left < len(block) else block
        yield piece
        left -= len(piece)
    yield tail


def bomb_docx(inflated: int) -> bytes:
    """One text node of `inflated` bytes (zeros deflate about 1000:1)."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W + b"><w:body><w:p><w:r><w:t>"
    return _docx_bytes(_chunks(head, b"0", inflated, b"</w:t></w:r></w:p></w:body></w:document>"))


def many_paragraphs_docx(inflated: int) -> bytes:
    """Millions of empty paragraphs under the inflation cap: every one a node in memory."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W + b"><w:body>"
    return _docx_bytes(_chunks(head, b"<w:p/>", inflated, b"</w:body></w:document>"))


def lying_docx(inflated: int) -> bytes:
    """A bomb whose ZIP headers claim its document.xml is 1,000 bytes."""
    data = bytearray(bomb_docx(inflated))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    # the sizes in the local header (+22) and in the central directory entry (+24), when they fit 32 bits
    lh = info.header_offset
    data[lh + 22:lh + 26] = (1000).to_bytes(4, "little")
    cd = data.find(b"PK\x01\x02" + data[lh + 4:lh + 6])
    while cd != -1:
        name_len = int.from_bytes(data[cd + 28:cd + 30], "little")
        if data[cd + 46:cd + 46 + name_len] == b"word/document.xml":
            if int.from_bytes(data[cd + 24:cd + 28], "little") != 0xFFFFFFFF:
                data[cd + 24:cd + 28] = (1000).to_bytes(4, "little")
            break
        cd = data.find(b"PK\x01\x02", cd + 4)
    return bytes(data)


def deep_docx(depth: int) -> bytes:
    return _docx_bytes(b"<w:document " + W + b"><w:body>" + b"<w:p>" * depth + b"</w:p>" * depth +
                       b"</w:body></w:document>")


def laughs_docx() -> bytes:
    ents = b'<!ENTITY a0 "hahahahahahahahahaha">' + b"".join(
        b"<!ENTITY a%d \"" % i + b"&a%d;" % (i - 1) * 10 + b'">' for i in range(1, 10))
    return _docx_bytes(b'<?xml version="1.0"?><!DOCTYPE w:document [' + ents + b"]><w:document " + W +
                       b"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>")


def html_of(text: str) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return (f"<html><head><meta charset='utf-8'><title>公报</title></head><body><nav><a href='/'>首页</a></nav>"
            f"<article><h1>统计公报</h1>{body}</article><footer>版权所有</footer></body></html>").encode()


@dataclass
class Case:
    """A file to make: `good` ones must be stored with their facts, the others refused with one line each."""

    name: str  # as created (may hold bytes that are not UTF-8, escaped by os.fsdecode)
    make: Callable[[Path], list[Path]]  # creates it; returns every path it made (a loop is two links)
    good: bool
    quick: bool = True  # part of --quick


def _write(data: bytes | Callable[[], bytes]) -> Callable[[Path], list[Path]]:
    def make(p: Path) -> list[Path]:
        p.write_bytes(data() if callable(data) else data)
        return [p]
    return make


def _loop(p: Path) -> list[Path]:
    other = p.with_name("loop_other_" + p.name)
    os.symlink(other.name, p)
    os.symlink(p.name, other)
    return [p, other]


def _fifo(p: Path) -> list[Path]:
    os.mkfifo(p)
    return [p]


def _link(target: str) -> Callable[[Path], list[Path]]:
    def make(p: Path) -> list[Path]:
        os.symlink(target, p)
        return [p]
    return make


def _text_of_bytes(n_bytes: int, encoding: str) -> Callable[[Path], list[Path]]:
    def make(p: Path) -> list[Path]:
        unit = long_report(1 << 20).encode(encoding)
        with p.open("wb") as f:
            written = 0
            while written < n_bytes:
                f.write(unit)
                written += len(unit)
        return [p]
    return make


def file_cases(args: argparse.Namespace) -> list[Case]:
    from zhibiao.formats import MAX_INFLATED

    bomb = args.bomb_mb * 2**20
    r = report
    return [
        # good ones: every encoding and format a report comes in, and a name that is not UTF-8
        Case("good_gbk.txt", _write(r(101).encode("gbk")), True),
        Case("good_utf16_bom.txt", _write(r(102).encode("utf-16")), True),
        Case("good_utf16le.txt", _write(r(103).encode("utf-16-le")), True),
        Case("good_utf8_bom.md", _write(r(104).encode("utf-8-sig")), True),
        Case(os.fsdecode(b"good_name_\xff\xfe.txt"), _write(r(105).encode()), True),
        Case("good_report.docx", _write(lambda: docx_of(r(106))), True),
        Case("good_page.html", _write(html_of(r(107))), True),
        Case("good_[bold]markup.txt", _write(r(108).encode()), True),
        # bad ones
        Case("garbage.docx", _write(_docx_bytes(b"<w:document><<broken &&")), False),
        Case("bomb.docx", _write(lambda: bomb_docx(bomb)), False),
        Case("bomb_lying_headers.docx", _write(lambda: lying_docx(bomb)), False),
        Case("bomb_many_paragraphs.docx", _write(lambda: many_paragraphs_docx(MAX_INFLATED - 2**20)), False,
             quick=False),
        Case("deep_nesting.docx", _write(lambda: deep_docx(100_000)), False),
        Case("billion_laughs.docx", _write(laughs_docx), False),
        Case("junk.docx", _write(random.Random(1).randbytes(50_000)), False),
        Case("junk.pdf", _write(b"%PDF-1.7\n" + random.Random(2).randbytes(50_000) + b"\n%%EOF\n"), False),
        Case("loop.txt", _loop, False),
        Case("fifo.txt", _fifo, False),
        Case("zero.txt", _link("/dev/zero"), False),
        Case("urandom.md", _link("/dev/urandom"), False),
        Case("dangling.txt", _link("/nonexistent/zhibiao-probe"), False),
        Case("huge_50mb.txt", _text_of_bytes(args.huge_mb * 2**20, "utf-8"), False),
        Case("huge_50mb_gbk.txt", _text_of_bytes(args.huge_mb * 2**20, "gbk"), False, quick=False),
        Case("empty.txt", _write(b""), False),
        Case("blank.md", _write(b" \n\t\n" * 100), False),
        Case("junk.txt", _write(random.Random(3).randbytes(64_000)), False),
        Case("elf.txt", _write(b"\x7fELF" + random.Random(4).randbytes(5000)), False),
        Case("empty_[red]markup.txt", _write(b""), False),
        Case("empty_new\nline.txt", _write(b""), False),
    ]


# ---------------------------------------------------------------------------------------------------- databases

class Databases:
    """Fresh database URLs: SQLite files in the work folder; PostgreSQL databases on a server, dropped at the end."""

    def __init__(self, work: Path, pg_admin: str | None):
        self.work, self.pg_admin = work, pg_admin
        self.backends = ["sqlite"] + (["postgresql"] if pg_admin else [])
        self.numbers_url: str | None = None  # the numbers probe's SQLite database, served by the web probe
        self._made: list[str] = []

    def new(self, backend: str, label: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.work / f'{label}-{uuid.uuid4().hex[:8]}.db'}"
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        admin = make_url(self.pg_admin).set(drivername="postgresql+psycopg")
        name = f"zhibiao_probe_{uuid.uuid4().hex[:10]}"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self._made.append(name)
        return admin.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self._made:
            return
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        engine = create_engine(make_url(self.pg_admin).set(drivername="postgresql+psycopg"),
                               isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for name in self._made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def query(url: str, sql: str) -> list[tuple]:
    """Rows of `sql` (a read), or [] when the tables are not there yet."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    except (OperationalError, ProgrammingError):
        return []
    finally:
        engine.dispose()


def stored(url: str) -> int:
    rows = query(url, "SELECT count(*) FROM documents WHERE status = 'ok'")
    return int(rows[0][0]) if rows else 0


def migrate(url: str) -> None:
    from zhibiao.store import open_engine

    open_engine(url).dispose()


# ---------------------------------------------------------------------------------------------------- files

def probe_files(args: argparse.Namespace, work: Path) -> list[Row]:
    """Each bad file in a batch between two good reports, every good kind in a batch of its own, and all at once."""
    from zhibiao.read import show_path

    cases = [c for c in file_cases(args) if c.quick or not args.quick]
    goods = [c for c in cases if c.good]
    bads = [c for c in cases if not c.good]
    def between(i: int, bad: Case) -> list[Case]:  # a good report sorted before it and one after
        return [Case(f"{bad.name[:1]}_{i:02d}_before.txt", _write(report(200 + i).encode()), True), bad,
                Case(f"{bad.name}_{i:02d}_after.txt", _write(report(300 + i).encode()), True)]

    if args.quick:  # two batches, each bad file between two good ones (20 failed files are listed at most)
        half = len(bads) // 2
        batches = [("mixed 1", goods + [c for i, b in enumerate(bads[:half]) for c in between(i, b)]),
                   ("mixed 2", [c for i, b in enumerate(bads[half:]) for c in between(i, b)])]
    else:
        batches = [("good kinds", goods)] + [(b.name, between(i, b)) for i, b in enumerate(bads)]
        batches.append(("everything at once", cases))
    extract_row, ingest_row = Row("files: extract"), Row("files: ingest")
    heavy: list[tuple[float, str]] = []
    for b, (label, batch) in enumerate(batches):
        folder = work / f"files{b:02d}"
        folder.mkdir()
        good_names, bad_paths = [], []
        for c in batch:
            made = c.make(folder / c.name)
            if c.good:
                good_names.append(show_path(c.name))
            else:
                bad_paths.extend(show_path(p) for p in made)
        t0 = time.monotonic()
        out = run(["extract", str(folder), "--format", "jsonl"], args.timeout)
        _check_extract(extract_row, label, out, good_names, bad_paths)
        heavy.append((out.peak_rss_mb, f"extract {label}"))
        url = f"sqlite:///{work / f'files{b:02d}.db'}"
        out = run(["ingest", str(folder), "--db", url, "-j", str(args.workers), "--no-progress"], args.timeout)
        _check_ingest(ingest_row, label, out, url, good_names, bad_paths)
        heavy.append((out.peak_rss_mb, f"ingest {label}"))
        _say(f"files: {label!r} in {time.monotonic() - t0:.1f} s")
        _remove(folder)
    heavy.sort(reverse=True)
    extract_row.notes.append("heaviest: " + ", ".join(f"{name} {mb:,.0f} MB" for mb, name in heavy[:3]))
    return [extract_row, ingest_row]


def _lines_naming(text: str, shown: str) -> list[str]:
    one_line = shown.replace("\n", "")  # a name with a newline cannot be on one line: its halves are looked for
    return [line for line in text.splitlines() if (shown in line or (one_line != shown and
                                                                     shown.split("\n")[0] in line))]


def _check_extract(row: Row, label: str, out: Outcome, good: list[str], bad: list[str]) -> None:
    row.took(out, f"extract [{label}]")
    if out.hung:
        row.good_expected += len(good)
        return
    facts_of: dict[str, int] = {}
    for line in out.stdout.splitlines():
        try:
            fact = json.loads(line, parse_constant=_no_constant)
        except ValueError as e:
            row.fail(f"extract [{label}]: not strict JSON: {e}: {line[:120]}")
            continue
        facts_of[fact["doc"]] = facts_of.get(fact["doc"], 0) + 1
    for name in good:
        row.good_expected += 1
        if facts_of.get(name):
            row.good_stored += 1
        else:
            row.fail(f"extract [{label}]: good file {name!r} gave no facts")
    for shown in bad:
        lines = _lines_naming(out.stderr, shown)
        if len(lines) != 1 or "\n" in shown:
            row.fail(f"extract [{label}]: {len(lines)} lines name {shown!r} (one expected): {lines[:2]}"
                     if "\n" not in shown or len(lines) != 1 else
                     f"extract [{label}]: the line naming {shown!r} is broken in two by the newline in the name")
    if bad and out.rc != 1 or not bad and out.rc != 0:
        row.fail(f"extract [{label}]: exit code {out.rc}")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _instead(stderr: str, shown: str) -> str:
    """What the failed line names instead of the file given, when it can be found."""
    target = os.path.realpath(shown) if os.path.islink(shown) else None
    if target and any(target in line for line in stderr.splitlines()):
        return f"; the line names the link's target {target!r} instead"
    plain = re.sub(r"\[/?[a-z ]+\]", "", shown)
    if plain != shown and any(plain in line for line in stderr.splitlines()):
        return f"; the line shows {plain!r}: the name's [...] was taken as console markup"
    return ""


def _check_ingest(row: Row, label: str, out: Outcome, url: str, good: list[str], bad: list[str]) -> None:
    row.took(out, f"ingest [{label}]")
    docs = {name: (status, error) for name, status, error in
            query(url, "SELECT name, status, error FROM documents")}
    for name in good:
        row.good_expected += 1
        if docs.get(name, ("",))[0] == "ok":
            row.good_stored += 1
        else:
            row.fail(f"ingest [{label}]: good file {name!r} not stored: {docs.get(name)}")
    if out.hung:
        return
    for shown in bad:
        name = shown.rsplit("/", 1)[-1]
        if docs.get(name, ("",))[0] != "error":
            row.fail(f"ingest [{label}]: bad file {name!r} has no error row: {docs.get(name)}")
        if len(bad) <= 20:  # the command lists 20 failed files, the runs table all of them
            lines = [line for line in _lines_naming(out.stderr, shown) if "failed" in line]
            if len(lines) != 1 or "\n" in shown:
                row.fail(f"ingest [{label}]: {len(lines)} 'failed' lines name {shown!r}"
                         + (" (its name holds a newline)" if "\n" in shown else "") + _instead(out.stderr, shown))
    if out.rc != (1 if bad else 0):
        row.fail(f"ingest [{label}]: exit code {out.rc}: {_last_line(out.stderr)}")


# ---------------------------------------------------------------------------------------------------- numbers

HUGE_FIGURES = [
    "1" + "0" * 400,  # 1e400 written out
    "9" * 400 + "." + "9" * 3,
    "1" * 5000,  # past Python's 4,300 digits for int(str)
    "0." + "0" * 400 + "1",  # below a float's smallest
    "１" + "０" * 330,  # full-width digits
]


def numbers_text() -> str:
    lines = ["青禾县数据说明"]
    for i, fig in enumerate(HUGE_FIGURES):
        lines.append(f"2023年，青禾县地区生产总值{fig}亿元，比上年增长{fig}%，其中第{i + 1}项工业增加值{fig}万元。")
        lines.append(f"全县常住人口{fig}万人，占全市的{fig}%，排名第{fig}位。")
    lines.append("一般公共预算收入12.5亿元，增长3.1%。")  # and one ordinary figure
    return "\n".join(lines) + "\n"


def probe_numbers(args: argparse.Namespace, work: Path, dbs: Databases) -> Row:
    row = Row("numbers")
    folder = work / "numbers"
    folder.mkdir()
    (folder / "huge_numbers.txt").write_text(numbers_text(), encoding="utf-8")
    (folder / "ordinary.txt").write_text(report(1), encoding="utf-8")
    for fmt in ("jsonl", "csv", "table"):
        out = run(["extract", str(folder), "--format", fmt], args.timeout)
        row.took(out, f"extract --format {fmt}")
        if fmt == "jsonl" and not out.hung:
            _strict_jsonl(row, "extract --format jsonl", out.stdout)
    out = run(["extract", "-", "--format", "jsonl"], args.timeout, stdin=numbers_text().encode())
    row.took(out, "extract - (stdin)")
    _strict_jsonl(row, "extract - --format jsonl", out.stdout)
    for backend in dbs.backends:
        url = dbs.new(backend, "numbers")
        out = run(["ingest", str(folder), "--db", url, "-j", "1", "--no-progress"], args.timeout)
        row.took(out, f"ingest ({backend})")
        row.good_expected += 2
        row.good_stored += stored(url)
        out = run(["check", "--db", url], args.timeout)
        row.took(out, f"check ({backend})")
        out = run(["facts", "--db", url, "--format", "jsonl"], args.timeout)
        row.took(out, f"facts --format jsonl ({backend})")
        _strict_jsonl(row, f"facts --format jsonl ({backend})", out.stdout)
        for fmt in ("csv", "jsonl", "parquet"):
            target = work / f"numbers-{backend}.{fmt}"
            out = run(["export", "--db", url, "--format", fmt, "--out", str(target)], args.timeout)
            row.took(out, f"export --format {fmt} ({backend})")
            if fmt == "jsonl" and target.exists():
                _strict_jsonl(row, f"export jsonl ({backend})", target.read_text(encoding="utf-8"))
        if backend == "sqlite":
            dbs.numbers_url = url  # the web probe serves it: /api/facts must answer 200
    return row


def _strict_jsonl(row: Row, what: str, text: str) -> None:
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            json.loads(line, parse_constant=_no_constant)
        except ValueError as e:
            row.fail(f"{what}: not strict JSON ({e}): {line[:100]}")
            return


# ---------------------------------------------------------------------------------------------------- signals

def probe_signals(args: argparse.Namespace, work: Path, dbs: Databases, backend: str) -> Row:
    row = Row(f"signals ({backend})")
    if backend not in dbs.backends:
        row.skipped = "no PostgreSQL server (set ZHIBIAO_TEST_PG or --pg URL; `source .ci/postgres.sh` starts one)"
        return row
    rng = random.Random(19)
    folder = work / f"signals-{backend}"
    for n in range(args.signal_reports):
        (folder / f"part{n // 50}").mkdir(parents=True, exist_ok=True)
        (folder / f"part{n // 50}" / f"s{n:04d}.txt").write_text(report(n), encoding="utf-8")
    reference = dbs.new(backend, "sig-ref")
    out = run(["ingest", str(folder), "--db", reference, "-j", str(args.workers), "--no-progress"],
              args.timeout * 3)
    row.took(out, "reference ingest")
    ref_facts = query(reference, "SELECT count(*) FROM facts")[0][0] if not out.hung else None
    early = 0
    rounds = [("term", i) for i in range(args.sigterms)] + [("kill", i) for i in range(args.sigkills)]
    for kind, i in rounds:
        url = dbs.new(backend, f"sig-{kind}{i}")
        fresh = i % 3 == 0  # a third start on a database not made yet: the signal may come during the migration
        if not fresh:
            migrate(url)
        t0 = time.monotonic()
        proc = start(["ingest", str(folder), "--db", url, "-j", str(args.workers), "--no-progress"])
        watch = MemoryWatch(proc.pid)
        if fresh:
            time.sleep(rng.uniform(0.2, 3.0))
        else:
            wanted = rng.randint(1, 12)
            wait_until(lambda u=url, w=wanted, p=proc: p.poll() is not None or stored(u) >= w, 120, every=0.05)
        what = f"{kind} #{i}" + (" (new db)" if fresh else "")
        if kind == "term":
            gap = rng.uniform(0.05, 0.5)
            what += f" gap {gap:.2f}s"
            _signal(proc, signal.SIGTERM)
            time.sleep(gap)
            _signal(proc, signal.SIGTERM)
            out = finish(proc, args.stop_timeout, watch, t0)
            row.took(out, what)
            if not wait_until(lambda p=proc: not group_pids(p.pid), 30, 0.1):
                row.fail(f"{what}: processes left after the run ended: {group_pids(proc.pid)}")
                kill_group(proc.pid)
            began = bool(query(url, "SELECT id FROM runs"))
            if out.rc == -signal.SIGTERM and not began:
                early += 1  # ended by the signal before it set its handlers up: nothing begun, nothing to mark
            elif out.rc not in (0, 130) and not out.hung:
                row.fail(f"{what}: exit code {out.rc}: {_last_line(out.stderr)}")
            running = query(url, "SELECT id FROM runs WHERE status = 'running'")
            if running:
                row.fail(f"{what}: run row left `running` after SIGTERM")
        else:
            proc.kill()
            proc.wait(30)
            gone = wait_until(lambda p=proc: not group_pids(p.pid), 30, 0.1)
            watch.stop()
            row.cases += 1
            if not gone:
                row.fail(f"{what}: workers alive 30 s after SIGKILL of ingest: {group_pids(proc.pid)}")
                kill_group(proc.pid)
        _rerun(row, args, folder, url, what, ref_facts)
        _say(f"signals ({backend}): {what}: {time.monotonic() - t0:.1f} s")
    if early:
        row.notes.append(f"{early} SIGTERM pair(s) came before the run began (while Python started): ended by the "
                         "signal, no run row, the rerun stored everything")
    return row


def _signal(proc: subprocess.Popen[bytes], sig: int) -> None:
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass


def _rerun(row: Row, args: argparse.Namespace, folder: Path, url: str, what: str, ref_facts: int | None) -> None:
    """Run the same ingest again: every document must then be stored once, with the facts of a clean run."""
    out = run(["ingest", str(folder), "--db", url, "-j", str(args.workers), "--no-progress"], args.timeout * 3)
    row.took(out, f"{what}: rerun")
    n = args.signal_reports
    row.good_expected += n
    docs = query(url, "SELECT count(*), count(DISTINCT path), sum(CASE WHEN status = 'ok' THEN 1 ELSE 0 END) "
                      "FROM documents")
    total, distinct, ok = docs[0] if docs else (0, 0, 0)
    row.good_stored += int(ok or 0)
    if (total, distinct, ok) != (n, n, n):
        row.fail(f"{what}: after the rerun {total} document rows, {distinct} paths, {ok} ok (expected {n} each)")
    facts = query(url, "SELECT count(*) FROM facts")[0][0]
    if ref_facts is not None and facts != ref_facts:
        row.fail(f"{what}: after the rerun {facts} facts, a clean run stores {ref_facts}")
    if out.rc != 0:
        row.fail(f"{what}: rerun exit code {out.rc}: {_last_line(out.stderr)}")


# ---------------------------------------------------------------------------------------------------- concurrent

def probe_concurrent(args: argparse.Namespace, work: Path, dbs: Databases, backend: str) -> Row:
    row = Row(f"two ingests ({backend})")
    if backend not in dbs.backends:
        row.skipped = "no PostgreSQL server"
        return row
    n = args.concurrent_reports
    for i in range(args.concurrent_rounds):
        folder = work / f"conc-{backend}-{i}"
        folder.mkdir()
        for k in range(n):
            (folder / f"c{k:04d}.txt").write_text(report(1000 * i + k), encoding="utf-8")
        url = dbs.new(backend, f"conc{i}")
        # a new database, then the same one again with as many new files
        for stage in ("new database", "existing database"):
            if stage == "existing database":
                for k in range(n, 2 * n):
                    (folder / f"c{k:04d}.txt").write_text(report(1000 * i + k), encoding="utf-8")
            procs = [start(["ingest", str(folder), "--db", url, "-j", str(args.workers), "--no-progress"])
                     for _ in range(2)]
            watches = [MemoryWatch(p.pid) for p in procs]
            t0 = time.monotonic()
            outs = [finish(p, args.timeout * 3, w, t0) for p, w in zip(procs, watches, strict=True)]
            expected = n if stage == "new database" else 2 * n
            for j, out in enumerate(outs):
                row.took(out, f"round {i} {stage} ingest {j}")
                if out.rc != 0 and not out.hung:
                    row.fail(f"round {i} {stage}: ingest {j} exit code {out.rc}: {_last_line(out.stderr)}")
            docs = query(url, "SELECT count(*), count(DISTINCT path) FROM documents WHERE status = 'ok'")
            total, distinct = docs[0] if docs else (0, 0)
            new = n if stage == "existing database" else expected
            row.good_expected += new
            row.good_stored += min(int(total), expected) - (n if stage == "existing database" else 0)
            if (total, distinct) != (expected, expected):
                row.fail(f"round {i} {stage}: {total} rows, {distinct} paths (expected {expected})")
            ok = query(url, "SELECT sum(n_ok) FROM runs")[0][0]
            if ok is not None and int(ok) != expected:
                row.notes.append(f"round {i} {stage}: the runs stored {ok} documents for {expected} files "
                                 "(some files done twice)")
            _say(f"two ingests ({backend}) round {i} {stage}: {time.monotonic() - t0:.1f} s")
    return row


# ---------------------------------------------------------------------------------------------------- web

class Server:
    def __init__(self, db: str, uploads: Path):
        self.proc = start(["serve", "--db", db, "--host", "127.0.0.1", "--port", "0", "--uploads", str(uploads)])
        self.watch = MemoryWatch(self.proc.pid)
        self.stderr: list[str] = []
        self.port = 0
        assert self.proc.stderr is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.port:
            line = self.proc.stderr.readline().decode("utf-8", "replace")
            self.stderr.append(line)
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
            elif not line and self.proc.poll() is not None:
                break
        threading.Thread(target=self._drain, daemon=True).start()
        if not self.port:
            kill_group(self.proc.pid)
            raise SystemExit("probe: `zhibiao serve` did not start: " + "".join(self.stderr)[-500:])

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def stop(self) -> Outcome:
        _signal(self.proc, signal.SIGTERM)
        try:
            self.proc.wait(30)
            hung = False
        except subprocess.TimeoutExpired:
            hung = True
        kill_group(self.proc.pid)
        return Outcome(self.proc.returncode, "", "".join(self.stderr), hung, 0, self.watch.stop())


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    headers: dict[str, str]


class Client:
    """One request per connection to 127.0.0.1:port, counting what the probe must not see."""

    def __init__(self, port: int, row: Row, timeout: float = 30):
        self.port, self.row, self.timeout = port, row, timeout

    def request(self, method: str, path: str, body: bytes | Iterator[bytes] | None = None,
                headers: dict[str, str] | None = None, what: str = "") -> Answer | None:
        self.row.cases += 1
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        t0 = time.perf_counter()
        try:
            if body is not None and not isinstance(body, bytes):
                conn.putrequest(method, path)
                for k, v in (headers or {}).items():
                    conn.putheader(k, v)
                conn.putheader("Transfer-Encoding", "chunked")
                conn.endheaders()
                try:
                    for chunk in body:
                        conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    conn.send(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the server answered (413) before the whole body: read that answer
            else:
                conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
        except TimeoutError:
            self.row.hangs += 1
            self.row.fail(f"{what or path}: no answer in {self.timeout:.0f} s")
            return None
        except (OSError, http.client.HTTPException) as e:
            self.row.fail(f"{what or path}: {type(e).__name__}: {e}")
            return None
        finally:
            conn.close()
        answer = Answer(r.status, data, time.perf_counter() - t0, {k.lower(): v for k, v in r.getheaders()})
        if r.status >= 500:
            self.row.http_5xx += 1
            self.row.fail(f"{what or method + ' ' + path[:80]}: {r.status}: {data[:150]!r}")
        return answer

    def expect(self, status: int | tuple[int, ...], method: str, path: str, what: str, **kw) -> Answer | None:
        answer = self.request(method, path, what=what, **kw)
        wanted = status if isinstance(status, tuple) else (status,)
        if answer is not None and answer.status not in wanted and answer.status < 500:
            self.row.fail(f"{what}: {answer.status}, expected {'/'.join(map(str, wanted))}: {answer.body[:120]!r}")
        return answer


def multipart(files: list[tuple[str, bytes]], fields: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for key, value in (fields or {}).items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, data in files:
        quoted = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{quoted}"\r\n'
                  f"Content-Type: application/octet-stream\r\n\r\n".encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def wait_job(client: Client, job_id: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        a = client.request("GET", f"/api/jobs/{job_id}", what="job poll")
        if a is not None and a.status == 200:
            job = json.loads(a.body)
            if job["status"] in ("done", "failed"):
                return job
        time.sleep(0.1)
    client.row.fail(f"job {job_id} not done in {seconds:.0f} s")
    return {}


def upload(client: Client, files: list[tuple[str, bytes]], fields: dict[str, str] | None = None,
           what: str = "upload") -> dict:
    body, headers = multipart(files, fields)
    a = client.request("POST", "/api/uploads", body=body, headers=headers, what=what)
    if a is None or a.status != 202:
        if a is not None and a.status < 500:
            client.row.fail(f"{what}: {a.status}: {a.body[:150]!r}")
        return {}
    return wait_job(client, json.loads(a.body)["id"])


XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "'-alert(1)-'", "javascript:alert(1)",
       "<svg onload=alert(1)>", "{{7*7}}", "${7*7}", "</textarea><script>alert(2)</script>"]
SQL = ["' OR '1'='1", "'; DROP TABLE facts; --", '" OR ""="', "%", "_", "\\", "%' AND 1=1 --", "1) UNION SELECT "
       "name, sql FROM sqlite_master --", "') OR 1=1 --", "\\'; SELECT pg_sleep(5); --", "[a-z]*", "*"]
TRAVERSAL = ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
             "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/....//....//etc/passwd",
             "/static/%252e%252e/%252e%252e/etc/passwd", "/documents/..%2f..%2f..%2fetc%2fpasswd",
             "/api/documents/..%2f1", "/static//etc/passwd", "/static/%00", "/..;/etc/passwd",
             "/static/app.css%00.txt", "/static/" + "..%5c" * 6 + "etc%5cpasswd"]
PARAMS = ["doc", "indicator", "region", "period", "measure", "entity", "q", "name", "kind", "status", "limit",
          "offset", "format", "lang", "text", "fact_id", "doc_id"]
GETS = ["/", "/documents", "/indicators", "/findings", "/targets", "/entities", "/entity", "/add", "/reviews",
        "/api/overview", "/api/documents", "/api/facts", "/api/findings", "/api/indicators", "/api/series",
        "/api/targets", "/api/entities", "/api/entity", "/api/reviews", "/login", "/documents/1", "/facts/1",
        "/api/documents/1", "/api/documents/1/facts", "/api/facts/1", "/api/openapi.json", "/lang/en"]
WRITES = ["/api/uploads", "/api/reviews", "/facts/1/review", "/api/documents/1/reingest", "/login"]


def _hostile_value(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.3:
        return rng.choice(XSS)
    if pick < 0.6:
        return rng.choice(SQL)
    if pick < 0.7:
        return rng.choice(["-1", "0", "99999999999999999999", "1e400", "NaN", "-0", "2147483648", "０", "١٢"])
    if pick < 0.8:
        return "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0x4e00, 0x9fff),
                                       rng.randrange(0xa0, 0x2fff), rng.randrange(0x10000, 0x1ffff)]))
                       for _ in range(rng.randrange(1, 300)))
    if pick < 0.9:
        return rng.choice(["2023", "2024-Q1", "2023-01/2023-13", "9999-99", "growth", "level", "GDP", "平鲁",
                           "地区生产总值", "青禾县", "csv", "json", "zh", "en"])
    return rng.choice(["\ud800", "\x00", "\x7f", "\u202e", "\ufeff", "a" * 5000])


def _enc(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def probe_web(args: argparse.Namespace, work: Path, dbs: Databases) -> Row:
    row = Row("web")
    rng = random.Random(7)
    db = dbs.numbers_url or f"sqlite:///{work / 'web.db'}"
    seed = work / "web-seed"
    seed.mkdir()
    for k in range(6):
        (seed / f"seed{k}.txt").write_text(report(500 + k), encoding="utf-8")
    out = run(["ingest", str(seed), "--db", db, "-j", "1", "--no-progress"], args.timeout)
    row.took(out, "seed ingest")
    uploads = work / "uploads"
    server = Server(db, uploads)
    c = Client(server.port, row)
    try:
        for part in (lambda: _web_numbers(c, row), lambda: _web_limits(c, row), lambda: _web_origin(c, row),
                     lambda: _web_traversal(c, row, work, uploads), lambda: _web_names(c, row, uploads),
                     lambda: _web_queries(c, row), lambda: _web_csv(c, row, db),
                     lambda: _web_fuzz(c, row, rng, args.requests), lambda: _web_latency(c, row, args)):
            try:
                part()
            except Exception as e:  # noqa: BLE001 - an answer the probe did not expect: counted, the others go on
                row.fail(f"probe step failed on an unexpected answer: {type(e).__name__}: {e}")
        alive = server.proc.poll() is None
        if not alive:
            row.fail("the server died during the probe")
    finally:
        end = server.stop()
    row.rss(end.peak_rss_mb)
    if "Traceback (most recent call last)" in end.stderr:
        row.tracebacks += end.stderr.count("Traceback (most recent call last)")
        row.fail(f"server log holds tracebacks: {_last_line(end.stderr)}")
    if end.peak_rss_mb > RSS_LIMIT_MB:
        row.fail(f"a server process peaked at {end.peak_rss_mb:,.0f} MB")
    return row


def _web_numbers(c: Client, row: Row) -> None:
    for path in ("/api/facts?limit=1000", "/api/documents", "/api/overview", "/api/facts?indicator=GDP",
                 "/api/findings", "/api/targets"):
        a = c.expect(200, "GET", path, f"numbers: {path}")
        if a is not None and a.status == 200:
            try:
                json.loads(a.body, parse_constant=_no_constant)
            except ValueError as e:
                row.fail(f"numbers: {path}: not strict JSON: {e}")
    a = c.expect(200, "GET", "/api/facts?format=csv", "numbers: csv download")
    docs = c.request("GET", "/api/documents", what="documents")
    if docs is not None and docs.status == 200:
        for d in json.loads(docs.body)["documents"]:
            c.expect(200, "GET", f"/documents/{d['id']}", f"numbers: reader page of {d['name']}")
            c.expect(200, "GET", f"/api/documents/{d['id']}/facts", f"numbers: facts of {d['name']}")


def _web_limits(c: Client, row: Row) -> None:
    limit = 50 * 2**20  # MAX_REQUEST_MB of zhibiao.web.settings
    boundary = "probe0boundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n").encode()

    def chunked(total: int) -> Iterator[bytes]:
        yield head
        block = ("一" * 21845).encode()  # 64 KB
        sent = 0
        while sent < total:
            yield block
            sent += len(block)
        yield f"\r\n--{boundary}--\r\n".encode()

    ctype = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    for _ in range(2):
        c.expect(413, "POST", "/api/uploads", "chunked upload over the limit", body=chunked(limit + 2**20),
                 headers=ctype)
    c.expect(413, "POST", "/api/reviews", "chunked JSON over the limit", body=chunked(limit + 2**20),
             headers={"Content-Type": "application/json"})
    c.expect(413, "POST", "/api/uploads", "Content-Length over the limit", body=b"x" * 10,
             headers={**ctype, "Content-Length": str(limit + 1)})
    c.expect((400, 413), "POST", "/api/uploads", "Content-Length not a number", body=b"",
             headers={**ctype, "Content-Length": "-1"})
    body, headers = multipart([("one_big.txt", ("二" * (11 * 2**20 // 3)).encode())])
    c.expect(413, "POST", "/api/uploads", "one file over 10 MB", body=body, headers=headers)
    body, headers = multipart([(f"f{k}.txt", b"x") for k in range(25)])
    c.expect((400, 413, 422), "POST", "/api/uploads", "25 files (20 allowed)", body=body, headers=headers)
    c.expect((400, 422), "POST", "/api/uploads", "multipart with a bad boundary", body=b"--zz\r\ngarbage",
             headers={"Content-Type": "multipart/form-data; boundary=other"})
    c.expect((400, 422), "POST", "/api/reviews", "JSON that is not JSON", body=b"{'fact_id': 1,",
             headers={"Content-Type": "application/json"})
    c.expect((400, 404, 422), "POST", "/api/reviews", "a review of a fact that is not there",
             body=json.dumps({"fact_id": 2**31 - 1, "action": "confirm"}).encode(),
             headers={"Content-Type": "application/json"})
    c.expect((400, 422), "POST", "/api/reviews", "a review with a huge number",
             body=b'{"fact_id": 1, "action": "correct", "changes": {"value": 1e400}}',
             headers={"Content-Type": "application/json"})
    c.expect((400, 404, 422), "POST", "/api/reviews", "a review with a NUL",
             body=json.dumps({"fact_id": 1, "action": "correct", "changes": {"indicator": "a\x00b"}}).encode(),
             headers={"Content-Type": "application/json"})


def _web_origin(c: Client, row: Row) -> None:
    body, headers = multipart([("origin.txt", report(900).encode())])
    for origin in ("null", "http://evil.example", "file://", "http://127.0.0.1.evil.example"):
        for path in WRITES:
            c.expect(403, "POST", path, f"write to {path} from Origin: {origin}",
                     body=body if path == "/api/uploads" else b"{}",
                     headers={**(headers if path == "/api/uploads" else {"Content-Type": "application/json"}),
                              "Origin": origin})
    c.expect(403, "POST", "/api/uploads", "Sec-Fetch-Site: cross-site", body=body,
             headers={**headers, "Sec-Fetch-Site": "cross-site"})
    c.expect(400, "GET", "/", "a Host that is not loopback (DNS rebinding)", headers={"Host": "evil.example"})


def _web_traversal(c: Client, row: Row, work: Path, uploads: Path) -> None:
    for path in TRAVERSAL:
        a = c.request("GET", path, what=f"traversal {path}")
        if a is not None and (b"root:" in a.body or b"[project]" in a.body):
            row.fail(f"traversal {path}: answered with a file outside the site")
    names = ["../../evil_up.txt", "..\\..\\evil_back.txt", "/tmp/evil_abs.txt", "%2e%2e%2fevil_enc.txt",
             "....//evil_dots.txt", "sub/../../evil_sub.txt", ".hidden.txt", "..", "a\x00b.txt", "CON.txt",
             "x" * 300 + ".txt", ".txt", "../.jobs/evil.json.txt"]
    for name in names:
        body, headers = multipart([(name, report(901).encode())])
        c.request("POST", "/api/uploads", body=body, headers=headers, what=f"upload named {name[:40]!r}")
    time.sleep(1)
    outside = [p for p in work.rglob("evil*") if uploads not in p.parents]
    for p in list(Path("/tmp").glob("evil*")) + outside:
        row.fail(f"an upload's name wrote outside the uploads folder: {p}")
    for p in uploads.rglob("*"):
        if p.is_file() and (uploads / ".jobs") not in p.parents and p.parent != uploads:
            row.fail(f"an upload's name made a subfolder: {p}")


def _web_names(c: Client, row: Row, uploads: Path) -> None:
    first, second = report(910).encode(), report(911).encode()
    a = upload(c, [("同名报告.txt", first)], what="first upload of a name")
    b = upload(c, [("同名报告.txt", second)], what="second upload of the name, other bytes")
    again = upload(c, [("同名报告.txt", second)], what="third upload, the second's bytes")
    row.good_expected += 2
    names = {}
    docs = c.request("GET", "/api/documents", what="documents")
    if docs is not None and docs.status == 200:
        names = {d["name"]: d for d in json.loads(docs.body)["documents"]}
    row.good_stored += sum(1 for n in ("同名报告.txt", "同名报告-2.txt") if n in names)
    if not ("同名报告.txt" in names and "同名报告-2.txt" in names):
        row.fail(f"same-named upload: documents {sorted(n for n in names if '同名' in n)}")
    if (uploads / "同名报告.txt").exists() and (uploads / "同名报告.txt").read_bytes() != first:
        row.fail("same-named upload replaced the earlier file")
    if len([n for n in names if n.startswith("同名报告")]) != 2:
        row.fail("the same bytes uploaded again made another report")
    for job in (a, b, again):
        for f in job.get("files", []):
            if f["status"] != "done":
                row.fail(f"upload {f['name']}: {f['status']}: {f.get('error')}")
    # XSS in names, pasted names and hints
    jobs = []
    for k, x in enumerate(XSS):
        jobs.append(upload(c, [(f"{x}.txt", report(920 + k).encode())], what=f"upload named {x!r}"))
        body, headers = multipart([], {"text": report(930 + k), "name": x, "region": x})
        c.request("POST", "/api/uploads", body=body, headers=headers, what=f"paste named {x!r}")
    row.good_expected += len(XSS)
    row.good_stored += sum(1 for j in jobs if j.get("files") and j["files"][0]["status"] == "done")
    time.sleep(2)
    pages = ["/", "/documents", "/reviews", "/indicators", "/entities", "/findings", "/targets"]
    docs = c.request("GET", "/api/documents", what="documents")
    if docs is not None and docs.status == 200:
        pages += [f"/documents/{d['id']}" for d in json.loads(docs.body)["documents"][-6:]]
        for j in jobs[:3]:
            if j.get("id"):
                pages.append(f"/jobs/{j['id']}")
    for x in XSS:
        for p in ("/indicators?q=", "/entity?name=", "/documents?q=", "/entities?q=", "/?lang=", "/login?next="):
            pages.append(p + _enc(x))
    for p in pages:
        a = c.request("GET", p, what=f"page {p[:60]}")
        if a is None or a.status >= 500:
            continue
        html = a.body.decode("utf-8", "replace")
        for raw in ("<script>alert", "<img src=x onerror", "<svg onload"):
            if raw in html:
                row.fail(f"page {p[:60]}: unescaped {raw!r}")


def _web_queries(c: Client, row: Row) -> None:
    before = c.request("GET", "/api/overview", what="overview")
    for value in SQL + XSS:
        v = _enc(value)
        for path in (f"/api/facts?indicator={v}", f"/api/facts?region={v}", f"/api/facts?doc={v}",
                     f"/api/facts?period={v}", f"/api/facts?measure={v}", f"/api/facts?entity={v}",
                     f"/api/indicators?q={v}", f"/api/entities?q={v}", f"/api/entity?name={v}",
                     f"/api/series?indicator={v}", f"/api/series?indicator=GDP&region={v}",
                     f"/api/findings?kind={v}", f"/api/findings?doc={v}", f"/indicators?q={v}",
                     f"/api/facts?format=csv&indicator={v}", f"/documents?q={v}"):
            a = c.request("GET", path, what=f"query {path[:70]}")
            if a is not None and a.status == 200 and path.startswith("/api/facts?") and "format" not in path:
                if json.loads(a.body)["total"] > 0 and ("OR" in value or "UNION" in value):
                    row.fail(f"query {path}: an injected condition matched facts")
    after = c.request("GET", "/api/overview", what="overview")
    if before is not None and after is not None and before.status == after.status == 200:
        b, a = json.loads(before.body), json.loads(after.body)
        if a["facts"] < b["facts"] or a["documents"]["ok"] < b["documents"]["ok"]:
            row.fail("SQL metacharacters: facts or documents went missing")


def _web_csv(c: Client, row: Row, db: str) -> None:
    # names and sentences that begin a cell with a formula's first character
    for name in ("=HYPERLINK(1).txt", "+cmd.txt", "-2+3.txt", "@SUM(A1).txt"):
        upload(c, [(name, report(940).encode())], what=f"upload named {name}")
    body, headers = multipart([], {"text": "=1+1\n" + report(941), "name": "=paste"})
    c.request("POST", "/api/uploads", body=body, headers=headers, what="paste starting with =")
    time.sleep(2)
    a = c.expect(200, "GET", "/api/facts?format=csv", "csv download")
    cells = []
    if a is not None and a.status == 200:
        cells = [v for r in csv.reader(io.StringIO(a.body.decode("utf-8-sig"))) for v in r]
    out = run(["facts", "--db", db, "--format", "csv"], 120)
    row.took(out, "facts --format csv")
    cells += [v for r in csv.reader(io.StringIO(out.stdout)) for v in r]
    for v in cells:
        if v[:1] in ("=", "+", "-", "@") and not _is_number(v):
            row.fail(f"CSV cell begins a formula: {v[:60]!r}")
            break


def _is_number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def _web_fuzz(c: Client, row: Row, rng: random.Random, n: int) -> None:
    for _ in range(n):
        if rng.random() < 0.8:
            path = rng.choice(GETS)
            params = "&".join(f"{rng.choice(PARAMS)}={_enc(_hostile_value(rng))}" for _ in range(rng.randrange(1, 4)))
            c.request("GET", f"{path}?{params}", what=f"fuzz GET {path}")
        else:
            path = rng.choice(WRITES[1:4])
            kind = rng.random()
            if kind < 0.5:
                payload = {"fact_id": rng.choice([1, 2, -1, 0, 2**40, "x"]), "action": rng.choice(
                    ["confirm", "correct", "wrong", "drop", ""]), "changes": {
                    rng.choice(["value", "unit", "indicator", "period", "region", "measure", "evil"]):
                        _hostile_value(rng)}, "author": _hostile_value(rng), "note": _hostile_value(rng)}
                body = json.dumps(payload).encode()
                headers = {"Content-Type": "application/json"}
            else:
                body = "&".join(f"{k}={_enc(_hostile_value(rng))}" for k in
                                ("action", "value", "unit", "indicator", "author", "note")).encode()
                headers = {"Content-Type": "application/x-www-form-urlencoded"}
            c.request("POST", path, body=body, headers=headers, what=f"fuzz POST {path}")


def _web_latency(c: Client, row: Row, args: argparse.Namespace) -> None:
    """Paste a 60 KB report and time the pages meanwhile."""
    variants = [("lines", False)] + ([] if args.quick else [("one paragraph", True)])
    for label, one_line in variants:
        text = long_report(args.paste_kb * 1024, one_line=one_line)
        body, headers = multipart([], {"text": text, "name": f"pasted_{label.replace(' ', '_')}"})
        a = c.request("POST", "/api/uploads", body=body, headers=headers, what=f"paste {args.paste_kb} KB ({label})")
        if a is None or a.status != 202:
            row.fail(f"paste {label}: {a and a.status}")
            continue
        row.good_expected += 1
        job_id = json.loads(a.body)["id"]
        t0, worst, polls, job = time.monotonic(), 0.0, 0, {}
        while time.monotonic() - t0 < args.timeout:
            for path in ("/", "/documents", "/api/overview", "/indicators"):
                answer = c.request("GET", path, what=f"page during extraction ({label})")
                if answer is not None:
                    worst = max(worst, answer.seconds)
                    polls += 1
            j = c.request("GET", f"/api/jobs/{job_id}", what="job poll")
            if j is not None and j.status == 200:
                job = json.loads(j.body)
                if job["status"] in ("done", "failed"):
                    break
        took = time.monotonic() - t0
        f = (job.get("files") or [{}])[0]
        if f.get("status") == "done":
            row.good_stored += 1
        else:
            row.fail(f"paste {label}: job {job.get('status')}: {f.get('error')}")
        row.notes.append(f"{args.paste_kb} KB pasted ({label}): stored in {took:.1f} s, {f.get('n_facts')} facts; "
                         f"slowest of {polls} page answers meanwhile {worst:.2f} s")
        if worst >= PAGE_LIMIT_S:
            row.fail(f"paste {label}: a page took {worst:.2f} s while it was extracted")
        if f.get("doc_id"):
            _reader_latency(c, row, f["doc_id"], label)


def _reader_latency(c: Client, row: Row, doc_id: int, label: str) -> None:
    """The large report's reader page, twice, and the overview while the first one renders."""
    done = threading.Event()
    worst = [0.0]

    def other_pages() -> None:
        while not done.is_set():
            a = c.request("GET", "/api/overview", what="overview during the reader page")
            if a is not None:
                worst[0] = max(worst[0], a.seconds)

    t = threading.Thread(target=other_pages)
    t.start()
    first = c.request("GET", f"/documents/{doc_id}", what="reader page of the pasted report")
    done.set()
    t.join()
    second = c.request("GET", f"/documents/{doc_id}", what="reader page again")
    if first and second:
        row.notes.append(f"reader page of the pasted report ({label}): {first.seconds:.2f} s, then "
                         f"{second.seconds:.2f} s; overview meanwhile at worst {worst[0]:.2f} s")
        if second.seconds >= READER_LIMIT_S:
            row.fail(f"reader page ({label}) again: {second.seconds:.2f} s")
        if worst[0] >= PAGE_LIMIT_S:
            row.fail(f"overview while the reader page of the pasted report renders: {worst[0]:.2f} s")


# ---------------------------------------------------------------------------------------------------- main

def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _remove(folder: Path) -> None:
    for p in sorted(folder.rglob("*"), key=lambda p: -len(p.parts)):
        if p.is_symlink() or not p.is_dir():
            p.unlink()
        else:
            p.rmdir()
    folder.rmdir()


def pg_admin_url(given: str | None) -> str | None:
    url = given or os.environ.get("ZHIBIAO_TEST_PG")
    if url in (None, "", "none"):
        return None
    return url


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a few minutes: fewer rounds, smaller bombs")
    p.add_argument("--only", default="files,numbers,signals,concurrent,web",
                   help="comma-separated probes to run (files, numbers, signals, concurrent, web)")
    p.add_argument("--zhibiao", type=Path, default=ROOT / ".venv" / "bin" / "zhibiao")
    p.add_argument("--pg", help="PostgreSQL server URL to create databases on [default: $ZHIBIAO_TEST_PG]; none: skip")
    p.add_argument("--workers", type=int, default=2, help="-j of each ingest")
    p.add_argument("--timeout", type=float, help="seconds a command may take before it counts as hung [120; quick 90]")
    p.add_argument("--stop-timeout", type=float, default=60, help="seconds an ingest may take to stop after SIGTERM")
    p.add_argument("--sigterms", type=int, help="SIGTERM pairs per backend [6; quick 4]")
    p.add_argument("--sigkills", type=int, help="SIGKILLs per backend [3; quick 2]")
    p.add_argument("--signal-reports", type=int, help="reports in the signal probe's folder [80; quick 60]")
    p.add_argument("--concurrent-rounds", type=int, help="rounds of two ingests at once [2; quick 1]")
    p.add_argument("--concurrent-reports", type=int, default=40, help="reports per round")
    p.add_argument("--requests", type=int, help="random hostile requests after the fixed ones [1000; quick 300]")
    p.add_argument("--bomb-mb", type=int, help="what the zip bombs inflate to, MB [1024; quick 200]")
    p.add_argument("--huge-mb", type=int, default=50, help="the large text files, MB")
    p.add_argument("--paste-kb", type=int, default=60, help="the pasted report, KB")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    args = p.parse_args(argv)
    quick = args.quick
    defaults = {"timeout": 90 if quick else 120, "sigterms": 4 if quick else 6, "sigkills": 2 if quick else 3,
                "signal_reports": 60 if quick else 80, "concurrent_rounds": 1 if quick else 2,
                "requests": 300 if quick else 1000, "bomb_mb": 200 if quick else 1024}
    for k, v in defaults.items():
        if getattr(args, k) is None:
            setattr(args, k, v)
    return args


ZHIBIAO = ROOT / ".venv" / "bin" / "zhibiao"


def main(argv: list[str] | None = None) -> int:
    global ZHIBIAO
    args = parse_args(argv)
    ZHIBIAO = args.zhibiao
    if not ZHIBIAO.exists():
        raise SystemExit(f"probe: no {ZHIBIAO} (run scripts/setup.sh --dev)")
    only = set(args.only.split(","))
    work = Path(tempfile.mkdtemp(prefix="zhibiao-probe-"))
    dbs = Databases(work, pg_admin_url(args.pg))
    rows: list[Row] = []
    t0 = time.monotonic()
    try:
        if "files" in only:
            rows += probe_files(args, work)
        if "numbers" in only:
            rows.append(probe_numbers(args, work, dbs))
        if "signals" in only:
            rows += [probe_signals(args, work, dbs, b) for b in ("sqlite", "postgresql")]
        if "concurrent" in only:
            rows += [probe_concurrent(args, work, dbs, b) for b in ("sqlite", "postgresql")]
        if "web" in only:
            rows.append(probe_web(args, work, dbs))
    finally:
        dbs.drop_all()
        if not args.keep:
            subprocess.run(["rm", "-rf", str(work)], check=False)
        else:
            print(f"work folder kept: {work}", file=sys.stderr)
    print(f"\nprobe_robust {'--quick ' if args.quick else ''}in {time.monotonic() - t0:.0f} s "
          f"({socket.gethostname()}, {os.cpu_count()} cores)")
    print_table(rows)
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
