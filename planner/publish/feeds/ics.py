"""iCalendar serialisation (RFC 5545 / RFC 7986) with the icalendar 7.3 typed API.

Each event is serialised once (`event_bytes`, memoised on its stored state) and the bytes are shared by every
feed that shows it; a feed is its calendar shell (properties and the VTIMEZONE) with the event bytes spliced in
before END:VCALENDAR. `render_naive` builds the same feed the slow way (one Calendar object per feed); the tests
check that both give the same bytes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, cast
from zoneinfo import ZoneInfo

from icalendar import Calendar, Conference, Event, Timezone, vDuration

from planner.utc import as_utc

from .events import FeedItem

PRODID = "-//school-planner//distance timetable//RU"
REFRESH = timedelta(hours=1)
_END = b"END:VCALENDAR\r\n"


def to_vevent(item: FeedItem) -> Event:
    """The VEVENT of a stored item. DTSTAMP = LAST-MODIFIED = the item's change time (never "now")."""
    ev, stamp = item.event, as_utc(item.changed_at)
    kwargs: dict[str, Any] = {}
    if ev.link:
        kwargs.update(url=ev.link, conferences=[Conference(ev.link, feature=["AUDIO", "VIDEO"], label="Видеозвонок")])
    if ev.location:
        kwargs["location"] = ev.location
    if ev.kind == "async":
        kwargs["transparency"] = "TRANSPARENT"  # a task window does not block the calendar
    return Event.new(uid=ev.uid, summary=item.summary, start=ev.start, end=ev.end, stamp=stamp,
                     last_modified=stamp, sequence=item.sequence, status=cast(Any, item.status),
                     description=ev.description, **kwargs)


class EventBytesCache:
    """Serialised VEVENTs keyed by the item's stored state (uid, content hash, sequence, change time, dropped)."""

    def __init__(self, size: int = 50_000):
        self._data: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, item: FeedItem) -> bytes:
        key = item.cache_key()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
                return hit
        body = to_vevent(item).to_ical()
        with self._lock:
            self._data[key] = body
            if len(self._data) > self._size:
                self._data.popitem(last=False)
        return body


@lru_cache(maxsize=16)
def timezone_component(tzid: str, year: int) -> Timezone:
    """A small VTIMEZONE for tzid covering the year before to two years after `year` (not 1970–2038)."""
    probe = Calendar.new(prodid=PRODID)
    moment = datetime(year, 1, 1, tzinfo=ZoneInfo(tzid))
    probe.add_component(Event.new(uid="probe", stamp=moment, start=moment, end=moment + timedelta(hours=1)))
    probe.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    found = [c for c in probe.subcomponents if isinstance(c, Timezone)]
    if not found:
        raise ValueError(f"no VTIMEZONE can be generated for {tzid}")
    return found[0]


def calendar_shell(name: str, description: str, feed_uid: str, tzid: str, today: date) -> Calendar:
    """The VCALENDAR of a feed without events: NAME/X-WR-CALNAME, DESCRIPTION/X-WR-CALDESC, REFRESH-INTERVAL
    (VALUE=DURATION), X-PUBLISHED-TTL, METHOD:PUBLISH, X-WR-TIMEZONE and the VTIMEZONE."""
    cal = Calendar.new(name=name, description=description, prodid=PRODID, refresh_interval=REFRESH,
                       method="PUBLISH", uid=feed_uid)
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    cal.add("X-WR-TIMEZONE", tzid)
    cal.add_component(timezone_component(tzid, today.year))
    return cal


def shell_bytes(shell: Calendar) -> bytes:
    body = shell.to_ical()
    assert body.endswith(_END)
    return body[: -len(_END)]


def assemble(head: bytes, events: list[bytes]) -> bytes:
    """A feed from its shell's head and the shared event bytes."""
    return b"".join((head, *events, _END))


def render_naive(shell: Calendar, items: list[FeedItem]) -> bytes:
    """The same feed built as one icalendar object (no sharing): the reference for tests and the benchmark."""
    cal = Calendar.from_ical(shell.to_ical())
    for item in items:
        cal.add_component(to_vevent(item))
    return cal.to_ical()
