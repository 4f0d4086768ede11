"""What the checks look at: one class on one date as an ordered list of time slots, built from the regular
timetable (and, later, from a plan). Built only from the school model; nothing here comes from the solver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.norms import NormsInForce
from planner.school.calendar import lessons_on
from planner.school.model import Activity, School, StudentClass


@dataclass(frozen=True)
class Item:
    """One lesson held by the class (or some of its groups) in a slot."""

    lesson_id: str
    subject_id: str
    subject_name: str
    norm_key: str | None
    activity: Activity
    teachers: tuple[str, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    """One lesson period of the class: its clock times (minutes of the day) and what is taught in it."""

    ordinal: int  # 1 = the class's first lesson of the day
    period: int  # the bell period number
    start: int
    end: int
    items: tuple[Item, ...]

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def is_lesson(self) -> bool:
        """Урочная: at least one item counts in the weekly load."""
        return any(i.activity == Activity.LESSON for i in self.items)


@dataclass(frozen=True)
class ClassDay:
    school: School
    klass: StudentClass
    date: date
    weekday: int
    slots: tuple[Slot, ...]
    norms: NormsInForce

    @property
    def month(self) -> int:
        return self.date.month

    def norm_query(self) -> dict:
        return {"grade": self.klass.norm_grade, "month": self.month, "ovz": self.klass.ovz,
                "week_days": self.klass.week_days}

    def subject_keys(self) -> set[str]:
        return {i.norm_key for s in self.slots for i in s.items if i.norm_key}


def regular_class_day(school: School, klass: StudentClass, day: date, norms: NormsInForce) -> ClassDay | None:
    """The class's regular lessons on the date, one slot per occupied bell period; None on a day off."""
    dated = lessons_on(school, klass, day)
    if not dated:
        return None
    bells = school.bells_by_id(klass.bell_schedule).on(day)
    subjects = {s.id: s for s in school.subjects}
    by_period: dict[int, list[Item]] = {}
    for d in dated:
        s = subjects[d.lesson.subject]
        item = Item(d.lesson.id, s.id, s.name, s.norm_key, s.activity, tuple(d.lesson.teachers),
                    tuple(d.lesson.groups))
        for p in d.lesson.periods:
            by_period.setdefault(p, []).append(item)
    slots = []
    for ordinal, p in enumerate(sorted(by_period), start=1):
        per = bells.period(p)
        slots.append(Slot(ordinal, p, per.start.hour * 60 + per.start.minute, per.end.hour * 60 + per.end.minute,
                          tuple(by_period[p])))
    return ClassDay(school, klass, day, dated[0].weekday, tuple(slots), norms)


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
