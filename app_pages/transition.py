"""Переход на дистант: the scenario form (planner.scenario.Scenario) with the norm-derived defaults of every
policy knob, their source and confidence; saved as Store kind "scenario"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import streamlit as st
from pydantic import ValidationError

from app_pages._shared import PAGES, norm_library, require_school, sample_dir_for, show_error, store
from planner.errors import InputError, input_error_from_validation, StaleSaveError, UnknownIdError
from planner.scenario.model import REASON_RU, Reason, Scenario, scenario_from_toml
from planner.ui.labels import ASYNC_RU, BUDGET_RU, REASON_LABELS, STATE_RU
from planner.storage.records import save_scenario, scenario_record
from planner.ui.records import scenario_labels
from planner.ui.view import NEXT_STEP, class_names_sorted, parse_ranges, selection_preview
from planner.ui.scenario_form import (KNOBS, KnobDefault, build_scenario, defaults_frame, knob_defaults, overrides_frame,
                                      teacher_states_frame)

s = store()
school, _version = require_school()
library = norm_library()
st.title("Переход на дистант")

NEW = "Новый сценарий"
saved = scenario_labels(s, school.id)
sample_dir = sample_dir_for(school.id)
samples = {f"Пример: {p.stem}": p for p in sorted((sample_dir / "scenarios").glob("*.toml"))} if sample_dir else {}
_loaded = st.session_state.get("sc_loaded")
if _loaded and _loaded["id"] and _loaded["pick"] not in saved:
    # the record was renamed (in another tab): keep editing it under its new label, with the pinned version
    relabel = next((lbl for lbl, i in saved.items() if i == _loaded["id"]), None)
    if relabel:
        _loaded["pick"] = relabel
        st.session_state["sc_pick"] = relabel
if "sc_pick_next" in st.session_state:  # after a save: show the saved record (set before the widget renders)
    st.session_state["sc_pick"] = st.session_state.pop("sc_pick_next")
pick = st.selectbox("Сценарий", [NEW, *saved, *samples], key="sc_pick")

FORM_KEYS = ["sc_name", "sc_reason", "sc_start", "sc_end", "sc_mode", "sc_grades", "sc_classes", "sc_exclude",
             "sc_by", "sc_desc", "sc_teachers", "sc_overrides", "kn_async_kind", "kn_budget", "kn_floor",
             "kn_subst", "kn_latest_end", *(f"kn_{k}" for k in KNOBS if k != "latest_end")]
class_names = {c.id: c.name for c in school.classes}
class_ids = {c.name: c.id for c in school.classes}


def load_into_form(scenario: Scenario, scenario_id: str | None, version: int | None) -> None:
    for k in FORM_KEYS:
        st.session_state.pop(k, None)
    st.session_state["sc_loaded"] = {"pick": pick, "id": scenario_id, "version": version,
                                     "base": scenario.model_dump(mode="json", by_alias=True)}
    ss = st.session_state
    ss["sc_name"], ss["sc_reason"] = scenario.name, REASON_RU[scenario.reason]
    ss["sc_start"], ss["sc_end"] = scenario.start, scenario.end
    sel = scenario.online
    ss["sc_mode"] = "вся школа" if sel.all else ("параллели" if sel.grades or sel.courses else "список классов")
    ss["sc_grades"] = ", ".join(sel.grades or sel.courses)
    ss["sc_classes"] = [class_names[c] for c in sel.classes if c in class_names]
    ss["sc_exclude"] = [class_names[c] for c in sel.exclude if c in class_names]
    ss["sc_by"], ss["sc_desc"] = scenario.created_by, scenario.description
    knobs = scenario.policy
    for k in KNOBS:
        if k != "latest_end":
            ss[f"kn_{k}"] = getattr(knobs, k)
    ss["kn_latest_end"] = knobs.latest_end or ""
    ss["kn_async_kind"] = ASYNC_RU[knobs.async_kind.value]
    ss["kn_budget"] = BUDGET_RU[knobs.budget_column]
    ss["kn_floor"] = knobs.subject_floor
    ss["kn_subst"] = knobs.substitutes_allowed


loaded = st.session_state.get("sc_loaded")
if loaded is None or loaded["pick"] != pick:
    try:
        if pick == NEW:
            monday = date.today() + timedelta(days=7 - date.today().weekday())
            load_into_form(Scenario(name="Новый сценарий", reason=Reason.WEATHER, start=monday,
                                    end=monday + timedelta(days=4)), None, None)
        elif pick in saved:
            rec = scenario_record(s, saved[pick])
            if rec is None:  # deleted in another tab since the list was read
                raise UnknownIdError("scenario", "сценария", saved[pick])
            load_into_form(Scenario.model_validate(rec.payload), rec.id, rec.version)
        else:
            load_into_form(scenario_from_toml(samples[pick]), None, None)
    except InputError as err:
        show_error(err, "выберите другой сценарий или исправьте файл")
        st.stop()
    loaded = st.session_state["sc_loaded"]
form: dict[str, Any] = loaded  # the scenario in the form: {"pick", "id", "version", "base"}
base = Scenario.model_validate(loaded["base"])
if loaded["id"]:
    st.caption(f"Сохранённый сценарий, версия {loaded['version']}")
elif pick != NEW:
    st.caption("Это пример сценария: сохраните его, чтобы пересобрать расписание.")

c1, c2 = st.columns([2, 1])
name = c1.text_input("Название", key="sc_name")
reason_label = c2.selectbox("Причина", list(REASON_LABELS), key="sc_reason")
c1, c2, c3 = st.columns(3)
start = c1.date_input("С", key="sc_start", format="DD.MM.YYYY")
end = c2.date_input("По", key="sc_end", format="DD.MM.YYYY")
created_by = c3.text_input("Кто составил", key="sc_by")
description = st.text_area("Основание (приказ, распоряжение)", key="sc_desc", height=68)

st.subheader("Какие классы уходят на дистант")
mode = st.radio("Классы", ["вся школа", "параллели", "список классов"], key="sc_mode", horizontal=True)
c1, c2 = st.columns(2)
grades = c1.text_input("Параллели (курсы): например 5-9 или 10, 11", key="sc_grades", disabled=mode != "параллели")
chosen = c1.multiselect("Классы", class_names_sorted(school), key="sc_classes", disabled=mode != "список классов",
                          placeholder="выберите классы")
exclude = c2.multiselect("Кроме классов", class_names_sorted(school), key="sc_exclude", placeholder="никого не исключать")
ranges = [g.strip() for g in grades.replace(";", ",").split(",") if g.strip()]
is_college = school.kind.value == "college"
online: dict[str, Any] = {"all": mode == "вся школа", "grades": [] if is_college or mode != "параллели" else ranges,
          "courses": ranges if is_college and mode == "параллели" else [],
          "classes": [class_ids[c] for c in chosen] if mode == "список классов" else [],
          "exclude": [class_ids[c] for c in exclude]}
# which classes the selection picks, before saving (bad parts of «1-9, …» named at the field)
good, bad = parse_ranges(grades) if mode == "параллели" else ([], [])
if bad:
    st.error("Параллели (курсы): не понятно " + ", ".join(f"«{x}»" for x in bad)
             + " — пишите число или диапазон через запятую, например 5-9 или 10, 11.")
try:
    picked = base.online.model_validate({**online, "grades": [g for g in online["grades"] if g in good],
                                         "courses": [g for g in online["courses"] if g in good]}).resolve(school)
except ValidationError:
    picked = []
st.caption(selection_preview(school, picked))

st.subheader("Учителя по датам")
st.caption("Болеет — урок не проводится онлайн, в школе — замена; только онлайн — учитель на карантине, но ведёт "
           "звонки. Пустые даты — весь сценарий.")
teacher_names = [t.name for t in school.teachers]
teachers_df = st.data_editor(
    teacher_states_frame(school, base), key="sc_teachers", num_rows="dynamic", hide_index=True, width="stretch",
    placeholder="",  # an empty date reads empty («весь сценарий»), not Streamlit's «None»
    column_config={"Учитель": st.column_config.SelectboxColumn("Учитель", options=teacher_names, required=True),
                   "Состояние": st.column_config.SelectboxColumn("Состояние", options=list(STATE_RU.values()),
                                                                 default="болеет", required=True),
                   "С": st.column_config.DateColumn("С", format="DD.MM.YYYY"),
                   "По": st.column_config.DateColumn("По", format="DD.MM.YYYY")})

st.subheader("Поправки по классам")
st.caption("Уточнённые устройства (сумма = учеников) и готовность класса; «Кто» обязателен — поправка "
           "записывается в план с его именем.")
overrides_df = st.data_editor(
    overrides_frame(school, base), key="sc_overrides", num_rows="dynamic", hide_index=True, width="stretch",
    placeholder="",
    column_config={"Класс": st.column_config.SelectboxColumn("Класс", options=list(class_ids), required=True),
                   "Готов": st.column_config.SelectboxColumn("Готов", options=["", "готов", "не готов"])})

st.subheader("Параметры политики")
st.caption("Пустое поле — значение по умолчанию из норм (указаны источник и достоверность; ⚠ M — значение не "
           "подтверждено первичным текстом).")
knob_values: dict[str, Any] = {}
defaults: dict[str, KnobDefault] = {}
try:
    preview = base.model_copy(update={"start": start, "end": max(start, end), "online": base.online.model_validate(online)})
    rep_ids = preview.online.resolve(school) or [c.id for c in school.classes]
    rep_label = st.selectbox("Значения по умолчанию показаны для класса", [class_names[c] for c in rep_ids],
                             key="sc_rep_class")
    defaults = {d.knob: d for d in knob_defaults(school, preview, library, class_ids[rep_label])}
except InputError as err:
    show_error(err, "проверьте даты: на них должны действовать нормы")
except ValidationError as err:
    show_error(input_error_from_validation(err, "сценарий"), "исправьте параллели или курсы: число или диапазон, "
                                                              "например 5-9")
cols = st.columns(3)
for i, (knob, (label, _fld, _unit)) in enumerate(KNOBS.items()):
    d = defaults.get(knob)
    hint = (f"по умолчанию {d.value} — {d.source_ru}" + (f", {d.act}, {d.clause}" if d.act else "")
            + (f"; достоверность {d.confidence}" if d.confidence else "") + (" ⚠ не подтверждено" if d and d.unverified else "")) if d else ""
    col = cols[i % 3]
    if knob == "latest_end":
        v = col.text_input(label, key="kn_latest_end", placeholder=d.value if d else "ЧЧ:ММ", help=hint)
        knob_values[knob] = v.strip() or None
    else:
        knob_values[knob] = col.number_input(label, key=f"kn_{knob}", value=None, step=1, min_value=0,
                                             placeholder=f"{d.value} (по умолчанию)" if d else "", help=hint)
    if d:
        col.caption(("⚠ " if d.unverified else "") + f"{d.value}: {d.source_ru}"
                    + (f" · {d.confidence}" if d.confidence else ""))
c1, c2, c3, c4 = st.columns(4)
async_label = c1.selectbox("Вид задания по умолчанию", list(ASYNC_RU.values()), key="kn_async_kind")
budget_label = c2.selectbox("Столбец табл. 6.8 для дневного предела", list(BUDGET_RU.values()), key="kn_budget")
floor = c3.number_input("Минимум онлайн-уроков по предмету", min_value=0, max_value=50, step=1, key="kn_floor")
subst = c4.checkbox("Разрешить замены в школе", key="kn_subst")
knob_values |= {"async_kind": {v: k for k, v in ASYNC_RU.items()}[async_label],
                "budget_column": {v: k for k, v in BUDGET_RU.items()}[budget_label],
                "subject_floor": int(floor), "substitutes_allowed": subst}
knob_values = {k: (int(v) if isinstance(v, float) else v) for k, v in knob_values.items()}
if defaults:
    with st.expander("Все значения по умолчанию с источниками", expanded=False):
        st.dataframe(defaults_frame(list(defaults.values()), base), hide_index=True, width="stretch")


def build() -> Scenario | None:
    try:
        return build_scenario(school, form["base"], name=name, reason=REASON_LABELS[reason_label], start=start,
                              end=end, online=online, teachers=teachers_df, overrides=overrides_df,
                              knobs=knob_values, created_by=created_by, description=description,
                              library=library)
    except InputError as err:
        show_error(err, "исправьте поле и сохраните ещё раз")
        return None


def do_save(as_new: bool) -> None:
    scenario = build()
    if scenario is None:
        return
    sid, ver = (None, None) if as_new or not form["id"] else (form["id"], form["version"])
    try:
        rec = save_scenario(s, school.id, scenario, sid, ver)
    except StaleSaveError as err:
        st.session_state["sc_stale"] = err.message_ru
        return
    label = next(lbl for lbl, i in scenario_labels(s, school.id).items() if i == rec.id)
    st.session_state["sc_loaded"] = {"pick": label, "id": rec.id, "version": rec.version,
                                     "base": scenario.model_dump(mode="json", by_alias=True)}
    st.session_state["sc_pick_next"] = label
    st.session_state["sc_note"] = f"Сценарий «{scenario.name}» сохранён (версия {rec.version})."
    st.rerun()


c1, c2, _ = st.columns([1, 1, 2])
if c1.button("Сохранить сценарий", key="sc_save", type="primary"):
    do_save(as_new=False)
if c2.button("Сохранить как новый", key="sc_save_new"):
    do_save(as_new=True)
if st.session_state.get("sc_stale"):
    st.error(st.session_state["sc_stale"])

    def _reload() -> None:
        st.session_state.pop("sc_stale", None)
        st.session_state.pop("sc_loaded", None)

    st.button("Загрузить свежую версию (ваши правки будут потеряны)", key="sc_reload", on_click=_reload)
if note := st.session_state.pop("sc_note", None):
    st.success(note)
    step_page, step_label = NEXT_STEP["scenario"]
    st.page_link(PAGES[step_page], label=step_label, icon=":material/arrow_forward:")
