"""Школа: the sample school stored on first start; import, template, editing with validation and stale saves."""

from __future__ import annotations


from page.pagehelpers import APP, ROOT
from streamlit.testing.v1 import AppTest

from planner.storage import Store


def test_first_start_stores_the_samples_and_shows_the_school(app, data_dir):
    assert (data_dir / "planner.sqlite3").exists()
    assert "Средняя общеобразовательная школа № 17" in " ".join(h.value for h in app.subheader)
    options = app.sidebar.selectbox[0].options
    assert len(options) == 2 and any("техникум" in o.lower() for o in options)
    classes = app.data_editor[0].value
    assert len(classes) == 25 and "7Б" in set(classes["Класс"])
    assert any(b.label == "Скачать шаблон XLSX" for b in app.get("download_button"))


def test_importing_a_file_and_a_bad_path_show_warnings_or_errors_in_russian(app, tmp_path):
    app.text_input(key="source_path").set_value(str(tmp_path / "нет-такого")).run()
    app.button(key="read_path").click().run()
    assert any("нет такого файла или папки" in e.value and "Что сделать" in e.value for e in app.error)
    app.text_input(key="source_path").set_value(str(ROOT / "sample_data" / "school-17" / "school.xlsx")).run()
    app.button(key="read_path").click().run()
    assert any("Прочитано: МАОУ" in s.value for s in app.success)
    assert any("уже есть" in i.value and "версия 1" in i.value for i in app.info)
    app.button(key="import_save").click().run()
    assert not app.exception
    assert Store.open().get("school", "school-17").version == 2


def test_editing_devices_validates_and_saves_with_the_version(app):
    # a device total that does not match the pupils is refused with the fix named
    app.session_state["ed_classes"] = {"edited_rows": {0: {"ПК": 99}}, "added_rows": [], "deleted_rows": []}
    app.run()
    app.button(key="save_classes").click().run()
    assert any("сумма по устройствам" in e.value and "Что сделать" in e.value for e in app.error)
    assert Store.open().get("school", "school-17").version == 1
    # a consistent change is saved as version 2
    frame = app.data_editor[0].value
    row = frame.iloc[0]
    app.session_state["ed_classes"] = {"edited_rows": {0: {"ПК": int(row["ПК"]) + 1, "Нет устройства":
                                                           int(row["Нет устройства"]) - 1 if row["Нет устройства"] else 0,
                                                           "Пробный звонок": True}},
                                       "added_rows": [], "deleted_rows": []}
    if not row["Нет устройства"]:
        app.session_state["ed_classes"]["edited_rows"][0] = {"Пробный звонок": not row["Пробный звонок"]}
    app.run()
    app.button(key="save_classes").click().run()
    assert not app.exception and any("Сохранено: версия 2" in s.value for s in app.success)
    assert Store.open().get("school", "school-17").version == 2


def test_a_stale_save_from_a_second_tab_is_refused_and_offers_a_reload(app, data_dir):
    other = AppTest.from_file(APP, default_timeout=60).run()  # the second tab
    other.session_state["ed_teachers"] = {"edited_rows": {0: {"Недоступен": "6"}}, "added_rows": [],
                                          "deleted_rows": []}
    other.run()
    other.button(key="save_teachers").click().run()
    assert any("Сохранено: версия 2" in s.value for s in other.success)
    # the first tab still edits version 1: its save is refused, nothing is overwritten
    app.session_state["ed_teachers"] = {"edited_rows": {0: {"Недоступен": "5"}}, "added_rows": [],
                                        "deleted_rows": []}
    app.run()
    app.button(key="save_teachers").click().run()
    assert any("уже изменён в другом окне" in e.value for e in app.error)
    school = Store.open().load_school("school-17")
    assert [u.day for u in school.teachers[0].unavailable] == [6]
    app.button(key="reload_fresh").click().run()
    assert not app.exception and "версия записи 2" in " ".join(c.value for c in app.caption)
