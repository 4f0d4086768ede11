"""The current tables as SQLAlchemy Core objects, used by the Store for its queries.

This mirrors what the migrations build (tests compare the two); migrations never import it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, Text

metadata = MetaData()


def _record_table(name: str, *columns: Column[Any]) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Text, primary_key=True),
        Column("version", Integer, nullable=False),
        Column("payload", Text, nullable=False),
        Column("created_at", Text, nullable=False),
        Column("updated_at", Text, nullable=False),
        *columns,
    )


schools = _record_table(
    "schools",
    Column("name", Text, nullable=False, index=True),
    Column("fingerprint", Text, index=True),
)
scenarios = _record_table(
    "scenarios",
    Column("school_id", Text, ForeignKey("schools.id"), nullable=False, index=True),
    Column("name", Text, index=True),
)
plans = _record_table(
    "plans",
    Column("school_id", Text, nullable=False, index=True),
    Column("scenario_id", Text, index=True),
    Column("status", Text, index=True),
)
publications = _record_table(
    "publications",
    Column("school_id", Text, nullable=False, index=True),
    Column("plan_id", Text, index=True),
)
tokens = _record_table(
    "tokens",
    Column("school_id", Text, nullable=False, index=True),
    Column("kind", Text, nullable=False, index=True),
    Column("subject_id", Text, index=True),
    Column("token_hash", Text, nullable=False, index=True, unique=True),
    Column("revoked_at", Text),
)

feed_items = _record_table(
    "feed_items",
    Column("school_id", Text, nullable=False, index=True),
    Column("occurrence_date", Text, index=True),
    Column("status", Text, index=True),
)
messages = _record_table(
    "messages",
    Column("school_id", Text, nullable=False, index=True),
    Column("chat", Text, index=True),
    Column("status", Text, index=True),
    Column("due_at", Text, index=True),
)
school_policies = _record_table(  # one row per uploaded version of a school's policy (its history)
    "school_policies",
    Column("school_id", Text, nullable=False, index=True),
    Column("created_by", Text, nullable=False, index=True),
    Column("reason", Text),
)

# Record kind (singular, as in error messages) -> table.
TABLES: dict[str, Table] = {
    "school": schools,
    "scenario": scenarios,
    "plan": plans,
    "publication": publications,
    "token": tokens,
    "feed_item": feed_items,
    "message": messages,
    "school_policy": school_policies,
}

RECORD_COLUMNS = ("id", "version", "payload", "created_at", "updated_at")


def extra_columns(table: Table) -> tuple[str, ...]:
    """The indexed per-table columns a caller may set and filter on."""
    return tuple(c.name for c in table.columns if c.name not in RECORD_COLUMNS)
