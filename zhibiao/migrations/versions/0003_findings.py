"""The findings of `zhibiao check`, and the facts each one involves.

Derived facts (what the reports imply: a target from a completion, a region's growth from a pp difference)
go into the facts table with derived = true and their sources in `source`; that table has the columns since 0001.

Revision ID: 0003
Revises: 0002
Create Date: 2025-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message_zh", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("tolerance", sa.Double(), nullable=True),
        sa.Column("tolerance_text", sa.String(64), nullable=True),
        sa.Column("derived", sa.Double(), nullable=True),
        sa.Column("derived_text", sa.String(64), nullable=True),
        sa.Column("derived_unit", sa.String(16), nullable=True),
        sa.Column("indicator", sa.Text(), nullable=True),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("period", sa.String(32), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key", name="uq_findings_key"),
    )
    op.create_index("ix_findings_kind_status", "findings", ["kind", "status"])
    op.create_table(
        "finding_facts",
        sa.Column("finding_id", sa.Integer(), sa.ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("fact_id", sa.Integer(), sa.ForeignKey("facts.id", ondelete="SET NULL"), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("value_text", sa.String(64), nullable=False),
        sa.Column("derived", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_finding_facts_fact", "finding_facts", ["fact_id"])


def downgrade() -> None:
    op.drop_index("ix_finding_facts_fact", "finding_facts")
    op.drop_table("finding_facts")
    op.drop_index("ix_findings_kind_status", "findings")
    op.drop_table("findings")
