"""The catalogue of standard statistical indicators (lexicons/indicators.yaml): names, aliases, English names.

The facts stage asks it which indicator a phrase names: ``Catalogue.find(text)`` returns every
mention of a name or alias in a clause, longest first where they overlap, so that 规模以上工业增加值
wins over 工业增加值 and 工业增加值 over 增加值.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .automaton import Words
from .lexicon import LexiconError, load

KINDS = ("region", "attribute")


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str
    en: str
    domain: str
    units: tuple[str, ...]
    aliases: tuple[str, ...]
    kind: str  # region: a statistic of an area; attribute: a property of a project or company


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    indicator: Indicator


_UNFOLDED = re.compile(r"[\s“”\"'‘’]")
_FOLD_CACHED = 32  # names this long or shorter are folded once: the fact stage looks up the same few again and again


def fold(s: str) -> str:
    """The form names are compared in: NFKC (full-width → ASCII), no spaces or quotes, Latin lower case."""
    return _fold_name(s) if len(s) <= _FOLD_CACHED else _fold(s)


def _fold(s: str) -> str:
    return _UNFOLDED.sub("", unicodedata.normalize("NFKC", s).lower())


@functools.lru_cache(maxsize=8192)
def _fold_name(s: str) -> str:
    return _fold(s)


class Catalogue:
    def __init__(self, entries: list[Indicator]):
        self.entries = tuple(entries)
        self._by_key: dict[str, Indicator] = {}
        self._by_en: dict[str, Indicator] = {}
        for e in entries:
            for key in (e.name, *e.aliases):
                k = fold(key)
                if not k:
                    raise LexiconError(f"indicators.yaml: {e.name}: the name or alias {key!r} is empty once folded")
                other = self._by_key.get(k)
                if other is not None and other is not e:
                    raise LexiconError(f"indicators.yaml: {key!r} names both {other.name} and {e.name}")
                self._by_key[k] = e
            self._by_en[e.en.lower()] = e
        # one automaton for every name and alias: at each place the longest one
        self._names = Words(self._by_key)
        self._named = tuple(self._by_key[k] for k in self._names.words)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, name: str) -> Indicator | None:
        """The entry a name, alias or English name stands for."""
        return self._by_key.get(fold(name)) or self._by_en.get(name.strip().lower())

    def find(self, text: str) -> list[Mention]:
        """Every name or alias in `text` (which must be folded-compatible: ASCII digits and letters), in order."""
        named = self._named
        return [Mention(start, end, text[start:end], named[i]) for i, start, end in self._names.longest(text.lower())]

    def search(self, query: str) -> list[Indicator]:
        """Entries whose name, alias or English name contains the query (for the CLI and the web app)."""
        q = fold(query)
        if not q:
            return []
        seen: dict[str, Indicator] = {}
        for key, e in self._by_key.items():
            if q in key:
                seen.setdefault(e.name, e)
        for en, e in self._by_en.items():
            if q in en:
                seen.setdefault(e.name, e)
        return sorted(seen.values(), key=lambda e: (len(e.name), e.name))


def _units(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (str(value),)


@functools.cache
def catalogue() -> Catalogue:
    """The package's catalogue, loaded once."""
    raw = load("indicators.yaml")
    if not isinstance(raw, list):
        raise LexiconError("indicators.yaml: expected a list of entries")
    entries = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not item.get("name"):
            raise LexiconError(f"indicators.yaml: entry {n} has no name")
        kind = item.get("kind", "region")
        if kind not in KINDS:
            raise LexiconError(f"indicators.yaml: {item['name']}: kind must be one of {KINDS}")
        entries.append(Indicator(name=item["name"], en=item.get("en", ""), domain=item.get("domain", ""),
                                 units=_units(item.get("unit")), aliases=tuple(item.get("aliases") or ()),
                                 kind=kind))
    return Catalogue(entries)
