"""Store helpers the pages share: the saved scenarios and plans of a school, labels for choosing them, new ids,
and the sample institutions put into an empty database."""

from __future__ import annotations

import uuid
from pathlib import Path

from planner.errors import UnknownIdError
from planner.importers import load_school
from planner.plan.model import Plan
from planner.scenario.model import Scenario
from planner.storage import Record, Store
from planner.ui.view import plan_label


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def ensure_samples(store: Store, samples: list[Path]) -> None:
    """On first start (no school stored), put the sample institutions into the database."""
    if store.list("school"):
        return
    for path in samples:
        if path.exists():
            school = load_school(path).school
            if store.get("school", school.id) is None:
                store.save_school(school, None)


def school_labels(store: Store) -> dict[str, str]:
    """Display label -> school id (schools first, then colleges; names made unique)."""
    records = sorted(store.list("school"), key=lambda r: (r.payload.get("kind") == "college", r.payload["name"]))
    out: dict[str, str] = {}
    for r in records:
        label = r.payload["name"]
        if label in out:
            label = f"{label} ({r.id})"
        out[label] = r.id
    return out


def scenario_records(store: Store, school_id: str) -> list[Record]:
    return sorted(store.list("scenario", school_id=school_id), key=lambda r: r.updated_at, reverse=True)


def scenario_labels(store: Store, school_id: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in scenario_records(store, school_id):
        s = r.payload
        label = f"{s['name']} ({s['start'][8:10]}.{s['start'][5:7]}–{s['end'][8:10]}.{s['end'][5:7]})"
        while label in out:
            label += " ·"
        out[label] = r.id
    return out


def save_scenario(store: Store, school_id: str, scenario: Scenario, scenario_id: str | None,
                  expected_version: int | None) -> Record:
    """Create (scenario_id None) or update a scenario record; a stale version raises StaleSaveError."""
    return store.save("scenario", scenario_id or new_id("sc"), scenario.model_dump(mode="json"), expected_version,
                      school_id=school_id, name=scenario.name)


def plan_records(store: Store, school_id: str, scenario_id: str | None = None) -> list[Record]:
    filters = {"school_id": school_id} | ({"scenario_id": scenario_id} if scenario_id else {})
    return sorted(store.list("plan", **filters), key=lambda r: r.created_at, reverse=True)


def plan_labels(store: Store, school_id: str) -> dict[str, str]:
    """Display label -> plan id, newest first: scenario name, the time in the school's zone, the status in a word."""
    school = store.get("school", school_id)
    tz = school.payload.get("timezone") if school else None
    out: dict[str, str] = {}
    for r in plan_records(store, school_id):
        label = plan_label(r.payload["scenario"]["name"], r.payload.get("created_at") or r.created_at,
                           r.columns.get("status"), tz)
        while label in out:
            label += " ·"
        out[label] = r.id
    return out


def load_plan(store: Store, plan_id: str) -> Plan | None:
    r = store.get("plan", plan_id)
    return Plan.model_validate(r.payload) if r else None


def require_plan(store: Store, plan_id: str) -> Plan:
    """The plan, or UnknownIdError naming it (deleted in another tab since the page listed it)."""
    plan = load_plan(store, plan_id)
    if plan is None:
        raise UnknownIdError("plan", "плана", plan_id)
    return plan
