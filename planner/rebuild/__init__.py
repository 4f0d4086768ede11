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
from typing import Callable
from zoneinfo import ZoneInfo

from planner.norms import NormLibrary, NormsLapsedError
from planner.plan.model import Occurrence, Plan, SolverInfo
from planner.plan.ownership import plan_belongs_to
from planner.rebuild.assemble import assemble_day, light_subject_kinds, summarise
from planner.rebuild.day_model import CallSpec, Cell, CoverSpec, floor_key, solve_component
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
    statuses: set | None = None


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
    last_day: dict[tuple, object] = field(default_factory=dict)

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
        live, covers, forced = _solve_day(run, ctx, share)
        day_occ = assemble_day(school, scenario, ctx, live, covers, forced, run.published_by_key)
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
                baseline="published" if published is not None else "regular", occurrences=occurrences)
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


def _solve_day(run: _Run, ctx: DayContext, time_limit: float):
    """Build the calls, cells and covers of one date, split them into independent components, solve each.
    Returns (live: part uid -> start, covers: cover uid -> substitute, forced: part uid -> reason code)."""
    forced = {p.uid: code for parts in ctx.online.values() for p in parts
              if (code := _forced_reason(run.scenario, ctx, p)) is not None}
    calls = _call_specs(run, ctx, forced)
    cells = [Cell([p for p in ctx.cell_parts(cid, cell) if p.uid not in forced], pol.screen_cap,
                  pol.min_break.value)
             for cid, pol in ctx.policies.items() for cell in ctx.cells[cid]]
    covers = _cover_specs(run.school, run.scenario, ctx)
    live: dict[int, int] = {}
    substitutes: dict[int, str] = {}
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
                              report=_reporter(run, ctx, n, len(comps)), cancel=run.cancel)
        _count(run.totals, res)
        if res.status not in ("OPTIMAL", "FEASIBLE"):
            for c in comp_calls:  # no solution in time: all-async is always valid
                for p in c.parts:
                    forced.setdefault(p.uid, "time_limit")
        live.update(res.live)
        substitutes.update(res.covers)
        if run.progress is not None:
            run.progress({"date": ctx.date.isoformat(), "component": n + 1, "components": len(comps),
                          "status": res.status, "objective": res.objective, "bound": res.bound, "elapsed": res.wall})
    return live, substitutes, forced


def _count(t: _Totals, res) -> None:
    t.components += 1
    t.objective += res.objective
    t.bound += res.bound
    t.optimal = t.optimal and res.status == "OPTIMAL"
    t.statuses.add(res.status)


def _reporter(run: _Run, ctx: DayContext, n: int, total: int):
    if run.progress is None:
        return None

    def report(**kw):
        run.progress({"date": ctx.date.isoformat(), "component": n + 1, "components": total, **kw})
    return report


def _forced_reason(scenario: Scenario, ctx: DayContext, p: Part) -> str | None:
    """Why a part cannot be live at all (the class's readiness and devices, its teachers' states), or None."""
    pol = ctx.policies[p.class_id]
    if not pol.ready:
        return "class_not_ready"
    if pol.binding_device is None:
        return "no_device"
    if any(scenario.teacher_state(t, ctx.date) == TeacherStateKind.SICK for t in p.teachers):
        return "teacher_sick"
    if not p.teachers:
        return "no_teacher"
    return None


def _call_specs(run: _Run, ctx: DayContext, forced: dict[int, str]) -> list[CallSpec]:
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
                class_hour=own.get(p.uid, ("",))[0] == CLASS_HOUR)
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


def _components(calls: list[CallSpec], covers: list[CoverSpec]) -> list[tuple[list[int], list[int]]]:
    """Independent components, largest first: calls and covers linked through classes, chats and teachers (the
    regular teachers of calls, the candidates of covers)."""
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        parent[find(a)] = find(b)

    for ci, c in enumerate(calls):
        find(f"c{ci}")
        for p in c.parts:
            union(f"c{ci}", f"class:{p.class_id}")
            for t in p.teachers:
                union(f"c{ci}", f"t:{t}")
        for chat in c.chats:
            union(f"c{ci}", f"chat:{chat}")
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


def _buffer(ctx: DayContext) -> int:
    return max((p.transition_buffer.value for p in ctx.policies.values()), default=0)


def _minute(dt: datetime, zone: str) -> int:
    local = dt.astimezone(ZoneInfo(zone))
    return local.hour * 60 + local.minute


__all__ = ["DayContext", "DayInput", "PrecheckError", "RebuildCancelled", "rebuild"]
