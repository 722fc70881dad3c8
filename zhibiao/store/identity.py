"""Which stored row a newly extracted fact is, so that ids stay stable when a report is extracted again (issue 18).

A link to a figure (/documents/7#f123, /facts/123, a finding's fact) must survive a re-extract: the figure that is
the same, the same printed text in the same context, keeps its row id; a figure that is new gets a new id, and one
that is gone takes its id with it (never handed to another figure).

The same figure is matched in passes, each stricter one first, every stored row used at most once:
1. the text, the CONTEXT characters on each side in the report's text, and the value;
2. the text and those characters (the extractor now reads the value otherwise);
3. the text, its sentence and the value (the words a little further away changed);
4. the text and its sentence;
5. the text and the characters after it, then 6. those before it (text put above a figure near the top of the
   report, or a neighbouring figure corrected, changes one side only).
Within one pass, figures of one key are paired in text order (a sentence printed twice keeps its two ids apart).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

CONTEXT = 24  # characters on each side of a figure that must be the same for it to be the same figure


@dataclass(frozen=True, slots=True)
class Stored:
    """What a stored fact row is recognised by."""

    id: int
    start: int
    end: int
    text: str
    value_text: str | None
    sentence: str | None


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]


def _keys(text: str) -> tuple[Callable[[Any], tuple[Any, ...] | None], ...]:
    """The key of each pass for a fact of a report whose text is `text` (None: the pass cannot place it)."""

    def ctx(f: Any) -> tuple[Any, ...]:
        return (f["text"], *_around(text, f["start"], f["end"]))

    def sentence(f: Any) -> tuple[Any, ...] | None:
        return (f["text"], f["sentence"]) if f["sentence"] else None

    return (lambda f: (*ctx(f), f["value_text"]), ctx,
            lambda f: (s + (f["value_text"],)) if (s := sentence(f)) else None, sentence,
            lambda f: (f["text"], "after", text[f["end"]:f["end"] + CONTEXT]),
            lambda f: (f["text"], "before", text[max(0, f["start"] - CONTEXT):f["start"]]))


def match_ids(old: Sequence[Stored], old_text: str, new: Sequence[dict[str, Any]], new_text: str) -> list[int | None]:
    """For each new fact row (start, end, text, value_text, sentence), the id of the stored row it is, or None."""
    olds = [{"id": o.id, "start": o.start, "end": o.end, "text": o.text, "value_text": o.value_text,
             "sentence": o.sentence} for o in sorted(old, key=lambda o: (o.start, o.end, o.id))]
    order = sorted(range(len(new)), key=lambda i: (new[i]["start"], new[i]["end"], i))
    ids: list[int | None] = [None] * len(new)
    taken: set[int] = set()
    for old_key, new_key in zip(_keys(old_text), _keys(new_text), strict=True):
        waiting: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for o in olds:
            if o["id"] not in taken and (k := old_key(o)) is not None:
                waiting[k].append(o["id"])
        for i in order:
            if ids[i] is not None or (k := new_key(new[i])) is None:
                continue
            free = waiting.get(k)
            if free:
                ids[i] = free.pop(0)
                taken.add(ids[i])
    return ids
