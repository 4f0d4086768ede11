"""Weekly checks: lessons per day (with the once-a-week PE exception), grade-1 step mode, weekly load, colleges."""

from datetime import date

from builders import class_week, make_school

from planner.audit.checks.load import (
    check_college_pairs_per_day, check_college_weekly_hours, check_grade1_sep_oct_load, check_grade1_step_mode,
    check_lessons_per_day, check_weekly_load,
)

SEVEN = ["math", "russian", "english", "history", "biology", "literature", "music"]


def test_grade_5_with_7_lessons_breaches_the_daily_cap():
    ok = make_school({1: SEVEN[:6]}, grade=5)
    assert check_lessons_per_day(class_week(ok)) == []
    [f] = check_lessons_per_day(class_week(make_school({1: SEVEN}, grade=5)))
    assert f.norm_key == "lessons_per_day.max" and f.severity == "violation" and "7 lessons a day" in f.message_en
    assert f.clause.startswith("п. 3.4.16") and "не подтверждён" in f.clause  # number re-checked: unverified


def test_grade_3_may_have_6_lessons_once_a_week_only_with_pe():
    with_pe = make_school({1: ["math", "russian", "reading", "english", "music", "pe"], 2: ["math"] * 5}, grade=3)
    assert check_lessons_per_day(class_week(with_pe)) == []
    without_pe = make_school({1: ["math", "russian", "reading", "english", "music", "art"]}, grade=3)
    [f] = check_lessons_per_day(class_week(without_pe))
    assert f.norm_key == "lessons_per_day.max" and "'pe'" in f.message_en
    twice = make_school({1: ["math", "russian", "reading", "english", "music", "pe"],
                         2: ["math", "russian", "reading", "english", "music", "pe"]}, grade=3)
    [f] = check_lessons_per_day(class_week(twice))
    assert "another such day" in f.message_en and f.weekday == 2


def test_grade_1_with_4_lessons_in_september_breaches_the_step_mode():
    b35 = [("08:30", "09:05"), ("09:15", "09:50"), ("10:30", "11:05"), ("11:15", "11:50"), ("12:00", "12:35")]
    school = make_school({d: ["math", "russian", "reading", "pe"] for d in range(1, 6)}, grade=1, bells=b35)
    sept = class_week(school, date(2026, 9, 14))
    found = check_grade1_step_mode(sept)
    assert len(found) == 5 and all(f.norm_key == "grade1.lessons_per_day" for f in found)
    assert check_lessons_per_day(sept) == []  # the general cap of 4 is met: only the step mode is breached
    assert check_grade1_step_mode(class_week(school, date(2026, 11, 16))) == []  # 4 allowed from November


def test_weekly_load_cap_depends_on_grade_and_week_length():
    full = {d: SEVEN for d in range(1, 6)}  # 35 lessons
    [f] = check_weekly_load(class_week(make_school(full, grade=7)))
    assert f.norm_key == "weekly_load.max_hours" and "35 in the week, at most 32" in f.message_en
    ok = {d: SEVEN[:6] for d in range(1, 6)}  # 30
    assert check_weekly_load(class_week(make_school({**ok, 1: SEVEN, 2: SEVEN}, grade=7))) == []  # 32
    six = {d: SEVEN[:6] for d in range(1, 7)}  # 36 on a 6-day week
    [f6] = check_weekly_load(class_week(make_school(six, grade=7, week_days=6)))
    assert "at most 35" in f6.message_en and f6.confidence == "S1"


def test_extracurricular_does_not_count_in_the_weekly_load():
    week = {d: SEVEN[:6] for d in range(1, 6)}
    week[1] = SEVEN[:6] + ["club"]
    week[2] = SEVEN[:6] + ["club"]
    week[3] = SEVEN[:6] + ["club"]
    assert check_weekly_load(class_week(make_school(week, grade=7))) == []  # 30 lessons + 3 club sessions


def test_grade_1_september_weekly_cap_of_15():
    b35 = [("08:30", "09:05"), ("09:15", "09:50"), ("10:30", "11:05"), ("11:15", "11:50")]
    ok = make_school({d: ["math", "russian", "reading"] for d in range(1, 6)}, grade=1, bells=b35)
    assert check_grade1_sep_oct_load(class_week(ok, date(2026, 9, 14))) == []
    bad = make_school({**{d: ["math", "russian", "reading"] for d in range(1, 6)},
                       1: ["math", "russian", "reading", "pe"]}, grade=1, bells=b35)
    [f] = check_grade1_sep_oct_load(class_week(bad, date(2026, 9, 14)))
    assert f.norm_key == "grade1.weekly_load_sep_oct" and "16 in the week" in f.message_en
    assert check_grade1_sep_oct_load(class_week(bad, date(2026, 11, 16))) == []  # only September–October


PAIRS = [("08:30", "10:00"), ("10:10", "11:40"), ("12:20", "13:50"), ("14:00", "15:30"), ("15:40", "17:10")]


def test_college_pairs_per_day_come_from_the_local_act():
    four = make_school({1: ["math", "physics", "english", "history"]}, grade=None, course=2, bells=PAIRS)
    assert check_college_pairs_per_day(class_week(four)) == []
    five = make_school({1: ["math", "physics", "english", "history", "pe"]}, grade=None, course=2, bells=PAIRS)
    [f] = check_college_pairs_per_day(class_week(five))
    assert f.norm_key == "college.max_pairs_per_day" and f.act.startswith("Локальный акт")
    assert check_lessons_per_day(class_week(five)) == []  # the school grade caps never apply to colleges


def test_college_weekly_hours_count_pairs_as_two_hours():
    week = {d: ["math", "physics", "english", "history"] for d in range(1, 6)}  # 20 pairs = 40 h
    [f] = check_college_weekly_hours(class_week(make_school(week, grade=None, course=2, bells=PAIRS)))
    assert "40 in the week, at most 36" in f.message_en
    week[5] = ["math"]  # 17 pairs = 34 h
    assert check_college_weekly_hours(class_week(make_school(week, grade=None, course=2, bells=PAIRS))) == []
