"""Expand a scenario into the parts the rebuild decides on.

An online class's lesson on a date becomes one or more parts (a double lesson or a college pair becomes one part
per academic hour); each part is a live call or asynchronous work. An in-school class keeps its lessons; those of
a sick or remote-only teacher need cover.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planner.norms import NormsInForce
from planner.scenario.model import Scenario, TeacherStateKind
from planner.scenario.policy import ClassPolicy
from planner.school.calendar import DatedLesson, lessons_on
from planner.school.model import School, StudentClass


@dataclass(frozen=True)
class Part:
    """One academic hour of an online class's lesson on a date."""

    uid: int
    date: date
    class_id: str
    lesson_id: str
    key: str  # the occurrence key of the lesson
    part: int  # 1-based
    parts: int
    subject_id: str
    norm_key: str | None
    groups: tuple[str, ...]
    teachers: tuple[str, ...]
    pupils: int
    regular_start: int  # minutes of the day
    regular_end: int
    order: int  # position in the class's regular day


@dataclass(frozen=True)
class CoverNeed:
    """An in-school lesson whose teacher is sick or remote-only on that date."""

    uid: int
    date: date
    class_id: str
    lesson_id: str
    key: str
    subject_id: str
    groups: tuple[str, ...]
    teachers: tuple[str, ...]
    absent: tuple[str, ...]
    pupils: int
    start: int
    end: int
    period: int
    weekday: int  # the timetable weekday (a transferred day follows another weekday's timetable)


@dataclass
class DayInput:
    """Everything the rebuild decides for one date."""

    date: date
    norms: NormsInForce
    online: dict[str, list[Part]] = field(default_factory=dict)  # class id -> parts in regular order
    policies: dict[str, ClassPolicy] = field(default_factory=dict)
    cells: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # class id -> pupil cells
    in_school: dict[str, list[DatedLesson]] = field(default_factory=dict)  # class id -> lessons kept in school
    covers: list[CoverNeed] = field(default_factory=list)


def in_cell(groups: tuple[str, ...], cell: tuple[str, ...]) -> bool:
    return not groups or any(g in cell for g in groups)


def pupils_of(klass: StudentClass, groups: tuple[str, ...]) -> int:
    if not groups:
        return klass.students
    sizes = {g.id: g.students for g in klass.groups}
    return sum(sizes.get(g, 0) for g in groups)


def parts_per_period(school: School, klass: StudentClass, norms: NormsInForce) -> int:
    """A college pair is split into its academic hours (local act: college.pair_max_minutes)."""
    if not klass.is_college:
        return 1
    norm = norms.get("college.pair_max_minutes")
    row = norm.row() if norm else None
    return int(row.value("academic_hours_per_pair")) if row and "academic_hours_per_pair" in row.values else 1


def expand_day(school: School, scenario: Scenario, online_ids: set[str], day: date, norms: NormsInForce,
               class_policy_fn, uid_start: int = 0) -> DayInput:
    """The parts, in-school lessons and cover needs of one date."""
    subjects = {s.id: s for s in school.subjects}
    out = DayInput(date=day, norms=norms)
    uid = uid_start
    for klass in school.classes:
        dated = lessons_on(school, klass, day)
        if not dated:
            continue
        if klass.id in online_ids:
            per = parts_per_period(school, klass, norms)
            out.policies[klass.id] = class_policy_fn(klass, norms)
            out.cells[klass.id] = klass.pupil_cells()
            parts = []
            bells = school.bells_by_id(klass.bell_schedule).on(day)
            for order, d in enumerate(dated):
                n = d.lesson.duration * per
                for k in range(n):
                    # each bell period of a double lesson is one part; a pair is split into its academic hours
                    period = bells.period(d.lesson.period + k // per)
                    p_start = period.start.hour * 60 + period.start.minute
                    span = period.end.hour * 60 + period.end.minute - p_start
                    start = p_start + span * (k % per) // per
                    end = p_start + span * (k % per + 1) // per
                    parts.append(Part(uid, day, klass.id, d.lesson.id, str(d.key), k + 1, n,
                        d.lesson.subject, subjects[d.lesson.subject].norm_key, klass.own_groups(d.lesson.groups),
                        tuple(d.lesson.teachers), pupils_of(klass, klass.own_groups(d.lesson.groups)), start, end, order))
                    uid += 1
            out.online[klass.id] = parts
        else:
            out.in_school[klass.id] = dated
            for d in dated:
                absent = tuple(t for t in d.lesson.teachers if scenario.teacher_state(t, day) in
                               (TeacherStateKind.SICK, TeacherStateKind.REMOTE_ONLY))
                if absent:
                    key = d.key
                    out.covers.append(CoverNeed(uid, day, klass.id, d.lesson.id, str(key), d.lesson.subject,
                                                klass.own_groups(d.lesson.groups), tuple(d.lesson.teachers), absent,
                                                pupils_of(klass, klass.own_groups(d.lesson.groups)), d.start_minute,
                                                d.end_minute, d.lesson.period, d.weekday))
                    uid += 1
    return out
