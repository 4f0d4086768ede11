"""The distance rebuild: turn the regular timetable into a lawful, minimally-changed online plan.

`rebuild(school, scenario, library)` is what the CLI and the page call; it reports progress through a
callback and stops early when the `cancel` event is set.
"""

from __future__ import annotations

import threading
import time as _time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from planner.norms import NormLibrary
from planner.plan.model import Plan, SolverInfo
from planner.rebuild.assemble import assemble_day, summarise
from planner.rebuild.day_model import CallSpec, CoverSpec, floor_key, solve_component
from planner.rebuild.paper import mark_all_paper
from planner.rebuild.parts import DayInput, expand_day, in_cell
from planner.rebuild.prechecks import PrecheckError, run_prechecks
from planner.rebuild.reasons import explain_async
from planner.scenario.model import Scenario, TeacherStateKind
from planner.scenario.policy import class_policy
from planner.school.calendar import dates_between
from planner.school.model import School

Progress = Callable[[dict], None]


class RebuildCancelled(Exception):
    """The rebuild was cancelled before it found a plan."""


@dataclass
class _Totals:
    objective: float = 0
    bound: float = 0
    components: int = 0
    optimal: bool = True
    statuses: set | None = None


def rebuild(school: School, scenario: Scenario, library: NormLibrary, *, published: Plan | None = None,
            time_limit: float = 10.0, workers: int = 1, seed: int = 0, progress: Progress | None = None,
            cancel: threading.Event | None = None, explain: bool = True, scenario_source: str = "",
            accept_partial: bool = False) -> Plan:
    """Plan every date of the scenario. Raises PrecheckError for a school or scenario that cannot be planned
    (a partial source timetable too, unless accept_partial)."""
    started = _time.monotonic()
    online_ids = scenario.online.resolve(school)
    run_prechecks(school, scenario, library, online_ids, scenario_source, accept_partial=accept_partial)
    if published is not None and published.school_fingerprint != school.fingerprint():
        raise PrecheckError(["the published plan was made for another school or another version of it"],
                            ["опубликованный план составлен для другой школы или другой версии её данных"])
    frozen_before = scenario.replan_from if published is not None else None
    days = dates_between(scenario.start, scenario.end)
    occurrences = []
    policies: dict[str, dict] = {}
    totals = _Totals(statuses=set())
    live_so_far: dict[tuple, int] = defaultdict(int)
    norm_sets: set[str] = set()
    published_by_key = {(o.key, o.part): o for o in published.occurrences} if published else {}
    remaining_days = [d for d in days if frozen_before is None or d >= frozen_before]
    last_day = _last_days(school, online_ids, remaining_days)

    for di, day in enumerate(days):
        norms = library.in_force(day)
        norm_sets.update(norms.set_ids)
        if frozen_before is not None and day < frozen_before:
            kept = [o for o in published.occurrences if o.date == day]
            occurrences.extend(kept)
            for o in kept:
                if o.mode == "live":
                    live_so_far[floor_key(o.class_id, o.groups, o.subject_id)] += 1
            if published.policies.get(day.isoformat()):
                policies[day.isoformat()] = published.policies[day.isoformat()]
            continue
        if cancel is not None and cancel.is_set():
            raise RebuildCancelled()
        day_in = expand_day(school, scenario, set(online_ids), day, norms,
                            lambda k, n: class_policy(scenario, k, n))
        policies[day.isoformat()] = {cid: p for cid, p in day_in.policies.items()}
        budget_left = max(0.1, time_limit - (_time.monotonic() - started))
        share = budget_left / max(1, len([d for d in remaining_days if d >= day]))
        live, covers, forced = _solve_day(school, scenario, day_in, live_so_far, last_day, published_by_key, share,
                                          workers, seed, progress, cancel, totals)
        day_occ = assemble_day(school, scenario, day_in, live, covers, forced, published_by_key)
        occurrences.extend(day_occ)
        for o in day_occ:
            if o.mode == "live":
                live_so_far[floor_key(o.class_id, o.groups, o.subject_id)] += 1
    plan = Plan(school_id=school.id, school_fingerprint=school.fingerprint(), timezone=school.timezone,
                scenario=scenario, norm_sets=sorted(norm_sets), policies=policies,
                solver=SolverInfo(status=_overall_status(totals, online_ids), objective=totals.objective,
                                  bound=totals.bound, gap=_gap(totals), wall_seconds=_time.monotonic() - started,
                                  workers=workers, components=totals.components, time_limit_seconds=time_limit),
                created_at=datetime.now(timezone.utc).replace(microsecond=0),
                baseline="published" if published is not None else "regular", occurrences=occurrences)
    if explain:
        plan = explain_async(school, plan, library)
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


