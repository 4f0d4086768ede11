"""План: a whole-school rebuild from the page; the grid of 5А shows live calls and tasks; a lesson's reason."""

from __future__ import annotations

from page.pagehelpers import by_key, frame_with, rebuild, save_sample_scenario

from planner.plan.model import Plan
from planner.storage import Store


def test_rebuild_whole_school_shows_live_and_async_cells_of_5A(app):
    save_sample_scenario(app)
    rebuild(app)
    plans = Store.open().list("plan")
    assert len(plans) == 1 and plans[0].columns["status"] == "OPTIMAL"
    plan = Plan.model_validate(plans[0].payload)
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Найдено решений"]) >= 1 and float(metrics["Прошло, с"]) > 0
    app.selectbox(key="plan_class").set_value("5А").run()
    grid = by_key(app.dataframe, "plan_grid").value
    cells = " ".join(grid.to_numpy().ravel())
    assert list(grid.columns)[:5] == ["Пн 07.12", "Вт 08.12", "Ср 09.12", "Чт 10.12", "Пт 11.12"]
    assert "● 08:00–08:20 Разговоры о важном" in cells  # a live call, with its time
    assert "◇ Русский язык" in cells  # an asynchronous task
    assert any("онлайн:" in c.value and "задание:" in c.value for c in app.caption)
    # a task's reason cites the norm that made it a task
    app.selectbox(key="plan_day").set_value("Пн 07.12").run()
    task = next(o for o in app.selectbox(key="plan_lesson").options if "◇" in o)
    app.selectbox(key="plan_lesson").set_value(task).run()
    why = " ".join(m.value for m in app.markdown if "Почему" in m.value)
    assert "табл. 6.8" in why or "норматив школы" in why  # the legal limit, or only the school's reserve
    # screen minutes against the cap, and pupils without a permitted device
    screen = frame_with(app, "Экран, мин")
    assert (screen["Экран, мин"] <= screen["Предел, мин"]).all() and len(screen) == 25
    summary = frame_with(app, "Без допустимого устройства")
    assert summary["Без допустимого устройства"].sum() == sum(s.pupils_without_device for s in plan.summary) > 0


def test_the_teacher_view_and_reload_restore_the_plan(app, data_dir):
    save_sample_scenario(app)
    rebuild(app)
    app.radio(key="plan_view").set_value("по учителям").run()
    grid = by_key(app.dataframe, "plan_grid").value
    assert "·" in " ".join(grid.to_numpy().ravel())  # the class is named in a teacher's cells
    # a fresh session (a reload) finds the stored plan
    from streamlit.testing.v1 import AppTest
    from page.pagehelpers import APP
    fresh = AppTest.from_file(APP, default_timeout=60).run()
    fresh.switch_page("app_pages/plan.py").run()
    assert not fresh.exception and by_key(fresh.dataframe, "plan_grid").value.shape[1] >= 5


def test_a_colleges_amber_notice_reads_in_college_words(app):
    """Seen on the page (college-ptk, scenario 04): the amber notice of self-study nobody could supervise said
    «при отсутствии учителя» and «в школе» in a college; it is a warning (amber), never a green success."""
    college = next(o for o in app.sidebar.selectbox[0].options if "техникум" in o.lower())
    app.sidebar.selectbox[0].set_value(college).run()
    save_sample_scenario(app, "Пример: 04-first-course-sick-history-teacher")
    rebuild(app)
    notice = next(w.value for w in app.warning if "Некого назначить" in w.value)
    assert notice.startswith("Некого назначить при отсутствии преподавателя — назначьте вручную")
    assert "в колледже без присмотра" in notice and "в школе" not in notice and "учител" not in notice
    assert not any("Некого назначить" in s.value for s in app.success)
    # the week's choosers speak of группы, преподаватели, пары too (they said «Класс», «Учитель», «Урок»)
    assert app.radio(key="plan_view").options == ["по группам", "по преподавателям"]
    assert app.selectbox(key="plan_class").label == "Группа"
    assert app.selectbox(key="plan_lesson").label.startswith("Пара ")
