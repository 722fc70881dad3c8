"""Rows of dicts as CSV: the one way zhibiao writes CSV (`extract`, `facts`, `export`, the web app's download)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

# A spreadsheet reads a cell that begins with one of these as a formula (=HYPERLINK(...), +cmd|...): such a text
# cell gets a leading apostrophe, as OWASP advises, so that it shows as the text it is. Numbers are left alone.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")  # an exact value's text (-3.2): no formula


def _cell(v: Any) -> Any:
    if isinstance(v, list | dict):
        v = json.dumps(v, ensure_ascii=False)
    if isinstance(v, str) and v.startswith(_FORMULA_START) and not _NUMBER.fullmatch(v):
        return "'" + v
    return v


class CsvRows:
    """A CSV writer with a header of `columns`: None is an empty cell, a list or a dict its JSON text, a text that
    a spreadsheet would run as a formula (= + - @ first) prefixed with an apostrophe."""

    def __init__(self, out: TextIO, columns: Sequence[str]):
        self._writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
        self._writer.writeheader()

    def write(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow({k: _cell(v) for k, v in row.items()})
