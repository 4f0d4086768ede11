"""View-model of the «Готовность» page: the readiness board as frames and the survey workbook as bytes. The
logic is planner.school.readiness; this only shapes it for Streamlit."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from planner.school.model import School
from planner.school.readiness import ITEM_RU, readiness_board, write_survey


def classes_frame(school: School) -> pd.DataFrame:
    board = readiness_board(school)
    rows = []
    for c in board.classes:
        done = [i for i in c.items if i.done and i.by]
        rows.append({"Класс": c.name, "Готов": "да" if c.ready else "нет",
                     "Чего не хватает": "; ".join(i.missing_ru for i in c.missing),
                     "Куратор": c.curator or "не назначен",
                     "Отмечено": "; ".join(f"{ITEM_RU[i.key]}: {i.by}"
                                           + (f", {i.at:%d.%m.%Y}" if i.at else "") for i in done),
                     "Планировщик считает готовым": "да" if c.flags_ready else "нет"})
    return pd.DataFrame(rows, columns=["Класс", "Готов", "Чего не хватает", "Куратор", "Отмечено",
                                       "Планировщик считает готовым"])


def teachers_frame(school: School) -> pd.DataFrame:
    rows = []
    for t in school.teachers:
        r = t.readiness
        rows.append({"Учитель": t.name, "Устройство": r.device, "Гарнитура": r.headset, "Камера": r.camera,
                     "Интернет": r.internet, "Тестовый звонок": r.test_call is not None,
                     "Кто отметил": (r.checked.by + (f", {r.checked.at:%d.%m.%Y}" if r.checked.at else ""))
                     if r.checked else ""})
    return pd.DataFrame(rows, columns=["Учитель", "Устройство", "Гарнитура", "Камера", "Интернет", "Тестовый звонок",
                                       "Кто отметил"])


def survey_bytes(school: School) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "survey.xlsx"
        write_survey(school, path)
        return path.read_bytes()
