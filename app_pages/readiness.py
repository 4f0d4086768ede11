"""Готовность: the readiness board per class and teacher (004 §3.3), the curators' survey workbook (download,
fill, upload) and a test call or a teacher's kit recorded by hand. Thin over planner.school.readiness."""

from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from pathlib import Path

import streamlit as st

from app_pages._shared import require_school, show_error, store
from planner.school.model import School
from planner.school.readiness import read_survey, readiness_board, record_item, record_teacher
from planner.ui.readiness_view import classes_frame, survey_bytes, teachers_frame

s = store()
school, version = require_school()
st.title("Готовность к дистанту")
board = readiness_board(school)
st.subheader(board.summary_ru())
st.caption("Пункты — по положению об использовании Сферума (п. 3.3): чаты по предметам, администратор-предметник "
           "в каждом чате, участники, тестовый звонок, устройства учеников и учителей.")
st.dataframe(classes_frame(school), hide_index=True, width="stretch")


def _save(new: School, done: str) -> None:
    try:
        s.save_school(new, version)
    except Exception as err:
        show_error(err, "обновите страницу: данные школы изменились")
    else:
        st.success(done)
        st.rerun()


st.markdown("**Опрос кураторов**")
st.download_button("Скачать книгу опроса (XLSX)", survey_bytes(school), file_name=f"опрос-{school.id}.xlsx",
                   key="rd_survey_out")
who = st.text_input("Кто вносит (ФИО)", key="rd_by")
upload = st.file_uploader("Заполненная книга опроса", type=["xlsx"], key="rd_survey_in")
if upload is not None and st.button("Загрузить опрос", key="rd_survey_apply", type="primary"):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "survey.xlsx"
        path.write_bytes(upload.getvalue())
        try:
            new = read_survey(school, path, now=datetime.now(timezone.utc), entered_by=who)
        except Exception as err:
            show_error(err, "исправьте указанную ячейку и загрузите книгу снова")
        else:
            _save(new, "Опрос загружен.")

st.markdown("**Отметить вручную**")
c1, c2 = st.columns(2)
names = {c.name: c.id for c in school.classes}
picked = c1.selectbox("Класс", list(names), key="rd_class")
if c1.button("Тестовый звонок проведён", key="rd_test_call"):
    try:
        new = record_item(school, names[picked], "test_call", by=who, at=datetime.now(timezone.utc))
    except Exception as err:
        show_error(err, "укажите, кто отмечает")
    else:
        _save(new, f"{picked}: тестовый звонок отмечен.")
tnames = {t.name: t.id for t in school.teachers}
teacher = c2.selectbox("Учитель", list(tnames), key="rd_teacher")
kit = {k: c2.checkbox(label, key=f"rd_kit_{k}") for k, label in (("device", "Устройство"), ("headset", "Гарнитура"),
                                                            ("camera", "Камера"), ("internet", "Интернет"),
                                                            ("test_call", "Тестовый звонок"))}
if c2.button("Сохранить готовность учителя", key="rd_teacher_save"):
    try:
        new = record_teacher(school, tnames[teacher], by=who, at=datetime.now(timezone.utc), **kit)
    except Exception as err:
        show_error(err, "укажите, кто отмечает")
    else:
        _save(new, f"{teacher}: готовность сохранена.")

st.markdown("**Учителя**")
st.dataframe(teachers_frame(school), hide_index=True, width="stretch")
