"""A 1st-course college group uses the table 6.8 band «10–11 классы, 1–2 курс ПОО», not its pupils' age band."""

from __future__ import annotations

from builders import MONDAY, library, make_school


def test_first_course_group_uses_the_poo_band():
    school = make_school({1: ["math"]}, grade=None, course=1)
    group = school.class_by_id("C")
    young = group.model_copy(update={"age_min": 15, "age_max": 16})
    assert young.norm_grade == 10  # age 15 alone would give the 5–9 band
    board = library().in_force(MONDAY).get("eso.table_6_8").row(device="board", grade=young.norm_grade)
    assert board.selectors["grades"] == "10-11" and board.values["school_day"] == 120
    third = young.model_copy(update={"course": 3, "age_min": 17})
    assert third.norm_grade == 11
