"""Публикация: a saved plan becomes calendar feeds (planner.publish.feeds), feed links per teacher / class /
family with QR codes (planner.publish.feeds.tokens, planner.publish.feeds.qr), MAX chat messages (planner.publish.chat,
dry run unless MAX_BOT_TOKEN is set), the ЭПОС workbook (planner.publish.ejournal) and the publication history.
Tables and wrappers are in planner/ui/publish_view.py."""

from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import streamlit as st

from app_pages._shared import PAGES, norm_library, require_school, show_error, store
from planner.errors import InputError
from planner.publish.ejournal.epos import write_epos_workbook
from planner.publish.checks import live_without_link
from planner.publish.feeds.publication import publications
from planner.publish.feeds.workflow import publish_to_dir
from planner.publish.chat.max_api import MaxClient
from planner.publish.chat.compose import compose_messages
from planner.publish.chat.outbox import queue_messages, send_due
from planner.publish.feeds.tokens import TokenStore, feed_links
from planner.ui import publish_view as pv
from planner.ui.plain import plain
from planner.storage.records import load_plan
from planner.ui.records import plan_labels
from planner.ui.view import NEXT_STEP, read_settings, url_is_local, url_scheme_label

s = store()
school, _version = require_school()
st.title("Публикация")

plans = plan_labels(s, school.id)
if not plans:
    st.info("Сохранённых планов нет: сначала пересоберите расписание на странице «План».")
    st.page_link(PAGES["plan"], label="Перейти к странице «План»", icon="🗓️")
    st.stop()

# the last published plan by default — never silently the newest what-if
published_id = pv.last_published_plan_id(s, school.id)
options = list(plans)
if published_id in plans.values():
    pub_label = next(lbl for lbl, i in plans.items() if i == published_id)
    options.remove(pub_label)
    options.insert(0, pub_label)
names = {lbl: lbl + (" — опубликован сейчас" if plans[lbl] == published_id else "") for lbl in options}
if st.session_state.get("pub_plan") not in options:
    st.session_state.pop("pub_plan", None)
plan_label = st.selectbox("План для публикации", options, key="pub_plan", format_func=lambda lbl: names[lbl])
plan_id = plans[plan_label]
plan = load_plan(s, plan_id)
if plan is None:  # deleted in another tab since the list was read
    st.warning("План не найден — возможно, его удалили. Выберите другой.")
    st.stop()
if published_id and plan_id != published_id:
    st.info("Выбран не тот план, что опубликован сейчас: публикация заменит опубликованный план этим.")
elif not published_id:
    st.caption("Планы этой школы ещё не публиковались.")
if not pv.plan_is_current(school, plan):
    st.warning("План составлен для прежней версии данных школы: опубликовать его нельзя — пересоберите его на "
               "странице «План».")
base_url = pv.public_base_url(saved=read_settings(s.data_dir).get("public_url"))
if url_is_local(base_url):
    st.warning(f"Ссылки на календари и QR-коды сейчас ведут на {base_url} — **они работают только на этом "
               "компьютере**, у семей и учителей не откроются. Чтобы исправить: разместите страницу на сервере с "
               "публичным адресом и укажите этот адрес на странице «Настройки» (раздел «Адрес для семей»).")
    st.page_link(PAGES["settings"], label="Открыть «Настройки»", icon=":material/settings:")
elif url_scheme_label(base_url) == "http":
    st.warning(f"Ссылки строятся от {base_url} — без https: календарь передаётся незащищённо.")
else:
    st.caption(f"Ссылки на календари строятся от адреса {base_url}.")

tab_pub, tab_links, tab_msg, tab_epos, tab_hist = st.tabs(
    ["Опубликовать", "Ссылки на календари", "Сообщения в MAX", "ЭПОС", "История"])

