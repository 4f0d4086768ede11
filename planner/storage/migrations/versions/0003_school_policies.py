"""School policies: each school's local act values (a policy TOML), one row per uploaded version with who, when
and why, so the history stays.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("school_policies",
                    sa.Column("id", sa.Text(), primary_key=True),
                    sa.Column("version", sa.Integer(), nullable=False),
                    sa.Column("payload", sa.Text(), nullable=False),
                    sa.Column("created_at", sa.Text(), nullable=False),
                    sa.Column("updated_at", sa.Text(), nullable=False),
                    sa.Column("school_id", sa.Text(), nullable=False),
                    sa.Column("created_by", sa.Text(), nullable=False),
                    sa.Column("reason", sa.Text(), nullable=True))
    for column in ("school_id", "created_by"):
        op.create_index(f"ix_school_policies_{column}", "school_policies", [column])


def downgrade() -> None:
    op.drop_table("school_policies")
