"""Plan checks: each new check with one passing and one failing toy plan, built by hand as a pydantic Plan.

The toy: the tiny school of builders.py, one grade-7 class 'C' with five lessons on Monday 30.11.2026, every pupil
on a PC, the scenario putting 'C' online that day. Times are local (Asia/Yekaterinburg).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from builders import MONDAY, STANDARD_BELLS, library, make_school

from planner.audit import audit_class_days, audit_plan, plan_class_days
from planner.audit.checks.day import check_big_break, check_min_break
from planner.audit.checks.online import (
    check_call_breaks, check_call_length, check_daily_screen_budget, check_eye_gymnastics, check_homework_time,
    check_not_ready_class_live, check_online_latest_end, check_remote_teacher_not_in_school, check_screen_reserve,
    check_sick_teacher_idle, check_transition_buffer,
)
from planner.audit.checks.teachers import check_teacher_overlap
from planner.audit.findings import merge
from planner.plan import AsyncWork, Gymnastics, Mode, Occurrence, Plan, SolverInfo
from planner.scenario import OnlineSelection, PolicyKnobs, Scenario, TeacherState
from planner.school.model import DeviceCounts, Lesson, Readiness, School, StudentClass, SubGroup

TZ = ZoneInfo("Asia/Yekaterinburg")
FIVE = {1: ["math", "russian", "english", "history", "pe"]}  # lessons L11 … L15 (periods 1–5)
READY = Readiness(chats_exist=True, members_joined=True, devices_confirmed=True, test_call_done=True)


def at(hhmm: str, day=MONDAY) -> datetime:
    hh, mm = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(hh), int(mm), tzinfo=TZ)


def plus(hhmm: str, minutes: int) -> str:
    total = int(hhmm[:2]) * 60 + int(hhmm[3:]) + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def online_school(week=FIVE, devices: DeviceCounts | None = None, ready: bool = True, groups=(),
                  extra_classes=(), extra_lessons=()) -> School:
    """The tiny school with class 'C' surveyed (all on PCs by default) and ready for calls."""
    school = make_school(week, extra_classes=list(extra_classes), extra_lessons=list(extra_lessons))
    klass = school.class_by_id("C").model_copy(update={"devices": devices or DeviceCounts(pc=25),
                                                       "readiness": READY if ready else Readiness(),
                                                       "groups": list(groups)})
    return school.model_copy(update={"classes": [klass, *school.classes[1:]]})


def _lesson(school: School, lesson_id: str) -> Lesson:
    return next(le for le in school.lessons if le.id == lesson_id)


def _occurrence(school: School, lesson_id: str, mode: Mode, class_id: str = "C", teachers=None, **more) -> Occurrence:
    le = _lesson(school, lesson_id)
    start, end = STANDARD_BELLS[le.period - 1]
    return Occurrence(key=f"{MONDAY.isoformat()}|{class_id}|{lesson_id}", date=MONDAY, class_id=class_id,
                      groups=le.groups, lesson_id=lesson_id, subject_id=le.subject, mode=mode,
                      regular_start=at(start), regular_end=at(end), regular_teachers=le.teachers,
                      teachers=le.teachers if teachers is None else teachers, **more)


def live(school: School, lesson_id: str, start: str, minutes: int = 30, gym=(14,), **more) -> Occurrence:
    """A live part from start; one-minute eye gymnastics at each offset in gym."""
    gymnastics = [Gymnastics(offset_minutes=o, minutes=1) for o in gym]
    return _occurrence(school, lesson_id, Mode.LIVE, start=at(start), end=at(plus(start, minutes)),
                       gymnastics=gymnastics, screen_minutes=minutes - len(gymnastics), **more)


def async_part(school: School, lesson_id: str, kind: str = "paper", work: int = 20, screen: int = 0) -> Occurrence:
    window = AsyncWork(kind=kind, window_start=at("08:00"), window_end=at("18:00"), deadline=MONDAY,
                       work_minutes=work)
    return _occurrence(school, lesson_id, Mode.ASYNC, async_work=window, screen_minutes=screen)


def in_school(school: School, lesson_id: str, class_id: str, start: str | None = None, **more) -> Occurrence:
    le = _lesson(school, lesson_id)
    a, b = STANDARD_BELLS[le.period - 1]
    begin = start or a
    end = plus(begin, 45) if start else b
    return _occurrence(school, lesson_id, Mode.IN_SCHOOL, class_id=class_id, start=at(begin), end=at(end), **more)


def make_plan(school: School, occurrences: list[Occurrence], online=("C",), teachers=(), **knobs) -> Plan:
    scenario = Scenario(name="Морозы", reason="weather", start=MONDAY, end=MONDAY,
                        online=OnlineSelection(classes=list(online)),
                        teachers=[TeacherState(teacher=t, state=s) for t, s in teachers], policy=PolicyKnobs(**knobs))
    return Plan(school_id=school.id, school_fingerprint=school.fingerprint(), timezone=school.timezone,
                scenario=scenario, norm_sets=[], solver=SolverInfo(status="OPTIMAL"), created_at=at("07:00"),
                occurrences=occurrences)


def days(school: School, plan: Plan):
    return plan_class_days(school, plan, library())


def daily(check, school: School, plan: Plan):
    return [f for cd in days(school, plan) for f in check(cd)]


def by_date(check, school: School, plan: Plan):
    return check(days(school, plan))


def three_calls(school: School, gap: int = 10, first: str = "09:00", minutes: int = 30) -> list[Occurrence]:
    starts = [first, plus(first, minutes + gap), plus(first, 2 * (minutes + gap))]
    return [live(school, f"L1{i + 1}", s, minutes) for i, s in enumerate(starts)]


def compliant(school: School) -> list[Occurrence]:
    return [*three_calls(school), async_part(school, "L14"), async_part(school, "L15")]


# ---------------------------------------------------------------- building class days from a plan


def test_three_calls_and_two_paper_tasks_pass_every_check():
    school = online_school()
    plan = make_plan(school, compliant(school))
    [cd] = days(school, plan)
    assert cd.day_type == "online_day" and cd.cell == () and len(cd.slots) == 3 and len(cd.async_parts) == 2
    assert [s.start for s in cd.slots] == [9 * 60, 9 * 60 + 40, 10 * 60 + 20] and len(cd.counted) == 5
    assert cd.screen_minutes == 87 and cd.policy.class_id == "C"
    assert audit_class_days(days(school, plan)) == []
    assert check_big_break(cd) == []  # the in-school big break does not apply to an online day


def test_in_school_occurrences_make_an_in_school_day():
    school = online_school()
    plan = make_plan(school, [in_school(school, f"L1{p}", "C") for p in range(1, 6)], online=())
    [cd] = days(school, plan)
    assert cd.day_type == "in_school_day" and [s.period for s in cd.slots] == [1, 2, 3, 4, 5]
    assert cd.slots[0].start == 8 * 60 + 30 and not cd.slots[0].live
    assert audit_class_days([cd]) == []


def _grouped_school() -> School:
    """English in two language groups (E1, E2) at period 3, other lessons for the whole class."""
    split = [Lesson(id=f"LE{g}", version="v", classes=["C"], groups=[f"E{g}"], subject="english", day=1, period=3,
                    teachers=[f"T-eng{g}"]) for g in (1, 2)]
    groups = [SubGroup(id=f"E{g}", name=f"англ. {g}", students=12 + g, division="lang") for g in (1, 2)]
    return online_school({1: ["math", "russian"]}, groups=groups,
                         extra_lessons=[*split, *(Lesson(id=f"L1{p}", version="v", classes=["C"], subject=s, day=1,
                                                         period=p, teachers=[f"T-{s}"])
                                                  for p, s in ((4, "history"), (5, "pe")))])


def test_online_days_are_built_per_pupil_cell():
    school = _grouped_school()
    occs = [live(school, "L11", "09:00", 40), live(school, "LE1", "09:50"), async_part(school, "LE2"),
            async_part(school, "L12"), async_part(school, "L14"), async_part(school, "L15")]
    cells = {cd.cell: cd for cd in days(school, make_plan(school, occs))}
    assert set(cells) == {("E1",), ("E2",)}
    assert len(cells[("E1",)].slots) == 2 and len(cells[("E2",)].slots) == 1
    assert len(cells[("E1",)].counted) == len(cells[("E2",)].counted) == 5
    # the whole-class 40-minute call is one finding, not one per cell
    [f] = merge(daily(check_call_length, school, make_plan(school, occs)))
    assert f.lesson_id == "L11" and f.groups == ()
    # the eye-gymnastics stretch of the group call is reported for its group only
    occs[1] = live(school, "LE1", "09:50", 30, gym=())
    [g] = daily(check_eye_gymnastics, school, make_plan(school, occs[1:]))
    assert g.groups == ("E1",)


# ---------------------------------------------------------------- table 6.8: call length and the daily budget


def test_call_length_35_minutes_on_pc_is_a_violation():
    school = online_school()
    assert daily(check_call_length, school, make_plan(school, compliant(school))) == []
    [f] = daily(check_call_length, school, make_plan(school, [live(school, "L11", "09:00", 35, gym=(14, 29))]))
    assert f.norm_key == "eso.table_6_8" and f.severity == "violation" and "35 min, over 30 min for a PC" in \
        f.message_en and f.lesson_id == "L11" and f.period == 1


def test_call_length_on_laptops_is_an_unverified_warning():
    school = online_school(devices=DeviceCounts(laptop=25))
    [f] = daily(check_call_length, school, make_plan(school, [live(school, "L11", "09:00", 28)]))
    assert f.severity == "warning" and f.confidence == "M" and "over 25 min for a laptop" in f.message_en
    assert daily(check_call_length, school, make_plan(school, [live(school, "L11", "09:00", 25)])) == []


def test_four_calls_breach_the_reserve_but_not_the_table_budget():
    school = online_school()
    four = [*three_calls(school), live(school, "L14", "11:00")]
    plan = make_plan(school, four)
    assert daily(check_daily_screen_budget, school, plan) == []  # 116 ≤ 120
    [f] = daily(check_screen_reserve, school, plan)
    assert f.act == "Политика сценария" and f.severity == "violation" and f.norm_key == "scenario.screen_reserve"
    assert "116 screen minutes in the day, over 90 min" in f.message_en and "scenario's policy" in f.message_en
    assert daily(check_screen_reserve, school, make_plan(school, compliant(school))) == []  # 87 ≤ 90


def test_daily_screen_budget_counts_on_screen_async_work():
    school = online_school()
    four = [*three_calls(school), live(school, "L14", "11:00")]
    assert daily(check_daily_screen_budget, school, make_plan(school, four)) == []
    plan = make_plan(school, [*four, async_part(school, "L15", kind="recording")])  # + 15 min by the policy
    [f] = daily(check_daily_screen_budget, school, plan)
    assert f.norm_key == "eso.table_6_8" and f.severity == "violation" and "131 screen minutes" in f.message_en
    assert daily(check_screen_reserve, school, plan) == []  # the budget finding already covers it


def test_the_strictest_device_present_sets_the_budget_and_the_column_follows_the_scenario():
    school = online_school(devices=DeviceCounts(pc=20, tablet=5))
    plan = make_plan(school, three_calls(school, minutes=20), budget_column="school_day")  # 3 × 19 = 57 ≤ 60
    assert daily(check_daily_screen_budget, school, plan) == []
    plan = make_plan(school, [*three_calls(school, minutes=20), live(school, "L14", "11:00", 20)],
                     budget_column="school_day")
    [f] = daily(check_daily_screen_budget, school, plan)
    assert "over 60 min" in f.message_en and "school_day" in f.message_en


# ---------------------------------------------------------------- continuous screen work, breaks, the day's end


def test_a_call_without_eye_gymnastics_breaches_the_continuous_screen_limit():
    school = online_school()
    assert daily(check_eye_gymnastics, school, make_plan(school, compliant(school))) == []
    [f] = daily(check_eye_gymnastics, school, make_plan(school, [live(school, "L11", "09:00", 30, gym=())]))
    assert f.norm_key == "eso.continuous_minutes" and f.severity == "violation" and "30 screen minutes without eye" \
        in f.message_en and "over 15 min" in f.message_en


def test_a_stricter_gymnastics_interval_of_the_scenario_is_its_policy():
    school = online_school()
    plan = make_plan(school, [live(school, "L11", "09:00", 30, gym=(14,))], eye_gymnastics_interval_minutes=10)
    [f] = daily(check_eye_gymnastics, school, plan)
    assert f.norm_key == "scenario.eye_gymnastics_interval" and f.act == "Политика сценария"
    ok = make_plan(school, [live(school, "L11", "09:00", 30, gym=(10, 20))], eye_gymnastics_interval_minutes=10)
    assert daily(check_eye_gymnastics, school, ok) == []


def test_a_5_minute_gap_between_calls_breaches_the_sp_minimum_break():
    school = online_school()
    plan = make_plan(school, three_calls(school, gap=5))
    found = daily(check_min_break, school, plan)
    assert len(found) == 2 and all(f.norm_key == "breaks.min_minutes" and f.severity == "violation" for f in found)
    assert daily(check_call_breaks, school, plan) == []  # no double count with the СП check


def test_call_breaks_follow_the_scenario_minimum():
    school = online_school()
    found = daily(check_call_breaks, school, make_plan(school, three_calls(school, gap=10), min_break_minutes=15))
    assert len(found) == 2 and found[0].norm_key == "scenario.call_break" and "10 min, less than 15" in \
        found[0].message_en
    assert daily(check_call_breaks, school, make_plan(school, three_calls(school, gap=15), min_break_minutes=15)) == []


def test_online_latest_end_is_a_recommendation_and_a_scenario_knob():
    school = online_school()
    assert daily(check_online_latest_end, school, make_plan(school, [live(school, "L11", "17:30")])) == []
    [f] = daily(check_online_latest_end, school, make_plan(school, [live(school, "L11", "17:50")]))
    assert f.norm_key == "distance.latest_end" and f.severity == "warning" and "18:00" in f.message_en
    [g] = daily(check_online_latest_end, school, make_plan(school, [live(school, "L11", "16:50")], latest_end="17:00"))
    assert g.norm_key == "scenario.latest_end" and g.severity == "violation" and "17:00" in g.message_en


# ---------------------------------------------------------------- readiness and homework


def test_a_class_not_ready_has_no_live_calls():
    school = online_school(ready=False)
    assert daily(check_not_ready_class_live, school,
                 make_plan(school, [async_part(school, f"L1{p}") for p in range(1, 6)])) == []
    [f] = daily(check_not_ready_class_live, school, make_plan(school, compliant(school)))
    assert f.norm_key == "scenario.class_not_ready" and f.severity == "violation" and f.act == "Политика сценария"


def test_async_work_over_the_homework_norm_is_a_warning():
    school = online_school()
    assert daily(check_homework_time, school, make_plan(school, compliant(school))) == []
    heavy = [async_part(school, f"L1{p}", work=40) for p in range(1, 5)]  # 160 min > 2.5 h
    [f] = daily(check_homework_time, school, make_plan(school, heavy))
    assert f.norm_key == "homework.max_hours_per_day" and f.severity == "warning" and "160 minutes" in f.message_en


# ---------------------------------------------------------------- teachers across classes on one date


def _two_classes(c_week=FIVE) -> School:
    """Class 'C' (online) and class 'D' in school, whose lesson X1 at period 1 is taught by C's math teacher."""
    other = StudentClass(id="D", name="7Б", grade=7, age_min=13, age_max=14, students=25, bell_schedule="main")
    x1 = Lesson(id="X1", version="v", classes=["D"], subject="math", day=1, period=1, teachers=["T-math"])
    return online_school(c_week, extra_classes=[other], extra_lessons=[x1])


