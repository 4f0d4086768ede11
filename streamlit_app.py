"""The deputy director's page (Russian): the entrypoint and router of a multipage app (st.navigation).

A thin view over the planner library: each page in app_pages/ calls the same library functions as the CLI
(importers, scenario, rebuild, audit, storage); view-model helpers are in planner/ui/. No solver or norm logic
here. Run with `bash scripts/run-page.sh` (localhost only).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages._shared import PAGES, SAMPLES, norm_library, store
from streamlit.runtime.scriptrunner import get_script_run_ctx

from planner.norms.status import banner
from planner.ui.access import authenticated_sessions, client_key, configured_password, try_login
from planner.ui.records import ensure_samples, school_labels
from planner.ui.view import local_time, read_settings, write_setting

st.set_page_config(page_title="Планировщик дистанта", page_icon="🗓️", layout="wide")

s = store()

# The admin's password (env PLANNER_PAGE_PASSWORD or data-dir file page_password) is asked first; nothing else
# (uploads included: planner.ui.access.PageGuard) works for this session before it is given. Failed tries back off.
expected = configured_password(s.data_dir)
if expected and not st.session_state.get("authenticated"):
    st.title("Планировщик дистанционного обучения")
    with st.form("login"):
        given = st.text_input("Пароль страницы", type="password", key="login_password")
        if st.form_submit_button("Войти"):
            ok, wait = try_login(given, expected, client_key(st.context.ip_address))
            if ok:
                st.session_state["authenticated"] = True
                ctx = get_script_run_ctx()
                if ctx is not None:
                    authenticated_sessions.add(ctx.session_id)
                st.rerun()
            elif wait > 0:
                st.error(f"Неверный пароль или слишком много попыток. Следующая попытка — через {wait:.0f} с. "
                         "Пароль задаёт администратор: переменная PLANNER_PAGE_PASSWORD или файл page_password в "
                         "папке данных.")
            else:
                st.error("Неверный пароль. Пароль задаёт администратор: переменная PLANNER_PAGE_PASSWORD или "
                         "файл page_password в папке данных.")
    st.stop()

ensure_samples(s, list(SAMPLES.values()))
labels = school_labels(s)
pending = st.session_state.pop("pending_school_id", None)
if pending is None and "school" not in st.session_state:
    # a new session (a reload, a new tab) reopens the school opened last on this server
    pending = read_settings(s.data_dir).get("last_school")
if pending:
    st.session_state["school"] = next((lbl for lbl, i in labels.items() if i == pending), None)
if labels:
    if st.session_state.get("school") not in labels:
        st.session_state.pop("school", None)
    chosen = st.sidebar.selectbox("Образовательная организация", list(labels), key="school")
    st.session_state["school_id"] = labels[chosen]
    if read_settings(s.data_dir).get("last_school") != labels[chosen]:
        write_setting(s.data_dir, "last_school", labels[chosen])
    record = s.get("school", labels[chosen])
    if record is not None:  # None: deleted in another tab since the list was read
        st.sidebar.caption(f"Версия данных: {record.version}, изменены "
                           f"{local_time(record.updated_at, record.payload.get('timezone'))}")
else:
    st.session_state["school_id"] = None

# An act lapses within 60 days, or has lapsed without a successor: say so on every page.
lapse = banner(norm_library(), date.today())
if lapse:
    st.warning(lapse, icon="⚖️")

pages = [
    # the default page is served at «/»; its twin at «/school» (hidden) makes the direct address work too
    st.Page(PAGES["school"], title="Школа", icon=":material/school:", url_path="start", default=True),
    st.Page(PAGES["school"], title="Школа", icon=":material/school:", url_path="school", visibility="hidden"),
    st.Page(PAGES["settings"], title="Настройки", icon=":material/settings:", url_path="settings"),
    st.Page(PAGES["transition"], title="Переход на дистант", icon=":material/ac_unit:", url_path="transition"),
    st.Page(PAGES["plan"], title="План", icon=":material/calendar_month:", url_path="plan"),
    st.Page(PAGES["sanpin"], title="СанПиН", icon=":material/rule:", url_path="sanpin"),
    st.Page(PAGES["publish"], title="Публикация", icon=":material/campaign:", url_path="publish"),
    st.Page(PAGES["scenarios"], title="Сценарии", icon=":material/compare_arrows:", url_path="scenarios"),
    st.Page(PAGES["readiness"], title="Готовность", icon=":material/checklist:", url_path="readiness"),
]
st.navigation(pages, position="top").run()
