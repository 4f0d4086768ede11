"""Сценарии: two saved scenarios, their plans compared side by side and lesson by lesson."""

from __future__ import annotations

from page.pagehelpers import frame_with, rebuild, save_sample_scenario


def test_two_saved_scenarios_compare(app):
    save_sample_scenario(app)
    rebuild(app)
    save_sample_scenario(app, "Пример: 05-sick-physics-teacher")
    labels = app.selectbox(key="sc_pick").options
    sick = next(lbl for lbl in labels if lbl.startswith("Морозы") is False and "(" in lbl and "Пример" not in lbl)
    rebuild(app, sick)
    app.switch_page("app_pages/scenarios.py").run()
    assert not app.exception
    listing = frame_with(app, "Сценарий")
    assert len(listing) == 2 and (listing["Планов"] == 1).all()
    options = app.multiselect(key="cmp_plans").options
    assert len(options) == 2
    app.multiselect(key="cmp_plans").set_value(options).run()
    assert not app.exception
    overview = frame_with(app, "Доля онлайн, % (средняя)")
    assert len(overview) == 2 and set(overview["Новые нарушения"]) == {0}
    live = frame_with(app, options and overview["План"].iloc[0])
    assert len(live) == 25
    diff = frame_with(app, "План 1")
    assert len(diff) > 0 and set(diff.columns) >= {"Ключ", "План 2"}
