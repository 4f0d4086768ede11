"""The hand-in deadline follows the school's rule (template local act: 004 п. 3.7, «не позднее 2-х дней со дня
проведения занятия») in the plan, the feeds, the chat messages and the ЭПОС workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planner.norms import NormLibrary
from planner.norms.hand_in import hand_in_deadline
from planner.norms.policy import parse_policy
from planner.plan.model import Mode
from planner.publish.ejournal.epos import epos_tables
from planner.publish.feeds.events import event_uid, events_from_plan
from planner.publish.chat.compose import compose_messages
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict
from planner.scenario.model import NO_HAND_IN_KINDS

ROOT = Path(__file__).resolve().parents[2]
FRIDAY = date(2026, 12, 4)
SCENARIO = scenario_from_dict({"name": "Морозы", "reason": "weather", "start": date(2026, 11, 30), "end": FRIDAY,
                               "created_by": "тест", "online": {"classes": ["5A"]}})
ORDINARY = ("paper", "online_task", "recording")  # the kinds the school's hand-in rule is for


@pytest.fixture(scope="module")
def school(sample_school):
    return sample_school


def _lib(count: str | None) -> NormLibrary:
    base = NormLibrary.load()
    if count is None:
        return base
    return base.with_policy(parse_policy(f'[policy]\nname = "счёт"\nhand_in_count = "{count}"\n', "p.toml"))


@pytest.mark.parametrize("lesson_day,count,expected", [
    (date(2026, 11, 30), None, date(2026, 12, 2)),  # Monday → end of Wednesday
    (FRIDAY, None, date(2026, 12, 7)),  # Friday → Sunday is not a school day → Monday
    (FRIDAY, "school_days", date(2026, 12, 8)),  # Friday → 2nd school day: Tuesday
    (date(2026, 11, 2), None, date(2026, 11, 5)),  # autumn vacation and 04.11 (public) → Thursday 05.11
    (date(2026, 12, 28), None, date(2027, 1, 12)),  # winter break → first school day after it
])
def test_the_rule(school, lesson_day, count, expected):
    assert hand_in_deadline(school, "5A", lesson_day, _lib(count).in_force(lesson_day)) == expected


@pytest.mark.parametrize("count,friday_due", [(None, date(2026, 12, 7)), ("school_days", date(2026, 12, 8))])
def test_plan_feeds_messages_and_epos_show_the_schools_deadline(school, count, friday_due):
    lib = _lib(count)
    # art, asynchronous on Friday, set as an ordinary paper task by the scenario (its own kind, a creative task
    # with a relaxed term, is the data's default): the school's rule applies to it
    plan = rebuild(school, scenario_from_dict({**SCENARIO.model_dump(by_alias=True),
                                               "policy": {"async_kind_by_subject": {"fine_art": "paper"}}}),
                   lib, time_limit=20, workers=1)
    # the school's rule holds for the ordinary tasks; light subjects' own kinds (norm "async.kind_by_subject")
    # have nothing to hand in, or a relaxed term counted by the same rule
    relaxed = int(lib.in_force(FRIDAY).get("async.kind_by_subject").row(subject="music").value("hand_in_days"))
    ordinary = {o.key for o in plan.occurrences if o.mode == Mode.ASYNC and o.async_work.kind in ORDINARY}
    friday = [o for o in plan.occurrences if o.key in ordinary and o.date == FRIDAY and o.class_id == "5A"]
    assert friday, "no asynchronous part on Friday to check"
    assert {o.async_work.deadline for o in friday} == {friday_due}
    for o in plan.occurrences:
        if o.mode == Mode.ASYNC:
            days = relaxed if o.async_work.kind == "creative" else None
            assert o.async_work.deadline == (None if o.async_work.kind in NO_HAND_IN_KINDS else hand_in_deadline(
                school, o.class_id, o.date, lib.in_force(o.date), days=days))
    text = f"сдать до {friday_due:%d.%m.%Y}"
    uids = {event_uid(o.key, o.part, school.id) for o in plan.occurrences if o.key in ordinary}
    events = [e for e in events_from_plan(school, plan) if e.date == FRIDAY and e.kind == "async" and e.uid in uids]
    assert events
    assert all(text in e.description for e in events)
    messages = compose_messages(school, plan)
    assert any(text in part for m in messages for part in m.text_parts)
    rows = [r for r in epos_tables(school, plan).lessons if r[0] == FRIDAY and r[-1] is not None
            and "творческое задание" not in r[-2]]
    assert rows
    assert {r[-1] for r in rows} == {friday_due}


def test_first_graders_get_no_homework(school):
    first = next(c for c in school.classes if c.grade == 1)
    monday = date(2026, 11, 30)
    norms = NormLibrary.load().in_force(monday)
    assert norms.get("grade1.no_homework").row(grade=1).value() == 0
    assert hand_in_deadline(school, first.id, monday, norms) == monday  # done in the day's window
    plan = rebuild(school, scenario_from_dict({"name": "Морозы", "reason": "weather", "start": monday,
                                              "end": FRIDAY, "created_by": "тест", "online": {"classes": [first.id]},
                                              "overrides": [{"class": first.id, "ready": False, "by": "тест"}]}),
                   NormLibrary.load(), time_limit=20, workers=1)
    parts = [o for o in plan.occurrences if o.mode == Mode.ASYNC and o.class_id == first.id]
    assert parts, "no asynchronous part of the first grade to check"
    assert all(o.async_work.deadline == (None if o.async_work.kind in NO_HAND_IN_KINDS else o.date) for o in parts)
    assert any(o.async_work.deadline == o.date for o in parts)
