"""Tables of a school for display (pandas at the edge): the classes."""

from __future__ import annotations

import pandas as pd

from planner.school.model import School


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
