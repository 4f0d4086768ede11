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
