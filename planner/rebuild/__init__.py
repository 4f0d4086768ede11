"""The distance rebuild: turn the regular timetable into a lawful, minimally-changed online plan.

`rebuild(school, scenario, library)` is what the CLI and the page call; it reports progress through a
callback and stops early when the `cancel` event is set.
"""

from __future__ import annotations

import threading
import time as _time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable
from zoneinfo import ZoneInfo

from planner.norms import NormLibrary, NormsLapsedError
from planner.plan.model import Occurrence, Plan, SolverInfo
from planner.plan.ownership import plan_belongs_to
from planner.rebuild.assemble import absence_notices, assemble_day, light_subject_kinds, summarise, teaching_level
from planner.rebuild.day_model import CallSpec, Cell, ComponentResult, CoverSpec, Report, floor_key, solve_component
from planner.rebuild.rules import TeacherLimits
from planner.rebuild.paper import mark_all_paper
from planner.rebuild.parts import DayContext, DayInput, Part, expand_day
from planner.rebuild.prechecks import PrecheckError, run_prechecks
from planner.rebuild.priority import difficulty_points, hardness, subject_weight
from planner.rebuild.reasons import explain_async
from planner.scenario.model import AsyncKind, Scenario, TeacherStateKind
from planner.scenario.policy import ClassPolicy, class_policy
from planner.school.calendar import dates_between
from planner.school.model import School

Progress = Callable[[dict], None]
CLASS_HOUR = AsyncKind.CLASS_HOUR.value


class RebuildCancelled(Exception):
    """The rebuild was cancelled before it found a plan."""


@dataclass
class _Totals:
    objective: float = 0
    bound: float = 0
    components: int = 0
    optimal: bool = True
    statuses: set[str] = field(default_factory=set)


@dataclass
class _Run:
    """What one rebuild carries from date to date."""

    school: School
    scenario: Scenario
    published_by_key: dict
    workers: int
    seed: int
    progress: Progress | None
    cancel: threading.Event | None
    totals: _Totals = field(default_factory=lambda: _Totals(statuses=set()))
    live_so_far: dict[tuple, int] = field(default_factory=lambda: defaultdict(int))
    last_day: dict[tuple, date] = field(default_factory=dict)

    def count_live(self, occurrences: list[Occurrence]) -> None:
        for o in occurrences:
            if o.mode == "live":
                self.live_so_far[floor_key(o.class_id, o.groups, o.subject_id)] += 1

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise RebuildCancelled()


