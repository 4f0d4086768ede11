"""A rebuild running in a background thread: the thread calls planner.rebuild.rebuild with a progress
callback and a cancel event, keeps a snapshot under a lock, and saves the plan into the Store itself (so it is
kept when the page is closed). The page only reads snapshot(); nothing here touches Streamlit."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from planner.errors import PlannerError
from planner.norms import NormLibrary
from planner.plan.model import Plan
from planner.scenario.model import Scenario
from planner.school.model import School
from planner.storage.records import save_plan

if TYPE_CHECKING:
    from planner.storage import Store


@dataclass
class Snapshot:
    state: str = "running"  # running | done | cancelled | failed
    solutions: int = 0
    objective: float | None = None
    bound: float | None = None
    elapsed: float = 0.0
    date: str = ""
    component: str = ""
    plan_id: str | None = None
    status: str = ""
    error_ru: str = ""
    events: int = 0


@dataclass
class RebuildJob:
    id: str
    school_id: str
    scenario_id: str
    time_limit: float
    cancel: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _snap: Snapshot = field(default_factory=Snapshot)
    _started: float = field(default_factory=time.monotonic)
    thread: threading.Thread | None = None

    def snapshot(self) -> Snapshot:
        with self._lock:
            snap = Snapshot(**self._snap.__dict__)
        if snap.state == "running":
            snap.elapsed = time.monotonic() - self._started
        return snap

    def _progress(self, event: dict[str, Any]) -> None:
        with self._lock:
            s = self._snap
            s.events += 1
            s.date = event.get("date", s.date)
            if "component" in event:
                s.component = f"{event['component']}/{event.get('components', '?')}"
            if "solutions" in event:
                s.solutions += 1
            if "objective" in event:
                s.objective = event["objective"]
            if "bound" in event:
                s.bound = event["bound"]

    def _finish(self, **changes: Any) -> None:
        with self._lock:
            for k, v in changes.items():
                setattr(self._snap, k, v)
            self._snap.elapsed = time.monotonic() - self._started

    @property
    def done(self) -> bool:
        return self.snapshot().state != "running"


def start_rebuild(store: Store, school: School, scenario: Scenario, scenario_id: str, library: NormLibrary, *,
                  time_limit: float = 10.0, published: Plan | None = None,
                  accept_partial: bool = False) -> RebuildJob:
    """Start the rebuild in a daemon thread; the plan is saved as kind 'plan' when it is found."""
    from planner.rebuild import RebuildCancelled, rebuild

    job = RebuildJob(id=uuid.uuid4().hex[:12], school_id=school.id, scenario_id=scenario_id, time_limit=time_limit)

    def run() -> None:
        try:
            plan = rebuild(school, scenario, library, published=published, time_limit=time_limit,
                           progress=job._progress, cancel=job.cancel, accept_partial=accept_partial)
            plan_id = save_plan(store, school.id, scenario_id, plan).id
            job._finish(state="done", plan_id=plan_id, status=plan.solver.status,
                        objective=plan.solver.objective, bound=plan.solver.bound)
        except RebuildCancelled:
            job._finish(state="cancelled")
        except PlannerError as err:  # pre-checks, bad input, stale saves: one protocol
            job._finish(state="failed", error_ru=err.text("ru"))
        except Exception as err:  # noqa: BLE001 - shown on the page, not swallowed
            job._finish(state="failed", error_ru=f"внутренняя ошибка: {type(err).__name__}: {err}")

    job.thread = threading.Thread(target=run, name=f"rebuild-{job.id}", daemon=True)
    job.thread.start()
    return job
