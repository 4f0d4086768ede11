"""The committed school JSON schema matches the model, and a school file validates against it."""

import json
from datetime import date
from pathlib import Path

import jsonschema

from builders import make_school
from planner.school.model import SCHEMA_VERSION, School, school_json_schema

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "school.schema.json"


def test_committed_schema_is_current():
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == school_json_schema(), \
        "run: planner schema --out schemas/school.schema.json"


def test_a_school_json_validates_and_round_trips():
    school = make_school({1: ["math", "russian"], 2: ["english"]})
    data = json.loads(school.to_json())
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["schema_version"] == SCHEMA_VERSION
    assert School.from_json(school.to_json()) == school
    assert School.from_json(school.to_json()).fingerprint() == school.fingerprint()


def test_the_schema_rejects_an_unknown_field():
    school = make_school({1: ["math"]})
    data = json.loads(school.to_json())
    data["classes"][0]["favourite_colour"] = "blue"
    try:
        jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    except jsonschema.ValidationError as err:
        assert "favourite_colour" in str(err)
    else:
        raise AssertionError("an unknown field passed the schema")


def test_fingerprint_changes_with_content():
    a = make_school({1: ["math"]})
    b = make_school({1: ["russian"]})
    assert a.fingerprint() != b.fingerprint()
    assert make_school({1: ["math"]}, year=(date(2026, 9, 1), date(2027, 5, 31))).fingerprint() == a.fingerprint()


def test_committed_plan_schema_is_current_and_a_plan_validates():
    from builders import MONDAY, library

    from planner.plan import Plan, plan_json_schema
    from planner.rebuild import rebuild
    from planner.scenario import scenario_from_dict

    path = SCHEMA.with_name("plan.schema.json")
    assert json.loads(path.read_text(encoding="utf-8")) == plan_json_schema(), \
        "run: planner schema plan --out schemas/plan.schema.json"
    school = make_school({1: ["math", "russian", "english", "history"]})
    plan = rebuild(school, scenario_from_dict({"name": "t", "reason": "other", "start": MONDAY, "end": MONDAY,
                                               "online": {"all": True}}), library())
    data = json.loads(plan.to_json())
    jsonschema.validate(data, json.loads(path.read_text(encoding="utf-8")))
    assert Plan.from_json(plan.to_json()) == plan
    assert data["school_fingerprint"] == school.fingerprint() and data["scenario"]["name"] == "t"
    assert {o["mode"] for o in data["occurrences"]} == {"live", "async"}


def test_the_plan_schema_knows_the_light_subjects_async_kinds():
    """Issue 13: PE movement recommendations (nothing to hand in: deadline null) and a creative task are async
    kinds of the plan model and its schema; an unknown kind is refused by both."""
def test_a_plan_with_absent_teachers_cover_and_notices_validates():
    """Issue 14: the cover of an absent teacher's lesson (Occurrence.cover) and the plan's amber notices
    (Plan.notices) are in the committed plan schema; a wrong role type or an unknown notice field is refused."""
    from builders import MONDAY, library

    from planner.plan import Plan
    from planner.rebuild import rebuild
    from planner.scenario import scenario_from_dict

    schema = json.loads(SCHEMA.with_name("plan.schema.json").read_text(encoding="utf-8"))
    school = make_school({1: ["math", "russian", "pe", "music", "english", "history", "pe"]})
    plan = rebuild(school, scenario_from_dict({"name": "t", "reason": "other", "start": MONDAY, "end": MONDAY,
                                               "online": {"all": True}}), library())
    data = json.loads(plan.to_json())
    jsonschema.validate(data, schema)
    works = {o["subject_id"]: o["async_work"] for o in data["occurrences"] if o["mode"] == "async"}
    assert works["pe"]["kind"] == "movement" and works["pe"]["deadline"] is None
    assert Plan.from_json(plan.to_json()) == plan
    bad = json.loads(plan.to_json())
    next(o for o in bad["occurrences"] if o["mode"] == "async")["async_work"]["kind"] = "poster"
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(bad))
    assert errors and any("poster" in e.message for e in errors)
    try:
        Plan.from_json(json.dumps(bad))
    except ValueError as err:
        assert "poster" in str(err) or "kind" in str(err)
    else:
        raise AssertionError("an unknown async kind passed the plan model")
    school = make_school({1: ["math", "russian", "history"]})  # nobody else teaches math: a notice
    plan = rebuild(school, scenario_from_dict({"name": "t", "reason": "other", "start": MONDAY, "end": MONDAY,
                                               "online": {"all": True},
                                               "teachers": [{"teacher": "T-math", "state": "sick"}]}), library())
    schema = json.loads(SCHEMA.with_name("plan.schema.json").read_text(encoding="utf-8"))
    data = json.loads(plan.to_json())
    jsonschema.validate(data, schema)
    assert Plan.from_json(plan.to_json()) == plan
    [math] = [o for o in data["occurrences"] if o["subject_id"] == "math"]
    assert math["cover"]["role"] == "none" and math["cover"]["absent"] == ["T-math"]
    assert [n["code"] for n in data["notices"]] == ["task_without_teacher"]
    bad = json.loads(plan.to_json())
    bad["notices"][0]["colour"] = "red"
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError as err:
        assert "colour" in str(err)
    else:
        raise AssertionError("an unknown notice field passed the schema")