def test_a_sick_teacher_gives_no_call():
    school = online_school()
    sick = [("T-math", "sick")]
    [f] = by_date(check_sick_teacher_idle, school, make_plan(school, compliant(school), teachers=sick))
    assert f.norm_key == "scenario.teacher_sick" and f.teacher_id == "T-math" and f.severity == "violation"
    covered = [live(school, "L11", "09:00", teachers=["T-sub"]), *compliant(school)[1:]]
    assert by_date(check_sick_teacher_idle, school, make_plan(school, covered, teachers=sick)) == []


def test_a_remote_only_teacher_has_no_lesson_in_the_building():
    school = _two_classes()
    remote = [("T-math", "remote_only")]
    plan = make_plan(school, [*compliant(school), in_school(school, "X1", "D")], teachers=remote)
    [f] = by_date(check_remote_teacher_not_in_school, school, plan)
    assert f.norm_key == "scenario.teacher_remote_only" and f.class_id == "D" and f.lesson_id == "X1"
    plan = make_plan(school, [*compliant(school), in_school(school, "X1", "D", teachers=["T-sub"])], teachers=remote)
    assert by_date(check_remote_teacher_not_in_school, school, plan) == []


def test_a_call_5_minutes_after_an_in_school_lesson_breaches_the_transition_buffer():
    school = _two_classes()
    d_lesson = in_school(school, "X1", "D")  # 08:30–09:15, T-math
    [f] = by_date(check_transition_buffer, school, make_plan(school, [live(school, "L11", "09:20"), d_lesson]))
    assert f.norm_key == "scenario.transition_buffer" and f.teacher_id == "T-math" and "5 min between" in \
        f.message_en and f.severity == "violation"
    assert by_date(check_transition_buffer, school, make_plan(school, [live(school, "L11", "09:25"), d_lesson])) == []


