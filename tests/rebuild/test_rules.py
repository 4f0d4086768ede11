"""Each solver rule of planner/rebuild/rules.py on a tiny model of its own: the same toy is feasible with one
variable fixed one way and infeasible with it fixed another way (the objective terms are turned into a
threshold constraint for that purpose)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ortools.sat.python import cp_model

from planner.rebuild.parts import CoverNeed, Part
from planner.rebuild.rules import (
    W_CLASS_HOUR, W_COVER, W_FLOOR, W_KEEP, W_KEEP_TIME, W_LIVE, CallModel, CallSpec, Cell, CoverSpec,
    add_cell_order_and_breaks, add_chat_no_overlap, add_class_hour_with_the_day, class_hour_terms, add_cover, add_priority_inversions, add_screen_cap, add_teacher_no_overlap, allowed_starts, cover_terms, floor_key, keep_published_terms,
    live_value_terms, new_call_model, priority_inversion_terms, regular_time_terms, subject_floor_terms,
)

DAY = date(2026, 11, 30)
NINE = 9 * 60


def part(uid: int, class_id: str = "7А", subject: str = "math", teachers=("T1",), start: int = NINE,
         groups=()) -> Part:
    return Part(uid, DAY, class_id, f"L{uid}", f"{DAY}|{class_id}|L{uid}", 1, 1, subject, subject, tuple(groups),
                tuple(teachers), 25, start, start + 45, uid)


def call(p: Part, length: int = 30, window=(8 * 60, 17 * 60), forbidden=(), priority: int = 100,
         **more) -> CallSpec:
    return CallSpec(parts=[p], length=length, window=window, forbidden=list(forbidden), priority=priority,
                    difficulty=0, **more)


def solvable(build, **fix) -> bool:
    """Build the toy afresh, fix the named variables (live_i, start_i, sub_i) and say whether it is feasible."""
    v = build()
    for name, value in fix.items():
        kind, _, idx = name.rpartition("_")
        var = {"live": v.live, "start": v.start}.get(kind, {}).get(int(idx)) if kind != "sub" else \
            list(v.substitute.values())[int(idx)]
        v.model.add(var == value)
    status = cp_model.CpSolver().solve(v.model)
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def model_of(calls: list[CallSpec]) -> CallModel:
    return new_call_model(cp_model.CpModel(), calls)


def test_day_window_and_buffer_to_in_school_lessons():
    # the teacher teaches in the building 09:00–09:45; a 30-minute call keeps a 10-minute buffer either side
    spec = call(part(0), window=(8 * 60, 11 * 60), forbidden=[(NINE - 10 - 30, NINE + 45 + 10)])
    starts = allowed_starts(spec)
    assert NINE - 40 in starts and NINE - 35 not in starts and NINE + 55 in starts and NINE + 50 not in starts

    def build():
        return model_of([spec])
    assert solvable(build, live_0=1, start_0=NINE - 40)
    assert not solvable(build, live_0=1, start_0=NINE - 35)
    assert not solvable(build, live_0=1, start_0=7 * 60 + 55)  # before the window opens


def test_pupil_cell_order_and_breaks():
    first, second = part(0), part(1, subject="russian", start=NINE + 55)

    def build():
        v = model_of([call(first), call(second)])
        add_cell_order_and_breaks(v, [Cell([first, second], screen_cap=120, min_break=10)])
        v.model.add(v.live[0] == 1)
        v.model.add(v.live[1] == 1)
        v.model.add(v.start[0] == NINE)
        return v
    assert solvable(build, start_1=NINE + 40)  # 30 minutes of call, then the 10-minute break
    assert not solvable(build, start_1=NINE + 35)
    assert not solvable(build, start_1=NINE - 45)  # before the first: the regular order is kept


def test_groups_outside_the_cell_are_not_bound_by_its_breaks():
    a, b = part(0, groups=("en1",), teachers=("T1",)), part(1, groups=("en2",), teachers=("T2",))

    def build(cells):
        def make():
            v = model_of([call(a), call(b)])
            add_cell_order_and_breaks(v, cells)
            v.model.add(v.start[0] == NINE)
            return v
        return make
    apart = build([Cell([a], 120, 10), Cell([b], 120, 10)])  # en1 and en2 are different pupils
    together = build([Cell([a, b], 120, 10)])  # one pupil in both groups (a cell holds one group per division)
    assert solvable(apart, live_0=1, live_1=1, start_1=NINE)
    assert not solvable(together, live_0=1, live_1=1, start_1=NINE)


def test_daily_screen_cap():
    parts = [part(i, start=NINE + 55 * i) for i in range(3)]

    def build():
        v = model_of([call(p) for p in parts])
        add_screen_cap(v, [Cell(parts, screen_cap=60, min_break=10)])
        v.model.add(v.live[0] == 1)
        v.model.add(v.live[1] == 1)
        return v
    assert solvable(build, live_2=0)
    assert not solvable(build, live_2=1)  # 90 minutes over a cap of 60


def test_teacher_no_overlap():
    a, b = part(0, class_id="7А"), part(1, class_id="7Б")

    def build():
        v = model_of([call(a), call(b)])
        add_teacher_no_overlap(v)
        v.model.add(v.live[0] == 1)
        v.model.add(v.live[1] == 1)
        v.model.add(v.start[0] == NINE)
        return v
    assert solvable(build, start_1=NINE + 30)
    assert not solvable(build, start_1=NINE + 25)
    other = part(1, class_id="7Б", teachers=("T2",))

    def two_teachers():
        v = model_of([call(a), call(other)])
        add_teacher_no_overlap(v)
        return v
    assert solvable(two_teachers, live_0=1, live_1=1, start_0=NINE, start_1=NINE)


def _need(uid: int, start: int, key: str = "cover") -> CoverNeed:
    return CoverNeed(uid, DAY, "5А", "L9", f"{key}{uid}", "math", (), ("T9",), ("T9",), 25, start, start + 45, 3, 1)


def test_cover_of_absent_teachers_keeps_the_substitutes_buffer():
    # T1 may cover 10:00–10:45 in the building; its own 30-minute call keeps the 10-minute buffer
    def build():
        v = model_of([call(part(0))])
        add_cover(v, [CoverSpec(_need(100, 10 * 60), ["T1"])], buffer=10)
        v.model.add(v.live[0] == 1)
        v.model.add(list(v.substitute.values())[0] == 1)
        return v
    assert solvable(build, start_0=10 * 60 - 40)
    assert not solvable(build, start_0=10 * 60 - 35)


def test_cover_a_substitute_takes_one_lesson_at_a_time():
    def build():
        v = model_of([])
        add_cover(v, [CoverSpec(_need(100, 10 * 60), ["T1"]), CoverSpec(_need(101, 10 * 60 + 30), ["T1"])], 10)
        v.model.add(v.substitute[(100, "T1")] == 1)
        return v
    assert solvable(build, sub_1=0)
    assert not solvable(build, sub_1=1)


def test_subject_floor_term():
    p = part(0)

    def build():
        v = model_of([call(p)])
        v.model.add(sum(subject_floor_terms(v, {floor_key(p.class_id, p.groups, p.subject_id): 1})) >= W_FLOOR)
        return v
    assert solvable(build, live_0=1)
    assert not solvable(build, live_0=0)


def test_cover_term():
    def build():
        v = model_of([])
        add_cover(v, [CoverSpec(_need(100, 10 * 60), ["T1"])], 10)
        v.model.add(sum(cover_terms(v)) >= W_COVER)
        return v
    assert solvable(build, sub_0=1)
    assert not solvable(build, sub_0=0)


def test_live_value_term_prefers_the_higher_priority():
    light, hard = part(0, subject="music"), part(1, subject="algebra", start=NINE + 55)

    def build():
        v = model_of([call(light, priority=50), call(hard, priority=200)])
        add_screen_cap(v, [Cell([light, hard], screen_cap=30, min_break=10)])  # room for one call
        v.model.add(sum(live_value_terms(v, frozenset())) >= W_LIVE * 30 * 2)
        return v
    assert solvable(build, live_1=1)
    assert not solvable(build, live_1=0)


def test_keep_published_term():
    def build():
        v = model_of([call(part(0), published_live=True, published_start=NINE)])
        v.model.add(sum(keep_published_terms(v)) >= W_KEEP + W_KEEP_TIME)
        v.model.add(v.live[0] == 1)
        return v
    assert solvable(build, start_0=NINE)
    assert not solvable(build, start_0=NINE + 5)


def test_regular_time_term():
    def build():
        v = model_of([call(part(0))])
        v.model.add(sum(regular_time_terms(v)) >= -5)  # at most 5 minutes away from the regular start
        return v
    assert solvable(build, start_0=NINE + 5)
    assert not solvable(build, start_0=NINE + 10)


def test_one_call_per_chat():
    # two language groups of one class (different pupils, different teachers) in the class's only chat
    en1 = part(0, subject="english", teachers=("T1",), groups=("en1",))
    en2 = part(1, subject="english", teachers=("T2",), groups=("en2",))

    def build(chat1: str, chat2: str):
        def make():
            v = model_of([call(replace(en1, chat=chat1)), call(replace(en2, chat=chat2))])
            add_chat_no_overlap(v, [Cell([en1], 120, 10), Cell([en2], 120, 10)])
            v.model.add(v.live[0] == 1)
            v.model.add(v.live[1] == 1)
            v.model.add(v.start[0] == NINE)
            return v
        return make
    shared = build("https://max.ru/join/7a", "https://max.ru/join/7a")
    assert solvable(shared, start_1=NINE + 30)
    assert not solvable(shared, start_1=NINE + 15)
    assert solvable(build("https://max.ru/join/7a-en1", "https://max.ru/join/7a-en2"), start_1=NINE)


def test_priority_inversion_term():
    # one call's room for the cell: the hard lesson must have it before the light one
    light = part(0, subject="music")
    hard = part(1, subject="algebra", start=NINE + 55)

    def build():
        v = model_of([call(light, priority=300, hardness="light"), call(hard, priority=50, hardness="hard")])
        add_screen_cap(v, [Cell([light, hard], screen_cap=30, min_break=10)])
        add_priority_inversions(v, [Cell([light, hard], 30, 10)])
        v.model.add(sum(priority_inversion_terms(v)) >= 0)  # no inversion
        return v
    assert solvable(build, live_0=0, live_1=1)
    assert not solvable(build, live_0=1)  # the light lesson live, so the hard one async: an inversion


def test_a_subject_floor_never_counts_a_light_call_that_displaces_a_hard_one():
    light, hard = part(0, subject="music"), part(1, subject="algebra", start=NINE + 55)
    cell = Cell([light, hard], screen_cap=60, min_break=10)

    def build():
        v = model_of([call(light, hardness="light"), call(hard, hardness="hard")])
        add_screen_cap(v, [cell])
        add_priority_inversions(v, [cell])
        v.model.add(sum(subject_floor_terms(v, {floor_key(light.class_id, (), "music"): 1})) >= W_FLOOR)
        return v
    assert solvable(build, live_1=1)  # the hard call live too: the light one meets its floor
    assert not solvable(build, live_1=0)  # the light call beside an asynchronous hard one earns no floor credit


def test_a_class_hour_goes_live_with_its_class_day():
    # «Разговоры о важном» (a class hour) and mathematics of one class: the class hour is live whenever
    # anything of the class is live that day
    hour, math = part(0, subject="conversations"), part(1, subject="math", start=NINE + 55)
    cell = Cell([hour, math], screen_cap=120, min_break=10)

    def build():
        v = model_of([call(hour, class_hour=True), call(math)])
        add_cell_order_and_breaks(v, [cell])
        add_class_hour_with_the_day(v, [cell])
        v.model.add(sum(class_hour_terms(v)) >= 0)  # the class hour not missed
        return v
    assert solvable(build, live_0=1, live_1=1)
    assert solvable(build, live_0=0, live_1=0)  # nothing live that day: the class hour may be material too
    assert not solvable(build, live_0=0, live_1=1)  # mathematics live, the class hour not: missed
    assert W_CLASS_HOUR > W_FLOOR  # it outranks a subject floor's call


def test_a_class_hour_the_screen_cap_keeps_out_leaves_the_day_live():
    # room for one call only and the class hour cannot be live (no start in its window): the other call stays
    # live; the objective pays the miss instead of dropping the day
    hour, math = part(0, subject="conversations"), part(1, subject="math", start=NINE + 55)
    cell = Cell([hour, math], screen_cap=30, min_break=10)

    def build():
        v = model_of([call(hour, class_hour=True), call(math)])
        add_screen_cap(v, [cell])
        add_class_hour_with_the_day(v, [cell])
        v.model.add(v.live[0] == 0)  # a hard rule keeps the class hour out
        v.model.add(sum(class_hour_terms(v)) >= -W_CLASS_HOUR)
        return v
    assert solvable(build, live_1=1)
