"""The `zhibiao` command line: extract facts from reports (and, with the store, ingest, check, export, serve)."""

from __future__ import annotations

import csv
import importlib
import importlib.util
import json
import sys
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .errors import ZhibiaoError
from .model import FACT_FIELDS, Fact
from .pipeline import extract_document
from .read import iter_paths, read_path, read_text

app = typer.Typer(help="zhibiao (指标): every figure of a Chinese statistical report as a fact you can check.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # one error, one line, however long


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zhibiao {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False) -> None:
    """zhibiao (指标): every figure of a Chinese statistical report as a fact you can check."""


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2024-05-07") from None


def _row(f: Fact) -> dict:
    d = f.to_dict()
    return {k: d[k] for k in FACT_FIELDS}


def _read_stdin(published: date | None):
    data = sys.stdin.buffer.read()
    from .read import decode
    text, encoding = decode(data, "<stdin>")
    doc = read_text(text, name="<stdin>")
    doc.encoding = encoding
    if published is not None:
        doc.published, doc.published_how = published, "given"
    return doc


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Report files, folders (read recursively) or - for stdin.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table for people; jsonl or csv for programs.")]
    = Format.table,
    region: Annotated[str | None, typer.Option(help="The region a report is about when it never says (平鲁区).")]
    = None,
    published: Annotated[str | None, typer.Option(help="Publication date (2024-05-07) when the report "
                                                        "does not print one.")] = None,
) -> None:
    """Every quantity in the reports, with what it measures, tied to its characters in the source."""
    when = _parse_date(published)
    out = sys.stdout
    writer = None
    if fmt is Format.csv:
        writer = csv.DictWriter(out, fieldnames=list(FACT_FIELDS), lineterminator="\n")
        writer.writeheader()
    failed = 0
    console = Console()
    for doc in _documents(paths, when):
        if isinstance(doc, ZhibiaoError):
            err.print(f"[red]error[/red]: {escape(str(doc))}")
            failed += 1
            continue
        try:
            facts = extract_document(doc, region=region)
        except ZhibiaoError as e:
            err.print(f"[red]error[/red]: {escape(doc.name)}: {escape(str(e))}")
            failed += 1
            continue
        if fmt is Format.table:
            console.print(_table(doc, facts))
            continue
        for f in facts:
            if writer is not None:
                row = _row(f)
                row["duplicate_of"] = json.dumps(row["duplicate_of"]) if row["duplicate_of"] else ""
                writer.writerow(row)
            else:
                out.write(json.dumps(_row(f), ensure_ascii=False) + "\n")
    if failed:
        err.print(f"{failed} file(s) could not be read")
        raise typer.Exit(1)


def _table(doc, facts: list[Fact]) -> Table:
    """One table per report: each figure with its reading, and under it the words around it."""
    when = f", published {doc.published} ({doc.published_how})" if doc.published else ""
    table = Table(title=f"zhibiao facts of {escape(doc.name)}: {len(facts)}{when}", show_lines=True,
                  title_justify="left")
    for name in ("figure", "value", "measure", "indicator", "region", "period", "conf"):
        table.add_column(name, overflow="fold")
    for f in facts:
        context = _excerpt(f.sentence or "", f.text)
        table.add_row(f"[bold]{escape(f.text)}[/bold]\n[dim]{escape(context)}[/dim]",
                      f"{_number(f.value)} {f.unit}", f.measure,
                      escape(f.indicator or "") + ("" if f.indicator_standard or not f.indicator else " [dim]*[/dim]"),
                      escape(f.region or ""), f.period or "", f"{f.confidence:.1f}")
    if any(f.indicator and not f.indicator_standard for f in facts):
        table.caption = "* not a catalogue indicator: the words of the text"
    return table


def _number(value) -> str:
    """364.6亿元 is 36,460,000,000: grouped digits read better than 3.646e+10."""
    v = float(value)
    return f"{v:,.0f}" if abs(v) >= 10000 and v == int(v) else f"{v:,.4g}" if abs(v) >= 10000 else f"{v:g}"


def _excerpt(sentence: str, figure: str, width: int = 8) -> str:
    i = sentence.find(figure)
    if i < 0:
        return sentence[:2 * width]
    lo, hi = max(0, i - width), min(len(sentence), i + len(figure) + width)
    return ("…" if lo else "") + sentence[lo:hi] + ("…" if hi < len(sentence) else "")


def _documents(paths: list[str], published: date | None):
    """Documents in order; a file that cannot be read yields its error instead, so the others go on."""
    for given in paths:
        if given == "-":
            try:
                yield _read_stdin(published)
            except ZhibiaoError as e:
                yield e
            continue
        for path in iter_paths([given]):
            try:
                yield read_path(path, published=published)
            except ZhibiaoError as e:
                yield e


# Commands beyond extract live in their own modules, each with a register(app): the store (ingest,
# facts, export), the checks and the web app. A module not installed is simply not offered.
_EXTENSIONS = ("cli_store", "cli_check", "cli_serve", "cli_ray")


def _register_extensions() -> None:
    for name in _EXTENSIONS:
        if importlib.util.find_spec(f"{__package__}.{name}") is not None:
            importlib.import_module(f"{__package__}.{name}").register(app)


_register_extensions()

if __name__ == "__main__":  # pragma: no cover
    app()
