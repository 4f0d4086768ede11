"""Scenarios and plans in the store: the one place that writes and reads them (issue 10). The page's rebuild job,
its scenario form and every page that lists or opens a plan call these; labels for choosing them are the page's
(planner.ui.records)."""

from __future__ import annotations

import uuid

from planner.errors import UnknownIdError
from planner.plan.model import Plan
from planner.scenario.model import Scenario

from .store import Record, Store


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def save_scenario(store: Store, school_id: str, scenario: Scenario, scenario_id: str | None,
                  expected_version: int | None) -> Record:
    """Create (scenario_id None) or update a scenario record; a stale version raises StaleSaveError."""
    return store.save("scenario", scenario_id or new_id("sc"), scenario.model_dump(mode="json"), expected_version,
                      school_id=school_id, name=scenario.name)


def scenario_record(store: Store, scenario_id: str) -> Record | None:
    """One stored scenario (None when it was deleted, e.g. in another tab)."""
    return store.get("scenario", scenario_id)


def scenario_records(store: Store, school_id: str) -> list[Record]:
    """The school's scenarios, the last changed first."""
    return sorted(store.list("scenario", school_id=school_id), key=lambda r: r.updated_at, reverse=True)


def save_plan(store: Store, school_id: str, scenario_id: str | None, plan: Plan) -> Record:
    """Store a new plan of the school (made from the stored scenario `scenario_id`, if any)."""
    return store.save("plan", new_id("plan"), plan.model_dump(mode="json"), None, school_id=school_id,
                      scenario_id=scenario_id, status=plan.solver.status)


def plan_records(store: Store, school_id: str, scenario_id: str | None = None) -> list[Record]:
    """The school's plans (of one scenario, if given), the newest first."""
    filters = {"school_id": school_id} | ({"scenario_id": scenario_id} if scenario_id else {})
    return sorted(store.list("plan", **filters), key=lambda r: r.created_at, reverse=True)


def load_plan(store: Store, plan_id: str) -> Plan | None:
    r = store.get("plan", plan_id)
    return Plan.model_validate(r.payload) if r else None


def require_plan(store: Store, plan_id: str) -> Plan:
    """The plan, or UnknownIdError naming it (deleted in another tab since the page listed it)."""
    plan = load_plan(store, plan_id)
    if plan is None:
        raise UnknownIdError("plan", "плана", plan_id)
    return plan


__all__ = ["load_plan", "new_id", "plan_records", "require_plan", "save_plan", "save_scenario", "scenario_record",
           "scenario_records"]
