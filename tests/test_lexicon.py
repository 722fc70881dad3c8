"""The lexicons: each cue lexicon loads once, holds no key or word twice, and every section of it is read."""

from __future__ import annotations

import importlib
import pkgutil
from importlib import resources

import pytest

import zhibiao
from zhibiao import lexicon

# data tables, not cue lexicons: the indicator catalogue (a list), and the unit table and quantity grammar
# that zhibiao/quantities.py reads and checks itself
_TABLES = {"indicators", "units", "quantities"}


def _read_everything() -> None:
    # every module that reads cue words marks its reader; importing the package lists them all
    for m in pkgutil.walk_packages(zhibiao.__path__, "zhibiao."):
        if not m.name.startswith("zhibiao.migrations"):  # alembic's env.py runs migrations on import
            importlib.import_module(m.name)
    for read in lexicon.READERS:
        read()


def test_every_section_of_every_cue_lexicon_is_read() -> None:
    _read_everything()
    files = {p.name.removesuffix(".yaml") for p in (resources.files("zhibiao") / "lexicons").iterdir()
             if p.name.endswith(".yaml")}
    assert files - _TABLES == set(lexicon._CUES), "a cue lexicon no stage reads"
    assert lexicon.unread() == {}, "sections no stage reads: a rule nobody applies"


@pytest.mark.parametrize(("text", "problem"), [
    ("plan: [将, 力争]\nplan: [计划]\n", "given twice"),  # YAML alone would keep the second list silently
    ("plan: [将, 力争, 将]\n", "lists 将 twice"),
    ("- 将\n- 力争\n", "expected a mapping"),
])
def test_a_broken_cue_lexicon_is_refused_with_its_name(text: str, problem: str) -> None:
    with pytest.raises(lexicon.LexiconError, match=problem) as e:
        lexicon.Cues("plans_broken", lexicon.parse("plans_broken", text))
    assert "plans_broken.yaml" in str(e.value)


def test_a_missing_section_names_the_lexicon() -> None:
    with pytest.raises(lexicon.LexiconError, match=r"now\.yaml: missing section 'tomorrow'"):
        lexicon.cues("now")["tomorrow"]
