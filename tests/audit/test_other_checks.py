"""Regime, difficulty, extracurricular and teacher-overlap checks."""

from builders import MONDAY, STANDARD_BELLS, class_day, class_week, make_school

from planner.audit.checks.difficulty import check_hard_subject_position, check_peak_days
from planner.audit.checks.extracurricular import check_extracurricular_gap
from planner.audit.checks.regime import check_first_shift_only, check_grade1_five_day_week
from planner.audit.checks.teachers import check_teacher_overlap
from planner.audit.views import regular_class_day
from planner.school.model import Lesson, StudentClass

FIVE = {1: ["math", "russian", "english", "history", "pe"]}


def test_grade_1_on_the_second_shift_is_a_violation():
    assert check_first_shift_only(class_day(make_school(FIVE, grade=1), MONDAY)) == []
    [f] = check_first_shift_only(class_day(make_school(FIVE, grade=1, shift=2), MONDAY))
    assert f.norm_key == "shifts.first_shift_only" and f.severity == "violation"
    assert check_first_shift_only(class_day(make_school(FIVE, grade=3, shift=2), MONDAY)) == []


def test_grade_10_on_the_second_shift_is_only_a_warning_and_ovz_a_violation():
    [f] = check_first_shift_only(class_day(make_school(FIVE, grade=10, shift=2), MONDAY))
    assert f.severity == "warning" and f.confidence == "M"
    [g] = check_first_shift_only(class_day(make_school(FIVE, grade=3, shift=2, ovz=True), MONDAY))
    assert g.severity == "violation" and "ОВЗ" in g.message_en


def test_grade_1_on_a_six_day_week():
    assert check_grade1_five_day_week(class_day(make_school(FIVE, grade=1), MONDAY)) == []
    [f] = check_grade1_five_day_week(class_day(make_school(FIVE, grade=1, week_days=6), MONDAY))
    assert f.norm_key == "grade1.five_day_week"


def test_a_hard_subject_on_lesson_6_is_a_warning():
    ok = make_school({1: ["pe", "algebra", "russian", "geometry", "music", "art"]})
    assert check_hard_subject_position(class_day(ok, MONDAY)) == []
    bad = make_school({1: ["pe", "russian", "history", "music", "art", "algebra"]})
    [f] = check_hard_subject_position(class_day(bad, MONDAY))
    assert f.severity == "warning" and "lesson 6" in f.message_en and f.norm_key == "difficulty.hard_lessons"


def test_difficulty_peak_on_tuesday_or_wednesday():
    light = ["pe", "music", "art"]
    heavy = ["algebra", "geometry", "russian"]
    ok = make_school({1: light, 2: heavy, 3: light, 4: light, 5: light})
    assert check_peak_days(class_week(ok)) == []
    bad = make_school({1: light, 2: light, 3: light, 4: light, 5: heavy})
    [f] = check_peak_days(class_week(bad))
    assert f.severity == "warning" and "Friday" in f.message_en


def test_extracurricular_right_after_lessons_breaches_the_30_minute_gap():
    bad = make_school({1: ["math", "russian", "english", "club"]})
    [f] = check_extracurricular_gap(class_day(bad, MONDAY))
    assert f.norm_key == "extracurricular.gap_minutes" and "10 min between" in f.message_en  # 11:15 → 11:25
    ok = make_school({1: ["math", "russian", "english", "club"]}, start_period={1: 1},
                     bells=[*STANDARD_BELLS[:3], ("11:45", "12:30")])
    assert check_extracurricular_gap(class_day(ok, MONDAY)) == []


def test_a_teacher_in_two_classes_at_overlapping_times():
    other = StudentClass(id="D", name="7Б", grade=7, age_min=13, age_max=14, students=25, bell_schedule="main")
    clash = Lesson(id="X1", version="v", classes=["D"], subject="math", day=1, period=1, teachers=["T-math"])
    school = make_school(FIVE, extra_classes=[other], extra_lessons=[clash])
    lib_day = class_day(school, MONDAY)
    d_day = regular_class_day(school, other, MONDAY, lib_day.norms)
    [f] = check_teacher_overlap([lib_day, d_day])
    assert f.teacher_id == "T-math" and f.severity == "violation"
    moved = Lesson(id="X1", version="v", classes=["D"], subject="math", day=1, period=6, teachers=["T-math"])
    school2 = make_school(FIVE, extra_classes=[other], extra_lessons=[moved])
    days2 = [class_day(school2, MONDAY), class_day(school2, MONDAY, "D")]
    assert check_teacher_overlap(days2) == []


def test_a_lesson_when_the_teacher_is_unavailable():
    from planner.audit.checks.teachers import check_teacher_availability
    from planner.school.model import Teacher, Unavailability

    school = make_school(FIVE)
    assert check_teacher_availability([class_day(school, MONDAY)]) == []
    busy = [t if t.id != "T-russian" else Teacher(id=t.id, name=t.name, unavailable=[Unavailability(day=1, period=2)])
            for t in school.teachers]
    school2 = school.model_copy(update={"teachers": busy})
    [f] = check_teacher_availability([class_day(school2, MONDAY)])
    assert f.teacher_id == "T-russian" and f.period == 2
    whole_day = [t if t.id != "T-math" else Teacher(id=t.id, name=t.name, unavailable=[Unavailability(day=1)])
                 for t in school.teachers]
    [g] = check_teacher_availability([class_day(school.model_copy(update={"teachers": whole_day}), MONDAY)])
    assert g.teacher_id == "T-math"