# ------------------------------------------------------------------ publish
with tab_pub:
    missing = live_without_link(plan)
    allow = False
    if missing:
        st.warning(f"У {len(missing)} онлайн-уроков нет ссылки на звонок (в данных школы нет ссылок на чаты "
                   "классов). Без разрешения план не публикуется; с ним в календаре будет «ссылка пока не "
                   "назначена — смотрите чат класса».")
        with st.expander("Онлайн-уроки без ссылки"):
            st.dataframe(pv.missing_links_frame(school, missing), hide_index=True, width="stretch",
                         key="pub_missing")
        allow = st.checkbox("Опубликовать без ссылок", key="pub_allow_missing")
    if st.button("Опубликовать…", key="pub_publish", type="primary"):
        st.session_state["pub_confirm"] = plan_id
        st.session_state.pop("pub_outcome", None)
    if st.session_state.get("pub_confirm") == plan_id:
        preview: dict[str, Any] | None
        try:
            preview = pv.publish_preview(s, school, plan, datetime.now(timezone.utc))
        except InputError as err:
            st.session_state.pop("pub_confirm", None)
            show_error(err, "пересоберите план на странице «План»")
            preview = None
        if preview is not None:
            with st.container(border=True, key="pub_confirm_box"):
                st.markdown(f"**Подтвердите публикацию.** План: «{plan.scenario.name}», "
                            f"{plan.scenario.start:%d.%m}–{plan.scenario.end:%d.%m}"
                            + (" (опубликован сейчас)." if plan_id == published_id else "."))
                st.markdown(pv.preview_text(preview))
                b1, b2 = st.columns([1, 3])
                go = b1.button("Подтвердить и опубликовать", key="pub_confirm_yes", type="primary")
                if b2.button("Отмена", key="pub_confirm_no"):
                    st.session_state.pop("pub_confirm", None)
                    st.rerun()
            if go:
                st.session_state.pop("pub_confirm", None)
                try:
                    outcome = publish_to_dir(s, school, plan, pv.feeds_dir(s), datetime.now(timezone.utc),
                                             allow_missing_links=allow, plan_id=plan_id)
                except InputError as err:
                    show_error(err, "добавьте ссылки на чаты классов на странице «Школа» или отметьте "
                                    "«Опубликовать без ссылок»" if missing else "пересоберите план на странице «План»")
                else:
                    st.session_state["pub_outcome"] = (plan_id, pv.outcome_text(outcome),
                                                       pv.outcome_counts(outcome))
                    st.rerun()  # the confirmation box goes, the outcome and the new state show
    shown = st.session_state.get("pub_outcome")
    if shown and shown[0] == plan_id:
        st.success(plain(shown[1]))
        cols = st.columns(len(shown[2]))
        for col, (name, value) in zip(cols, shown[2].items()):
            col.metric(name, value)
        st.markdown(f"**{NEXT_STEP['publish'][1]}**")

