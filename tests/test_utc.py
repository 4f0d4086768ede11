"""planner.utc: the one UTC formatter (issue 10)."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from planner.utc import as_utc, utc_iso, utc_now_iso, utc_text


def test_an_aware_time_is_written_as_the_same_instant_in_utc():
    yekaterinburg = datetime(2026, 12, 7, 8, 0, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    assert utc_iso(yekaterinburg) == "2026-12-07T03:00:00.000000+00:00"
    assert utc_iso(yekaterinburg, "seconds") == "2026-12-07T03:00:00+00:00"


def test_a_naive_time_is_taken_as_utc_not_as_the_machines_zone():
    assert as_utc(datetime(2026, 12, 7, 8, 0)) == datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


def test_now_is_utc_and_current():
    now = datetime.fromisoformat(utc_now_iso())
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(timezone.utc)) < timedelta(minutes=1)


def test_a_calendar_servers_floating_time_and_dates_pass_as_written():
    assert utc_text(datetime(2026, 12, 7, 8, 0)) == "2026-12-07T08:00:00"
    assert utc_text(date(2026, 12, 7)) == "2026-12-07"
    moscow = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    assert utc_text(moscow) == "2026-12-07T06:00:00+00:00"