def rebuild(school: School, scenario: Scenario, library: NormLibrary, *, published: Plan | None = None,
            time_limit: float = 10.0, workers: int = 1, seed: int = 0, progress: Progress | None = None,
            cancel: threading.Event | None = None, explain: bool = True, scenario_source: str = "",
            accept_partial: bool = False) -> Plan:
    """Plan every date of the scenario. Raises PrecheckError for a school or scenario that cannot be planned
    (a partial source timetable too, unless accept_partial).

    The norms in force are looked up once per date and every date's context (`DayContext`) is built once, then
    handed to the model, the assembly and the reasons."""
    started = _time.monotonic()
    online_ids = scenario.online.resolve(school)
    days = dates_between(scenario.start, scenario.end)
    try:
        norms_by_day = {day: library.in_force(day) for day in days}
    except NormsLapsedError as err:  # strict mode: a lapsed act without a successor stops the rebuild (exit 3)
        raise PrecheckError([err.message_en], [err.message_ru]) from None
    run_prechecks(school, scenario, library, online_ids, scenario_source, norms_by_day=norms_by_day,
                  accept_partial=accept_partial)
    if published is not None and not plan_belongs_to(published, school):
        raise PrecheckError(["the published plan was made for another school or another version of it"],
                            ["опубликованный план составлен для другой школы или другой версии её данных"])
    frozen_before = scenario.replan_from if published is not None else None
    run = _Run(school, scenario, {(o.key, o.part): o for o in published.occurrences} if published else {},
               workers, seed, progress, cancel)
    contexts = {day: expand_day(school, scenario, set(online_ids), day, norms_by_day[day],
                                lambda k, n: class_policy(scenario, k, n))
                for day in days if frozen_before is None or day >= frozen_before}
    run.last_day = _last_days(contexts)
    occurrences: list[Occurrence] = []
    policies: dict[str, dict[str, ClassPolicy]] = {}
    for day in days:
        if day not in contexts:  # before the re-planning date: the published plan stays
            assert published is not None  # dates are frozen only when re-planning a published plan
            kept = [o for o in published.occurrences if o.date == day]
            occurrences.extend(kept)
            run.count_live(kept)
            if published.policies.get(day.isoformat()):
                policies[day.isoformat()] = published.policies[day.isoformat()]
            continue
        run.check_cancel()
        ctx = contexts[day]
        policies[day.isoformat()] = dict(ctx.policies)
        budget_left = max(0.1, time_limit - (_time.monotonic() - started))
        share = budget_left / max(1, len([d for d in contexts if d >= day]))
        live, covers, forced, online_covers = _solve_day(run, ctx, share)
        day_occ = assemble_day(school, scenario, ctx, live, covers, forced, run.published_by_key,
                               online_covers=online_covers)
        occurrences.extend(day_occ)
        run.count_live(day_occ)
    totals = run.totals
    plan = Plan(school_id=school.id, school_fingerprint=school.fingerprint(), timezone=school.timezone,
                scenario=scenario, norm_sets=sorted({s for n in norms_by_day.values() for s in n.set_ids}),
                policies=policies,
                solver=SolverInfo(status=_overall_status(totals, online_ids), objective=totals.objective,
                                  bound=totals.bound, gap=_gap(totals), wall_seconds=_time.monotonic() - started,
                                  workers=workers, components=totals.components, time_limit_seconds=time_limit),
                created_at=datetime.now(timezone.utc).replace(microsecond=0),
                baseline="published" if published is not None else "regular", occurrences=occurrences,
                notices=absence_notices(school, occurrences))
    if explain:
        plan = explain_async(school, plan, library, norms_by_day)
    return mark_all_paper(school, summarise(school, plan, published))


def _overall_status(t: _Totals, online_ids: list[str]) -> str:
    if not online_ids:
        return "NO_ONLINE"
    if t.components == 0:
        return "NOTHING_TO_DECIDE"
    return "OPTIMAL" if t.optimal else "FEASIBLE"


def _gap(t: _Totals) -> float:
    if t.bound <= 0 or t.objective <= 0:
        return 0.0
    return max(0.0, (t.bound - t.objective) / max(1.0, abs(t.bound)))


def _last_days(contexts: dict[date, DayContext]) -> dict[tuple, date]:
    """The last date on which each online class has each subject (per student set): where a subject floor still
    open must be met."""
    last: dict[tuple, date] = {}
    for day in sorted(contexts):
        for parts in contexts[day].online.values():
            for p in parts:
                last[floor_key(p.class_id, p.groups, p.subject_id)] = day
    return last


