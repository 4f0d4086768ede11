"""Issue 11 (9, 11): concurrent publishers leave the feed files of the database; a killed publish's temp files
are cleaned; feed files do not reveal tokens; the data directory, database and feed folder are the owner's."""

from __future__ import annotations

import fcntl
import stat
import threading
from datetime import timedelta

from planner.publish.feeds import workflow as feed_workflow
from planner.publish.feeds.files import feed_file_name, render_token_feeds
from planner.publish.feeds.workflow import publish_to_dir
from planner.publish.feeds.tokens import TokenStore
from planner.storage import Store

from .conftest import NOW


def _moved(plan, minutes=5):
    """The plan with its first linked lesson moved: a publication that changes the feeds."""
    target = next(o for o in plan.occurrences if o.link)
    return plan.model_copy(update={"occurrences": [
        o.model_copy(update={"start": o.start + timedelta(minutes=minutes), "end": o.end + timedelta(minutes=minutes)})
        if o is target else o for o in plan.occurrences]})


def _files(out) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in out.glob("*.ics")}


def test_concurrent_publishers_leave_the_files_of_the_database(tmp_path, school, plan01, plan05, monkeypatch):
    out = tmp_path / "feeds"
    store = Store.open(tmp_path / "data")
    publish_to_dir(store, school, plan05, out, NOW)  # tokens exist: both publishers then write every feed
    real_write, real_flock = feed_workflow.write_feed_files, fcntl.flock
    first_paused = threading.Event()
    second_over = threading.Event()  # the second publisher finished, or waits for the first one's lock

    def paused_write(*args, **kwargs):
        if threading.current_thread().name == "first":
            first_paused.set()
            second_over.wait(timeout=120)  # without serialisation the second publisher finishes meanwhile
        return real_write(*args, **kwargs)

    def watched_flock(fd, op):
        if threading.current_thread().name == "second" and op == fcntl.LOCK_EX:
            try:
                return real_flock(fd, op | fcntl.LOCK_NB)
            except BlockingIOError:
                second_over.set()  # serialised: it waits for the first publisher
        return real_flock(fd, op)

    monkeypatch.setattr(feed_workflow, "write_feed_files", paused_write)
    monkeypatch.setattr(fcntl, "flock", watched_flock)
    later = NOW.replace(hour=12)

    def first():
        publish_to_dir(Store.open(tmp_path / "data"), school, plan01, out, NOW.replace(hour=11))

    def second():
        first_paused.wait(timeout=10)
        try:
            publish_to_dir(Store.open(tmp_path / "data"), school, _moved(plan01), out, later)
        finally:
            second_over.set()

    threads = [threading.Thread(target=first, name="first"), threading.Thread(target=second, name="second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    expected = {feed_file_name(secret): body for secret, body in render_token_feeds(store, school.id, later).items()}
    assert _files(out) == expected


def test_a_killed_publish_leaves_no_temp_file_after_the_next(tmp_path, school, plan01):
    out = tmp_path / "feeds"
    store = Store.open(tmp_path / "data")
    publish_to_dir(store, school, plan01, out, NOW)
    secret = next(t for t in TokenStore(store).list() if t.kind == "admin").secret
    # what a publish killed between writing and renaming left behind (old and new naming)
    (out / f".{secret}.ics.tmp4242").write_bytes(b"partial")
    (out / f".{feed_file_name(secret)[:-4]}.ics.tmp4243").write_bytes(b"partial")
    publish_to_dir(store, school, plan01, out, NOW)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_feed_files_are_named_by_hash_and_private(tmp_path, school, plan01):
    out = tmp_path / "feeds"
    store = Store.open(tmp_path / "data")
    publish_to_dir(store, school, plan01, out, NOW)
    secrets = {t.secret for t in TokenStore(store).list()}
    names = {p.name for p in out.iterdir()}
    assert names == {feed_file_name(s) for s in secrets}
    assert not any(s in n for s in secrets for n in names)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in out.iterdir())


def test_older_token_named_files_are_replaced(tmp_path, school, plan01):
    out = tmp_path / "feeds"
    store = Store.open(tmp_path / "data")
    publish_to_dir(store, school, plan01, out, NOW)
    secret = next(t for t in TokenStore(store).list() if t.kind == "admin").secret
    (out / f"{secret}.ics").write_bytes(b"old")
    publish_to_dir(store, school, plan01, out, NOW)
    assert not (out / f"{secret}.ics").exists()


def test_data_dir_and_database_are_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_DB_URL", raising=False)
    store = Store.open(tmp_path / "fresh" / "data")
    assert stat.S_IMODE(store.data_dir.stat().st_mode) == 0o700
    db = store.data_dir / "planner.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    for f in store.data_dir.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0, f.name
