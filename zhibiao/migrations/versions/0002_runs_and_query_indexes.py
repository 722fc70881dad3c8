"""The runs of ingest, and the indexes that `zhibiao facts` filters by.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("paths", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("extractor_version", sa.String(64), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("n_ok", sa.Integer(), nullable=False),
        sa.Column("n_skipped", sa.Integer(), nullable=False),
        sa.Column("n_failed", sa.Integer(), nullable=False),
        sa.Column("n_facts", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("duration", sa.Double(), nullable=True),
    )
    op.create_index("ix_facts_indicator", "facts", ["indicator"])
    op.create_index("ix_facts_region", "facts", ["region"])
    op.create_index("ix_facts_period", "facts", ["period_start", "period_end"])
    op.create_index("ix_facts_measure", "facts", ["measure"])


def downgrade() -> None:
    op.drop_index("ix_facts_measure", "facts")
    op.drop_index("ix_facts_period", "facts")
    op.drop_index("ix_facts_region", "facts")
    op.drop_index("ix_facts_indicator", "facts")
    op.drop_table("runs")
