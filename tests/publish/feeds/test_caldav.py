"""CalDAV push end to end against a real Radicale server that the test starts on loopback (docs/caldav.md).

radicale and caldav are test requirements: when either is missing the tests FAIL (never skip) with the command
that installs them. The server is checked over plain HTTP (REPORT calendar-query with getetag and calendar-data),
not through the caldav library under test; client writes are counted by wrapping caldav's DAVClient.request.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import httpx
import pytest
from icalendar import Calendar

from planner.cli import main
from planner.errors import InputError
from planner.publish.feeds.select import feed_items
from planner.publish.feeds.state import load_state
from planner.publish.feeds.publication import publish_plan
from planner.publish.feeds.caldav import ObjectBuilder, parse_feed_selection, push_caldav
from planner.publish.feeds.events import CANCELLED_PREFIX
from planner.rebuild import rebuild
from planner.scenario import scenario_from_toml
from planner.storage import Store

from ..conftest import NOW, SAMPLE, stop_process

USER, PASSWORD = "planner", "secret"
TZ = ZoneInfo("Asia/Yekaterinburg")
NOW2 = datetime(2026, 12, 7, 15, 0, tzinfo=TZ)  # Monday afternoon: the re-plan (scenario 11) from Tuesday
DAV, CAL = "{DAV:}", "{urn:ietf:params:xml:ns:caldav}"
FOREIGN = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone else//EN\r\nBEGIN:VEVENT\r\nUID:parents-meeting@"
           "example.org\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20261209T130000Z\r\nDTEND:20261209T140000Z\r\n"
           "SUMMARY:Родительское собрание\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def _require_caldav_and_radicale():
    missing = []
    for name in ("caldav", "radicale"):
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        pytest.fail(f"{' and '.join(missing)} not installed: the CalDAV push is tested against a real Radicale "
                    f"server through the caldav library; run `.venv/bin/pip install caldav radicale` "
                    "(caldav is a runtime dependency, radicale a test extra)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def radicale(tmp_path):
    """A Radicale server on a free loopback port (htpasswd, plain), storage in tmp_path; stopped in finally."""
    _require_caldav_and_radicale()
    port = _free_port()
    (tmp_path / "users").write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    cfg = tmp_path / "radicale.cfg"
    cfg.write_text(f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = htpasswd\nhtpasswd_filename = "
                   f"{tmp_path / 'users'}\nhtpasswd_encryption = plain\n[storage]\nfilesystem_folder = "
                   f"{tmp_path / 'radicale'}\n[logging]\nlevel = warning\n", encoding="utf-8")
    log = open(tmp_path / "radicale.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(cfg)], stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                pytest.fail(f"radicale exited ({proc.returncode}): {(tmp_path / 'radicale.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("radicale did not listen within 20 s")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc, timeout=10)
        log.close()


def _make_calendar(base: str, cal_id: str) -> str:
    url = f"{base}/{USER}/{cal_id}/"
    r = httpx.request("MKCALENDAR", url, auth=(USER, PASSWORD), timeout=10)
    assert r.status_code == 201, r.text
    return url


_QUERY = (b'<?xml version="1.0" encoding="utf-8"?><C:calendar-query xmlns:D="DAV:" '
          b'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter>'
          b'<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter>'
          b'</C:calendar-query>')


def _server(url: str) -> dict[str, dict]:
    """What the server holds, by UID: etag, UTC start, summary, SEQUENCE, STATUS and the object's shape."""
    r = httpx.request("REPORT", url, content=_QUERY, auth=(USER, PASSWORD), timeout=30,
                      headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"})
    assert r.status_code == 207, r.text
    out = {}
    for resp in ET.fromstring(r.content).iter(f"{DAV}response"):
        etag = resp.findtext(f".//{DAV}getetag")
        data = resp.findtext(f".//{CAL}calendar-data")
        cal = Calendar.from_ical(data)
        events = list(cal.walk("VEVENT"))
        ev = events[0]
        uid = str(ev["UID"])
        assert uid not in out, f"{uid} twice on the server"
        out[uid] = {"etag": etag, "start": ev.start.astimezone(timezone.utc), "summary": str(ev["SUMMARY"]),
                    "sequence": int(ev.get("SEQUENCE", 0)), "status": str(ev.get("STATUS", "CONFIRMED")),
                    "vevents": len(events), "tzids": [str(t["TZID"]) for t in cal.walk("VTIMEZONE")],
                    "method": cal.get("METHOD"), "href": resp.findtext(f"{DAV}href")}
    return out


@pytest.fixture
def writes(monkeypatch):
    """HTTP methods the caldav client sends, counted."""
    import caldav

    seen: Counter = Counter()
    original = caldav.DAVClient.request

    def counting(self, url, method="GET", *args, **kwargs):
        seen[method] += 1
        return original(self, url, method, *args, **kwargs)

    monkeypatch.setattr(caldav.DAVClient, "request", counting)
    return seen


@pytest.fixture(scope="module")
def plan11(school, library, plan01):
    return rebuild(school, scenario_from_toml(SAMPLE / "scenarios" / "11-frost-replan-sick-day2.toml"), library,
                   published=plan01)


def _push(state, spec, url, today):
    return push_caldav(state, spec, url, username=USER, password=PASSWORD, today=today)


def test_push_publish_replan_and_expiry(tmp_path, radicale, writes, school, plan01, plan11):
    url = _make_calendar(radicale, "timetable")
    httpx.put(url + "foreign.ics", content=FOREIGN.encode(), auth=(USER, PASSWORD),
              headers={"Content-Type": "text/calendar; charset=utf-8"}).raise_for_status()
    store = Store.open(tmp_path / "data")
    publish_plan(store, school, plan01, NOW)
    state = load_state(store, school.id)
    spec = parse_feed_selection("teacher:T-RUS1", school)  # the teacher who falls sick in the re-plan
    today = NOW.astimezone(TZ).date()
    wanted = {i.event.uid: i for i in feed_items(state, spec, today)}
    assert len(wanted) >= 10

    # 1. first push: every event created, the server holds exactly them (and the foreign event)
    r1 = _push(state, spec, url, today)
    assert set(r1.created) == set(wanted) and not (r1.updated or r1.deleted or r1.unchanged)
    assert writes["PUT"] == len(wanted) and writes["DELETE"] == 0
    held = _server(url)
    assert set(held) == set(wanted) | {"parents-meeting@example.org"}
    for uid, item in wanted.items():
        got = held[uid]
        assert got["start"] == item.event.start.astimezone(timezone.utc), uid
        assert got["summary"] == item.summary and got["sequence"] == item.sequence == 1, uid
        assert got["vevents"] == 1 and got["tzids"] == ["Asia/Yekaterinburg"] and got["method"] is None, uid

    # 2. re-push unchanged: no write at all
    writes.clear()
    r2 = _push(state, spec, url, today)
    assert r2.writes == 0 and len(r2.unchanged) == len(wanted)
    assert writes["PUT"] == writes["DELETE"] == 0
    assert _server(url) == held

    # 3. re-plan (scenario 11, published = plan 01) from Tuesday on, published on Monday; scenario 11 keeps
    #    every lesson, so one of the teacher's Wednesday lessons is taken out to have a dropped one too
    victim = next(o for o in plan11.occurrences
                  if o.date == date(2026, 12, 9) and "T-RUS1" in (*o.teachers, *o.regular_teachers))
    replan = plan11.model_copy(update={"occurrences": [o for o in plan11.occurrences if o is not victim]})
    pub = publish_plan(store, school, replan, NOW2)
    state2 = load_state(store, school.id)
    today2 = NOW2.date()
    wanted2 = {i.event.uid: i for i in feed_items(state2, spec, today2)}
    changed = {u for u in set(wanted) & set(wanted2) if wanted2[u].sequence != wanted[u].sequence}
    assert changed and changed <= set(pub.changed) | set(pub.dropped)
    dropped = {u for u in changed if wanted2[u].dropped}
    assert len(dropped) == 1 and len(changed) > len(dropped)
    writes.clear()
    r3 = _push(state2, spec, url, today2)
    assert set(r3.updated) == changed
    assert set(r3.created) | set(r3.skipped) == set(wanted2) - set(wanted)
    assert set(r3.deleted) == set(wanted) - set(wanted2)
    assert set(r3.unchanged) == set(wanted) & set(wanted2) - changed
    assert writes["PUT"] == len(r3.created) + len(r3.updated)
    after = _server(url)
    for uid in changed:
        assert after[uid]["sequence"] == wanted2[uid].sequence > held[uid]["sequence"], uid
        assert after[uid]["etag"] != held[uid]["etag"] and after[uid]["summary"] == wanted2[uid].summary, uid
        assert after[uid]["start"] == wanted2[uid].event.start.astimezone(timezone.utc), uid
    for uid in dropped:  # a dropped lesson stays, cancelled, until its date has passed (the feed convention)
        assert after[uid]["status"] == "CANCELLED" and after[uid]["summary"].startswith(CANCELLED_PREFIX), uid
    for uid in set(r3.unchanged) | {"parents-meeting@example.org"}:
        assert after[uid] == held[uid], uid  # untouched: same ETag, same content
    writes.clear()
    assert _push(state2, spec, url, today2).writes == 0 and writes["PUT"] == writes["DELETE"] == 0

    # 4. a week later the cancelled lessons whose date has passed leave the feed and the calendar
    later = date(2026, 12, 13)
    gone = {u for u, i in wanted2.items() if i.status == "CANCELLED" and i.event.date < later}
    assert gone == dropped
    r4 = _push(state2, spec, url, later)
    assert set(r4.deleted) == gone and not r4.created and not r4.updated
    final = _server(url)
    assert set(final) == (set(wanted2) - gone) | {"parents-meeting@example.org"}
    assert final["parents-meeting@example.org"] == held["parents-meeting@example.org"]


def test_publish_command_pushes_to_caldav(tmp_path, radicale, school, plan01, capsys):
    url = _make_calendar(radicale, "7b")
    plan = tmp_path / "plan.json"
    plan.write_text(plan01.to_json(), encoding="utf-8")
    pw = tmp_path / "caldav-password"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    base = ["publish", str(SAMPLE), str(plan), "--out", str(tmp_path / "feeds"), "--data-dir", str(tmp_path / "data"),
            "--now", "2026-12-04T15:00", "--caldav", url, "--caldav-user", USER]
    # a bad selection or a missing password file is refused before anything is published
    assert main([*base, "--caldav-feed", "class:9Z", "--caldav-password-file", str(pw)]) == 2
    assert main([*base, "--caldav-feed", "class:7B", "--caldav-password-file", str(tmp_path / "nope")]) == 2
    assert not (tmp_path / "feeds").exists()
    capsys.readouterr()
    assert main([*base, "--caldav-feed", "class:7B", "--caldav-password-file", str(pw)]) == 0
    out = capsys.readouterr().out
    expected = [o for o in plan01.occurrences if o.class_id == "7B"]
    assert f"{len(expected)} created, 0 updated, 0 deleted, 0 unchanged" in out, out
    assert {u for u in _server(url)} == {i.event.uid for i in feed_items(
        load_state(Store.open(tmp_path / "data"), school.id), parse_feed_selection("class:7B"), date(2026, 12, 4))}
    assert main([*base, "--caldav-feed", "class:7B", "--caldav-password-file", str(pw)]) == 0
    assert f"0 created, 0 updated, 0 deleted, {len(expected)} unchanged" in capsys.readouterr().out
    pw.write_text("wrong\n", encoding="utf-8")  # the server refuses: published, push failed → exit 4
    assert main([*base, "--caldav-feed", "class:7B", "--caldav-password-file", str(pw)]) == 4
    assert "CalDAV push" in capsys.readouterr().err


def test_feed_selection_syntax(school):
    assert parse_feed_selection(None).kind == "admin"
    assert parse_feed_selection("admin", school).kind == "admin"
    t = parse_feed_selection("teacher:T-RUS1", school)
    assert (t.kind, t.subject_id) == ("teacher", "T-RUS1")
    c = parse_feed_selection("class:7B", school)
    assert (c.kind, c.class_id) == ("class", "7B")
    klass = next(k for k in school.classes if k.groups)
    g = klass.groups[0].id
    f = parse_feed_selection(f"class:{klass.id}:{g}", school)
    assert (f.kind, f.class_id, f.groups) == ("family", klass.id, frozenset({g}))
    for bad in ("teacher:NOBODY", "class:9Z", f"class:{klass.id}:NOPE", "family", "teacher:", "room:1"):
        with pytest.raises(InputError):
            parse_feed_selection(bad, school)


def test_objects_are_deterministic_single_events(tmp_path, school, plan01):
    store = Store.open(tmp_path / "data")
    publish_plan(store, school, plan01, NOW)
    state = load_state(store, school.id)
    item = feed_items(state, parse_feed_selection(None), NOW.date())[0]
    body = ObjectBuilder(school.timezone, NOW.date()).build(item)
    assert body == ObjectBuilder(school.timezone, NOW.date()).build(item)
    cal = Calendar.from_ical(body)
    assert "METHOD" not in cal and "UID" not in cal and len(list(cal.walk("VEVENT"))) == 1
    assert cal.get_missing_tzids() == set()
