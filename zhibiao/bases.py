"""Which figures of one key are compared with one base (a fact's `base`: previous-year, 2020 …), for whoever puts
figures side by side: the panel's rows, the chart's series, the checks' agreement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def by_base(items: Iterable[T], base_of: Callable[[T], str]) -> dict[str, list[T]]:
    """The items of one key split by what they are compared with: one part per base. An item whose base is not
    stated joins the one base the others state (增长5.1% in one report, 比上年增长5.1% in another: one figure);
    where they state two (比上年, 比2020年), it stays apart, under ''."""
    items = list(items)
    stated = {base_of(i) for i in items} - {""}
    only = next(iter(stated)) if len(stated) == 1 else ""
    out: dict[str, list[T]] = defaultdict(list)
    for i in items:
        out[base_of(i) or only].append(i)
    return out
