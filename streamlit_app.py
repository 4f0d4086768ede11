"""The deputy director's page (Russian). A thin view over the planner library: no solver or norm logic here.

Until the page issue lands this is one page: the school stored in the data directory (the sample school on
first start), its classes, teachers, a class's week and the SanPiN audit of a chosen week.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from planner.audit import audit_school
from planner.errors import InputError
from planner.importers import load_school
from planner.norms import NormLibrary
from planner.school.frames import classes_frame, teachers_frame, week_grid
from planner.storage import Store

ROOT = Path(__file__).resolve().parent
SAMPLES = {"Школа № 17 (пример)": ROOT / "sample_data" / "school-17",
           "Техникум (пример)": ROOT / "sample_data" / "college-ptk"}

st.set_page_config(page_title="Планировщик дистанта", page_icon="🗓️", layout="wide")


@st.cache_resource
def store(data_dir: str | None) -> Store:
    return Store.open(data_dir)


@st.cache_resource
def norm_library() -> NormLibrary:
    return NormLibrary.load()


def ensure_samples(s: Store) -> None:
    """On first start, put the sample institutions into the (empty) database."""
    if s.list("school"):
        return
    for path in SAMPLES.values():
        if path.exists():
            school = load_school(path).school
            if s.get("school", school.id) is None:
                s.save_school(school, None)


s = store(os.environ.get("PLANNER_DATA_DIR"))
ensure_samples(s)
records = sorted(s.list("school"), key=lambda r: (r.payload.get("kind") == "college", r.payload["name"]))

st.title("Планировщик дистанционного обучения и проверка СанПиН")
if not records:
    st.warning("В базе нет ни одной школы. Загрузите расписание (CSV-папку, книгу XLSX или файл JSON).")
    st.stop()

ids_by_name = {r.payload["name"]: r.id for r in records}
school_id = ids_by_name[st.sidebar.selectbox("Образовательная организация", list(ids_by_name), key="school")]
school = s.load_school(school_id)
record = s.get("school", school_id)
st.sidebar.caption(f"Версия записи: {record.version}, изменена {record.updated_at[:16].replace('T', ' ')} UTC")

st.subheader(school.name)
cal = school.calendar
st.caption(f"Часовой пояс: {school.timezone} · учебный год {cal.year_start:%d.%m.%Y}–{cal.year_end:%d.%m.%Y} · "
           f"классов: {len(school.classes)} · учителей: {len(school.teachers)} · уроков в расписании: "
           f"{len(school.lessons)}")

tab_classes, tab_week, tab_teachers, tab_audit = st.tabs(["Классы", "Расписание недели", "Учителя", "СанПиН"])

with tab_classes:
    st.dataframe(classes_frame(school), hide_index=True, width="stretch")

default_monday = max(cal.year_start, min(date.today(), cal.year_end))
default_monday -= timedelta(days=default_monday.isoweekday() - 1)

with tab_week:
    col1, col2 = st.columns([1, 1])
    class_ids = {c.name: c.id for c in school.classes}
    class_id = class_ids[col1.selectbox("Класс", list(class_ids), key="week_class")]
    monday = col2.date_input("Неделя с понедельника", value=default_monday, format="DD.MM.YYYY", key="week_monday")
    monday = monday - timedelta(days=monday.isoweekday() - 1)
    grid = week_grid(school, class_id, monday)
    if grid.empty:
        st.info("На этой неделе у класса нет уроков (каникулы или вне учебного года).")
    else:
        st.dataframe(grid, width="stretch")

with tab_teachers:
    st.dataframe(teachers_frame(school), hide_index=True, width="stretch")

with tab_audit:
    c1, c2 = st.columns(2)
    start = c1.date_input("С", value=default_monday, format="DD.MM.YYYY", key="audit_from")
    end = c2.date_input("По", value=default_monday + timedelta(days=6), format="DD.MM.YYYY", key="audit_to")
    try:
        report = audit_school(school, norm_library(), start, end)
    except InputError as err:
        st.error(err.text("ru"))
    else:
        for note in report.notices_ru:
            st.warning(note)
        m1, m2 = st.columns(2)
        m1.metric("Нарушения", len(report.violations))
        m2.metric("Предупреждения", len(report.warnings))
        if report.violations:
            st.error("Расписание нарушает обязательные нормы — см. таблицу.")
        else:
            st.success("Обязательные нормы соблюдены.")
        if report.findings:
            st.dataframe(pd.DataFrame([{
                "Уровень": "нарушение" if f.severity == "violation" else "предупреждение",
                "Норма": f"{f.act}, {f.clause}", "Достоверность": f.confidence, "Класс": f.class_id or "",
                "Учитель": f.teacher_id or "", "Даты": ", ".join(d.strftime("%d.%m") for d in f.dates[:6])
                + (" …" if len(f.dates) > 6 else ""), "Описание": f.message_ru, "Политика": f.policy_note,
            } for f in report.findings]), hide_index=True, width="stretch")
        st.caption("Наборы норм: " + ", ".join(report.norm_sets))
