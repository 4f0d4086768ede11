"""The CP-SAT model of one date (one independent component of it): which parts become live calls and when,
and who covers in-school lessons of absent teachers.

Calls keep the regular order of each pupil cell, sit on a 5-minute grid inside the class's window, keep the
minimum break, fit the daily screen cap, never overlap for a teacher and keep the transition buffer to the
teacher's lessons in the building. Objective (small integer weights, largest first): subject floors, cover of
absent teachers, weighted live minutes, keeping the published plan, staying near the regular start time.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.rebuild.parts import CoverNeed, Part, in_cell

GRID = 5  # minutes: the distance bell grid
W_FLOOR = 2_000_000  # per part that meets a subject floor still open
W_COVER = 1_000_000  # per in-school lesson covered by a qualified substitute
W_LIVE = 100  # per live minute, times the subject priority (percent)
W_KEEP = 50_000  # per call of the published plan kept live (re-planning)
W_KEEP_TIME = 5_000  # per call kept at its published start
W_DIFFICULTY = 10  # per difficulty point of a live part
W_FLOOR_EARLY = 1_000  # per live part of a subject whose floor is still open (outweighs difficulty, not priority)


@dataclass
class CallSpec:
    """One call: the parts (of one or several classes: a combined lesson) it serves."""

    parts: list[Part]
    length: int
    window: tuple[int, int]  # allowed start range, inclusive
    forbidden: list[tuple[int, int]]  # start ranges excluded by the teachers' in-school lessons (buffer included)
    priority: int  # percent
    difficulty: int
    published_live: bool | None = None
    published_start: int | None = None


@dataclass
class CoverSpec:
    need: CoverNeed
    candidates: list[str]  # qualified, free substitutes


@dataclass
class ComponentResult:
    live: dict[int, int] = field(default_factory=dict)  # part uid -> start minute of its call
    covers: dict[int, str] = field(default_factory=dict)  # cover uid -> substitute id
    status: str = "UNKNOWN"
    objective: float = 0
    bound: float = 0
    wall: float = 0
    solutions: int = 0


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report, cancel, started: float):
        super().__init__()
        self.report, self.cancel, self.started, self.count = report, cancel, started, 0

    def on_solution_callback(self) -> None:
        self.count += 1
        if self.report:
            self.report(solutions=self.count, objective=self.ObjectiveValue(), bound=self.BestObjectiveBound(),
                        elapsed=_time.monotonic() - self.started)
        if self.cancel is not None and self.cancel.is_set():
            self.StopSearch()


def floor_key(class_id: str, groups, subject_id: str) -> tuple[str, tuple[str, ...], str]:
    """Subject floors hold per student set: each language group gets its own calls."""
    return (class_id, tuple(sorted(groups)), subject_id)


def solve_component(calls: list[CallSpec], cells: list[tuple[list[Part], int, int]],
                    covers: list[CoverSpec], buffer: int, floors: dict[tuple, int],
                    open_floors: frozenset[tuple] = frozenset(), *, time_limit: float, workers: int, seed: int, report=None, cancel=None) -> ComponentResult:
    """cells: (parts of one pupil cell in regular order, screen cap, minimum break)."""
    m = cp_model.CpModel()
    live: dict[int, cp_model.IntVar] = {}
    start: dict[int, cp_model.IntVar] = {}
    call_of: dict[int, int] = {}
    for ci, c in enumerate(calls):
        lo, hi = c.window
        allowed = _allowed_grid(lo, hi, c.forbidden)
        if not allowed:
            continue
        v = m.NewBoolVar(f"live[{c.parts[0].key}#{c.parts[0].part}]")
        s = m.NewIntVarFromDomain(cp_model.Domain.FromValues(allowed), f"start[{c.parts[0].key}#{c.parts[0].part}]")
        live[ci], start[ci] = v, s
        for p in c.parts:
            call_of[p.uid] = ci
        hint = c.published_start if c.published_start in allowed else min(allowed, key=lambda x: abs(
            x - c.parts[0].regular_start))
        m.AddHint(s, hint)
        m.AddHint(v, bool(c.published_live) if c.published_live is not None else True)

    # pupil cells: order, breaks, screen cap
    for parts, cap, brk in cells:
        idx = [call_of[p.uid] for p in parts if p.uid in call_of]
        for a_pos, a in enumerate(idx):
            for b in idx[a_pos + 1:]:
                if a == b:
                    continue
                m.Add(start[b] >= start[a] + calls[a].length + brk).OnlyEnforceIf([live[a], live[b]])
        m.Add(sum(live[i] * calls[i].length for i in set(idx)) <= cap)

    # teachers: calls never overlap
    by_teacher: dict[str, list[int]] = {}
    for ci in live:
        for t in {t for p in calls[ci].parts for t in p.teachers}:
            by_teacher.setdefault(t, []).append(ci)
    intervals = {ci: m.NewOptionalIntervalVar(start[ci], calls[ci].length, start[ci] + calls[ci].length, live[ci],
                                              f"call[{ci}]") for ci in live}
    for t, cis in by_teacher.items():
        if len(cis) > 1:
            m.AddNoOverlap([intervals[ci] for ci in cis])

    # cover of absent teachers' in-school lessons
    sub: dict[tuple[int, str], cp_model.IntVar] = {}
    for cv in covers:
        options = []
        for t in cv.candidates:
            b = m.NewBoolVar(f"cover[{cv.need.key}]={t}")
            sub[(cv.need.uid, t)] = b
            options.append(b)
            for ci in by_teacher.get(t, []):  # the substitute's own calls keep the buffer to the cover lesson
                lo = cv.need.start - buffer - calls[ci].length
                hi = cv.need.end + buffer
                m.AddLinearExpressionInDomain(start[ci], cp_model.Domain.FromIntervals(
                    [[-10_000, lo], [hi, 10_000]])).OnlyEnforceIf([live[ci], b])
        if options:
            m.AddAtMostOne(options)
    by_sub: dict[str, list[CoverSpec]] = {}
    for cv in covers:
        for t in cv.candidates:
            by_sub.setdefault(t, []).append(cv)
    for t, cvs in by_sub.items():
        for i, a in enumerate(cvs):
            for b in cvs[i + 1:]:
                if a.need.start < b.need.end and b.need.start < a.need.end:
                    m.AddBoolOr([sub[(a.need.uid, t)].Not(), sub[(b.need.uid, t)].Not()])

    # objective
    terms = []
    for ci, v in live.items():
        c = calls[ci]
        early = W_FLOOR_EARLY if any(floor_key(p.class_id, p.groups, p.subject_id) in open_floors for p in c.parts) \
            else 0
        terms.append(v * (W_LIVE * c.length * c.priority // 100 + W_DIFFICULTY * c.difficulty + early))
        if c.published_live:
            terms.append(v * W_KEEP)
        if c.published_start is not None:
            same = m.NewBoolVar(f"same_start[{ci}]")
            m.Add(start[ci] == c.published_start).OnlyEnforceIf(same)
            terms.append(same * W_KEEP_TIME)
        dev = m.NewIntVar(0, 24 * 60, f"shift[{ci}]")
        m.AddAbsEquality(dev, start[ci] - c.parts[0].regular_start)
        terms.append(-dev)
    for fk, need in floors.items():
        cis = sorted({call_of[p.uid] for c in calls for p in c.parts if p.uid in call_of
                      and floor_key(p.class_id, p.groups, p.subject_id) == fk})
        if need <= 0 or not cis:
            continue
        met = m.NewIntVar(0, need, f"floor[{fk}]")
        m.Add(met <= sum(live[ci] for ci in cis))
        terms.append(met * W_FLOOR)
    terms.extend(b * W_COVER for b in sub.values())
    m.Maximize(sum(terms))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    started = _time.monotonic()
    cb = _Progress(report, cancel, started)
    status = solver.Solve(m, cb)
    result = ComponentResult(status=solver.StatusName(status), wall=_time.monotonic() - started, solutions=cb.count)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.objective, result.bound = solver.ObjectiveValue(), solver.BestObjectiveBound()
        for ci, v in live.items():
            if solver.Value(v):
                for p in calls[ci].parts:
                    result.live[p.uid] = solver.Value(start[ci])
        for (uid, t), b in sub.items():
            if solver.Value(b):
                result.covers[uid] = t
    return result


def _allowed_grid(lo: int, hi: int, forbidden: list[tuple[int, int]]) -> list[int]:
    """Start minutes on the grid within [lo, hi] outside every forbidden open range (a, b)."""
    first = -(-lo // GRID) * GRID
    return [x for x in range(first, hi + 1, GRID) if not any(a < x < b for a, b in forbidden)]


__all__ = ["CallSpec", "ComponentResult", "CoverSpec", "GRID", "in_cell", "solve_component"]
