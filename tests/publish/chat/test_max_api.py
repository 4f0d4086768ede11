"""The MAX Bot API client against a local stand-in server on 127.0.0.1 (the real API is not reachable here)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import certifi
import pytest

from planner.publish.chat.max_api import MaxApiError, MaxClient, RateLimiter, invite_slug, ssl_context

TOKEN = "test-token-123"


class FakeClock:
    """Injected monotonic clock; sleep advances it and is remembered."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


class FakeMax:
    """A stand-in for the MAX Bot API: records every request; `script` holds (status, headers) answers to give
    first (then 200); `chats` maps a link slug to its chat_id for GET /chats/{slug}; `fail_chats` answer 500.
    The server thread stops on exit, and by itself after `lifetime` seconds at the latest."""

    def __init__(self, clock=None, lifetime: float = 60.0) -> None:
        self.requests: list[dict] = []
        self.script: list[tuple[int, dict]] = []
        self.chats: dict[str, int] = {}
        self.fail_chats: set[str] = set()
        self.clock = clock
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:
                pass

            def _handle(self) -> None:
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with fake._lock:
                    fake.requests.append(dict(method=self.command, path=url.path, query=parse_qs(url.query),
                                              headers=dict(self.headers), body=json.loads(raw) if raw else None,
                                              t=fake.clock() if fake.clock else None))
                    n = len(fake.requests)
                    status, headers = fake.script.pop(0) if fake.script else (200, {})
                query_chat = parse_qs(url.query).get("chat_id", [""])[0]
                if status == 200 and query_chat in fake.fail_chats:
                    status = 500
                payload: dict = {"code": "error", "message": "scripted"}
                if status == 200 and self.command == "POST":
                    payload = {"message": {"body": {"mid": f"mid.{n}"}, "recipient": {"chat_id": int(query_chat)}}}
                elif status == 200 and self.command == "GET":
                    slug = url.path.rsplit("/", 1)[-1]
                    if slug in fake.chats:
                        payload = {"chat_id": fake.chats[slug], "type": "chat", "link": f"https://max.ru/join/{slug}"}
                    else:
                        status, payload = 404, {"code": "not.found", "message": "chat not found"}
                data = json.dumps(payload).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.timer = threading.Timer(lifetime, self.server.shutdown)
        self.timer.daemon = True

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def posts(self, chat_id: str | None = None) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST"
                and (chat_id is None or r["query"].get("chat_id") == [chat_id])]

    def __enter__(self) -> "FakeMax":
        self.thread.start()
        self.timer.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.timer.cancel()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock):
    with FakeMax(clock) as server:
        yield server


def client_for(fake: FakeMax, clock: FakeClock, **kw) -> MaxClient:
    return MaxClient(TOKEN, base_url=fake.base_url, send=True, clock=clock, sleep=clock.sleep, **kw)


def test_send_posts_the_text_with_the_token_header_and_chat_id(fake, clock):
    with client_for(fake, clock) as client:
        result = client.send_text("-100", "Привет, 5А!\nОнлайн-урок в 08:00")
    assert len(fake.requests) == 1
    req = fake.requests[0]
    assert req["method"] == "POST" and req["path"] == "/messages"
    assert req["query"] == {"chat_id": ["-100"]}
    assert req["headers"]["Authorization"] == TOKEN  # no "Bearer", no query-string token
    assert "access_token" not in req["query"]
    assert req["headers"]["Content-Type"].startswith("application/json")
    assert req["body"] == {"text": "Привет, 5А!\nОнлайн-урок в 08:00"}
    assert result.message_id == "mid.1" and result.attempts == 1 and not result.dry_run


def test_at_most_two_messages_per_second_per_chat(fake, clock):
    with client_for(fake, clock) as client:
        for i in range(6):
            client.send_text("-1", f"a{i}")
            client.send_text("-2", f"b{i}") if i < 2 else None
    times = [r["t"] for r in fake.posts("-1")]
    assert len(times) == 6
    assert all(times[i + 2] - times[i] >= 1.0 for i in range(len(times) - 2))
    assert sum(clock.sleeps) == pytest.approx(2.0)  # 6 messages in one chat: 0, 0, 1, 1, 2, 2 s
    other = [r["t"] for r in fake.posts("-2")]
    assert other[0] == times[0] and other[1] == times[1]  # another chat does not wait for the first


