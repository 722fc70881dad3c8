"""China's administrative divisions (lexicons/divisions.tsv): look names up, walk parents, find them in text."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from .automaton import Words
from .lexicon import LexiconError, cues, reader

LEVELS = ("country", "province", "prefecture", "county")
COUNTRY_CODE = "100000"
_COLUMNS = ("code", "name", "short", "level", "parent", "plain")
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}



@reader
def _cues() -> tuple[frozenset[str], Words]:
    """places.yaml: the characters after which a one-character stem plus 县/区/市 is a name (在范县), and the set
    phrases that hide a short form (长治久安 holds 长治)."""
    places = cues("places")
    return frozenset(places["short_name_left_ok"]), Words(places["phrases_hiding_names"])


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative unit.

    Attributes:
        code: six-digit GB/T 2260 code (全国 is 100000).
        name: full official name (平鲁区, 延边朝鲜族自治州).
        short: short forms (平鲁; 延边, 延边州), maybe none.
        level: country, province, prefecture or county.
        parent_code: the code of the unit above; None for 全国.
    """

    code: str
    name: str
    short: tuple[str, ...]
    level: str
    parent_code: str | None


Match = tuple[int, int, "Region | list[Region]"]


class Gazetteer:
    """All regions, indexed by code and by name, with a scanner that finds their names in text."""

    def __init__(self, regions: Iterable[Region], plain: Mapping[str, Iterable[str]] | None = None):
        """`plain` maps a region's code to those of its forms that are ordinary words (not found bare in text)."""
        self._by_code: dict[str, Region] = {}
        for r in regions:
            if r.code in self._by_code:
                raise LexiconError(f"divisions: code {r.code} appears twice")
            self._by_code[r.code] = r
        plain = plain or {}
        full: dict[str, list[Region]] = {}
        short: dict[str, list[Region]] = {}
        for r in self._by_code.values():
            full.setdefault(r.name, []).append(r)
            for s in r.short:
                short.setdefault(s, []).append(r)
        self._full = {k: _ranked(v) for k, v in full.items()}
        self._short = {k: _ranked(v) for k, v in short.items()}
        self._keys = self._scan_keys(plain)
        # For each first character, the key lengths to try there, longest first.
        lengths: dict[str, set[int]] = {}
        for key in self._keys:
            lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}
        # find() reads every form at every place in one pass of an automaton
        self._forms = Words(self._keys)

    def _scan_keys(self, plain: Mapping[str, Iterable[str]]) -> dict[str, tuple[Region, ...]]:
        """What find() matches: each form → its regions; an empty tuple marks an ordinary word to step over."""
        plain_sets = {code: frozenset(forms) for code, forms in plain.items()}

        def usable(form: str, regions: tuple[Region, ...]) -> tuple[Region, ...]:
            return tuple(r for r in regions if form not in plain_sets.get(r.code, ()))

        keys: dict[str, tuple[Region, ...]] = {}
        for form, regions in self._short.items():
            if len(form) >= 2:
                keys[form] = usable(form, regions)
        # Full names win over short forms spelled the same.
        for form, regions in self._full.items():
            keys[form] = usable(form, regions)
        return keys

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self):
        return iter(self._by_code.values())

    def get(self, code: str) -> Region | None:
        """The region with this GB/T 2260 code."""
        return self._by_code.get(code)

    def by_name(self, name: str) -> list[Region]:
        """Regions with this full name, else those with this short form; higher levels first, then by code."""
        name = name.strip()
        return list(self._full.get(name) or self._short.get(name) or ())

    def parent(self, region: Region) -> Region | None:
        return self._by_code.get(region.parent_code) if region.parent_code else None

    def ancestors(self, region: Region) -> list[Region]:
        """The units above `region`, nearest first, ending with 全国."""
        chain = []
        node = self.parent(region)
        while node is not None:
            chain.append(node)
            node = self.parent(node)
        return chain

    def within(self, region: Region, area: Region) -> bool:
        """True if `region` is `area` or lies inside it."""
        return region == area or area in self.ancestors(region)

    def resolve(self, name: str, context: Region | None = None) -> Region | None:
        """The one region `name` most likely means, seen from `context` (the region a report is about).

        Among the candidates, keep those inside the nearest unit of the context's chain (itself, its
        prefecture, its province) that holds any; of these, take the highest-level one if it is alone at its
        level (吉林 seen from 长春市 → 吉林省). Without context the same rule runs on all candidates
        (河南 → 河南省). None when nothing matches or the tie cannot be broken (朝阳区 with no context).
        """
        candidates = self.by_name(name)
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        if context is not None:
            for area in [context, *self.ancestors(context)]:
                if area.level == "country":
                    break
                inside = [c for c in candidates if self.within(c, area)]
                if inside:
                    candidates = inside
                    break
        top = [c for c in candidates if c.level == candidates[0].level]
        return top[0] if len(top) == 1 else None

    def prefix(self, text: str) -> int:
        """The length of the longest region name that `text` begins with, or 0 (no scan of the rest)."""
        for length in self._lengths.get(text[:1], ()):
            if self._keys.get(text[:length]):
                return length
        return 0

    def find(self, text: str) -> list[Match]:
        """Mentions of regions in `text`: (start, end, region or list of candidate regions).

        Leftmost-longest scan: at each position the longest known form wins, so 朔州市 beats 朔州 and a
        short form inside a full name already matched is not reported again. Ordinary words listed as
        `plain` (振兴, 城区) are stepped over, and so is a short form inside a set phrase (长治久安 holds no
        长治). An ambiguous form (朝阳区) gives the list of its candidates.
        """
        found: list[Match] = []
        last_end = -1
        pos = 0
        left_ok, hiding = _cues()
        hidden = [(s, e) for _, s, e in hiding.longest(text)]
        # the forms that start at each place, longest first; a place where none starts has nothing to try
        ends: dict[int, list[int]] = {}
        for _, i, end in self._forms.every(text):
            ends.setdefault(i, []).append(end)
        for i in sorted(ends):
            if i < pos:
                continue  # inside the form found before
            for end in sorted(ends[i], reverse=True):
                key = text[i:end]
                regions = self._keys[key]
                if not _fits(text, i, end, key, left_ok, adjacent=i == last_end):
                    continue
                if key not in self._full and any(s <= i and end <= e for s, e in hidden):
                    continue
                if regions:
                    found.append((i, end, regions[0] if len(regions) == 1 else list(regions)))
                    last_end = end
                pos = end
                break
        return found


