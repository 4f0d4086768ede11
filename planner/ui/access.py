"""The page password: set by the admin in PLANNER_PAGE_PASSWORD or in the file `page_password` in the data
directory. Compared in constant time; never cached or logged."""

from __future__ import annotations

import hmac
import os
from pathlib import Path


def configured_password(data_dir: Path) -> str | None:
    env = os.environ.get("PLANNER_PAGE_PASSWORD")
    if env:
        return env
    f = Path(data_dir) / "page_password"
    if f.is_file():
        text = f.read_text(encoding="utf-8").strip()
        return text or None
    return None


def password_ok(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
