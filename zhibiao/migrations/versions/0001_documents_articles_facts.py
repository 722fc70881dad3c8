"""The documents, their articles and their facts.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("extractor_version", sa.String(64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_how", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16), nullable=True),
        sa.Column("encoding", sa.String(32), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("n_facts", sa.Integer(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("path", name="uq_documents_path"),
    )
    op.create_index("ix_documents_name", "documents", ["name"])
    op.create_index("ix_documents_hash", "documents", ["content_hash"])
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("doc_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
    )
    op.create_index("ix_articles_doc", "articles", ["doc_id"])
    op.create_table(
        "facts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("doc_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="SET NULL"), nullable=True),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("value_text", sa.String(64), nullable=False),
        sa.Column("value_high", sa.Double(), nullable=True),
        sa.Column("value_high_text", sa.String(64), nullable=True),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("measure", sa.String(16), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=True),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("entity", sa.Text(), nullable=True),
        sa.Column("period", sa.String(32), nullable=True),
        sa.Column("period_start", sa.String(10), nullable=True),
        sa.Column("period_end", sa.String(10), nullable=True),
        sa.Column("polarity", sa.String(1), nullable=True),
        sa.Column("unit_text", sa.Text(), nullable=False),
        sa.Column("indicator_standard", sa.Boolean(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=True),
        sa.Column("article", sa.Text(), nullable=True),
        sa.Column("duplicate_of_start", sa.Integer(), nullable=True),
        sa.Column("duplicate_of_end", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("extractor_version", sa.String(64), nullable=False),
        # room for the checks (0003_findings): facts they infer are stored as rows marked derived
        sa.Column("derived", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("source", sa.JSON(), nullable=True),
    )
    op.create_index("ix_facts_doc", "facts", ["doc_id"])


def downgrade() -> None:
    op.drop_table("facts")
    op.drop_table("articles")
    op.drop_table("documents")
