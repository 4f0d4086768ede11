"""A small client for the public MAX Bot API (dev.max.ru): send a text to a chat, resolve an invite link.

Dry run by default: `MaxClient(send=False)` records the requests it would make in `recorded` and nothing
leaves the machine. With send=True it posts `POST {base}/messages?chat_id=…` with the header
`Authorization: <token>` (no "Bearer") and the JSON body `{"text": …}`; it keeps to 2 messages per second
per chat (injected clock and sleep) and backs off on 429 (and 503), honouring Retry-After.
The API's TLS certificate is issued by НУЦ Минцифры, which certifi lacks: pass a CA bundle with that root.
"""

from __future__ import annotations

import ssl
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

from planner.errors import PlannerError

DEFAULT_BASE_URL = "https://platform-api2.max.ru"
MAX_TEXT_LENGTH = 4000
RETRY_STATUSES = (429, 503)


class MaxApiError(PlannerError):
    """The MAX Bot API refused or could not be reached (`status`: the HTTP status, when there was one)."""

    def __init__(self, message: str, status: int | None = None, message_ru: str | None = None):
        self.status = status
        super().__init__(message, message_ru or f"ошибка MAX: {message}")


@dataclass(frozen=True)
class SendResult:
    chat_id: str
    message_id: str | None
    attempts: int
    dry_run: bool


@dataclass(frozen=True)
class RecordedRequest:
    """A request a dry-run client would have made (the token is never recorded)."""

    method: str
    path: str
    params: dict[str, str]
    body: dict | None


class RateLimiter:
    """At most `per_second` events per key in any one-second span (sliding window), with injected time."""

    def __init__(self, per_second: int = 2, clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] | None = None):
        self.per_second = per_second
        self._clock = clock or (lambda: time.monotonic())
        self._sleep = sleep or (lambda s: time.sleep(s))
        self._events: dict[str, deque[float]] = {}

    def wait(self, key: str) -> float:
        """Sleep until one more event for `key` is allowed, note it, and return the seconds slept."""
        events = self._events.setdefault(key, deque(maxlen=self.per_second))
        slept = 0.0
        if len(events) == self.per_second:
            delay = events[0] + 1.0 - self._clock()
            if delay > 0:
                self._sleep(delay)
                slept = delay
        events.append(self._clock())
        return slept


def ssl_context(ca_bundle: str | Path | None) -> ssl.SSLContext | bool:
    """TLS verification: the system/certifi default, or a context that trusts the given CA bundle file."""
    if ca_bundle is None:
        return True
    path = Path(ca_bundle)
    if not path.is_file():
        raise MaxApiError(f"CA bundle not found: {path}")
    return ssl.create_default_context(cafile=str(path))


def invite_slug(invite_link: str) -> str:
    """The last path segment of a chat link (https://max.ru/join/<slug> → <slug>)."""
    parsed = urlparse(invite_link)
    slug = parsed.path.rstrip("/").rsplit("/", 1)[-1] if parsed.scheme else invite_link.strip("/")
    if not slug:
        raise MaxApiError(f"not a chat link: {invite_link!r}")
    return slug


@dataclass
class MaxClient:
    token: str | None = None
    base_url: str | None = None  # None: DEFAULT_BASE_URL
    ca_bundle: str | Path | None = None
    send: bool = False  # False = dry run: record, never connect
    per_chat_per_second: int = 2
    max_retries: int = 5
    max_backoff: float = 30.0
    timeout: float = 15.0
    clock: Callable[[], float] | None = None
    sleep: Callable[[float], None] | None = None
    recorded: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.base_url = (self.base_url or DEFAULT_BASE_URL).rstrip("/")
        self._sleep = self.sleep or (lambda s: time.sleep(s))
        self._limiter = RateLimiter(self.per_chat_per_second, self.clock, self._sleep)
        self._http = None
        from planner.school.links import plain_http_off_loopback

        if plain_http_off_loopback(self.base_url):
            raise MaxApiError(f"refusing a MAX API base that is not https ({urlparse(self.base_url).hostname}): the "
                              "bot token would travel in clear text")
        if self.send:
            if not self.token:
                raise MaxApiError("no bot token (use --token-file or MAX_BOT_TOKEN)")
            import httpx

            self._http = httpx.Client(base_url=self.base_url, verify=ssl_context(self.ca_bundle),
                                      timeout=self.timeout, headers={"Authorization": self.token})

    @property
    def dry_run(self) -> bool:
        return not self.send

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def __enter__(self) -> "MaxClient":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _request(self, method: str, path: str, params: dict[str, str] | None = None, body: dict | None = None):
        """One API call with back-off on 429/503 (Retry-After, else 1, 2, 4 … s up to max_backoff)."""
        import httpx

        assert self._http is not None
        for attempt in range(1, self.max_retries + 2):
            try:
                response = self._http.request(method, path, params=params, json=body)
            except httpx.ConnectError as err:  # nothing reached the server: safe to retry
                response, error = None, err
            else:
                error = None
                if response.status_code not in RETRY_STATUSES:
                    break
            if attempt > self.max_retries:
                break
            self._sleep(self._backoff(response, attempt))
        if response is None:
            raise MaxApiError(f"cannot reach the MAX API at {self.base_url}: {error}")
        if response.status_code >= 400:
            raise MaxApiError(f"MAX API {method} {path}: HTTP {response.status_code} {response.text[:200]}",
                              response.status_code)
        return response, attempt

    def _backoff(self, response, attempt: int) -> float:
        header = response.headers.get("Retry-After") if response is not None else None
        try:
            wait = float(header) if header is not None else 2.0 ** (attempt - 1)
        except ValueError:
            wait = 2.0 ** (attempt - 1)
        return min(max(wait, 0.0), self.max_backoff)

    def send_text(self, chat_id: str, text: str) -> SendResult:
        """Post a text (≤ 4000 characters) to a chat, keeping the per-chat rate."""
        if len(text) > MAX_TEXT_LENGTH:
            raise MaxApiError(f"a MAX message holds at most {MAX_TEXT_LENGTH} characters, got {len(text)}")
        chat_id = str(chat_id)
        body = {"text": text}
        if self.dry_run:
            self.recorded.append(RecordedRequest("POST", "/messages", {"chat_id": chat_id}, body))
            return SendResult(chat_id, None, 0, True)
        self._limiter.wait(chat_id)
        response, attempts = self._request("POST", "/messages", {"chat_id": chat_id}, body)
        try:
            message_id = response.json().get("message", {}).get("body", {}).get("mid")
        except (ValueError, AttributeError, TypeError):  # delivered; only the receipt is not as documented
            message_id = None
        return SendResult(chat_id, message_id, attempts, False)

    def resolve_chat_id(self, invite_link: str) -> str:
        """The chat_id behind a chat link, through `GET /chats/{chatLink}` (the bot must be in the chat).
        Dry run: records the request and raises (nothing is resolved without the network)."""
        path = f"/chats/{quote(invite_slug(invite_link), safe='@')}"
        if self.dry_run:
            self.recorded.append(RecordedRequest("GET", path, {}, None))
            raise MaxApiError("dry run: the chat_id of a link is not resolved")
        response, _ = self._request("GET", path)
        chat_id = response.json().get("chat_id")
        if chat_id is None:
            raise MaxApiError(f"the MAX API returned no chat_id for {invite_link}")
        return str(chat_id)
