"""The scenario: why and when which classes go online, teacher states, overrides and policy knobs.

A scenario is a TOML file (the page edits the same object). Dates, not weekdays: holidays, transferred days
and A/B weeks resolve from the school calendar. Policy knobs left out take norm-derived defaults
(`planner.scenario.policy.class_policy`), and the plan records the values used.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from planner.errors import InputError, Location, input_error_from_validation
from planner.school.model import DeviceCounts, School

SCENARIO_SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(StrEnum):
    WEATHER = "weather"
    QUARANTINE = "quarantine"
    REGIONAL_ORDER = "regional_order"
    OTHER = "other"


REASON_RU = {Reason.WEATHER: "неблагоприятные погодные условия", Reason.QUARANTINE: "карантин",
             Reason.REGIONAL_ORDER: "распоряжение региона", Reason.OTHER: "иная причина"}


class TeacherStateKind(StrEnum):
    AVAILABLE = "available"
    SICK = "sick"
    REMOTE_ONLY = "remote_only"  # in quarantine but working: online calls only, nothing in the building


class OnlineSelection(_Model):
    """Which classes go online: all, grade ranges ('5-9'), explicit class ids; minus exclusions."""

    all: bool = False
    grades: list[str] = []
    courses: list[str] = []
    classes: list[str] = []
    exclude: list[str] = []

    @field_validator("grades", "courses", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> list[str]:
        items = [v] if isinstance(v, (str, int)) else v
        for item in items:
            if not re.fullmatch(r"\d{1,2}(-\d{1,2})?", str(item).strip()):
                raise ValueError(f"'{item}' is not a grade or a range like 5-9")
        return [str(i).strip() for i in items]

    def resolve(self, school: School) -> list[str]:
        def in_ranges(value: int | None, ranges: list[str]) -> bool:
            if value is None:
                return False
            for r in ranges:
                lo, _, hi = str(r).partition("-")
                if int(lo) <= value <= int(hi or lo):
                    return True
            return False

        chosen = [c.id for c in school.classes if self.all or c.id in self.classes
                  or in_ranges(c.grade, self.grades) or in_ranges(c.course, self.courses)]
        return [c for c in chosen if c not in self.exclude]


class TeacherState(_Model):
    teacher: str
    state: TeacherStateKind
    start: date | None = Field(None, alias="from")  # default: the scenario's first date
    end: date | None = Field(None, alias="to")  # default: the scenario's last date
    note: str = ""

    # serialised under the names the scenario TOML and schemas/plan.schema.json use ("from"/"to")
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True)


class ClassOverride(_Model):
    """A scenario's correction of school data for one class, recorded with who made it."""

    class_id: str = Field(alias="class")
    devices: DeviceCounts | None = None
    ready: bool | None = None  # True: treat the class as ready although its flags say otherwise
    by: str
    note: str = ""

    # serialised as "class", the name the scenario TOML and schemas/plan.schema.json use
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True)


class AsyncKind(StrEnum):
    PAPER = "paper"  # paper tasks / textbook: no screen
    RECORDING = "recording"  # a recorded lesson: counts as screen time
    ONLINE_TASK = "online_task"  # «Моя школа» or e-journal tasks on a screen
    # light subjects' own kinds (norm "async.kind_by_subject"): nothing to hand in, or a relaxed hand-in
    MOVEMENT = "movement"  # PE: movement recommendations, nothing handed in
    CREATIVE = "creative"  # music, art: a creative task with a relaxed hand-in
    CLASS_HOUR = "class_hour"  # «Разговоры о важном»: a class hour; asynchronous only as material, no hand-in


ASYNC_KIND_RU = {AsyncKind.PAPER.value: "задание на бумаге или по учебнику",
                 AsyncKind.RECORDING.value: "видеозапись урока", AsyncKind.ONLINE_TASK.value: "задание онлайн",
                 AsyncKind.MOVEMENT.value: "рекомендации по двигательной активности",
                 AsyncKind.CREATIVE.value: "творческое задание",
                 AsyncKind.CLASS_HOUR.value: "классный час: материалы для обсуждения дома"}
# kinds with nothing to hand in: no deadline in the plan, the texts say «сдавать не нужно»
NO_HAND_IN_KINDS = frozenset({AsyncKind.MOVEMENT.value, AsyncKind.CLASS_HOUR.value})


