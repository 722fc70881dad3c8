"""`zhibiao panel`: the stored facts as a panel (zhibiao.panel), one row per indicator × region × period × measure × base."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from zhibiao.cli.common import Db, Doc, Indicator, Measure, Period, Region, err, existing_db, fails_cleanly
from zhibiao.errors import ZhibiaoError
from zhibiao.export import ExportFormat, format_for


class Layout(StrEnum):
    long = "long"
    wide = "wide"


PanelLayout = Annotated[Layout, typer.Option(
    "--layout", help="long: one row per indicator, region, period and measure; wide: one row per series and "
                     "region, one column per period.")]
OutFormat = Annotated[ExportFormat | None, typer.Option(
    "--format", "-f", help="csv, parquet, dta (Stata, needs pandas: pip install 'zhibiao[pandas]') or jsonl "
                           "[default: from the --out file's ending, else csv].", show_default=False)]


@fails_cleanly
def panel(
    out: Annotated[str | None, typer.Option("--out", "-o", help="The file to write [default: CSV on standard "
                                                                "output].", show_default=False)] = None,
    fmt: OutFormat = None,
    layout: PanelLayout = Layout.long,
    db: Db = None, doc: Doc = None, indicator: Indicator = None, region: Region = None, period: Period = None,
    measure: Measure = None,
) -> None:
    """The stored facts as a panel: the same figure in several reports is one row with its count of sources;
    reports that disagree are one row flagged conflict, with both values. The figure given is a reviewed one
    first, then a stated one over a derived one, final over preliminary, the latest report."""
    write_panel(out, fmt, layout, db, doc=doc, indicator=indicator, region=region, period=period, measure=measure)


def write_panel(out: str | None, fmt: ExportFormat | None, layout: Layout, db: str | None, **where: str | None
                ) -> None:
    """What `panel` and `export --panel` do."""
    from zhibiao.export import write_rows, write_stream
    from zhibiao.panel import build_panel
    from zhibiao.store import FactFilter, open_engine

    chosen = format_for(out, fmt) if out is not None else fmt or ExportFormat.csv
    if out is None and chosen not in (ExportFormat.csv, ExportFormat.jsonl):
        raise ZhibiaoError(f"a {chosen} file needs a name: give --out")  # before the work, not after it
    engine = open_engine(existing_db(db))
    try:
        columns, rows, left_out = build_panel(engine, FactFilter(**where), layout.value)
    finally:
        engine.dispose()
    types = {c.name: c.kind for c in columns}
    if out is None:
        write_stream(rows, chosen, sys.stdout, types)
    else:
        write_rows(rows, chosen, out, types, {c.name: c.label for c in columns})
    conflicts = sum(1 for r in rows if r.get("conflict") or r.get("conflict_periods"))
    err.print(f"{len(rows):,} panel rows ({conflicts:,} in conflict; {left_out:,} facts without an indicator, "
              f"region or period left out) → {out or 'standard output'}")
