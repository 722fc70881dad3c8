"""Write stored facts out as a tidy table, one row per fact: CSV, JSON Lines or Parquet (with pyarrow types)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from zhibiao.csvrows import CsvRows
from zhibiao.errors import ZhibiaoError
from zhibiao.store.engine import batches
from zhibiao.store.query import EXPORT_COLUMNS, EXPORT_TYPES, FactFilter, iter_export_rows

__all__ = ["ExportFormat", "arrow_schema", "export_facts", "write_rows"]

_PARQUET_BATCH = 10_000  # rows per Parquet row group written at a time: bounded memory for any size


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


def arrow_schema() -> Any:
    """The pyarrow schema of the export's columns (EXPORT_TYPES); a json column is its JSON text."""
    import pyarrow as pa

    types = {"text": pa.string(), "exact": pa.string(), "json": pa.string(), "int": pa.int32(),
             "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}
    return pa.schema([pa.field(c, types[kind]) for c, kind in EXPORT_TYPES.items()])


def export_facts(engine: Engine, fmt: ExportFormat | str, out: str | os.PathLike[str],
                 where: FactFilter | None = None) -> int:
    """Write the facts matching `where` to the file `out` in `fmt`; return how many rows were written.

    The file is written beside its final name and moved there at the end, so a failed export leaves no
    half-written file behind.
    """
    return write_rows(iter_export_rows(engine, where or FactFilter()), fmt, out)


def write_rows(rows: Iterable[dict[str, Any]], fmt: ExportFormat | str, out: str | os.PathLike[str]) -> int:
    """Write export rows (dicts keyed by EXPORT_COLUMNS) to `out` in `fmt`; return how many."""
    fmt = ExportFormat(fmt)
    target = Path(out)
    if target.is_dir():
        raise ZhibiaoError(f"{target}: is a folder; give a file name to export to")
    tmp = target.with_name(f".{target.name}.part")
    try:
        n = {ExportFormat.csv: _csv, ExportFormat.jsonl: _jsonl, ExportFormat.parquet: _parquet}[fmt](rows, tmp)
        os.replace(tmp, target)
    except OSError as e:
        raise ZhibiaoError(f"cannot write {target}: {e.strerror or e}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return n


def _value(kind: str, v: Any, *, flat: bool) -> Any:
    """A value of an export column as written: a boolean as a boolean, a date as a date (SQLite gives text), a json
    column as its JSON text in a flat table (CSV, Parquet)."""
    if v is None:
        return None
    if kind == "bool":
        return bool(v)
    if kind == "date" and isinstance(v, str):  # SQLite hands dates back as text in raw selects
        return date.fromisoformat(v)
    if kind == "json" and flat:
        return json.dumps(v, ensure_ascii=False)
    return v


def _plain(row: dict[str, Any], *, flat: bool) -> dict[str, Any]:
    """A row for CSV or JSON: dates as ISO text, booleans as booleans; a json column as JSON text when `flat`."""
    out = {c: _value(kind, row.get(c), flat=flat) for c, kind in EXPORT_TYPES.items()}
    for c, v in out.items():
        if isinstance(v, date):
            out[c] = v.isoformat()
    return out


def _csv(rows: Iterable[dict[str, Any]], path: Path) -> int:
    n = 0
    # utf-8-sig: Excel opens a CSV as the local code page unless it starts with a BOM
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = CsvRows(f, EXPORT_COLUMNS)
        for row in rows:
            writer.write(_plain(row, flat=True))
            n += 1
    return n


def _jsonl(rows: Iterable[dict[str, Any]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(_plain(row, flat=False), ensure_ascii=False) + "\n")
            n += 1
    return n


def _parquet(rows: Iterable[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema()
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in batches(rows, _PARQUET_BATCH):
            columns = {c: [_value(kind, r.get(c), flat=True) for r in batch] for c, kind in EXPORT_TYPES.items()}
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n
