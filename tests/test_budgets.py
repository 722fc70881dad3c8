"""Issue 19, files: every bad file gets one line naming it and the problem, and the batch goes on.

Each case is a file a user or a hostile client could hand us (the issue's probe): garbage XML in a .docx,
a .docx that inflates far beyond its size, a symlink loop, a file name whose bytes are not UTF-8, a FIFO, a
link to /dev/zero, a text longer than a document may be. Before the fixes they gave tracebacks or hung.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from zhibiao import read
from zhibiao.cli import app
from zhibiao.errors import ReadError
from zhibiao.formats import MAX_INFLATED, MAX_INFLATED_XML
from zhibiao.ingest import ingest
from zhibiao.read import MAX_CHARS, read_path, read_text
from zhibiao.store import open_engine
from zhibiao.store.schema import DocumentRow

GOOD = "二〇二三年，青禾县粮食总产量达到31.6万吨，比上年增长2.4%。\n"  # our own sentence


def _garbage_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<<<no xml here")
        z.writestr("word/document.xml", "<w:document><<broken")


def _bomb_docx(path: Path) -> None:
    # small on disk, MAX_INFLATED and more once inflated (zeros compress about 1000:1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<a>" + b"0" * (MAX_INFLATED + 1) + b"</a>")


def _paragraphs_docx(path: Path) -> None:
    # under the cap of the whole, over that of the XML: millions of empty paragraphs, each a node lxml holds
    n = (MAX_INFLATED_XML + 1) // len(b"<w:p/>") + 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document><w:body>" + b"<w:p/>" * n + b"</w:body></w:document>")


def _loop(path: Path) -> None:
    other = path.with_name("other_" + path.name)
    os.symlink(other.name, path)
    os.symlink(path.name, other)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zero(path: Path) -> None:
    os.symlink("/dev/zero", path)


# (file name, how it is made, the problem its one line names)
BAD = [
    ("garbage.docx", _garbage_docx, "not a valid DOCX file"),
    ("bomb.docx", _bomb_docx, "too large once unpacked"),
    ("paragraphs.docx", _paragraphs_docx, "MB of XML"),
    ("loop.txt", _loop, "a loop of symbolic links"),
    ("fifo.txt", _fifo, "not a regular file: it is a named pipe"),
    ("zero.txt", _zero, "not a regular file: it is a device"),
]


@pytest.mark.parametrize(("name", "make", "problem"), BAD)
def test_read_path_names_the_problem(tmp_path: Path, name: str, make, problem: str) -> None:
    make(tmp_path / name)
    with pytest.raises(ReadError) as e:
        read_path(tmp_path / name)
    assert problem in e.value.problem and str(e.value).startswith(str(tmp_path / name))


def test_a_text_longer_than_a_document_may_be_is_refused_at_once(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    monkeypatch.setattr(read, "MAX_CHARS", 1000)  # the real cap (2 million) holds the same way
    (tmp_path / "long.txt").write_text(GOOD * 100, encoding="utf-8")
    with pytest.raises(ReadError, match="too long: 3,[0-9]{3} characters, at most 1,000 per document"):
        read_path(tmp_path / "long.txt")
    with pytest.raises(ReadError, match="too long"):
        read_text(GOOD * 100)
    assert MAX_CHARS >= 1_000_000  # the longest reports (a few hundred thousand characters) stay in


def test_a_file_larger_than_the_byte_budget_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 100)
    (tmp_path / "heavy.txt").write_text(GOOD * 10, encoding="utf-8")
    with pytest.raises(ReadError, match="too large: more than"):
        read_path(tmp_path / "heavy.txt")


def _batch(folder: Path) -> dict[str, str]:
    """A folder of the bad files and two good ones (one with a name that is not UTF-8); name → problem."""
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (folder / os.fsdecode(b"z_name_\xff.txt")).write_text(GOOD, encoding="utf-8")
    for name, make, _ in BAD:
        make(folder / name)
    return {name: problem for name, _, problem in BAD}


def test_extract_gives_one_line_per_bad_file_and_reads_the_others(tmp_path: Path) -> None:
    problems = _batch(tmp_path / "in")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "in"), "--format", "jsonl"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    out = result.output
    assert "Traceback" not in out
    for name, problem in problems.items():
        assert any(name in line and problem in line for line in out.splitlines()), (name, out)
    assert out.count('"doc": "a_good.txt"') == 2 and out.count('"doc": "z_name_\\\\xff.txt"') == 2, out


def test_ingest_stores_the_good_files_and_one_error_per_bad_one(tmp_path: Path) -> None:
    problems = _batch(tmp_path / "in")
    url = f"sqlite:///{tmp_path / 'b.db'}"
    summary = ingest([tmp_path / "in"], url, workers=2, progress=False)
    # the loop is two links, two bad files
    assert (summary.ok, summary.failed) == (2, len(problems) + 1)
    engine = open_engine(url)
    with engine.connect() as conn:
        rows = {r.name: r for r in conn.execute(select(DocumentRow))}
    engine.dispose()
    assert rows["a_good.txt"].status == rows["z_name_\\xff.txt"].status == "ok"
    for name, problem in problems.items():
        row = rows[name]
        assert row.status == "error" and problem in row.error, (name, row.error)


# (file name as bytes, as shown on the one line that names it): the probe of issue 19 made the newline case
SHOWN_NAMES = [
    (b"plain.txt", "plain.txt"),
    (b"bad_\xff.txt", "bad_\\xff.txt"),  # not UTF-8
    (b"new\nline.txt", "new\\x0aline.txt"),  # split the error line in two before
    (b"cr\rtab\t.txt", "cr\\x0dtab\\x09.txt"),
    (b"esc\x1b[31m.txt", "esc\\x1b[31m.txt"),  # a terminal's colour escape
    ("报告\u0085.txt".encode(), "报告\\x85.txt"),  # a C1 control, valid UTF-8
]


@pytest.mark.parametrize(("raw", "shown"), SHOWN_NAMES)
def test_a_bad_files_name_is_shown_on_one_line(tmp_path: Path, raw: bytes, shown: str) -> None:
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + raw))
    path.write_bytes(b"")
    with pytest.raises(ReadError) as e:
        read_path(path)
    assert str(e.value) == f"{read.show_path(tmp_path)}/{shown}: empty file"
    assert "\n" not in str(e.value) and "\r" not in str(e.value)


def test_a_large_gbk_file_is_judged_in_seconds(tmp_path: Path) -> None:
    # issue 19's probe: a 50 MB GBK file took 100 s to be refused as too long, a 5 MB one 20 s to be read; the
    # encoding checks looped over every character in Python. Now they count in C: about 1 s for these 12 MB.
    import time

    line = "全年青禾县地区生产总值达到120.5亿元，比上年增长6.1%，城镇居民人均可支配收入31216元。\n"  # our own
    (tmp_path / "big_gbk.txt").write_bytes(line.encode("gbk") * 160_000)
    t0 = time.perf_counter()
    with pytest.raises(ReadError, match="too long"):
        read_path(tmp_path / "big_gbk.txt")
    assert time.perf_counter() - t0 < 20  # before: over 60 s
