"""Limits for the HTTP servers (the feed server and the page) and a log filter that keeps feed tokens out of logs.

- `GuardedHttpToolsProtocol`: uvicorn's httptools protocol with a limit on the size of a request head (request
  line and headers, MAX_HEAD_BYTES: larger heads get 431 and the connection is closed before the rest is read)
  and on the time to receive it (HEAD_TIMEOUT_S from the connection or from the request's first byte: a client
  that trickles its head gets 408 and is closed). Use it with `uvicorn --http
  planner.publish.feeds.httpguard:GuardedHttpToolsProtocol` (scripts/run-page.sh, `planner serve` do).
- `install_token_log_filter()`: masks `/feeds/<token>` in every log record of uvicorn, Streamlit and the root
  logger (`/feeds/***.ics`), so neither the access logs nor error messages carry a token.

Behind a reverse proxy apply the same limits there (docs/feeds.md: nginx `large_client_header_buffers 4 16k;`,
`client_header_timeout 10s;`, `client_body_timeout 10s;`, and an access-log format without the request path).
"""

from __future__ import annotations

import logging
import re

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from planner import settings

MAX_HEAD_BYTES = 64 * 1024
HEAD_TIMEOUT_S = settings.head_timeout_s(10.0)

_FEED_PATH = re.compile(r"(/feeds/)[^\s\"'?#/]+")
LOGGERS = ("", "uvicorn", "uvicorn.access", "uvicorn.error", "uvicorn.asgi", "streamlit", "planner")


def mask_tokens(text: str) -> str:
    """The text with every /feeds/<token> path masked."""
    return _FEED_PATH.sub(r"\1***.ics", text) if "/feeds/" in text else text


def _mask(value):
    if isinstance(value, str):
        return mask_tokens(value)
    if isinstance(value, bytes):
        return mask_tokens(value.decode("latin-1")).encode("latin-1")
    return value


class TokenMaskFilter(logging.Filter):
    """Rewrites a record's message and arguments so that no feed token is left in it (keeps the record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_mask(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _mask(v) for k, v in record.args.items()}
        return True


_FILTER = TokenMaskFilter()


def install_token_log_filter() -> None:
    """Attach the mask to the loggers that carry request paths and to each of their handlers (records that
    propagate from child loggers pass the handlers, not the parent logger's filters). Idempotent."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)


_STATUS = {408: b"408 Request Timeout", 431: b"431 Request Header Fields Too Large"}


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """httptools protocol with a bounded request head (size and time). The counting costs one comparison per
    received chunk while a head is being read and nothing afterwards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._head_open = True
        self._head_seen = 0
        self._head_timer = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(HEAD_TIMEOUT_S, self._head_timeout)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timeout(self) -> None:
        self._head_timer = None
        if self._head_open and not self.transport.is_closing():
            self._refuse(408, "request head not received in time")

    def _refuse(self, status: int, msg: str) -> None:
        self._cancel_head_timer()
        body = msg.encode("ascii")
        self.transport.write(b"HTTP/1.1 " + _STATUS[status] + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
                             b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body)
        self.transport.close()
        self._head_open = False

    def data_received(self, data: bytes) -> None:
        if self._head_open:
            before = self._head_seen
            self._head_seen = before + len(data)
            if self._head_seen > MAX_HEAD_BYTES:
                end = data.find(b"\r\n\r\n")
                if end < 0 or before + end + 4 > MAX_HEAD_BYTES:
                    self._refuse(431, "request header fields too large")
                    return
        super().data_received(data)
        # a head left incomplete by this chunk is timed (a head that arrives whole, the usual case, costs no timer)
        if self._head_open and self._head_seen and self._head_timer is None and not self.transport.is_closing():
            self._arm_head_timer()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._head_open = True  # the next bytes are the next request's head
        self._head_seen = 0

    def on_headers_complete(self) -> None:
        self._head_open = False
        self._cancel_head_timer()
        super().on_headers_complete()
