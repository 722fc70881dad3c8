"""The store's commands, added to `zhibiao` by cli.py: ingest, facts, export."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zhibiao.errors import ZhibiaoError

err = Console(stderr=True, highlight=False, soft_wrap=True)

_DB_HELP = "Database: a SQLite file or a postgresql:// URL (default: $ZHIBIAO_DB, else zhibiao.db)."
_SHOWN_ERRORS = 20  # failed files listed after an ingest; the runs table keeps them all

Db = Annotated[str | None, typer.Option("--db", help=_DB_HELP, show_default=False)]
Doc = Annotated[str | None, typer.Option("--doc", help="A document's file name or path.")]
Indicator = Annotated[str | None, typer.Option("--indicator", help="Standard name, alias or English name "
                                                                   "(GDP finds 地区生产总值).")]
Region = Annotated[str | None, typer.Option("--region", help="Full or short name (平鲁 finds 平鲁区).")]
Period = Annotated[str | None, typer.Option("--period", help="2023 finds every period within 2023 "
                                                             "(2023-H1, 2023-05 ...); also 2024-Q1, 2024-01/2024-10.")]
Measure = Annotated[str | None, typer.Option("--measure", help="level, growth, change, share, pp_diff, rank, "
                                                               "target, completion, ratio or multiple.")]


class FactsFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class IngestEngine(StrEnum):
    local = "local"
    ray = "ray"


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    jsonl = "jsonl"


def print_summary(summary, where: str, *, in_runs_table: bool, stopped: str) -> None:
    """The end of an ingest, on either engine: the failed files (the first few), then one line of counts."""
    for path, message in summary.errors[:_SHOWN_ERRORS]:
        err.print(f"[red]failed[/red] {path}: {message}")
    if len(summary.errors) > _SHOWN_ERRORS:
        err.print(f"... and {len(summary.errors) - _SHOWN_ERRORS} more"
                  + (f" (all in the runs table, run {summary.run_id})" if in_runs_table else ""))
    status = f"[yellow]{stopped}[/yellow]: run again to finish. " if summary.interrupted else ""
    err.print(f"{status}{summary.ok} stored, {summary.skipped} unchanged, {summary.failed} failed; "
              f"{summary.facts:,} facts in {summary.duration:.1f}s → {where}")


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Report files and folders (read recursively).")],
    db: Db = None,
    workers: Annotated[int | None, typer.Option("--workers", "-j", min=1,
                                                help="Worker processes (default: one per core).")] = None,
    region: Annotated[str | None, typer.Option(help="The region the reports are about when they never say.")]
    = None,
    published: Annotated[str | None, typer.Option(help="Publication date (2024-05-07) for reports that print "
                                                        "none.")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    engine: Annotated[IngestEngine, typer.Option("--engine", help="local: processes on this machine; ray: a Ray "
                                                                  "cluster (pip install 'zhibiao[ray]').")]
    = IngestEngine.local,
    address: Annotated[str | None, typer.Option("--address", help="With --engine ray: auto or ray://HOST:10001 "
                                                                   "[default: a new local Ray].",
                                                show_default=False)] = None,
    out: Annotated[str | None, typer.Option("--out", "-o", help="With --engine ray: also (or, without --db, only) "
                                                                "write Parquet here.", show_default=False)] = None,
) -> None:
    """Read, extract and store reports; files stored before with the same content and extractor are skipped.

    Exit code 0 when every file went in, 1 when some failed (each is recorded with its error), 130 when
    interrupted (run the same command again to finish).
    """
    if engine is IngestEngine.ray:
        from zhibiao.cli_ray import run_ray

        run_ray(paths, db=db, out=out, address=address, cpus=workers, region=region, published=published,
                progress=progress, command="zhibiao ingest " + " ".join(paths))  # exits with the run's code
    if address is not None or out is not None:
        raise typer.BadParameter("--address and --out go with --engine ray", param_hint="--engine")
    from zhibiao.ingest import ingest as run_ingest
    from zhibiao.store.url import describe, resolve_url

    try:
        when = date.fromisoformat(published) if published else None
    except ValueError:
        raise typer.BadParameter(f"{published!r} is not a date like 2024-05-07", param_hint="--published") from None
    try:
        url = resolve_url(db)
        summary = run_ingest(paths, url, workers=workers, region=region, published=when,
                             progress=progress and err.is_terminal,
                             console=err, command="zhibiao ingest " + " ".join(paths))
    except ZhibiaoError as e:
        err.print(f"[red]error[/red]: {e}")
        raise typer.Exit(1) from None
    print_summary(summary, describe(url), in_runs_table=True, stopped="interrupted")
    raise typer.Exit(summary.exit_code)


def facts(
    db: Db = None, doc: Doc = None, indicator: Indicator = None, region: Region = None, period: Period = None,
    measure: Measure = None,
    fmt: Annotated[FactsFormat, typer.Option("--format", "-f", help="table for people; jsonl or csv for programs.")]
    = FactsFormat.table,
    limit: Annotated[int | None, typer.Option(min=0, help="At most this many facts.")] = None,
) -> None:
    """The stored facts that match every filter given, in document and text order."""
    from zhibiao.model import FACT_FIELDS
    from zhibiao.store import FactFilter, iter_facts, open_engine

    where = FactFilter(doc=doc, indicator=indicator, region=region, period=period, measure=measure, limit=limit)
    try:
        engine = open_engine(db)
        found = iter_facts(engine, where)
        out = sys.stdout
        if fmt is FactsFormat.table:
            table = Table("doc", "text", "value", "unit", "measure", "indicator", "region", "period", "sentence",
                          title="zhibiao facts")
            for f in found:
                table.add_row(f.doc, f.text, f"{float(f.value):g}", f.unit, f.measure, f.indicator or "",
                              f.region or "", f.period or "", (f.sentence or "")[:60])
            Console().print(table)
        elif fmt is FactsFormat.jsonl:
            for f in found:
                out.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=list(FACT_FIELDS), lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            for f in found:
                row = f.to_dict()
                row["duplicate_of"] = json.dumps(row["duplicate_of"]) if row["duplicate_of"] else ""
                writer.writerow(row)
    except ZhibiaoError as e:
        err.print(f"[red]error[/red]: {e}")
        raise typer.Exit(1) from None


def export(
    out: Annotated[str, typer.Option("--out", "-o", help="The file to write.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv, parquet (typed, via pyarrow) or jsonl.")]
    = ExportFormat.csv,
    db: Db = None, doc: Doc = None, indicator: Indicator = None, region: Region = None, period: Period = None,
    measure: Measure = None,
) -> None:
    """A tidy table of the stored facts, one row per fact with its document, article title and sentence."""
    from zhibiao.export import export_facts
    from zhibiao.store import FactFilter, open_engine

    where = FactFilter(doc=doc, indicator=indicator, region=region, period=period, measure=measure)
    try:
        engine = open_engine(db)
        n = export_facts(engine, fmt.value, out, where)
    except ZhibiaoError as e:
        err.print(f"[red]error[/red]: {e}")
        raise typer.Exit(1) from None
    err.print(f"{n:,} facts → {out}")


def register(app: typer.Typer) -> None:
    """Add ingest, facts and export to the `zhibiao` command."""
    app.command()(ingest)
    app.command()(facts)
    app.command()(export)
