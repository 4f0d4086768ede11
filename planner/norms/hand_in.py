"""The hand-in deadline of asynchronous work: one rule for the plan, the feeds, the messages and the ЭПОС workbook.

Norm "async.hand_in_days" (template local act: regulation on Sferum use, 004, п. 3.7, «не позднее 2-х дней со дня
проведения занятия»). Counting, as the planner decides it:

* calendar days (default): counted from the day after the lesson, so Monday's work is due by the end of Wednesday;
  if that last day is not a school day of the class (a Sunday, a public holiday, a vacation day, a Saturday of a
  five-day class), the deadline moves to the class's next school day — as a term ending on a non-working day ends
  on the next working day (Civil Code art. 193, applied by analogy);
* school days (the school's policy `hand_in_count = "school_days"`): the N-th school day of the class after the
  lesson;
* first-graders get no homework (norm "grade1.no_homework", СП 2.4.3648-20 step mode): their asynchronous work is
  done in the day's window and handed in on the day of the lesson.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner.errors import InputError
from planner.norms import NormsInForce
from planner.school.calendar import timetable_weekday
from planner.school.model import School, StudentClass

NORM_KEY = "async.hand_in_days"
HORIZON_DAYS = 60  # a deadline further than this (a class with no school day ahead) stops at the horizon


def hand_in_days(norms: NormsInForce) -> int:
    norm = norms.get(NORM_KEY)
    row = norm.row() if norm is not None else None
    if row is None:
        raise InputError(f"norm '{NORM_KEY}' (hand-in deadline) is not in force on {norms.day}: add it to the "
                         f"school's policy or the norm data",
                         f"норма «{NORM_KEY}» (срок сдачи заданий) не действует на {norms.day:%d.%m.%Y}: задайте её "
                         f"в политике школы или в данных норм")
    return int(row.value())


def hand_in_count(norms: NormsInForce) -> str:
    return norms.policy.hand_in_count if norms.policy is not None else "calendar_days"


def _school_day(school: School, klass: StudentClass, d: date) -> bool:
    return timetable_weekday(school, klass, d) is not None


def hand_in_deadline(school: School, class_id: str, lesson_day: date, norms: NormsInForce,
                     days: int | None = None) -> date:
    """The last day to hand in work given on `lesson_day` (see the module docstring for the rule). days: a
    relaxed term counted by the same rule instead of "async.hand_in_days" (a light subject's creative task,
    norm "async.kind_by_subject")."""
    klass = school.class_by_id(class_id)
    n = hand_in_days(norms) if days is None else days
    no_homework = norms.get("grade1.no_homework")
    if klass.grade is not None and no_homework is not None:
        row = no_homework.row(grade=klass.grade)
        if row is not None and float(row.value()) == 0:
            return lesson_day
    if hand_in_count(norms) == "school_days":
        d, found = lesson_day, 0
        for _ in range(HORIZON_DAYS):
            d += timedelta(days=1)
            if _school_day(school, klass, d):
                found += 1
                if found >= n:
                    return d
        return d
    d = lesson_day + timedelta(days=n)
    for _ in range(HORIZON_DAYS):
        if _school_day(school, klass, d):
            return d
        d += timedelta(days=1)
    return d


def hand_in_rule_text(norms: NormsInForce) -> tuple[str, str]:
    """The rule in words (ru, en), for the plan and the report."""
    n = hand_in_days(norms)
    norm = norms.get(NORM_KEY)
    assert norm is not None  # hand_in_days refused a missing norm
    if hand_in_count(norms) == "school_days":
        return (f"сдать в течение {n} учебн. дн. после занятия ({norm.cite()})",
                f"hand in within {n} school days after the lesson ({norm.cite()})")
    return (f"сдать не позднее {n} дн. со дня занятия, считая со следующего дня; если последний день не учебный — в "
            f"ближайший учебный день ({norm.cite()})",
            f"hand in within {n} calendar days of the lesson, counted from the next day; a last day that is not a "
            f"school day moves to the next school day ({norm.cite()})")


__all__ = ["NORM_KEY", "hand_in_days", "hand_in_deadline", "hand_in_rule_text"]
