"""Deleting a stored document: its facts, articles and row; its reviews are kept (by path) for when it comes back."""

from __future__ import annotations

from sqlalchemy import Engine, or_, select, update

from zhibiao.errors import ZhibiaoError
from zhibiao.store.reviews import has_reviews_table
from zhibiao.store.schema import DocumentRow, ReviewRow
from zhibiao.store.write import _forget

_documents = DocumentRow.__table__


def find_documents(engine: Engine, which: str) -> list[tuple[int, str]]:
    """(id, path) of the documents `which` names: a row id, a path, or a file name (maybe several)."""
    d = _documents.c
    given = which.strip()
    conds = [d.path == given, d.name == given]
    if given.isdigit():
        conds.append(d.id == int(given))
    with engine.connect() as conn:
        return [(r.id, r.path) for r in conn.execute(select(d.id, d.path).where(or_(*conds)).order_by(d.id))]


def delete_documents(engine: Engine, names: list[str]) -> list[tuple[int, str]]:
    """Delete the documents `names` name, each exactly one, in one transaction; return their (id, path). Raises
    ZhibiaoError, deleting nothing, when a name names none, or several (two reports of one file name in
    different folders: give the path or the id)."""
    chosen: dict[int, str] = {}
    for which in names:
        found = find_documents(engine, which)
        if not found:
            raise ZhibiaoError(f"no stored document {which!r} (give its id, path or file name)")
        if len(found) > 1:
            listed = ", ".join(f"{i} ({p})" for i, p in found)
            raise ZhibiaoError(f"{which!r} names {len(found)} documents: {listed}; give the id or the path")
        chosen.update(found)
    with engine.begin() as conn:
        for path in chosen.values():
            _forget(conn, path)
            if has_reviews_table(conn):  # its reviews now wait, unattached, for the report to come back
                conn.execute(update(ReviewRow.__table__).where(ReviewRow.__table__.c.doc_path == path)
                             .values(fact_id=None))
    return list(chosen.items())
