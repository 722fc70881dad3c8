"""Id marks: the largest id each table has handed out, so that SQLite never hands a deleted row's id to a new one.

A link to a report or a figure (/documents/7, /documents/7#f123, /facts/123) must never land on another report or
figure (issue 18). PostgreSQL's sequences never give an id twice; SQLite gives max(id) + 1, so that the id of the
last row deleted (a report deleted, a figure gone after a re-extract) came back. zhibiao.store.marks keeps here the
largest id deleted from each table, and new rows on SQLite are numbered above it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "id_marks",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("last_id", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("id_marks")
