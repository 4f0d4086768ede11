"""What the checks look at: one class on one date as an ordered list of time slots, built from the regular
timetable (or from a plan, in plan_views.py). Built only from the school model; nothing here comes from the solver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from planner.norms import REQUIRED_FAMILIES, NormLibrary, NormsInForce
from planner.school.calendar import lessons_on
from planner.school.model import Activity, School, StudentClass

if TYPE_CHECKING:  # types only: limits builds on these views
    from planner.audit.limits import AuditPolicy
    from planner.scenario.model import Scenario
    from planner.scenario.resolved import ClassPolicy


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
    link: str | None = None  # plan days: the chat a live call takes place in (the published invite link)


@dataclass(frozen=True)
class Slot:
    """One lesson period of the class: its clock times (minutes of the day) and what is taught in it.

    On an online day a slot is one live call (one part of a lesson), with its eye-gymnastics moments."""

    ordinal: int  # 1 = the class's first lesson of the day
    period: int  # the bell period number (of the regular lesson)
    start: int
    end: int
    items: tuple[Item, ...]
    gymnastics: tuple[tuple[int, int], ...] = ()  # (offset from start, minutes) inside a live call
    screen_minutes: int = 0
    live: bool = False  # a live call (on an online day); False: a lesson in the building

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def is_lesson(self) -> bool:
        """Урочная: at least one item counts in the weekly load."""
        return any(i.activity == Activity.LESSON for i in self.items)


@dataclass(frozen=True)
class AsyncPart:
    """One part of a lesson done as asynchronous work on an online day."""

    item: Item
    period: int
    screen_minutes: int
    work_minutes: int


@dataclass(frozen=True)
class ClassDay:
    school: School
    klass: StudentClass
    date: date
    weekday: int
    slots: tuple[Slot, ...]
    norms: NormsInForce
    day_type: str = "regular_day"  # regular_day | in_school_day | online_day (a norm's applies_to)
    async_parts: tuple[AsyncPart, ...] = ()
    load_units: tuple[Slot, ...] | None = None  # lessons counted by the load caps, when not the slots
    policy: AuditPolicy | None = None  # plan days: the scenario's choices as the auditor resolves them (AuditPolicy)
    declared: ClassPolicy | None = None  # plan days: the ClassPolicy the plan records, checked against the law
    scenario: Scenario | None = None  # the plan's Scenario on plan days
    cell: tuple[str, ...] = ()  # online days: the pupil cell (one group per division); () = the whole class

    @property
    def counted(self) -> tuple[Slot, ...]:
        """The lessons the daily and weekly caps count: live and asynchronous alike (both are учебная нагрузка)."""
        return self.slots if self.load_units is None else self.load_units

    @property
    def screen_minutes(self) -> int:
        return sum(s.screen_minutes for s in self.slots) + sum(a.screen_minutes for a in self.async_parts)

    @property
    def month(self) -> int:
        return self.date.month

    @property
    def online_policy(self) -> AuditPolicy:
        """The scenario's policy on a plan's online day (asked only where the check found an online day)."""
        if self.policy is None:
            raise ValueError(f"{self.klass.id} on {self.date}: not a plan's online day (no policy)")
        return self.policy

    @property
    def plan_scenario(self) -> Scenario:
        """The plan's scenario (asked only of plan days)."""
        if self.scenario is None:
            raise ValueError(f"{self.klass.id} on {self.date}: not a plan day (no scenario)")
        return self.scenario

    def norm_query(self) -> dict[str, Any]:
        return {"grade": self.klass.norm_grade, "month": self.month, "ovz": self.klass.ovz,
                "week_days": self.klass.week_days}

    def subject_keys(self) -> set[str]:
        return {i.norm_key for s in self.counted for i in s.items if i.norm_key}


def audited_norms(library: NormLibrary, day: date, known: NormsInForce | None = None) -> NormsInForce | None:
    """The norms in force on the date (known: already looked up by the caller), or None when no federal act is
    in force (nothing to audit against)."""
    norms = known if known is not None else library.in_force(day)
    return None if len(norms.missing_families) == len(REQUIRED_FAMILIES) else norms


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
        per = bells.period(p) if bells is not None else None
        if per is None:  # the integrity check refuses lessons outside the bells before any audit
            raise ValueError(f"{klass.id} on {day}: period {p} is not in the bell schedule")
        slots.append(Slot(ordinal, p, per.start.hour * 60 + per.start.minute, per.end.hour * 60 + per.end.minute,
                          tuple(by_period[p])))
    return ClassDay(school, klass, day, dated[0].weekday, tuple(slots), norms)


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
