"""Публикация: publishing a plan (calendar feeds, MAX messages, ЭПОС export). Wired to planner.publish when
that package provides the calls; until then the page says what will be here."""

from __future__ import annotations

import importlib

import streamlit as st

from app_pages._shared import require_school

school, _version = require_school()
st.title("Публикация")

NEEDED = {
    "publish_plan(store, school, plan, *, by) -> publication record": "опубликовать план (записать публикацию и "
                                                                       "элементы ленты)",
    "issue_token(store, school_id, kind, subject_id) -> (token, record)": "ссылки на ленту класса/учителя",
    "feed_urls(base_url, token) -> {webcal, https}": "ссылки webcal:// и https:// (и QR-код к ним)",
    "revoke_token / rotate_token(store, token_id, expected_version)": "отозвать или заменить ссылку",
    "preview_messages(school, plan, published) -> messages": "предпросмотр сообщений MAX",
    "queue_messages(store, messages, *, dry_run=True, urgent=False)": "очередь сообщений (по умолчанию пробный "
                                                                      "прогон, флаг «срочно»)",
    "epos_export(school, plan) -> bytes": "выгрузка для ЭПОС",
    "history(store, school_id) -> records": "история публикаций",
}

try:
    publish = importlib.import_module("planner.publish")
except ImportError:
    publish = None

missing = [sig for sig in NEEDED if publish is None or not hasattr(publish, sig.split("(")[0].split(" / ")[0])]
if publish is None or missing:
    st.info("Публикация ещё не подключена: в библиотеке нет модуля planner.publish"
            + ("" if publish is None else " с нужными функциями") + ". Здесь будет:")
    st.markdown("\n".join(f"- {what}" for what in NEEDED.values()))
    with st.expander("Каких вызовов библиотеки ждёт страница"):
        st.code("\n".join(f"planner.publish.{sig}" for sig in (missing or NEEDED)), language="text")
    st.caption("До подключения план можно проверить на странице «СанПиН» и сравнить варианты на странице "
               "«Сценарии».")