def _solve_day(run: _Run, ctx: DayContext,
               time_limit: float) -> tuple[dict[int, int], dict[int, str], dict[int, str], dict[int, str]]:
    """Build the calls, cells and covers of one date, split them into independent components, solve each.
    Returns (live: part uid -> start, covers: cover uid -> substitute, forced: part uid -> reason code,
    online covers: part uid -> the colleague who takes the call)."""
    candidates = _online_cover_candidates(run.school, run.scenario, ctx)
    forced = {p.uid: code for parts in ctx.online.values() for p in parts
              if (code := _forced_reason(run.scenario, ctx, p, bool(candidates.get(p.uid)))) is not None}
    calls = _call_specs(run, ctx, forced, candidates)
    cells = [Cell([p for p in ctx.cell_parts(cid, cell) if p.uid not in forced], pol.screen_cap,
                  pol.min_break.value)
             for cid, pol in ctx.policies.items() for cell in ctx.cells[cid]]
    covers = _cover_specs(run.school, run.scenario, ctx)
    live: dict[int, int] = {}
    substitutes: dict[int, str] = {}
    online_covers: dict[int, str] = {}
    comps = _components(calls, covers)
    day_started = _time.monotonic()
    for n, (cis, vis) in enumerate(comps):
        run.check_cancel()
        comp_calls = [calls[i] for i in cis]
        uids = {p.uid for c in comp_calls for p in c.parts}
        comp_cells = [Cell(members, c.screen_cap, c.min_break) for c in cells
                      if (members := [p for p in c.parts if p.uid in uids])]
        floors, open_floors = _floors(run, ctx, comp_calls)
        # what earlier components left unused passes on to the later ones
        share = _component_share(time_limit - (_time.monotonic() - day_started), len(cis),
                                 sum(len(c[0]) for c in comps[n:]), len(comps) - n)
        res = solve_component(comp_calls, comp_cells, [covers[i] for i in vis], _buffer(ctx), floors, open_floors,
                              time_limit=share, workers=run.workers, seed=run.seed,
                              report=_reporter(run, ctx, n, len(comps)), cancel=run.cancel,
                              teacher_limits=teacher_limits(ctx))
        _count(run.totals, res)
        if res.status not in ("OPTIMAL", "FEASIBLE"):
            for c in comp_calls:  # no solution in time: all-async is always valid
                for p in c.parts:
                    forced.setdefault(p.uid, "time_limit")
        live.update(res.live)
        substitutes.update(res.covers)
        online_covers.update(res.online_covers)
        if run.progress is not None:
            run.progress({"date": ctx.date.isoformat(), "component": n + 1, "components": len(comps),
                          "status": res.status, "objective": res.objective, "bound": res.bound, "elapsed": res.wall})
    return live, substitutes, forced, online_covers


def _count(t: _Totals, res: ComponentResult) -> None:
    t.components += 1
    t.objective += res.objective
    t.bound += res.bound
    t.optimal = t.optimal and res.status == "OPTIMAL"
    t.statuses.add(res.status)


def _reporter(run: _Run, ctx: DayContext, n: int, total: int) -> Report | None:
    progress = run.progress
    if progress is None:
        return None

    def report(**kw: Any) -> None:
        progress({"date": ctx.date.isoformat(), "component": n + 1, "components": total, **kw})
    return report


def _forced_reason(scenario: Scenario, ctx: DayContext, p: Part, can_be_covered: bool = False) -> str | None:
    """Why a part cannot be live at all (the class's readiness and devices, its teachers' states), or None. A
    co-taught part keeps its present teacher; a part whose every teacher is sick stays possible when a
    colleague may take the call (`_online_cover_candidates`)."""
    pol = ctx.policies[p.class_id]
    if not pol.ready:
        return "class_not_ready"
    if pol.binding_device is None:
        return "no_device"
    if p.teachers and all(scenario.teacher_state(t, ctx.date) == TeacherStateKind.SICK for t in p.teachers) \
            and not can_be_covered:
        return "teacher_sick"
    if not p.teachers:
        return "no_teacher"
    return None