# ------------------------------------------------------------------ feed links
with tab_links:
    tokens_store = TokenStore(s)
    show_revoked = st.checkbox("Показать отозванные", key="tok_show_revoked")
    tokens = tokens_store.list(school.id, include_revoked=show_revoked)
    notice = st.session_state.pop("tok_notice", None)
    if notice:
        st.success(plain(notice))
    if not tokens:
        st.info("Ссылок ещё нет: они создаются при первой публикации (для каждого учителя, класса и "
                "администрации). Семейную ссылку можно создать ниже.")
    else:
        st.dataframe(pv.tokens_frame(school, tokens, base_url), hide_index=True, width="stretch", key="tok_table")
        active = {pv.token_label(school, t): t for t in pv.sorted_tokens(school, tokens) if t.active}
        if active:
            label = st.selectbox("Ссылка", list(active), key="tok_pick")
            token = active[label]
            if token.secret:
                links = feed_links(base_url, token.secret)
                c1, c2 = st.columns([1, 2])
                c1.image(pv.qr_png(links["webcal"]), caption="QR-код подписки (webcal://)", width=220)
                with c2:
                    st.markdown("**Подписка в календаре (webcal):**")
                    st.code(links["webcal"], language=None)
                    st.markdown(f"**Ссылка на файл ({url_scheme_label(base_url)}):**")
                    st.code(links["https"], language=None)
            else:
                st.warning("Ссылку нельзя показать: нет ключа feed-tokens.key в папке данных (ссылка работает).")
            b1, b2 = st.columns(2)
            now = datetime.now(timezone.utc)
            if b1.button("Отозвать", key="tok_revoke"):
                try:
                    pv.revoke_token(s, token.id, now=now)
                except InputError as err:
                    show_error(err)
                else:
                    st.session_state["tok_notice"] = f"Ссылка отозвана: {label}. Календарь по ней больше не открывается."
                    st.rerun()
            if b2.button("Заменить (новая ссылка)", key="tok_rotate"):
                try:
                    new = pv.rotate_token(s, token.id, now=now)
                except InputError as err:
                    show_error(err)
                else:
                    st.session_state["tok_notice"] = ("Старая ссылка отозвана, выдана новая: "
                                                      + pv.token_label(school, new))
                    st.rerun()
    with st.expander("Создать ссылку"):
        kinds = {"семья (класс и выбранные группы)": "family", "класс": "class", "учитель": "teacher",
                 "администрация": "admin"}
        kind = kinds[st.radio("Для кого", list(kinds), key="tok_kind", horizontal=True)]
        classes = {c.name: c.id for c in school.classes}
        subject, class_id, groups = "admin", None, []
        if kind == "teacher":
            teachers = {t.name: t.id for t in school.teachers}
            subject = teachers[st.selectbox("Учитель", list(teachers), key="tok_teacher")]
        elif kind in ("class", "family"):
            class_id = classes[st.selectbox("Класс", list(classes), key="tok_class")]
            subject = class_id
            if kind == "family":
                subject = st.text_input("Название (видно только в этом списке)", key="tok_family").strip()
                group_ids = {g.name: g.id for c in school.classes if c.id == class_id for g in c.groups}
                groups = [group_ids[g] for g in st.multiselect("Группы", list(group_ids), key="tok_groups", placeholder="все группы")]
        regular = st.checkbox("Показывать и обычное расписание", key="tok_regular")
        if st.button("Создать ссылку", key="tok_create"):
            if not subject:
                st.error("Укажите название семейной ссылки.")
            else:
                try:
                    new = pv.create_token(s, school, kind, subject, now=datetime.now(timezone.utc),
                                          class_id=class_id, groups=groups, include_regular=regular)
                except InputError as err:
                    show_error(err)
                else:
                    st.session_state["tok_notice"] = "Создана ссылка: " + pv.token_label(school, new)
                    st.rerun()

