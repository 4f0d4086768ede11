"""The page: the lapse banner matches the norm data for today; a policy saved on the СанПиН page is used by that
school's audit and its history shows who and why."""

from __future__ import annotations

from datetime import date

from planner.norms import NormLibrary
from planner.norms.status import banner

TIGHT = '[policy]\nname = "Перемены 15 минут"\n\n[[change]]\nnorm = "breaks.min_minutes"\nvalue = 15\n'


def test_the_banner_follows_the_norm_data(app):
    expected = banner(NormLibrary.load(), date.today())
    shown = [w.value for w in app.warning if "утрач" in w.value or "не действует" in w.value]
    if expected is None:
        assert not shown
    else:
        assert shown == [expected] and "01.01.2027" in expected or "01.03.2027" in expected


def test_a_policy_saved_on_the_page_changes_the_audit_and_keeps_history(app):
    app.switch_page("app_pages/sanpin.py").run()
    assert not app.exception, app.exception
    app.date_input(key="au_from").set_value(date(2026, 11, 30)).run()
    app.date_input(key="au_to").set_value(date(2026, 12, 5)).run()
    before = {m.label: m.value for m in app.metric}
    assert before["Нарушения"] == "0"
    app.text_area(key="pol_text").set_value(TIGHT)
    app.text_input(key="pol_by").set_value("Петрова М. И.")
    app.text_input(key="pol_reason").set_value("приказ № 12")
    next(b for b in app.button if b.label == "Сохранить политику").click().run()
    assert not app.exception, app.exception
    after = {m.label: m.value for m in app.metric}
    assert int(after["Нарушения"]) > 0
    history = next(d.value for d in app.dataframe if "Кто" in d.value.columns)
    assert list(history["Кто"]) == ["Петрова М. И."] and list(history["Причина"]) == ["приказ № 12"]
    # a loosening without allow_loosen is refused and changes nothing
    app.text_area(key="pol_text").set_value(TIGHT.replace("15", "5"))
    app.text_input(key="pol_by").set_value("Петрова М. И.")
    app.text_input(key="pol_reason").set_value("попытка ослабить")
    next(b for b in app.button if b.label == "Сохранить политику").click().run()
    assert any("allow_loosen" in e.value for e in app.error)
    history = next(d.value for d in app.dataframe if "Кто" in d.value.columns)
    assert len(history) == 1
