"""The feed server: GET /feeds/{token}.ics from the database, as a Starlette app or inside the page's process.

- `create_app(data_dir)`: a Starlette app with the feed route (`planner serve` runs it with uvicorn).
- `page_app()`: the Streamlit page plus the feed route in one process (st.App, streamlit ≥ 1.67, experimental):
  `PLANNER_DATA_DIR=data .venv/bin/uvicorn planner.publish.server:page_app --factory --port 8501`.

A feed is rendered on request and cached per token (id and version), publication head version and local date.
Unknown, malformed and revoked tokens get 404; nothing lists tokens over HTTP. ETag/If-None-Match → 304,
Last-Modified/If-Modified-Since → 304.
"""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import date, datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from planner.storage import Store

from .feeds import FeedRenderer, FeedSpec, FeedState, RenderedFeed, head_version, load_state, today_at
from .tokens import TokenStore

ROOT = Path(__file__).resolve().parents[2]
MEDIA_TYPE = "text/calendar; charset=utf-8"
Clock = Callable[[], datetime]


def _system_clock() -> datetime:
    return datetime.now(timezone.utc)


class FeedService:
    """Token → rendered feed, with caches; the clock is injected (the system clock by default)."""

    def __init__(self, store: Store, clock: Clock | None = None):
        self.store = store
        self.clock = clock or _system_clock
        self.tokens = TokenStore(store)
        self.renderer = FeedRenderer()
        self._states: dict[str, tuple[int, FeedState]] = {}
        self._feeds: dict[str, tuple[tuple, RenderedFeed, str]] = {}
        self._lock = threading.Lock()

    def _state(self, school_id: str, version: int) -> FeedState | None:
        with self._lock:
            hit = self._states.get(school_id)
        if hit and hit[0] == version:
            return hit[1]
        state = load_state(self.store, school_id)
        if state is not None:
            with self._lock:
                self._states[school_id] = (state.version, state)
        return state

    def feed(self, secret: str) -> tuple[RenderedFeed, str] | None:
        """The feed of an active token and its ETag, or None (unknown or revoked token, nothing published)."""
        token = self.tokens.resolve(secret)
        if token is None:
            return None
        version = head_version(self.store, token.school_id)
        state = self._state(token.school_id, version) if version is not None else None
        if state is None:
            return None
        today: date = today_at(state, self.clock())
        key = (token.version, state.version, today)
        with self._lock:
            hit = self._feeds.get(token.id)
        if hit and hit[0] == key:
            return hit[1], hit[2]
        rendered = self.renderer.render(state, FeedSpec.from_token(token), today)
        etag = '"' + hashlib.sha256(rendered.body).hexdigest()[:32] + '"'
        with self._lock:
            self._feeds[token.id] = (key, rendered, etag)
        return rendered, etag


def _not_modified(request: Request, etag: str, modified: datetime) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and modified.replace(microsecond=0) <= since
    return False


def feed_routes(service: FeedService) -> list[Route]:
    """The feed route, to mount in any Starlette app (also st.App)."""

    def feed_endpoint(request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        found = service.feed(request.path_params["token"])
        if found is None:
            return PlainTextResponse("Not found", status_code=404)
        rendered, etag = found
        headers = {"ETag": etag, "Last-Modified": format_datetime(rendered.last_modified.astimezone(timezone.utc),
                                                                  usegmt=True),
                   "Cache-Control": "private, no-cache", "X-Robots-Tag": "noindex, nofollow",
                   "Referrer-Policy": "no-referrer", "Content-Disposition": 'inline; filename="calendar.ics"'}
        if _not_modified(request, etag, rendered.last_modified):
            return Response(status_code=304, headers=headers)
        return Response(rendered.body, media_type=MEDIA_TYPE, headers=headers)

    return [Route("/feeds/{token}.ics", feed_endpoint, methods=["GET", "HEAD"])]


def create_app(data_dir: str | Path | None = None, *, store: Store | None = None,
               clock: Clock | None = None) -> Starlette:
    """The stand-alone feed server."""
    service = FeedService(store or Store.open(data_dir), clock)
    return Starlette(routes=feed_routes(service))


def page_app():
    """The page (streamlit_app.py) and the feed route in one ASGI app (uvicorn --factory)."""
    import streamlit as st

    service = FeedService(Store.open(os.environ.get("PLANNER_DATA_DIR")))
    return st.App(str(ROOT / "streamlit_app.py"), routes=feed_routes(service))