class PolicyKnobs(_Model):
    """Scenario policy; every knob left as None takes its norm-derived default."""

    min_break_minutes: int | None = Field(None, ge=0, le=120)
    budget_column: str = "home_day"  # table 6.8 column for the daily screen budget: home_day or school_day
    reserve_minutes: int | None = Field(None, ge=0, le=240)
    live_lesson_max_minutes: int | None = Field(None, ge=5, le=90)
    latest_end: str | None = None  # HH:MM; default: the distance recommendation (18:00)
    eye_gymnastics_interval_minutes: int | None = Field(None, ge=3, le=60)
    eye_gymnastics_minutes: int | None = Field(None, ge=1, le=10)
    async_kind: AsyncKind = AsyncKind.PAPER
    async_kind_by_subject: dict[str, AsyncKind] = {}
    async_screen_minutes: dict[AsyncKind, int] = {}
    async_work_minutes: int | None = Field(None, ge=0, le=90)
    subject_priority: dict[str, float] = {}  # subject id or norm key -> weight (default 1)
    subject_floor: int = Field(1, ge=0, le=50)  # live parts per class × subject over the scenario, where possible
    transition_buffer_minutes: int | None = Field(None, ge=0, le=60)
    substitutes_allowed: bool = True

    @field_validator("latest_end")
    @classmethod
    def _hhmm(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", v):
            raise ValueError(f"latest_end '{v}' is not a time HH:MM")
        return v

    @field_validator("budget_column")
    @classmethod
    def _column(cls, v: str) -> str:
        if v not in ("home_day", "school_day"):
            raise ValueError("budget_column must be 'home_day' or 'school_day'")
        return v


class Scenario(_Model):
    schema_version: int = SCENARIO_SCHEMA_VERSION
    name: str
    reason: Reason
    start: date
    end: date
    created_by: str = ""
    description: str = ""
    online: OnlineSelection = OnlineSelection()
    teachers: list[TeacherState] = []
    overrides: list[ClassOverride] = []
    policy: PolicyKnobs = PolicyKnobs()
    replan_from: date | None = None  # re-planning: dates before this are frozen as published

    @model_validator(mode="after")
    def _dates(self) -> "Scenario":
        if self.end < self.start:
            raise ValueError(f"the scenario ends ({self.end}) before it starts ({self.start})")
        if (self.end - self.start).days > 92:
            raise ValueError("a scenario spans at most 93 days")
        return self

    def teacher_state(self, teacher_id: str, day: date) -> TeacherStateKind:
        for t in self.teachers:
            if t.teacher == teacher_id and (t.start or self.start) <= day <= (t.end or self.end):
                return t.state
        return TeacherStateKind.AVAILABLE

    def override_for(self, class_id: str) -> ClassOverride | None:
        return next((o for o in self.overrides if o.class_id == class_id), None)


def scenario_from_toml(path: Path) -> Scenario:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("scenario file not found", "файл сценария не найден", Location(file=str(path))) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", f"некорректный TOML: {exc}", Location(file=str(path))) from None
    return scenario_from_dict(raw, str(path))


def scenario_from_dict(raw: dict[str, Any], source: str = "") -> Scenario:
    try:
        return Scenario.model_validate(raw)
    except ValidationError as err:
        raise input_error_from_validation(err, source) from None


def check_scenario_references(scenario: Scenario, school: School, source: str = "") -> None:
    """Unknown classes or teachers named by the scenario stop it with a clear message."""
    class_ids = {c.id for c in school.classes}
    teacher_ids = {t.id for t in school.teachers}
    for _i, cid in enumerate([*scenario.online.classes, *scenario.online.exclude]):
        if cid not in class_ids:
            raise InputError(f"unknown class '{cid}'", f"неизвестный класс «{cid}»",
                             Location(file=source, element="online", field="classes"))
    for i, t in enumerate(scenario.teachers):
        if t.teacher not in teacher_ids:
            raise InputError(f"unknown teacher '{t.teacher}'", f"неизвестный учитель «{t.teacher}»",
                             Location(file=source, element=f"teachers[{i}]", field="teacher"))
    for i, o in enumerate(scenario.overrides):
        if o.class_id not in class_ids:
            raise InputError(f"unknown class '{o.class_id}'", f"неизвестный класс «{o.class_id}»",
                             Location(file=source, element=f"overrides[{i}]", field="class"))
        if o.devices is not None and school.class_by_id(o.class_id).students == 0:
            name = school.class_by_id(o.class_id).name
            raise InputError(f"class '{name}' has no pupil count (0, as imported from a file without counts), so "
                             f"device counts of {o.devices.total} cannot be checked: set the count first (import "
                             f"with --pupils \"{name}={o.devices.total}\", or on the page)",
                             f"у класса «{name}» не указано число учеников (0 — файл импорта без чисел), поэтому "
                             f"опрос на {o.devices.total} учеников не проверить: сначала укажите число (импорт с "
                             f"--pupils \"{name}={o.devices.total}\" или на странице школы)",
                             Location(file=source, element=f"overrides[{i}]", field="devices"))
        if o.devices is not None and o.devices.total != school.class_by_id(o.class_id).students:
            raise InputError(f"device counts add up to {o.devices.total}, the class has "
                             f"{school.class_by_id(o.class_id).students} pupils",
                             f"сумма по устройствам {o.devices.total}, а в классе "
                             f"{school.class_by_id(o.class_id).students} учеников",
                             Location(file=source, element=f"overrides[{i}]", field="devices"))
