"""Smoke test of the benchmark's synthetic school: exact cloning, integrity, and a rebuild on it whose live calls
never put one teacher in two calls at once."""

from collections import defaultdict
from datetime import date

from bench.synthetic import sample_school, synthetic_school

from planner.norms import NormLibrary
from planner.plan import Mode
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict
from planner.school.calendar import lessons_on
from planner.school.integrity import find_problems

MONDAY = date(2026, 12, 7)


def _unsuffix(value, sfx="-c2"):
    """The original of a cloned value: the suffix dropped from every id it carries."""
    if isinstance(value, str):
        return value.removesuffix(sfx)
    if isinstance(value, list):
        return [_unsuffix(v, sfx) for v in value]
    if isinstance(value, dict):
        return {k: _unsuffix(v, sfx) for k, v in value.items()}
    return value


def test_thirty_classes_are_the_sample_plus_exact_clones_of_its_first_five():
    base = sample_school()
    school = synthetic_school(30)
    assert len(school.classes) == 30
    assert find_problems(school) == []

    first5 = [c.id for c in base.classes[:5]]
    assert [c.id for c in school.classes[25:]] == [f"{c}-c2" for c in first5]
    # the original 25 classes are untouched, with all their lessons
    assert [c.model_dump() for c in school.classes[:25]] == [c.model_dump() for c in base.classes]
    originals = [le for le in school.lessons if not le.id.endswith("-c2")]
    assert [le.model_dump() for le in originals] == [le.model_dump() for le in base.lessons]
    # plus exactly the lessons of the five cloned classes
    of_first5 = [le for le in base.lessons if set(le.classes) & set(first5)]
    clones = [le for le in school.lessons if le.id.endswith("-c2")]
    assert len(school.lessons) == len(base.lessons) + len(of_first5)
    assert [_unsuffix(le.model_dump()) for le in clones] == [le.model_dump() for le in of_first5]
    assert all(t.endswith("-c2") for le in clones for t in le.teachers)
    # exactly the teachers those classes need are cloned
    needed = {t for le in of_first5 for t in le.teachers}
    assert {t.id for t in school.teachers if t.id.endswith("-c2")} == {f"{t}-c2" for t in needed}
    assert synthetic_school(30) == school  # deterministic


def test_cloned_classes_keep_their_timetable_versions():
    base = sample_school()
    school = synthetic_school(30)
    for cid in ("1A", "2A"):  # 1A has class-specific versions, 2A the general one
        want = [(d.lesson.id, d.lesson.version, d.start_minute) for d in lessons_on(base, base.class_by_id(cid), MONDAY)]
        got = [(d.lesson.id, d.lesson.version, d.start_minute)
               for d in lessons_on(school, school.class_by_id(f"{cid}-c2"), MONDAY)]
        assert want, cid
        assert [(_unsuffix(i), _unsuffix(v), m) for i, v, m in got] == want
    g1 = [le for le in school.lessons if "1A-c2" in le.classes]
    assert g1
    assert all(le.version.endswith("-c2") for le in g1)


def test_a_one_day_rebuild_never_puts_a_teacher_in_two_live_calls_at_once():
    school = synthetic_school(30)
    sc = scenario_from_dict({"name": "smoke", "reason": "weather", "start": MONDAY, "end": MONDAY,
                             "online": {"all": True}})
    plan = rebuild(school, sc, NormLibrary.load(), time_limit=5.0, workers=1)
    assert plan.solver.status in ("OPTIMAL", "FEASIBLE")
    calls = defaultdict(dict)  # (teacher, date) -> {(lesson, part): (start, end)}: a combined call counts once
    for o in plan.occurrences:
        if o.mode == Mode.LIVE:
            assert o.start is not None
            assert o.end is not None
            assert o.start < o.end
            for t in o.teachers:
                calls[(t, o.date)][(o.lesson_id, o.part)] = (o.start, o.end)
    # not vacuous: cloned teachers teach live, and many teachers have several calls that day
    assert any(t.endswith("-c2") for t, _ in calls)
    assert sum(len(v) > 1 for v in calls.values()) >= 10
    for (teacher, day), spans in calls.items():
        ordered = sorted(spans.values())
        for (s1, e1), (s2, e2) in zip(ordered, ordered[1:]):
            assert e1 <= s2, f"teacher {teacher} has overlapping live calls on {day}: {s1}-{e1} and {s2}-{e2}"
