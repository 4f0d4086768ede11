"""Every break the norms ask for (regulation on Sferum use, 004, §3.5; СП 2.4.3648-20, п. 2.10.2): every live
call has its eye gymnastics — also a call no longer than the continuous-screen limit — and physical-activity
minutes by the norm data's interval and duration; both appear in the feeds and the MAX messages."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from planner.importers import load_school
from planner.norms import NormLibrary
from planner.plan import Mode, Plan
from planner.publish.feeds.events import events_from_plan
from planner.publish.chat.compose import class_text, teacher_text
from planner.rebuild import rebuild
from planner.rebuild.assemble import gymnastics_offsets, physical_minutes
from planner.scenario import scenario_from_toml

SOURCE = Path(__file__).resolve().parents[2] / "sample_data" / "school-17"


@lru_cache(maxsize=1)
def _school():
    return load_school(SOURCE).school


@lru_cache(maxsize=1)
def _frost() -> Plan:
    return rebuild(_school(), scenario_from_toml(SOURCE / "scenarios" / "01-frost-whole-school.toml"),
                   NormLibrary.load(), time_limit=20)


def test_a_call_as_long_as_the_limit_still_gets_eye_gymnastics():
    assert [(g.offset_minutes, g.minutes) for g in gymnastics_offsets(10, 10, 1)] == [(4, 1)]
    assert [(g.offset_minutes, g.minutes) for g in gymnastics_offsets(20, 20, 1)] == [(9, 1)]
    assert [(g.offset_minutes, g.minutes) for g in gymnastics_offsets(30, 15, 1)] == [(15, 1)]


def test_physical_minutes_follow_the_norm_data_and_skip_eye_breaks():
    day = _frost().scenario.start
    norms = NormLibrary.load().in_force(day)
    interval = int(norms.get("physical_minute.interval_minutes").row().value())
    assert norms.get("physical_minute.interval_minutes").confidence == "M"
    eyes = gymnastics_offsets(40, interval, 1)
    phys = physical_minutes(40, norms, eyes)
    assert phys and all(g.kind == "physical" for g in phys)
    assert phys[0].offset_minutes == interval + 1  # right after the eye break at the same moment
    assert physical_minutes(interval, norms, []) == []  # a call shorter than the interval needs none


def test_every_frost_call_has_eye_gymnastics_and_the_longer_ones_physical_minutes():
    plan = _frost()
    live = [o for o in plan.occurrences if o.mode == Mode.LIVE]
    assert live
    interval = int(NormLibrary.load().in_force(plan.scenario.start)
                   .get("physical_minute.interval_minutes").row().value())
    for o in live:
        length = int((o.end - o.start).total_seconds() // 60)
        kinds = [g.kind for g in o.gymnastics]
        assert "eyes" in kinds, o.key
        assert ("physical" in kinds) == (length > interval + 1), (o.key, length)
        assert all(0 < g.offset_minutes and g.offset_minutes + g.minutes <= length for g in o.gymnastics)


def test_breaks_appear_in_feeds_and_max_messages():
    school, plan = _school(), _frost()
    o = next(o for o in plan.occurrences if o.class_id == "8B" and o.mode == Mode.LIVE
             and any(g.kind == "physical" for g in o.gymnastics))
    tz = o.start.tzinfo
    times = {g.kind: (o.start + timedelta(minutes=g.offset_minutes)).astimezone(tz).strftime("%H:%M")
             for g in o.gymnastics}
    text = class_text(school, plan, "8B")
    assert f"гимнастика для глаз {times['eyes']}, физкультминутка {times['physical']}" in text
    assert f"физкультминутка {times['physical']}" in teacher_text(school, plan, o.teachers[0])
    event = next(e for e in events_from_plan(school, plan) if e.class_id == "8B" and e.start == o.start
                 and e.subject_id == o.subject_id)
    assert f"Физкультминутка: {times['physical']}" in event.description
    assert f"Гимнастика для глаз: {times['eyes']}" in event.description
