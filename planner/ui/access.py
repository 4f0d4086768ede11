"""Who may use the page.

- The page password: set by the admin in PLANNER_PAGE_PASSWORD or in the file `page_password` in the data
  directory. Compared in constant time; never cached or logged.
- `check_bind(host, password)`: the page refuses to listen beyond loopback without a password (a clear message
  says how to set one).
- `LoginThrottle`: failed password tries per client get an exponential back-off (after FREE_TRIES failures,
  1 s, 2 s, 4 s … up to MAX_WAIT_S before the next try is even checked).
- `authenticated_sessions`: the Streamlit sessions that logged in; `PageGuard` (ASGI, in front of the page)
  refuses file uploads of any other session while a password is set, and refuses every request from a
  non-loopback client while none is set.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from planner import settings
from planner.school.links import is_loopback

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

FREE_TRIES = 3
MAX_WAIT_S = 300.0
UPLOAD_PREFIX = "/_stcore/upload_file/"

NO_PASSWORD_EN = ("refusing to serve the page on {host} without a password: set PLANNER_PAGE_PASSWORD (or write "
                  "the file page_password in the data directory), or bind to localhost (PLANNER_ADDRESS=localhost)")
NO_PASSWORD_RU = ("Страница открыта не только с этого компьютера, а пароль не задан. Администратор задаёт пароль: "
                  "переменная PLANNER_PAGE_PASSWORD или файл page_password в папке данных.")


def configured_password(data_dir: Path | str | None) -> str | None:
    env = settings.page_password()
    if env:
        return env
    if data_dir is None:
        from planner.storage.paths import resolve_data_dir

        data_dir = resolve_data_dir(None)
    f = Path(data_dir) / "page_password"
    if f.is_file():
        text = f.read_text(encoding="utf-8").strip()
        return text or None
    return None


def password_ok(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class BindRefused(SystemExit):
    pass


def check_bind(host: str | None, password: str | None) -> None:
    """Refuse (BindRefused, a SystemExit with the message) to serve the page beyond loopback without a
    password. host None means the default, localhost."""
    if host is not None and not is_loopback(host) and not password:
        raise BindRefused("error: " + NO_PASSWORD_EN.format(host=host))


class LoginThrottle:
    """Failed password tries per client key (its address); the clock is injectable."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # key → (failures, time of the last failure)
        self._lock = threading.Lock()

    def wait_left(self, key: str) -> float:
        """Seconds before this client may try again (0: now)."""
        with self._lock:
            n, last = self._failures.get(key, (0, 0.0))
        if n < FREE_TRIES:
            return 0.0
        wait = min(MAX_WAIT_S, 2.0 ** (n - FREE_TRIES))
        return max(0.0, last + wait - self._clock())

    def failed(self, key: str) -> None:
        with self._lock:
            n, _ = self._failures.get(key, (0, 0.0))
            if len(self._failures) > 10_000:
                self._failures.clear()
            self._failures[key] = (n + 1, self._clock())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


THROTTLE = LoginThrottle()
authenticated_sessions: set[str] = set()


def client_key(address: object) -> str:
    """The throttle key of a client: its address, or one shared key when the address is unknown."""
    return address if isinstance(address, str) and address else "unknown"


def try_login(given: str, expected: str, key: str, throttle: LoginThrottle | None = None) -> tuple[bool, float]:
    """(logged in, seconds to wait). A try inside the back-off is refused without checking the password."""
    throttle = throttle or THROTTLE
    wait = throttle.wait_left(key)
    if wait > 0:
        return False, wait
    if password_ok(given, expected):
        throttle.succeeded(key)
        return True, 0.0
    throttle.failed(key)
    return False, throttle.wait_left(key)


class PageGuard:
    """ASGI middleware in front of the page: without a password only loopback clients are served; with one,
    file uploads are accepted only for sessions that logged in."""

    def __init__(self, app: ASGIApp, data_dir: Path | str | None = None) -> None:
        self.app = app
        self.data_dir = data_dir

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            password = configured_password(self.data_dir)
            client = (scope.get("client") or (None, None))[0]
            if not password and not is_loopback(client):
                await _refuse(scope, send, NO_PASSWORD_RU)
                return
            path = scope.get("path", "")
            at = path.find(UPLOAD_PREFIX)  # also under a base URL path (server.baseUrlPath)
            if password and scope["type"] == "http" and at >= 0:
                session = path[at + len(UPLOAD_PREFIX):].split("/", 1)[0]
                if session not in authenticated_sessions:
                    await _refuse(scope, send, "Сначала войдите на страницу.")
                    return
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, send: Send, text: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
