"""The plan grid's marks: a teacher's handed-over lesson names who took it (or says nobody did), the teacher view's
rows are the regular lesson times only, changed cells carry the ✎ mark the legend promises."""

from __future__ import annotations

from pathlib import Path

from planner.ui.plan_view import CHANGED_MARK, changed, plan_grid

ROOT = Path(__file__).resolve().parents[2]


def test_teacher_view_marks_and_rows(sample_school, sample_plan):
    school, plan = sample_school, sample_plan
    occs = list(plan.occurrences)
    i = next(i for i, o in enumerate(occs) if o.class_id == "3A" and o.teachers)
    teacher = occs[i].teachers[0]
    other = next(t for t in school.teachers if t.id != teacher)
    j = next(j for j, o in enumerate(occs) if j != i and teacher in o.teachers)
    occs[i] = occs[i].model_copy(update={"teachers": [other.id], "regular_teachers": [teacher]})
    occs[j] = occs[j].model_copy(update={"teachers": [], "regular_teachers": [teacher]})
    edited = plan.model_copy(update={"occurrences": occs})
    grid = plan_grid(school, edited, teacher_id=teacher)
    cells = " ".join(grid.text.to_numpy().ravel())
    assert f"— ведёт {other.name}" in cells
    assert "— без учителя" in cells
    assert "передан" not in cells
    # rows: regular lesson times «HH:MM–HH:MM», never a call's own time
    regular = {f"{o.regular_start:%H:%M}–{o.regular_end:%H:%M}" for o in edited.occurrences
               if teacher in o.teachers + o.regular_teachers and o.regular_start}
    assert set(grid.text.index) <= regular
    # the legend's mark is on exactly the changed cells
    marked = grid.text.map(lambda t: t.startswith(CHANGED_MARK))
    assert (marked == grid.changed).all().all()
    assert marked.any().any()
    assert any(changed(o) for o in edited.occurrences)


def test_a_lessons_details_name_the_cover_and_a_task_has_no_call_link(sample_school, norm_library):
    """Seen on the plan page (scenario 05): a task's details said «Ссылка на звонок» though a task has no call,
    and an absent teacher's lesson did not say who stands in and in what role."""
    from planner.plan.model import Mode
    from planner.rebuild import rebuild
    from planner.scenario import scenario_from_toml
    from planner.ui.plan_view import lesson_details

    root = Path(__file__).resolve().parents[2]
    plan = rebuild(sample_school, scenario_from_toml(root / "sample_data" / "school-17" / "scenarios" /
                                                     "05-sick-physics-teacher.toml"), norm_library, time_limit=10,
                   workers=1)
    task = next(o for o in plan.occurrences if o.mode == Mode.ASYNC and o.link)
    info = lesson_details(sample_school, plan, f"{task.key}#{task.part}")
    assert "Ссылка на звонок" not in info and info["Чат класса"] == task.link
    covered = next(o for o in plan.occurrences if o.mode == Mode.LIVE and o.cover is not None
                   and o.cover.role == "online")
    info = lesson_details(sample_school, plan, f"{covered.key}#{covered.part}")
    assert info["Замена"].startswith("замена: учитель отсутствует") and "Ссылка на звонок" in info
    assert "болеет" not in info["Замена"] and "больни" not in info["Замена"]
