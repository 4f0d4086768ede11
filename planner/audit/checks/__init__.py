"""The table of contents of the audit: every norm check, one line each.

Daily checks take one class day; weekly checks take one class's days of one calendar week; date checks take
all class days of one date (cross-class rules).
"""

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
from planner.audit.checks.regime import check_first_shift_only, check_grade1_five_day_week
from planner.audit.checks.teachers import check_teacher_availability, check_teacher_overlap

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
)

__all__ = ["DAILY_CHECKS", "DATE_CHECKS", "WEEKLY_CHECKS"]