# ------------------------------------------------------------------ MAX messages
with tab_msg:
    bot = pv.bot_token()
    if bot:
        st.info("Токен бота MAX задан (MAX_BOT_TOKEN): без отметки «Пробный прогон» сообщения уходят в чаты.")
    else:
        st.info("Токен бота MAX не задан (переменная MAX_BOT_TOKEN): всё ниже — пробный прогон, ничего не "
                "отправляется и не сохраняется.")
    c1, c2 = st.columns(2)
    teachers_chat_id = c1.text_input("chat_id чата учителей (необязательно)", key="msg_teachers_id").strip() or None
    teachers_link = c2.text_input("Ссылка на чат учителей (необязательно)", key="msg_teachers_link").strip() or None
    links_for_chats = pv.class_feed_links(TokenStore(s).list(school.id), base_url)
    messages = compose_messages(school, plan, teachers_chat_link=teachers_link, teachers_chat_id=teachers_chat_id,
                                feed_links=links_for_chats)
    if not messages:
        st.info("В этом плане ничего не меняется: сообщений нет.")
    else:
        st.dataframe(pv.messages_frame(school, messages), hide_index=True, width="stretch", key="msg_table")
        st.markdown("**Предпросмотр**")
        for m in messages:
            with st.expander(f"{plain(pv.chat_title(school, m))} — частей: {len(m.text_parts)}"):
                for part in m.text_parts:
                    st.code(part, language=None, wrap_lines=True)
    c1, c2 = st.columns(2)
    dry = c1.checkbox("Пробный прогон", value=True, key="msg_dry", disabled=not bot)
    dry = dry or not bot
    urgent = c2.checkbox("Срочно (отправить сразу, вне рабочего времени тоже)", key="msg_urgent")
    category = pv.urgent_category_select(c2, school) if urgent else None
    if messages and not urgent and (late := pv.late_text(school, plan, messages, norm_library())):
        st.warning(late)
    c1, c2 = st.columns(2)
    if c1.button("Отправить…" if not dry else "Отправить (пробный прогон)…", key="msg_queue", type="primary",
                 disabled=not messages):
        st.session_state.pop("msg_report", None)
        if urgent and not category:  # outside business hours only emergencies go (000 п. 5.1)
            st.session_state.pop("msg_confirm", None)
            st.error("Для срочной отправки выберите категорию экстренного случая: вне рабочего времени "
                     "сообщения уходят только при угрозе жизни и здоровью или ЧС (положение о коммуникации "
                     "в MAX, п. 5.1).")
        else:
            st.session_state["msg_confirm"] = "queue"
    queued = pv.queued_count(s, school.id)
    if c2.button(f"Отправить накопившиеся (в очереди: {queued})…", key="msg_send_due", disabled=not queued):
        st.session_state["msg_confirm"] = "due"
        st.session_state.pop("msg_report", None)
    what = st.session_state.get("msg_confirm")
    if what:
        with st.container(border=True, key="msg_confirm_box"):
            if what == "queue":
                st.markdown(f"**Подтвердите отправку.** План: «{plan.scenario.name}», "
                            f"{plan.scenario.start:%d.%m}–{plan.scenario.end:%d.%m}. "
                            + pv.messages_preview_text(messages, dry)
                            + ("" if urgent or dry else " Вне рабочего времени сообщения ждут в очереди до утра."))
            else:
                st.markdown(f"**Подтвердите отправку накопившихся сообщений: {queued}.**"
                            + (" Пробный прогон: ничего не уйдёт." if dry else ""))
            b1, b2 = st.columns([1, 3])
            go = b1.button("Подтвердить", key="msg_confirm_yes", type="primary")
            if b2.button("Отмена", key="msg_confirm_no"):
                st.session_state.pop("msg_confirm", None)
                st.rerun()
        if go:
            st.session_state.pop("msg_confirm", None)
            try:
                with MaxClient(bot, ca_bundle=pv.ca_bundle(), send=not dry) as client:
                    if what == "queue":
                        report = queue_messages(s, school, plan, messages, client, now=datetime.now(timezone.utc),
                                                library=norm_library(), urgent=urgent, urgent_category=category)
                    else:
                        report = send_due(s, client, now=datetime.now(timezone.utc), school_id=school.id,
                                          library=norm_library())
            except Exception as err:  # noqa: BLE001 - shown in Russian
                show_error(err, "проверьте токен бота и сертификат (MAX_CA_BUNDLE)")
            else:
                st.session_state["msg_report"] = (pv.report_text(report, dry), pv.deliveries_frame(school, report))
                st.rerun()
    if "msg_report" in st.session_state:
        text, frame = st.session_state["msg_report"]
        st.success(plain(text))
        if len(frame):
            st.dataframe(frame, hide_index=True, width="stretch", key="msg_deliveries")

# ------------------------------------------------------------------ ЭПОС
with tab_epos:
    st.markdown("У ЭПОС нет открытого API: план выгружается в книгу Excel (листы «Уроки» и «Журнал замен»), "
                "из которой данные переносят в журнал.")

    epos_plan = plan  # the chosen plan, for the callback below

    def epos_bytes() -> bytes:
        with tempfile.TemporaryDirectory(prefix="planner-epos-") as tmp:
            out = Path(tmp) / "epos.xlsx"
            write_epos_workbook(school, epos_plan, out)
            return out.read_bytes()

    st.download_button("Скачать для ЭПОС (XLSX)", data=epos_bytes,
                       file_name=f"epos-{school.id}-{plan.scenario.start:%Y%m%d}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="epos_download",
                       on_click="ignore")

# ------------------------------------------------------------------ history
with tab_hist:
    pubs = publications(s, school.id)
    if not pubs:
        st.info("Планы этой школы ещё не публиковались.")
    else:
        st.dataframe(pv.history_frame(school, pubs), hide_index=True, width="stretch", key="pub_history")
