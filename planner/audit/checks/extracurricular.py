"""Check of the gap between lessons and after-lesson extracurricular activity."""

from __future__ import annotations

from planner.audit.checks.common import applicable, where
from planner.audit.findings import Finding, make_finding
from planner.audit.views import ClassDay, hhmm


def check_extracurricular_gap(cd: ClassDay) -> list[Finding]:
    """СанПиН 1.2.3685-21, табл. 6.6: at least 30 minutes between the last lesson and extracurricular activity
    that follows it (norm "extracurricular.gap_minutes"; СП's 20 minutes before факультатив recorded as the
    weaker value). Extracurricular slots before the lessons (e.g. «Разговоры о важном») are not checked."""
    found = applicable(cd, "extracurricular.gap_minutes")
    if not found or cd.klass.ovz:
        return []
    norm, row = found
    lessons = [s for s in cd.slots if s.is_lesson]
    if not lessons:
        return []
    last_lesson = lessons[-1]
    after = [s for s in cd.slots if not s.is_lesson and s.start >= last_lesson.end]
    if not after:
        return []
    gap = after[0].start - last_lesson.end
    if gap >= row.minutes():
        return []
    return [make_finding(norm, row, "value",
                         f"между последним уроком ({hhmm(last_lesson.end)}) и внеурочным занятием "
                         f"({hhmm(after[0].start)}) {gap} мин, меньше {row.value()} мин",
                         f"{gap} min between the last lesson ({hhmm(last_lesson.end)}) and extracurricular activity "
                         f"({hhmm(after[0].start)}), less than {row.value()} min",
                         **where(cd, period=after[0].period))]
