"""Optional teacher limits (issue 14): live minutes per day and calls in a row, planner defaults of confidence M
that stay off (0) until the school's policy sets them — each a solver rule on a toy, the rebuild honouring it,
and the independent auditor finding a plan that breaks it."""

from __future__ import annotations

from builders import MONDAY, library, make_school
from ortools.sat.python import cp_model

from planner.audit import audit_plan
from planner.norms.policy import parse_policy
from planner.plan.model import Mode
from planner.rebuild import rebuild
from planner.rebuild.rules import add_online_cover, add_teacher_calls_in_a_row, add_teacher_live_minutes
from planner.scenario import scenario_from_dict
from planner.school.model import DeviceCounts, Lesson, Readiness, StudentClass
from rebuild.test_rules import NINE, call, model_of, part


def _feasible(v) -> bool:
    return cp_model.CpSolver().solve(v.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _three(starts, limit_build):
    """T1's three 30-minute calls in three classes, all live at the given starts."""
    v = model_of([call(part(i, class_id=f"7{i}")) for i in range(3)])
    limit_build(v)
    for i, s in enumerate(starts):
        v.model.add(v.live[i] == 1)
        v.model.add(v.start[i] == s)
    return v


def test_live_minutes_per_day_rule():
    assert _feasible(_three([NINE, NINE + 40, NINE + 80], lambda v: add_teacher_live_minutes(v, 90)))
    assert not _feasible(_three([NINE, NINE + 40, NINE + 80], lambda v: add_teacher_live_minutes(v, 85)))
    assert _feasible(_three([NINE, NINE + 40, NINE + 80], lambda v: add_teacher_live_minutes(v, 0)))  # off


def test_live_minutes_count_a_covered_call():
    covered = call(part(5, class_id="8А", teachers=("T9",)), absent=("T9",), cover_candidates=["T1"])

    def build(limit: int):
        v = model_of([call(part(0)), covered])
        add_online_cover(v, [], buffer=10)
        add_teacher_live_minutes(v, limit)
        v.model.add(v.live[0] == 1)
        v.model.add(v.live[1] == 1)
        return v
    assert _feasible(build(60))
    assert not _feasible(build(59))


def test_calls_in_a_row_rule():
    def limit(v):
        add_teacher_calls_in_a_row(v, 2, rest=15)
    assert not _feasible(_three([NINE, NINE + 30, NINE + 60], limit))  # three in a row
    assert not _feasible(_three([NINE, NINE + 35, NINE + 70], limit))  # 5-minute gaps: still in a row
    assert _feasible(_three([NINE, NINE + 30, NINE + 75], limit))  # a 15-minute rest before the third
    assert _feasible(_three([NINE, NINE + 30, NINE + 60], lambda v: add_teacher_calls_in_a_row(v, 0, 15)))  # off


def _school():
    """T-math teaches four classes' math on periods 1–4 of Monday (08:30, 09:25, 10:30, 11:25)."""
    extra = [Lesson(id=f"M{c}", version="v", classes=[c], subject="math", day=1, period=p, teachers=["T-math"])
             for c, p in (("D", 2), ("E", 3), ("F", 4))]
    ready = Readiness(chats_exist=True, members_joined=True, devices_confirmed=True, test_call_done=True)
    classes = [StudentClass(id=c, name=f"7{c}", grade=7, age_min=13, age_max=14, students=20, bell_schedule="main",
                            devices=DeviceCounts(pc=20), readiness=ready) for c in ("D", "E", "F")]
    return make_school({1: ["math"]}, extra_lessons=extra, extra_classes=classes)


def _policy(text: str):
    return library().with_policy(parse_policy(text, "policy.toml", "тест"))


def _plan(school, lib):
    return rebuild(school, scenario_from_dict({"name": "t", "reason": "other", "start": MONDAY, "end": MONDAY,
                                               "online": {"all": True}}), lib, time_limit=5)


def _math_calls(plan):
    return [o for o in plan.occurrences if o.mode == Mode.LIVE and "T-math" in o.teachers]


def test_the_limits_are_off_by_default_and_the_rebuild_honours_them_when_the_policy_sets_them():
    school = _school()
    free = _plan(school, library())
    assert len(_math_calls(free)) == 4  # off: nothing holds the fourth call back
    capped = _plan(school, _policy('[[change]]\nnorm = "teacher.live_minutes_per_day_max"\nvalue = 90\n'))
    calls = _math_calls(capped)
    assert sum(o.screen_minutes for o in calls) <= 90 and len(calls) == 3
    lib = _policy('[[change]]\nnorm = "teacher.live_minutes_per_day_max"\nvalue = 90\n')
    assert not [f for f in audit_plan(school, capped, lib).findings
                if f.norm_key.startswith("teacher.") and not f.preexisting]


def test_the_auditor_finds_a_plan_over_the_schools_teacher_limits():
    school = _school()
    plan = _plan(school, library())  # made without limits: four 30-minute calls of T-math
    assert not [f for f in audit_plan(school, plan, library()).findings if f.norm_key.startswith("teacher.")]
    minutes = audit_plan(school, plan, _policy('[[change]]\nnorm = "teacher.live_minutes_per_day_max"\nvalue = 90\n'))
    [f] = [f for f in minutes.findings if f.norm_key == "teacher.live_minutes_per_day_max"]
    assert f.severity == "warning" and f.teacher_id == "T-math" and "120 мин" in f.message_ru
    calls = sorted(_math_calls(plan), key=lambda o: o.start)
    gaps = [(b.start - a.end).total_seconds() / 60 for a, b in zip(calls, calls[1:])]
    rest = int(max(gaps)) + 1  # every gap shorter than the rest: all four calls in a row
    row = audit_plan(school, plan, _policy(f'[[change]]\nnorm = "teacher.calls_in_a_row_max"\nvalue = 3\n'
                                           f'[[change]]\nnorm = "teacher.calls_in_a_row_max"\nfield = "rest_minutes"\n'
                                           f'value = {rest}\n'))
    [f] = [f for f in row.findings if f.norm_key == "teacher.calls_in_a_row_max"]
    assert "4 онлайн-урока подряд" in f.message_ru and f.teacher_id == "T-math"