def test_rate_limiter_sliding_window():
    clock = FakeClock()
    limiter = RateLimiter(2, clock, clock.sleep)
    assert [limiter.wait("c") for _ in range(3)] == [0.0, 0.0, 1.0]
    clock.t += 0.4  # the events are at 1000, 1000, 1001; now 1001.4
    assert limiter.wait("c") == 0.0
    assert limiter.wait("c") == pytest.approx(0.6)  # two within the last second (1001, 1001.4)
    assert limiter.wait("other") == 0.0


def test_429_backs_off_with_retry_after_and_retries(fake, clock):
    fake.script = [(429, {"Retry-After": "1.5"}), (429, {"Retry-After": "1.5"})]
    with client_for(fake, clock) as client:
        result = client.send_text("-100", "текст")
    assert len(fake.requests) == 3
    assert clock.sleeps == [1.5, 1.5]
    assert result.attempts == 3 and result.message_id == "mid.3"


def test_503_without_retry_after_backs_off_exponentially(fake, clock):
    fake.script = [(503, {}), (503, {})]
    with client_for(fake, clock) as client:
        client.send_text("-100", "текст")
    assert clock.sleeps == [1.0, 2.0]


def test_gives_up_after_max_retries(fake, clock):
    fake.script = [(429, {"Retry-After": "1"})] * 10
    with client_for(fake, clock, max_retries=2) as client, pytest.raises(MaxApiError) as err:
        client.send_text("-100", "текст")
    assert err.value.status == 429
    assert len(fake.requests) == 3


def test_other_http_errors_are_not_retried(fake, clock):
    fake.script = [(400, {})]
    with client_for(fake, clock) as client, pytest.raises(MaxApiError, match="HTTP 400"):
        client.send_text("-100", "текст")
    assert len(fake.requests) == 1 and clock.sleeps == []


def test_dry_run_records_and_sends_nothing(fake, clock):
    client = MaxClient(None, base_url=fake.base_url, clock=clock, sleep=clock.sleep)
    assert client.dry_run
    result = client.send_text("-100", "текст")
    with pytest.raises(MaxApiError, match="dry run"):
        client.resolve_chat_id("https://max.ru/join/abc")
    assert fake.requests == []
    assert result.dry_run and result.attempts == 0
    assert [(r.method, r.path, r.params, r.body) for r in client.recorded] == [
        ("POST", "/messages", {"chat_id": "-100"}, {"text": "текст"}), ("GET", "/chats/abc", {}, None)]


def test_token_never_recorded_in_dry_run(fake, clock):
    client = MaxClient(TOKEN, base_url=fake.base_url)
    client.send_text("-1", "x")
    assert TOKEN not in repr(client.recorded)


def test_text_over_4000_characters_is_refused(fake, clock):
    with client_for(fake, clock) as client:
        client.send_text("-1", "я" * 4000)
        with pytest.raises(MaxApiError, match="4000"):
            client.send_text("-1", "я" * 4001)
    assert len(fake.requests) == 1


def test_resolve_chat_id_from_an_invite_link(fake, clock):
    fake.chats = {"owiy8vzxqWfw": -777}
    with client_for(fake, clock) as client:
        assert client.resolve_chat_id("https://max.ru/join/owiy8vzxqWfw") == "-777"
        with pytest.raises(MaxApiError, match="404"):
            client.resolve_chat_id("https://max.ru/join/unknown")
    req = fake.requests[0]
    assert (req["method"], req["path"], req["headers"]["Authorization"]) == ("GET", "/chats/owiy8vzxqWfw", TOKEN)


def test_invite_slug():
    assert invite_slug("https://max.ru/join/AbC-1_x/") == "AbC-1_x"
    assert invite_slug("@school17") == "@school17"
    with pytest.raises(MaxApiError):
        invite_slug("https://max.ru/")


def test_send_needs_a_token_and_a_ca_bundle_that_exists(tmp_path):
    with pytest.raises(MaxApiError, match="token"):
        MaxClient(None, send=True)
    with pytest.raises(MaxApiError, match="CA bundle"):
        MaxClient(TOKEN, send=True, ca_bundle=tmp_path / "missing.pem")
    assert ssl_context(None) is True
    assert ssl_context(certifi.where()).verify_mode.name == "CERT_REQUIRED"
    MaxClient(TOKEN, send=True, ca_bundle=certifi.where()).close()


def test_unreachable_server_is_a_clear_error(clock):
    with FakeMax() as server:
        url = server.base_url
    with MaxClient(TOKEN, base_url=url, send=True, clock=clock, sleep=clock.sleep, max_retries=1) as client:
        with pytest.raises(MaxApiError, match="cannot reach"):
            client.send_text("-1", "x")
    assert clock.sleeps == [1.0]
