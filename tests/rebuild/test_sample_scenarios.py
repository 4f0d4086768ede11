"""Every sample scenario gives a plan that the independent auditor passes with zero new violations, and the
plans do what each scenario is about."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

from planner.audit import audit_plan
from planner.importers import load_school
from planner.norms import NormLibrary
from planner.plan import Mode, Plan
from planner.rebuild import rebuild
from planner.rebuild.parts import in_cell
from planner.scenario import scenario_from_toml
from planner.scenario.model import NO_HAND_IN_KINDS

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
SCENARIOS = sorted(SAMPLES.glob("*/scenarios/*.toml"))
BASE_OF_REPLAN = {"11-frost-replan-sick-day2.toml": "01-frost-whole-school.toml",
                  "06-frost-replan-week-a.toml": "02-regional-order-week-a.toml"}


@lru_cache(maxsize=None)
def _school(name: str):
    return load_school(SAMPLES / name).school


@lru_cache(maxsize=1)
def _library():
    return NormLibrary.load()


@lru_cache(maxsize=None)
def plan_for(path: Path) -> Plan:
    school = _school(path.parent.parent.name)
    published = plan_for(path.parent / BASE_OF_REPLAN[path.name]) if path.name in BASE_OF_REPLAN else None
    return rebuild(school, scenario_from_toml(path), _library(), published=published, time_limit=20, workers=1)


def test_at_least_five_scenarios_per_institution():
    counts = defaultdict(int)
    for p in SCENARIOS:
        counts[p.parent.parent.name] += 1
    assert counts["school-17"] >= 5 and counts["college-ptk"] >= 5


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_sample_plan_passes_the_audit(path):
    plan = plan_for(path)
    report = audit_plan(_school(path.parent.parent.name), plan, _library())
    assert report.new_violations == [], [f.text("en") for f in report.new_violations][:3]
    assert report.exit_code == 0
    assert plan.solver.status in ("OPTIMAL", "FEASIBLE", "NOTHING_TO_DECIDE")
    for o in plan.occurrences:
        if o.mode == Mode.ASYNC:
            assert o.reasons, f"{o.key} is asynchronous without a reason"
            assert o.async_work
            # nothing to hand in only for the kinds without a hand-in (PE movement recommendations, a class hour)
            assert (o.async_work.deadline is None) == (o.async_work.kind in NO_HAND_IN_KINDS), o.key
            assert o.async_work.deadline is None or o.async_work.deadline > o.date


def _plan(name: str) -> Plan:
    return plan_for(next(p for p in SCENARIOS if p.name == name))


def test_whole_school_live_share_meets_the_analytic_bound():
    """Per pupil cell and day the most calls possible are min(lessons, screen cap // call length); every ready
    class with devices must reach at least 90 % of that bound over the week (teachers shared between classes
    can cost a call) and the school as a whole 98 %."""
    plan = _plan("01-frost-whole-school.toml")
    school = _school("school-17")
    bound_total = live_total = 0
    for klass in school.classes:
        bound = live = 0
        for day, pols in plan.policies.items():
            pol = pols.get(klass.id)
            if pol is None or not pol.ready or pol.binding_device is None:
                continue
            occs = [o for o in plan.occurrences if o.class_id == klass.id and o.date.isoformat() == day]
            for cell in klass.pupil_cells():
                mine = [o for o in occs if in_cell(tuple(o.groups), cell)]
                bound += min(len(mine), pol.screen_cap // pol.call_minutes.value)
                live += sum(o.mode == Mode.LIVE for o in mine)
        if bound:
            assert live >= 0.9 * bound, (klass.id, live, bound)
        bound_total += bound
        live_total += live
    assert live_total >= 0.98 * bound_total
    summary = {s.class_id: s for s in plan.summary}
    assert summary["7B"].live_parts == 0  # not ready
    assert min(s.live_share for s in plan.summary if s.class_id != "7B") >= 0.5


@pytest.mark.parametrize("name", ["01-frost-whole-school.toml", "02-regional-order-week-a.toml",
                                  "02-quarantine-grades-5-9.toml"])
def test_no_subject_of_a_ready_class_loses_all_its_calls(name):
    """The subject floor (1 call per student set and subject over the scenario) holds for every ready class,
    except for light subjects (≤ 4 points): hard subjects come first (issue 13), and a light lesson is not made
    live at the cost of a hard one of the same pupils to meet the floor."""
    from planner.rebuild.priority import difficulty_points, hardness

    path = next(p for p in SCENARIOS if p.name == name)
    plan, school = _plan(name), _school(path.parent.parent.name)
    keys = {s.id: s.norm_key for s in school.subjects}
    live = defaultdict(int)
    kind = {}
    for o in plan.occurrences:
        if o.mode in (Mode.LIVE, Mode.ASYNC):
            live[(o.class_id, tuple(o.groups), o.subject_id)] += o.mode == Mode.LIVE
            norms = _library().in_force(o.date)
            kind[id(o)] = hardness(norms, difficulty_points(norms, keys[o.subject_id],
                                                            school.class_by_id(o.class_id).norm_grade))

    light = {(o.class_id, tuple(o.groups), o.subject_id) for o in plan.occurrences if kind.get(id(o)) == "light"}
    not_ready = {cid for pols in plan.policies.values() for cid, p in pols.items() if not p.ready}
    lost = [k for k, n in live.items() if n == 0 and k[0] not in not_ready]
    assert live and [k for k in lost if k not in light] == []


def test_tablets_shorten_the_calls_of_3A():
    plan = _plan("03-class-3A-tablets.toml")
    live = [o for o in plan.occurrences if o.mode == Mode.LIVE]
    assert live and {o.screen_minutes for o in live} == {15}  # tablet, grades 3–4 (табл. 6.8)
    assert all(o.mode == Mode.IN_SCHOOL for o in plan.occurrences if o.class_id != "3A")


def test_a_third_on_phones_is_counted_and_the_rest_have_calls():
    plan = _plan("04-class-8B-phones.toml")
    [s] = [s for s in plan.summary if s.class_id == "8B"]
    klass = _school("school-17").class_by_id("8B")
    assert s.pupils_without_device == klass.devices.phone + klass.devices.none >= klass.students // 3
    assert s.live_parts > 0


def test_a_sick_teacher_teaches_nothing_and_is_replaced_in_school():
    plan = _plan("05-sick-physics-teacher.toml")
    assert not [o for o in plan.occurrences if "T-PHY1" in o.teachers]
    replaced = [o for o in plan.occurrences if o.mode == Mode.REPLACED]
    assert replaced and all("T-PHY1" in o.regular_teachers for o in replaced)
    assert {o.class_id for o in replaced} <= {"10A", "11A"}
    assert any(o.teachers for o in replaced)  # at least one qualified substitute found


def test_a_remote_teacher_gives_calls_but_nothing_in_school():
    plan = _plan("06-remote-math-teacher.toml")
    mine = [o for o in plan.occurrences if "T-MAT1" in o.teachers]
    assert mine and all(o.mode in (Mode.LIVE, Mode.ASYNC) for o in mine) and any(o.mode == Mode.LIVE for o in mine)
    assert [o for o in plan.occurrences if "T-MAT1" in o.regular_teachers and o.mode == Mode.REPLACED]


def test_readiness_and_its_override():
    not_ready = _plan("07-class-7B-not-ready.toml")
    assert not [o for o in not_ready.occurrences if o.mode == Mode.LIVE]
    assert all(o.reasons[0].code == "class_not_ready" for o in not_ready.occurrences if o.mode == Mode.ASYNC)
    ready = _plan("08-class-7B-ready-override.toml")
    assert [o for o in ready.occurrences if o.mode == Mode.LIVE]


def test_six_day_week_keeps_saturday():
    plan = _plan("09-seniors-six-day-week.toml")
    saturday = [o for o in plan.occurrences if o.date == date(2026, 12, 12) and o.mode == Mode.LIVE]
    assert {o.class_id for o in saturday} == {"10A", "10B", "11A", "11B"}


def test_first_grade_in_september_has_short_calls():
    plan = _plan("10-first-grade-september.toml")
    first = [o for o in plan.occurrences if o.class_id in ("1A", "1B", "1V")]
    per_day = defaultdict(int)
    for o in first:
        per_day[(o.class_id, o.date)] += 1
    assert set(per_day.values()) == {3}  # step mode: three lessons a day
    assert {o.screen_minutes for o in first if o.mode == Mode.LIVE} <= {10, 20}


def test_college_a_and_b_weeks_follow_the_calendar():
    school = _school("college-ptk")
    weeks = {le.id: le.weeks.value for le in school.lessons}
    week_b = _plan("01-frost-whole-college-week-b.toml")
    week_a = _plan("02-regional-order-week-a.toml")
    assert {weeks[o.lesson_id] for o in week_b.occurrences} == {"every", "B"}
    assert {weeks[o.lesson_id] for o in week_a.occurrences} == {"every", "A"}
    parts = [o for o in week_a.occurrences if o.parts == 2]
    assert parts and len(parts) == len(week_a.occurrences)  # every pair became two parts


@pytest.mark.parametrize("replan,base,first_new", [
    ("11-frost-replan-sick-day2.toml", "01-frost-whole-school.toml", date(2026, 12, 8)),
    ("06-frost-replan-week-a.toml", "02-regional-order-week-a.toml", date(2026, 12, 9)),
])
def test_replanning_freezes_the_past_and_measures_change_against_the_published_plan(replan, base, first_new):
    published, plan = _plan(base), _plan(replan)
    assert plan.baseline == "published"
    before = {(o.key, o.part): o for o in published.occurrences}
    frozen = [o for o in plan.occurrences if o.date < first_new]
    assert frozen and all(o == before[(o.key, o.part)] for o in frozen)
    sick = scenario_from_toml(next(p for p in SCENARIOS if p.name == replan)).teachers[0].teacher
    assert not [o for o in plan.occurrences if o.date >= first_new and sick in o.teachers]
    changed = [o for o in plan.occurrences if (o.mode, o.start, sorted(o.teachers)) != (
        before[(o.key, o.part)].mode, before[(o.key, o.part)].start, sorted(before[(o.key, o.part)].teachers))]
    assert changed and all(o.date >= first_new for o in changed)
    assert plan.perturbation_total == sum(o.pupils for o in changed)
    # minimal change: most of the published week stands as it was
    assert len(changed) < 0.2 * len(plan.occurrences)


def test_frost_plan_keeps_russian_and_mathematics_live_at_least_as_often_as_pe_and_music():
    """Issue 13: live time goes first to the subjects that most need a teacher (grades 5–9)."""
    plan = _plan("01-frost-whole-school.toml")
    school = _school("school-17")
    keys = {s.id: s.norm_key for s in school.subjects}
    grades = {c.id: c.grade for c in school.classes}
    share: dict[str, list[int]] = {"hard": [0, 0], "light": [0, 0]}
    for o in plan.occurrences:
        if o.mode not in (Mode.LIVE, Mode.ASYNC) or not 5 <= (grades[o.class_id] or 0) <= 9:
            continue
        kind = "hard" if keys[o.subject_id] in ("russian", "math", "algebra", "geometry") else \
            "light" if keys[o.subject_id] in ("pe", "music") else None
        if kind:
            share[kind][0] += o.mode == Mode.LIVE
            share[kind][1] += 1
    hard, light = (live / total for live, total in share.values())
    assert share["hard"][1] > 50 and share["light"][1] > 20
    assert hard >= light, (hard, light)


def test_no_hard_lesson_is_async_beside_a_live_light_one_without_a_hard_rule_reason():
    """Every sample plan: a hard lesson (≥ 8 points) left asynchronous while a light one (≤ 4) of the same pupils
    is live that day names the hard rule that kept it out (reason code hard_rule, or a reason forced before the
    solver: teacher sick, class not ready, no device)."""
    from planner.rebuild.priority import difficulty_points, hardness

    for path in SCENARIOS:
        plan, school = plan_for(path), _school(path.parent.parent.name)
        keys = {s.id: s.norm_key for s in school.subjects}
        by_day: dict[tuple, list] = defaultdict(list)
        for o in plan.occurrences:
            if o.mode in (Mode.LIVE, Mode.ASYNC):
                by_day[(o.date, o.class_id)].append(o)
        for (day, cid), occs in by_day.items():
            norms, grade = _library().in_force(day), school.class_by_id(cid).norm_grade
            kind = {id(o): hardness(norms, difficulty_points(norms, keys[o.subject_id], grade)) for o in occs}
            for o in occs:
                if o.mode != Mode.ASYNC or kind[id(o)] != "hard":
                    continue
                light_live = [c for c in occs if c.mode == Mode.LIVE and kind[id(c)] == "light"
                              and (not c.groups or not o.groups or set(c.groups) & set(o.groups))]
                if light_live:
                    assert o.reasons[0].code != "priority", (path.name, o.key, o.reasons[0].text_en)


def test_frost_plan_gives_light_subjects_their_own_async_kinds():
    """Issue 13: light subjects that go asynchronous get a fitting kind from the norm data ("async.kind_by_subject"):
    PE movement recommendations with nothing to hand in, music and art a creative task with the relaxed term,
    «Разговоры о важном» a class hour live whenever the class has a call that day — never a paper task with a
    deadline."""
    from planner.norms.hand_in import hand_in_deadline

    plan, school = _plan("01-frost-whole-school.toml"), _school("school-17")
    names = {s.id: s.name for s in school.subjects}
    keys = {s.id: s.norm_key for s in school.subjects}
    rov = next(s.id for s in school.subjects if s.name == "Разговоры о важном")
    norms = _library().in_force(plan.scenario.start)
    relaxed = int(norms.get("async.kind_by_subject").row(subject="music").value("hand_in_days"))
    assert relaxed > int(norms.get("async.hand_in_days").row().value())
    seen = {"pe": 0, "creative": 0, "rov_live": 0}
    live_days = {(o.date, o.class_id) for o in plan.occurrences if o.mode == Mode.LIVE}
    for o in plan.occurrences:
        w = o.async_work
        if o.subject_id == rov:
            assert not (w and w.deadline is not None), (o.key, names[o.subject_id])  # no paper task with a term
            if (o.date, o.class_id) in live_days:
                assert o.mode == Mode.LIVE or any(r.code != "priority" for r in o.reasons), o.key
                seen["rov_live"] += o.mode == Mode.LIVE
        if o.mode != Mode.ASYNC or w is None:
            continue
        if keys[o.subject_id] == "pe":
            assert (w.kind, w.deadline) == ("movement", None), o.key
            seen["pe"] += 1
        if keys[o.subject_id] in ("music", "fine_art"):
            assert w.kind == "creative", o.key
            assert w.deadline == hand_in_deadline(school, o.class_id, o.date, norms, days=relaxed), o.key
            assert w.deadline > hand_in_deadline(school, o.class_id, o.date, norms), o.key
            seen["creative"] += 1
    assert seen["pe"] > 5 and seen["creative"] > 3 and seen["rov_live"] > 10, seen
def test_the_sick_physics_teachers_calls_go_to_the_free_physics_colleague():
    """Issue 14, proof: T-PHY1 is sick; T-PHY2 (physics, off on Mondays) gives his calls from Tuesday on, every
    other lesson of his names who sets the task or supervises, and nothing is left unnamed."""
    plan = _plan("05-sick-physics-teacher.toml")
    own = [o for o in plan.occurrences if "T-PHY1" in o.regular_teachers]
    covered = [o for o in own if o.mode == Mode.LIVE]
    assert covered and all(o.teachers == ["T-PHY2"] and o.cover.role == "online" and o.teacher_changed
                           for o in covered)
    assert all(o.date.weekday() > 0 for o in covered)  # T-PHY2 is unavailable on Mondays
    assert all(o.teachers and o.cover is not None for o in own)
    assert plan.notices == []


def test_the_replan_gives_5a_live_russian_from_a_free_russian_teacher():
    """Issue 14, proof: after 5А's Russian teacher T-RUS1 falls ill (from Tuesday), 5А still has live Russian,
    given by another Russian teacher."""
    school = _school("school-17")
    plan = _plan("11-frost-replan-sick-day2.toml")
    russian = [o for o in plan.occurrences if o.class_id == "5A" and o.subject_id == "RUS" and o.mode == Mode.LIVE
               and o.date >= date(2026, 12, 8)]
    assert russian
    for o in russian:
        assert o.regular_teachers == ["T-RUS1"] and o.cover.role == "online"
        [who] = o.teachers
        assert "RUS" in school.teacher_by_id(who).subjects and who != "T-RUS1"
