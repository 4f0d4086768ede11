"""Every state true and visible: nothing of another school shows after switching; a reload reopens the last
school; an aSc import asks for the name, time zone and year it lacks and keeps its remarks until dismissed; the
«Настройки» page saves the school's settings; the class selection preview; no solver terms on the plan page."""

from __future__ import annotations

from page.pagehelpers import APP, ROOT, rebuild, save_sample_scenario
from streamlit.testing.v1 import AppTest

from planner.storage import Store

ASC = ROOT.parent / "shared" / "datasets" / "asc" / "ukrainian-school-2019-01.xml"
COLLEGE = "Пример: 01-frost-whole-college-week-b"


def _college(at: AppTest) -> str:
    return next(o for o in at.sidebar.selectbox[0].options if "техникум" in o.lower())


def _texts(at: AppTest) -> str:
    parts = []
    for kind in ("success", "info", "warning", "error", "caption", "markdown", "title", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(m.label) + str(m.value) for m in at.metric]
    return " ".join(parts)


def test_switching_school_shows_nothing_of_the_other_school_on_the_plan_page(app):
    save_sample_scenario(app)
    rebuild(app)
    # in words: optimal (green) or, on a loaded machine at the time limit, not proven best (never green)
    assert any("План готов: оптимальный план найден" in s.value for s in app.success) or \
        any("План готов: план найден, но не доказано" in w.value for w in app.warning)
    text = _texts(app)
    for word in ("OPTIMAL", "FEASIBLE", "None", "Цель", "Граница"):
        assert word not in text, word
    app.sidebar.selectbox[0].set_value(_college(app)).run()
    save_sample_scenario(app, COLLEGE)
    app.switch_page("app_pages/plan.py").run()
    assert not app.exception, app.exception
    assert not any("План готов" in s.value for s in [*app.success, *app.warning])  # school-17's run is not this one
    assert any("плана ещё нет" in i.value for i in app.info)
    assert not any(s.key == "plan_pick" for s in app.selectbox)


def test_a_reload_reopens_the_last_school(app):
    college = _college(app)
    app.sidebar.selectbox[0].set_value(college).run()
    fresh = AppTest.from_file(APP, default_timeout=60).run()  # a reload: a new session
    assert not fresh.exception and fresh.sidebar.selectbox[0].value == college
    assert not any("Данные:" in c.value for c in fresh.sidebar.caption)  # no server path in the sidebar


def test_an_asc_import_asks_for_name_time_zone_and_year_and_keeps_its_remarks(app):
    app.text_input(key="source_path").set_value(str(ASC)).run()
    app.button(key="read_path").click().run()
    assert not app.exception, app.exception
    assert any("Прочитано:" in w.value and "Замечаний:" in w.value for w in app.warning)  # not green
    assert not any("Прочитано" in s.value for s in app.success)
    asked = " ".join(m.value for m in app.markdown)
    assert "В файле нет: название, часовой пояс, учебный год" in asked
    app.text_input(key="imp_name_0").set_value("Гимназия № 5")
    app.selectbox(key="imp_tz_0").set_value("Asia/Yekaterinburg")
    app.button(key="import_save").click().run()
    assert not app.exception, app.exception
    school = Store.open().load_school("ukrainian-school-2019-01")
    assert (school.name, school.timezone) == ("Гимназия № 5", "Asia/Yekaterinburg")
    assert app.sidebar.selectbox[0].value == "Гимназия № 5"
    assert any("Сохранено в базу: Гимназия № 5" in s.value for s in app.success)
    assert any("Итог импорта" in m.value for m in app.markdown)
    # the remarks stay on the school page (after another page and a reload) until dismissed
    fresh = AppTest.from_file(APP, default_timeout=60).run()
    assert any("Итог импорта" in m.value for m in fresh.markdown)
    fresh.button(key="import_notes_dismiss").click().run()
    assert not any("Итог импорта" in m.value for m in fresh.markdown)


def test_the_settings_page_saves_name_time_zone_and_year(app):
    app.switch_page("app_pages/settings.py").run()
    assert not app.exception, app.exception
    key = "set_school-17_1"
    app.text_input(key=f"{key}_name").set_value("Школа № 17 им. Пушкина")
    app.selectbox(key=f"{key}_tz").set_value("Asia/Omsk")
    submit = next(b for b in app.button if b.label == "Сохранить настройки школы")
    submit.click().run()
    assert not app.exception, app.exception
    school = Store.open().load_school("school-17")
    assert (school.name, school.timezone) == ("Школа № 17 им. Пушкина", "Asia/Omsk")
    assert any("Настройки школы сохранены" in s.value for s in app.success)
    # a wrong public address is refused with the field named
    app.text_input(key="set_public_url").set_value("school17.ru").run()
    app.button(key="set_public_save").click().run()
    assert any("Публичный адрес" in e.value and "https://" in e.value for e in app.error)


def test_the_class_selection_preview_names_the_classes(app):
    app.switch_page("app_pages/transition.py").run()
    app.radio(key="sc_mode").set_value("параллели").run()
    app.text_input(key="sc_grades").set_value("1-4").run()
    preview = " ".join(c.value for c in app.caption if c.value.startswith("Выбрано"))
    assert preview.startswith("Выбрано") and "1А" in preview and "5А" not in preview
    app.text_input(key="sc_grades").set_value("1-4, пять").run()
    assert any("«пять»" in e.value for e in app.error)
