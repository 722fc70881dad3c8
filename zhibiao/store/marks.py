"""Ids never handed out twice (issue 18), on SQLite too: the largest id deleted from each table is kept (id_marks,
migration 0007) and new rows are numbered above it. PostgreSQL's sequences never give an id twice, so there
nothing is kept and rows take their ids from the sequence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, func, insert, inspect, select, update

from zhibiao.store.schema import IdMarkRow

_marks = IdMarkRow.__table__


def _sqlite(conn: Connection) -> bool:
    """SQLite with the id_marks table (a database older than migration 0007, being written before its upgrade,
    has none: then it numbers as it always did)."""
    if conn.dialect.name != "sqlite":
        return False
    if conn.info.get("zhibiao_id_marks"):  # once there, the table stays; until then, asked each time
        return True
    known = conn.info["zhibiao_id_marks"] = inspect(conn).has_table("id_marks")
    return known


def mark(conn: Connection, table: Table) -> int:
    """The largest id ever deleted from `table` (0 when none, or on PostgreSQL)."""
    if not _sqlite(conn):
        return 0
    return conn.execute(select(_marks.c.last_id).where(_marks.c.name == table.name)).scalar() or 0


def retire(conn: Connection, table: Table, ids: Iterable[int]) -> None:
    """Remember that the rows `ids` of `table` are deleted (before or after deleting them, in one transaction)."""
    top = max(ids, default=0)
    if not _sqlite(conn) or top <= 0:
        return
    now = mark(conn, table)
    if top <= now:
        return
    if conn.execute(select(_marks.c.name).where(_marks.c.name == table.name)).first() is None:
        conn.execute(insert(_marks).values(name=table.name, last_id=top))
    else:
        conn.execute(update(_marks).where(_marks.c.name == table.name).values(last_id=top))


def number(conn: Connection, table: Table, rows: list[dict[str, Any]], floor: int = 0) -> None:
    """Give each row without an id one no row of `table` ever had: on SQLite above its largest id, its mark and
    `floor`; on PostgreSQL from its sequence."""
    fresh = [r for r in rows if "id" not in r]
    if not fresh:
        return
    if _sqlite(conn):
        first = max(conn.execute(select(func.max(table.c.id))).scalar() or 0, mark(conn, table), floor) + 1
        ids = list(range(first, first + len(fresh)))
    else:
        seq = func.pg_get_serial_sequence(table.name, "id")
        ids = list(conn.execute(select(func.nextval(seq)).select_from(func.generate_series(1, len(fresh))))
                   .scalars())
    for r, i in zip(fresh, ids, strict=True):
        r["id"] = i


def needs_numbering(conn: Connection, *tables: Table) -> tuple[bool, ...]:
    """For each of `tables`, whether new rows must be numbered here: on SQLite, when an id above its largest was
    deleted. One statement for them all, given to the driver: asked for every document an ingest writes, four
    Core statements (a mark and a max per table) cost the writer more than inserting the document's rows."""
    if not _sqlite(conn):
        return tuple(False for _ in tables)
    quote = conn.dialect.identifier_preparer.quote
    # the names are our tables', never user input; max(id) of an INTEGER PRIMARY KEY reads one page
    tests = ", ".join(f"coalesce((SELECT last_id FROM id_marks WHERE name = '{t.name}'), 0) > "
                      f"coalesce((SELECT max(id) FROM {quote(t.name)}), 0)" for t in tables)
    return tuple(bool(v) for v in conn.exec_driver_sql(f"SELECT {tests}").one())
