"""The progress display of the local engine's ingest (Rich), imported only when a run shows one."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

__all__ = ["progress_display"]


class _RateColumn(ProgressColumn):
    """Files per second over the whole run (Rich's own speed column averages a short window)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.1f} files/s", style="progress.data.speed")


class _ErrorsColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        n = task.fields.get("errors", 0)
        return Text(f"{n} errors", style="bold red" if n else "dim")


def progress_display(console: Console | None) -> Progress:
    """The progress bar of an ingest: files, facts, files a second, errors, time."""
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
        TextColumn("{task.fields[facts]:,} facts"), _RateColumn(), _ErrorsColumn(), TimeElapsedColumn(),
        console=console or Console(stderr=True), transient=False,
    )
