"""Auditing a plan: the fingerprint refusal, new versus pre-existing breaches, and the command line."""

from __future__ import annotations

import json

import pytest
from audit.test_online_checks import async_part, compliant, live, make_plan, online_school, three_calls
from builders import library

from planner.audit import audit_plan
from planner.cli import main
from planner.errors import InputError

SEVEN = {1: ["math", "russian", "english", "history", "biology", "literature", "music"]}  # grade 5: at most 6


def _seven_lessons_online(extra_call_minutes: int | None = None):
    """Grade 5 with seven lessons on Monday (already over the daily cap of 6): three calls and four tasks."""
    school = online_school(SEVEN)
    school = school.model_copy(update={"classes": [school.classes[0].model_copy(update={"grade": 5, "age_min": 11,
                                                                                         "age_max": 12})]})
    calls = three_calls(school)
    if extra_call_minutes:  # the first call longer, the third one a task: the screen total stays within 90
        calls = [live(school, "L11", "08:30", extra_call_minutes, gym=(14, 29)), calls[1]]
    tasks = [async_part(school, f"L1{p}") for p in range(len(calls) + 1, 8)]
    return school, make_plan(school, [*calls, *tasks])


def test_a_plan_for_another_school_or_an_older_version_is_refused():
    school = online_school()
    plan = make_plan(school, compliant(school))
    changed = school.model_copy(update={"name": "Другая школа"})
    with pytest.raises(InputError, match="another school or an older version") as err:
        audit_plan(changed, plan, library())
    assert "Морозы" in str(err.value)
    assert audit_plan(school, plan, library()).findings == []


def test_a_breach_of_the_regular_timetable_stays_pre_existing_in_the_plan():
    school, plan = _seven_lessons_online()
    report = audit_plan(school, plan, library())
    [f] = report.findings
    assert f.norm_key == "lessons_per_day.max" and f.preexisting and f.severity == "violation"
    assert report.plan and report.exit_code == 0 and report.new_violations == []
    counts = report.to_dict()["counts"]
    assert counts["preexisting_violations"] == 1 and counts["new_violations"] == 0
    assert report.to_dict()["findings"][0]["status"] == "preexisting"


def test_a_new_breach_fails_the_plan_audit_and_the_old_one_is_kept_apart():
    school, plan = _seven_lessons_online(extra_call_minutes=35)
    report = audit_plan(school, plan, library())
    new = report.new_violations
    assert [f.norm_key for f in new] == ["eso.table_6_8"] and report.exit_code == 1
    assert any(f.preexisting and f.norm_key == "lessons_per_day.max" for f in report.findings)
    counts = report.to_dict()["counts"]
    assert counts["new_violations"] == 1 and counts["preexisting_violations"] == 1


def _files(tmp_path, school, plan):
    school_file, plan_file = tmp_path / "school.json", tmp_path / "plan.json"
    school_file.write_text(school.to_json(), encoding="utf-8")
    plan_file.write_text(plan.to_json(), encoding="utf-8")
    return str(school_file), str(plan_file)


def test_cli_audits_a_plan_with_exit_codes_0_and_1(tmp_path, capsys):
    school, plan = _seven_lessons_online()
    source, plan_file = _files(tmp_path, school, plan)
    assert main(["audit", source, "--plan", plan_file, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["plan"] and out["compliant"] and out["counts"]["preexisting_violations"] == 1
    assert main(["audit", source, "--plan", plan_file, "--lang", "ru"]) == 0
    assert "[было и раньше] НАРУШЕНИЕ" in capsys.readouterr().out

    school, plan = _seven_lessons_online(extra_call_minutes=35)
    source, plan_file = _files(tmp_path, school, plan)
    assert main(["audit", source, "--plan", plan_file]) == 1
    text = capsys.readouterr().out
    assert "[new] VIOLATION СанПиН 1.2.3685-21, табл. 6.8" in text and "[pre-existing] VIOLATION" in text
    assert "(1 new violations)" in text


def test_cli_refuses_a_bad_plan_file_and_another_schools_plan_with_exit_code_2(tmp_path, capsys):
    school, plan = _seven_lessons_online()
    source, plan_file = _files(tmp_path, school, plan)
    broken = tmp_path / "broken.json"
    broken.write_text('{"school_id": "tiny"', encoding="utf-8")
    assert main(["audit", source, "--plan", str(broken), "--format", "json"]) == 2
    assert "broken.json" in capsys.readouterr().err
    assert main(["audit", source, "--plan", str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err
    other = online_school().model_copy(update={"name": "Другая школа"})
    other_file = tmp_path / "other.json"
    other_file.write_text(other.to_json(), encoding="utf-8")
    assert main(["audit", str(other_file), "--plan", plan_file, "--format", "json"]) == 2
    assert "another school or an older version" in capsys.readouterr().err


def test_cli_warns_that_the_plans_policy_is_used_for_the_scenario_knobs(tmp_path, capsys):
    school, plan = _seven_lessons_online()
    source, plan_file = _files(tmp_path, school, plan)
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\nname = "Тест"\n[[change]]\nnorm = "breaks.min_minutes"\nvalue = 15\n',
                      encoding="utf-8")
    code = main(["audit", source, "--plan", plan_file, "--policy", str(policy), "--format", "json"])
    captured = capsys.readouterr()
    assert "plan's embedded scenario policy" in captured.err
    report = json.loads(captured.out)
    assert report["policy"] == "Тест"
    # 10-minute breaks between the calls now breach the tightened СП value: a new violation
    assert code == 1 and any(f["norm_key"] == "breaks.min_minutes" and f["status"] == "new"
                             for f in report["findings"])
