"""Each daily check: one passing and one failing toy, the failing one made by changing one value."""

from datetime import date

from builders import MONDAY, STANDARD_BELLS, class_day, make_school

from planner.audit.checks.day import (
    check_big_break, check_earliest_start, check_grade1_dynamic_pause, check_latest_end, check_lesson_length,
    check_min_break, check_pair_length,
)

FIVE = {1: ["math", "russian", "english", "history", "pe"]}


def _with_bell(index: int, start: str, end: str, bells=STANDARD_BELLS):
    b = list(bells)
    b[index] = (start, end)
    return b


def test_earliest_start_passes_at_0800_and_fails_at_0745():
    ok = make_school(FIVE, bells=_with_bell(0, "08:00", "08:45"))
    assert check_earliest_start(class_day(ok, MONDAY)) == []
    bad = make_school(FIVE, bells=_with_bell(0, "07:45", "08:30"))
    [f] = check_earliest_start(class_day(bad, MONDAY))
    assert f.norm_key == "day.earliest_start" and f.severity == "violation"
    assert "07:45" in f.message_en and f.act == "СП 2.4.3648-20"


def test_latest_end_passes_at_1900_and_fails_at_1910():
    late = [("13:30", "14:15"), ("14:25", "15:10"), ("15:30", "16:15"), ("16:25", "17:10"), ("17:20", "18:05"),
            ("18:15", "19:00")]
    ok = make_school({1: ["math", "russian", "english", "history", "pe", "music"]}, grade=3, shift=2, bells=late)
    assert check_latest_end(class_day(ok, MONDAY)) == []
    bad = make_school({1: ["math", "russian", "english", "history", "pe", "music"]}, grade=3, shift=2,
                      bells=_with_bell(5, "18:25", "19:10", late))
    [f] = check_latest_end(class_day(bad, MONDAY))
    assert f.norm_key == "day.latest_end" and "19:10" in f.message_en and f.severity == "violation"


def test_min_break_fails_on_a_5_minute_break():
    assert check_min_break(class_day(make_school(FIVE), MONDAY)) == []
    bad = make_school(FIVE, bells=_with_bell(1, "09:20", "10:05"))
    [f] = check_min_break(class_day(bad, MONDAY))
    assert f.norm_key == "breaks.min_minutes" and "5 min" in f.message_en and f.period == 1


def test_min_break_ignores_breaks_the_class_does_not_have():
    # a 5-minute break after period 7 is irrelevant to a class whose day ends at period 5
    school = make_school(FIVE, bells=_with_bell(7, "15:00", "15:45"))
    assert check_min_break(class_day(school, MONDAY)) == []


def test_big_break_required_after_lesson_2_or_3():
    assert check_big_break(class_day(make_school(FIVE), MONDAY)) == []  # 20 min after lesson 2
    no_big = [("08:30", "09:15"), ("09:25", "10:10"), ("10:20", "11:05"), ("11:15", "12:00"), ("12:10", "12:55")]
    [f] = check_big_break(class_day(make_school(FIVE, bells=no_big), MONDAY))
    assert f.norm_key == "breaks.big_break" and f.severity == "violation"
    after_3 = [("08:30", "09:15"), ("09:25", "10:10"), ("10:20", "11:05"), ("11:35", "12:20"), ("12:30", "13:15")]
    assert check_big_break(class_day(make_school(FIVE, bells=after_3), MONDAY)) == []


def test_lesson_length_45_for_grade_7_and_40_for_ovz():
    assert check_lesson_length(class_day(make_school(FIVE), MONDAY)) == []
    [f] = check_lesson_length(class_day(make_school(FIVE, bells=_with_bell(2, "10:30", "11:20")), MONDAY))
    assert f.norm_key == "lesson.max_minutes" and "50 min" in f.message_en
    ovz = check_lesson_length(class_day(make_school(FIVE, ovz=True), MONDAY))
    assert len(ovz) == 5 and all("over 40 min" in f.message_en for f in ovz) and ovz[0].confidence == "S1"


def test_lesson_length_for_grade_1_follows_the_month():
    b35 = [("08:30", "09:05"), ("09:15", "09:50"), ("10:30", "11:05"), ("11:15", "11:50")]
    b40 = [("08:30", "09:10"), ("09:20", "10:00"), ("10:40", "11:20"), ("11:30", "12:10")]
    school = make_school({1: ["math", "russian", "reading", "pe"]}, grade=1,
                         bell_variants=[(None, date(2026, 12, 31), b40), (date(2027, 1, 1), None, b40)])
    assert len(check_lesson_length(class_day(school, MONDAY))) == 4  # 40 min in December: too long
    assert check_lesson_length(class_day(school, date(2027, 1, 18))) == []  # 40 min in January: fine
    ok = make_school({1: ["math", "russian", "reading", "pe"]}, grade=1, bells=b35)
    assert check_lesson_length(class_day(ok, MONDAY)) == []


def test_pair_length_for_colleges_only():
    pairs = [("08:30", "10:00"), ("10:10", "11:40"), ("12:20", "13:50")]
    college = make_school({1: ["math", "physics", "pe"]}, grade=None, course=1, bells=pairs)
    assert check_pair_length(class_day(college, MONDAY)) == []
    assert check_lesson_length(class_day(college, MONDAY)) == []  # the school's 45 minutes do not apply
    long_pair = make_school({1: ["math", "physics", "pe"]}, grade=None, course=1,
                            bells=[("08:30", "10:05"), ("10:15", "11:45"), ("12:20", "13:50")])
    [f] = check_pair_length(class_day(long_pair, MONDAY))
    assert f.norm_key == "college.pair_max_minutes" and f.severity == "warning"  # local act value is unverified


def test_grade1_dynamic_pause_is_a_warning():
    pause = [("08:30", "09:05"), ("09:15", "09:50"), ("10:30", "11:05"), ("11:15", "11:50")]
    school = make_school({1: ["math", "russian", "reading"]}, grade=1, bells=pause)
    assert check_grade1_dynamic_pause(class_day(school, MONDAY)) == []
    short = [("08:30", "09:05"), ("09:15", "09:50"), ("10:10", "10:45"), ("10:55", "11:30")]
    [f] = check_grade1_dynamic_pause(class_day(make_school({1: ["math", "russian", "reading"]}, grade=1,
                                                           bells=short), MONDAY))
    assert f.severity == "warning" and f.confidence == "M" and "20 min" in f.message_en
