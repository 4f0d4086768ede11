"""Expand a scenario into the parts the rebuild decides on.

An online class's lesson on a date becomes one or more parts (a double lesson or a college pair becomes one part
per academic hour); each part is a live call or asynchronous work. An in-school class keeps its lessons; those of
a sick or remote-only teacher need cover.
"""

from __future__ import annotations

from collections.abc import Callable
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
    chat: str | None = None  # the invite link of the chat its call takes place in (`chat_link`)
    weekday: int = 0  # the timetable weekday (a transferred day follows another's); 0 = unknown
    period: int = 0  # the bell period of this part; 0 = unknown


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
class DayContext:
    """Everything the rebuild knows and decides for one date, built once (`expand_day`) and handed to the
    model, the assembly and the reasons: the norms in force, the resolved policy of each online class, the
    parts per class in regular order, the pupil cells, the lessons kept in school and the covers they need."""

    date: date
    norms: NormsInForce
    online: dict[str, list[Part]] = field(default_factory=dict)  # class id -> parts in regular order
    policies: dict[str, ClassPolicy] = field(default_factory=dict)
    cells: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # class id -> pupil cells
    in_school: dict[str, list[DatedLesson]] = field(default_factory=dict)  # class id -> lessons kept in school
    covers: list[CoverNeed] = field(default_factory=list)
    in_school_busy: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # present teacher -> spans

    def cell_parts(self, class_id: str, cell: tuple[str, ...]) -> list[Part]:
        """The parts of one pupil cell in regular order."""
        return [p for p in self.online[class_id] if in_cell(p.groups, cell)]


DayInput = DayContext  # the earlier name


def chat_link(school: School, class_id: str, subject_id: str, groups: tuple[str, ...]) -> str | None:
    """The chat a lesson's call takes place in: the most specific registry entry of the class that serves it
    (subject and group, subject, group, the class's chat), or None without one."""
    best = max(((rank, c.invite_link) for c in school.chats
                if (rank := c.serves(class_id, subject_id, groups)) is not None), default=None)
    return best[1] if best else None


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
               class_policy_fn: Callable[[StudentClass, NormsInForce], ClassPolicy], uid_start: int = 0) -> DayContext:
    """The context of one date: parts, policies, pupil cells, in-school lessons, cover needs and the spans
    teachers present in the building spend teaching there."""
    subjects = {s.id: s for s in school.subjects}
    out = DayContext(date=day, norms=norms)
    uid = uid_start
    for klass in school.classes:
        dated = lessons_on(school, klass, day)
        if not dated:
            continue
        if klass.id in online_ids:
            out.policies[klass.id] = class_policy_fn(klass, norms)
            out.cells[klass.id] = klass.pupil_cells()
            out.online[klass.id] = _class_parts(school, klass, day, dated, norms, subjects, uid)
            uid += len(out.online[klass.id])
            continue
        out.in_school[klass.id] = dated
        for d in dated:
            absent = tuple(t for t in d.lesson.teachers if scenario.teacher_state(t, day) in
                           (TeacherStateKind.SICK, TeacherStateKind.REMOTE_ONLY))
            if absent:
                groups = klass.own_groups(d.lesson.groups)
                out.covers.append(CoverNeed(uid, day, klass.id, d.lesson.id, str(d.key), d.lesson.subject, groups,
                                            tuple(d.lesson.teachers), absent, pupils_of(klass, groups),
                                            d.start_minute, d.end_minute, d.lesson.period, d.weekday))
                uid += 1
            for t in d.lesson.teachers:
                if scenario.teacher_state(t, day) == TeacherStateKind.AVAILABLE:
                    out.in_school_busy.setdefault(t, []).append((d.start_minute, d.end_minute))
    return out


def _class_parts(school: School, klass: StudentClass, day: date, dated: list[DatedLesson], norms: NormsInForce,
                 subjects: dict, uid: int) -> list[Part]:
    """An online class's parts of the date in regular order, numbered from uid."""
    per = parts_per_period(school, klass, norms)
    bells = school.bells_by_id(klass.bell_schedule).on(day)
    assert bells is not None  # lessons_on, which gave `dated`, refuses a date without a bell variant
    parts = []
    for order, d in enumerate(dated):
        n = d.lesson.duration * per
        groups = klass.own_groups(d.lesson.groups)
        chat = chat_link(school, klass.id, d.lesson.subject, groups)
        for k in range(n):
            # each bell period of a double lesson is one part; a pair is split into its academic hours
            period = bells.period(d.lesson.period + k // per)
            assert period is not None  # lessons_on has checked the lesson's periods against the bells
            p_start = period.start.hour * 60 + period.start.minute
            span = period.end.hour * 60 + period.end.minute - p_start
            start = p_start + span * (k % per) // per
            end = p_start + span * (k % per + 1) // per
            parts.append(Part(uid, day, klass.id, d.lesson.id, str(d.key), k + 1, n, d.lesson.subject,
                              subjects[d.lesson.subject].norm_key, groups, tuple(d.lesson.teachers),
                              pupils_of(klass, groups), start, end, order, chat, d.weekday,
                              d.lesson.period + k // per))
            uid += 1
    return parts
