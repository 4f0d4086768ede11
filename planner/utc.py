"""UTC timestamps as the planner stores, compares and reports them: one formatter for every module (issue 10).

A naive datetime is read as UTC (the planner only makes aware ones; a naive one comes from a hand-typed `--now`
or an old record). A calendar server's floating time (naive, no zone on purpose) is passed through as written by
`utc_text`, so a CalDAV comparison never invents a zone the server did not send.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

Timespec = Literal["seconds", "microseconds"]


def as_utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def utc_iso(moment: datetime, timespec: Timespec = "microseconds") -> str:
    """ISO 8601 text of the instant in UTC, e.g. '2026-12-07T03:00:00.000000+00:00'."""
    return as_utc(moment).isoformat(timespec=timespec)


def utc_now_iso(timespec: Timespec = "microseconds") -> str:
    return utc_iso(datetime.now(timezone.utc), timespec)


def utc_text(value: object) -> str:
    """A value read from a calendar server as text: aware datetimes in UTC, floating times and dates as written."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


__all__ = ["as_utc", "utc_iso", "utc_now_iso", "utc_text"]
