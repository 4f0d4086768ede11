"""Checks against the difficulty scales (tables 6.9–6.11): hard subjects' positions and the weekly peak.

The scales' 2021 values are unverified and the placement rules are recommendations: findings are warnings.
"""

from __future__ import annotations

from planner.audit.checks.common import WEEKDAY_EN, WEEKDAY_RU, applicable, where
from planner.audit.findings import Finding, make_finding
from planner.audit.views import ClassDay


def difficulty_points(cd: ClassDay, norm_key: str | None) -> float | None:
    """Points of a subject for the class's grade from norm "difficulty.scale" (None if not on the scale)."""
    if norm_key is None:
        return None
    found = applicable(cd, "difficulty.scale", subject=norm_key)
    return float(found[1].value()) if found else None


def check_hard_subject_position(cd: ClassDay) -> list[Finding]:
    """Hard subjects on lessons 2–4 (primary 2–3): приложение 4 СанПиН 2.4.2.2821-10 / МР 2.4.0331-23 п. 3.2
    (unverified; norm "difficulty.hard_lessons"). A subject scoring at least hard_min_points on the class's
    scale (табл. 6.9–6.11) after the last recommended lesson gives a warning."""
    found = applicable(cd, "difficulty.hard_lessons")
    if not found:
        return []
    norm, row = found
    last, threshold = int(row.value("last_lesson")), float(row.value("hard_min_points"))
    out = []
    for slot in cd.slots:
        if slot.ordinal <= last:
            continue
        for item in slot.items:
            points = difficulty_points(cd, item.norm_key)
            if points is not None and points >= threshold:
                out.append(make_finding(
                    norm, row, "last_lesson",
                    f"трудный предмет «{item.subject_name}» ({points:g} б.) на {slot.ordinal}-м уроке; "
                    f"рекомендуются 2–{last}-й уроки",
                    f"hard subject '{item.subject_name}' ({points:g} points) on lesson {slot.ordinal}; "
                    f"lessons 2–{last} are recommended", severity="warning",
                    **where(cd, lesson_id=item.lesson_id, period=slot.period)))
                break
    return out


def check_peak_days(week: list[ClassDay]) -> list[Finding]:
    """Tables 6.9–6.11 and the text next to them (2010 act; unverified for 2021): the daily sum of difficulty
    points peaks on Tuesday and/or Wednesday (norm "difficulty.peak_days"). Checked on full weeks only."""
    if not week or len(week) < week[0].klass.week_days:
        return []
    found = applicable(week[0], "difficulty.peak_days")
    if not found:
        return []
    norm, row = found
    lo, hi = int(row.value("first_day")), int(row.value("last_day"))
    totals = {cd.weekday: sum(difficulty_points(cd, i.norm_key) or 0 for s in cd.slots for i in s.items[:1])
              for cd in week}
    if not any(totals.values()):
        return []
    peak = max(totals.values())
    if any(totals.get(d, 0) == peak for d in range(lo, hi + 1)):
        return []
    peak_day = min(d for d, v in totals.items() if v == peak)
    return [make_finding(norm, row, "first_day",
                         f"пик трудности ({peak:g} б.) приходится на {WEEKDAY_RU[peak_day]}, а не на "
                         f"{WEEKDAY_RU[lo]} или {WEEKDAY_RU[hi]}",
                         f"the difficulty peak ({peak:g} points) falls on {WEEKDAY_EN[peak_day]}, not on "
                         f"{WEEKDAY_EN[lo]} or {WEEKDAY_EN[hi]}", severity="warning", class_id=week[0].klass.id,
                         dates=tuple(cd.date for cd in week))]
