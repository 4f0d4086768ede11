"""Publishing: feed items (one per published occurrence, with its SEQUENCE history) and the chat message queue.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table("feed_items", *_record_columns(),
                    sa.Column("school_id", sa.Text(), nullable=False),
                    sa.Column("occurrence_date", sa.Text(), nullable=True),
                    sa.Column("status", sa.Text(), nullable=True))
    for column in ("school_id", "occurrence_date", "status"):
        op.create_index(f"ix_feed_items_{column}", "feed_items", [column])
    op.create_table("messages", *_record_columns(),
                    sa.Column("school_id", sa.Text(), nullable=False),
                    sa.Column("chat", sa.Text(), nullable=True),
                    sa.Column("status", sa.Text(), nullable=True),
                    sa.Column("due_at", sa.Text(), nullable=True))
    for column in ("school_id", "chat", "status", "due_at"):
        op.create_index(f"ix_messages_{column}", "messages", [column])


def downgrade() -> None:
    op.drop_table("messages")
    op.drop_table("feed_items")
