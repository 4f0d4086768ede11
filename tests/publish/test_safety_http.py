"""Issue 11 (1, 2, 3, 8): no open page beyond loopback, uploads behind the login, throttled password tries, no
token in any log, bounded request heads (size and time) on both servers."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx
import pytest

from planner.publish.feeds.workflow import publish_to_dir
from planner.publish.feeds.tokens import TokenStore
from planner.storage import Store
from planner.ui import access
from planner.ui.access import BindRefused, LoginThrottle, PageGuard, check_bind, try_login

from .conftest import NOW, ROOT, stop_process

BIN = os.path.dirname(sys.executable)
GUARD = "planner.publish.feeds.httpguard:GuardedHttpToolsProtocol"


@pytest.fixture
def published(tmp_path, school, plan01):
    store = Store.open(tmp_path / "data")
    publish_to_dir(store, school, plan01, tmp_path / "feeds", NOW)
    return store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- 1: the page beyond loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org"])
def test_check_bind_refuses_non_local_without_password(host):
    with pytest.raises(BindRefused, match="PLANNER_PAGE_PASSWORD"):
        check_bind(host, None)
    check_bind(host, "secret")  # with a password: fine
    for local in ("localhost", "127.0.0.1", "::1", None):
        check_bind(local, None)


def test_page_process_refuses_0_0_0_0_without_password(tmp_path):
    env = dict(os.environ, PLANNER_DATA_DIR=str(tmp_path / "data"))
    env.pop("PLANNER_PAGE_PASSWORD", None)
    env.pop("PLANNER_ADDRESS", None)
    out = subprocess.run([os.path.join(BIN, "uvicorn"), "planner.publish.feeds.server:page_app", "--factory", "--host",
                          "0.0.0.0", "--port", str(_free_port())], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode != 0
    assert "without a password" in out.stdout + out.stderr and "PLANNER_PAGE_PASSWORD" in out.stdout + out.stderr


async def _call(guard, path, client, method="GET"):
    sent, reached = [], []

    async def inner(scope, receive, send):
        reached.append(scope["path"])

    async def send(msg):
        sent.append(msg)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": method, "path": path, "client": (client, 5000), "headers": []}
    await PageGuard(inner, data_dir=guard)(scope, receive, send)
    return (sent[0]["status"] if sent else None), reached


def test_page_guard_refuses_remote_clients_without_password(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_PAGE_PASSWORD", raising=False)
    status, reached = asyncio.run(_call(tmp_path, "/", "10.1.2.3"))
    assert status == 403 and not reached
    status, reached = asyncio.run(_call(tmp_path, "/", "127.0.0.1"))
    assert status is None and reached == ["/"]


def test_uploads_need_a_logged_in_session(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_PAGE_PASSWORD", "correct horse")
    path = "/_stcore/upload_file/sess-1/file-1"
    status, reached = asyncio.run(_call(tmp_path, path, "127.0.0.1", "PUT"))
    assert status == 403 and not reached
    status, reached = asyncio.run(_call(tmp_path, "/planner" + path, "127.0.0.1", "PUT"))  # under a base path
    assert status == 403 and not reached
    monkeypatch.setattr(access, "authenticated_sessions", {"sess-1"})
    status, reached = asyncio.run(_call(tmp_path, path, "10.1.2.3", "PUT"))
    assert status is None and reached == [path]


def test_password_tries_back_off():
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(access.FREE_TRIES - 1):
        assert try_login("wrong", "right", "1.2.3.4", throttle) == (False, 0.0)
    ok, wait = try_login("wrong", "right", "1.2.3.4", throttle)
    assert not ok and wait == 1.0
    # inside the back-off even the right password is not checked
    assert try_login("right", "right", "1.2.3.4", throttle) == (False, 1.0)
    assert try_login("right", "right", "5.6.7.8", throttle) == (True, 0.0)  # another client is not slowed
    now[0] += 1.0
    ok, wait = try_login("wrong", "right", "1.2.3.4", throttle)
    assert not ok and wait == 2.0  # doubles
    now[0] += 2.0
    assert try_login("right", "right", "1.2.3.4", throttle) == (True, 0.0)


# ---------------------------------------------------------------- 2, 3: logs and limits of both servers


def _raw(port: int, data: bytes, *, timeout: float = 10.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may close while we are still sending the oversized head
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except OSError:
            pass
        return b"".join(chunks)


@pytest.mark.parametrize("target", ["page", "serve"])
def test_servers_mask_tokens_and_bound_request_heads(tmp_path, published, target):
    port = _free_port()
    env = dict(os.environ, PLANNER_DATA_DIR=str(tmp_path / "data"), PLANNER_HEAD_TIMEOUT_S="1")
    env.pop("PLANNER_PAGE_PASSWORD", None)
    if target == "page":  # as scripts/run-page.sh starts it (uvicorn's access log is on by default)
        cmd = [os.path.join(BIN, "uvicorn"), "planner.publish.feeds.server:page_app", "--factory", "--host", "127.0.0.1",
               "--port", str(port), "--http", GUARD, "--timeout-keep-alive", "5"]
    else:
        cmd = [os.path.join(BIN, "planner"), "serve", "--data-dir", str(tmp_path / "data"), "--port", str(port),
               "--access-log"]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    secret = next(t for t in TokenStore(published).list() if t.kind == "class").secret
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                r = httpx.get(f"{base}/feeds/{secret}.ics", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert r.status_code == 200
        assert httpx.get(f"{base}/feeds/{'B' * 43}.ics", timeout=5).status_code == 404
        if target == "page":
            assert httpx.get(f"{base}/_stcore/health", timeout=10).status_code == 200
        # a 1 MB header: 431 without reading it all, and the server still answers at once afterwards
        head = b"GET /feeds/" + secret.encode() + b".ics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n"
        t0 = time.monotonic()
        answer = _raw(port, head)
        assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
        assert time.monotonic() - t0 < 5
        # a trickled head is cut off after PLANNER_HEAD_TIMEOUT_S
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET /feeds/")
            answer = s.recv(4096)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
        assert httpx.get(f"{base}/feeds/{secret}.ics", timeout=5).status_code == 200
        time.sleep(0.5)  # let the access log lines reach the file
    finally:
        stop_process(proc, timeout=15)
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    assert "/feeds/***.ics" in text  # the requests were logged ...
    assert secret not in text and "B" * 43 not in text  # ... without their tokens
