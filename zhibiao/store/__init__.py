"""The store: zhibiao's facts in SQLite or PostgreSQL (schema, engine and migrations, writing, queries)."""

from zhibiao.store.engine import open_engine, upgrade
from zhibiao.store.query import (
    EXPORT_COLUMNS,
    FactFilter,
    count_facts,
    iter_export_rows,
    iter_facts,
    list_documents,
)
from zhibiao.store.url import resolve_url
from zhibiao.store.write import DocumentRecord, save_document

__all__ = ["EXPORT_COLUMNS", "DocumentRecord", "FactFilter", "count_facts", "iter_export_rows", "iter_facts",
           "list_documents", "open_engine", "resolve_url", "save_document", "upgrade"]
