"""Honest, exact reasons (issue 13, item 3), checked on every reason of every sample plan against the plan
itself: the counts and minutes a reason states are the plan's, table 6.8 is cited only when the legal daily limit
would be exceeded (else the school's reserve is named as the school's own norm), the text matches the task kind,
no «урок(ами)»-style forms, and asynchronous windows stay inside the day window."""

from __future__ import annotations

import re

import pytest

from planner.plan import Mode
from planner.text import plural

from .test_sample_scenarios import SCENARIOS, _school, plan_for

PARENTHESISED_ENDING = re.compile(r"\w\((а|ы|и|ами|ов|ей)\)")


def _cell_screen(plan, o, groups: tuple[str, ...]) -> tuple[list, int]:
    """The live calls of o's class that day attended by the pupil cell `groups`, and the cell's screen minutes
    (calls and on-screen async work) that day."""
    same_day = [x for x in plan.occurrences if x.date == o.date and x.class_id == o.class_id
                and x.mode in (Mode.LIVE, Mode.ASYNC)]
    in_cell = [x for x in same_day if not x.groups or not groups or set(x.groups) & set(groups)]
    return [x for x in in_cell if x.mode == Mode.LIVE], sum(x.screen_minutes for x in in_cell)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_reason_states_the_plans_numbers_and_the_norm_that_binds(path):
    plan = plan_for(path)
    checked = 0
    for o in plan.occurrences:
        for r in o.reasons:
            assert not PARENTHESISED_ENDING.search(r.text_ru), r.text_ru
            if "calls" not in r.params or "screen_minutes" not in r.params:
                continue
            groups = tuple(g for g in str(r.params["groups"]).split(",") if g)
            calls, screen = _cell_screen(plan, o, groups)
            assert r.params["calls"] == len(calls), (o.key, r.text_ru)
            assert r.params["screen_minutes"] == sum(c.screen_minutes for c in calls), (o.key, r.text_ru)
            if calls:
                assert plural(len(calls), "урок", "урока", "уроков") + " онлайн" in r.text_ru, r.text_ru
            # the part made live adds one call and drops its own async screen time
            with_it = screen - o.screen_minutes + int(r.params["call_minutes"])
            budget, reserve = int(r.params["budget"]), int(r.params["reserve"])
            if r.norm_key == "eso.table_6_8":
                assert with_it > budget and "табл. 6.8" in r.text_ru, (o.key, with_it, budget, r.text_ru)
            else:
                assert r.code == "school_reserve" and budget - reserve < with_it <= budget, (o.key, r.text_ru)
                assert "норматив школы" in r.text_ru and "табл. 6.8" not in r.text_ru
            checked += 1
        if o.mode == Mode.ASYNC and o.async_work is not None:
            pol = plan.policies[o.date.isoformat()][o.class_id]
            start = o.async_work.window_start
            assert start.hour * 60 + start.minute >= pol.earliest_start.value, (o.key, start)
            if any(r.code == "teacher_sick" for r in o.reasons) and o.async_work.kind != "online_task":
                assert all("Моя школа" not in r.text_ru and "Моей школы" not in r.text_ru for r in o.reasons)
    if path.parent.parent.name == "school-17" and path.stem.startswith("01"):
        assert checked > 0, "the frost week must exercise screen reasons"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_moved_call_carries_a_reason(path):
    plan = plan_for(path)
    for o in plan.occurrences:
        if o.mode == Mode.LIVE and o.regular_start is not None and o.start != o.regular_start:
            assert o.reasons, f"{o.key} moved from {o.regular_start:%H:%M} to {o.start:%H:%M} without a reason"
            r = o.reasons[0]
            assert f"с {o.regular_start:%H:%M} на {o.start:%H:%M}" in r.text_ru, r.text_ru


def test_a_family_facing_reason_never_names_a_health_reason():
    for path in SCENARIOS:
        for o in plan_for(path).occurrences:
            for r in o.reasons:
                assert "болеет" not in r.text_ru and "болезн" not in r.text_ru, r.text_ru


def test_school_data_is_loaded_for_every_sample():
    assert {p.parent.parent.name for p in SCENARIOS} == {"school-17", "college-ptk"}
    assert _school("school-17").classes