def test_teacher_overlap_sees_live_calls_and_in_school_lessons_but_not_cells_twice():
    school = _two_classes()
    d_lesson = in_school(school, "X1", "D")  # 08:30–09:15
    [f] = by_date(check_teacher_overlap, school, make_plan(school, [live(school, "L11", "09:00"), d_lesson]))
    assert f.norm_key == "integrity.teacher_overlap" and f.teacher_id == "T-math"
    assert by_date(check_teacher_overlap, school, make_plan(school, [live(school, "L11", "09:20"), d_lesson])) == []
    grouped = _grouped_school()
    occs = [live(grouped, "L11", "09:00"), async_part(grouped, "LE1"), async_part(grouped, "LE2")]
    assert len(days(grouped, make_plan(grouped, occs))) == 2  # the same call in two cells is one lesson
    assert by_date(check_teacher_overlap, grouped, make_plan(grouped, occs)) == []


def test_a_breach_seen_in_every_pupil_cell_is_reported_once():
    """Issue 13, item 5: a class with sub-groups is audited per pupil cell; the same fact (four whole-class calls
    over the reserve, seen in cell E1 and in cell E2) is one finding naming both groups, not one per cell."""
    school = _grouped_school()
    occs = [live(school, "L11", "09:00"), live(school, "L12", "09:40"), live(school, "L14", "10:20"),
            live(school, "L15", "11:00"), async_part(school, "LE1"), async_part(school, "LE2")]
    plan = make_plan(school, occs)
    per_cell = daily(check_screen_reserve, school, plan)
    assert sorted(f.groups for f in per_cell) == [("E1",), ("E2",)]  # seen once in each cell
    [f] = merge(per_cell)
    assert f.groups == ("E1", "E2") and f.norm_key == "scenario.screen_reserve"
    [g] = [x for x in audit_plan(school, plan, library()).findings if x.norm_key == "scenario.screen_reserve"]
    assert g.groups == ("E1", "E2")
