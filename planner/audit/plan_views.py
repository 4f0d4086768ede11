"""Class days built from a plan (the output of the distance rebuild), for the same checks as the regular timetable.

For each date of the plan's scenario and each class with (not cancelled) occurrences that date:

* an **in-school day** (`day_type="in_school_day"`) when none of them is live or asynchronous: one slot per
  clock span of its in_school / replaced occurrences, like a regular day;
* an **online day** (`day_type="online_day"`) otherwise, built **per pupil cell**: a class with groups has one
  cell per combination of one group of each division (a group without a division is a division of its own, so
  every cell is in it: the worst case); a whole-class occurrence belongs to every cell, a group occurrence to the
  cells holding one of its groups. Slots are the cell's live parts (and any in-school lessons that date) by start
  time; asynchronous parts are `async_parts`; `load_units` has one slot per regular bell period the cell has that
  day, live or asynchronous, so the daily and weekly caps count both.

Times are minutes of the day in the school's time zone. Nothing here trusts the plan's numbers where the auditor
can recompute them: a live part's screen time is at least its length less its eye gymnastics, and an asynchronous
part's at least the screen time the scenario's policy gives its kind. The scenario's choices are resolved by the
auditor itself from the plan's scenario knobs and the norms (planner/audit/limits.py, never the rebuild's
resolver); the policy the plan records rides along as `declared`, checked against the law
(planner/audit/checks/declared.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner.audit.views import AsyncPart, ClassDay, Item, Slot, audited_norms
from planner.errors import InputError
from planner.norms import NormLibrary, NormsInForce
from planner.plan.model import Mode, Occurrence, Plan
from planner.audit.limits import AuditPolicy, audit_policy
from planner.scenario.resolved import ClassPolicy
from planner.school.calendar import dates_between, timetable_weekday
from planner.school.model import Lesson, School, StudentClass, Subject

ONLINE_MODES = (Mode.LIVE, Mode.ASYNC)


@dataclass(frozen=True)
class _Lookup:
    school: School
    plan: Plan
    zone: ZoneInfo
    lessons: dict[str, Lesson]
    subjects: dict[str, Subject]

    def minute(self, moment: datetime | None, occ: Occurrence, name: str) -> int:
        if moment is None:
            raise InputError(f"occurrence '{occ.key}' ({occ.mode.value}) has no {name} time",
                             f"у занятия «{occ.key}» ({occ.mode.value}) нет времени «{name}»")
        local = moment.astimezone(self.zone) if moment.tzinfo else moment
        return local.hour * 60 + local.minute

    def item(self, occ: Occurrence) -> Item:
        subject = self.subjects.get(occ.subject_id) or \
            self.school.subject_by_id(self.lessons[occ.lesson_id].subject)
        return Item(occ.lesson_id, subject.id, subject.name, subject.norm_key, subject.activity,
                    tuple(occ.teachers), tuple(occ.groups), occ.link if occ.mode == Mode.LIVE else None)

    def periods(self, occ: Occurrence) -> list[int]:
        """The regular bell periods of one part: a lesson split into a whole number of parts per period (a double
        lesson into two, a college pair into its academic hours) gives each part its period; otherwise the part
        stands for all the lesson's periods."""
        lesson = self.lessons[occ.lesson_id]
        if occ.parts % lesson.duration == 0:
            return [lesson.period + (occ.part - 1) // (occ.parts // lesson.duration)]
        return list(lesson.periods)


def plan_class_days(school: School, plan: Plan, library: NormLibrary,
                    norms_by_day: Mapping[date, NormsInForce] | None = None,
                    policies: dict[tuple[str, date], AuditPolicy] | None = None) -> list[ClassDay]:
    """The plan's class days (in-school days per class, online days per pupil cell) on the scenario's dates
    covered by a federal norm set. norms_by_day: the norms in force per date, when the caller has them;
    policies: a cache of the auditor's policy per (class, date), for a caller auditing slices of one plan (the
    policy depends on the scenario's knobs and overrides, the class and the norms of the date only)."""
    look = _Lookup(school, plan, ZoneInfo(school.timezone), {le.id: le for le in school.lessons},
                   {s.id: s for s in school.subjects})
    class_ids = {c.id for c in school.classes}
    by_day: dict[tuple[date, str], list[Occurrence]] = defaultdict(list)
    for occ in plan.occurrences:
        if occ.class_id not in class_ids:
            raise InputError(f"occurrence '{occ.key}' names unknown class '{occ.class_id}'",
                             f"занятие «{occ.key}» относится к неизвестному классу «{occ.class_id}»")
        if occ.lesson_id not in look.lessons:
            raise InputError(f"occurrence '{occ.key}' names unknown lesson '{occ.lesson_id}'",
                             f"занятие «{occ.key}» ссылается на неизвестный урок «{occ.lesson_id}»")
        if occ.mode != Mode.CANCELLED:
            by_day[(occ.date, occ.class_id)].append(occ)
    days: list[ClassDay] = []
    for day in dates_between(plan.scenario.start, plan.scenario.end):
        norms = audited_norms(library, day, norms_by_day.get(day) if norms_by_day else None)
        if norms is None:
            continue
        for klass in school.classes:
            occs = by_day.get((day, klass.id))
            if not occs:
                continue
            weekday = timetable_weekday(school, klass, day) or day.isoweekday()
            if any(o.mode in ONLINE_MODES for o in occs):
                known = policies.get((klass.id, day)) if policies is not None else None
                policy = known if known is not None else audit_policy(plan.scenario, klass, norms)
                if policies is not None:
                    policies[(klass.id, day)] = policy
                declared = plan.policies.get(day.isoformat(), {}).get(klass.id)
                built: dict[tuple[int, ...], ClassDay] = {}  # cells holding the same parts have the same day
                for cell in klass.pupil_cells():
                    members = tuple(n for n, o in enumerate(occs) if _in_cell(o, klass, cell))
                    if members in built:
                        days.append(replace(built[members], cell=cell))
                    else:
                        built[members] = _online_day(look, klass, day, weekday, occs, norms, policy, cell, declared)
                        days.append(built[members])
            else:
                days.append(ClassDay(school, klass, day, weekday, _school_slots(look, klass, day, occs), norms,
                                     day_type="in_school_day", scenario=plan.scenario))
    return days


def _in_cell(occ: Occurrence, klass: StudentClass, cell: tuple[str, ...]) -> bool:
    own = [g for g in occ.groups if any(g == x.id for x in klass.groups)]
    return not own or any(g in cell for g in own)


def _school_slots(look: _Lookup, klass: StudentClass, day: date, occs: list[Occurrence]) -> tuple[Slot, ...]:
    """In-school (and replaced) lessons as slots, one per clock span; a multi-period lesson held as one part at
    its regular time is split along the bells, as the regular timetable shows it."""
    spans: dict[tuple[int, int], list[tuple[int, Item]]] = defaultdict(list)
    bells = look.school.bells_by_id(klass.bell_schedule).on(day)
    for occ in occs:
        if occ.mode not in (Mode.IN_SCHOOL, Mode.REPLACED):
            continue
        start, end = look.minute(occ.start, occ, "start"), look.minute(occ.end, occ, "end")
        periods = look.periods(occ)
        bell = [b for p in periods if (b := bells.period(p)) is not None] if bells else []
        at_regular = (occ.regular_start, occ.regular_end) == (occ.start, occ.end)
        if len(periods) > 1 and at_regular and bell and len(bell) == len(periods):
            for p in bell:
                spans[(p.start.hour * 60 + p.start.minute, p.end.hour * 60 + p.end.minute)].append(
                    (p.number, look.item(occ)))
        else:
            spans[(start, end)].append((periods[0], look.item(occ)))
    return tuple(Slot(n, min(p for p, _ in held), s, e, tuple(i for _, i in held))
                 for n, ((s, e), held) in enumerate(sorted(spans.items()), start=1))


def _online_day(look: _Lookup, klass: StudentClass, day: date, weekday: int, occs: list[Occurrence],
                norms: NormsInForce, policy: AuditPolicy, cell: tuple[str, ...],
                declared: ClassPolicy | None = None) -> ClassDay:
    mine = [o for o in occs if _in_cell(o, klass, cell)]
    live: list[Slot] = []
    parts: list[AsyncPart] = []
    for occ in mine:
        period = look.periods(occ)[0]
        if occ.mode == Mode.LIVE:
            start, end = look.minute(occ.start, occ, "start"), look.minute(occ.end, occ, "end")
            gym = tuple(sorted((g.offset_minutes, g.minutes) for g in occ.gymnastics if g.kind == "eyes"))
            screen = max(occ.screen_minutes, end - start - sum(g.minutes for g in occ.gymnastics))
            live.append(Slot(0, period, start, end, (look.item(occ),), gym, screen, live=True))
        elif occ.mode == Mode.ASYNC:
            work = occ.async_work.work_minutes if occ.async_work else policy.async_work_minutes.value
            kind_screen = policy.async_screen.get(occ.async_work.kind, 0) if occ.async_work else 0
            parts.append(AsyncPart(look.item(occ), period, max(occ.screen_minutes, kind_screen), work))
    in_school = [o for o in mine if o.mode in (Mode.IN_SCHOOL, Mode.REPLACED)]
    slots = sorted([*live, *_school_slots(look, klass, day, in_school)], key=lambda s: (s.start, s.end))
    slots = [Slot(n, s.period, s.start, s.end, s.items, s.gymnastics, s.screen_minutes, s.live)
             for n, s in enumerate(slots, start=1)]
    return ClassDay(look.school, klass, day, weekday, tuple(slots), norms, day_type="online_day",
                    async_parts=tuple(parts), load_units=_load_units(look, mine), policy=policy, declared=declared,
                    scenario=look.plan.scenario, cell=cell)


def _load_units(look: _Lookup, occs: list[Occurrence]) -> tuple[Slot, ...]:
    """One slot per distinct regular period the cell has (live, asynchronous or in school), at regular times."""
    by_period: dict[int, list[Occurrence]] = defaultdict(list)
    for occ in occs:
        for p in look.periods(occ):
            by_period[p].append(occ)
    units = []
    for n, p in enumerate(sorted(by_period), start=1):
        first = by_period[p][0]
        start = look.minute(first.regular_start, first, "regular_start") if first.regular_start else 0
        end = look.minute(first.regular_end, first, "regular_end") if first.regular_end else start
        items = tuple(dict.fromkeys(look.item(o) for o in by_period[p]))
        units.append(Slot(n, p, start, end, items))
    return tuple(units)
