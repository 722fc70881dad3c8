"""`zhibiao check`: recompute what the stored reports imply, store the findings and derived facts, print them."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zhibiao.cli.common import Db, err, existing_db, fails_cleanly
from zhibiao.cli.output import table_width

PROBLEMS = ("conflict", "warning")  # what the table shows by default
_STATUS_STYLE = {"ok": "green", "rounding": "cyan", "conflict": "red", "warning": "yellow"}


class CheckFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


@fails_cleanly
def check(
    db: Db = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="table for people; jsonl for programs.")]
    = CheckFormat.table,
    lang: Annotated[str, typer.Option("--lang", help="Language of the messages in the table: zh or en.")] = "zh",
    status: Annotated[str | None, typer.Option("--status", help="Print only findings with this status "
                                                                "(ok, rounding, conflict, warning).")] = None,
    every: Annotated[bool, typer.Option("--all", help="The table shows every finding, not only the problems "
                                                      "(conflict, warning).")] = False,
) -> None:
    """Check the stored facts against each other: sums, rates, growth, implied figures, agreement, targets.

    The findings and the derived facts replace those of the previous check in the database. The table shows the
    problems (conflict, warning; --all: every finding), jsonl every finding; both --status. Exit code 0 whatever
    is found; 1 when the database cannot be read.
    """
    from zhibiao.checks import STATUSES
    from zhibiao.checks import check as run_checks
    from zhibiao.store import open_engine
    from zhibiao.store.findings import load_facts, save_findings
    from zhibiao.store.reviews import has_reviews_table, unattached_reviews

    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"{status!r} is not one of {', '.join(STATUSES)}")
    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang is zh or en")
    started = time.perf_counter()
    engine = open_engine(existing_db(db))
    try:
        with err.status("checking the stored facts…") if err.is_terminal else contextlib.nullcontext():
            stored = load_facts(engine)
            findings, derived = run_checks(stored.facts)
            save_findings(engine, findings, derived, stored)
        with engine.connect() as conn:
            reviewed = has_reviews_table(conn)
        waiting = unattached_reviews(engine) if reviewed else []
    finally:
        engine.dispose()
    problems = status is None and not every and fmt is CheckFormat.table
    shown = [f for f in findings if (f.status == status if status is not None else
                                     not problems or f.status in PROBLEMS)]
    if fmt is CheckFormat.jsonl:
        out = sys.stdout
        for f in shown:
            out.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
    else:
        table = Table(title="zhibiao check", show_lines=False)
        table.add_column("kind", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("message", overflow="fold", ratio=4)
        table.add_column("sources", overflow="fold", ratio=1)
        for f in shown:
            style = _STATUS_STYLE.get(f.status, "")
            table.add_row(f.kind, f"[{style}]{f.status}[/{style}]" if style else f.status,
                          escape(f.message_zh if lang == "zh" else f.message_en), escape(", ".join(f.docs)))
        if shown:
            Console(width=table_width(sys.stdout)).print(table)
        if problems and len(shown) < len(findings):
            err.print(f"{len(findings) - len(shown):,} findings without a problem not shown: --all shows them")
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.status] = counts.get(f.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "nothing to check"
    err.print(f"{len(stored.facts):,} facts → {len(findings):,} findings ({summary}), {len(derived):,} derived "
              f"facts, in {time.perf_counter() - started:.1f}s")
    if waiting:  # their figure changed or went when its report was extracted again: a person must look
        err.print(f"[yellow]{len(waiting)} review(s) need attention[/yellow]: their figure was not found again "
                  f"({escape(', '.join(sorted({r['doc'] for r in waiting})))}); see /reviews in zhibiao serve")

