"""Atomic file writes: the one place that replaces a file (a reader sees the old file or the new one, never half
of one; a failure or a killed process leaves the previous file as it was and no temp file behind it)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _read_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


_UMASK = _read_umask()  # read once at import: changing the umask later is not thread-safe


def default_file_mode() -> int:
    """0666 minus the umask, as for a file created by open()."""
    return 0o666 & ~_UMASK


def replace_into(tmp: Path | str, final: Path | str) -> None:
    """Move a fully written temp file over its final name (same folder: atomic on POSIX)."""
    os.replace(tmp, final)


@contextmanager
def atomic_file(path: Path | str, *, suffix: str = ".tmp", mode: int | None = None) -> Iterator[Path]:
    """A temp path beside `path` for a writer that needs a file name (a workbook's save); it replaces `path` when
    the block ends normally and is removed when it raises."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, default_file_mode() if mode is None else mode)
        replace_into(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_bytes(path: Path | str, data: bytes, *, mode: int | None = None) -> None:
    with atomic_file(path, mode=mode) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8", mode: int | None = None) -> None:
    atomic_write_bytes(path, text.encode(encoding), mode=mode)
