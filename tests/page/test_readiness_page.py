"""«Готовность»: the board for the sample school, a test call recorded by hand with who set it."""

from __future__ import annotations

from page.pagehelpers import frame_with

from planner.storage import Store


def test_the_board_lists_what_is_missing_and_a_test_call_is_recorded_with_who(app):
    app.switch_page("app_pages/readiness.py").run()
    assert not app.exception, app.exception
    assert any("из 25 классов" in h.value for h in app.subheader)
    frame = frame_with(app, "Чего не хватает")
    assert "нет тестового звонка" in frame["Чего не хватает"].iloc[0]
    app.button(key="rd_test_call").click().run()
    assert any("кто отмечает" in e.value for e in app.error)
    app.text_input(key="rd_by").set_value("Петрова М. И.").run()
    app.button(key="rd_test_call").click().run()
    assert not app.exception, app.exception
    school = Store.open().load_school("school-17")
    first = school.classes[0]
    assert first.readiness.test_call.by == "Петрова М. И." and first.readiness.test_call_done
    frame = frame_with(app, "Чего не хватает")
    assert "нет тестового звонка" not in frame["Чего не хватает"].iloc[0]
    assert "тестовый звонок: Петрова М. И." in frame["Отмечено"].iloc[0]
