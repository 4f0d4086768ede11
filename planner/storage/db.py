"""Engine creation: the embedded SQLite file by default, any SQLAlchemy URL (e.g. PostgreSQL) on request."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from planner import settings

DB_FILE_NAME = "planner.sqlite3"
DB_URL_ENV = settings.DB_URL_ENV

# Execution option asking for BEGIN IMMEDIATE (take SQLite's write lock at once) on a transaction.
WRITE_LOCK = "planner_begin_immediate"


def database_url(data_dir: Path, url: str | None = None) -> str:
    """The URL to use: the explicit one, then PLANNER_DB_URL, then the SQLite file in data_dir."""
    return url or settings.db_url() or f"sqlite:///{Path(data_dir) / DB_FILE_NAME}"


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine for url. For SQLite: WAL journal, foreign keys on (unless asked not to), a busy timeout,
    and real transactions (the driver's own implicit BEGIN handling is switched off, so DDL is transactional
    too and BEGIN IMMEDIATE can be requested with the WRITE_LOCK execution option)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, foreign_keys)
    return engine


def _configure_sqlite(engine: Engine, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_LOCK, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
