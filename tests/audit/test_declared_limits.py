"""The auditor derives the law itself: a plan whose recorded policy is looser than the norms fails the audit,
whatever its calls do; a loosening the school's policy file allows with allow_loosen passes, and is shown.

The toy: the tiny school of builders.py, grade 7 on PCs (табл. 6.8: a 30-minute lesson, 120 minutes a day at
home), five lessons on Monday 30.11.2026, all online; the plans come from the rebuild itself."""

from __future__ import annotations

from builders import MONDAY, library, make_school

from planner.audit import audit_plan
from planner.norms import NormLibrary
from planner.plan import Mode
from planner.rebuild import rebuild
from planner.scenario import Valued, scenario_from_dict

FIVE = ["algebra", "russian", "english", "history", "biology"]
DAY = MONDAY.isoformat()


def _plan(lib: NormLibrary | None = None):
    school = make_school({1: FIVE}, grade=7)
    scenario = scenario_from_dict({"name": "Морозы", "reason": "weather", "start": MONDAY, "end": MONDAY,
                                   "online": {"classes": ["C"]}})
    return school, rebuild(school, scenario, lib or library(), explain=False)


def _tampered(plan, **values):
    pol = plan.policies[DAY]["C"]
    changed = pol.model_copy(update={k: Valued(value=v, source="scenario") for k, v in values.items()})
    return plan.model_copy(update={"policies": {DAY: {"C": changed}}})


def _declared(report):
    return [f for f in report.findings if "plan records" in f.message_en]


def test_the_rebuilds_own_plan_declares_nothing_looser_than_the_law():
    school, plan = _plan()
    report = audit_plan(school, plan, library())
    assert report.exit_code == 0 and _declared(report) == []
    stricter = _tampered(plan, call_minutes=25, min_break=20)  # stricter than the law: allowed
    assert _declared(audit_plan(school, stricter, library())) == []


def test_a_plan_recording_a_looser_call_length_fails_the_audit():
    school, plan = _plan()
    assert max(o.screen_minutes for o in plan.occurrences if o.mode == Mode.LIVE) == 30  # the calls are lawful
    report = audit_plan(school, _tampered(plan, call_minutes=45), library())
    [f] = _declared(report)
    assert f.norm_key == "eso.table_6_8" and f.severity == "violation" and not f.preexisting
    assert "call length of 45 min, the norm allows at most 30 min (pc)" in f.message_en
    assert "длительность онлайн-урока 45 мин" in f.message_ru and f.clause == "табл. 6.8"
    assert report.exit_code == 1


def test_a_plan_recording_a_looser_screen_budget_fails_the_audit():
    school, plan = _plan()
    report = audit_plan(school, _tampered(plan, daily_budget=300), library())
    [f] = _declared(report)
    assert f.norm_key == "eso.table_6_8" and "daily screen budget of 300 min" in f.message_en
    assert "at most 120 min" in f.message_en and report.exit_code == 1


def test_a_looser_break_window_or_gymnastics_interval_is_reported_against_its_norm():
    school, plan = _plan()
    report = audit_plan(school, _tampered(plan, min_break=5, earliest_start=7 * 60, gymnastics_interval=40),
                        library())
    assert {f.norm_key for f in _declared(report)} == {"breaks.min_minutes", "day.earliest_start",
                                                       "eso.continuous_minutes"}


def _loosening_library(tmp_path) -> NormLibrary:
    path = tmp_path / "policy.toml"
    path.write_text('[policy]\nname = "Школа 17"\n[[change]]\nnorm = "eso.table_6_8"\n'
                    'where = { device = "pc", grades = "5-9" }\nfield = "home_day"\nvalue = 150\n'
                    'reason = "решение педсовета"\nallow_loosen = true\n', encoding="utf-8")
    return NormLibrary.load(policy_path=path)


def test_a_loosening_the_schools_policy_allows_passes_and_is_shown(tmp_path):
    lib = _loosening_library(tmp_path)
    school, plan = _plan(lib)
    assert plan.policies[DAY]["C"].daily_budget.value == 150
    assert sum(o.mode == Mode.LIVE for o in plan.occurrences) == 4  # 150 − 30 reserve: four calls of 30
    report = audit_plan(school, plan, lib)
    assert report.exit_code == 0 and _declared(report) == []
    assert any("LOOSENED" in n and "eso.table_6_8" in n for n in report.notices_en)
    # a finding against the loosened row carries the loosening
    [f] = _declared(audit_plan(school, _tampered(plan, daily_budget=200), lib))
    assert f.loosened and "120 → 150" in f.policy_note and "ОСЛАБЛЕНО" in f.text("ru")
    # without the school's policy the same plan records more than the law allows
    plain = audit_plan(school, plan, library())
    assert plain.exit_code == 1 and [f.norm_key for f in _declared(plain)] == ["eso.table_6_8"]


def test_the_auditors_reading_of_the_knobs_agrees_with_the_rebuilds_on_the_same_scenario():
    """Two implementations on purpose (planner/audit/limits.py, planner/scenario/policy.py): they must agree."""
    from planner.audit.limits import audit_policy
    from planner.scenario.policy import class_policy

    school = make_school({1: FIVE}, grade=7)
    klass = school.class_by_id("C")
    norms = library().in_force(MONDAY)
    for knobs in ({}, {"reserve_minutes": 50, "min_break_minutes": 15, "latest_end": "16:00",
                       "eye_gymnastics_interval_minutes": 10, "transition_buffer_minutes": 5,
                       "async_work_minutes": 25, "async_screen_minutes": {"recording": 20}}):
        scenario = scenario_from_dict({"name": "t", "reason": "weather", "start": MONDAY, "end": MONDAY,
                                       "online": {"classes": ["C"]}, "policy": knobs})
        ours, theirs = audit_policy(scenario, klass, norms), class_policy(scenario, klass, norms)
        for name in ("reserve", "min_break", "latest_end", "gymnastics_interval", "transition_buffer",
                     "async_work_minutes", "async_screen", "devices", "ready"):
            assert getattr(ours, name) == getattr(theirs, name), (knobs, name)
