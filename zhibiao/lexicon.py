"""Load the data files under zhibiao/lexicons/ once, with a clear error when one is broken.

Cue lexicons are organised by concept (plans.yaml: plan words; comparison.yaml: comparison and scope
words; now.yaml: the time of writing; …), each a mapping of named word lists that several stages may read.
`cues(name)` loads one, checked once: no key twice, no word twice in a list. Each stage reads the keys it
needs in one function marked `@reader`; `unread()` names the keys no reader read, so a test can fail on a
key that nothing reads (a word list kept by mistake is a rule nobody applies).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from typing import Any, TypeVar

import yaml

from .errors import ZhibiaoError

F = TypeVar("F", bound=Callable[[], Any])
# libyaml's loader when PyYAML was built with it: the indicator catalogue loads ten times faster
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LexiconError(ZhibiaoError):
    """A lexicon file is missing a field or holds a bad value."""


class _StrictLoader(_BASE):  # type: ignore[misc, valid-type]
    """The YAML loader, refusing a key given twice in one mapping (YAML would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} is given twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_mapping)


@functools.cache
def load(name: str) -> Any:
    """The parsed YAML file zhibiao/lexicons/NAME.yaml (NAME may be given with or without .yaml)."""
    name = name.removesuffix(".yaml")
    path = resources.files("zhibiao") / "lexicons" / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise LexiconError(f"lexicon {name}.yaml: {e}") from e
    return parse(name, text)


def parse(name: str, text: str) -> Any:
    """The YAML text of lexicon NAME, parsed; a key given twice in one mapping is an error."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as e:
        raise LexiconError(f"lexicon {name}.yaml: {e}") from e


class Cues(Mapping[str, Any]):
    """A cue lexicon: its named word lists (or maps), checked (no word twice in a list), remembering which
    sections were read."""

    def __init__(self, name: str, data: Any):
        if not isinstance(data, dict):
            raise LexiconError(f"lexicon {name}.yaml: expected a mapping of sections at the top")
        for key, value in data.items():
            if isinstance(value, list):
                words = [w for w in value if isinstance(w, str)]
                twice = sorted({w for w in words if words.count(w) > 1})
                if twice:
                    raise LexiconError(f"lexicon {name}.yaml: {key} lists {', '.join(twice)} twice")
        self.name = name
        self._data = data
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        if key not in self._data:
            raise LexiconError(f"lexicon {self.name}.yaml: missing section {key!r}")
        self.read.add(key)
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def take(self, *keys: str) -> dict[str, Any]:
        """The sections `keys`, read."""
        return {k: self[k] for k in keys}


_CUES: dict[str, Cues] = {}


def cues(name: str) -> Cues:
    """The cue lexicon zhibiao/lexicons/NAME.yaml, loaded and checked once: a mapping of sections, no key
    twice, no word twice in a list."""
    found = _CUES.get(name)
    if found is None:
        found = _CUES[name] = Cues(name, load(name))
    return found


READERS: list[Callable[[], Any]] = []


def reader(fn: F) -> F:
    """Mark the function that reads a stage's cue words: cached (it runs once), and listed in READERS so
    that a test can run every reader and see what no stage reads."""
    cached = functools.cache(fn)
    READERS.append(cached)
    return cached  # type: ignore[return-value]


def unread() -> dict[str, list[str]]:
    """For each cue lexicon loaded so far, the sections no reader has read."""
    return {name: left for name, c in sorted(_CUES.items()) if (left := sorted(set(c) - c.read))}


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
