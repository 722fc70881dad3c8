"""The installed `zhibiao` script: its entry point imports no heavy module, and ingest works through it.

A process started by multiprocessing's spawn method (the ingest's workers, the web app's extraction process)
re-imports the script that started the program: the entry point's module is imported by every worker.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "zhibiao"

# (a module the entry point's import must not load, why): each one is the writer's or the command line's
NOT_LOADED = [
    ("sqlalchemy", "the database layer: only the writing process opens the database"),
    ("alembic", "the migrations: run by the writing process"),
    ("typer", "the command line: parsed by the main process only"),
    ("rich", "the console and progress bar of the main process"),
    ("zhibiao.cli", "every command, and with them all of the above"),
]


def _entry_module() -> str:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "zhibiao"]
    return script.value.split(":")[0]


@pytest.mark.parametrize(("module", "why"), NOT_LOADED)
def test_the_entry_point_imports_no_heavy_module(module: str, why: str) -> None:
    probe = (f"import sys, {_entry_module()}; "
             f"print(any(m == {module!r} or m.startswith({module!r} + '.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False", why


# Our own two reports: (file name, text, figures in it)
REPORTS = [
    ("a.txt", "青禾县2024年地区生产总值286.45亿元，比上年增长5.6%。\n", 2),
    ("b.txt", "白河市2023年粮食总产量32.5万吨，增长1.2%。全市新建学校十二所。\n", 3),
]


@pytest.mark.skipif(not SCRIPT.exists(), reason="the package is not installed with its script")
def test_ingest_with_two_workers_through_the_installed_script(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text, _ in REPORTS:
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "z.db"
    run = subprocess.run([str(SCRIPT), "ingest", str(folder), "--db", str(db), "-j", "2", "--no-progress"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    facts = subprocess.run([str(SCRIPT), "facts", "--db", str(db), "--format", "jsonl"], capture_output=True,
                           text=True, timeout=300)
    assert facts.returncode == 0, facts.stderr
    assert len([line for line in facts.stdout.splitlines() if line.strip()]) == sum(n for *_, n in REPORTS)
