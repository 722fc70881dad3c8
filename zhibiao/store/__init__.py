"""The store: zhibiao's facts in SQLite or PostgreSQL (schema, engine and migrations, writing, queries).

Its names are imported when first used: an ingest worker that only builds rows (zhibiao.store.rows) loads
neither SQLAlchemy's engine nor Alembic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhibiao.store.engine import open_engine, upgrade
    from zhibiao.store.query import (
        EXPORT_COLUMNS,
        FactFilter,
        count_facts,
        iter_export_rows,
        iter_facts,
        list_documents,
    )
    from zhibiao.store.rows import DocumentRecord
    from zhibiao.store.url import resolve_url
    from zhibiao.store.write import save_document

_HOME = {"open_engine": "engine", "upgrade": "engine", "EXPORT_COLUMNS": "query", "FactFilter": "query",
         "count_facts": "query", "iter_export_rows": "query", "iter_facts": "query", "list_documents": "query",
         "resolve_url": "url", "DocumentRecord": "rows", "save_document": "write"}

__all__ = ["EXPORT_COLUMNS", "DocumentRecord", "FactFilter", "count_facts", "iter_export_rows", "iter_facts",
           "list_documents", "open_engine", "resolve_url", "save_document", "upgrade"]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'zhibiao.store' has no attribute {name!r}")
    return getattr(importlib.import_module(f"zhibiao.store.{home}"), name)
