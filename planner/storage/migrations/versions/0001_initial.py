"""Initial tables: schools, scenarios, plans, publications, tokens.

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column[Any]]:
    """The columns every record table shares."""
    return [
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
    ]


def _indexes(table: str, *columns: str, unique: tuple[str, ...] = ()) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=column in unique)


def upgrade() -> None:
    op.create_table("schools", *_record_columns(), sa.Column("name", sa.Text(), nullable=False),
                    sa.Column("fingerprint", sa.Text(), nullable=True))
    _indexes("schools", "name", "fingerprint")

    op.create_table(
        "scenarios", *_record_columns(),
        sa.Column("school_id", sa.Text(), sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
    )
    _indexes("scenarios", "school_id", "name")

    op.create_table(
        "plans", *_record_columns(),
        sa.Column("school_id", sa.Text(), nullable=False),
        sa.Column("scenario_id", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
    )
    _indexes("plans", "school_id", "scenario_id", "status")

    op.create_table(
        "publications", *_record_columns(),
        sa.Column("school_id", sa.Text(), nullable=False),
        sa.Column("plan_id", sa.Text(), nullable=True),
    )
    _indexes("publications", "school_id", "plan_id")

    op.create_table(
        "tokens", *_record_columns(),
        sa.Column("school_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.Text(), nullable=True),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.Text(), nullable=True),
    )
    _indexes("tokens", "school_id", "kind", "subject_id", "token_hash", unique=("token_hash",))


def downgrade() -> None:
    for table in ("tokens", "publications", "plans", "scenarios", "schools"):
        op.drop_table(table)
