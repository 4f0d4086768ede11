"""QR codes of feed links for printing (segno): one PNG or SVG per token, ASCII-only file names."""

from __future__ import annotations

import re
from pathlib import Path

import segno

from .tokens import FeedToken, feed_links


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "x"


def qr_file_name(token: FeedToken, fmt: str) -> str:
    """`<kind>-<subject, ASCII>-<token id>.<fmt>`: unique, and safe in any file system."""
    return f"{token.kind}-{_slug(token.subject_id)}-{token.id}.{fmt}"


def write_qr(url: str, path: Path, *, scale: int = 8) -> Path:
    """One QR code (format from the suffix: .png or .svg)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    segno.make(url, error="m").save(str(path), scale=scale, border=4)
    return path


def write_token_qrs(tokens: list[FeedToken], base_url: str, out_dir: Path, *, fmt: str = "png",
                    link: str = "webcal") -> list[Path]:
    """A QR code per active token whose value is readable; `link` picks the webcal:// or https:// form."""
    if fmt not in ("png", "svg"):
        raise ValueError("QR format must be png or svg")
    return [write_qr(feed_links(base_url, t.secret)[link], out_dir / qr_file_name(t, fmt))
            for t in tokens if t.active and t.secret]
