"""Write stored facts out as a tidy table, one row per fact, or the panel (zhibiao.panel): CSV, JSON Lines, Parquet
(with pyarrow types) or Stata .dta (via pandas, typed the same way).

Every writer takes the table's columns as a mapping of name → kind (text, exact, json, int, float, bool, date): the
export's EXPORT_TYPES or the panel's PANEL_FORM, both made from the one field table (model.FACT_FORM)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine

from zhibiao.csvrows import CsvRows
from zhibiao.errors import ZhibiaoError
from zhibiao.store.engine import batches
from zhibiao.store.query import EXPORT_TYPES, FactFilter, iter_export_rows

__all__ = ["EXTENSIONS", "ExportFormat", "arrow_schema", "export_facts", "format_for", "write_rows", "write_stream"]

_PARQUET_BATCH = 10_000  # rows per Parquet row group written at a time: bounded memory for any size


_STATA_STR = 2045  # bytes of a Stata str column; a longer text is written as a strL


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    dta = "dta"


# the file name endings of each format: --format and the name given to --out must agree
EXTENSIONS: dict[ExportFormat, tuple[str, ...]] = {
    ExportFormat.csv: (".csv",), ExportFormat.jsonl: (".jsonl", ".ndjson"),
    ExportFormat.parquet: (".parquet", ".pq"), ExportFormat.dta: (".dta",),
}


def format_for(out: str | os.PathLike[str], fmt: ExportFormat | str | None) -> ExportFormat:
    """The format to write `out` in: `fmt` when given (an error if the file name ends as another format's
    does), else the one its ending names, else CSV."""
    suffix = Path(out).suffix.lower()
    named = next((f for f, endings in EXTENSIONS.items() if suffix in endings), None)
    if fmt is None:
        return named or ExportFormat.csv
    fmt = ExportFormat(fmt)
    if named is not None and named is not fmt:
        raise ZhibiaoError(f"--format {fmt} but {Path(out).name} ends as a {named} file: give one of "
                           f"{', '.join(EXTENSIONS[fmt])}, or leave --format out")
    return fmt


def arrow_schema(types: Mapping[str, str] = EXPORT_TYPES) -> Any:
    """The pyarrow schema of these columns (the export's EXPORT_TYPES by default); a json column is its JSON text."""
    import pyarrow as pa

    arrow = {"text": pa.string(), "exact": pa.string(), "json": pa.string(), "int": pa.int32(),
             "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}
    return pa.schema([pa.field(c, arrow[kind]) for c, kind in types.items()])


def export_facts(engine: Engine, fmt: ExportFormat | str, out: str | os.PathLike[str],
                 where: FactFilter | None = None) -> int:
    """Write the facts matching `where` to the file `out` in `fmt`; return how many rows were written.

    The file is written beside its final name and moved there at the end, so a failed export leaves no
    half-written file behind.
    """
    return write_rows(iter_export_rows(engine, where or FactFilter()), fmt, out)


def write_rows(rows: Iterable[dict[str, Any]], fmt: ExportFormat | str, out: str | os.PathLike[str],
               types: Mapping[str, str] = EXPORT_TYPES, labels: Mapping[str, str] | None = None) -> int:
    """Write rows (dicts keyed by the names of `types`, the export's columns by default) to `out` in `fmt`; return
    how many. `labels` describe the columns where the format keeps them (Stata's variable labels)."""
    fmt = ExportFormat(fmt)
    target = Path(out)
    if target.is_dir():
        raise ZhibiaoError(f"{target}: is a folder; give a file name to export to")
    tmp = target.with_name(f".{target.name}.part")
    try:
        if fmt is ExportFormat.dta:
            n = _dta(rows, tmp, types, labels or {})
        else:
            n = {ExportFormat.csv: _csv, ExportFormat.jsonl: _jsonl, ExportFormat.parquet: _parquet}[fmt](
                rows, tmp, types)
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


def _plain(row: dict[str, Any], types: Mapping[str, str], *, flat: bool) -> dict[str, Any]:
    """A row for CSV or JSON: dates as ISO text, booleans as booleans; a json column as JSON text when `flat`."""
    out = {c: _value(kind, row.get(c), flat=flat) for c, kind in types.items()}
    for c, v in out.items():
        if isinstance(v, date):
            out[c] = v.isoformat()
    return out


def write_stream(rows: Iterable[dict[str, Any]], fmt: ExportFormat | str, out: TextIO,
                 types: Mapping[str, str] = EXPORT_TYPES) -> int:
    """Write rows as CSV or JSON Lines to an open text stream (standard output); return how many."""
    fmt = ExportFormat(fmt)
    n = 0
    if fmt is ExportFormat.csv:
        writer = CsvRows(out, tuple(types))
        for row in rows:
            writer.write(_plain(row, types, flat=True))
            n += 1
    elif fmt is ExportFormat.jsonl:
        for row in rows:
            out.write(json.dumps(_plain(row, types, flat=False), ensure_ascii=False) + "\n")
            n += 1
    else:
        raise ZhibiaoError(f"a {fmt} file needs a name: give --out")
    return n


def _csv(rows: Iterable[dict[str, Any]], path: Path, types: Mapping[str, str]) -> int:
    # utf-8-sig: Excel opens a CSV as the local code page unless it starts with a BOM
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        return write_stream(rows, ExportFormat.csv, f, types)


def _jsonl(rows: Iterable[dict[str, Any]], path: Path, types: Mapping[str, str]) -> int:
    with path.open("w", encoding="utf-8") as f:
        return write_stream(rows, ExportFormat.jsonl, f, types)


def _parquet(rows: Iterable[dict[str, Any]], path: Path, types: Mapping[str, str]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(types)
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in batches(rows, _PARQUET_BATCH):
            columns = {c: [_value(kind, r.get(c), flat=True) for r in batch] for c, kind in types.items()}
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


def _dta(rows: Iterable[dict[str, Any]], path: Path, types: Mapping[str, str], labels: Mapping[str, str]) -> int:
    """A Stata 14+ file (format 118: UTF-8 text): numbers as doubles (an int column without a gap as int32),
    booleans as 0/1 bytes, dates as Stata dates, text as str (strL when longer than Stata's str allows); Stata
    has no missing text, so a missing one is empty. Stata names are identifiers: a column that is not one (a
    period of the wide panel, 2023-H1) is written as p2023_H1, with its own name as the variable label."""
    try:
        import pandas as pd
    except ImportError:
        raise ZhibiaoError("a Stata file is written with pandas: pip install 'zhibiao[pandas]'") from None
    kept = list(rows)
    data: dict[str, Any] = {}
    dates: dict[str, str] = {}
    strl: list[str] = []
    for c, kind in types.items():
        values = [_value(kind, r.get(c), flat=True) for r in kept]
        if kind in ("text", "exact", "json"):
            values = ["" if v is None else str(v) for v in values]
            if any(len(v.encode("utf-8")) > _STATA_STR for v in values):
                strl.append(c)
            data[c] = pd.Series(values, dtype=object)
        elif kind == "date":
            data[c] = pd.to_datetime(pd.Series(values, dtype=object))
            dates[c] = "td"
        elif kind == "bool":
            data[c] = pd.Series([None if v is None else int(v) for v in values],
                                dtype="int8" if None not in values else "float64")
        elif kind == "int" and None not in values:
            data[c] = pd.Series(values, dtype="int32")
        else:
            data[c] = pd.Series([float("nan") if v is None else float(v) for v in values], dtype="float64")
    names = {c: _stata_name(c, i) for i, c in enumerate(types)}
    frame = pd.DataFrame({names[c]: s for c, s in data.items()})
    variable_labels = {names[c]: (labels.get(c) or ("" if names[c] == c else c))[:80] for c in types}
    frame.to_stata(path, write_index=False, version=118, convert_dates={names[c]: f for c, f in dates.items()},
                   variable_labels={k: v for k, v in variable_labels.items() if v},
                   convert_strl=[names[c] for c in strl])
    return len(kept)


_STATA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}")


def _stata_name(column: str, position: int) -> str:
    """A Stata variable name for `column`: itself when it is one, else its characters that may be, after p."""
    if _STATA_NAME.fullmatch(column):
        return column
    name = "p" + re.sub(r"[^A-Za-z0-9_]", "_", column)
    return name[:32] if re.fullmatch(r"[A-Za-z0-9_]+", name) and len(name) > 1 else f"v{position}"
