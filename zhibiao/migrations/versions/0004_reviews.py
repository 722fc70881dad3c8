"""The reviews of facts by people: confirmed, corrected or marked wrong, with time and author.

A review is keyed by the fact's document path, span and text (and its value as extracted), not by the fact's
row id, so that it survives re-ingest: store/reviews.py re-attaches it to the new row and re-applies it.

Revision ID: 0004
Revises: 0003
Create Date: 2025-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("doc_path", sa.Text(), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("key_value", sa.String(64), nullable=False),
        sa.Column("fact_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("latest", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_index("ix_reviews_key", "reviews", ["doc_path", "start", "end"])
    op.create_index("ix_reviews_fact", "reviews", ["fact_id", "latest"])


def downgrade() -> None:
    op.drop_index("ix_reviews_fact", "reviews")
    op.drop_index("ix_reviews_key", "reviews")
    op.drop_table("reviews")
