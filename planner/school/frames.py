"""Tables of a school for display (pandas at the edge): classes, teachers, a class's week as a grid."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from planner.school.calendar import lessons_on
from planner.school.model import WEEKDAY_NAMES_RU, School


def classes_frame(school: School) -> pd.DataFrame:
    rows = []
    for c in school.classes:
        rows.append({
            "Класс": c.name, "Параллель": c.grade if c.grade is not None else f"{c.course} курс",
            "Возраст": f"{c.age_min}–{c.age_max}", "Учеников": c.students, "Смена": c.shift,
            "Дней в неделю": c.week_days, "ОВЗ": "да" if c.ovz else "", "ПК": c.devices.pc,
            "Ноутбук": c.devices.laptop, "Планшет": c.devices.tablet, "Только телефон": c.devices.phone,
            "Нет устройства": c.devices.none, "Готов к дистанту": "да" if c.readiness.ready else "нет",
        })
    return pd.DataFrame(rows)


def teachers_frame(school: School) -> pd.DataFrame:
    subjects = {s.id: s.name for s in school.subjects}
    load: dict[str, int] = {}
    for le in school.lessons:
        for t in le.teachers:
            load[t] = load.get(t, 0) + le.duration
    return pd.DataFrame([{"Учитель": t.name, "Предметы": ", ".join(subjects.get(s, s) for s in t.subjects),
                          "Уроков во всех версиях": load.get(t.id, 0)} for t in school.teachers])


def week_grid(school: School, class_id: str, monday: date) -> pd.DataFrame:
    """Rows = periods (with times), columns = the class's school days of the week starting on monday."""
    klass = school.class_by_id(class_id)
    subjects = {s.id: s.name for s in school.subjects}
    teachers = {t.id: t.name for t in school.teachers}
    groups = {g.id: g.name for g in klass.groups}
    columns: dict[str, dict[str, str]] = {}
    period_labels: dict[int, str] = {}
    for i in range(7):
        day = monday + timedelta(days=i)
        dated = lessons_on(school, klass, day)
        if not dated:
            continue
        col = f"{WEEKDAY_NAMES_RU[day.isoweekday()]} {day:%d.%m}"
        cells: dict[int, list[str]] = {}
        for d in dated:
            who = ", ".join(teachers.get(t, t).split()[0] for t in d.lesson.teachers)
            grp = f" [{', '.join(groups.get(g, g) for g in d.lesson.groups)}]" if d.lesson.groups else ""
            for p in d.lesson.periods:
                cells.setdefault(p, []).append(f"{subjects.get(d.lesson.subject, d.lesson.subject)}{grp} ({who})")
                bells = school.bells_by_id(klass.bell_schedule).on(day)
                per = bells.period(p) if bells is not None else None  # lessons_on has checked both exist
                period_labels.setdefault(p, f"{p}. {per.start:%H:%M}–{per.end:%H:%M}" if per is not None else f"{p}.")
        columns[col] = {period_labels[p]: " / ".join(v) for p, v in cells.items()}
    frame = pd.DataFrame(columns)
    order = [period_labels[p] for p in sorted(period_labels)]
    return frame.reindex(order).fillna("")
