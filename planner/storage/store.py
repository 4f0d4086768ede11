"""The repository: versioned JSON records in the planner's database, with optimistic locking.

Every record has an id, a version (1 on creation, +1 on each save), a JSON payload, UTC timestamps and a
few indexed columns per kind. A save names the version it was based on; a save based on an older version
than the stored one is refused with StaleSaveError, never silently applied.
"""

from __future__ import annotations

import json
import threading
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Connection, RowMapping, Table, select
from sqlalchemy.exc import IntegrityError

from planner.errors import StaleSaveError
from planner.school.model import School
from planner.utc import utc_iso, utc_now_iso

from . import migrate
from .db import DB_FILE_NAME, WRITE_LOCK, database_url, make_engine
from .paths import create_private_file, resolve_data_dir
from .schema import TABLES, extra_columns

# Accept the table name too ("schools" as well as "school").
_KIND_ALIASES = {table.name: kind for kind, table in TABLES.items()}


@dataclass(frozen=True)
class Record:
    """One stored record. `columns` holds the kind's indexed columns (school_id, status, ...)."""

    kind: str
    id: str
    version: int
    payload: dict[str, Any]
    created_at: str
    updated_at: str
    columns: dict[str, Any] = field(default_factory=dict)


def _now() -> str:
    return utc_now_iso()


def _column_value(value: Any) -> Any:
    """Datetimes become UTC ISO strings; other values go in as they are."""
    if isinstance(value, datetime):
        return utc_iso(value)
    return value


