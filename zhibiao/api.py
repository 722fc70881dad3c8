"""zhibiao.open(db_url): the stored facts from Python, as dataclasses or as a pandas DataFrame.

    >>> import zhibiao
    >>> with zhibiao.open("zhibiao.db") as db:                       # doctest: +SKIP
    ...     for fact in db.facts(indicator="GDP", region="平鲁", period="2023"):
    ...         print(fact.text, fact.value, fact.unit)
    ...     frame = db.dataframe(measure="growth")
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhibiao.errors import ZhibiaoError
from zhibiao.model import Fact
from zhibiao.store.engine import open_engine
from zhibiao.store.query import (
    EXPORT_COLUMNS,
    EXPORT_TYPES,
    FactFilter,
    count_facts,
    iter_export_rows,
    iter_facts,
    list_documents,
)
from zhibiao.store.url import describe, resolve_url

if TYPE_CHECKING:
    import pandas

__all__ = ["Store", "open"]


class Store:
    """An open zhibiao database. Filters are those of `zhibiao facts`: doc, indicator, region, period, measure.

    Attributes:
        url: the SQLAlchemy URL, without its password.
        engine: the SQLAlchemy engine, for queries of your own.
    """

    def __init__(self, db: str | os.PathLike[str] | None = None):
        url = resolve_url(db)
        self.url = describe(url)
        self.engine = open_engine(url)

    def facts(self, *, doc: str | None = None, indicator: str | None = None, region: str | None = None,
              period: str | None = None, measure: str | None = None, limit: int | None = None) -> list[Fact]:
        """The matching facts as zhibiao.model.Fact, in document and text order."""
        return list(self.iter_facts(doc=doc, indicator=indicator, region=region, period=period, measure=measure,
                                    limit=limit))

    def iter_facts(self, **where: Any) -> Iterator[Fact]:
        """Like facts(), streamed: for more facts than fit in memory."""
        return iter_facts(self.engine, FactFilter(**where))

    def count(self, **where: Any) -> int:
        """How many facts match."""
        return count_facts(self.engine, FactFilter(**where))

    def rows(self, **where: Any) -> Iterator[dict[str, Any]]:
        """The tidy export rows (one dict per fact, with its document, article and sentence), streamed."""
        return iter_export_rows(self.engine, FactFilter(**where))

    def dataframe(self, **where: Any) -> pandas.DataFrame:
        """The tidy export rows as a pandas DataFrame (pip install 'zhibiao[pandas]')."""
        try:
            import pandas
        except ImportError:
            raise ZhibiaoError("Store.dataframe needs pandas: pip install 'zhibiao[pandas]'") from None
        frame = pandas.DataFrame.from_records(list(self.rows(**where)), columns=list(EXPORT_COLUMNS))
        for c, kind in EXPORT_TYPES.items():
            if kind in ("int", "bool"):  # pandas' nullable types: a missing value stays missing
                frame[c] = frame[c].astype("Int64" if kind == "int" else "boolean")
            elif kind == "date":
                frame[c] = pandas.to_datetime(frame[c]).dt.date
        return frame

    def documents(self) -> list[dict[str, Any]]:
        """Every stored document (without its text): name, path, title, status, error, n_facts ..."""
        return list_documents(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"zhibiao.Store({self.url!r})"


def open(db: str | os.PathLike[str] | Path | None = None) -> Store:  # noqa: A001 - the name the issue asks for
    """Open (creating or upgrading) the zhibiao database `db`: a SQLite path, a sqlite:// or postgresql:// URL.

    Without `db`: ZHIBIAO_DB, else zhibiao.db in the working folder.
    """
    return Store(db)
