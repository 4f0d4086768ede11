"""Valid by construction (issue 13, item 5): every plan the rebuild writes for every sample scenario validates
against the committed schemas/plan.schema.json, and reads back equal."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest

from planner.plan import Plan

from .test_sample_scenarios import SCENARIOS, plan_for

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "plan.schema.json"


@lru_cache(maxsize=1)
def plan_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def schema_errors(plan: Plan) -> list[str]:
    """Every schema error of the plan as written to disk (to_json), as 'path: message'."""
    data = json.loads(plan.to_json())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in plan_validator().iter_errors(data)]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_sample_plan_validates_against_the_plan_schema(path):
    plan = plan_for(path)
    assert schema_errors(plan) == []
    assert Plan.from_json(plan.to_json()) == plan


def test_teacher_states_and_overrides_are_written_under_the_schema_names():
    """The two fields that broke the schema on 7 of 17 sample plans: teacher states ('from'/'to') and an
    override's class ('class')."""
    plans = [plan_for(p) for p in SCENARIOS]
    states = [s for pl in plans for s in json.loads(pl.to_json())["scenario"]["teachers"]]
    overrides = [o for pl in plans for o in json.loads(pl.to_json())["scenario"]["overrides"]]
    assert states and overrides, "the samples must exercise both fields"
    assert all("from" in s and "to" in s and "start" not in s and "end" not in s for s in states)
    assert all("class" in o and "class_id" not in o for o in overrides)
