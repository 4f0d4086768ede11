"""The plan: for every date of a scenario and every lesson occurrence, what happens (schema in
schemas/plan.schema.json). Made by the rebuild, read by the auditor, the feeds, the messages and the page."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from planner.scenario.model import AsyncKind, Scenario
from planner.scenario.resolved import ClassPolicy

PLAN_SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Mode(StrEnum):
    LIVE = "live"  # a video call
    ASYNC = "async"  # asynchronous work with a task window and a hand-in deadline
    IN_SCHOOL = "in_school"  # the regular lesson, in the building
    REPLACED = "replaced"  # an in-school lesson given by a substitute, or supervised self-study
    CANCELLED = "cancelled"


class ReasonText(_Model):
    """Why an occurrence is not a live call at its regular time with its regular teacher."""

    code: str  # norm | priority | teacher_sick | teacher_remote | class_not_ready | no_device | teacher_busy | ...
    norm_key: str | None = None
    params: dict[str, str | int | float] = {}
    text_ru: str
    text_en: str


class Gymnastics(_Model):
    offset_minutes: int = Field(ge=0)  # from the start of the live part
    minutes: int = Field(ge=1)
    kind: str = "eyes"  # eyes | physical


class AsyncWork(_Model):
    kind: AsyncKind  # paper | recording | online_task | movement | creative | class_hour
    window_start: datetime
    window_end: datetime
    # hand-in date (norm async.hand_in_days, counted by planner.norms.hand_in; a creative task's relaxed term from
    # norm async.kind_by_subject); None: nothing to hand in (movement recommendations, a class hour)
    deadline: date | None
    work_minutes: int


class Alternative(_Model):
    """The paired alternative of a live lesson for the pupils who cannot join the call (regulation on Sferum use,
    004, §3.7; a phone is no permitted device, §3.3): counts only, never names."""

    kind: str  # recording (the teacher records the call) | online_task (e-journal / «Моя школа») | paper
    pupils: int = Field(ge=1)  # phone_only + no_device + refusals (at most the lesson's pupils)
    phone_only: int = Field(0, ge=0)
    no_device: int = Field(0, ge=0)
    refusals: int = Field(0, ge=0)  # written refusals of distance lessons
    window_start: datetime
    window_end: datetime
    deadline: date  # hand-in date (norm async.hand_in_days, planner.norms.hand_in)
    set_by: list[str] = []  # the teachers who record the call or set the task, and check the work


class Cover(_Model):
    """Who stands in for the absent regular teachers of an occurrence (family-facing text says only that the
    teacher is absent, never why). role: online — a colleague takes the live call; co_teacher — the present teacher of a co-taught lesson keeps it; substitute — a colleague
    teaches the in-school lesson; supervisor — a free adult in the building supervises self-study; task_setter —
    a named teacher sets and checks the asynchronous task; none — nobody could be named (the plan's notices say
    so in amber)."""

    role: str  # online | co_teacher | substitute | supervisor | task_setter | none
    teacher: str | None = None  # the covering teacher's id (None only with role "none")
    absent: list[str] = []  # the regular teachers absent on the date
    text_ru: str
    text_en: str


class Occurrence(_Model):
    key: str  # OccurrenceKey: DATE|CLASS-OR-GROUP|LESSON
    part: int = 1  # a college pair or a double lesson becomes several parts
    parts: int = 1
    date: date
    class_id: str
    groups: list[str] = []
    lesson_id: str
    subject_id: str
    mode: Mode
    start: datetime | None = None  # live, in school, replaced: time-zone-aware
    end: datetime | None = None
    regular_start: datetime | None = None
    regular_end: datetime | None = None
    teachers: list[str] = []
    regular_teachers: list[str] = []
    link: str | None = None
    gymnastics: list[Gymnastics] = []
    async_work: AsyncWork | None = None
    alternative: Alternative | None = None  # live lessons of a class with pupils who cannot join (004 §3.7)
    screen_minutes: int = 0
    pupils: int = 0
    reasons: list[ReasonText] = []
    cover: Cover | None = None  # set when a regular teacher is absent (online cover, substitute, named setter)
    teacher_changed: bool = False
    day_changed: bool = False


class SolverInfo(_Model):
    status: str  # OPTIMAL | FEASIBLE | NO_ONLINE | FROZEN
    objective: float = 0
    bound: float = 0
    gap: float = 0
    wall_seconds: float = 0
    workers: int = 1
    components: int = 0
    time_limit_seconds: float = 0


class ClassSummary(_Model):
    class_id: str
    online_days: int
    parts: int
    live_parts: int
    live_minutes: int
    live_share: float
    max_screen_minutes: int
    screen_cap: int
    pupils_without_device: int
    perturbation: float


class AllPaperClass(_Model):
    """A class whose every online part went asynchronous because data the planner needs is missing (no device
    survey, no pupil count, readiness not confirmed): the plan is all paper for it, and says so."""

    class_id: str
    class_name: str
    missing: list[str]  # devices | pupils | readiness
    text_ru: str
    text_en: str


class PartialTimetable(_Model):
    """The regular timetable was accepted although the source left lessons without a place."""

    placed: int
    total: int


class PlanNotice(_Model):
    """Something the plan could not arrange and a person must (shown in amber on the page and in reports):
    an absent teacher's task nobody could be named to set, self-study with no free adult to supervise it."""

    level: str = "amber"
    code: str  # task_without_teacher | self_study_without_supervisor
    class_id: str
    date: date
    start: datetime | None = None
    end: datetime | None = None
    lesson_id: str = ""
    text_ru: str
    text_en: str


class Plan(_Model):
    schema_version: int = PLAN_SCHEMA_VERSION
    school_id: str
    school_fingerprint: str
    timezone: str
    scenario: Scenario
    norm_sets: list[str]
    policies: dict[str, dict[str, ClassPolicy]] = Field(default_factory=dict)  # date -> class -> policy
    solver: SolverInfo
    created_at: datetime
    baseline: str = "regular"  # regular | published
    occurrences: list[Occurrence]
    summary: list[ClassSummary] = []
    perturbation_total: float = 0
    all_paper: list[AllPaperClass] = []  # classes fully async for missing data (see planner.rebuild.paper)
    partial_timetable: PartialTimetable | None = None  # set when a partial timetable was accepted
    notices: list[PlanNotice] = []  # what the plan could not arrange (amber): see PlanNotice

    def to_json(self) -> str:
        return self.model_dump_json(indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Plan":
        return cls.model_validate_json(text)

    def content_hash(self) -> str:
        data = self.model_dump(mode="json", exclude={"created_at", "solver"})
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def plan_json_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema()
    schema["$id"] = "https://planner.local/schemas/plan.schema.json"
    schema["title"] = f"Plan (schema version {PLAN_SCHEMA_VERSION})"
    return schema
