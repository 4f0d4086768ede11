"""Checks of the amount of teaching: lessons per day, the 1st-grade step mode, weekly load, college pairs.

Weekly checks receive the class days of one calendar week (Monday–Sunday) in date order.
"""

from __future__ import annotations

from planner.audit.checks.common import WEEKDAY_EN, WEEKDAY_RU, applicable, where
from planner.audit.findings import Finding, make_finding
from planner.audit.views import ClassDay
from planner.norms import Norm, Row


def _daily_cap(week: list[ClassDay], key: str, unit_ru: str, unit_en: str) -> list[Finding]:
    """Each day at most `value` lessons; once a week up to `once_a_week`, and only on a day that has the
    subject named by `once_a_week_subject` (if the row names one)."""
    out: list[Finding] = []
    extra_days: list[tuple[ClassDay, Norm, Row, int]] = []
    for cd in week:
        found = applicable(cd, key)
        if not found:
            continue
        norm, row = found
        count = len(cd.counted)
        cap = int(row.value())
        extra = int(row.values.get("once_a_week", cap))
        if count > extra:
            out.append(make_finding(norm, row, "value",
                                    f"{count} {unit_ru} в день, допускается не более {cap}"
                                    + (f" (один раз в неделю {extra})" if extra > cap else ""),
                                    f"{count} {unit_en} a day, at most {cap} allowed"
                                    + (f" (once a week {extra})" if extra > cap else ""), **where(cd)))
        elif count > cap:
            extra_days.append((cd, norm, row, count))
    for n, (cd, norm, row, count) in enumerate(extra_days):
        subject = row.extras.get("once_a_week_subject")
        has_subject = subject is None or subject in cd.subject_keys()
        if n == 0 and has_subject:
            continue
        reason_ru = "уже был другой такой день на этой неделе" if n else f"в этот день нет урока «{subject}»"
        reason_en = "another such day already this week" if n else f"this day has no '{subject}' lesson"
        out.append(make_finding(norm, row, "once_a_week",
                                f"{count} {unit_ru} в {WEEKDAY_RU[cd.weekday]}: больше {row.value()} допускается "
                                f"один раз в неделю за счёт физкультуры — {reason_ru}",
                                f"{count} {unit_en} on {WEEKDAY_EN[cd.weekday]}: more than {row.value()} is allowed "
                                f"once a week through PE — {reason_en}", **where(cd)))
    return out


def check_lessons_per_day(week: list[ClassDay]) -> list[Finding]:
    """СП 2.4.3648-20, п. 3.4.16: lessons per day — 1st grade ≤ 4 (once a week 5 through PE), 2–4 ≤ 5 (once a
    week 6 through PE), 5–6 ≤ 6, 7–11 ≤ 7 (norm "lessons_per_day.max")."""
    return _daily_cap(week, "lessons_per_day.max", "уроков", "lessons")


def check_grade1_step_mode(week: list[ClassDay]) -> list[Finding]:
    """СП 2.4.3648-20, п. 3.4.16, ступенчатый режим: 1st grade has 3 lessons a day in September–October and
    4 in November–December (norm "grade1.lessons_per_day")."""
    return _daily_cap([cd for cd in week if cd.klass.grade == 1], "grade1.lessons_per_day", "уроков", "lessons")


def check_college_pairs_per_day(week: list[ClassDay]) -> list[Finding]:
    """Local act of the college (norm "college.max_pairs_per_day"): no verified federal cap on pairs per day
    exists, so the local act's value applies."""
    return _daily_cap([cd for cd in week if cd.klass.is_college], "college.max_pairs_per_day", "пар", "pairs")


def _weekly_sum(week: list[ClassDay], key: str, per_slot: float, text_ru: str, text_en: str,
                only_lessons: bool = True) -> list[Finding]:
    found = None
    for cd in week:
        found = applicable(cd, key)
        if found:
            break
    if not found:
        return []
    norm, row = found
    total = sum(per_slot for cd in week for s in cd.counted if s.is_lesson or not only_lessons)
    cap = float(row.value())
    if total <= cap:
        return []
    first = week[0]
    total_txt = f"{total:g}"
    return [make_finding(norm, row, "value", f"{text_ru}: {total_txt} за неделю, допускается не более {cap:g}",
                         f"{text_en}: {total_txt} in the week, at most {cap:g} allowed",
                         class_id=first.klass.id, dates=tuple(cd.date for cd in week))]


def check_weekly_load(week: list[ClassDay]) -> list[Finding]:
    """СанПиН 1.2.3685-21, табл. 6.6: weekly lesson load (урочная деятельность) in academic hours at most the
    value for the grade and the 5- or 6-day week (norm "weekly_load.max_hours")."""
    return _weekly_sum(week, "weekly_load.max_hours", 1, "недельная урочная нагрузка, ч",
                       "weekly lesson load, hours")


def check_grade1_sep_oct_load(week: list[ClassDay]) -> list[Finding]:
    """СанПиН 1.2.3685-21, табл. 6.6 (ступенчатый режим): 1st grade has at most 15 lessons a week in
    September–October (norm "grade1.weekly_load_sep_oct")."""
    days = [cd for cd in week if cd.klass.grade == 1 and applicable(cd, "grade1.weekly_load_sep_oct")]
    if not days:
        return []
    return _weekly_sum(days, "grade1.weekly_load_sep_oct", 1, "уроков в неделю в сентябре–октябре",
                       "lessons a week in September–October")


def check_college_weekly_hours(week: list[ClassDay]) -> list[Finding]:
    """Local act of the college; ФГОС СПО (unverified): classroom load at most 36 academic hours a week
    (norm "college.max_weekly_hours"); a pair counts as academic_hours_per_pair hours."""
    days = [cd for cd in week if cd.klass.is_college]
    if not days:
        return []
    # read the row directly: the pair-length norm does not apply to online days, its hours-per-pair still does
    norm = days[0].norms.get("college.pair_max_minutes")
    row = norm.row() if norm is not None else None
    if row is None:
        return []
    hours_per_pair = float(row.value("academic_hours_per_pair"))
    return _weekly_sum(days, "college.max_weekly_hours", hours_per_pair, "аудиторная нагрузка, академ. ч",
                       "classroom load, academic hours")