def _ranked(regions: list[Region]) -> tuple[Region, ...]:
    return tuple(sorted(regions, key=lambda r: (_LEVEL_RANK[r.level], r.code)))


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _fits(text: str, start: int, end: int, key: str, left_ok: frozenset[str], *, adjacent: bool) -> bool:
    """Whether the form at [start, end) stands as a name rather than inside a longer word."""
    if key[-1] in "县区" and text.startswith("域", end):
        # 县域/区域 are words of their own: 城东区域 is no 城东区. 平鲁区域 still gives 平鲁, as the scan
        # then tries the shorter form.
        return False
    if len(key) == 2 and key[-1] in "县区市旗" and start > 0 and not adjacent:
        before = text[start - 1]
        return not _is_han(before) or before in left_ok
    return True


def parse(text: str, where: str = "divisions.tsv") -> Gazetteer:
    """A Gazetteer from the TSV text (see the file's header for the fields)."""
    regions: list[Region] = []
    plain: dict[str, tuple[str, ...]] = {}
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if tuple(fields) != _COLUMNS:
                raise LexiconError(f"{where}:{lineno}: header should be {' '.join(_COLUMNS)}, not {line!r}")
            header_seen = True
            continue
        if len(fields) != len(_COLUMNS):
            raise LexiconError(f"{where}:{lineno}: {len(fields)} fields, expected {len(_COLUMNS)}")
        code, name, short, level, parent, plain_forms = fields
        if not (code.isdigit() and len(code) == 6) or not name or level not in LEVELS:
            raise LexiconError(f"{where}:{lineno}: bad row {line!r}")
        regions.append(Region(code, name, _split(short), level, parent or None))
        if plain_forms:
            plain[code] = _split(plain_forms)
    if not header_seen:
        raise LexiconError(f"{where}: no header line")
    return Gazetteer(regions, plain)


def _split(field: str) -> tuple[str, ...]:
    return tuple(f for f in field.split("|") if f)


@functools.cache
def load() -> Gazetteer:
    """The gazetteer of zhibiao/lexicons/divisions.tsv, read once."""
    path = resources.files("zhibiao") / "lexicons" / "divisions.tsv"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise LexiconError(f"lexicon divisions.tsv: {e}") from e
    return parse(text)
