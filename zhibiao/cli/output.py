"""Facts on standard output, for `extract` and `facts`: a table per document, JSON Lines or CSV."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zhibiao.cli.common import Format
from zhibiao.csvrows import CsvRows


class FactWriter:
    """Writes facts (dicts of Fact.to_dict(), and for stored facts their id, derived and review) in one format.

    jsonl and csv carry `columns`, in order; a table shows each figure with the words around it and its reading.
    """

    def __init__(self, fmt: Format, columns: Sequence[str], out: TextIO | None = None):
        self.fmt, self.columns = fmt, tuple(columns)
        self.out = out or sys.stdout
        self._csv = CsvRows(self.out, self.columns) if fmt is Format.csv else None
        self._console = Console(file=self.out, width=table_width(self.out)) if fmt is Format.table else None

    def write(self, rows: Sequence[dict[str, Any]], title: str) -> None:
        """Write the facts of one document; `title` heads its table."""
        if self._console is not None:
            self._console.print(fact_table(rows, title))
        elif self._csv is not None:
            for r in rows:
                self._csv.write(r)
        else:
            for r in rows:
                self.out.write(json.dumps({c: r.get(c) for c in self.columns}, ensure_ascii=False) + "\n")


PIPED_WIDTH = 160  # columns of a table written to a file or a pipe (Rich would cut it at 80)


def table_width(out: TextIO) -> int | None:
    """The width of a table on `out`: the terminal's (or $COLUMNS); PIPED_WIDTH when it is no terminal."""
    isatty = getattr(out, "isatty", None)
    return None if os.environ.get("COLUMNS") or (isatty is not None and isatty()) else PIPED_WIDTH


def fact_table(rows: Sequence[dict[str, Any]], title: str) -> Table:
    """A table of facts: each figure with its reading, and under it the words around it."""
    table = Table(title=escape(title), show_lines=True, title_justify="left")
    for name in ("figure", "value", "measure", "indicator", "region", "period", "conf"):
        table.add_column(name, overflow="fold")
    for f in rows:
        context = _excerpt(f["sentence"] or "", f["text"])
        indicator = f["indicator"] or ""
        table.add_row(f"[bold]{escape(f['text'])}[/bold]\n[dim]{escape(context)}[/dim]",
                      _value_cell(f), f["measure"],
                      escape(indicator) + ("" if f["indicator_standard"] or not indicator else " [dim]*[/dim]"),
                      escape(f["region"] or ""), f["period"] or "", f"{f['confidence']:.1f}")
    if any(f["indicator"] and not f["indicator_standard"] for f in rows):
        table.caption = "* not a catalogue indicator: the words of the text"
    return table


def _value_cell(f: dict[str, Any]) -> str:
    """The value as printed (364.6亿元), and under it, dim, in the normalized unit (36,460,000,000 CNY)."""
    normalized = "" if f["value"] is None else f"{_number(f['value'])} {f['unit']}"
    number = f.get("number_text") or ""
    printed = f"{number}{f.get('unit_text') or ''}" if number else ""
    if not printed or printed == normalized.replace(" ", ""):
        return escape(printed or normalized)
    return f"{escape(printed)}\n[dim]{escape(normalized)}[/dim]"


def _number(value: float) -> str:
    """364.6亿元 is 36,460,000,000: grouped digits read better than 3.646e+10."""
    v = float(value)
    return f"{v:,.0f}" if abs(v) >= 10000 and v == int(v) else f"{v:,.4g}" if abs(v) >= 10000 else f"{v:g}"


def _excerpt(sentence: str, figure: str, width: int = 8) -> str:
    i = sentence.find(figure)
    if i < 0:
        return sentence[:2 * width]
    lo, hi = max(0, i - width), min(len(sentence), i + len(figure) + width)
    return ("…" if lo else "") + sentence[lo:hi] + ("…" if hi < len(sentence) else "")
