"""The words around a reviewed figure, so that its review finds the figure again when the report's text changes.

A review was found again by its span and text only: a sentence added above the figure moved it, and the review
was lost without a word. With the characters before and after it, store/reviews.py finds the figure wherever
it moved; a review made before this revision has no context and is found by its span as before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("context_before", sa.Text(), nullable=True))
        batch.add_column(sa.Column("context_after", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("context_after")
        batch.drop_column("context_before")
