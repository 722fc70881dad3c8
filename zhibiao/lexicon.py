"""Load the data files under zhibiao/lexicons/ once, with a clear error when one is broken."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from .errors import ZhibiaoError


class LexiconError(ZhibiaoError):
    """A lexicon file is missing a field or holds a bad value."""


@functools.cache
def load(name: str) -> Any:
    """The parsed YAML file zhibiao/lexicons/NAME.yaml (NAME may be given with or without .yaml)."""
    name = name.removesuffix(".yaml")
    path = resources.files("zhibiao") / "lexicons" / f"{name}.yaml"
    try:
        # libyaml's loader when PyYAML was built with it: the indicator catalogue loads ten times faster
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as e:
        raise LexiconError(f"lexicon {name}.yaml: {e}") from e


def require(entry: dict, fields: tuple[str, ...], where: str) -> None:
    missing = [f for f in fields if f not in entry]
    if missing:
        raise LexiconError(f"{where}: entry {entry!r} lacks {', '.join(missing)}")


@functools.cache
def words(name: str) -> frozenset[str]:
    """The words of zhibiao/lexicons/NAME.txt, one per line ('#' starts a comment line)."""
    path = resources.files("zhibiao") / "lexicons" / f"{name}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise LexiconError(f"lexicon {name}.txt: {e}") from e
    return frozenset(w for line in text.splitlines() if (w := line.strip()) and not w.startswith("#"))

