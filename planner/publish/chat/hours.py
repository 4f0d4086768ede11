"""Business hours of official messages (the local act's norm `messages.business_hours`): when a part may go out
and when the window next opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.errors import PlannerError
from planner.school.calendar import is_working_day
from planner.school.model import School


@dataclass(frozen=True)
class BusinessHours:
    """When official messages may go out (local act): working days (weekdays 1..last_weekday, less public
    non-working days, plus transferred working days; school vacations stay open), start ≤ time < end."""

    start: time
    end: time
    last_weekday: int
    tz: ZoneInfo
    cite: str = ""
    school: School | None = None  # its calendar gives public holidays and transferred working days

    def working_day(self, day) -> bool:
        if self.school is None:
            return day.isoweekday() <= self.last_weekday
        return is_working_day(self.school, day, self.last_weekday)

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        return self.working_day(local.date()) and self.start <= local.time().replace(tzinfo=None) < self.end

    def next_opening(self, moment: datetime) -> datetime:
        """The next window opening at or after `moment` (tz-aware, school time)."""
        local = moment.astimezone(self.tz)
        for offset in range(32):  # the New Year holidays close up to ten days in a row
            day = local.date() + timedelta(days=offset)
            opening = datetime.combine(day, self.start, self.tz)
            if self.working_day(day) and opening >= local:
                return opening
        raise PlannerError("no business-hours window within a month (last_weekday < 1?)")


def business_hours(library, school: School, moment: datetime) -> BusinessHours:
    """The norm `messages.business_hours` in force on the school-local date of `moment`."""
    tz = ZoneInfo(school.timezone)
    norm = library.in_force(moment.astimezone(tz).date()).get("messages.business_hours")
    if norm is None or not norm.rows:
        raise PlannerError("the norm messages.business_hours is not in force: no sending window is known")
    row = norm.rows[0]
    return BusinessHours(time.fromisoformat(str(row.value("start"))), time.fromisoformat(str(row.value("end"))),
                         int(row.value("last_weekday")), tz, norm.cite(), school)
