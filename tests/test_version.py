"""The extractor version hashes every file that decides the facts, and none that only stores or shows them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import zhibiao
from zhibiao.store.version import extractor_version, inputs

PACKAGE = Path(zhibiao.__file__).resolve().parent


def _imported_by_the_pipeline() -> set[Path]:
    # in a fresh interpreter: the files of the zhibiao modules that extracting one text imports
    code = ("import sys, zhibiao; zhibiao.extract('2023年，全县粮食产量4.1亿斤。'); "
            "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('zhibiao') and m.__file__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {Path(p).resolve() for p in out.split()}


def test_every_module_of_the_extraction_is_hashed() -> None:
    hashed = set(inputs())
    missing = {p.relative_to(PACKAGE).as_posix() for p in _imported_by_the_pipeline()} - \
        {p.relative_to(PACKAGE).as_posix() for p in hashed}
    assert missing == set()


def test_every_lexicon_but_the_checks_and_the_panel_is_hashed() -> None:
    lexicons = {p.name for p in (PACKAGE / "lexicons").iterdir() if p.is_file()}
    hashed = {p.name for p in inputs() if p.parent.name == "lexicons"}
    assert lexicons - hashed == {"checks.yaml", "vintage.yaml"}


def test_what_only_stores_shows_or_checks_facts_is_not_hashed() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in inputs()}
    for part in ("store/", "web/", "migrations/", "checks/", "cli/", "ingest/"):
        assert not any(n.startswith(part) for n in names), part
    assert not names & {"export.py", "csvrows.py", "api.py", "panel.py"}
    assert not any("__pycache__" in n for n in names)


def test_the_version_is_the_release_and_a_hash() -> None:
    version = extractor_version()
    release, _, digest = version.partition("+")
    assert release == zhibiao.__version__ and len(digest) == 12 and int(digest, 16) >= 0
