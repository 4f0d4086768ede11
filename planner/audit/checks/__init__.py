"""The table of contents of the audit: every norm check, one line each.

Daily checks take one class day; weekly checks take one class's days of one calendar week; date checks take
all class days of one date (cross-class rules). On a plan, online days are one class day per pupil cell
(planner/audit/plan_views.py); each check's norm decides by its applies_to whether it runs on a day type.
"""

from planner.audit.checks.declared import check_declared_limits
from planner.audit.checks.day import (
    check_big_break, check_earliest_start, check_grade1_dynamic_pause, check_latest_end, check_lesson_length,
    check_min_break, check_pair_length,
)
from planner.audit.checks.difficulty import check_hard_subject_position, check_peak_days
from planner.audit.checks.extracurricular import check_extracurricular_gap
from planner.audit.checks.load import (
    check_college_pairs_per_day, check_college_weekly_hours, check_grade1_sep_oct_load, check_grade1_step_mode,
    check_lessons_per_day, check_weekly_load,
)
from planner.audit.checks.online import (
    check_call_breaks, check_call_length, check_chat_overlap, check_daily_screen_budget, check_eye_gymnastics,
    check_homework_time, check_not_ready_class_live, check_online_latest_end, check_remote_teacher_not_in_school,
    check_screen_reserve, check_sick_teacher_idle, check_transition_buffer,
)
from planner.audit.checks.regime import check_first_shift_only, check_grade1_five_day_week
from planner.audit.checks.teachers import (
    check_teacher_availability, check_teacher_calls_in_a_row, check_teacher_live_minutes, check_teacher_overlap,
)

DAILY_CHECKS = (
    check_earliest_start,  # day.earliest_start — СП 2.4.3648-20
    check_latest_end,  # day.latest_end — СП 2.4.3648-20
    check_min_break,  # breaks.min_minutes — СП 2.4.3648-20
    check_big_break,  # breaks.big_break — СП 2.4.3648-20
    check_lesson_length,  # lesson.max_minutes — СанПиН табл. 6.6
    check_pair_length,  # college.pair_max_minutes — local act
    check_grade1_dynamic_pause,  # grade1.dynamic_pause_minutes — СП 2.4.3648-20 (unverified)
    check_first_shift_only,  # shifts.first_shift_only — СП 2.4.3648-20
    check_grade1_five_day_week,  # grade1.five_day_week — СанПиН табл. 6.6
    check_hard_subject_position,  # difficulty.hard_lessons — recommendation
    check_extracurricular_gap,  # extracurricular.gap_minutes — СанПиН табл. 6.6
    # online days of a plan
    check_call_length,  # eso.table_6_8 "lesson" — СанПиН табл. 6.8 (then distance.lesson_max_minutes / scenario)
    check_daily_screen_budget,  # eso.table_6_8 budget column — СанПиН табл. 6.8
    check_screen_reserve,  # scenario.screen_reserve — the scenario's policy
    check_eye_gymnastics,  # eso.continuous_minutes — СП 2.4.3648-20 п. 2.10.2; eso.eye_gymnastics
    check_call_breaks,  # scenario.call_break — the scenario's policy (the СП minimum: check_min_break)
    check_online_latest_end,  # distance.latest_end — recommendation; scenario.latest_end
    check_not_ready_class_live,  # scenario.class_not_ready — scenario rule
    check_homework_time,  # homework.max_hours_per_day — СанПиН табл. 6.6 (warning)
    check_declared_limits,  # eso.table_6_8, day.*, breaks.min_minutes, eso.continuous_minutes — the recorded policy
)

WEEKLY_CHECKS = (
    check_lessons_per_day,  # lessons_per_day.max — СП 2.4.3648-20
    check_grade1_step_mode,  # grade1.lessons_per_day — СП 2.4.3648-20
    check_college_pairs_per_day,  # college.max_pairs_per_day — local act
    check_weekly_load,  # weekly_load.max_hours — СанПиН табл. 6.6
    check_grade1_sep_oct_load,  # grade1.weekly_load_sep_oct — СанПиН табл. 6.6
    check_college_weekly_hours,  # college.max_weekly_hours — local act
    check_peak_days,  # difficulty.peak_days — recommendation
)

DATE_CHECKS = (
    check_teacher_overlap,  # integrity: no teacher in two places at once
    check_teacher_availability,  # integrity: no lesson when the teacher is unavailable
    check_sick_teacher_idle,  # scenario.teacher_sick — scenario rule
    check_remote_teacher_not_in_school,  # scenario.teacher_remote_only — scenario rule
    check_transition_buffer,  # scenario.transition_buffer — the scenario's policy
    check_chat_overlap,  # integrity: one call per chat at a time
    check_teacher_live_minutes,  # teacher.live_minutes_per_day_max — planner default (M), off unless set
    check_teacher_calls_in_a_row,  # teacher.calls_in_a_row_max — planner default (M), off unless set
)

__all__ = ["DAILY_CHECKS", "DATE_CHECKS", "WEEKLY_CHECKS"]
