"""The feed server: GET /feeds/{token}.ics from the database, as a Starlette app or inside the page's process.

- `create_app(data_dir)`: a Starlette app with the feed route (`planner serve` runs it with uvicorn).
- `page_app()`: the Streamlit page plus the feed route in one process (st.App, streamlit ≥ 1.67, experimental):
  `PLANNER_DATA_DIR=data .venv/bin/uvicorn planner.publish.feeds.server:page_app --factory --port 8501`.
- `serve(data_dir, host=…, port=…, workers=N)`: uvicorn (httptools/uvloop when installed) with N worker processes.

Unknown, malformed and revoked tokens get 404; nothing lists tokens over HTTP. ETag/If-None-Match → 304,
Last-Modified/If-Modified-Since → 304.

Speed: `GET|HEAD /feeds/{token}.ics` is answered by a raw ASGI middleware (`FeedFastPath`) in front of the
Starlette router, on the event loop, from an in-memory cache of finished responses (body, ETag, prebuilt
headers) keyed by the token's SHA-256. A cache hit costs one `PRAGMA data_version` on a private read-only SQLite
connection and no other query. SQLite changes that value for a connection whenever *any other* connection — in
this process or in another one (`planner publish`, `planner tokens revoke|rotate`) — commits, so every commit
makes every cached entry "unchecked": its next request re-resolves the token and the publication head (two
indexed queries, in a worker thread) and re-renders only when the token, the publication or the local date
changed. A revoked token is therefore 404 on the first request after the revocation's commit, and a new
publication is served on the first request after its head record is committed. An entry also expires at the
school's local midnight (the feed window moves). Other databases (PLANNER_DB_URL) use one aggregate query over
the token and publication tables as the change stamp, in a worker thread.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any, Callable, cast

from anyio import to_thread
from sqlalchemy import text
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from planner import settings
from planner.storage import Store
from planner.storage.db import make_engine
from planner.utc import as_utc

from .httpguard import MAX_HEAD_BYTES, GuardedHttpToolsProtocol, install_token_log_filter
from .render import FeedRenderer, RenderedFeed
from .select import FeedSpec
from .state import FeedState, head_version, load_state, today_at
from .tokens import TOKEN_RE, FeedToken, TokenStore, hash_token

ROOT = Path(__file__).resolve().parents[3]
MEDIA_TYPE = "text/calendar; charset=utf-8"
Clock = Callable[[], datetime]
NEGATIVE_CACHE_MAX = 4096  # unknown/revoked token hashes remembered until the next commit (bounded)
_NOT_FOUND = b"Not found"
# uvicorn settings of both servers: bounded request heads (size, time; planner.publish.feeds.httpguard) and idle
# keep-alive connections closed after 5 s.
SERVER_LIMITS: dict[str, Any] = {"http": GuardedHttpToolsProtocol, "timeout_keep_alive": 5,
                 "h11_max_incomplete_event_size": MAX_HEAD_BYTES}
_MISS = object()


def _system_clock() -> datetime:
    return datetime.now(timezone.utc)


class ChangeStamp:
    """An opaque value that changes whenever something is committed to the database by another connection.

    SQLite file: `PRAGMA data_version` on a private, query-only connection (cheap: no table is read; it sees
    commits of every other connection, this process's SQLAlchemy pool and other processes alike).
    Other databases: counts, version sums and the newest update time of the token and publication tables."""

    def __init__(self, store: Store, *, sqlite_pragma: bool = True):
        url = make_url(store.url)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._engine = None
        if sqlite_pragma and url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
                and not url.database.startswith("file:"):
            self._conn = sqlite3.connect(url.database, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA query_only=ON")
            self.cheap = True  # fine to call on the event loop
        else:
            self._engine = make_engine(store.url)
            self.cheap = False

    def current(self) -> Any:
        if self._conn is not None:
            with self._lock:
                return self._conn.execute("PRAGMA data_version").fetchall()[0][0]
        assert self._engine is not None
        with self._engine.connect() as conn:
            return tuple(conn.execute(text(
                "SELECT (SELECT count(*) FROM tokens), (SELECT coalesce(sum(version), 0) FROM tokens), "
                "(SELECT max(updated_at) FROM tokens), (SELECT count(*) FROM publications), "
                "(SELECT coalesce(sum(version), 0) FROM publications), (SELECT max(updated_at) FROM publications)"
            )).one())

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._engine is not None:
            self._engine.dispose()


@dataclass
class CachedFeed:
    """A finished response for one token: what it was rendered from, and the bytes and headers to send."""

    token_id: str
    token_version: int
    state_version: int
    day: date
    day_start: float  # the local day [start, end) as UTC timestamps: the entry expires at local midnight
    day_end: float
    rendered: RenderedFeed
    etag: str
    headers: dict[str, str]
    raw_200: list[tuple[bytes, bytes]]
    raw_304: list[tuple[bytes, bytes]]
    generation: int  # the change-stamp generation it was last checked against


def _entry(token: FeedToken, state: FeedState, today: date, rendered: RenderedFeed, generation: int) -> CachedFeed:
    etag = '"' + hashlib.sha256(rendered.body).hexdigest()[:32] + '"'
    headers = {"ETag": etag,
               "Last-Modified": format_datetime(as_utc(rendered.last_modified), usegmt=True),
               "Cache-Control": "private, no-cache", "X-Robots-Tag": "noindex, nofollow",
               "Referrer-Policy": "no-referrer", "Content-Disposition": 'inline; filename="calendar.ics"'}
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    raw_200 = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(rendered.body)).encode()), *raw]
    tz = state.tz
    start = datetime.combine(today, time(), tzinfo=tz).timestamp()
    end = datetime.combine(today + timedelta(days=1), time(), tzinfo=tz).timestamp()
    return CachedFeed(token.id, token.version, state.version, today, start, end, rendered, etag, headers,
                      raw_200, raw, generation)


class FeedService:
    """Token → finished feed response, cached; the clock is injected (the system clock by default)."""

    def __init__(self, store: Store, clock: Clock | None = None):
        self.store = store
        self.clock = clock or _system_clock
        self.tokens = TokenStore(store)
        self.renderer = FeedRenderer()
        self.stamp = ChangeStamp(store)
        self._states: dict[str, tuple[int, FeedState]] = {}
        self._entries: dict[str, CachedFeed] = {}  # token hash → entry
        self._missing: set[str] = set()  # token hashes known to be unknown/revoked at the current generation
        self._last_stamp: Any = _MISS
        self._generation = 0
        self._lock = threading.Lock()

    # -- the change stamp --------------------------------------------------------------------------------
    def _observe(self, stamp: Any) -> int:
        """The generation of this stamp value: a new one each time the observed value differs from the last."""
        with self._lock:
            if stamp != self._last_stamp:
                self._last_stamp = stamp
                self._generation += 1
                self._missing.clear()
            return self._generation

    # -- lookups -------------------------------------------------------------------------------------------
    def cached(self, secret: str) -> CachedFeed | None | object:
        """The entry if the cache can answer without a query other than the change stamp: a CachedFeed, None
        (a malformed token, or one known to be unknown/revoked since the last commit), or _MISS."""
        if not TOKEN_RE.fullmatch(secret):
            return None
        key = hash_token(secret)
        generation = self._observe(self.stamp.current())
        entry = self._entries.get(key)
        if entry is not None and entry.generation == generation:
            now = self.clock().timestamp()
            if entry.day_start <= now < entry.day_end:
                return entry
        elif entry is None and key in self._missing:
            return None
        return _MISS

    def entry(self, secret: str) -> CachedFeed | None:
        """The response entry of an active token, or None (unknown, malformed or revoked token, nothing
        published). Checks the database (in a worker thread when called from the ASGI app)."""
        if not TOKEN_RE.fullmatch(secret or ""):
            return None
        key = hash_token(secret)
        generation = self._observe(self.stamp.current())  # read before the queries below
        token = self.tokens.resolve(secret)
        if token is None:
            self._forget(key, generation)
            return None
        version = head_version(self.store, token.school_id)
        state = self._state(token.school_id, version) if version is not None else None
        if state is None:
            self._forget(key, generation)
            return None
        today: date = today_at(state, self.clock())
        old = self._entries.get(key)
        if old is not None and (old.token_id, old.token_version, old.state_version, old.day) == (
                token.id, token.version, state.version, today):
            entry = old
            entry.generation = generation  # checked by the queries above, which ran after reading its stamp
        else:
            rendered = self.renderer.render(state, FeedSpec.from_token(token), today)
            entry = _entry(token, state, today, rendered, generation)
        with self._lock:
            self._entries[key] = entry
            self._missing.discard(key)
        return entry

    def _forget(self, key: str, generation: int) -> None:
        with self._lock:
            self._entries.pop(key, None)
            if generation == self._generation:
                if len(self._missing) >= NEGATIVE_CACHE_MAX:
                    self._missing.clear()
                self._missing.add(key)

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
        entry = self.entry(secret)
        return (entry.rendered, entry.etag) if entry else None

    def close(self) -> None:
        self.stamp.close()


def _not_modified_values(inm: str | None, ims: str | None, etag: str, modified: datetime) -> bool:
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and modified.replace(microsecond=0) <= since
    return False


def _not_modified(request: Request, etag: str, modified: datetime) -> bool:
    return _not_modified_values(request.headers.get("if-none-match"), request.headers.get("if-modified-since"),
                                etag, modified)


_404_HEADERS = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(_NOT_FOUND)).encode())]


class FeedFastPath:
    """Raw ASGI middleware: answers GET/HEAD /feeds/{token}.ics itself (cache hits on the event loop, misses in
    a worker thread) and passes everything else (other paths and methods, websockets, lifespan) on."""

    def __init__(self, app: ASGIApp, service: FeedService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path = scope["path"]
            root = scope.get("root_path", "")
            if root and path.startswith(root):
                path = path[len(root):]
            if path.startswith("/feeds/") and path.endswith(".ics") and len(path) > 11 and "/" not in path[7:-4]:
                await self._serve(scope, send, path[7:-4])
                return
        await self.app(scope, receive, send)

    async def _serve(self, scope: Scope, send: Send, secret: str) -> None:
        service = self.service
        cached = service.cached(secret) if service.stamp.cheap else _MISS
        found = cast("CachedFeed | None", await to_thread.run_sync(service.entry, secret) if cached is _MISS else cached)
        head = scope["method"] == "HEAD"
        if found is None:
            await send({"type": "http.response.start", "status": 404, "headers": _404_HEADERS})
            await send({"type": "http.response.body", "body": b"" if head else _NOT_FOUND})
            return
        inm = ims = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                inm = value.decode("latin-1")
            elif name == b"if-modified-since":
                ims = value.decode("latin-1")
        if (inm is not None or ims) and (inm == found.etag or _not_modified_values(
                inm, ims, found.etag, found.rendered.last_modified)):
            await send({"type": "http.response.start", "status": 304, "headers": found.raw_304})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": found.raw_200})
        await send({"type": "http.response.body", "body": b"" if head else found.rendered.body})


def feed_routes(service: FeedService) -> list[Route]:
    """The feed route, to mount in any Starlette app (also st.App). `feed_middleware(service)` in front of it
    answers these requests faster; the route stays for apps mounted without it."""

    async def feed_endpoint(request: Request) -> Response:
        secret = request.path_params["token"]
        cached = service.cached(secret) if service.stamp.cheap else _MISS
        found = cast("CachedFeed | None", await to_thread.run_sync(service.entry, secret) if cached is _MISS else cached)
        if found is None:
            return PlainTextResponse("Not found", status_code=404)
        if _not_modified(request, found.etag, found.rendered.last_modified):
            return Response(status_code=304, headers=found.headers)
        return Response(found.rendered.body, media_type=MEDIA_TYPE, headers=found.headers)

    return [Route("/feeds/{token}.ics", feed_endpoint, methods=["GET", "HEAD"])]


def feed_middleware(service: FeedService) -> list[Middleware]:
    """The fast path as Starlette middleware (first in the stack)."""
    return [Middleware(FeedFastPath, service=service)]


def create_app(data_dir: str | Path | None = None, *, store: Store | None = None,
               clock: Clock | None = None) -> Starlette:
    """The stand-alone feed server."""
    install_token_log_filter()
    service = FeedService(store or Store.open(data_dir), clock)
    return Starlette(routes=feed_routes(service), middleware=feed_middleware(service))


def page_app() -> Any:
    """The page (streamlit_app.py) and the feed route in one ASGI app (uvicorn --factory)."""
    import streamlit as st

    from planner.ui.access import PageGuard, check_bind, configured_password

    install_token_log_filter()
    store = Store.open(settings.data_dir())
    check_bind(_page_host(), configured_password(store.data_dir))
    settings.default_upload_limit_mb(PAGE_MAX_UPLOAD_MB)
    service = FeedService(store)
    return st.App(str(ROOT / "streamlit_app.py"), routes=feed_routes(service),
                  middleware=[*feed_middleware(service), Middleware(PageGuard, data_dir=store.data_dir)])


PAGE_MAX_UPLOAD_MB = 50  # Streamlit's upload cap of the page (the importers' own limits apply after it)


def _page_host() -> str | None:
    """The address the page is bound to: PLANNER_ADDRESS (scripts/run-page.sh), else uvicorn's --host."""
    import sys

    host = settings.page_address()
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--host" and i + 1 < len(argv):
            host = argv[i + 1]
        elif arg.startswith("--host="):
            host = arg.split("=", 1)[1]
    return host


def serve(data_dir: str | Path | None = None, *, host: str = "127.0.0.1", port: int = 8765, workers: int = 1,
          access_log: bool = False, log_level: str = "info") -> None:
    """Run the feed server with uvicorn (httptools and uvloop when installed: `uvicorn[standard]`). With
    workers > 1 uvicorn starts that many processes (each with its own cache); the data directory reaches them
    through PLANNER_DATA_DIR."""
    import uvicorn

    if data_dir is not None:
        settings.export_data_dir(str(Path(data_dir).resolve()))
    uvicorn.run("planner.publish.feeds.server:create_app", factory=True, host=host, port=port, workers=workers,
                access_log=access_log, log_level=log_level, **SERVER_LIMITS)
