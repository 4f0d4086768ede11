"""Tokens (hashed, encrypted, revocable, rotatable, QR) and the feed server (ETag/304, 404s, st.App)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest
from starlette.testclient import TestClient

from planner.publish.feeds import publish_to_dir
from planner.publish.qr import write_token_qrs
from planner.publish.server import create_app
from planner.publish.tokens import TokenStore, feed_links, hash_token
from planner.storage import Store

from .conftest import NOW, ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:starlette.testclient")


@pytest.fixture
def published(tmp_path, school, plan01):
    store = Store.open(tmp_path / "data")
    publish_to_dir(store, school, plan01, tmp_path / "feeds", NOW)
    return store


def _token(store, kind="class"):
    return next(t for t in TokenStore(store).list() if t.kind == kind)


def test_tokens_are_long_hashed_and_encrypted_at_rest(tmp_path, published):
    tokens = TokenStore(published).list()
    assert tokens and all(len(t.secret) >= 43 for t in tokens)  # token_urlsafe(32): 256 bits
    db = (tmp_path / "data" / "planner.sqlite3").read_bytes() + b"".join(
        p.read_bytes() for p in (tmp_path / "data").glob("planner.sqlite3-*"))
    for t in tokens:
        assert t.secret.encode() not in db
        rec = published.get("token", t.id)
        assert rec.columns["token_hash"] == hash_token(t.secret) and t.secret not in str(rec.payload)
    key = tmp_path / "data" / "feed-tokens.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    # without the key file the links cannot be shown again, but lookup by hash still works
    blind = TokenStore(published, key_path=tmp_path / "nokey")
    assert all(t.secret is None for t in blind.list()) and blind.resolve(tokens[0].secret).id == tokens[0].id


def test_revoke_and_rotate(published):
    tokens = TokenStore(published)
    t = _token(published)
    assert tokens.resolve(t.secret).id == t.id
    new = tokens.rotate(t.id, now=NOW)
    assert tokens.resolve(t.secret) is None and tokens.resolve(new.secret).id == new.id
    assert (new.kind, new.subject_id, new.class_id) == (t.kind, t.subject_id, t.class_id)
    tokens.revoke(new.id, now=NOW)
    assert tokens.resolve(new.secret) is None
    assert new.id not in {x.id for x in tokens.list()} and new.id in {x.id for x in tokens.list(include_revoked=True)}
    assert tokens.resolve("x" * 43) is None and tokens.resolve("../../etc/passwd") is None


def test_links_and_qr_codes(tmp_path, published):
    t = _token(published)
    links = feed_links("https://school17.example.ru/raspisanie/", t.secret)
    assert links == {"https": f"https://school17.example.ru/raspisanie/feeds/{t.secret}.ics",
                     "webcal": f"webcal://school17.example.ru/raspisanie/feeds/{t.secret}.ics"}
    fam = TokenStore(published).create("school-17", "family", "Семья № 3", now=NOW, class_id="2A", groups=["2A-L1"])
    for fmt in ("png", "svg"):
        files = write_token_qrs([t, fam], "https://school17.example.ru", tmp_path / "qr", fmt=fmt)
        assert len(files) == 2 and all(f.stat().st_size > 100 and f.name.isascii() for f in files)
    assert files[0].read_text().lstrip().startswith(("<?xml", "<svg"))


def test_server_serves_feeds_with_etag_and_404s(published):
    client = TestClient(create_app(store=published, clock=lambda: NOW))
    t = _token(published)
    r = client.get(f"/feeds/{t.secret}.ics")
    assert r.status_code == 200 and r.headers["content-type"] == "text/calendar; charset=utf-8"
    assert r.content.startswith(b"BEGIN:VCALENDAR\r\n") and b"BEGIN:VEVENT" in r.content
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert client.get(f"/feeds/{t.secret}.ics", headers={"If-None-Match": etag}).status_code == 304
    assert client.get(f"/feeds/{t.secret}.ics", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(f"/feeds/{t.secret}.ics", headers={"If-Modified-Since": modified}).status_code == 304
    older = format_datetime(NOW - timedelta(days=30), usegmt=True)
    assert client.get(f"/feeds/{t.secret}.ics", headers={"If-Modified-Since": older}).status_code == 200
    assert client.head(f"/feeds/{t.secret}.ics").status_code == 200
    assert client.get("/feeds/" + "A" * 43 + ".ics").status_code == 404
    assert client.get("/feeds/nope.ics").status_code == 404
    assert client.get("/feeds").status_code == 404 and client.get("/feeds/").status_code == 404
    TokenStore(published).revoke(t.id, now=NOW)
    assert client.get(f"/feeds/{t.secret}.ics").status_code == 404


def test_server_cache_follows_the_publication(tmp_path, published, school, plan01):
    client = TestClient(create_app(store=published, clock=lambda: NOW))
    t = _token(published, "admin")
    first = client.get(f"/feeds/{t.secret}.ics")
    target = next(o for o in plan01.occurrences if o.link)
    changed = plan01.model_copy(update={"occurrences": [
        o.model_copy(update={"start": o.start + timedelta(minutes=5), "end": o.end + timedelta(minutes=5)})
        if o is target else o for o in plan01.occurrences]})
    publish_to_dir(published, school, changed, tmp_path / "feeds", NOW)
    second = client.get(f"/feeds/{t.secret}.ics", headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200 and second.headers["etag"] != first.headers["etag"]
    assert second.content == (tmp_path / "feeds" / f"{t.secret}.ics").read_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, deadline: float) -> httpx.Response:
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.parametrize("target", ["page", "serve"])
def test_feeds_over_real_http(tmp_path, published, target):
    """`planner serve` and the page's process (st.App via uvicorn --factory) both serve a feed."""
    port = _free_port()
    env = dict(os.environ, PLANNER_DATA_DIR=str(tmp_path / "data"))
    bindir = os.path.dirname(sys.executable)
    if target == "page":
        cmd = [os.path.join(bindir, "uvicorn"), "planner.publish.server:page_app", "--factory", "--host", "127.0.0.1",
               "--port", str(port)]
    else:
        cmd = [os.path.join(bindir, "planner"), "serve", "--data-dir", str(tmp_path / "data"), "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        t = _token(published)
        r = _wait(f"{base}/feeds/{t.secret}.ics", time.monotonic() + 60)
        assert r.status_code == 200 and r.headers["content-type"] == "text/calendar; charset=utf-8"
        assert r.content == (tmp_path / "feeds" / f"{t.secret}.ics").read_bytes()
        assert httpx.get(f"{base}/feeds/{'B' * 43}.ics", timeout=5).status_code == 404
        if target == "page":
            health = httpx.get(f"{base}/_stcore/health", timeout=10)
            assert health.status_code == 200 and health.text.strip() == "ok"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
