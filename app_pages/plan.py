"""План: the rebuild (planner.rebuild.rebuild) in a background thread with live progress, a time limit and
cancel; the plan saved as Store kind "plan"; the week grid per class and per teacher, a lesson's reasons,
screen minutes against the cap, pupils without a permitted device."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from app_pages._shared import PAGES, jobs, norm_library, require_school, show_error, store
from planner.norms.status import budget_column_text
from planner.scenario.model import Scenario
from planner.plan.ownership import plan_belongs_to
from planner.ui.jobs import start_rebuild
from planner.ui.labels import MODE_COLOUR, MODE_ICON, MODE_RU
from planner.ui.plan_view import (CHANGED_MARK, SUMMARY_NOTE, grid_styler, lesson_choices, lesson_details, mode_counts, plan_grid,
                                  screen_frame, summary_frame)
from planner.ui.plain import plain
from planner.storage.records import load_plan, plan_records, scenario_record
from planner.text import institution_words
from planner.ui.records import plan_labels, scenario_labels
from planner.ui.view import DEGRADED, NEXT_STEP, class_names_sorted, rebuild_progress, status_words

s = store()
school, _version = require_school()
library = norm_library()
st.title("План")

scenarios = scenario_labels(s, school.id)
if not scenarios:
    st.info("Сохранённых сценариев нет: сначала опишите переход на дистант.")
    st.page_link(PAGES["transition"], label="Переход на дистант", icon="❄️")
    st.stop()

c1, c2, c3 = st.columns([3, 1, 1])
sc_label = c1.selectbox("Сценарий", list(scenarios), key="plan_scenario")
scenario_id = scenarios[sc_label]
time_limit = c2.number_input("Предел времени, с", min_value=1, max_value=600, value=10, step=1,
                             key="plan_time_limit")
if school.incomplete is not None:
    st.warning(f"{school.incomplete.text('ru').capitalize()}.")
    st.checkbox("Принять частичное расписание и пересобрать по размещённым урокам", key="plan_accept_partial")
registry = jobs()
_rec = scenario_record(s, scenario_id)
scenario_dates = {scenario_id: (date.fromisoformat(_rec.payload["start"]), date.fromisoformat(_rec.payload["end"]))} \
    if _rec else {}
# the rebuild job of THIS school and scenario: another school's run or result never shows here
JOB_KEY = f"job_id:{school.id}:{scenario_id}"
job = registry.get(st.session_state.get(JOB_KEY, ""))
running = job is not None and not job.done
if c3.button("Пересобрать", key="plan_rebuild", type="primary", disabled=running):
    rec = scenario_record(s, scenario_id)
    if rec is None:  # deleted in another tab since the list was read
        st.error("Сценарий не найден — возможно, его удалили. Выберите другой.")
        st.stop()
    try:
        scenario = Scenario.model_validate(rec.payload)
    except Exception as err:  # noqa: BLE001
        show_error(err, "откройте сценарий на странице «Переход на дистант» и сохраните его заново")
        st.stop()
    job = start_rebuild(s, school, scenario, scenario_id, library, time_limit=float(time_limit),
                        accept_partial=bool(st.session_state.get("plan_accept_partial")))
    registry[job.id] = job
    st.session_state[JOB_KEY] = job.id
    running = True


@st.fragment(run_every=0.5 if running else None)
def progress() -> None:
    job = registry.get(st.session_state.get(JOB_KEY, ""))
    if job is None:
        return
    snap = job.snapshot()
    m = st.columns(3)
    m[0].metric("Найдено решений", snap.solutions)
    m[1].metric("Прошло, с", f"{snap.elapsed:.1f}")
    m[2].metric("Сейчас решается", f"{snap.date[8:10]}.{snap.date[5:7]}, часть {snap.component}"
                if snap.date and snap.state == "running" else "—")
    with st.expander("Подробнее для специалиста"):
        st.caption("Целевая функция: " + (f"{snap.objective:,.0f}".replace(",", " ") if snap.objective is not None
                                          else "—") + " · верхняя граница: "
                   + (f"{snap.bound:,.0f}".replace(",", " ") if snap.bound is not None else "—"))
    if snap.state == "running":
        sc = scenario_dates.get(job.scenario_id)
        share = rebuild_progress(snap.date, *sc, snap.elapsed, job.time_limit) if sc else \
            rebuild_progress("", None, None, snap.elapsed, job.time_limit)
        st.progress(share, text=f"Идёт пересборка: готово около {share:.0%} дней сценария (предел времени "
                                 f"{job.time_limit:.0f} с)")
        if st.button("Отменить", key="plan_cancel"):
            job.cancel.set()
    elif snap.state == "done":
        done_text = f"План готов: {status_words(snap.status)}, {snap.elapsed:.1f} с."
        (st.warning if snap.status in DEGRADED else st.success)(done_text)
        if st.session_state.get("shown_plan_of_job") != job.id:
            st.session_state["shown_plan_of_job"] = job.id
            st.session_state["plan_pick_next"] = snap.plan_id
            st.rerun(scope="app")
    elif snap.state == "cancelled":
        st.warning("Пересборка отменена; сохранённые планы не изменились.")
    else:
        st.error(f"План не составлен: {snap.error_ru}\n\nЧто сделать: исправьте данные школы или сценарий "
                 "(страницы «Школа» и «Переход на дистант») и пересоберите.")


progress()

plans = plan_labels(s, school.id)
mine = {lbl: pid for lbl, pid in plans.items() if pid in {r.id for r in plan_records(s, school.id, scenario_id)}}
if not mine:
    if running:
        st.info("Идёт пересборка — план появится здесь, когда будет готов.")
    else:
        st.info("Для этого сценария плана ещё нет — нажмите «Пересобрать».")
    st.stop()
if (pid := st.session_state.pop("plan_pick_next", None)) in mine.values():
    st.session_state["plan_pick"] = next(lbl for lbl, i in mine.items() if i == pid)
if st.session_state.get("plan_pick") not in mine:
    st.session_state.pop("plan_pick", None)
plan_label = st.selectbox("План", list(mine), key="plan_pick")
plan = load_plan(s, mine[plan_label])
if plan is None:  # deleted in another tab since the list was read
    st.warning("План не найден — возможно, его удалили. Выберите другой.")
    st.stop()
if not plan_belongs_to(plan, school):
    st.warning("План составлен для прежней версии данных школы — пересоберите его.")
if plan.partial_timetable is not None:
    st.warning(f"Расписание составлено частично (принято): размещено {plan.partial_timetable.placed} из "
               f"{plan.partial_timetable.total} уроков.")
if plan.all_paper:  # no silent all-paper plan
    st.warning("Классы полностью на бумаге — не хватает данных:\n\n"
               + "\n".join(f"- {plain(c.text_ru)}" for c in plan.all_paper))
    st.page_link(PAGES["readiness"], label="Готовность: опрос об устройствах, чаты, пробные звонки", icon="✅")
    st.page_link(PAGES["school"], label="Школа: число учеников и классы", icon="🏫")
if plan.notices:  # issue 14: an absent teacher's lesson nobody could be named for — amber, never silent
    absent_word = "преподавателя" if str(school.kind) == "college" else "учителя"
    st.warning(f"Некого назначить при отсутствии {absent_word} — назначьте вручную:\n\n"
               + "\n".join(f"- {plain(n.text_ru)}" for n in plan.notices))
sv = plan.solver
(st.warning if sv.status in DEGRADED else st.caption)(
    f"{status_words(sv.status)[:1].upper()}{status_words(sv.status)[1:]} · составлен за {sv.wall_seconds:.1f} с · "
    f"сравнение с: {'опубликованным планом' if plan.baseline == 'published' else 'обычным расписанием'}")
with st.expander("Подробнее"):
    st.caption(f"Целевая функция {sv.objective:,.0f} · верхняя граница {sv.bound:,.0f} · независимых частей задачи "
               f"{sv.components}".replace(",", " "))
step_page, step_label = NEXT_STEP["rebuild"]
st.page_link(PAGES[step_page], label=step_label, icon=":material/arrow_forward:")

tab_grid, tab_screen, tab_devices = st.tabs(["Неделя", "Экранное время", "Без устройств"])
with tab_grid:
    c1, c2 = st.columns([1, 3])
    words = institution_words(school.kind)  # a college's page speaks of группы, преподаватели, пары
    view = c1.radio("Показать", ["по классам", "по учителям"], key="plan_view", horizontal=True,
                    format_func=lambda v: v if words["class"] == "класс" else
                    {"по классам": "по группам", "по учителям": "по преподавателям"}[v])
    in_plan = {o.class_id for o in plan.occurrences}
    by_name = {c.name: c.id for c in school.classes}
    class_names = {n: by_name[n] for n in class_names_sorted(school, [c for c in by_name.values() if c in in_plan])}
    if view == "по классам":
        cname = c2.selectbox(words["class"].capitalize(), list(class_names), key="plan_class")
        grid = plan_grid(school, plan, class_id=class_names[cname])
    else:
        tnames = {t.name: t.id for t in school.teachers}
        tname = c2.selectbox(words["teacher"].capitalize(), list(tnames), key="plan_teacher")
        grid = plan_grid(school, plan, teacher_id=tnames[tname])
    st.markdown(" ".join(f"<span style='background:{MODE_COLOUR[m]};color:#111;padding:2px 8px;border-radius:4px'>"
                         f"{MODE_ICON[m]} {MODE_RU[m]}</span>" for m in ("live", "async", "in_school", "replaced"))
                + f" <span style='padding:1px 8px;font-weight:bold'>{CHANGED_MARK} изменено</span>",
                unsafe_allow_html=True)
    counts = mode_counts(grid)
    st.caption(" · ".join(f"{MODE_RU.get(m, 'разные формы у групп')}: {n}" for m, n in sorted(counts.items())))
    if grid.text.empty:
        st.info("В плане нет уроков для выбранного.")
    else:
        event = st.dataframe(grid_styler(grid), width="stretch", key="plan_grid", on_select="rerun",
                             selection_mode="single-cell", row_height=56, height=56 * (len(grid.text) + 1) + 4)
        if view == "по классам":
            picked = None
            cells = getattr(getattr(event, "selection", None), "cells", None) or []
            if cells:
                r, c = cells[0]
                picked = grid.keys.iloc[r][c] if isinstance(c, str) else grid.keys.iloc[r, c]
            c1, c2 = st.columns([1, 3])
            day = c1.selectbox("День", list(grid.text.columns), key="plan_day")
            choices = lesson_choices(school, plan, class_names[cname], day)
            label = c2.selectbox(f"{words['lesson'].capitalize()} (или щёлкните по клетке)", list(choices),
                                 key="plan_lesson")
            key_part = picked.split()[0] if picked else choices.get(label)
            if key_part:
                info = lesson_details(school, plan, key_part)
                reasons = info.pop("Причины")
                changed = info.pop("Изменён")
                st.markdown(f"**{plain(info['Урок'])}** — {plain(info['Форма'])}" + (" · **изменён**" if changed else ""))
                st.dataframe(pd.DataFrame({"": list(info), "Значение": [str(v) for v in info.values()]}),
                             hide_index=True, width="stretch", key="plan_lesson_info")
                if reasons:
                    st.markdown("**Почему:**\n" + "\n".join(f"- {plain(r)}" for r in reasons))
                elif changed:
                    st.caption("Изменён по сравнению с обычным расписанием (время или учитель).")
with tab_screen:
    frame = screen_frame(school, plan, library)
    dates = sorted(frame["Дата"].unique())
    day = st.selectbox("Дата", dates, key="plan_screen_day")
    one = frame[frame["Дата"] == day]
    bars = alt.Chart(one).mark_bar(color="#2a9d8f").encode(
        x=alt.X("Класс:N", sort=list(one["Класс"])), y=alt.Y("Экран, мин:Q", title="Экранное время за день, мин"),
        tooltip=["Класс", "Экран, мин", "Предел, мин", "Табл. 6.8, мин"])
    caps = alt.Chart(one).mark_tick(color="#d62828", thickness=3, size=28).encode(
        x=alt.X("Класс:N", sort=list(one["Класс"])), y="Предел, мин:Q")
    st.altair_chart(bars + caps, width="stretch")
    st.caption("Толкование школы: " + budget_column_text(plan.scenario.policy.budget_column)[0] + ".")
    st.caption("Столбцы — наибольшее экранное время ученика класса за день (звонки и экранные задания); красная "
               "черта — предел плана (табл. 6.8 минус резерв).")
    over = one[one["Экран, мин"] > one["Предел, мин"]]
    if not over.empty:
        st.error("Предел превышен: " + ", ".join(over["Класс"]))
    st.dataframe(one.drop(columns=["class_id"]), hide_index=True, width="stretch", key="plan_screen_table")
with tab_devices:
    summ = summary_frame(school, plan)
    st.metric("Учеников без допустимого устройства", int(summ["Без допустимого устройства"].sum()) if len(summ) else 0)
    st.caption("Телефон не считается устройством для обучения (СанПиН): эти ученики получают альтернативный пакет "
               "заданий.")
    st.caption(SUMMARY_NOTE)
    st.dataframe(summ, hide_index=True, width="stretch", key="plan_summary",
                 column_config={"Класс": st.column_config.TextColumn("Класс", pinned=True)})
