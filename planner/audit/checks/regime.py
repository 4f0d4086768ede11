"""Checks of the class's regime: shifts and the 1st grade's five-day week."""

from __future__ import annotations

from planner.audit.checks.common import applicable
from planner.audit.findings import Finding, make_finding
from planner.audit.views import ClassDay


def check_first_shift_only(cd: ClassDay) -> list[Finding]:
    """СП 2.4.3648-20, п. 3.4.16: 1st, 5th, graduating 9th and 11th grades and ОВЗ classes learn in the first
    shift; sources disagree on 10th and 11th (unverified rows give warnings) (norm "shifts.first_shift_only")."""
    norm = cd.norms.get("shifts.first_shift_only")
    if norm is None or cd.klass.is_college or cd.day_type not in norm.applies_to:
        return []
    rows = [r for r in norm.rows if r.matches(cd.norm_query())]
    out = []
    for row in rows:
        if cd.klass.shift > int(row.value("max_shift")):
            why_ru = "класс для обучающихся с ОВЗ" if "ovz" in row.selectors else f"{cd.klass.grade}-й класс"
            why_en = "a class for pupils with disabilities (ОВЗ)" if "ovz" in row.selectors else \
                f"grade {cd.klass.grade}"
            out.append(make_finding(norm, row, "max_shift",
                                    f"{why_ru} учится во {cd.klass.shift}-ю смену; допускается только первая",
                                    f"{why_en} is in shift {cd.klass.shift}; only the first shift is allowed",
                                    class_id=cd.klass.id, dates=(cd.date,)))
    out.sort(key=lambda f: f.severity != "violation")  # one finding per class day, the strongest
    return out[:1]


def check_grade1_five_day_week(cd: ClassDay) -> list[Finding]:
    """СанПиН 1.2.3685-21, табл. 6.6: 1st grade learns on a five-day week only (norm "grade1.five_day_week")."""
    if cd.klass.grade != 1:
        return []
    found = applicable(cd, "grade1.five_day_week")
    if not found:
        return []
    norm, row = found
    if cd.klass.week_days <= int(row.value()):
        return []
    return [make_finding(norm, row, "value", f"1-й класс учится {cd.klass.week_days} дней в неделю; допускается "
                         f"только пятидневная неделя", f"grade 1 learns {cd.klass.week_days} days a week; "
                         f"only a five-day week is allowed", class_id=cd.klass.id, dates=(cd.date,))]
