"""Cells of a table flattened to text: a bare number in a row takes its indicator from the row's label and
its unit and measure from the column's header (or from a 单位 line for the whole table).

    表3 全市主要经济指标
    | 总量 (亿元) | 增速 (%) |
    地区生产总值 | 512.3 | 5.1 |

A cell is a Quantity (so every resolver reads it like any figure) that also knows its row and its table's
caption. A column whose unit is nowhere said gives no cells: a wrong unit is worse than a missing figure.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from .. import lexicon
from ..catalogue import catalogue
from ..docmodel import DocModel
from ..model import Quantity, Span
from ..quantities import find_quantities
from .cues import rx_end

_NUMBER = re.compile(r"[-−+]?\d+(?:\.\d+)?")
_IN_BRACKETS = re.compile(r"[（(]([^（()）]{1,12})[）)]")
_SPACE = re.compile(r"\s+")
_CAPTION = re.compile(r"^表\s*\d*")  # 表1: a table's caption line
_CAPTION_LINES = 3  # the caption and a 单位 line stand right before the table


@dataclass(slots=True)
class Cell(Quantity):
    """A number in a table's cell, read as a quantity; `row` is its row's label, `caption` its table's."""

    row: str = ""
    caption: str = ""


@lexicon.reader
def _cues() -> dict:
    return lexicon.cues("tables").take("unit_word", "growth_headers", "level_headers")


@functools.cache
def _unit_note() -> re.Pattern:
    return re.compile(re.escape(_cues()["unit_word"]) + r"\s*[:：]\s*([^\s|）)，,。；;]{1,8})")


def _unit(text: str) -> tuple[Decimal, str, str] | None:
    """What one of `text` (亿元, %, 万吨) is worth: (factor, unit, unit as written), if it is a unit."""
    found = find_quantities("1" + text)
    if len(found) != 1 or found[0].text != "1" + text:
        return None
    q = found[0]
    return q.value, q.unit, q.unit_text


def _measure(header: str) -> str | None:
    """What a column holds, by its header's words: growth rates or levels."""
    words = _SPACE.sub("", _IN_BRACKETS.sub("", header))
    if any(w in words for w in _cues()["growth_headers"]):
        return "growth"
    if not words or any(w in words for w in _cues()["level_headers"]):
        return "level"
    return None


def _cells(line: str) -> list[tuple[int, str]]:
    """The cells of a row, with where each starts in the line (the blank around a cell left out)."""
    out, start = [], 0
    for part in line.split("|"):
        lead = len(part) - len(part.lstrip())
        if part.strip():
            out.append((start + lead, part.strip()))
        start += len(part) + 1
    return out


def _row_name(label: str, caption: str) -> str:
    """The indicator a row's label names: the catalogue's name, or the label with the head word the caption
    ends in (食品烟酒 in a table of 居民消费价格 is 食品烟酒价格)."""
    entry = catalogue().get(label)
    if entry is not None:
        return entry.name
    if rx_end("subject_heads").search(label):
        return label
    names = catalogue().find(caption)
    head = rx_end("subject_heads").search(names[-1].text) if names else None
    return label + head.group() if head else label


def cells(model: DocModel) -> list[Cell]:
    """Every bare number in a cell of a table block whose column says its unit, in text order."""
    text, out = model.text, []
    for block in model.page.blocks:
        if block.kind != "table":
            continue
        lo, hi = model.cleaned.to_norm(block.span.start), model.cleaned.to_norm(block.span.end)
        before = text[:lo].rstrip("\n").split("\n")[-_CAPTION_LINES:]
        caption = next((b for b in reversed(before) if _CAPTION.match(b.strip())), "")
        note = _unit_note().search("\n".join(before) + "\n" + caption)
        shared = _unit(note.group(1)) if note else None
        rows = text[lo:hi].split("\n")
        header = [c for _, c in _cells(rows[0])]
        if not header or any(_NUMBER.fullmatch(c) for c in header):
            continue
        columns = []
        for h in header:
            unit = next((u for m in _IN_BRACKETS.finditer(h) if (u := _unit(m.group(1)))), None) or shared
            columns.append((unit, _measure(h)))
        at = lo + len(rows[0]) + 1
        for row in rows[1:]:
            found = _cells(row)
            if len(found) >= 2 and not _NUMBER.fullmatch(found[0][1]):
                label = _SPACE.sub("", found[0][1])
                # a header over the numbers only (| 绝对数 | 增长 |) or over the labels too (指标 | 涨跌 |)
                offset = 0 if len(columns) == len(found) - 1 else 1 if len(columns) == len(found) else None
                for i, (start, cell) in enumerate(found[1:]):
                    if offset is None or not _NUMBER.fullmatch(cell) or i + offset >= len(columns):
                        continue
                    unit, measure = columns[i + offset]
                    if unit is None or measure is None:
                        continue
                    out.append(_cell(at + start, cell, unit, measure, label, caption))
            at += len(row) + 1
    return out


def _cell(pos: int, cell: str, unit: tuple[Decimal, str, str], measure: str, label: str, caption: str) -> Cell:
    factor, name, written = unit
    value = Decimal(cell.replace("−", "-").lstrip("+"))
    if measure == "growth" and name != "%":
        measure = "change"
    polarity = ("-" if value < 0 else "+") if measure == "growth" else None
    return Cell(span=Span(pos, pos + len(cell)), text=cell, value=value * factor,
                unit=name, unit_text=written, number_text=cell, measure=measure, polarity=polarity,
                row=_row_name(label, caption), caption=caption)
