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

from planner.publish.feeds.files import feed_file_name
from planner.publish.feeds.workflow import publish_to_dir
from planner.publish.feeds.qr import write_token_qrs
from planner.publish.feeds.server import create_app
from planner.publish.feeds.tokens import TokenStore, feed_links, hash_token
from planner.storage import Store

from ..conftest import NOW, ROOT, stop_process

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
    assert second.content == (tmp_path / "feeds" / feed_file_name(t.secret)).read_bytes()


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
        cmd = [os.path.join(bindir, "uvicorn"), "planner.publish.feeds.server:page_app", "--factory", "--host", "127.0.0.1",
               "--port", str(port)]
    else:
        cmd = [os.path.join(bindir, "planner"), "serve", "--data-dir", str(tmp_path / "data"), "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        t = _token(published)
        r = _wait(f"{base}/feeds/{t.secret}.ics", time.monotonic() + 60)
        assert r.status_code == 200 and r.headers["content-type"] == "text/calendar; charset=utf-8"
        assert r.content == (tmp_path / "feeds" / feed_file_name(t.secret)).read_bytes()
        assert httpx.get(f"{base}/feeds/{'B' * 43}.ics", timeout=5).status_code == 404
        if target == "page":
            health = httpx.get(f"{base}/_stcore/health", timeout=10)
            assert health.status_code == 200 and health.text.strip() == "ok"
    finally:
        stop_process(proc, timeout=15)


# ---------------------------------------------------------------- the cache and other writers (fast path)


def _moved(plan, minutes=5):
    """The plan with its first linked lesson moved by some minutes (a publication that changes the feeds)."""
    target = next(o for o in plan.occurrences if o.link)
    return plan.model_copy(update={"occurrences": [
        o.model_copy(update={"start": o.start + timedelta(minutes=minutes), "end": o.end + timedelta(minutes=minutes)})
        if o is target else o for o in plan.occurrences]})


def test_cache_follows_writes_through_another_store(tmp_path, published, school, plan01):
    """A second Store (its own connections, as another process has) publishes, revokes and rotates: the server
    sees each on the very next request."""
    client = TestClient(create_app(tmp_path / "data", clock=lambda: NOW))
    admin, cls = _token(published, "admin"), _token(published, "class")
    first = client.get(f"/feeds/{admin.secret}.ics")
    assert first.status_code == 200 and client.get(f"/feeds/{cls.secret}.ics").status_code == 200
    assert client.get(f"/feeds/{admin.secret}.ics", headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    with Store.open(tmp_path / "data") as other:
        publish_to_dir(other, school, _moved(plan01), tmp_path / "feeds", NOW)
        r = client.get(f"/feeds/{admin.secret}.ics", headers={"If-None-Match": first.headers["etag"]})
        assert r.status_code == 200 and r.headers["etag"] != first.headers["etag"]
        assert r.content == (tmp_path / "feeds" / feed_file_name(admin.secret)).read_bytes()
        TokenStore(other).revoke(cls.id, now=NOW)
        assert client.get(f"/feeds/{cls.secret}.ics").status_code == 404
        assert client.head(f"/feeds/{cls.secret}.ics").status_code == 404
        new = TokenStore(other).rotate(admin.id, now=NOW)
        assert client.get(f"/feeds/{admin.secret}.ics").status_code == 404
        r = client.get(f"/feeds/{new.secret}.ics")
        fresh = TestClient(create_app(store=other, clock=lambda: NOW)).get(f"/feeds/{new.secret}.ics")
        assert r.status_code == 200 and r.content == fresh.content and b"BEGIN:VEVENT" in r.content


def test_cache_hits_query_nothing_and_unrelated_commits_do_not_re_render(published, monkeypatch):
    from planner.publish.feeds import server

    app = create_app(store=published, clock=lambda: NOW)
    client = TestClient(app)
    service = next(m.kwargs["service"] for m in app.user_middleware)
    t = _token(published)
    renders, resolves = [], []
    render, resolve = service.renderer.render, service.tokens.resolve
    monkeypatch.setattr(service.renderer, "render", lambda *a, **k: renders.append(1) or render(*a, **k))
    monkeypatch.setattr(service.tokens, "resolve", lambda s: resolves.append(1) or resolve(s))
    body = client.get(f"/feeds/{t.secret}.ics").content
    assert (len(renders), len(resolves)) == (1, 1)
    for _ in range(5):
        assert client.get(f"/feeds/{t.secret}.ics").content == body
    assert (len(renders), len(resolves)) == (1, 1)  # hits: no token or publication query, no render
    Store.open(published.data_dir).save("message", "m1", {"text": "x"}, None, school_id="school-17")
    assert client.get(f"/feeds/{t.secret}.ics").content == body
    assert (len(renders), len(resolves)) == (1, 2)  # a commit: checked again, not re-rendered
    # unknown but well-formed tokens are remembered until the next commit; malformed ones never reach the db
    for _ in range(3):
        assert client.get("/feeds/" + "C" * 43 + ".ics").status_code == 404
        assert client.get("/feeds/x.y.ics").status_code == 404
    assert len(resolves) == 3
    assert isinstance(service.stamp, server.ChangeStamp) and service.stamp.cheap


def test_cache_expires_at_local_midnight(published):
    now = [NOW]
    client = TestClient(create_app(store=published, clock=lambda: now[0]))
    t = _token(published)
    today = client.get(f"/feeds/{t.secret}.ics")
    now[0] = NOW + timedelta(days=30)  # the window moved: the frost week is no longer "ahead"
    later = client.get(f"/feeds/{t.secret}.ics", headers={"If-None-Match": today.headers["etag"]})
    assert later.status_code == 200 and later.content != today.content
    now[0] = NOW
    assert client.get(f"/feeds/{t.secret}.ics").content == today.content


def test_other_methods_and_paths_still_go_through_the_router(published):
    client = TestClient(create_app(store=published, clock=lambda: NOW))
    t = _token(published)
    assert client.post(f"/feeds/{t.secret}.ics").status_code == 405
    assert client.get(f"/feeds/{t.secret}.ics/x").status_code == 404
    assert client.get(f"/feeds/a/{t.secret}.ics").status_code == 404
    r = client.head(f"/feeds/{t.secret}.ics")
    assert r.status_code == 200 and r.content == b"" and int(r.headers["content-length"]) > 1000
    assert r.headers["content-type"] == "text/calendar; charset=utf-8" and r.headers["etag"]


def test_real_server_with_two_workers_follows_other_processes(tmp_path, published, school, plan01):
    """`serve(workers=2)` (uvicorn, one cache per worker) while the CLI, another process, revokes a token and
    publishes a new plan: every worker answers the new state on the next request."""
    port = _free_port()
    code = (f"from planner.publish.feeds.server import serve; serve({str(tmp_path / 'data')!r}, port={port}, workers=2, "
            "log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    planner = os.path.join(os.path.dirname(sys.executable), "planner")
    try:
        base = f"http://127.0.0.1:{port}"
        cls, admin = _token(published, "class"), _token(published, "admin")
        assert _wait(f"{base}/feeds/{cls.secret}.ics", time.monotonic() + 60).status_code == 200
        with httpx.Client(base_url=base, timeout=10) as http:
            before = {http.get(f"/feeds/{admin.secret}.ics").content for _ in range(20)}
            assert len(before) == 1
            for _ in range(20):
                assert http.get(f"/feeds/{cls.secret}.ics").status_code == 200
            subprocess.run([planner, "tokens", "revoke", cls.id, "--data-dir", str(tmp_path / "data")], check=True,
                           capture_output=True, timeout=120)
            assert {http.get(f"/feeds/{cls.secret}.ics").status_code for _ in range(20)} == {404}
            plan_file = tmp_path / "moved.json"
            plan_file.write_text(_moved(plan01, 10).model_dump_json())
            subprocess.run([planner, "publish", str(ROOT / "sample_data" / "school-17"), str(plan_file), "--out",
                            str(tmp_path / "feeds"), "--data-dir", str(tmp_path / "data"), "--now", NOW.isoformat()],
                           check=True, capture_output=True, timeout=300)
            after = {http.get(f"/feeds/{admin.secret}.ics").content for _ in range(20)}
            assert after == {(tmp_path / "feeds" / feed_file_name(admin.secret)).read_bytes()} and after != before
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=5)


def test_change_stamp_without_the_sqlite_pragma(tmp_path, published):
    """Other databases (PLANNER_DB_URL): the stamp is an aggregate over tokens and publications; the server then
    checks it in a worker thread and still sees a revocation at once."""
    from planner.publish.feeds.server import ChangeStamp

    stamp = ChangeStamp(published, sqlite_pragma=False)
    assert not stamp.cheap
    t = _token(published)
    before = stamp.current()
    assert stamp.current() == before
    app = create_app(store=published, clock=lambda: NOW)
    service = next(m.kwargs["service"] for m in app.user_middleware)
    service.stamp = stamp
    client = TestClient(app)
    assert client.get(f"/feeds/{t.secret}.ics").status_code == 200
    TokenStore(Store.open(tmp_path / "data")).revoke(t.id, now=NOW)
    assert stamp.current() != before
    assert client.get(f"/feeds/{t.secret}.ics").status_code == 404
    stamp.close()
