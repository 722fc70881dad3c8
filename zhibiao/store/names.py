"""What a person types for an indicator or a region → the names facts are stored under."""

from __future__ import annotations

from zhibiao.errors import ZhibiaoError

# the words an administrative unit's full name ends with, for short names the gazetteer does not know
_LEVEL_SUFFIXES = ("省", "市", "区", "县", "旗", "州", "盟", "自治区", "自治州", "自治县", "自治旗")


def indicator_names(query: str) -> set[str]:
    """The indicator names `query` stands for: itself, and the standard name of the catalogue entry it names.

    An alias (规上工业增加值) or an English name (Gross regional product) finds the standard name; a name the
    catalogue does not know is matched as written.
    """
    q = query.strip()
    names = {q}
    try:
        from zhibiao.catalogue import catalogue

        entry = catalogue().get(q)
    except (ImportError, ZhibiaoError):  # no catalogue yet, or a broken lexicon: match the name as written
        entry = None
    if entry is not None:
        names.add(entry.name)
    return names


def region_names(query: str) -> set[str]:
    """The region names `query` stands for: itself and the full names of the regions it is a short form of.

    平鲁 → {平鲁, 平鲁区}; 朔州 → {朔州, 朔州市}; a name the gazetteer does not know, with each level word
    (青禾 → 青禾县, 青禾市 ...).
    """
    q = query.strip()
    names = {q}
    try:
        from zhibiao.gazetteer import load

        regions = load().by_name(q)
    except (ImportError, ZhibiaoError):
        regions = []
    names.update(r.name for r in regions)
    if not regions and q and not q.endswith(_LEVEL_SUFFIXES):
        # a place the gazetteer does not know (a new county, a typo in it): its name with each level word
        names.update(q + suffix for suffix in _LEVEL_SUFFIXES)
    return names
