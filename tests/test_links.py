"""Issue 19, links: a report reached through a symbolic link is stored and reported under the name the user gave.

Before, ingest stored it under its target's path (extract.abspath resolved links), so that `zhibiao docs` and
the web app showed a path the user never typed. Links that cannot lead to a report (a loop, a device, a
FIFO, nothing) stay refused with one line naming the link. Real files and links in tmp_path, real SQLite.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from zhibiao.cli import app
from zhibiao.ingest import ingest
from zhibiao.ingest.extract import abspath
from zhibiao.store import open_engine
from zhibiao.store.schema import DocumentRow

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")

GOOD = "二〇二三年，青禾县粮食总产量达到31.6万吨，比上年增长2.4%。\n"  # our own sentence


def _file_elsewhere(root: Path) -> str:
    (root / "store" / "2023").mkdir(parents=True)
    (root / "store" / "2023" / "report.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("../store/2023/report.txt", root / "in" / "latest.txt")
    return "in/latest.txt"


def _chain(root: Path) -> str:
    (root / "store").mkdir()
    (root / "store" / "real.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("../store/real.txt", root / "in" / "second.txt")
    os.symlink("second.txt", root / "in" / "first.txt")
    return "in/first.txt"


def _absolute_target(root: Path) -> str:
    (root / "real.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(root / "real.txt", root / "in" / "abs.txt")
    return "in/abs.txt"


def _dotdot_after_a_linked_folder(root: Path) -> str:
    # in/deep → store/a/b: in/deep/../x.txt is store/a/x.txt on disk, not in/x.txt as its text reads
    (root / "store" / "a" / "b").mkdir(parents=True)
    (root / "store" / "a" / "x.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("../store/a/b", root / "in" / "deep", target_is_directory=True)
    return "in/deep/../x.txt"


def _plain_dotdot(root: Path) -> str:
    (root / "in" / "sub").mkdir()
    (root / "in" / "plain.txt").write_text(GOOD, encoding="utf-8")
    return "in/sub/../plain.txt"


# (case, how it is made → the path given, relative to tmp_path; where it is stored, relative to tmp_path)
GOOD_CASES: list[tuple[str, Callable[[Path], str], str]] = [
    ("link to a file in another folder", _file_elsewhere, "in/latest.txt"),
    ("a link to a link", _chain, "in/first.txt"),
    ("a link with an absolute target", _absolute_target, "in/abs.txt"),
    ("`..` after a linked folder: where it leads", _dotdot_after_a_linked_folder, "store/a/x.txt"),
    ("`..` without links: folded", _plain_dotdot, "in/plain.txt"),
]


@pytest.mark.parametrize(("case", "make", "stored"), GOOD_CASES, ids=[c[0] for c in GOOD_CASES])
def test_a_linked_report_is_stored_under_the_name_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str,
                                                         make: Callable[[Path], str], stored: str) -> None:
    (tmp_path / "in").mkdir()
    given = make(tmp_path)
    monkeypatch.chdir(tmp_path)  # the path is given relative, as a user types it
    url = f"sqlite:///{tmp_path / 'links.db'}"
    summary = ingest([given], url, workers=1, progress=False)
    assert (summary.ok, summary.failed) == (1, 0), case
    engine = open_engine(url)
    with engine.connect() as conn:
        rows = [(r.path, r.name, r.status) for r in conn.execute(select(DocumentRow))]
    engine.dispose()
    assert rows == [(str(tmp_path / stored), Path(stored).name, "ok")], case
    # the same name again finds it stored: the key is the same from one run to the next
    again = ingest([given], url, workers=1, progress=False)
    assert (again.ok, again.skipped, again.failed) == (0, 1, 0), case


def test_extract_names_a_linked_report_by_the_link(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    _file_elsewhere(tmp_path)
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "in" / "latest.txt"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert result.output.count('"doc": "latest.txt"') == 2 and "report.txt" not in result.output


def _loop(root: Path) -> str:
    os.symlink("loop_b.txt", root / "in" / "loop_a.txt")
    os.symlink("loop_a.txt", root / "in" / "loop_b.txt")
    return "in/loop_a.txt"


def _to_device(root: Path) -> str:
    os.symlink("/dev/zero", root / "in" / "zero.txt")
    return "in/zero.txt"


def _to_fifo(root: Path) -> str:
    os.mkfifo(root / "pipe")
    os.symlink("../pipe", root / "in" / "pipe.txt")
    return "in/pipe.txt"


def _dangling(root: Path) -> str:
    os.symlink("../gone.txt", root / "in" / "dangling.txt")
    return "in/dangling.txt"


# (how the link is made → the path given, the problem its one line names)
BAD_LINKS: list[tuple[Callable[[Path], str], str]] = [
    (_loop, "cannot read: a loop of symbolic links"),
    (_to_device, "not a regular file: it is a device"),
    (_to_fifo, "not a regular file: it is a named pipe (FIFO)"),
    (_dangling, "no such file"),
]


@pytest.mark.parametrize(("make", "problem"), BAD_LINKS, ids=[m.__name__.strip("_") for m, _ in BAD_LINKS])
def test_a_link_to_no_report_is_refused_with_one_line(tmp_path: Path, make: Callable[[Path], str],
                                                      problem: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(GOOD, encoding="utf-8")
    link = tmp_path / make(tmp_path)
    db = tmp_path / "links.db"
    result = CliRunner().invoke(app, ["ingest", str(link), str(tmp_path / "in" / "good.txt"),
                                      "--db", f"sqlite:///{db}", "-j", "1"])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert [line for line in result.output.splitlines() if str(link) in line] == [f"failed {link}: {problem}"]
    engine = open_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = {r.path: (r.status, r.error) for r in conn.execute(select(DocumentRow))}
    engine.dispose()
    assert rows == {str(link): ("error", problem), str(tmp_path / "in" / "good.txt"): ("ok", None)}


# (path given, absolute path stored): the folding that needs no file system
LEXICAL = [
    ("report.txt", "{cwd}/report.txt"),
    ("./report.txt", "{cwd}/report.txt"),
    ("a//b/./report.txt", "{cwd}/a/b/report.txt"),
    ("/abs/report.txt", "/abs/report.txt"),
]


@pytest.mark.parametrize(("given", "stored"), LEXICAL)
def test_abspath_folds_only_what_cannot_change_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str,
                                                        stored: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert abspath(Path(given)) == stored.format(cwd=tmp_path)
