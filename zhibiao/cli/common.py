"""What the commands share: the error console and decorator, the options they have in common."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from zhibiao.errors import ZhibiaoError

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one error, one line, however long

C = TypeVar("C", bound=Callable[..., Any])


def error(message: str) -> None:
    """One line on standard error: `error: message`."""
    err.print(f"[red]error[/red]: {escape(message)}")


def fails_cleanly(command: C) -> C:
    """A command whose ZhibiaoError ends it with that one line on standard error and exit code 1."""
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ZhibiaoError as e:
            error(str(e))
            raise typer.Exit(1) from None

    return run  # type: ignore[return-value]


def existing_db(db: str | None) -> str:
    """The URL of the database `db` names, which must exist: only `zhibiao ingest` makes one, so that a mistyped
    --db is an error, not a new empty database. (A PostgreSQL database is made by its server: not checked.)"""
    from sqlalchemy.engine import make_url

    from zhibiao.store.url import resolve_url

    url = resolve_url(db)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:" and not Path(path).is_file():
            raise ZhibiaoError(f"no database at {path}: `zhibiao ingest --db {path} REPORTS...` makes one")
    return url


def parse_period(value: str) -> str:
    """A period as the fact format writes it (2023, 2023-H1, 2024-01/2024-10), or as a report does (2023年,
    2023年上半年, 2024年1-10月, 2024年一季度): the same reader as the fact stage's."""
    from zhibiao.period_bounds import period_bounds
    from zhibiao.periods import find_periods

    given = value.strip()
    if period_bounds(given) is not None:
        return given
    found = find_periods(given)
    # one time expression that is the whole value (份 of 5月份 may be left outside it)
    if len(found) == 1 and found[0].period and len(found[0].text) >= len(given.rstrip("份")):
        return found[0].period
    raise typer.BadParameter(f"{value!r} is not a period: write 2023 or 2023年, 2023-H1 or 2023年上半年, 2024-Q1, "
                             "2024-05, 2024-01/2024-10 or 2024年1-10月")


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2024-05-07") from None


class Format(StrEnum):
    """How facts are printed: a table for people, JSON Lines or CSV (every field) for programs."""

    table = "table"
    jsonl = "jsonl"
    csv = "csv"


Db = Annotated[str | None, typer.Option(
    "--db", help="Database: a SQLite file or a postgresql:// URL [default: $ZHIBIAO_DB, else zhibiao.db].",
    show_default=False)]
RegionHint = Annotated[str | None, typer.Option(
    "--region", help="The region the reports are about when they never say (平鲁区).", show_default=False)]
Published = Annotated[date | None, typer.Option(
    "--published", parser=parse_date, metavar="YYYY-MM-DD",
    help="Publication date (2024-05-07) for reports that print none.", show_default=False)]
Progress = Annotated[bool, typer.Option("--progress/--no-progress", help="Show the progress of the run.")]
FactFormat = Annotated[Format, typer.Option("--format", "-f", help="table for people; jsonl or csv for programs.")]

# the filters of `zhibiao facts` and `zhibiao export` (zhibiao.store.FactFilter)
Doc = Annotated[str | None, typer.Option("--doc", help="A document's file name or path.")]
Indicator = Annotated[str | None, typer.Option("--indicator", help="Standard name, alias or English name "
                                                                   "(GDP finds 地区生产总值).")]
Region = Annotated[str | None, typer.Option("--region", help="Full or short name (平鲁 finds 平鲁区).")]
Period = Annotated[str | None, typer.Option("--period", parser=parse_period, metavar="PERIOD",
                                            help="2023 (or 2023年) finds every period within 2023 (2023-H1, 2023-05 "
                                                 "...); also 2024-Q1, 2024-01/2024-10, 2023年上半年, 2024年1-10月.")]
Measure = Annotated[str | None, typer.Option("--measure", help="level, growth, change, share, pp_diff, rank, "
                                                               "target, completion, ratio or multiple.")]