def _call_specs(run: _Run, ctx: DayContext, forced: dict[int, str],
                candidates: dict[int, list[str]] | None = None) -> list[CallSpec]:
    """One call per part that may be live; the parts of a combined lesson (several classes) share one call,
    as short and as narrow as the strictest of their classes needs."""
    calls: list[CallSpec] = []
    by_combined: dict[tuple[str, int], CallSpec] = {}
    for cid, parts in ctx.online.items():
        pol = ctx.policies[cid]
        length = pol.call_minutes.value
        window = (max(pol.earliest_start.value, parts[0].regular_start), pol.latest_end.value - length)
        buffer = pol.transition_buffer.value
        own = light_subject_kinds(run.school, run.scenario, ctx, cid)
        for p in parts:
            if p.uid in forced:
                continue
            spec = by_combined.get((p.lesson_id, p.part))
            if spec is not None:
                spec.parts.append(p)
                spec.class_hour = spec.class_hour or own.get(p.uid, ("",))[0] == CLASS_HOUR
                spec.length = min(spec.length, length)
                spec.window = (max(spec.window[0], window[0]), min(spec.window[1], window[1]))
                continue
            pub = run.published_by_key.get((p.key, p.part))
            points = difficulty_points(ctx.norms, p.norm_key, run.school.class_by_id(cid).norm_grade)
            spec = CallSpec(
                parts=[p], length=length, window=window,
                forbidden=[(a - buffer - length, b + buffer) for t in p.teachers for a, b in ctx.in_school_busy.get(t, [])],
                priority=max(0, int(round(subject_weight(run.scenario, ctx.norms, p.subject_id, p.norm_key) * 100))),
                difficulty=points or 0, hardness=hardness(ctx.norms, points),
                published_live=(pub.mode == "live") if pub else None,
                published_start=_minute(pub.start, run.school.timezone)
                if pub and pub.mode == "live" and pub.start else None,
                class_hour=own.get(p.uid, ("",))[0] == CLASS_HOUR,
                absent=tuple(t for t in p.teachers if run.scenario.teacher_state(t, ctx.date) == TeacherStateKind.SICK),
                cover_candidates=list((candidates or {}).get(p.uid, [])),
                cover_busy={t: list(ctx.in_school_busy.get(t, [])) for t in (candidates or {}).get(p.uid, [])})
            by_combined[(p.lesson_id, p.part)] = spec
            calls.append(spec)
    return calls


def _cover_specs(school: School, scenario: Scenario, ctx: DayContext) -> list[CoverSpec]:
    """Per in-school lesson of an absent teacher, the qualified substitutes present and free at that time."""
    if not scenario.policy.substitutes_allowed:
        return []
    out = []
    for need in ctx.covers:
        cands = [t.id for t in school.teachers
                 if t.id not in need.teachers and need.subject_id in t.subjects
                 and scenario.teacher_state(t.id, ctx.date) == TeacherStateKind.AVAILABLE
                 and t.available(need.weekday, need.period)
                 and not any(a < need.end and need.start < b for a, b in ctx.in_school_busy.get(t.id, []))]
        out.append(CoverSpec(need, cands))
    return out


MAX_ONLINE_COVER_CANDIDATES = 3  # colleagues offered per call: keeps the components small


def _online_cover_candidates(school: School, scenario: Scenario, ctx: DayContext) -> dict[int, list[str]]:
    """Per online part whose every regular teacher is sick on the date, the colleagues who may take its call
    (`rules.add_online_cover`): same subject (a language group's subject names its language), present that day
    (available, or working remotely — a call needs no building), not marked unavailable at that period; best
    first: those who teach the subject at the class's level in the regular timetable, then the lighter day;
    at most MAX_ONLINE_COVER_CANDIDATES. None when the scenario allows no substitutes."""
    if not scenario.policy.substitutes_allowed:
        return {}
    level_of = {k.id: teaching_level(k) for k in school.classes}
    teaches: dict[tuple[str, str], set[str]] = defaultdict(set)
    for lesson in school.lessons:
        for t in lesson.teachers:
            for cid in lesson.classes:
                if cid in level_of:
                    teaches[(t, lesson.subject)].add(level_of[cid])
    load: dict[str, int] = defaultdict(int)
    for parts in ctx.online.values():
        for p in parts:
            for t in p.teachers:
                load[t] += 1
    for t, spans in ctx.in_school_busy.items():
        load[t] += len(spans)
    present = [t for t in school.teachers
               if scenario.teacher_state(t.id, ctx.date) in (TeacherStateKind.AVAILABLE, TeacherStateKind.REMOTE_ONLY)]
    out: dict[int, list[str]] = {}
    for parts in ctx.online.values():
        for p in parts:
            if not p.teachers or not all(scenario.teacher_state(t, ctx.date) == TeacherStateKind.SICK
                                         for t in p.teachers):
                continue
            level = level_of.get(p.class_id)
            cands = [t for t in present if t.id not in p.teachers and p.subject_id in t.subjects
                     and (not p.weekday or t.available(p.weekday, p.period))]
            cands.sort(key=lambda t: (level not in teaches.get((t.id, p.subject_id), set()), load[t.id], t.id))
            if cands:
                out[p.uid] = [t.id for t in cands[:MAX_ONLINE_COVER_CANDIDATES]]
    return out


