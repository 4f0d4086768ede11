"""The auditor's own reading of the law and of a scenario's knobs: a second implementation, on purpose, of what
the rebuild resolves in planner/scenario/policy.py (which the auditor may not import — pyproject.toml).

* `legal_limits(cd)` (planner/audit/checks/declared.py): the limits the law sets for one online class day,
  from the norm data in force (with the school's policy file applied: a value it loosens with allow_loosen is
  the school's law, and every finding against that row shows the loosening) and the school's own data (grade,
  devices, or the scenario's signed override of the device survey). Each value names its norm:

  - call length: СанПиН 1.2.3685-21, табл. 6.8, "на уроке", the strictest screen device present (eso.table_6_8);
  - daily screen budget: the same table, the scenario's column (дома / в школе), the strictest device;
  - day window: СП 2.4.3648-20, п. 3.4.16 (day.earliest_start, day.latest_end);
  - breaks: СП 2.4.3648-20, п. 3.4.16 (breaks.min_minutes);
  - continuous screen time: СП 2.4.3648-20, п. 2.10.2 (eso.continuous_minutes).

* `audit_policy(...)`: the values the plan's checks of the scenario's own choices read (reserve, minimum break,
  latest end, buffer, eye-gymnastics interval, asynchronous screen and work minutes, readiness, devices), resolved
  from the plan's scenario knobs with the norm defaults, never from the numbers the plan records.

The plan's recorded policy (`Plan.policies`) may only be stricter than the legal limits; `check_declared_limits`
(planner/audit/checks/declared.py) reports any looser recorded value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.errors import InputError
from planner.norms import NormsInForce, time_to_minutes
from planner.scenario.model import AsyncKind, Scenario
from planner.scenario.resolved import Source, Valued
from planner.school.model import DeviceCounts, StudentClass


@dataclass(frozen=True)
class AuditPolicy:
    """The scenario's choices for one online class on one date, as the auditor resolves them."""

    class_id: str
    devices: DeviceCounts
    ready: bool
    ready_source: Source
    reserve: Valued
    min_break: Valued
    latest_end: Valued
    gymnastics_interval: Valued
    transition_buffer: Valued
    async_screen: dict[str, int]
    async_work_minutes: Valued


def class_devices(scenario: Scenario, klass: StudentClass) -> DeviceCounts:
    """The pupils' devices: the school's survey, or the scenario's override of it (signed by a person)."""
    override = scenario.override_for(klass.id)
    return override.devices if override and override.devices is not None else klass.devices


def _norm_value(norms: NormsInForce, key: str, **query: Any) -> int:
    norm = norms.get(key)
    row = norm.row(**query) if norm is not None else None
    if row is None:
        raise InputError(f"norm '{key}' has no value in force on {norms.day} for {query}",
                         f"у нормы «{key}» нет значения на {norms.day:%d.%m.%Y} для {query}")
    return row.minutes()


def audit_policy(scenario: Scenario, klass: StudentClass, norms: NormsInForce) -> AuditPolicy:
    """The scenario's knobs for one class on one date; a knob left unset takes its norm's default."""
    knobs = scenario.policy
    override = scenario.override_for(klass.id)
    ready, ready_source = klass.readiness.ready, Source.school()
    if override and override.ready is not None:
        ready, ready_source = override.ready, Source.override(override.by)

    def knob(value: int | None, key: str, **query: Any) -> Valued:
        return Valued(value=value, source=Source.scenario()) if value is not None else \
            Valued(value=_norm_value(norms, key, **query), source=Source.norm(key))

    if knobs.min_break_minutes is not None:
        min_break = Valued(value=knobs.min_break_minutes, source=Source.scenario())
    else:
        sp, rec = _norm_value(norms, "breaks.min_minutes"), _norm_value(norms, "distance.break_min_minutes")
        min_break = Valued(value=max(sp, rec),
                           source=Source.norm("breaks.min_minutes") if sp >= rec else Source.norm("distance.break_min_minutes"))
    latest_sp = _norm_value(norms, "day.latest_end")
    latest = Valued(value=min(latest_sp, time_to_minutes(knobs.latest_end)), source=Source.scenario()) \
        if knobs.latest_end is not None else \
        Valued(value=min(latest_sp, _norm_value(norms, "distance.latest_end")), source=Source.norm("distance.latest_end"))
    return AuditPolicy(
        class_id=klass.id, devices=class_devices(scenario, klass), ready=ready, ready_source=ready_source,
        reserve=knob(knobs.reserve_minutes, "screen.reserve_minutes"), min_break=min_break, latest_end=latest,
        gymnastics_interval=knob(knobs.eye_gymnastics_interval_minutes, "eso.continuous_minutes",
                                 grade=klass.norm_grade),
        transition_buffer=knob(knobs.transition_buffer_minutes, "teacher.transition_buffer_minutes"),
        async_screen={k.value: knobs.async_screen_minutes.get(k, _norm_value(norms, "async.screen_minutes",
                                                                             kind=k.value)) for k in AsyncKind},
        async_work_minutes=knob(knobs.async_work_minutes, "async.work_minutes"))


__all__ = ["AuditPolicy", "audit_policy", "class_devices"]
