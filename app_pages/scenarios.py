"""Сценарии: the saved what-if scenarios and their plans side by side (live share per class, screen minutes,
findings, perturbation, teacher load, pupils without devices) and a lesson-by-lesson diff of two plans."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages._shared import norm_library, require_school, store
from planner.audit import audit_plan
from planner.errors import InputError
from planner.ui.labels import REASON_LABELS
from planner.ui.view import local_time, natural_key, status_words
from planner.ui.plan_view import SUMMARY_NOTE, plan_diff, screen_frame, summary_frame, teacher_load
from planner.storage.records import load_plan, plan_records, scenario_records
from planner.ui.records import plan_labels

s = store()
school, version = require_school()
library = norm_library()
st.title("Сценарии")

reasons = {v: k for k, v in REASON_LABELS.items()}
records = scenario_records(s, school.id)
if not records:
    st.info("Сохранённых сценариев нет: опишите их на странице «Переход на дистант».")
    st.stop()
rows = []
for r in records:
    p = r.payload
    saved = plan_records(s, school.id, r.id)
    rows.append({"Сценарий": p["name"], "Причина": reasons.get(p["reason"], p["reason"]),
                 "С": p["start"], "По": p["end"], "Планов": len(saved),
                 "Последний план": status_words(saved[0].columns.get("status")) if saved else "—",
                 "Изменён": local_time(r.updated_at, school.timezone), "Версия": r.version})
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="sc_list")

labels = plan_labels(s, school.id)
st.subheader("Сравнение планов")
chosen = st.multiselect("Планы для сравнения (два или больше)", list(labels), key="cmp_plans",
                        placeholder="выберите планы")
if len(chosen) < 2:
    st.caption("Выберите хотя бы два плана.")
    st.stop()


@st.cache_data(max_entries=32, show_spinner="Проверяю планы…")
def _findings(plan_id: str, school_version: int) -> dict[str, Any]:
    plan = load_plan(s, plan_id)
    if plan is None:  # deleted in another tab
        return {"error": "план не найден"}
    try:
        rep = audit_plan(school, plan, library)
    except InputError as err:
        return {"error": err.text("ru")}
    return {"new": sum(1 for f in rep.violations if not f.preexisting),
            "old": sum(1 for f in rep.violations if f.preexisting), "warn": len(rep.warnings)}


loaded = {lbl: load_plan(s, labels[lbl]) for lbl in chosen}
plans = {lbl: p for lbl, p in loaded.items() if p is not None}
if len(plans) < len(loaded):  # deleted in another tab since the list was read
    st.warning("Часть выбранных планов не найдена — возможно, их удалили. Выберите планы заново.")
    st.stop()
short = {lbl: f"{i + 1}. {p.scenario.name}" for i, (lbl, p) in enumerate(plans.items())}
overview = []
for lbl, plan in plans.items():
    f = _findings(labels[lbl], version)
    summ = summary_frame(school, plan)
    overview.append({"План": short[lbl], "Статус": status_words(plan.solver.status),
                     "Доля онлайн, % (средняя)": int(round(float(summ["Доля онлайн, %"].mean()))) if len(summ) else 0,
                     "Экран макс., мин": int(summ["Экран макс., мин"].max()) if len(summ) else 0,
                     "Новые нарушения": f.get("new", "—"), "Прежние нарушения": f.get("old", "—"),
                     "Предупреждения": f.get("warn", "—"), "Изменения (всего)": int(round(plan.perturbation_total)),
                     "Без устройства": int(summ["Без допустимого устройства"].sum()) if len(summ) else 0})
st.dataframe(pd.DataFrame(overview), hide_index=True, width="stretch", key="cmp_overview")


def side_by_side(column: str, frames: dict[str, pd.DataFrame], index: str = "Класс",
                 missing: str = "—") -> pd.DataFrame:
    out = pd.DataFrame({short[lbl]: f.set_index(index)[column] for lbl, f in frames.items()})
    out.index.name = index
    # a class outside one plan's scenario has no value there: a dash, not an empty or "None" cell
    def cell(v: Any) -> str:
        if pd.isna(v):
            return missing
        return str(int(v)) if float(v).is_integer() else f"{v:.2f}".replace(".", ",")

    return out.loc[sorted(out.index, key=natural_key)].map(cell)


summaries = {lbl: summary_frame(school, p) for lbl, p in plans.items()}
t1, t2, t3, t4, t5 = st.tabs(["Доля онлайн", "Экранное время", "Изменения", "Нагрузка учителей", "Без устройств"])
with t1:
    st.caption(SUMMARY_NOTE)
    st.dataframe(side_by_side("Доля онлайн, %", summaries), width="stretch", key="cmp_live")
with t2:
    screens = {lbl: screen_frame(school, p, library).groupby("Класс", as_index=False)["Экран, мин"].max()
               for lbl, p in plans.items()}
    st.caption("Наибольшее экранное время ученика за день, мин")
    st.dataframe(side_by_side("Экран, мин", screens), width="stretch", key="cmp_screen")
with t3:
    st.dataframe(side_by_side("Изменения", summaries), width="stretch", key="cmp_perturbation")
with t4:
    loads = {lbl: teacher_load(school, p) for lbl, p in plans.items()}
    st.caption("Минут онлайн-уроков за сценарий")
    st.dataframe(side_by_side("Онлайн, мин", loads, index="Учитель", missing="0"), width="stretch",
                 key="cmp_load")
with t5:
    st.dataframe(side_by_side("Без допустимого устройства", summaries), width="stretch", key="cmp_devices")

st.subheader("Урок за уроком: чем отличаются два плана")
c1, c2 = st.columns(2)
a = c1.selectbox("План 1", chosen, key="diff_a")
b = c2.selectbox("План 2", chosen, index=1, key="diff_b")
diff = plan_diff(school, plans[a], plans[b])
st.caption(f"Различий: {len(diff)}")
st.dataframe(diff, hide_index=True, width="stretch", key="diff_table")
