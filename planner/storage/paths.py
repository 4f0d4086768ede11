"""Where the planner keeps its data: one directory holding the database and exported files."""

from __future__ import annotations

import os
from pathlib import Path

from planner import settings

DATA_DIR_ENV = settings.DATA_DIR_ENV
DEFAULT_DATA_DIR = "data"


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """The data directory, created if missing.

    Precedence: the explicit argument (the CLI's --data-dir), then the PLANNER_DATA_DIR environment
    variable, then ./data inside the current working folder. The result is absolute.
    """
    chosen = explicit if explicit not in (None, "") else settings.data_dir() or DEFAULT_DATA_DIR
    path = Path(chosen).expanduser().resolve()
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=DATA_DIR_MODE)
        os.chmod(path, DATA_DIR_MODE)  # mkdir's mode is masked by the umask
    return path


DATA_DIR_MODE = 0o700  # the data directory (database, token key, feed files) is the owner's only
DATA_FILE_MODE = 0o600


def create_private_file(path: Path) -> None:
    """Create an empty file readable by the owner only, unless it exists (SQLite then keeps its mode for its
    journal and WAL files)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DATA_FILE_MODE))
    except FileExistsError:
        pass


PUBLIC_URL_ENV = settings.PUBLIC_URL_ENV  # environment variable: the public base URL of the feed server
