"""The pages' choosers over the store: labels for schools, scenarios and plans (the records themselves are read and
written by planner.storage.records), and the sample institutions put into an empty database."""

from __future__ import annotations

from pathlib import Path

from planner.importers import load_school
from planner.storage import Store
from planner.storage.records import plan_records, scenario_records
from planner.ui.view import plan_label


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




def scenario_labels(store: Store, school_id: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in scenario_records(store, school_id):
        s = r.payload
        label = f"{s['name']} ({s['start'][8:10]}.{s['start'][5:7]}–{s['end'][8:10]}.{s['end'][5:7]})"
        while label in out:
            label += " ·"
        out[label] = r.id
    return out






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