class Store:
    """The planner's records. Open with Store.open(); close with close() or use it as a context manager."""

    def __init__(self, url: str, data_dir: Path):
        self.url = url
        self.data_dir = data_dir
        self._engine = make_engine(url)
        self._writer = self._engine.execution_options(**{WRITE_LOCK: True})
        self._local = threading.local()  # the open transaction of this thread, if any

    @classmethod
    def open(cls, data_dir: str | Path | None = None, url: str | None = None) -> "Store":
        """Open the store in data_dir (see resolve_data_dir) or at url (else PLANNER_DB_URL, else the
        SQLite file planner.sqlite3 in the data directory), migrating the database to the newest schema."""
        directory = resolve_data_dir(data_dir)
        db_url = database_url(directory, url)
        if db_url == f"sqlite:///{directory / DB_FILE_NAME}":
            create_private_file(directory / DB_FILE_NAME)  # owner-only before SQLite creates it
        migrate.upgrade(db_url)
        return cls(db_url, directory)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """Several saves as one: inside the block this thread's saves and reads share one write transaction,
        committed at the end or rolled back whole on any error (a nested block joins the outer one)."""
        if getattr(self._local, "conn", None) is not None:
            yield self
            return
        with self._writer.begin() as conn:
            self._local.conn = conn
            try:
                yield self
            finally:
                self._local.conn = None

    def _reading(self) -> AbstractContextManager[Connection]:
        conn = getattr(self._local, "conn", None)
        return nullcontext(conn) if conn is not None else self._engine.connect()

    def _writing(self) -> AbstractContextManager[Connection]:
        conn = getattr(self._local, "conn", None)
        return nullcontext(conn) if conn is not None else self._writer.begin()

    # Generic records -------------------------------------------------------
    def get(self, kind: str, id: str) -> Record | None:
        """The record, or None when there is none with this id."""
        kind, table = self._table(kind)
        with self._reading() as conn:
            return self._fetch(conn, kind, table, id)

    def list(self, kind: str, /, **filters: Any) -> list[Record]:
        """The records of a kind whose indexed columns equal the filters (None matches NULL), by id."""
        kind, table = self._table(kind)
        query = select(table).order_by(table.c.id)
        for name, value in self._check_columns(table, filters).items():
            column = table.c[name]
            query = query.where(column.is_(None) if value is None else column == value)
        with self._reading() as conn:
            return [self._record(kind, table, row) for row in conn.execute(query).mappings()]

    def save(self, kind: str, id: str, /, payload: dict[str, Any], expected_version: int | None, **columns: Any) -> Record:
        """Create (expected_version=None) or update (expected_version = the version it was based on) a record.

        Creating an id that exists, or updating a record whose stored version differs from expected_version
        (or that is gone: found 0), raises StaleSaveError. An update bumps the version by 1 and changes only
        the columns given. The save is one transaction: on any error the previous state stays.
        kind and id are positional-only, so a column may be called `kind` (tokens have one).
        """
        kind, table = self._table(kind)
        if not isinstance(payload, dict):
            raise TypeError(f"a {kind} payload must be a dict, not {type(payload).__name__}")
        values = {k: _column_value(v) for k, v in self._check_columns(table, columns).items()}
        now = _now()
        with self._writing() as conn:
            values["payload"] = json.dumps(payload, ensure_ascii=False, sort_keys=True)
            values["updated_at"] = now
            if expected_version is None:
                try:
                    with conn.begin_nested():
                        conn.execute(table.insert().values(id=id, version=1, created_at=now, **values))
                except IntegrityError:
                    found = self._version(conn, table, id)
                    if found is None:
                        raise  # another constraint (foreign key, unique column, NOT NULL)
                    raise StaleSaveError(kind, id, 0, found) from None
            else:
                result = conn.execute(
                    table.update()
                    .where(table.c.id == id, table.c.version == expected_version)
                    .values(version=expected_version + 1, **values)
                )
                if result.rowcount != 1:
                    raise StaleSaveError(kind, id, expected_version, self._version(conn, table, id) or 0)
            record = self._fetch(conn, kind, table, id)
            assert record is not None
            return record

    def delete(self, kind: str, id: str, expected_version: int) -> None:
        """Delete a record if its stored version is expected_version; else StaleSaveError (found 0 = gone)."""
        kind, table = self._table(kind)
        with self._writing() as conn:
            result = conn.execute(table.delete().where(table.c.id == id, table.c.version == expected_version))
            if result.rowcount != 1:
                raise StaleSaveError(kind, id, expected_version, self._version(conn, table, id) or 0)

    # Schools ---------------------------------------------------------------
    def save_school(self, school: School, expected_version: int | None) -> Record:
        """Save a School (its JSON form, name and fingerprint); expected_version as in save()."""
        return self.save(
            "school",
            school.id,
            school.model_dump(mode="json"),
            expected_version,
            name=school.name,
            fingerprint=school.fingerprint(),
        )

    def load_school(self, id: str) -> School | None:
        """The stored School, or None."""
        loaded = self.load_school_versioned(id)
        return loaded[0] if loaded else None

    def load_school_versioned(self, id: str) -> tuple[School, int] | None:
        """The stored School with its version (to pass to the next save_school), or None."""
        record = self.get("school", id)
        if record is None:
            return None
        return School.model_validate(record.payload), record.version

    # Internals -------------------------------------------------------------
    @staticmethod
    def _table(kind: str) -> tuple[str, Table]:
        kind = _KIND_ALIASES.get(kind, kind)
        if kind not in TABLES:
            raise ValueError(f"unknown record kind '{kind}' (known: {', '.join(TABLES)})")
        return kind, TABLES[kind]

    @staticmethod
    def _check_columns(table: Table, columns: dict[str, Any]) -> dict[str, Any]:
        allowed = extra_columns(table)
        unknown = sorted(set(columns) - set(allowed))
        if unknown:
            raise ValueError(f"{table.name} has no column(s) {', '.join(unknown)} (known: {', '.join(allowed)})")
        return columns

    @staticmethod
    def _version(conn: Connection, table: Table, id: str) -> int | None:
        return conn.execute(select(table.c.version).where(table.c.id == id)).scalar_one_or_none()

    @classmethod
    def _fetch(cls, conn: Connection, kind: str, table: Table, id: str) -> Record | None:
        row = conn.execute(select(table).where(table.c.id == id)).mappings().one_or_none()
        return cls._record(kind, table, row) if row is not None else None

    @staticmethod
    def _record(kind: str, table: Table, row: RowMapping) -> Record:
        return Record(
            kind=kind,
            id=row["id"],
            version=row["version"],
            payload=json.loads(row["payload"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            columns={name: row[name] for name in extra_columns(table)},
        )
