"""Школа: choose or upload a timetable, save it into the database, the template, and edit classes, teachers and
chat links (validated by rebuilding the School model, saved with the record's version)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app_pages._shared import SAMPLES, current_school, select_school, show_error, store
from planner.errors import InputError, StaleSaveError
from planner.importers import load_school
from planner.importers.template import write_template
from planner.school.model import School
from planner.school.frames import classes_frame
from planner.ui.school_edit import (DEVICES, READINESS, apply_chats, apply_classes, apply_editor_state,
                                    apply_teachers, chats_edit_frame, classes_edit_frame, teachers_edit_frame,
                                    warnings_frame)

s = store()
st.title("Школа")

# ---------------------------------------------------------------- import
with st.expander("Загрузить расписание", expanded=current_school() is None):
    st.markdown("Книга **XLSX**, файл школы **JSON**, несколько файлов **CSV** (school.csv, classes.csv, …), "
                "выгрузка aSc Timetables (**XML**) или FET (**.fet**) — формат определяется по содержимому.")
    uploads = st.file_uploader("Файлы расписания", accept_multiple_files=True, key="upload",
                               type=["xlsx", "json", "csv", "xml", "fet"])
    c1, c2 = st.columns([3, 1])
    path_text = c1.text_input("…или путь к файлу/папке на этом компьютере", key="source_path")
    c3, c4 = st.columns([3, 1])
    sample = c3.selectbox("…или пример", list(SAMPLES), key="sample")
    with st.expander("Чего нет в файле aSc/FET: звонки, классы, число учеников"):
        bells_text = st.text_input("Звонки (если в файле FET часы без времени)", key="imp_bells",
                                   placeholder="08:30-09:15, 09:25-10:10, …")
        grades_text = st.text_input("Класс или курс по названию (к — курс колледжа)", key="imp_grades",
                                    placeholder="101=10, 201=2к")
        pupils_text = st.text_input("Число учеников", key="imp_pupils", placeholder="7А=25, *=25")

    def read(path: Path, source_label: str) -> None:
        from planner.importers import ImportOptions
        from planner.importers import hints

        try:
            loaded = load_school(path, ImportOptions(
                bells=hints.parse_bells(bells_text, "Звонки") if bells_text.strip() else None,
                grades=hints.parse_grades(grades_text, "Классы") if grades_text.strip() else {},
                pupils=hints.parse_pupils(pupils_text, "Число учеников") if pupils_text.strip() else {}))
        except InputError as err:
            st.session_state.pop("import", None)
            show_error(err, "исправьте файл в указанном месте (лист/файл, строка, поле) и загрузите его снова; "
                            "образец заполнения — в шаблоне ниже")
            return
        existing = s.get("school", loaded.school.id)
        st.session_state["import"] = {"school": loaded.school.model_dump(mode="json"), "source": source_label,
                                      "warnings": warnings_frame(loaded.warnings).to_dict("records"),
                                      "version": existing.version if existing else None}

    if c2.button("Прочитать", key="read_path") and path_text.strip():
        read(Path(path_text.strip()).expanduser(), path_text.strip())
    if c4.button("Загрузить пример", key="load_sample"):
        read(SAMPLES[sample], sample)
    if st.button("Прочитать загруженные файлы", key="read_upload", disabled=not uploads):
        # the uploaded files may hold pupils' names (aSc exports do): read them and delete them at once
        with tempfile.TemporaryDirectory(prefix="planner-upload-") as tmp_name:
            tmp = Path(tmp_name)
            for f in uploads:
                (tmp / Path(f.name).name).write_bytes(f.getvalue())
            csvs = [f for f in uploads if f.name.lower().endswith(".csv")]
            read(tmp if csvs else tmp / Path(uploads[0].name).name, ", ".join(f.name for f in uploads))

    imp = st.session_state.get("import")
    if imp:
        school = School.model_validate(imp["school"])
        st.success(f"Прочитано: {school.name} — классов {len(school.classes)}, учителей {len(school.teachers)}, "
                   f"уроков {len(school.lessons)} (источник: {imp['source']})")
        if imp["warnings"]:
            st.warning(f"Замечаний при импорте: {len(imp['warnings'])}. Они не мешают сохранению; исправьте их в "
                       "исходном файле (где — в первом столбце) или в таблицах ниже после сохранения.")
            st.dataframe(imp["warnings"], hide_index=True, width="stretch", key="import_warnings")
        if imp["version"]:
            st.info(f"В базе уже есть «{school.name}» (версия {imp['version']}); сохранение заменит её.")
        if st.button("Сохранить в базу", key="import_save", type="primary"):
            try:
                s.save_school(school, imp["version"])
            except StaleSaveError as err:
                show_error(err, "прочитайте файл ещё раз: сравнение пойдёт со свежей версией в базе")
                st.session_state.pop("import", None)
            else:
                st.session_state.pop("import", None)
                st.session_state.pop("edit_pin", None)  # the editors start from the version just saved
                select_school(school.id)
                st.rerun()

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "shablon-raspisaniya.xlsx"
        write_template(out)
        st.download_button("Скачать шаблон XLSX", out.read_bytes(), file_name="шаблон-расписания.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="template")

# ---------------------------------------------------------------- the stored school
loaded = current_school()
if loaded is None:
    st.info("В базе нет ни одной школы: загрузите расписание или пример выше.")
    st.stop()

school_now, version_now = loaded
# The editors work on a pinned copy: a save names the version it was based on, so a save over another tab's
# newer save is refused (StaleSaveError) instead of silently overwriting it.
pin = st.session_state.get("edit_pin")
if pin is None or pin["id"] != school_now.id:
    for k in ("ed_classes", "ed_teachers", "ed_chats"):
        st.session_state.pop(k, None)
    pin = st.session_state["edit_pin"] = {"id": school_now.id, "version": version_now,
                                          "school": school_now.model_dump(mode="json")}
school = School.model_validate(pin["school"])

st.subheader(school.name)
cal = school.calendar
st.caption(f"Часовой пояс: {school.timezone} · учебный год {cal.year_start:%d.%m.%Y}–{cal.year_end:%d.%m.%Y} · "
           f"классов: {len(school.classes)} · учителей: {len(school.teachers)} · уроков в расписании: "
           f"{len(school.lessons)} · версия записи {pin['version']}")
if version_now != pin["version"]:
    st.warning(f"Школу изменили в другом окне (сохранена версия {version_now}, вы правите версию {pin['version']}).")


def reload_fresh() -> None:
    st.session_state.pop("edit_pin", None)
    for k in ("ed_classes", "ed_teachers", "ed_chats"):
        st.session_state.pop(k, None)


def save(apply, frame, state_key: str) -> None:
    edited = apply_editor_state(frame, st.session_state.get(state_key))
    try:
        new = apply(school, edited)
        record = s.save_school(new, pin["version"])
    except StaleSaveError as err:
        st.session_state["stale"] = err.message_ru
        st.rerun()  # the message and the reload button sit above the tables
    except InputError as err:
        show_error(err, "исправьте значение в таблице и нажмите «Сохранить» ещё раз")
        return
    st.session_state["edit_pin"] = {"id": new.id, "version": record.version, "school": new.model_dump(mode="json")}
    st.session_state.pop(state_key, None)
    st.session_state["saved_note"] = f"Сохранено: версия {record.version}."
    st.rerun()


if st.session_state.get("stale"):
    st.error(st.session_state["stale"])
    if st.button("Загрузить свежую версию", key="reload_fresh", on_click=reload_fresh):
        st.session_state.pop("stale", None)
        st.rerun()
if note := st.session_state.pop("saved_note", None):
    st.success(note)

tab_classes, tab_teachers, tab_chats, tab_view = st.tabs(["Классы", "Учителя", "Чаты", "Сводка"])
with tab_classes:
    st.caption("Параллель (школа) или курс (колледж), возраст, число учеников по устройствам (сумма = учеников) и "
               "готовность к дистанту. Правки сохраняются кнопкой «Сохранить».")
    frame = classes_edit_frame(school)
    st.data_editor(frame, key="ed_classes", hide_index=True, width="stretch", disabled=["id"],
                   column_config={label: st.column_config.CheckboxColumn(label) for label in READINESS.values()}
                   | {label: st.column_config.NumberColumn(label, min_value=0, step=1) for label in DEVICES.values()})
    if st.button("Сохранить", key="save_classes", type="primary"):
        save(apply_classes, frame, "ed_classes")
with tab_teachers:
    st.caption("Предметы — коды через «;» (лист subjects); «Недоступен» — дни «6» или день:урок «1:7» через «;».")
    tframe = teachers_edit_frame(school)
    st.data_editor(tframe, key="ed_teachers", hide_index=True, width="stretch", disabled=["id"])
    if st.button("Сохранить", key="save_teachers", type="primary"):
        save(apply_teachers, tframe, "ed_teachers")
with tab_chats:
    st.caption("Ссылки на чаты классов в MAX/Сферуме: класс — код класса, предмет — код предмета (пусто — общий чат).")
    cframe = chats_edit_frame(school)
    st.data_editor(cframe, key="ed_chats", hide_index=True, width="stretch", num_rows="dynamic")
    if st.button("Сохранить", key="save_chats", type="primary"):
        save(apply_chats, cframe, "ed_chats")
with tab_view:
    st.dataframe(classes_frame(school), hide_index=True, width="stretch")
