"""The resolved policy of one online class on one date, as data: what the rebuild worked under and the plan
records (`Plan.policies`). Resolving it from the norms and the scenario's knobs is `planner.scenario.policy`'s
job; the auditor reads these types without that resolver (an import contract in pyproject.toml).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

from planner.school.model import DeviceCounts

SCREEN_DEVICES = ("pc", "laptop", "tablet")  # phones are not a learning device (eso.phones_forbidden)


SourceKind = Literal["norm", "scenario", "school", "override"]
_OVERRIDE_PREFIX = "scenario override by "


class Source(BaseModel):
    """Where a resolved value came from: a norm (its key, and the table column where one was chosen), the
    scenario's own knob, the school's data, or a scenario override (who made it). The one owner of provenance:
    code compares `kind` and reads `key`, never parses text. Stored plans keep the short text form
    (`str(source)`: "norm:<key>[:column]", "scenario", "school", "scenario override by <who>"), which
    `Source.parse` reads back, so plan files written before this type still load and the schema is unchanged."""

    model_config = ConfigDict(frozen=True)
    kind: SourceKind
    key: str = ""  # norm key (kind "norm")
    column: str = ""  # the chosen table column (kind "norm", e.g. eso.table_6_8's "home_day")
    by: str = ""  # who made the override (kind "override")

    @classmethod
    def norm(cls, key: str, column: str = "") -> Source:
        return cls(kind="norm", key=key, column=column)

    @classmethod
    def scenario(cls) -> Source:
        return cls(kind="scenario")

    @classmethod
    def school(cls) -> Source:
        return cls(kind="school")

    @classmethod
    def override(cls, by: str) -> Source:
        return cls(kind="override", by=by)

    @classmethod
    def parse(cls, value: Any) -> Any:
        """The stored text form → a Source (other values are left to pydantic's own validation)."""
        if not isinstance(value, str):
            return value
        if value.startswith("norm:"):
            key, _, column = value[len("norm:"):].partition(":")
            return cls.norm(key, column)
        if value.startswith(_OVERRIDE_PREFIX):
            return cls.override(value[len(_OVERRIDE_PREFIX):])
        if value in ("scenario", "school"):
            return cls(kind=value)  # pydantic validates the kind (narrowed by the membership test)
        raise ValueError(f"unknown value source {value!r}")

    def __str__(self) -> str:
        if self.kind == "norm":
            return f"norm:{self.key}" + (f":{self.column}" if self.column else "")
        if self.kind == "override":
            return _OVERRIDE_PREFIX + self.by
        return self.kind


# A Source field as stored: the text form in JSON and in the schema, a Source in memory.
StoredSource = Annotated[
    Source, BeforeValidator(Source.parse), PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "description": "norm:<key>[:column] | scenario | school | "
                    "scenario override by <who>"}),
]


class Valued(BaseModel):
    """A resolved value and where it came from."""

    model_config = ConfigDict(frozen=True)
    value: int
    source: StoredSource


class ClassPolicy(BaseModel):
    """The limits one online class works under on one date."""

    model_config = ConfigDict(frozen=True)
    class_id: str
    devices: DeviceCounts
    devices_source: StoredSource  # school or override
    binding_device: str | None  # the strictest device present among pupils with a permitted device
    pupils_without_device: int  # only a phone, or nothing: they get the alternative package
    ready: bool
    ready_source: StoredSource  # school or override
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
