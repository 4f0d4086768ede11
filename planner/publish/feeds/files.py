"""The feed files: `<SHA-256 of the token>.ics` per token, written all-or-nothing under the publish lock."""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from planner.fileio import replace_into
from planner.storage import Store

from .render import FeedRenderer
from .select import FeedSpec
from .state import load_state, today_at
from .tokens import TOKEN_RE, FeedToken, TokenStore, hash_token


def _write_temp(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FEED_FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


FEED_DIR_MODE = 0o700  # the feed folder and its files are the owner's only
FEED_FILE_MODE = 0o600
_TEMP_MARK = ".ics.tmp"


def feed_file_name(secret: str) -> str:
    """The file name of a token's feed: the token's SHA-256 (as in the database), never the token itself."""
    return f"{hash_token(secret)}.ics"


def feed_file(out_dir: Path, secret: str) -> Path:
    return Path(out_dir) / feed_file_name(secret)


def remove_feed_files(out_dir: Path, secret: str) -> None:
    feed_file(out_dir, secret).unlink(missing_ok=True)
    (Path(out_dir) / f"{secret}.ics").unlink(missing_ok=True)  # named by the token (before issue 11)


def clean_temp_files(out_dir: Path) -> list[Path]:
    """Remove temp files a killed publish left behind (call it holding publish_lock)."""
    removed = []
    for f in Path(out_dir).glob(f".*{_TEMP_MARK}*") if Path(out_dir).is_dir() else ():
        if f.is_file():
            f.unlink(missing_ok=True)
            removed.append(f)
    return removed


@contextmanager
def publish_lock(store: Store):
    """An exclusive lock on the data directory (`.publish.lock`, flock): publishing, revoking and rotating
    serialise, so the feed files written last are those of the last committed publication."""
    import fcntl

    path = Path(store.data_dir) / ".publish.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def write_feed_files(out_dir: Path, feeds: dict[str, bytes], *, prune: bool = True,
                     owned_hashes: set[str] | None = None) -> tuple[list[Path], list[Path]]:
    """Write each token's feed as `<SHA-256 of the token>.ics` (feed_file_name): every temp file first, then
    os.replace each, so a failure while writing leaves every previous file as it was. Temp files of a killed
    earlier run are removed first; files named by the token itself (older versions) are replaced. With prune,
    feed files of this school's tokens (`owned_hashes`: their SHA-256) that are not in `feeds` (revoked) are
    removed; other schools' and unknown files are left alone. The folder and files are the owner's only.
    Returns (written, removed)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True, mode=FEED_DIR_MODE)
    clean_temp_files(out_dir)
    temps: list[tuple[Path, Path]] = []
    try:
        for secret, body in sorted(feeds.items()):
            if not TOKEN_RE.fullmatch(secret):
                raise ValueError("a feed file name must be a token")
            final = feed_file(out_dir, secret)
            (out_dir / f"{secret}.ics").unlink(missing_ok=True)  # named by the token (before issue 11)
            if final.exists() and final.read_bytes() == body:
                continue  # unchanged: keep the file (and its mtime)
            tmp = out_dir / f".{final.stem}{_TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}"
            temps.append((tmp, final))
            _write_temp(tmp, body)
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in temps:
        replace_into(tmp, final)
    removed = []
    kept = {hash_token(secret) for secret in feeds}
    for f in out_dir.glob("*.ics") if prune and owned_hashes else ():
        key = hash_token(f.stem) if TOKEN_RE.fullmatch(f.stem) else f.stem
        if key in owned_hashes and key not in kept:
            f.unlink()
            removed.append(f)
    return [final for _, final in temps], removed


def render_token_feeds(store: Store, school_id: str, now: datetime,
                       renderer: FeedRenderer | None = None) -> dict[str, bytes]:
    """Every active token's feed of a school, by token value (tokens whose value cannot be decrypted are left
    out: their key file is missing)."""
    state = load_state(store, school_id)
    if state is None:
        return {}
    renderer = renderer or FeedRenderer()
    today = today_at(state, now)
    return {t.secret: renderer.render(state, FeedSpec.from_token(t), today).body
            for t in TokenStore(store).list(school_id) if t.secret}


def write_token_feed(store: Store, token: FeedToken, out_dir: Path, now: datetime) -> Path | None:
    """Write one token's feed file (after `tokens create/rotate`), or None before the first publication."""
    state = load_state(store, token.school_id)
    if state is None or not token.secret:
        return None
    body = FeedRenderer().render(state, FeedSpec.from_token(token), today_at(state, now)).body
    with publish_lock(store):
        write_feed_files(Path(out_dir), {token.secret: body}, prune=False)
    return feed_file(Path(out_dir), token.secret)