def _last_days(school: School, online_ids: list[str], days) -> dict[tuple, object]:
    """The last date on which each online class has each subject: where a subject floor still open must be met."""
    from planner.school.calendar import lessons_on

    last: dict[tuple, object] = {}
    for cid in online_ids:
        klass = school.class_by_id(cid)
        for day in days:
            for d in lessons_on(school, klass, day):
                last[floor_key(cid, d.lesson.groups, d.lesson.subject)] = day
    return last


def _solve_day(school: School, scenario: Scenario, day: DayInput, live_so_far, last_day, published_by_key,
               time_limit, workers, seed, progress, cancel, totals: _Totals):
    """Build the calls, cells and covers of one date, split them into independent components, solve each."""
    forced: dict[int, str] = {}  # part uid -> reason code for parts that cannot be live

    # teachers' in-school lessons on this date (those who are present in the building)
    in_school_busy: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for cid, lessons in day.in_school.items():
        for d in lessons:
            for t in d.lesson.teachers:
                if scenario.teacher_state(t, day.date) == TeacherStateKind.AVAILABLE:
                    in_school_busy[t].append((d.start_minute, d.end_minute))

    calls: list[CallSpec] = []
    by_combined: dict[tuple[str, int], CallSpec] = {}
    for cid, parts in day.online.items():
        pol = day.policies[cid]
        for p in parts:
            states = {scenario.teacher_state(t, day.date) for t in p.teachers}
            if not pol.ready:
                forced[p.uid] = "class_not_ready"
            elif pol.binding_device is None:
                forced[p.uid] = "no_device"
            elif TeacherStateKind.SICK in states:
                forced[p.uid] = "teacher_sick"
            elif not p.teachers:
                forced[p.uid] = "no_teacher"
            if p.uid in forced:
                continue
            length = pol.call_minutes.value
            first = parts[0].regular_start
            window = (max(pol.earliest_start.value, first), pol.latest_end.value - length)
            buffer = pol.transition_buffer.value
            forbidden = [(a - buffer - length, b + buffer) for t in p.teachers for a, b in in_school_busy.get(t, [])]
            pub = published_by_key.get((p.key, p.part))
            spec = by_combined.get((p.lesson_id, p.part))
            if spec is not None:  # a combined lesson of several classes: one call
                spec.parts.append(p)
                spec.length = min(spec.length, length)
                spec.window = (max(spec.window[0], window[0]), min(spec.window[1], window[1]))
                continue
            prio = _priority(scenario, p.subject_id, p.norm_key)
            spec = CallSpec(parts=[p], length=length, window=window, forbidden=forbidden, priority=prio,
                            difficulty=_difficulty(day, school, cid, p.norm_key),
                            published_live=(pub.mode == "live") if pub else None,
                            published_start=_minute(pub.start, school.timezone) if pub and pub.mode == "live" and pub.start else None)
            by_combined[(p.lesson_id, p.part)] = spec
            calls.append(spec)

    cells = []
    for cid, parts in day.online.items():
        pol = day.policies[cid]
        for cell in day.cells[cid]:
            members = [p for p in parts if in_cell(p.groups, cell) and p.uid not in forced]
            cells.append((cid, members, pol.screen_cap, pol.min_break.value))

    cover_specs = []
    if scenario.policy.substitutes_allowed:
        for need in day.covers:
            cands = []
            for t in school.teachers:
                if t.id in need.teachers or need.subject_id not in t.subjects:
                    continue
                if scenario.teacher_state(t.id, day.date) != TeacherStateKind.AVAILABLE:
                    continue
                if not t.available(need.weekday, need.period):
                    continue
                if any(a < need.end and need.start < b for a, b in in_school_busy.get(t.id, [])):
                    continue
                cands.append(t.id)
            cover_specs.append(CoverSpec(need, cands))

    # components: calls and covers linked through teachers (regular teachers of calls, candidates of covers)
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        parent[find(a)] = find(b)

    for ci, c in enumerate(calls):
        node = f"c{ci}"
        find(node)
        for p in c.parts:
            union(node, f"class:{p.class_id}")
            for t in p.teachers:
                union(node, f"t:{t}")
    for vi, cv in enumerate(cover_specs):
        node = f"v{vi}"
        find(node)
        for t in cv.candidates:
            union(node, f"t:{t}")
    groups: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for ci in range(len(calls)):
        groups[find(f"c{ci}")][0].append(ci)
    for vi in range(len(cover_specs)):
        groups[find(f"v{vi}")][1].append(vi)

    live: dict[int, int] = {}
    covers: dict[int, str] = {}
    comps = sorted(groups.values(), key=lambda g: -len(g[0]))
    day_started = _time.monotonic()
    for n, (cis, vis) in enumerate(comps):
        if cancel is not None and cancel.is_set():
            raise RebuildCancelled()
        comp_calls = [calls[i] for i in cis]
        uids = {p.uid for c in comp_calls for p in c.parts}
        comp_cells = [(members_in, cap, brk) for cid, members, cap, brk in cells
                      if (members_in := [p for p in members if p.uid in uids])]
        floors = {}
        open_floors = set()
        for c in comp_calls:
            for p in c.parts:
                fk = floor_key(p.class_id, p.groups, p.subject_id)
                if live_so_far[fk] < scenario.policy.subject_floor:
                    open_floors.add(fk)
                # an open floor binds on the subject's last date in the scenario: earlier dates stay free to
                # follow priorities, and the floor is met "where possible"
                if last_day.get(fk) == day.date:
                    floors[fk] = max(0, scenario.policy.subject_floor - live_so_far[fk])
        report = None
        if progress is not None:
            def report(_n=n, **kw):
                progress({"date": day.date.isoformat(), "component": _n + 1, "components": len(comps), **kw})
        res = solve_component(comp_calls, comp_cells, [cover_specs[i] for i in vis],
                              _buffer(day), floors, frozenset(open_floors),
                              # what earlier components left unused passes on to the later ones
                              time_limit=_component_share(time_limit - (_time.monotonic() - day_started),
                                                          len(cis), sum(len(c[0]) for c in comps[n:]),
                                                          len(comps) - n),
                              workers=workers, seed=seed, report=report, cancel=cancel)
        totals.components += 1
        totals.objective += res.objective
        totals.bound += res.bound
        totals.optimal = totals.optimal and res.status == "OPTIMAL"
        totals.statuses.add(res.status)
        if res.status not in ("OPTIMAL", "FEASIBLE"):
            for c in comp_calls:  # no solution in time: all-async is always valid
                for p in c.parts:
                    forced.setdefault(p.uid, "time_limit")
        live.update(res.live)
        covers.update(res.covers)
        if progress is not None:
            progress({"date": day.date.isoformat(), "component": n + 1, "components": len(comps),
                      "status": res.status, "objective": res.objective, "bound": res.bound, "elapsed": res.wall})
    return live, covers, forced


def _component_share(remaining: float, calls: int, calls_left: int, comps_left: int) -> float:
    """A component's share of the day's remaining time: by its number of calls, at least an even split."""
    return max(remaining / max(1, comps_left), remaining * calls / max(1, calls_left))


def _buffer(day: DayInput) -> int:
    return max((p.transition_buffer.value for p in day.policies.values()), default=0)


def _priority(scenario: Scenario, subject_id: str, norm_key: str | None) -> int:
    prio = scenario.policy.subject_priority
    weight = prio.get(subject_id, prio.get(norm_key or "", 1.0))
    return max(0, int(round(weight * 100)))


def _difficulty(day: DayInput, school: School, class_id: str, norm_key: str | None) -> int:
    if norm_key is None:
        return 0
    scale = day.norms.get("difficulty.scale")
    row = scale.row(subject=norm_key, grade=school.class_by_id(class_id).norm_grade) if scale else None
    return int(row.value()) if row else 0


def _minute(dt: datetime, zone: str) -> int:
    local = dt.astimezone(ZoneInfo(zone))
    return local.hour * 60 + local.minute


__all__ = ["PrecheckError", "RebuildCancelled", "rebuild"]
