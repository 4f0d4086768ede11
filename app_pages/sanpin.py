"""СанПиН: the audit of the regular timetable (planner.audit.audit_school) or of a plan (audit_plan: new vs
pre-existing), by severity with clause citations, filters, unverified values and policy overrides marked,
XLSX export."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from app_pages._shared import PAGES, base_norm_library, norm_library, policy_key, require_school, show_error, store
from planner.audit import AuditReport, audit_plan, audit_school
from planner.errors import InputError
from planner.school.model import WEEKDAY_NAMES_RU
from planner.ui.audit_view import counts, findings_frame, report_xlsx
from planner.ui.plan_view import policy_overrides_frame
from planner.storage.records import require_plan
from planner.ui.records import plan_labels
from planner.ui.view import NEXT_STEP, class_names_sorted

s = store()
school, version = require_school()
library = norm_library()
st.title("Проверка по СанПиН")


accept_partial = False
if school.incomplete is not None:  # never «0 нарушений» on an unfinished timetable
    st.warning(f"{school.incomplete.text('ru').capitalize()}. Проверка частичного расписания покажет нарушения "
               "только размещённых уроков.")
    accept_partial = st.checkbox("Принять частичное расписание", key="au_accept_partial")


@st.cache_data(max_entries=32, show_spinner="Проверяю расписание…")
def _audit_regular(school_id: str, version: int, start: date, end: date, policy_key: str = "",
                   accept: bool = False) -> AuditReport:
    return audit_school(school, library, start, end, accept_partial=accept)


@st.cache_data(max_entries=32, show_spinner="Проверяю план…")
def _audit_plan(school_id: str, version: int, plan_id: str, policy_key: str = "", accept: bool = False) -> AuditReport:
    return audit_plan(school, require_plan(s, plan_id), library, accept_partial=accept)


plans = plan_labels(s, school.id)
what = st.radio("Что проверить", ["Обычное расписание", "План"], key="au_what", horizontal=True)
cal = school.calendar
monday = max(cal.year_start, min(date.today(), cal.year_end))
monday -= timedelta(days=monday.isoweekday() - 1)
plan = None
try:
    if what == "План":
        if not plans:
            st.info("Планов ещё нет: пересоберите расписание на странице «План».")
            st.stop()
        label = st.selectbox("План", list(plans), key="au_plan")
        plan = require_plan(s, plans[label])
        report = _audit_plan(school.id, version, plans[label], policy_key(), accept_partial)
        title = f"план сценария «{plan.scenario.name}»"
    else:
        c1, c2 = st.columns(2)
        start = c1.date_input("С", value=monday, format="DD.MM.YYYY", key="au_from")
        end = c2.date_input("По", value=monday + timedelta(days=6), format="DD.MM.YYYY", key="au_to")
        report = _audit_regular(school.id, version, start, end, policy_key(), accept_partial)
        title = "обычное расписание"
except InputError as err:
    show_error(err, "выберите другие даты (нормы действуют не на все даты) или пересоберите план для текущих "
                    "данных школы")
    st.stop()

st.markdown(f"**Итог:** {report.summary('ru')}")
with st.expander("Действующие нормы по датам", expanded=any(r.carried_over for r in report.norm_ranges)):
    for r in report.norm_ranges:
        st.markdown("\n".join(f"- {line.strip()}" for line in r.lines("ru")))
for note in report.interpretations_ru:
    st.info("Толкование школы: " + note)
for note in report.notices_ru:
    st.info(note)
cnt = counts(report)
cols = st.columns(len(cnt))
for col, (k, v) in zip(cols, cnt.items()):
    col.metric(k, v)
bad = [f for f in report.violations if not (report.plan and f.preexisting)]
if bad:
    st.error(("План вносит новые нарушения обязательных норм" if report.plan else
              "Расписание нарушает обязательные нормы") + " — см. таблицу; в каждой строке — пункт нормы.")
elif report.violations:
    st.warning("Новых нарушений нет; прежние нарушения обычного расписания сохранились.")
else:
    st.success("Обязательные нормы соблюдены.")
if plan is not None:
    step_page, step_label = NEXT_STEP["check"]
    st.page_link(PAGES[step_page], label=step_label, icon=":material/arrow_forward:")

c1, c2, c3 = st.columns(3)
cls = c1.multiselect("Классы", class_names_sorted(school), key="au_classes", placeholder="все классы")
tch = c2.multiselect("Учителя", sorted(t.name for t in school.teachers), key="au_teachers",
                     placeholder="все учителя")
days = c3.multiselect("Дни недели", [WEEKDAY_NAMES_RU[d] for d in range(1, 7)], key="au_days", placeholder="все дни")
day_nums = [d for d, n in WEEKDAY_NAMES_RU.items() if n in days]
frame = findings_frame(school, report, classes=cls or None, teachers=tch or None, weekdays=day_nums or None)
for severity, header in (("нарушение", "Нарушения"), ("предупреждение", "Предупреждения")):
    part = frame[frame["Уровень"] == severity]
    st.subheader(f"{header}: {len(part)}")
    if part.empty:
        st.caption("нет")
        continue
    if not report.plan:
        part = part.drop(columns=["Статус"])
    st.dataframe(part, hide_index=True, width="stretch", key=f"au_table_{severity}",
                 column_config={"Описание": st.column_config.TextColumn(width="large")})
st.caption("Достоверность значения нормы: P — первичный текст, S2/S1 — вторичные источники, ⚠ M — не "
           "подтверждено (такая находка — предупреждение). «Политика» — значение изменено политикой школы.")
extra = {}
if plan is not None:
    ov = policy_overrides_frame(school, plan)
    st.subheader("Значения, заданные сценарием (а не нормами)")
    if ov.empty:
        st.caption("нет — везде значения по умолчанию из норм")
    else:
        st.dataframe(ov, hide_index=True, width="stretch", key="au_overrides")
        extra["Поправки сценария"] = ov
st.caption("Акты: " + ", ".join(dict.fromkeys(a for r in report.norm_ranges for a in r.in_force)))
st.download_button("Скачать отчёт XLSX", report_xlsx(school, report, title, extra), key="au_xlsx",
                   file_name=f"sanpin-{school.id}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader("Политика школы (локальный акт)")
st.caption("Значения локального акта школы: часы рабочих сообщений, срок сдачи заданий, пределы пар колледжа, более "
           "строгие нормы; применяются во всех проверках и пересборках этой школы. Формат — TOML, как файл "
           "--policy командной строки.")
from planner.norms.school_policy import current_policy_version, policy_history, save_school_policy  # noqa: E402

current = current_policy_version(s, school.id)
with st.form("policy_form"):
    text = st.text_area("Текст политики (TOML)", value=current.text if current else "", height=200, key="pol_text")
    uploaded = st.file_uploader("или загрузите файл политики", type=["toml"], key="pol_file")
    c1, c2 = st.columns(2)
    who = c1.text_input("Кто меняет (ФИО)", key="pol_by")
    why = c2.text_input("Причина (например, приказ № и дата)", key="pol_reason")
    if st.form_submit_button("Сохранить политику"):
        body = uploaded.getvalue().decode("utf-8") if uploaded is not None else text
        try:
            saved = save_school_policy(s, school.id, body, created_by=who, reason=why, library=base_norm_library(),
                                   source=uploaded.name if uploaded is not None else "политика")
        except InputError as err:
            show_error(err, "исправьте текст политики; сохранённая политика не изменилась")
        else:
            st.success(f"Политика сохранена (версия {saved.number}); проверки школы используют её.")
            st.rerun()
history = policy_history(s, school.id)
if history:
    st.dataframe([{"Версия": v.number, "Когда (UTC)": v.created_at[:16].replace("T", " "), "Кто": v.created_by,
                   "Причина": v.reason, "Название": v.name} for v in reversed(history)],
                 hide_index=True, width="stretch", key="pol_history")
else:
    st.caption("Политика не задана: действуют значения шаблона локального акта.")
