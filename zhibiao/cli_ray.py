"""`zhibiao ingest-ray`: ingest on a Ray cluster (zhibiao.cluster), added to `zhibiao` by cli.py."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from zhibiao.errors import ZhibiaoError

err = Console(stderr=True, highlight=False, soft_wrap=True)


Address = Annotated[str | None, typer.Option(
    "--address", help="The Ray cluster: auto (the one this machine belongs to) or ray://HOST:10001 "
                      "[default: a new local Ray on this machine].", show_default=False)]
Out = Annotated[str | None, typer.Option(
    "--out", "-o", help="Also (or, without --db, only) write Parquet here: documents/ and facts/ part files.",
    show_default=False)]
Cpus = Annotated[int | None, typer.Option("--cpus", min=1, help="CPUs of the local Ray [default: all cores].",
                                          show_default=False)]
Writers = Annotated[int, typer.Option("--writers", min=1, help="Database writers (1 for SQLite; more for "
                                                               "PostgreSQL).")]
Paths = Annotated[list[str], typer.Argument(
    help="Report files and folders (read recursively), and tables of documents: .parquet or .jsonl with id, "
         "text, published?, region?.")]
Db = Annotated[str | None, typer.Option(
    "--db", help="Database: a SQLite file or a postgresql:// URL [default: $ZHIBIAO_DB, else zhibiao.db, "
                 "unless only --out is given].", show_default=False)]


def ingest_ray(
    paths: Paths,
    db: Db = None,
    out: Out = None,
    address: Address = None,
    cpus: Cpus = None,
    writers: Writers = 1,
    region: Annotated[str | None, typer.Option(help="The region the reports are about when they never say.")]
    = None,
    published: Annotated[str | None, typer.Option(help="Publication date (2024-05-07) for reports that print "
                                                        "none.")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show Ray Data's progress bars.")]
    = True,
) -> None:
    """Ingest on Ray: the same facts as `zhibiao ingest`, extracted on the cluster's workers.

    Needs the extra: pip install 'zhibiao[ray]'. Exit code 0 when every document went in, 1 when some failed,
    130 when the run stopped early (run the same command again: what was stored is skipped).
    """
    run_ray(paths, db=db, out=out, address=address, cpus=cpus, writers=writers, region=region,
            published=published, progress=progress, command="zhibiao ingest-ray " + " ".join(paths))


def run_ray(paths: list[str], *, db: str | None, out: str | None, address: str | None,
            cpus: int | None = None, writers: int = 1, region: str | None = None,
            published: str | date | None = None, progress: bool = True, command: str | None = None) -> None:
    """Run zhibiao.cluster.ingest_ray, print what it did, exit with its code (`ingest --engine ray` too)."""
    from zhibiao.cluster import ingest_ray as run
    from zhibiao.store.url import describe, resolve_url

    try:
        when = date.fromisoformat(published) if isinstance(published, str) else published
    except ValueError:
        raise typer.BadParameter(f"{published!r} is not a date like 2024-05-07",
                                 param_hint="--published") from None
    try:
        url = resolve_url(db) if db is not None or out is None else None
        summary = run(paths, url, out=out, address=address, num_cpus=cpus, writers=writers, region=region,
                      published=when, progress=progress and err.is_terminal, command=command)
    except ZhibiaoError as e:
        err.print(f"[red]error[/red]: {e}")
        raise typer.Exit(1) from None
    from zhibiao.cli_store import print_summary

    where = " and ".join(x for x in (url and describe(url), out and f"Parquet under {out}") if x)
    print_summary(summary, where, in_runs_table=bool(url), stopped="stopped early")
    raise typer.Exit(summary.exit_code)


def register(app: typer.Typer) -> None:
    """Add ingest-ray to the `zhibiao` command."""
    app.command("ingest-ray")(ingest_ray)
