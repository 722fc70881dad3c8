"""Alembic's environment: runs the revisions on the connection zhibiao.store.engine hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from zhibiao.store.schema import Base

config = context.config


def _run(connection) -> None:
    # SQLite cannot ALTER most things in place: batch mode copies the table, the way Alembic recommends
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("zhibiao migrations run online only: use zhibiao.store.engine.upgrade()")

connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # the alembic command line, for developers writing a new revision: -x url=sqlite:///dev.db
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(url).connect() as conn:
        _run(conn)
