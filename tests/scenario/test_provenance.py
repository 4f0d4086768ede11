"""Typed provenance: a resolved policy value says where it came from as a `Source` (kind, key, column, who),
never as text parsed back; stored plans keep the short text form, so plan files written before still load."""

import json
import re
from pathlib import Path

import pytest
from builders import MONDAY, library, make_school

from planner.plan.model import plan_json_schema
from planner.scenario.model import ClassOverride, OnlineSelection, PolicyKnobs, Reason, Scenario
from planner.scenario.policy import class_policy
from planner.scenario.resolved import ClassPolicy, Source, Valued
from planner.ui.labels import source_label

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text, source", [
    ("norm:distance.latest_end", Source.norm("distance.latest_end")),
    ("norm:eso.table_6_8:home_day", Source.norm("eso.table_6_8", "home_day")),
    ("scenario", Source.scenario()),
    ("school", Source.school()),
    ("scenario override by завуч Иванова", Source.override("завуч Иванова")),
])
def test_the_stored_text_form_reads_back_to_the_same_source(text, source):
    assert Valued.model_validate({"value": 5, "source": text}).source == source
    assert str(source) == text
    assert Valued(value=5, source=source).model_dump(mode="json") == {"value": 5, "source": text}


def test_an_unknown_source_text_is_refused():
    with pytest.raises(ValueError, match="unknown value source 'rumour'"):
        Valued.model_validate({"value": 5, "source": "rumour"})


def _scenario(**extra) -> Scenario:
    return Scenario(name="Карантин", reason=Reason.QUARANTINE, start=MONDAY, end=MONDAY,
                    online=OnlineSelection(all=True), **extra)


def test_a_policy_names_its_norms_and_the_scenario_as_typed_sources():
    school = make_school({1: ["math", "russian"]})
    klass = school.class_by_id("C")
    pol = class_policy(_scenario(policy=PolicyKnobs(reserve_minutes=30)), klass, library().in_force(MONDAY))
    assert pol.reserve == Valued(value=30, source=Source.scenario())
    assert pol.latest_end.source == Source.norm("distance.latest_end")
    assert pol.daily_budget.source == Source.norm("eso.table_6_8", "home_day")
    assert pol.ready_source == Source.school()
    assert source_label(pol.daily_budget.source) == "норма eso.table_6_8:home_day"
    assert source_label(pol.reserve.source) == "задано в сценарии"


def test_an_override_is_recorded_with_who_made_it_and_survives_a_round_trip_through_json():
    school = make_school({1: ["math", "russian"]})
    klass = school.class_by_id("C")
    scenario = _scenario(overrides=[ClassOverride.model_validate({"class": "C", "ready": True, "by": "завуч"})])
    pol = class_policy(scenario, klass, library().in_force(MONDAY))
    assert pol.ready_source == Source.override("завуч")
    assert source_label(pol.ready_source) == "поправка сценария: завуч"
    stored = json.loads(pol.model_dump_json())
    assert stored["ready_source"] == "scenario override by завуч"  # the text form plans have always stored
    assert stored["daily_budget"]["source"] == "norm:eso.table_6_8:home_day"
    assert ClassPolicy.model_validate(stored) == pol


def test_the_plan_schema_keeps_sources_as_strings():
    defs = plan_json_schema()["$defs"]
    assert defs["Valued"]["properties"]["source"]["type"] == "string"
    assert defs["ClassPolicy"]["properties"]["ready_source"]["type"] == "string"


def test_no_module_builds_or_parses_norm_provenance_text_but_the_owner():
    owner = ROOT / "planner" / "scenario" / "resolved.py"
    pattern = re.compile(r"""["']norm:|startswith\(["'](norm|scenario override)|removeprefix\(["']norm""")
    offenders = [str(p.relative_to(ROOT)) for base in ("planner", "app_pages") for p in (ROOT / base).rglob("*.py")
                 if p != owner and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
