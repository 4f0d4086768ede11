"""The effective policy of a scenario for one class on one date: every knob resolved to a value with its source.

Defaults come from the norms in force (never from numbers in code); a scenario knob overrides a default, and
the plan records which. The auditor does not use this resolver: it derives the legal limits from the norm data
itself (planner/audit/limits.py) and checks the plan's recorded values against them.
"""

from __future__ import annotations

from typing import Any

from planner.errors import InputError
from planner.norms import NormsInForce, time_to_minutes
from planner.norms.data import Norm
from planner.scenario.model import AsyncKind, Scenario
from planner.scenario.resolved import SCREEN_DEVICES, ClassPolicy, Source, Valued
from planner.school.model import StudentClass

__all__ = ["SCREEN_DEVICES", "ClassPolicy", "Valued", "class_policy"]


def _norm(norms: NormsInForce, key: str) -> Norm:
    norm = norms.get(key)
    if norm is None:
        raise InputError(f"norm '{key}' is not in force on {norms.day}", f"норма «{key}» не действует на "
                         f"{norms.day:%d.%m.%Y}")
    return norm


def _row_value(norms: NormsInForce, key: str, field: str = "value", **query: Any) -> int:
    row = _norm(norms, key).row(**query)
    if row is None:
        raise InputError(f"norm '{key}' has no value for {query}", f"у нормы «{key}» нет значения для {query}")
    return row.minutes(field)


def class_policy(scenario: Scenario, klass: StudentClass, norms: NormsInForce) -> ClassPolicy:
    knobs = scenario.policy
    grade = klass.norm_grade
    override = scenario.override_for(klass.id)
    devices = override.devices if override and override.devices is not None else klass.devices
    devices_source = Source.override(override.by) if override and override.devices is not None else Source.school()
    ready = klass.readiness.ready
    ready_source = Source.school()
    if override and override.ready is not None:
        ready, ready_source = override.ready, Source.override(override.by)

    table = _norm(norms, "eso.table_6_8")
    present = [d for d in SCREEN_DEVICES if getattr(devices, d) > 0]
    binding, lesson_limit, budget = None, None, None
    column = knobs.budget_column
    for d in present:
        row = table.row(device=d, grade=grade)
        if row is None or column not in row.values:
            raise InputError(f"table 6.8 has no '{column}' value for {d}, grade band of {grade}",
                             f"в табл. 6.8 нет значения «{column}» для {d}, класс {grade}")
        lim, bud = int(row.values["lesson"]), int(row.values[column])
        if lesson_limit is None or lim < lesson_limit:
            lesson_limit, binding = lim, d
        budget = bud if budget is None else min(budget, bud)
    distance_cap = knobs.live_lesson_max_minutes
    call_source = Source.scenario()
    if distance_cap is None:
        distance_cap = _row_value(norms, "distance.lesson_max_minutes")
        call_source = Source.norm("distance.lesson_max_minutes")
    if lesson_limit is not None and lesson_limit <= distance_cap:
        call = Valued(value=lesson_limit, source=Source.norm("eso.table_6_8"))
    else:
        call = Valued(value=distance_cap, source=call_source)

    sp_break = _row_value(norms, "breaks.min_minutes")
    if knobs.min_break_minutes is not None:
        if knobs.min_break_minutes < sp_break:
            raise InputError(f"min_break_minutes {knobs.min_break_minutes} is below the СП 2.4.3648-20 minimum of "
                             f"{sp_break}", f"min_break_minutes {knobs.min_break_minutes} меньше минимума "
                             f"СП 2.4.3648-20 ({sp_break} мин)")
        min_break = Valued(value=knobs.min_break_minutes, source=Source.scenario())
    else:
        rec = _row_value(norms, "distance.break_min_minutes")
        min_break = Valued(value=max(sp_break, rec),
                           source=Source.norm("breaks.min_minutes") if sp_break >= rec else Source.norm("distance.break_min_minutes"))

    reserve = Valued(value=knobs.reserve_minutes, source=Source.scenario()) if knobs.reserve_minutes is not None else \
        Valued(value=_row_value(norms, "screen.reserve_minutes"), source=Source.norm("screen.reserve_minutes"))
    latest_sp = _row_value(norms, "day.latest_end")
    if knobs.latest_end is not None:
        latest = Valued(value=min(latest_sp, time_to_minutes(knobs.latest_end)), source=Source.scenario())
    else:
        latest = Valued(value=min(latest_sp, _row_value(norms, "distance.latest_end")),
                        source=Source.norm("distance.latest_end"))
    sp_interval = _row_value(norms, "eso.continuous_minutes", grade=grade)
    if knobs.eye_gymnastics_interval_minutes is not None:
        if knobs.eye_gymnastics_interval_minutes > sp_interval:
            raise InputError(f"eye_gymnastics_interval_minutes {knobs.eye_gymnastics_interval_minutes} is above the "
                             f"continuous-screen limit of {sp_interval} min for grade {grade} (СП 2.4.3648-20, "
                             f"п. 2.10.2)", f"eye_gymnastics_interval_minutes {knobs.eye_gymnastics_interval_minutes} "
                             f"больше предела непрерывной работы с экраном {sp_interval} мин для {grade} класса "
                             f"(СП 2.4.3648-20, п. 2.10.2)")
        interval = Valued(value=knobs.eye_gymnastics_interval_minutes, source=Source.scenario())
    else:
        interval = Valued(value=sp_interval, source=Source.norm("eso.continuous_minutes"))
    gym = Valued(value=knobs.eye_gymnastics_minutes, source=Source.scenario()) if knobs.eye_gymnastics_minutes else \
        Valued(value=_row_value(norms, "eye_gymnastics.duration_minutes"), source=Source.norm("eye_gymnastics.duration_minutes"))
    async_screen = {k.value: knobs.async_screen_minutes.get(k, _row_value(norms, "async.screen_minutes", kind=k.value))
                    for k in AsyncKind}
    work = Valued(value=knobs.async_work_minutes, source=Source.scenario()) if knobs.async_work_minutes is not None else \
        Valued(value=_row_value(norms, "async.work_minutes"), source=Source.norm("async.work_minutes"))
    buffer = Valued(value=knobs.transition_buffer_minutes, source=Source.scenario()) \
        if knobs.transition_buffer_minutes is not None else \
        Valued(value=_row_value(norms, "teacher.transition_buffer_minutes"),
               source=Source.norm("teacher.transition_buffer_minutes"))
    return ClassPolicy(
        class_id=klass.id, devices=devices, devices_source=devices_source, binding_device=binding,
        pupils_without_device=devices.phone + devices.none, ready=ready, ready_source=ready_source,
        call_minutes=call, daily_budget=Valued(value=budget or 0, source=Source.norm("eso.table_6_8", column)),
        reserve=reserve, min_break=min_break,
        earliest_start=Valued(value=_row_value(norms, "day.earliest_start"), source=Source.norm("day.earliest_start")),
        latest_end=latest, gymnastics_interval=interval, gymnastics_minutes=gym, async_screen=async_screen, async_work_minutes=work,
        transition_buffer=buffer)
