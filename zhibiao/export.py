"""Write stored facts out as a tidy table, one row per fact: CSV, JSON Lines or Parquet (with pyarrow types)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from zhibiao.errors import ZhibiaoError
from zhibiao.store.query import EXPORT_COLUMNS, FactFilter, iter_export_rows

__all__ = ["ExportFormat", "export_facts", "write_rows"]

_PARQUET_BATCH = 10_000  # rows per Parquet row group written at a time: bounded memory for any size


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


def _arrow_schema():
    import pyarrow as pa

    # NOTE: keep in sync with zhibiao.store.query.EXPORT_COLUMNS (a test checks they name the same columns)
    types = {
        "doc": pa.string(), "start": pa.int32(), "end": pa.int32(), "text": pa.string(),
        "value": pa.float64(), "value_high": pa.float64(), "unit": pa.string(), "qualifier": pa.string(),
        "measure": pa.string(), "indicator": pa.string(), "region": pa.string(), "entity": pa.string(),
        "period": pa.string(), "polarity": pa.string(), "unit_text": pa.string(), "indicator_standard": pa.bool_(),
        "confidence": pa.float64(), "value_text": pa.string(), "value_high_text": pa.string(),
        "duplicate_of_start": pa.int32(), "duplicate_of_end": pa.int32(), "sentence": pa.string(),
        "article": pa.string(), "article_index": pa.int32(), "path": pa.string(), "title": pa.string(),
        "published": pa.date32(), "published_how": pa.string(), "format": pa.string(),
        "extractor_version": pa.string(), "derived": pa.bool_(),
    }
    return pa.schema([pa.field(c, types[c]) for c in EXPORT_COLUMNS])


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


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row with JSON/CSV-friendly values: dates as ISO strings, booleans as booleans."""
    out = {}
    for k in EXPORT_COLUMNS:
        v = row.get(k)
        if isinstance(v, date):
            v = v.isoformat()
        elif k in ("indicator_standard", "derived") and v is not None:
            v = bool(v)
        out[k] = v
    return out


def _csv(rows: Iterable[dict[str, Any]], path: Path) -> int:
    n = 0
    # utf-8-sig: Excel opens a CSV as the local code page unless it starts with a BOM
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in _plain(row).items()})
            n += 1
    return n


def _jsonl(rows: Iterable[dict[str, Any]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(_plain(row), ensure_ascii=False) + "\n")
            n += 1
    return n


def _parquet(rows: Iterable[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema()
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in _batches(rows, _PARQUET_BATCH):
            columns = {c: [_arrow_value(c, r.get(c)) for r in batch] for c in EXPORT_COLUMNS}
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


def _arrow_value(column: str, v: Any) -> Any:
    if column in ("indicator_standard", "derived") and v is not None:
        return bool(v)
    if column == "published" and isinstance(v, str):  # SQLite hands dates back as text in raw selects
        return date.fromisoformat(v)
    return v


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
