"""The reader's text as HTML: every figure a link coloured by measure, each block set apart by its kind.

A pure function of (text, blocks, facts), escaped throughout: the source text is never trusted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from html import escape
from typing import Any

from zhibiao.layout import Block
from zhibiao.store.browse import STATUS_RANK

# block kinds that are not the report's running text: shown apart, in a smaller, muted style
FURNITURE = frozenset({"masthead", "byline", "dateline", "continuation"})


class _Facts:
    """Facts sorted by start, found by the span they touch without a scan of them all: the reader calls this for
    every block, and a scan per block was quadratic (a 60 KB report, 600 blocks and 1,600 facts: 0.5 s a page)."""

    def __init__(self, facts: Sequence[dict[str, Any]]):
        self.facts = sorted((f for f in facts if f["end"] > f["start"]), key=lambda f: (f["start"], f["end"]))
        self.starts = [f["start"] for f in self.facts]
        # a fact touching [start, end) starts at most this far before `start`
        self.longest = max((f["end"] - f["start"] for f in self.facts), default=0)

    def touching(self, start: int, end: int) -> list[dict[str, Any]]:
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [f for f in self.facts[lo:hi] if f["end"] > start]


def _segments(start: int, end: int, facts: _Facts) -> list[tuple[int, int, list[dict[str, Any]]]]:
    """[start, end) cut at every fact boundary inside it: (a, b, the facts covering [a, b)), shortest first."""
    inside = facts.touching(start, end)
    cuts = {start, end}
    for f in inside:
        cuts.add(max(start, f["start"]))
        cuts.add(min(end, f["end"]))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        # looked up again for each piece: a paragraph of 1,600 figures scanned them all per piece (3 s a page)
        cover = sorted((f for f in facts.touching(a, b) if f["start"] <= a and f["end"] >= b),
                       key=lambda f: (f["end"] - f["start"], f["id"]))
        out.append((a, b, cover))
    return out


def _run(text: str, a: int, b: int, cover: list[dict[str, Any]], anchored: set[int]) -> str:
    piece = escape(text[a:b])
    if not cover:
        return piece
    f = cover[0]
    classes = ["fact", "m-" + str(f.get("measure") or "level")]
    if f.get("review"):
        classes.append("r-" + str(f["review"]))
    # the worst status of any figure covering this run: a conflict shows even when a longer figure covers it
    statuses = [c["status"] for c in cover if c.get("status")]
    if statuses:
        classes.append("s-" + max(statuses, key=lambda s: STATUS_RANK.get(s, -1)))
    if len(cover) > 1:
        classes.append("overlap")
    ident = ""
    if f["id"] not in anchored:
        anchored.add(f["id"])
        ident = f' id="f{int(f["id"])}"'
    # a longer figure whose every part is covered by a shorter one still needs an element for its #f link
    extra = "".join(f'<span class="anchor" id="f{int(c["id"])}"></span>' for c in cover[1:] if c["id"] not in anchored)
    anchored.update(c["id"] for c in cover)
    others = " ".join(str(int(c["id"])) for c in cover)
    return (f'{extra}<a{ident} class="{" ".join(classes)}" href="/facts/{int(f["id"])}" data-fact="{int(f["id"])}" '
            f'data-facts="{others}">{piece}</a>')


def render(text: str, blocks: Sequence[Block], facts: Sequence[dict[str, Any]]) -> str:
    """The HTML of `text` with `facts` (dicts with id, start, end, measure, review, status) marked inside `blocks`.

    Text between blocks (blank lines) is kept as it is; a fact crossing a block's edge is marked in each part.
    """
    found = _Facts(facts)
    out: list[str] = []
    anchored: set[int] = set()
    pos = 0

    def plain(a: int, b: int, gap: bool = False) -> None:
        if gap and not text[a:b].strip():
            return  # the blank lines between blocks: the blocks' own margins stand for them
        for x, y, cover in _segments(a, b, found):
            out.append(_run(text, x, y, cover, anchored))

    for block in blocks:
        s, e = block.span.start, block.span.end
        if s < pos:
            continue
        plain(pos, s, gap=True)
        classes = ["blk", "k-" + block.kind]
        label = ""
        if block.kind == "caption":
            label = '<span class="blk-label" data-i18n="caption"></span>'
        if block.kind in FURNITURE:
            classes.append("furniture")
        if block.repeat_of is not None:
            classes.append("repeat")
            label = (f'<a class="blk-label" data-i18n="repeat" href="#t{int(block.repeat_of.start)}"></a>')
        out.append(f'<div class="{" ".join(classes)}" id="t{int(s)}">{label}')
        plain(s, e)
        out.append("</div>")
        pos = e
    plain(pos, len(text), gap=True)
    return "".join(out)
