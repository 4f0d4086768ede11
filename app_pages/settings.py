"""Настройки: the school's name, time zone and school year (saved with the record's version), and the public
address families' calendar links are built on (the page's settings file in the data directory)."""

from __future__ import annotations


import streamlit as st

from app_pages._shared import require_school, show_error, store
from planner import settings as env_settings
from planner.errors import InputError, StaleSaveError
from planner.storage.paths import PUBLIC_URL_ENV
from planner.ui import publish_view as pv
from planner.ui.settings import TIMEZONES_RU, apply_school_settings
from planner.ui.view import check_public_url, read_settings, url_is_local, write_setting

s = store()
school, version = require_school()
st.title("Настройки")

st.subheader("Школа")
if note := st.session_state.pop("set_note", None):
    st.success(note)
zones = dict(TIMEZONES_RU)
if school.timezone not in zones:
    zones[school.timezone] = school.timezone
key = f"set_{school.id}_{version}"  # the form starts from the stored values of this school and version
with st.form(f"school_settings_{key}"):
    name = st.text_input("Название", value=school.name, key=f"{key}_name")
    tz = st.selectbox("Часовой пояс", list(zones), index=list(zones).index(school.timezone),
                      format_func=zones.__getitem__, key=f"{key}_tz")
    c1, c2 = st.columns(2)
    y1 = c1.date_input("Учебный год: начало", value=school.calendar.year_start, format="DD.MM.YYYY",
                       key=f"{key}_y1")
    y2 = c2.date_input("Учебный год: конец", value=school.calendar.year_end, format="DD.MM.YYYY", key=f"{key}_y2")
    if st.form_submit_button("Сохранить настройки школы", type="primary"):
        try:
            new = apply_school_settings(school, name=name, timezone=tz, year_start=y1, year_end=y2)
            record = s.save_school(new, version)
        except StaleSaveError as err:
            show_error(err, "обновите страницу: настройки покажутся по свежей версии")
        except InputError as err:
            show_error(err, "исправьте поле и сохраните ещё раз")
        else:
            st.session_state["set_note"] = f"Настройки школы сохранены (версия данных {record.version})."
            st.rerun()

st.subheader("Адрес для семей")
st.markdown("Ссылки на календари и QR-коды строятся от публичного адреса этого сервера. Пока он не задан, "
            "ссылки ведут на этот компьютер (localhost) и у семей **не откроются**.")
env_url = env_settings.public_url() or ""
saved = read_settings(s.data_dir).get("public_url", "")
if env_url:
    st.info(f"Адрес задан администратором сервера (переменная {PUBLIC_URL_ENV}): {env_url}. Он важнее "
            "адреса ниже.")
url = st.text_input("Публичный адрес сервера", value=saved, placeholder="https://raspisanie.school17.ru",
                    key="set_public_url")
if st.button("Сохранить адрес", key="set_public_save"):
    url = url.strip().rstrip("/")
    problem = check_public_url(url) if url else None
    if problem:
        st.error(f"Публичный адрес: {problem}.")
    else:
        write_setting(s.data_dir, "public_url", url or None)
        st.session_state["set_url_note"] = ("Адрес сохранён: " + url) if url else "Адрес очищен."
        st.rerun()
if note := st.session_state.pop("set_url_note", None):
    st.success(note)
current = pv.public_base_url(saved=read_settings(s.data_dir).get("public_url"))
if url_is_local(current):
    st.warning(f"Сейчас ссылки строятся от {current} — они работают только на этом компьютере.")
elif current.startswith("http://"):
    st.warning(f"Сейчас ссылки строятся от {current} — без https: календарь откроется, но передаётся "
               "незащищённо; включите https на сервере.")
else:
    st.caption(f"Сейчас ссылки строятся от {current} (https).")
