"""Переход на дистант: the form shows norm defaults with source and confidence, validates, and refuses a stale
save from a second tab."""

from __future__ import annotations

from page.pagehelpers import APP, FROST, frame_with, save_sample_scenario
from streamlit.testing.v1 import AppTest

from planner.storage import Store


def test_defaults_show_source_confidence_and_unverified_marks(app):
    app.switch_page("app_pages/transition.py").run()
    app.selectbox(key="sc_pick").set_value(FROST).run()
    assert not app.exception
    defaults = frame_with(app, "По умолчанию")
    row = defaults.set_index("Параметр").loc["Экранное время за день (табл. 6.8), мин"]
    assert "табл. 6.8" in row["Источник"] and row["Достоверность"].startswith("S2")
    reserve = defaults.set_index("Параметр").loc["Резерв экранного времени, мин"]
    assert reserve["По умолчанию"] == "30" and reserve["Не подтверждено"] == "⚠ M"


def test_a_bad_value_is_refused_in_russian_and_a_good_one_saved(app):
    save_sample_scenario(app)
    app.text_input(key="kn_latest_end").set_value("25:99").run()
    app.button(key="sc_save").click().run()
    assert app.error and "Что сделать" in app.error[0].value
    app.text_input(key="kn_latest_end").set_value("17:00").run()
    app.number_input(key="kn_reserve_minutes").set_value(20).run()
    app.button(key="sc_save").click().run()
    [rec] = Store.open().list("scenario")
    assert rec.version == 2 and rec.payload["policy"]["reserve_minutes"] == 20


def test_a_stale_scenario_save_is_refused_with_a_reload(app):
    save_sample_scenario(app)
    label = app.selectbox(key="sc_pick").value
    other = AppTest.from_file(APP, default_timeout=60).run()
    other.switch_page("app_pages/transition.py").run()
    other.selectbox(key="sc_pick").set_value(label).run()
    other.text_input(key="sc_name").set_value("Морозы, правка из второй вкладки").run()
    other.button(key="sc_save").click().run()
    app.text_input(key="sc_name").set_value("Морозы, правка из первой вкладки").run()
    app.button(key="sc_save").click().run()
    assert any("уже изменён" in e.value for e in app.error)
    [rec] = Store.open().list("scenario")
    assert rec.payload["name"] == "Морозы, правка из второй вкладки" and rec.version == 2
    app.button(key="sc_reload").click().run()
    assert not app.exception


def test_dates_without_any_norm_set_show_the_russian_message_and_raise_nothing(app):
    """Issue 10: the page crashed with NameError after the message when no norm set was in force."""
    from datetime import date

    app.switch_page("app_pages/transition.py").run()
    app.selectbox(key="sc_pick").set_value(FROST).run()
    app.date_input(key="sc_start").set_value(date(2019, 1, 14)).run()
    app.date_input(key="sc_end").set_value(date(2019, 1, 18)).run()
    assert not app.exception
    assert any("нормы" in e.value for e in app.error), [e.value for e in app.error]


def test_empty_cells_of_the_editable_tables_read_empty_not_none(app):
    """An empty «С»/«По» of «Учителя по датам» means the whole scenario: Streamlit would draw it as the English
    «None» unless the editor's placeholder is set (seen on the page, scenario 05)."""
    app.switch_page("app_pages/transition.py").run()
    app.selectbox(key="sc_pick").set_value("Пример: 05-sick-physics-teacher").run()
    assert not app.exception
    editors = [e for e in app.dataframe if e.proto.editing_mode]
    assert len(editors) == 2  # «Учителя по датам» and «Поправки по классам»
    assert all(e.proto.HasField("placeholder") and e.proto.placeholder == "" for e in editors)
