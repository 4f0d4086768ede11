"""Which lessons a class has on a date: school days, transferred days, A/B weeks, dated timetable versions.

Every part of the planner that turns the weekly timetable into dated lessons goes through this module.
"""

from __future__ import annotations

import threading

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.errors import InputError
from planner.school.model import Lesson, Period, School, StudentClass, TimetableVersion, WeekMask
from planner.school.occurrence import OccurrenceKey


def default_school_year(today: date) -> tuple[date, date]:
    """Sep 1 – May 31 of the school year containing `today` (in June–August: the coming school year)."""
    first = today.year if today.month >= 6 else today.year - 1
    return date(first, 9, 1), date(first + 1, 5, 31)


def first_school_monday(year_start: date) -> date:
    """The Monday of the first school week (the next Monday when the year starts on a weekend)."""
    wd = year_start.isoweekday()
    return year_start + timedelta(days=8 - wd) if wd >= 6 else year_start - timedelta(days=wd - 1)


def week_letter(school: School, day: date) -> WeekMask:
    """WeekMask.A or .B for a school with an A/B timetable, WeekMask.EVERY otherwise."""
    anchor = school.calendar.a_week_monday
    if anchor is None:
        return WeekMask.EVERY
    monday = day - timedelta(days=day.isoweekday() - 1)
    weeks = (monday - anchor).days // 7
    return WeekMask.A if weeks % 2 == 0 else WeekMask.B


def is_holiday(school: School, day: date) -> bool:
    return any(h.start <= day <= h.end for h in school.calendar.holidays)


def is_public_day_off(school: School, day: date) -> bool:
    """A non-working public holiday (Labour Code art. 112) or a day off by the government's transfer decree, as the
    school calendar marks them (holiday kind "public"); school vacations (каникулы) are not days off."""
    return any(h.kind == "public" and h.start <= day <= h.end for h in school.calendar.holidays)


def is_working_day(school: School, day: date, last_weekday: int = 5) -> bool:
    """Whether staff work on the date: weekdays 1..last_weekday, unless a public non-working day; a transferred
    working day (a Saturday worked by the transfer decree) is a working day; vacation weekdays stay working days."""
    if is_public_day_off(school, day):
        return False
    if any(t.date == day for t in school.calendar.transferred_days):
        return True
    return day.isoweekday() <= last_weekday


def timetable_weekday(school: School, klass: StudentClass, day: date) -> int | None:
    """The weekday (1–6) whose timetable the class follows on this date, or None when it is not a school day."""
    cal = school.calendar
    if not (cal.year_start <= day <= cal.year_end) or is_holiday(school, day):
        return None
    for t in cal.transferred_days:
        if t.date == day:
            return t.as_weekday if t.as_weekday <= klass.week_days else None
    wd = day.isoweekday()
    return wd if wd <= klass.week_days else None


def version_for(school: School, class_id: str, day: date) -> TimetableVersion | None:
    """The timetable version of the class on the date: one naming the class wins over one for all classes."""
    covering = [v for v in school.versions if v.covers(day)]
    specific = [v for v in covering if class_id in v.classes]
    general = [v for v in covering if not v.classes]
    for candidates in (specific, general):
        if len(candidates) > 1:
            ids = ", ".join(v.id for v in candidates)
            raise InputError(f"class '{class_id}' has several timetable versions on {day}: {ids}",
                             f"у класса «{class_id}» на {day:%d.%m.%Y} несколько версий расписания: {ids}")
        if candidates:
            return candidates[0]
    return None


@dataclass(frozen=True)
class DatedLesson:
    """One lesson of one class on one date, with its bell times resolved."""

    key: OccurrenceKey
    lesson: Lesson
    class_id: str
    date: date
    weekday: int  # the timetable weekday (differs from date.isoweekday() on a transferred day)
    first_period: Period
    last_period: Period

    @property
    def start_minute(self) -> int:
        return self.first_period.start.hour * 60 + self.first_period.start.minute

    @property
    def end_minute(self) -> int:
        return self.last_period.end.hour * 60 + self.last_period.end.minute


_INDEX: dict[int, tuple[School, dict[tuple[str, str, int], list[Lesson]]]] = {}
_INDEX_LOCK = threading.Lock()  # the page's rebuild thread and its main thread share the cache


def _lessons_by_version_class_day(school: School) -> dict[tuple[str, str, int], list[Lesson]]:
    """Lessons indexed by (version, class, weekday), built once per school object (schools are immutable)."""
    with _INDEX_LOCK:
        hit = _INDEX.get(id(school))
    if hit is not None and hit[0] is school:
        return hit[1]
    index: dict[tuple[str, str, int], list[Lesson]] = {}
    for le in school.lessons:
        for cid in le.classes:
            index.setdefault((le.version, cid, le.day), []).append(le)
    with _INDEX_LOCK:
        while len(_INDEX) >= 8:
            _INDEX.pop(next(iter(_INDEX)))
        _INDEX[id(school)] = (school, index)
    return index


def lessons_on(school: School, klass: StudentClass, day: date) -> list[DatedLesson]:
    """The regular lessons of a class on a date, ordered by period."""
    weekday = timetable_weekday(school, klass, day)
    if weekday is None:
        return []
    version = version_for(school, klass.id, day)
    if version is None:
        return []
    letter = week_letter(school, day)
    bells = school.bells_by_id(klass.bell_schedule).on(day)
    if bells is None:
        raise InputError(f"bell schedule '{klass.bell_schedule}' of class '{klass.id}' has no variant valid on {day}",
                         f"у звонкового режима «{klass.bell_schedule}» класса «{klass.id}» нет варианта на "
                         f"{day:%d.%m.%Y}")
    out = []
    for le in _lessons_by_version_class_day(school).get((version.id, klass.id, weekday), ()):
        if le.weeks != WeekMask.EVERY and letter != WeekMask.EVERY and le.weeks != letter:
            continue
        first, last = bells.period(le.period), bells.period(le.period + le.duration - 1)
        if first is None or last is None:
            raise InputError(f"lesson '{le.id}': period {le.period} (duration {le.duration}) is not in bell schedule "
                             f"'{klass.bell_schedule}' valid on {day}", f"урок «{le.id}»: урока {le.period} нет в "
                             f"звонковом режиме «{klass.bell_schedule}» на {day:%d.%m.%Y}")
        key = OccurrenceKey.of(day, klass, le)
        out.append(DatedLesson(key, le, klass.id, day, weekday, first, last))
    out.sort(key=lambda d: (d.lesson.period, d.lesson.id))
    return out


def dates_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def local_datetime(school: School, day: date, minute_of_day: int) -> datetime:
    """A time-zone-aware datetime in the school's IANA zone."""
    return datetime(day.year, day.month, day.day, minute_of_day // 60, minute_of_day % 60,
                    tzinfo=ZoneInfo(school.timezone))
