"""Rows of dicts as CSV: the one way zhibiao writes CSV (`extract`, `facts`, `export`, the web app's download)."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO


class CsvRows:
    """A CSV writer with a header of `columns`: None is an empty cell, a list or a dict its JSON text."""

    def __init__(self, out: TextIO, columns: Sequence[str]):
        self._writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
        self._writer.writeheader()

    def write(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                               for k, v in row.items()})
