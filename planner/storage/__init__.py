"""Storage: the data directory, the embedded database (migrated with alembic) and the record repository."""

from .paths import resolve_data_dir
from .store import Record, Store

__all__ = ["Record", "Store", "resolve_data_dir"]
