"""The dates a feed shows and the publication clock: a week back to twelve weeks ahead, in whole UTC seconds."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from planner.utc import as_utc

DAYS_BACK = 7
WEEKS_AHEAD = 12


def utc_seconds(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be time-zone-aware")
    return as_utc(now).replace(microsecond=0)


def feed_window(today: date) -> tuple[date, date]:
    """The dates a feed shows: a week back to 12 weeks ahead."""
    return today - timedelta(days=DAYS_BACK), today + timedelta(weeks=WEEKS_AHEAD)
