"""Alembic migrations run in code: no alembic.ini, independent of the current directory.

To add a migration, put a file in planner/storage/migrations/versions/ (e.g. 0002_something.py) with
`revision = "0002"`, `down_revision = "0001"` and upgrade()/downgrade() using alembic's `op`, and mirror the
change in planner/storage/schema.py (a test checks that the two agree). On SQLite, alter tables with
`op.batch_alter_table(...)`; migrations run with foreign keys off and are checked afterwards.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from .db import WRITE_LOCK, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An alembic Config built in code, pointing at the package's migrations folder."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.set_main_option("path_separator", "os")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest revision among the package's migrations."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str) -> None:
    """Bring the database at url up to the head revision, in one transaction; a no-op when it is there."""
    engine = make_engine(url, foreign_keys=False)
    try:
        if current_revision(engine) == head_revision():
            return
        with engine.execution_options(**{WRITE_LOCK: True}).begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            if engine.dialect.name == "sqlite":
                broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken foreign keys: {broken}")
    finally:
        engine.dispose()
