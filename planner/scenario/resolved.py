"""The resolved policy of one online class on one date, as data: what the rebuild worked under and the plan
records (`Plan.policies`). Resolving it from the norms and the scenario's knobs is `planner.scenario.policy`'s
job; the auditor reads these types without that resolver (an import contract in pyproject.toml).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from planner.school.model import DeviceCounts

SCREEN_DEVICES = ("pc", "laptop", "tablet")  # phones are not a learning device (eso.phones_forbidden)


class Valued(BaseModel):
    """A resolved value and where it came from."""

    model_config = ConfigDict(frozen=True)
    value: int
    source: str  # "norm:<key>" or "scenario" or "school"


class ClassPolicy(BaseModel):
    """The limits one online class works under on one date."""

    model_config = ConfigDict(frozen=True)
    class_id: str
    devices: DeviceCounts
    devices_source: str  # "school" or "scenario override by …"
    binding_device: str | None  # the strictest device present among pupils with a permitted device
    pupils_without_device: int  # only a phone, or nothing: they get the alternative package
    ready: bool
    ready_source: str
    call_minutes: Valued  # length of one live part
    daily_budget: Valued  # table 6.8, the chosen column
    reserve: Valued
    min_break: Valued
    earliest_start: Valued  # minutes of the day
    latest_end: Valued
    gymnastics_interval: Valued
    gymnastics_minutes: Valued
    async_screen: dict[str, int]
    async_work_minutes: Valued
    transition_buffer: Valued

    @property
    def screen_cap(self) -> int:
        return max(0, self.daily_budget.value - self.reserve.value)
