"""Школа: choose or upload a timetable, save it into the database, the template, and edit classes, teachers and
chat links (validated by rebuilding the School model, saved with the record's version)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from app_pages._shared import PAGES, SAMPLES, current_school, select_school, show_error, store
from planner.errors import InputError, StaleSaveError
from planner.importers import SourceOptions, detect_format, load_school
from planner.importers.template import write_template
from planner.school.model import School
from planner.school.frames import classes_frame
from planner.ui.plain import plain
from planner.ui.school_edit import (DEVICES, READINESS, apply_chats, apply_classes, apply_editor_state,
                                    apply_teachers, chats_edit_frame, classes_edit_frame, teachers_edit_frame)
from planner.ui.importing import (page_source_options, read_group, result as imp_result, summary as imp_summary,
                                  upload_groups, warnings_rows)
from planner.ui.settings import SETTING_LABELS, TIMEZONES_RU, apply_school_settings
from planner.ui.view import NEXT_STEP, read_settings, write_setting

if TYPE_CHECKING:
    import pandas as pd

s = store()
st.title("Школа")

# ---------------------------------------------------------------- import
with st.expander("Загрузить расписание", expanded=current_school() is None or bool(st.session_state.get("imports"))):
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

    def import_options() -> SourceOptions:
        """What the school adds to an aSc/FET file, as typed; load_school reads it (a bad text names the field)."""
        return page_source_options(bells_text, grades_text, pupils_text)

    def read_local(path: Path, source_label: str) -> None:
        try:
            fmt = detect_format(path) if path.exists() else "unknown"
            loaded = load_school(path, import_options())
        except InputError as err:
            st.session_state["imports"] = [{"label": source_label, "error": err.text("ru")}]
            return
        st.session_state["imports"] = [imp_result(loaded, fmt, source_label)]

    if c2.button("Прочитать", key="read_path") and path_text.strip():
        read_local(Path(path_text.strip()).expanduser(), path_text.strip())
    if c4.button("Загрузить пример", key="load_sample"):
        read_local(SAMPLES[sample], sample)
    if st.button("Прочитать загруженные файлы", key="read_upload", disabled=not uploads):
        # every file is read or refused with its own message; the uploads may hold pupils' names (aSc exports
        # do): they are written to a temporary folder, read, and deleted at once
        with tempfile.TemporaryDirectory(prefix="planner-upload-") as tmp_name:
            tmp = Path(tmp_name)
            for f in uploads:
                (tmp / Path(f.name).name).write_bytes(f.getvalue())
            options = import_options()
            st.session_state["imports"] = [read_group(tmp, group, "загруженные файлы", options)
                                           for group in upload_groups([Path(f.name).name for f in uploads])]

    for i, imp in enumerate(st.session_state.get("imports", [])):
        if "error" in imp:
            st.error(f"Не прочитано: {imp['error']}\n\nЧто сделать: исправьте файл в указанном месте (лист/файл, "
                     "строка, поле) и загрузите его снова; образец заполнения — в шаблоне ниже.")
            continue
        school = School.model_validate(imp["school"])
        existing = s.get("school", school.id)
        text = f"Прочитано: {plain(imp_summary(school))} (источник: {plain(imp['label'])})"
        if imp["warnings"]:
            st.warning(text + f". Замечаний: {len(imp['warnings'])} — сохранить можно, они останутся на этой "
                              "странице до отметки «Прочитано».")
            with st.expander("Замечания импорта"):
                st.dataframe(warnings_rows(imp["warnings"]), hide_index=True, width="stretch",
                             key=f"import_warnings_{i}")
        else:
            st.success(text)
        if existing:
            st.info(f"В базе уже есть «{plain(existing.payload['name'])}» (версия {existing.version}); сохранение заменит её.")
        save_key = "import_save" if i == 0 else f"import_save_{i}"
        with st.form(f"import_form_{i}", border=bool(imp["missing"])):
            if imp["missing"]:
                st.markdown("В файле нет: " + ", ".join(SETTING_LABELS[m] for m in imp["missing"])
                            + ". Укажите перед сохранением:")
                name = st.text_input("Название", value=school.name, key=f"imp_name_{i}")
                zones = dict(TIMEZONES_RU) | {school.timezone: TIMEZONES_RU.get(school.timezone, school.timezone)}
                tz = st.selectbox("Часовой пояс", list(zones), index=list(zones).index(school.timezone),
                                  format_func=zones.__getitem__, key=f"imp_tz_{i}")
                y1c, y2c = st.columns(2)
                y1 = y1c.date_input("Учебный год: начало", value=school.calendar.year_start, format="DD.MM.YYYY",
                                    key=f"imp_y1_{i}")
                y2 = y2c.date_input("Учебный год: конец", value=school.calendar.year_end, format="DD.MM.YYYY",
                                    key=f"imp_y2_{i}")
            go = st.form_submit_button("Сохранить в базу", key=save_key, type="primary")
        if go:
            try:
                if imp["missing"]:
                    school = apply_school_settings(school, name=name, timezone=tz, year_start=y1, year_end=y2)
                record = s.save_school(school, existing.version if existing else None)
            except StaleSaveError as err:
                show_error(err, "прочитайте файл ещё раз: сравнение пойдёт со свежей версией в базе")
            except InputError as err:
                show_error(err, "исправьте поле и сохраните ещё раз")
            else:
                st.session_state.pop("imports", None)
                st.session_state.pop("edit_pin", None)  # the editors start from the version just saved
                notes = read_settings(s.data_dir).get("import_notes", {})
                notes[school.id] = {"source": imp["label"], "saved": f"версия {record.version}",
                                    "warnings": imp["warnings"]}
                write_setting(s.data_dir, "import_notes", notes)
                st.session_state["saved_note"] = (f"Сохранено в базу: {imp_summary(school)} "
                                                  f"(версия данных {record.version}).")
                select_school(school.id)
                st.rerun()

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "shablon-raspisaniya.xlsx"
        write_template(out, russian=True)  # Russian sheets and columns; English names are read too
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
pinned_version: int = pin["version"]

st.subheader(plain(school.name))
cal = school.calendar
st.caption(f"Часовой пояс: {TIMEZONES_RU.get(school.timezone, school.timezone)} · учебный год {cal.year_start:%d.%m.%Y}–{cal.year_end:%d.%m.%Y} · "
           f"классов: {len(school.classes)} · учителей: {len(school.teachers)} · уроков в расписании: "
           f"{len(school.lessons)} · версия записи {pin['version']} · название, часовой пояс и год — на странице "
           "«Настройки»")
if version_now != pin["version"]:
    st.warning(f"Школу изменили в другом окне (сохранена версия {version_now}, вы правите версию {pin['version']}).")


def reload_fresh() -> None:
    st.session_state.pop("edit_pin", None)
    for k in ("ed_classes", "ed_teachers", "ed_chats"):
        st.session_state.pop(k, None)


def save(apply: Callable[[School, pd.DataFrame], School], frame: pd.DataFrame, state_key: str) -> None:
    edited = apply_editor_state(frame, st.session_state.get(state_key))
    try:
        new = apply(school, edited)
        record = s.save_school(new, pinned_version)
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


notes = read_settings(s.data_dir).get("import_notes", {})
if note := notes.get(school.id):
    with st.container(border=True):
        st.markdown(f"**Итог импорта** ({note['source']}, {note['saved']}): "
                    + (f"замечаний {len(note['warnings'])} — исправьте их в таблицах ниже или в исходном файле."
                       if note["warnings"] else "замечаний нет."))
        if note["warnings"]:
            st.dataframe(warnings_rows(note["warnings"]), hide_index=True, width="stretch", key="import_notes")
        if st.button("Прочитано, скрыть", key="import_notes_dismiss"):
            notes.pop(school.id, None)
            write_setting(s.data_dir, "import_notes", notes)
            st.rerun()
step_page, step_label = NEXT_STEP["import"]
st.page_link(PAGES[step_page], label=step_label, icon=":material/arrow_forward:")

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
    # internal ids stay hidden (the rows are matched by them); a school has no courses, a college no grades
    unused = "Курс" if school.kind.value == "school" else "Параллель"
    st.data_editor(frame, key="ed_classes", hide_index=True, width="stretch", placeholder="", disabled=["id"],
                   column_config={"id": None, unused: None,
                                  "Класс": st.column_config.TextColumn("Класс", pinned=True)}
                   | {label: st.column_config.CheckboxColumn(label) for label in READINESS.values()}
                   | {label: st.column_config.NumberColumn(label, min_value=0, step=1) for label in DEVICES.values()})
    if st.button("Сохранить", key="save_classes", type="primary"):
        save(apply_classes, frame, "ed_classes")
with tab_teachers:
    st.caption("Предметы — коды через «;» (лист subjects); «Недоступен» — дни «6» или день:урок «1:7» через «;».")
    tframe = teachers_edit_frame(school)
    st.data_editor(tframe, key="ed_teachers", hide_index=True, width="stretch", placeholder="", disabled=["id"],
                   column_config={"id": None})
    if st.button("Сохранить", key="save_teachers", type="primary"):
        save(apply_teachers, tframe, "ed_teachers")
with tab_chats:
    st.caption("Ссылки на чаты классов в MAX/Сферуме: класс — код класса, предмет — код предмета (пусто — общий чат).")
    cframe = chats_edit_frame(school)
    st.data_editor(cframe, key="ed_chats", hide_index=True, width="stretch", placeholder="", num_rows="dynamic")
    if st.button("Сохранить", key="save_chats", type="primary"):
        save(apply_chats, cframe, "ed_chats")
with tab_view:
    st.dataframe(classes_frame(school), hide_index=True, width="stretch")
