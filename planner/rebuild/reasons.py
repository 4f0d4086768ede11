"""Reasons for asynchronous parts: cite a norm only when the auditor reports it failing if that part were made
live at its slot; otherwise the reason is «по приоритету» (priority).

For each asynchronous part without a reason yet, the part is made a live call at its regular start time (the
class's call length, its eye gymnastics), and the auditor checks that class's day and the days of the teachers
involved, before and after. A finding that appears only after names the norm; none means the calls went to
lessons of higher priority.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from planner.scenario.resolved import Source
from planner.school.model import DEVICE_RU
from planner.audit import class_checks, date_checks
from planner.audit.plan_views import plan_class_days
from planner.norms import NormLibrary, NormsInForce
from planner.plan.model import Mode, Occurrence, Plan, ReasonText
from planner.rebuild.assemble import gymnastics_offsets
from planner.rebuild.priority import difficulty_points, hardness
from planner.school.model import School, StudentClass
from planner.text import plural

if TYPE_CHECKING:
    from planner.audit.findings import Finding
    from planner.audit.views import ClassDay
    from planner.scenario.resolved import ClassPolicy

# the explanation's cache of one date: class days and findings of the slices tried (see _Context.new_findings)
_Baseline = dict[tuple[Any, ...], Any]


# The auditor's integrity and scenario findings name lessons by id (for the deputy's audit report); a reason is
# read by families in their feeds, so these say in words what stands in the way.
PLAIN_REASONS = {
    "integrity.chat_overlap": ("в это время в том же чате идёт другой онлайн-урок — в одном чате MAX/Сферум "
                               "одновременно идёт только один звонок",
                               "another live lesson uses the same chat at that time — a MAX/Sferum chat holds one "
                               "call at a time"),
    "integrity.teacher_overlap": ("в это время учитель ведёт другое занятие",
                                  "the teacher gives another lesson at that time"),
    "integrity.teacher_unavailable": ("в это время учитель недоступен", "the teacher is unavailable at that time"),
    "scenario.teacher_sick": ("учитель отсутствует", "the teacher is absent"),
}

def _finding_key(f: Finding) -> tuple[Any, ...]:
    return (f.norm_key, f.class_id, f.teacher_id, f.groups if hasattr(f, "groups") else (), f.message_en)


def explain_async(school: School, plan: Plan, library: NormLibrary,
                  norms_by_day: Mapping[date, NormsInForce] | None = None) -> Plan:
    """Give each asynchronous part without a reason its reason (see the module's docstring). norms_by_day: the
    norms in force per date the rebuild already looked up, handed to the auditor.

    A hard lesson left asynchronous while a light lesson of the same pupils is live that day is first tried in
    the light one's place (the light one made asynchronous): the hard rule that trial breaks is its reason."""
    by_date: dict = defaultdict(list)
    for i, o in enumerate(plan.occurrences):
        by_date[o.date].append(i)
    occurrences = list(plan.occurrences)
    ctx = _Context(school, plan, library, norms_by_day)
    for day, idxs in by_date.items():
        todo = [i for i in idxs if occurrences[i].mode == Mode.ASYNC and not occurrences[i].reasons]
        norms = norms_by_day[day] if norms_by_day and day in norms_by_day else library.in_force(day)
        baseline_cache: _Baseline = {}
        for i in todo:
            o = occurrences[i]
            pol = plan.policies.get(day.isoformat(), {}).get(o.class_id)
            if pol is None or o.regular_start is None:
                continue
            klass, cells = ctx.classes[o.class_id], ctx.cells(o.class_id)
            calls = [occurrences[j] for j in idxs if occurrences[j].class_id == o.class_id
                     and occurrences[j].mode == Mode.LIVE and shares_pupils(klass, occurrences[j], o, cells)]
            reason = _inversion_reason(ctx, norms, day, idxs, occurrences, i, pol, calls, baseline_cache)
            if reason is None:
                trial = _as_call(o, pol, o.regular_start)
                new = ctx.new_findings(day, idxs, occurrences, {i: trial}, o, baseline_cache)
                reason = _reason(school, pol, o, new, calls)
            occurrences[i] = o.model_copy(update={"reasons": [reason]})
        for i in idxs:  # every moved call carries a reason
            o = occurrences[i]
            if o.mode == Mode.LIVE and not o.reasons and o.regular_start is not None and o.start is not None \
                    and o.start != o.regular_start:
                pol = plan.policies.get(day.isoformat(), {}).get(o.class_id)
                if pol is not None:
                    occurrences[i] = o.model_copy(update={"reasons": [
                        _move_reason(ctx, day, idxs, occurrences, i, pol, baseline_cache)]})
    return plan.model_copy(update={"occurrences": occurrences})


def _norm_key(source: Source) -> str | None:
    """The norm a knob's value came from, or None when the scenario or the school set it."""
    return source.key if source.kind == "norm" else None


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _move_reason(ctx: _Context, day: date, idxs: list[int], occurrences: list[Occurrence], i: int, pol: ClassPolicy,
                 baseline_cache: _Baseline) -> ReasonText:
    """Why a live call is not at its regular time: the day window, else the rule a call at the regular time
    would break (found by the auditor), else the solver's arrangement of the day (no rule named)."""
    o = occurrences[i]
    assert o.regular_start is not None and o.start is not None  # the caller picks moved live calls only
    klass = ctx.school.class_by_id(o.class_id)
    was, now = o.regular_start.strftime("%H:%M"), o.start.strftime("%H:%M")
    moved_ru, moved_en = f"{klass.name}: звонок перенесён с {was} на {now}", f"{klass.name}: the call moved " \
        f"from {was} to {now}"
    params = {"class": klass.name, "from": was, "to": now}
    reg = o.regular_start.hour * 60 + o.regular_start.minute
    length = int((o.end - o.start).total_seconds() // 60) if o.end else pol.call_minutes.value
    if reg < pol.earliest_start.value:
        return ReasonText(code="moved", norm_key=_norm_key(pol.earliest_start.source), params=params,
                          text_ru=f"{moved_ru}: онлайн-занятия начинаются не раньше "
                                  f"{_hhmm(pol.earliest_start.value)}",
                          text_en=f"{moved_en}: online lessons start no earlier than "
                                  f"{_hhmm(pol.earliest_start.value)}")
    if reg + length > pol.latest_end.value:
        return ReasonText(code="moved", norm_key=_norm_key(pol.latest_end.source), params=params,
                          text_ru=f"{moved_ru}: онлайн-занятия заканчиваются не позднее {_hhmm(pol.latest_end.value)}",
                          text_en=f"{moved_en}: online lessons end by {_hhmm(pol.latest_end.value)}")
    trial = o.model_copy(update={"start": o.regular_start, "end": o.regular_start + _minutes(length)})
    new = ctx.new_findings(day, idxs, occurrences, {i: trial}, o, baseline_cache)
    if new:
        f = sorted(new, key=lambda f: (f.norm_key.startswith("integrity"), f.norm_key))[0]
        return ReasonText(code="moved", norm_key=f.norm_key, params=params,
                          text_ru=f"{moved_ru}: в прежнее время {f.message_ru} — {f.act}, {f.clause}",
                          text_en=f"{moved_en}: at the regular time {f.message_en} — {f.act}, {f.clause}")
    return ReasonText(code="moved", params=params,
                      text_ru=f"{moved_ru}: так выстроены звонки дня при перестроении (в прежнее время правила "
                              f"не нарушались бы)",
                      text_en=f"{moved_en}: the rebuild's arrangement of the day's calls (the regular time "
                              f"would break no rule)")


def _as_call(o: Occurrence, pol: ClassPolicy, start: datetime) -> Occurrence:
    """The part made a live call from `start` with the class's call length and eye gymnastics."""
    length = pol.call_minutes.value
    return o.model_copy(update={
        "mode": Mode.LIVE, "start": start, "end": start + _minutes(length), "teachers": list(o.regular_teachers),
        "gymnastics": gymnastics_offsets(length, pol.gymnastics_interval.value, pol.gymnastics_minutes.value),
        "screen_minutes": length, "async_work": None})


def _inversion_reason(ctx: _Context, norms: NormsInForce, day: date, idxs: list[int], occurrences: list[Occurrence],
                      i: int, pol: ClassPolicy, calls: list[Occurrence], baseline_cache: _Baseline) -> ReasonText | None:
    """For a hard part with light calls of the same pupils live that day: the hard rule that putting it live
    in a light call's place would break, or None when it is not such a part or no swap breaks a rule."""
    school, o = ctx.school, occurrences[i]
    grade = school.class_by_id(o.class_id).norm_grade
    if hardness(norms, difficulty_points(norms, ctx.norm_key(o.subject_id), grade)) != "hard":
        return None
    light = [c for c in calls if hardness(norms, difficulty_points(norms, ctx.norm_key(c.subject_id), grade))
             == "light"]
    found = []
    for c in light:
        j = occurrences.index(c)
        assert c.start is not None  # a live call has its time
        swap = {i: _as_call(o, pol, c.start), j: c.model_copy(update={"mode": Mode.ASYNC, "start": None,
                                                                     "end": None, "screen_minutes": 0})}
        new = ctx.new_findings(day, idxs, occurrences, swap, o, baseline_cache)
        if not new:
            return None  # this swap breaks no hard rule: no hard-rule reason to give
        found.append((c, sorted(new, key=lambda f: (f.norm_key.startswith("integrity"), f.norm_key))[0]))
    if not found:
        return None
    c, f = found[0]
    klass = school.class_by_id(o.class_id)
    light_name = ctx.subject_name(c.subject_id)
    return ReasonText(
        code="hard_rule", norm_key=f.norm_key,
        params={"class": klass.name, "light_subject": c.subject_id, "finding": f.norm_key},
        text_ru=f"{klass.name}: трудный урок не поставлен онлайн вместо лёгкого «{light_name}»: {f.message_ru} — "
                f"{f.act}, {f.clause}",
        text_en=f"{klass.name}: the hard lesson cannot take the place of the light «{light_name}» live: "
                f"{f.message_en} — {f.act}, {f.clause}")


def _minutes(n: int) -> timedelta:
    from datetime import timedelta

    return timedelta(minutes=n)


class _Context:
    """Audits small slices of the plan: one date, the classes and lessons involved (the auditor's cost grows with
    the school it is given, so each trial hands it only what the trial touches)."""

    def __init__(self, school: School, plan: Plan, library: NormLibrary,
                 norms_by_day: Mapping[date, NormsInForce] | None):
        if norms_by_day is None:  # looked up once per date, not once per trial
            norms_by_day = {d: library.in_force(d) for d in sorted({o.date for o in plan.occurrences})}
        self.school, self.plan, self.library, self.norms_by_day = school, plan, library, norms_by_day
        self.lessons = {le.id: le for le in school.lessons}
        self.classes = {c.id: c for c in school.classes}
        self.subjects = {s.id: s for s in school.subjects}
        self.policies: dict = {}  # the auditor's policy per (class, date): one scenario throughout
        self._cells: dict[str, list[tuple[str, ...]]] = {}

    def cells(self, class_id: str) -> list[tuple[str, ...]]:
        """The class's pupil cells, computed once."""
        if class_id not in self._cells:
            self._cells[class_id] = self.classes[class_id].pupil_cells()
        return self._cells[class_id]

    def norm_key(self, subject_id: str) -> str | None:
        return self.subjects[subject_id].norm_key if subject_id in self.subjects else None

    def subject_name(self, subject_id: str) -> str:
        return self.subjects[subject_id].name if subject_id in self.subjects else subject_id

    def new_findings(self, day: date, idxs: list[int], occurrences: list[Occurrence], changed: dict[int, Occurrence],
                     o: Occurrence, baseline_cache: _Baseline) -> list[Finding]:
        """The violations the changed occurrences add to the day of o's class and o's teachers.

        The same as auditing the whole slice before and after and keeping what is new, done by parts: the
        per-class checks of a class the change leaves alone find the same before and after, so only the changed
        classes' days are rebuilt and checked, and the cross-class (date) checks, whose findings are of their own
        norms, rerun over all the slice's days. Class days and findings are cached per day (baseline_cache): the
        explanation adds reasons and never moves a part, so a class's days that day are fixed by which of its
        parts the slice holds."""
        teachers = set(o.regular_teachers)
        related = {o.class_id} | {occurrences[j].class_id for j in idxs if teachers & set(occurrences[j].teachers)}
        by_class: dict[str, list[int]] = defaultdict(list)
        for j in idxs:
            if occurrences[j].class_id in related:
                by_class[occurrences[j].class_id].append(j)
        key = ("slice", tuple(sorted(related)))  # whole classes: the slice is fixed by the classes it holds
        if key not in baseline_cache:
            views = {cid: self._class_part(day, cid, tuple(js), occurrences, baseline_cache)[0]
                     for cid, js in by_class.items()}
            baseline_cache[key] = (views, _keyed(date_checks(_distinct(views))))
        views, before_dates = baseline_cache[key]
        before, after = dict(before_dates), {}
        now = dict(views)
        for cid in sorted({changed[j].class_id for j in changed}):
            js = tuple(by_class.get(cid, ()))
            before.update(self._class_part(day, cid, js, occurrences, baseline_cache, checked=True)[1])
            now[cid] = self.class_days(day, [changed.get(j, occurrences[j]) for j in js])
            # a pupil cell no changed part belongs to has the same day, and so the same findings, as before
            moved = [x for j in changed for x in (changed[j], occurrences[j]) if x.class_id == cid]
            after.update(_keyed(_cell_checks([cd for cd in now[cid] if self._touches(cd, moved)])))
        after.update(_keyed(date_checks(_distinct(now))))
        return [f for k, f in after.items() if k not in before]

    def _touches(self, cd: ClassDay, occs: list[Occurrence]) -> bool:
        """Whether any of the occurrences belongs to the class day's pupil cell (the auditor's rule: a part of no
        group of the class is the whole class's)."""
        if not cd.cell:
            return True
        own = {g.id for g in self.classes[cd.klass.id].groups}
        for o in occs:
            mine = [g for g in o.groups if g in own]
            if not mine or any(g in cd.cell for g in mine):
                return True
        return False

    def _class_part(self, day: date, cid: str, js: tuple[int, ...], occurrences: list[Occurrence], cache: _Baseline,
                    checked: bool = False) -> tuple[list[ClassDay], dict[tuple[Any, ...], Finding]]:
        """One class's days of the slice (its parts js) and, when checked, their per-class findings; cached."""
        ck = ("class", cid, js)
        if ck not in cache:
            cache[ck] = [self.class_days(day, [occurrences[j] for j in js]), None]
        if checked and cache[ck][1] is None:
            cache[ck][1] = _keyed(_cell_checks(cache[ck][0]))
        return cache[ck][0], cache[ck][1] or {}

    def class_days(self, day: date, occs: list[Occurrence]) -> list[ClassDay]:
        """The auditor's class days (per pupil cell, unmerged) of these occurrences on one date."""
        if not occs:
            return []
        small = self.school.model_copy(update={
            "lessons": [self.lessons[i] for i in sorted({o.lesson_id for o in occs})],
            "classes": [self.classes[c] for c in sorted({o.class_id for o in occs})]})
        mini = self.plan.model_copy(update={"occurrences": occs, "scenario": self.plan.scenario.model_copy(
            update={"start": day, "end": day})})
        # per pupil cell, unmerged: a reason states the numbers of the one cell its finding is about
        return plan_class_days(small, mini, self.library, norms_by_day=self.norms_by_day, policies=self.policies)


def _signature(cd: ClassDay) -> tuple[Any, ...]:
    """What the checks see of a class day besides its cell (the class, date, policy and norms are the class's),
    by identity: the auditor builds the pupil cells holding the same parts as one day (planner.audit.plan_views),
    so the same content is the same objects; the days compared are alive while compared."""
    return cd.klass.id, cd.date, cd.day_type, id(cd.slots), id(cd.async_parts), id(cd.load_units)


def _distinct(views: dict) -> list:
    """The class days of the views, one per distinct content: the date checks (teachers, chats) take a lesson
    seen from several pupil cells as one lesson and label their findings by the lesson, never by the cell."""
    return list({_signature(cd): cd for v in views.values() for cd in v}.values())


def _cell_checks(days: list) -> list:
    """`class_checks` over one class's days, run once per distinct content: pupil cells holding the same lessons
    have the same day (the checks read the cell only to label a finding), so a cell with the content of one
    already checked takes its findings, relabelled with its own cell."""
    checked: dict[tuple, tuple] = {}
    found: list = []
    for cd in days:
        sig = _signature(cd)
        if sig not in checked:
            checked[sig] = (cd.cell, class_checks([cd]))
            found.extend(checked[sig][1])
            continue
        cell, same = checked[sig]
        found.extend(replace(f, groups=cd.cell) if f.groups == cell else f for f in same)
    return found


def _keyed(found: list) -> dict:
    return {_finding_key(f): f for f in found if f.severity == "violation"}


def in_cell(klass: StudentClass, o: Occurrence, cell: tuple[str, ...] | list[str]) -> bool:
    """Whether the pupil cell (one group of each division, as the auditor builds it; () = the whole class) attends
    the part: a part naming none of the class's own groups is the whole class's, else the cell holds one of them."""
    own = klass.own_groups(o.groups)
    return not own or not cell or any(g in cell for g in own)


def shares_pupils(klass: StudentClass, a: Occurrence, b: Occurrence,
                  cells: list[tuple[str, ...]] | None = None) -> bool:
    """Whether some pupils of the class attend both parts: some pupil cell (of `cells`, the class's pupil cells
    when None) holds both. Groups of different divisions always share pupils (the English group 1 and the boys'
    PE group meet in the cell «group 1, boys»); groups of one division share none unless they are the same group."""
    if not klass.own_groups(a.groups) or not klass.own_groups(b.groups):
        return True  # a whole-class part
    return any(in_cell(klass, a, cell) and in_cell(klass, b, cell)
               for cell in (klass.pupil_cells() if cells is None else cells))


SCREEN_KEYS = ("eso.table_6_8", "scenario.screen_reserve")


def cell_calls(klass: StudentClass, calls: list[Occurrence], groups: tuple[str, ...] | list[str]) -> list[Occurrence]:
    """The live calls one pupil cell attends (a finding names its cell by its groups; () = the whole class)."""
    return [c for c in calls if in_cell(klass, c, groups)]


def _screen_reason(klass: StudentClass, pol: ClassPolicy, device: str, screen: list[Finding],
                   calls: list[Occurrence]) -> ReasonText:
    """The daily screen limit as it binds: table 6.8 is cited only when the legal limit itself would be exceeded;
    when only the school's reserve would be eaten into, the reason says that the reserve is the school's own
    norm. The count and the minutes are those of the pupil cell the finding is about, as in the plan."""
    legal = [f for f in screen if f.norm_key == "eso.table_6_8"]
    f = (legal or screen)[0]
    class_name = klass.name
    mine = cell_calls(klass, calls, f.groups)
    n = len(mine)
    lengths = "/".join(map(str, sorted({c.screen_minutes for c in mine})))
    minutes = sum(c.screen_minutes for c in mine)
    budget, reserve = pol.daily_budget.value, pol.reserve.value
    if n:
        made_ru = f"в этот день уже {plural(n, 'урок', 'урока', 'уроков')} онлайн по {lengths} мин ({minutes} мин " \
                  f"у экрана)"
        made_en = f"the day already has {n} live {'call' if n == 1 else 'calls'} of {lengths} min ({minutes} " \
                  f"screen minutes)"
    else:
        made_ru, made_en = "экранное время дня занято асинхронной работой", "the day's screen time is async work"
    params = {"class": class_name, "device": pol.binding_device or "", "budget": budget, "reserve": reserve,
              "calls": n, "call_minutes": pol.call_minutes.value, "screen_minutes": minutes,
              "groups": ",".join(f.groups), "finding": f.norm_key}
    if legal:
        return ReasonText(
            code="norm", norm_key="eso.table_6_8", params=params,
            text_ru=f"{class_name} ({device}): {made_ru}; ещё один превысил бы предельные {budget} мин в день — "
                    f"СанПиН 1.2.3685-21, табл. 6.8",
            text_en=f"{class_name} ({pol.binding_device}): {made_en}; one more would exceed the legal {budget} "
                    f"minutes a day — СанПиН 1.2.3685-21, table 6.8")
    return ReasonText(
        code="school_reserve", norm_key="scenario.screen_reserve", params=params,
        text_ru=f"{class_name} ({device}): {made_ru}; ещё один занял бы резерв {reserve} мин на домашние задания "
                f"и досуг — норматив школы (предел СанПиН {budget} мин в день не превышается)",
        text_en=f"{class_name} ({pol.binding_device}): {made_en}; one more would eat into the {reserve}-minute "
                f"reserve for homework and leisure — the school's own norm (the legal {budget} minutes a day "
                f"are not exceeded)")


def _reason(school: School, pol: ClassPolicy, o: Occurrence, new: list[Finding], calls: list[Occurrence]) -> ReasonText:
    klass = school.class_by_id(o.class_id)
    device = DEVICE_RU.get(pol.binding_device or "", pol.binding_device or "")
    screen = [f for f in new if f.norm_key in SCREEN_KEYS]
    if screen:
        return _screen_reason(klass, pol, device, screen, calls)
    if new:
        f = sorted(new, key=lambda f: (f.norm_key.startswith("integrity"), f.norm_key))[0]
        if f.norm_key in PLAIN_REASONS:  # family-facing: what is busy, never the auditor's lesson ids or a health cause
            ru, en = PLAIN_REASONS[f.norm_key]
            return ReasonText(code="norm", norm_key=f.norm_key, params={"class": klass.name},
                              text_ru=f"{klass.name}: {ru}", text_en=f"{klass.name}: {en}")
        return ReasonText(
            code="norm", norm_key=f.norm_key,
            params={"class": klass.name, "device": pol.binding_device or "", "call_minutes": pol.call_minutes.value,
                    "budget": pol.daily_budget.value, "reserve": pol.reserve.value},
            text_ru=f"{klass.name} ({device}): {f.message_ru} — {f.act}, {f.clause}",
            text_en=f"{klass.name} ({pol.binding_device}): {f.message_en} — {f.act}, {f.clause}")
    return ReasonText(code="priority",
                      text_ru="по приоритету: звонок этого дня отдан урокам с большим приоритетом или трудностью",
                      text_en="by priority: the day's calls went to lessons of higher priority or difficulty")
