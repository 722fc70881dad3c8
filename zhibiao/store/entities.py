"""The projects and companies of the store as /entities lists them: the names of one project merged, phrases that
name none dropped (issue 18), so that a project's figures can be followed across reports and years.

A name's key is what is left of it without its quote marks, a leading year (2024年, when rather than which) and a
last word that tells no project apart (项目, 工程: lexicons/entity_names.yaml). Names of one key are one entity;
a key held whole inside exactly one longer key (低碳硅芯产业园 in 千亿级低碳硅芯产业园) is a short form of that one.
A phrase is no name when a closing mark stands before an opening one (two names run together), when it holds a word of a class of projects (以上, 等) or of the
report's own telling (全面, 通过), when it opens by pointing back (这一), or when it is only words of a kind of
project and a head word (县级重点项目, lexicons/projects.yaml). Each entity is shown by its longest name, unquoted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from zhibiao.lexicon import cues, reader

_YEAR = re.compile(r"^\d{4}年(度)?")
_YEARS = re.compile(r"\d{4}年(度)?")
MIN_SHORT = 4  # characters a short form's key needs before it is merged into a longer name


@dataclass(frozen=True, slots=True)
class _Words:
    pairs: dict[str, str]
    suffixes: tuple[str, ...]
    classes: tuple[str, ...]
    clauses: tuple[str, ...]
    pointing: tuple[str, ...]
    heads: tuple[str, ...]
    generic: tuple[str, ...]


@reader
def _words() -> _Words:
    c = cues("entity_names")
    p = cues("projects")
    by_length = lambda ws: tuple(sorted(ws, key=len, reverse=True))  # noqa: E731 - the longest word first
    return _Words(pairs=dict(c["quote_pairs"]), suffixes=by_length(c["name_suffixes"]),
                  classes=tuple(c["class_words"]), clauses=tuple(c["clause_words"]),
                  pointing=tuple(c["pointing_starts"]), heads=by_length(p["entity_heads"]),
                  generic=by_length(p["entity_generic"]))


def _misordered(name: str, pairs: dict[str, str]) -> bool:
    """Whether a closing mark stands before any opening one (甲”“乙: the end of one name and the start of
    another, run together). A mark left open is a name cut at its head word (“甲项目), and is only dropped."""
    closing = {v: k for k, v in pairs.items() if k != v}
    open_marks: list[str] = []
    for ch in name:
        if ch in closing:
            if closing[ch] not in open_marks:
                return True
            open_marks.remove(closing[ch])
        elif ch in pairs and pairs[ch] != ch:
            open_marks.append(ch)
    return False


def _unquoted(name: str, w: _Words) -> str:
    marks = set(w.pairs) | set(w.pairs.values())
    return "".join(ch for ch in name if ch not in marks).strip()


def key(name: str) -> str:
    """What tells this name's project apart: what its quote marks hold (青禾县“甲项目” is 甲), without a leading year
    and a last word such as 项目."""
    w = _words()
    opening = [name.find(m) for m in w.pairs if w.pairs[m] != m and m in name]
    k = name[min(opening) + 1:] if opening else name
    k = _YEAR.sub("", _unquoted(k, w))
    for s in w.suffixes:
        if k.endswith(s) and len(k) > len(s):
            k = k[: -len(s)]
            break
    return k


def _only_generic(name: str, w: _Words) -> bool:
    rest = _YEARS.sub("", name)
    for h in w.heads:
        if rest.endswith(h):
            rest = rest[: -len(h)]
            break
    while rest:
        for g in w.generic:
            if rest.startswith(g):
                rest = rest[len(g):]
                break
        else:
            return False
    return True


def is_name(name: str) -> bool:
    """Whether `name` names one project or company (see the module's doc)."""
    w = _words()
    if _misordered(name, w.pairs):
        return False
    bare = _unquoted(name, w)
    if not bare or bare.startswith(w.pointing):
        return False
    if any(x in bare for x in w.classes + w.clauses):
        return False
    return not _only_generic(bare, w)


@dataclass(slots=True)
class Entity:
    """One project or company: the name shown (its longest, without quote marks), every name the reports give it."""

    name: str
    names: list[str] = field(default_factory=list)


def group(names: Iterable[str]) -> tuple[list[Entity], list[str]]:
    """(the entities the names make, the names that are no entity)."""
    kept: list[str] = []
    dropped: list[str] = []
    for n in dict.fromkeys(names):
        (kept if is_name(n) else dropped).append(n)
    by_key: dict[str, list[str]] = defaultdict(list)
    for n in kept:
        by_key[key(n) or n].append(n)
    keys = sorted(by_key, key=len, reverse=True)
    into: dict[str, str] = {}
    for k in keys:
        if len(k) < MIN_SHORT:
            continue
        longer = [o for o in keys if len(o) > len(k) and k in o]
        if len(longer) == 1:
            into[k] = longer[0]
    merged: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        top = k
        while top in into:
            top = into[top]
        merged[top].extend(by_key[k])
    w = _words()
    out = [Entity(name=max((_unquoted(n, w) for n in ns), key=lambda n: (len(n), n)), names=sorted(ns))
           for ns in merged.values()]
    return sorted(out, key=lambda e: e.name), dropped
