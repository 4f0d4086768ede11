"""СанПиН: the regular timetable passes; a plan with a call edited by hand beyond табл. 6.8 is caught as a new
violation citing the clause, with filters and the XLSX export."""

from __future__ import annotations

from datetime import timedelta

from page.pagehelpers import frame_with, rebuild, save_sample_scenario

from planner.plan.model import Plan
from planner.storage import Store


def test_the_regular_timetable_has_no_violations(app):
    app.switch_page("app_pages/sanpin.py").run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Нарушения"] == "0"
    assert any("Обязательные нормы соблюдены" in s.value for s in app.success)
    assert any(b.label == "Скачать отчёт XLSX" for b in app.get("download_button"))


def test_a_hand_lengthened_call_is_a_new_table_6_8_violation(app):
    save_sample_scenario(app)
    rebuild(app)
    store = Store.open()
    [record] = store.list("plan")
    plan = Plan.model_validate(record.payload)
    # The deputy "fixes" one 5А call by hand to the full 45-minute lesson: over the per-lesson screen limit of
    # the class's strictest device (табл. 6.8). The plan is stored as any edited plan would be.
    occs = list(plan.occurrences)
    i = next(i for i, o in enumerate(occs) if o.class_id == "5A" and o.mode == "live" and not o.groups)
    o = occs[i]
    occs[i] = o.model_copy(update={"end": o.start + timedelta(minutes=45), "screen_minutes": 45, "gymnastics": []})
    edited = plan.model_copy(update={"occurrences": occs})
    store.save("plan", "plan-hand-edited", edited.model_dump(mode="json"), None, school_id="school-17",
               scenario_id=record.columns["scenario_id"], status="EDITED")

    app.switch_page("app_pages/sanpin.py").run()
    app.radio(key="au_what").set_value("План").run()
    from planner.ui.records import plan_labels
    by_id = {i: lbl for lbl, i in plan_labels(store, "school-17").items()}
    label = by_id["plan-hand-edited"]
    app.selectbox(key="au_plan").set_value(label).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Новые нарушения"]) >= 1
    assert any("новые нарушения" in e.value for e in app.error)
    findings = frame_with(app, "Норма")
    new = findings[(findings["Статус"] == "новое") & (findings["Уровень"] == "нарушение")]
    assert any("табл. 6.8" in n for n in new["Норма"]) and "5А" in set(new["Класс"])
    # the class filter narrows the table; another class shows none of it
    app.multiselect(key="au_classes").set_value(["7Б"]).run()
    assert "5А" not in set(frame_with(app, "Норма")["Класс"]) if any("Норма" in d.value.columns
                                                                   for d in app.dataframe) else True
    # the unmodified plan adds no violation
    good = by_id[record.id]
    app.multiselect(key="au_classes").set_value([]).run()
    app.selectbox(key="au_plan").set_value(good).run()
    assert {m.label: m.value for m in app.metric}["Новые нарушения"] == "0"


def test_a_plan_deleted_after_the_list_was_read_is_named_not_a_crash(app, sample_plan, monkeypatch):
    """mypy (issue 10): the page read `load_plan(...)`, Plan | None, as a Plan; a plan deleted in another tab between
    the list and the audit crashed the page with an AttributeError instead of saying which plan is gone."""
    import planner.storage.records as records

    Store.open().save("plan", "plan-gone", sample_plan.model_dump(mode="json"), None,
                      school_id=sample_plan.school_id, scenario_id="sc-gone", status="OPTIMAL")
    monkeypatch.setattr(records, "load_plan", lambda store, plan_id: None)  # gone by the time it is loaded
    app.switch_page("app_pages/sanpin.py").run()
    app.radio(key="au_what").set_value("План").run()
    assert not app.exception, app.exception
    assert any("plan-gone" in e.value and "нет плана" in e.value for e in app.error), [e.value for e in app.error]
