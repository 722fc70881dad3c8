"""The store's commands: ingest (on either engine), facts, export, delete."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape

from zhibiao.cli.common import (
    Db,
    Doc,
    FactFormat,
    Format,
    Indicator,
    Measure,
    Period,
    Progress,
    Published,
    Region,
    RegionHint,
    err,
    existing_db,
    fails_cleanly,
)
from zhibiao.cli.panel import Layout, OutFormat, PanelLayout

_SHOWN_ERRORS = 20  # failed files listed after an ingest; the runs table keeps them all


class Engine(StrEnum):
    local = "local"
    ray = "ray"


@fails_cleanly
def ingest(
    paths: Annotated[list[str], typer.Argument(
        help="Report files and folders (read recursively); with --engine ray also tables of documents: .parquet "
             "or .jsonl with id, text, published?, region?.")],
    db: Annotated[str | None, typer.Option(
        "--db", help="Database: a SQLite file or a postgresql:// URL [default: $ZHIBIAO_DB, else zhibiao.db; "
                     "with --engine ray none when only --out is given].", show_default=False)] = None,
    engine: Annotated[Engine, typer.Option(
        "--engine", help="local: processes on this machine; ray: a Ray cluster (pip install 'zhibiao[ray]').")]
    = Engine.local,
    cpus: Annotated[int | None, typer.Option(
        "--cpus", "-j", min=1, help="Worker processes, or the CPUs of a new local Ray [default: all cores].",
        show_default=False)] = None,
    writers: Annotated[int, typer.Option(
        "--writers", min=1, help="With --engine ray: database writers (1 for SQLite; more for PostgreSQL).")] = 1,
    out: Annotated[str | None, typer.Option(
        "--out", "-o", help="With --engine ray: also (or, without --db, only) write Parquet here: documents/ and "
                            "facts/ part files.", show_default=False)] = None,
    address: Annotated[str | None, typer.Option(
        "--address", help="With --engine ray: the cluster, auto (the one this machine belongs to) or "
                          "ray://HOST:10001 [default: a new local Ray].", show_default=False)] = None,
    region: RegionHint = None,
    published: Published = None,
    progress: Progress = True,
) -> None:
    """Read, extract and store reports; files stored before with the same content and extractor are skipped.

    Exit code 0 when every file went in, 1 when some failed (each is recorded with its error), 130 when
    interrupted (run the same command again to finish).
    """
    from zhibiao.ingest import UsageError, ingest_with
    from zhibiao.store.url import describe, resolve_url

    ray = engine is Engine.ray
    url = resolve_url(db) if db is not None or not (ray and out) else None
    try:
        summary = ingest_with(engine.value, paths, url, cpus=cpus, writers=writers, out=out, address=address,
                              region=region, published=published, progress=progress and err.is_terminal,
                              console=err, command="zhibiao ingest " + " ".join(paths))
    except UsageError as e:
        raise typer.BadParameter(str(e), param_hint="--engine") from None
    for path, message in summary.errors[:_SHOWN_ERRORS]:
        err.print(f"[red]failed[/red] {escape(str(path))}: {escape(message)}")  # a message may name zhibiao[ray]
    if len(summary.errors) > _SHOWN_ERRORS:
        err.print(f"... and {len(summary.errors) - _SHOWN_ERRORS} more"
                  + (f" (all in the runs table, run {summary.run_id})" if url else ""))
    where = escape(" and ".join(x for x in (url and describe(url), out and f"Parquet under {out}") if x))
    stopped = f"[yellow]{'stopped early' if ray else 'interrupted'}[/yellow]: run again to finish. "
    err.print(f"{stopped if summary.interrupted else ''}{summary.ok} stored, {summary.skipped} unchanged, "
              + (f"{summary.elsewhere} left to another ingest running now, " if summary.elsewhere else "")
              + f"{summary.failed} failed; {summary.facts:,} facts in {summary.duration:.1f}s → {where}")
    raise typer.Exit(summary.exit_code)


@fails_cleanly
def facts(
    db: Db = None, doc: Doc = None, indicator: Indicator = None, region: Region = None, period: Period = None,
    measure: Measure = None, fmt: FactFormat = Format.table,
    limit: Annotated[int | None, typer.Option(min=0, help="At most this many facts.")] = None,
) -> None:
    """The stored facts that match every filter given, in document and text order, with their row ids, whether the
    checks derived them, and their reviews."""
    from itertools import groupby

    from zhibiao.cli.output import FactWriter
    from zhibiao.store import FactFilter, open_engine
    from zhibiao.store.query import STORED_FIELDS, iter_stored_facts

    where = FactFilter(doc=doc, indicator=indicator, region=region, period=period, measure=measure, limit=limit)
    engine = open_engine(existing_db(db))
    try:
        writer, n = FactWriter(fmt, STORED_FIELDS), 0
        for (_, name), rows in groupby(iter_stored_facts(engine, where), key=lambda r: (r["doc_id"], r["doc"])):
            found = list(rows)
            writer.write(found, f"zhibiao facts of {name}: {len(found)}")
            n += len(found)
    finally:
        engine.dispose()
    if fmt is Format.table and not n:
        err.print("no stored fact matches")


@fails_cleanly
def export(
    out: Annotated[str, typer.Option("--out", "-o", help="The file to write.")],
    fmt: OutFormat = None,
    panel: Annotated[bool, typer.Option("--panel", help="The panel (as `zhibiao panel`) instead of one row per "
                                                        "fact.")] = False,
    layout: PanelLayout = Layout.long,
    db: Db = None, doc: Doc = None, indicator: Indicator = None, region: Region = None, period: Period = None,
    measure: Measure = None,
) -> None:
    """A tidy table of the stored facts, one row per fact with its document, article title and sentence; with
    --panel, one row per indicator, region, period and measure."""
    from zhibiao.cli.panel import write_panel
    from zhibiao.export import export_facts, format_for
    from zhibiao.store import FactFilter, open_engine

    if panel:
        write_panel(out, fmt, layout, db, doc=doc, indicator=indicator, region=region, period=period,
                    measure=measure)
        return
    chosen = format_for(out, fmt)
    engine = open_engine(existing_db(db))
    try:
        n = export_facts(engine, chosen, out, FactFilter(doc=doc, indicator=indicator, region=region,
                                                         period=period, measure=measure))
    finally:
        engine.dispose()
    err.print(f"{n:,} facts → {out}")


@fails_cleanly
def delete(
    documents: Annotated[list[str], typer.Argument(help="Documents to delete: a row id, a path or a file name.",
                                                   show_default=False)],
    db: Db = None,
    check: Annotated[bool, typer.Option("--check/--no-check", help="Check the store again afterwards, so that no "
                                                                   "finding names a deleted report.")] = True,
) -> None:
    """Delete stored documents with their facts. Reviews of their facts are kept: ingesting the same file again
    brings them back."""
    from zhibiao.store import open_engine
    from zhibiao.store.delete import delete_documents

    engine = open_engine(existing_db(db))
    try:
        for doc_id, path in delete_documents(engine, documents):
            err.print(f"deleted document {doc_id}: {escape(path)}")
        if check:
            from zhibiao.checks import check as run_checks
            from zhibiao.store.findings import load_facts, save_findings

            stored = load_facts(engine)
            findings, derived = run_checks(stored.facts)
            save_findings(engine, findings, derived, stored)
            err.print(f"checked again: {len(findings):,} findings")
    finally:
        engine.dispose()
