"""The `zhibiao` command line: a thin layer over the library, one module per group of commands.

    extract.py  extract: the facts of files, folders or standard input, without a database
    store.py    ingest (engines local and ray), facts, export, delete
    panel.py    panel: the stored facts merged, one row per indicator, region, period and measure
    check.py    check: the arithmetic of the stored reports
    serve.py    serve: the web app
    common.py   what they share: the error console and decorator, the options
    output.py   facts on standard output: a table, JSON Lines or CSV
"""

from __future__ import annotations

from typing import Annotated

import typer

from zhibiao import __version__
from zhibiao.cli import check, extract, panel, serve, store

app = typer.Typer(help="zhibiao (指标): every figure of a Chinese statistical report as a fact you can check.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None)  # help texts say [default: ...] and zhibiao[ray]: no markup in them


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zhibiao {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False) -> None:
    """zhibiao (指标): every figure of a Chinese statistical report as a fact you can check."""


for command in (extract.extract, store.ingest, store.facts, store.export, store.delete, panel.panel, check.check, serve.serve):
    app.command()(command)
