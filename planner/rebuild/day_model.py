"""The CP-SAT model of one date (one independent component of it): which parts become live calls and when,
and who covers in-school lessons of absent teachers.

`solve_component` is the table of contents: the call variables, the hard rules one builder each, then the
objective assembled at the end from its named terms (largest weight first). The builders live in rules.py.
"""

from __future__ import annotations

import threading
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.rebuild.parts import in_cell
from planner.rebuild.rules import (
    GRID, CallModel, CallSpec, Cell, CoverSpec, add_cell_order_and_breaks, add_chat_no_overlap, add_cover,
    TeacherLimits, add_class_hour_with_the_day, add_online_cover, add_priority_inversions, add_screen_cap,
    add_teacher_calls_in_a_row, add_teacher_live_minutes,
    add_teacher_no_overlap, class_hour_terms, cover_terms, floor_key, keep_published_terms, live_value_terms,
    new_call_model, online_cover_terms, priority_inversion_terms, regular_time_terms, subject_floor_terms,
)

Report = Callable[..., None]  # progress of one component: report(solutions=, objective=, bound=, elapsed=)

RELATIVE_GAP = 1e-5


@dataclass
class ComponentResult:
    live: dict[int, int] = field(default_factory=dict)  # part uid -> start minute of its call
    covers: dict[int, str] = field(default_factory=dict)  # cover uid -> substitute id
    online_covers: dict[int, str] = field(default_factory=dict)  # part uid -> colleague who takes the call
    status: str = "UNKNOWN"
    objective: float = 0
    bound: float = 0
    wall: float = 0
    solutions: int = 0


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Report | None, cancel: threading.Event | None, started: float) -> None:
        super().__init__()
        self.report, self.cancel, self.started, self.count = report, cancel, started, 0

    def on_solution_callback(self) -> None:
        self.count += 1
        if self.report:
            self.report(solutions=self.count, objective=self.objective_value, bound=self.best_objective_bound,
                        elapsed=_time.monotonic() - self.started)
        if self.cancel is not None and self.cancel.is_set():
            self.stop_search()


def solve_component(calls: list[CallSpec], cells: list[Cell], covers: list[CoverSpec], buffer: int,
                    floors: dict[tuple, int], open_floors: frozenset[tuple] = frozenset(), *, time_limit: float,
                    workers: int, seed: int, report: Report | None = None, cancel: threading.Event | None = None,
                    teacher_limits: TeacherLimits | None = None) -> ComponentResult:
    """Decide one component: hard rules, then the objective."""
    v = new_call_model(cp_model.CpModel(), calls)  # day window and buffer to in-school lessons: allowed starts
    add_cell_order_and_breaks(v, cells)
    add_screen_cap(v, cells)
    add_teacher_no_overlap(v)
    add_chat_no_overlap(v, cells)
    add_cover(v, covers, buffer)
    add_online_cover(v, covers, buffer)  # after add_cover: a colleague's in-school cover keeps its buffer too
    limits = teacher_limits or TeacherLimits()  # optional, off unless the school's policy sets them
    add_teacher_live_minutes(v, limits.live_minutes_per_day)
    add_teacher_calls_in_a_row(v, limits.calls_in_a_row, limits.rest_minutes)
    add_priority_inversions(v, cells)  # the objective's view of hard and light lessons
    add_class_hour_with_the_day(v, cells)  # a class hour goes live with its class's day
    v.model.maximize(sum([
        *subject_floor_terms(v, floors),
        *cover_terms(v),
        *online_cover_terms(v),
        *keep_published_terms(v),
        *live_value_terms(v, open_floors),
        *priority_inversion_terms(v),
        *class_hour_terms(v),
        *regular_time_terms(v),
    ]))
    return _solve(v, time_limit=time_limit, workers=workers, seed=seed, report=report, cancel=cancel)


def _solve(v: CallModel, *, time_limit: float, workers: int, seed: int, report: Report | None,
           cancel: threading.Event | None) -> ComponentResult:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    # the chat and inversion rules need the stronger linear relaxation to close the bound; a relative gap
    # below 1e-5 (a few minutes of shift over a day's objective) counts as optimal
    solver.parameters.linearization_level = 2
    solver.parameters.relative_gap_limit = RELATIVE_GAP
    started = _time.monotonic()
    cb = _Progress(report, cancel, started)
    status = solver.solve(v.model, cb)
    result = ComponentResult(status=solver.status_name(status), wall=_time.monotonic() - started,
                             solutions=cb.count)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.objective, result.bound = solver.objective_value, solver.best_objective_bound
        for ci, live in v.live.items():
            if solver.value(live):
                for p in v.calls[ci].parts:
                    result.live[p.uid] = solver.value(v.start[ci])
        for (uid, t), b in v.substitute.items():
            if solver.value(b):
                result.covers[uid] = t
        for (ci, t), b in v.online_cover.items():
            if solver.value(b):
                for p in v.calls[ci].parts:
                    result.online_covers[p.uid] = t
    return result


__all__ = ["CallSpec", "Cell", "ComponentResult", "CoverSpec", "GRID", "floor_key", "in_cell", "solve_component"]
