"""Issue 11 (6): CalDAV refuses credentials in the URL and never prints a password; the MAX client refuses a
plain-http API base off loopback."""

from __future__ import annotations

import socket

import pytest

from planner.cli import main
from planner.errors import InputError
from planner.publish.feeds.caldav import CalDAVError, check_caldav_url, open_calendar, push_caldav, redact
from planner.publish.feeds.select import FeedSpec
from planner.publish.chat.max_api import MaxApiError, MaxClient

from .conftest import NOW, SAMPLE

SECRET = "s3cr3t-Pa55"


@pytest.mark.parametrize("url", [f"http://planner:{SECRET}@caldav.example/cal/",
                                 f"https://planner:{SECRET}@caldav.example/cal/", "https://planner@caldav.example/c/"])
def test_caldav_url_with_credentials_is_refused_without_echoing_them(url):
    with pytest.raises(InputError) as exc:
        check_caldav_url(url)
    assert SECRET not in exc.value.text("en") + exc.value.text("ru")
    with pytest.raises(InputError):
        open_calendar(url, None, None)


def test_publish_with_credentials_in_the_caldav_url_is_exit_2_and_silent(tmp_path, plan01, capsys):
    plan = tmp_path / "plan.json"
    plan.write_text(plan01.to_json(), encoding="utf-8")
    code = main(["publish", str(SAMPLE), str(plan), "--out", str(tmp_path / "feeds"), "--data-dir",
                 str(tmp_path / "data"), "--now", "2026-12-04T15:00", "--caldav",
                 f"http://planner:{SECRET}@caldav.example/cal/"])
    captured = capsys.readouterr()
    assert code == 2 and "user name or password" in captured.err
    assert SECRET not in captured.out + captured.err
    assert not (tmp_path / "feeds").exists()


def test_caldav_errors_never_print_the_password(tmp_path, school, plan01):
    from planner.publish.feeds.state import load_state
    from planner.publish.feeds.workflow import publish_to_dir
    from planner.storage import Store

    store = Store.open(tmp_path / "data")
    publish_to_dir(store, school, plan01, None, NOW)
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/{SECRET}/cal/"  # even if the secret turns up in the path
    with pytest.raises(CalDAVError) as exc:
        push_caldav(load_state(store, school.id), FeedSpec("admin", "admin"), url, username="u", password=SECRET,
                    today=NOW.date())
    assert SECRET not in str(exc.value)
    assert redact(f"a {SECRET} b", SECRET, None) == "a *** b"


@pytest.mark.parametrize("base", ["http://platform-api2.max.ru", "http://10.0.0.2:8080", "ftp://max.ru"])
def test_max_client_refuses_plain_http_off_loopback(base):
    with pytest.raises(MaxApiError, match="not https"):
        MaxClient(token="bot-token", base_url=base, send=True)


def test_max_client_allows_https_and_loopback():
    MaxClient(token="t", base_url="https://platform-api2.max.ru", send=True).close()
    MaxClient(token="t", base_url="http://127.0.0.1:9", send=True).close()
