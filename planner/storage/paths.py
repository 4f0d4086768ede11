"""Where the planner keeps its data: one directory holding the database and exported files."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "PLANNER_DATA_DIR"
DEFAULT_DATA_DIR = "data"


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """The data directory, created if missing.

    Precedence: the explicit argument (the CLI's --data-dir), then the PLANNER_DATA_DIR environment
    variable, then ./data inside the current working folder. The result is absolute.
    """
    chosen = explicit if explicit not in (None, "") else os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


PUBLIC_URL_ENV = "PLANNER_PUBLIC_URL"  # environment variable: the public base URL of the feed server
