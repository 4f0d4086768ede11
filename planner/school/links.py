"""The one validator of links the planner stores and publishes (chat invite links, lesson call links).

A link is accepted only if it is an absolute `https://` URL with a host, at most MAX_LINK_LENGTH characters, with
no whitespace or control characters (a CR/LF would break an iCalendar line or a message) and, when
`allowed_domains` is given, with a host equal to one of those domains or below one of them. `javascript:`,
`file:`, `data:` and plain `http:` links are refused. The official-channel feature passes its allow-list of
MAX/Sferum domains as `allowed_domains`.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

MAX_LINK_LENGTH = 2048
ALLOWED_SCHEMES = ("https",)


class LinkError(ValueError):
    """A link that may not be stored or published; the message says why (in English)."""


def check_link(url: str, *, allowed_domains: Iterable[str] | None = None) -> str:
    """The link itself if it is safe to publish, else LinkError naming the reason."""
    if not isinstance(url, str) or not url:
        raise LinkError("the link is empty")
    if len(url) > MAX_LINK_LENGTH:
        raise LinkError(f"the link is longer than {MAX_LINK_LENGTH} characters")
    bad = next((ch for ch in url if ch.isspace() or unicodedata.category(ch)[0] == "C"), None)
    if bad is not None:
        raise LinkError(f"the link contains a control or space character (U+{ord(bad):04X})")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise LinkError(f"the link is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise LinkError(f"the link must start with https:// (scheme '{parts.scheme or 'none'}' is not allowed)")
    if not host or parts.username is not None or parts.password is not None:
        raise LinkError("the link needs a host and no user name or password")
    if allowed_domains is not None:
        domains = [d.strip(".").lower() for d in allowed_domains]
        if not any(host == d or host.endswith("." + d) for d in domains):
            raise LinkError(f"the link's host '{host}' is not one of: {', '.join(domains)}")
    return url


def link_problem(url: str, *, allowed_domains: Iterable[str] | None = None) -> str | None:
    """The reason a link is refused, or None when it is fine."""
    try:
        check_link(url, allowed_domains=allowed_domains)
    except LinkError as exc:
        return str(exc)
    return None


def is_loopback(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (any other name counts as not loopback)."""
    if not host:
        return False
    host = host.strip("[]").rstrip(".")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_off_loopback(url: str) -> bool:
    """True when url is not https and its host is not loopback: no secret may be sent there."""
    parts = urlsplit(url)
    return parts.scheme.lower() != "https" and not is_loopback(parts.hostname)
