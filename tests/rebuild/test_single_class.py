"""Single-class cases where the best plan is known analytically."""

from datetime import date, timedelta

import pytest
from builders import MONDAY, library, make_school

from planner.norms import NormLibrary
from planner.plan import Mode
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict
from planner.school.model import DeviceCounts

FIVE = ["algebra", "russian", "english", "history", "biology"]


def _scenario(**extra):
    base = {"name": "t", "reason": "weather", "start": MONDAY, "end": MONDAY, "online": {"classes": ["C"]}}
    base.update(extra)
    return scenario_from_dict(base)


def _live(plan):
    return sorted((o for o in plan.occurrences if o.mode == Mode.LIVE), key=lambda o: o.start)


def test_grade_7_pc_budget_90_gives_exactly_three_30_minute_calls():
    school = make_school({1: FIVE}, grade=7)
    plan = rebuild(school, _scenario(), library())
    live = _live(plan)
    assert [o.screen_minutes for o in live] == [30, 30, 30]  # 120 home minutes − 30 reserve = 90
    assert all((o.end - o.start).seconds == 30 * 60 for o in live)
    assert sum(o.mode == Mode.ASYNC for o in plan.occurrences) == 2
    for a, b in zip(live, live[1:]):
        assert (b.start - a.end).seconds >= 10 * 60  # СП minimum break
    assert all([g.offset_minutes for g in o.gymnastics if g.kind == "eyes"] == [15] for o in live)  # 15-min limit
    assert all([g.offset_minutes for g in o.gymnastics if g.kind == "physical"] == [16] for o in live)  # 004 §3.5
    assert plan.solver.status == "OPTIMAL"


def test_a_bigger_reserve_and_a_tablet_change_the_maximum():
    school = make_school({1: FIVE}, grade=7, devices=DeviceCounts(pc=20, tablet=5))
    plan = rebuild(school, _scenario(policy={"reserve_minutes": 50}), library())
    live = _live(plan)
    # tablet binds: 20-minute calls (табл. 6.8); 120 − 50 = 70 → three calls of 20
    assert [o.screen_minutes for o in live] == [20, 20, 20]


def test_hard_subjects_and_priorities_win_the_calls():
    school = make_school({1: ["music", "algebra", "art", "russian", "pe"]}, grade=7)
    plan = rebuild(school, _scenario(), library())
    live = {o.subject_id for o in _live(plan)}
    assert {"algebra", "russian"} <= live and "art" not in live  # difficulty breaks the tie among equals
    prio = rebuild(school, _scenario(policy={"subject_priority": {"art": 3.0}}), library())
    assert "art" in {o.subject_id for o in _live(prio)}


def test_a_class_that_is_not_ready_gets_no_calls_unless_overridden():
    school = make_school({1: FIVE}, grade=7, ready=False)
    plan = rebuild(school, _scenario(), library())
    assert not _live(plan) and all(o.reasons[0].code == "class_not_ready" for o in plan.occurrences)
    override = _scenario(overrides=[{"class": "C", "ready": True, "by": "завуч"}])
    assert len(_live(rebuild(school, override, library()))) == 3


def test_phones_only_pupils_are_counted_but_do_not_cancel_calls():
    school = make_school({1: FIVE}, grade=7, devices=DeviceCounts(pc=15, phone=8, none=2))
    plan = rebuild(school, _scenario(), library())
    assert len(_live(plan)) == 3
    [summary] = plan.summary
    assert summary.pupils_without_device == 10


def test_no_class_online_returns_the_regular_timetable_unchanged():
    school = make_school({1: FIVE, 2: FIVE[:4]}, grade=7)
    plan = rebuild(school, _scenario(online={"classes": []}, end=MONDAY + timedelta(days=1)), library())
    assert plan.solver.status == "NO_ONLINE" and plan.perturbation_total == 0
    assert all(o.mode == Mode.IN_SCHOOL for o in plan.occurrences) and len(plan.occurrences) == 9
    for o in plan.occurrences:
        assert o.start == o.regular_start and o.teachers == o.regular_teachers


def test_a_sick_teacher_gets_nothing_and_the_lesson_says_why():
    school = make_school({1: FIVE}, grade=7)
    sc = _scenario(teachers=[{"teacher": "T-algebra", "state": "sick"}])
    plan = rebuild(school, sc, library())
    alg = [o for o in plan.occurrences if o.subject_id == "algebra"]
    assert alg and all(o.mode == Mode.ASYNC and o.teachers == [] and o.reasons[0].code == "teacher_sick"
                       for o in alg)
    assert len(_live(plan)) == 3  # the other four lessons compete for the three calls


def test_college_pairs_become_separate_parts_with_breaks():
    pairs = [("08:30", "10:00"), ("10:10", "11:40"), ("12:20", "13:50")]
    school = make_school({1: ["math", "physics", "english"]}, grade=None, course=2, bells=pairs)
    plan = rebuild(school, _scenario(), library())
    parts = [o for o in plan.occurrences if o.lesson_id == "L11"]
    assert [o.part for o in parts] == [1, 2] and all(o.parts == 2 for o in parts)
    live = _live(plan)
    assert live and all(o.screen_minutes <= 30 for o in live)
    for a, b in zip(live, live[1:]):
        assert (b.start - a.end).seconds >= 10 * 60


def test_bad_scenario_references_stop_with_a_clear_message():
    from planner.errors import InputError

    school = make_school({1: FIVE}, grade=7)
    with pytest.raises(InputError, match="unknown teacher 'T-nobody'"):
        rebuild(school, _scenario(teachers=[{"teacher": "T-nobody", "state": "sick"}]), library())


def test_dates_without_norms_fail_the_prechecks():
    from planner.rebuild import PrecheckError

    school = make_school({1: FIVE}, grade=7)
    with pytest.raises(PrecheckError) as err:
        rebuild(school, _scenario(start=date(2027, 4, 5), end=date(2027, 4, 5)), NormLibrary.load(strict=True))
    assert "strict norms" in str(err.value) and "СанПиН 1.2.3685-21" in str(err.value)
