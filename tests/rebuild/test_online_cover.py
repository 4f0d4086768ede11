"""Cover for absent teachers (issue 14, item 2): a sick teacher's live call goes to a qualified free colleague
(`rules.add_online_cover`, toys in the style of test_rules.py), else the task names a teacher who sets and checks
it; a co-taught lesson keeps its present teacher; self-study in the building names a free adult; whatever
cannot be arranged is a plan notice in amber — on small schools rebuilt end to end and audited."""

from __future__ import annotations

from builders import MONDAY, library, make_school
from ortools.sat.python import cp_model

from planner.audit import audit_plan
from planner.plan.model import Mode
from planner.rebuild import rebuild
from planner.rebuild.parts import CoverNeed
from planner.rebuild.rules import (
    W_COVER_RANK, CoverSpec, add_cover, add_online_cover, add_teacher_no_overlap, online_cover_terms,
)
from planner.scenario import scenario_from_dict
from planner.school.model import Lesson, StudentClass, Teacher, Unavailability
from rebuild.test_rules import NINE, DAY, call, model_of, part


def _feasible(v) -> bool:
    return cp_model.CpSolver().solve(v.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _covered(candidates=("T1",), busy=None, start=NINE):
    """A call of the sick T9 that T1 (and others) may take."""
    return call(part(0, teachers=("T9",), start=start), absent=("T9",), cover_candidates=list(candidates),
                cover_busy=busy or {})


# ---------------------------------------------------------------- the rule on toys


def test_a_covered_call_is_live_only_with_exactly_one_colleague():
    def build(live: int, cover: int):
        v = model_of([_covered()])
        add_online_cover(v, [], buffer=10)
        v.model.add(v.live[0] == live)
        v.model.add(v.online_cover[(0, "T1")] == cover)
        return v
    assert _feasible(build(1, 1))
    assert not _feasible(build(1, 0))  # nobody gives the call: it cannot be live
    assert not _feasible(build(0, 1))  # no cover for a call that is not held
    # the absent teacher has no call of their own: two covered calls of T9 may run at once with two colleagues
    v = model_of([_covered(("T1",)), call(part(1, class_id="7Б", teachers=("T9",)), absent=("T9",),
                                          cover_candidates=["T2"])])
    add_teacher_no_overlap(v)
    add_online_cover(v, [], buffer=10)
    for ci in (0, 1):
        v.model.add(v.live[ci] == 1)
        v.model.add(v.start[ci] == NINE)
    assert _feasible(v)


def test_the_colleague_busy_with_an_own_call_blocks_the_cover_at_that_time():
    own = call(part(1, class_id="7Б", teachers=("T1",)))

    def build(start: int):
        v = model_of([_covered(), own])
        add_teacher_no_overlap(v)
        add_online_cover(v, [], buffer=10)
        v.model.add(v.live[1] == 1)
        v.model.add(v.start[1] == NINE)
        v.model.add(v.live[0] == 1)
        v.model.add(v.start[0] == start)
        return v
    assert _feasible(build(NINE + 30))
    assert not _feasible(build(NINE))
    assert not _feasible(build(NINE + 25))


def test_the_cover_keeps_the_buffer_to_the_colleagues_in_school_lesson():
    # T1 teaches in the building 10:00–10:45; a 30-minute covered call keeps the 10-minute buffer either side
    def build(start: int):
        v = model_of([_covered(busy={"T1": [(600, 645)]})])
        add_online_cover(v, [], buffer=10)
        v.model.add(v.live[0] == 1)
        v.model.add(v.start[0] == start)
        return v
    assert _feasible(build(600 - 40))
    assert not _feasible(build(600 - 35))
    assert _feasible(build(645 + 10))
    assert not _feasible(build(645 + 5))


def test_the_cover_keeps_the_buffer_to_an_in_school_lesson_the_colleague_covers():
    need = CoverNeed(100, DAY, "5А", "L9", "cover100", "math", (), ("T8",), ("T8",), 25, 600, 645, 3, 1)

    def build(start: int, substitute: int):
        v = model_of([_covered()])
        add_cover(v, [CoverSpec(need, ["T1"])], buffer=10)
        add_online_cover(v, [CoverSpec(need, ["T1"])], buffer=10)
        v.model.add(v.live[0] == 1)
        v.model.add(v.start[0] == start)
        v.model.add(v.substitute[(100, "T1")] == substitute)
        return v
    assert _feasible(build(600 - 40, 1))
    assert not _feasible(build(600 - 35, 1))
    assert _feasible(build(600 - 35, 0))  # T1 not in the building for it: the call may be close


def test_online_cover_term_prefers_the_first_ranked_colleague():
    def build(who: str):
        v = model_of([_covered(("T1", "T2"))])
        add_online_cover(v, [], buffer=10)
        v.model.add(v.live[0] == 1)
        v.model.add(v.online_cover[(0, who)] == 1)
        v.model.add(sum(online_cover_terms(v)) > -W_COVER_RANK)
        return v
    assert _feasible(build("T1"))
    assert not _feasible(build("T2"))


# ---------------------------------------------------------------- end to end on a small school


def _school(*, colleague_unavailable: bool = False, colleague: bool = True, curator: str | None = None,
            co_teacher: bool = False, in_school_class: bool = False, helper_in_building: bool = True):
    """Class C (online) has physics on period 2 on Monday, given by T-phys (sick in the scenarios below)."""
    extra_lessons, extra_classes = [], []
    if colleague:  # the colleague's own lesson: class D, period 5
        extra_lessons.append(Lesson(id="D5", version="v", classes=["D"], subject="physics", day=1, period=5,
                                    teachers=["T-phys2"]))
    if in_school_class:  # class E stays in the building: physics period 3 with the sick teacher
        extra_lessons.append(Lesson(id="E3", version="v", classes=["E"], subject="physics", day=1, period=3,
                                    teachers=["T-phys"]))
        if helper_in_building:  # T-hist teaches E on periods 1 and 5: in the building, free at period 3
            extra_lessons += [Lesson(id=f"E{p}", version="v", classes=["E"], subject="history", day=1, period=p,
                                     teachers=["T-hist"]) for p in (1, 5)]
    for cid in ("D", "E"):
        if any(cid in le.classes for le in extra_lessons):
            extra_classes.append(StudentClass(id=cid, name=f"7{cid}", grade=7, age_min=13, age_max=14, students=20,
                                              bell_schedule="main"))
    school = make_school({1: ["math", "physics", "russian"]}, extra_lessons=extra_lessons,
                         extra_classes=extra_classes, teachers={"physics": "T-phys"})
    lessons = school.lessons
    if co_teacher:
        lessons = [le.model_copy(update={"teachers": ["T-phys", "T-phys3"]}) if le.subject == "physics"
                   and le.classes in (["C"], ["E"]) else le for le in lessons]
    teachers = [t.model_copy(update={"subjects": ["physics"]}) if t.id.startswith("T-phys") else t
                for t in school.teachers]
    if co_teacher:
        teachers.append(Teacher(id="T-phys3", name="T-phys3", subjects=["physics"]))
    if colleague_unavailable:
        teachers = [t.model_copy(update={"unavailable": [Unavailability(day=1)]}) if t.id == "T-phys2" else t
                    for t in teachers]
    classes = [k.model_copy(update={"curator": curator}) if k.id == "C" else k for k in school.classes]
    return school.model_copy(update={"teachers": teachers, "lessons": lessons, "classes": classes})


def _plan(school, online=("C",)):
    scenario = scenario_from_dict({"name": "t", "reason": "other", "start": MONDAY, "end": MONDAY,
                                   "online": {"classes": list(online)},
                                   "teachers": [{"teacher": "T-phys", "state": "sick"}]})
    return rebuild(school, scenario, library(), time_limit=5)


def _physics(plan, class_id="C"):
    return next(o for o in plan.occurrences if o.class_id == class_id and o.subject_id == "physics")


def _new_violations(school, plan):
    return [f for f in audit_plan(school, plan, library()).findings
            if f.severity == "violation" and not f.preexisting]


def test_the_sick_teachers_call_goes_to_the_free_colleague():
    school = _school()
    plan = _plan(school)
    o = _physics(plan)
    assert o.mode == Mode.LIVE and o.teachers == ["T-phys2"] and o.regular_teachers == ["T-phys"]
    assert o.teacher_changed and o.cover is not None and o.cover.role == "online"
    assert o.cover.teacher == "T-phys2" and o.cover.absent == ["T-phys"]
    assert "учитель отсутствует" in o.cover.text_ru and "бол" not in o.cover.text_ru
    assert plan.notices == []
    assert _new_violations(school, plan) == []


def test_a_colleague_off_that_day_cannot_give_the_call_but_is_named_to_set_the_task():
    school = _school(colleague_unavailable=True)
    plan = _plan(school)
    o = _physics(plan)
    assert o.mode == Mode.ASYNC and o.teachers == ["T-phys2"]
    assert o.cover.role == "task_setter" and "задание выдаёт и проверяет учитель того же предмета" in o.cover.text_ru
    assert plan.notices == []
    assert _new_violations(school, plan) == []


def test_without_a_colleague_the_curator_sets_the_task_else_the_plan_says_so_in_amber():
    with_curator = _school(colleague=False, curator="T-math")
    o = _physics(_plan(with_curator))
    assert o.mode == Mode.ASYNC and o.teachers == ["T-math"] and o.cover.role == "task_setter"
    assert "классный руководитель" in o.cover.text_ru

    nobody = _school(colleague=False)
    plan = _plan(nobody)
    o = _physics(plan)
    assert o.mode == Mode.ASYNC and o.teachers == [] and o.cover.role == "none"
    [notice] = plan.notices
    assert notice.level == "amber" and notice.code == "task_without_teacher"
    assert notice.class_id == "C" and notice.date == MONDAY and notice.lesson_id == o.lesson_id
    assert "7А" in notice.text_ru and "30.11" in notice.text_ru and "09:25" in notice.text_ru
    report = audit_plan(nobody, plan, library())  # the audit report repeats it
    assert f"не назначено: {notice.text_ru}" in report.notices_ru


def test_a_co_taught_lesson_keeps_its_present_teacher():
    """Online, in the building and in the e-journal rows: only the absent teacher is dropped."""
    from planner.publish.ejournal.epos import epos_tables

    school = _school(colleague=False, co_teacher=True, in_school_class=True)
    plan = _plan(school)
    o = _physics(plan)
    assert o.mode == Mode.LIVE and o.teachers == ["T-phys3"] and o.regular_teachers == ["T-phys", "T-phys3"]
    assert o.cover.role == "co_teacher" and o.cover.absent == ["T-phys"]
    e = _physics(plan, "E")
    assert e.mode == Mode.REPLACED and e.teachers == ["T-phys3"] and e.cover.role == "co_teacher"
    assert [r.code for r in e.reasons] == ["co_teacher"]
    assert plan.notices == []
    assert _new_violations(school, plan) == []
    rows = [r for r in epos_tables(school, plan).lessons if r[4] == "Физика"]
    assert len(rows) == 2 and {r[5] for r in rows} == {"T-phys3"}


def test_self_study_in_the_building_names_a_free_adult_else_it_is_reported():
    school = _school(colleague=False, in_school_class=True)
    plan = _plan(school)
    o = _physics(plan, "E")
    assert o.mode == Mode.REPLACED and o.teachers == ["T-hist"]
    assert o.cover.role == "supervisor" and o.cover.teacher == "T-hist"
    assert [r.params for r in o.reasons if r.code == "supervised_self_study"] == [{"supervisor": "T-hist"}]
    assert not [n for n in plan.notices if n.class_id == "E"]
    assert _new_violations(school, plan) == []

    alone = _school(colleague=False, in_school_class=True, helper_in_building=False)
    plan = _plan(alone)
    o = _physics(plan, "E")
    assert o.mode == Mode.REPLACED and o.teachers == [] and o.cover.role == "none"
    [notice] = [n for n in plan.notices if n.class_id == "E"]
    assert notice.code == "self_study_without_supervisor" and notice.start == o.start and notice.end == o.end
    assert "7E" in notice.text_ru and "10:30–11:15" in notice.text_ru