def _components(calls: list[CallSpec], covers: list[CoverSpec]) -> list[tuple[list[int], list[int]]]:
    """Independent components, largest first: calls and covers linked through classes, chats and teachers (the
    regular teachers of calls, the candidates of covers)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for ci, c in enumerate(calls):
        find(f"c{ci}")
        for p in c.parts:
            union(f"c{ci}", f"class:{p.class_id}")
            for t in p.teachers:
                union(f"c{ci}", f"t:{t}")
        for chat in c.chats:
            union(f"c{ci}", f"chat:{chat}")
        for t in c.cover_candidates:
            union(f"c{ci}", f"t:{t}")
    for vi, cv in enumerate(covers):
        find(f"v{vi}")
        for t in cv.candidates:
            union(f"v{vi}", f"t:{t}")
    groups: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for ci in range(len(calls)):
        groups[find(f"c{ci}")][0].append(ci)
    for vi in range(len(covers)):
        groups[find(f"v{vi}")][1].append(vi)
    return sorted(groups.values(), key=lambda g: -len(g[0]))


def _floors(run: _Run, ctx: DayContext, calls: list[CallSpec]) -> tuple[dict[tuple, int], frozenset[tuple]]:
    """The subject floors of a component: those still open, and the need of those that bind today. An open
    floor binds on the subject's last date in the scenario: earlier dates stay free to follow priorities, and
    the floor is met "where possible"."""
    floor = run.scenario.policy.subject_floor
    floors, open_floors = {}, set()
    for c in calls:
        for p in c.parts:
            fk = floor_key(p.class_id, p.groups, p.subject_id)
            if run.live_so_far[fk] < floor:
                open_floors.add(fk)
            if run.last_day.get(fk) == ctx.date:
                floors[fk] = max(0, floor - run.live_so_far[fk])
    return floors, frozenset(open_floors)


def _component_share(remaining: float, calls: int, calls_left: int, comps_left: int) -> float:
    """A component's share of the day's remaining time: by its number of calls, at least an even split."""
    return max(remaining / max(1, comps_left), remaining * calls / max(1, calls_left))


def teacher_limits(ctx: DayContext) -> TeacherLimits:
    """The optional teacher limits in force on the date (norms "teacher.live_minutes_per_day_max" and
    "teacher.calls_in_a_row_max"; 0 = off, the planner's default until the school's policy sets them)."""
    def value(key: str, field: str = "value") -> int:
        norm = ctx.norms.get(key)
        row = norm.row() if norm is not None else None
        return int(row.value(field)) if row is not None and field in row.values else 0
    return TeacherLimits(live_minutes_per_day=value("teacher.live_minutes_per_day_max"),
                         calls_in_a_row=value("teacher.calls_in_a_row_max"),
                         rest_minutes=value("teacher.calls_in_a_row_max", "rest_minutes"))


def _buffer(ctx: DayContext) -> int:
    return max((p.transition_buffer.value for p in ctx.policies.values()), default=0)


def _minute(dt: datetime, zone: str) -> int:
    local = dt.astimezone(ZoneInfo(zone))
    return local.hour * 60 + local.minute


__all__ = ["DayContext", "DayInput", "PrecheckError", "RebuildCancelled", "rebuild"]
