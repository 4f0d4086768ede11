"""The school model: typed, validated, serialisable to versioned JSON (schema in schemas/school.schema.json).

A school (or college) holds its calendar, bell schedules, classes/groups with device counts and readiness,
teachers, subjects, rooms, chat links and the regular timetable as dated versions of placed lessons.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time
from enum import StrEnum
from collections.abc import Iterable
from typing import Any, Final, Literal, Protocol, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from planner.errors import UnknownIdError

SCHEMA_VERSION: Final = 1

WEEKDAY_NAMES_RU = {1: "Пн", 2: "Вт", 3: "Ср", 4: "Чт", 5: "Пт", 6: "Сб", 7: "Вс"}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InstitutionKind(StrEnum):
    SCHOOL = "school"
    COLLEGE = "college"


class WeekMask(StrEnum):
    """Which weeks a lesson runs: every week, or only week A (числитель) / week B (знаменатель)."""

    EVERY = "every"
    A = "A"
    B = "B"


class Activity(StrEnum):
    LESSON = "lesson"  # урочная деятельность: counts in the weekly load
    EXTRACURRICULAR = "extracurricular"  # внеурочная деятельность


# Sane bounds of imported numbers (a typo or a hostile file is refused with a clear message, not carried on).
MAX_STUDENTS = 1000  # pupils in one class, group or device count
MAX_YEAR_DAYS = 400  # a school year is at most about 13 months
MIN_YEAR, MAX_YEAR = 2000, 2100  # calendar dates the planner accepts (far dates overflow date arithmetic)

DEVICE_RU = {"pc": "ПК", "laptop": "ноутбук", "tablet": "планшет", "phone": "телефон", "none": "нет устройства"}


class Device(StrEnum):
    PC = "pc"
    LAPTOP = "laptop"
    TABLET = "tablet"
    PHONE = "phone"
    NONE = "none"


# ---------------------------------------------------------------- calendar


class Holiday(_Model):
    """Каникулы or a public holiday: no lessons from start to end inclusive.

    `kind` tells the two apart for working-day rules (official messages): "public" is a non-working public holiday
    (Labour Code art. 112) or a day off moved there by the government's yearly transfer decree — closed;
    "vacation" is a school vacation (каникулы) — no lessons, but staff work, so weekdays stay working days."""

    start: date
    end: date
    name: str = ""
    kind: Literal["vacation", "public"] = "vacation"

    @model_validator(mode="after")
    def _ordered(self) -> "Holiday":
        if self.end < self.start:
            raise ValueError(f"holiday '{self.name}' ends ({self.end}) before it starts ({self.start})")
        return self


class TransferredDay(_Model):
    """A transferred working day: `date` is a school day taught by the timetable of weekday `as_weekday`."""

    date: date
    as_weekday: int = Field(ge=1, le=6)
    name: str = ""


class SchoolCalendar(_Model):
    year_start: date
    year_end: date
    holidays: list[Holiday] = []
    transferred_days: list[TransferredDay] = []
    a_week_monday: date | None = None  # the Monday of a week A (числитель); None = no A/B timetable

    @model_validator(mode="after")
    def _year(self) -> "SchoolCalendar":
        for name, d in (("year_start", self.year_start), ("year_end", self.year_end)):
            if not MIN_YEAR <= d.year < MAX_YEAR:
                raise ValueError(f"{name} {d} is outside {MIN_YEAR}-{MAX_YEAR - 1}")
        if self.year_end < self.year_start:
            raise ValueError(f"the school year ends ({self.year_end}) before it starts ({self.year_start})")
        if (self.year_end - self.year_start).days > MAX_YEAR_DAYS:
            raise ValueError(f"the school year {self.year_start}..{self.year_end} is longer than {MAX_YEAR_DAYS} days")
        return self

    @field_validator("a_week_monday")
    @classmethod
    def _monday(cls, v: date | None) -> date | None:
        if v is not None and v.isoweekday() != 1:
            raise ValueError(f"a_week_monday {v} is not a Monday")
        return v


# ---------------------------------------------------------------- bells


class Period(_Model):
    """One lesson slot of a bell schedule (for a college: one pair)."""

    number: int = Field(ge=1, le=16)
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end <= self.start:
            raise ValueError(f"period {self.number} ends ({self.end}) before it starts ({self.start})")
        return self

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


class BellVariant(_Model):
    """The periods of a bell schedule valid from valid_from to valid_to (open ends allowed)."""

    valid_from: date | None = None
    valid_to: date | None = None
    periods: list[Period]

    @model_validator(mode="after")
    def _periods(self) -> "BellVariant":
        numbers = [p.number for p in self.periods]
        if len(set(numbers)) != len(numbers):
            raise ValueError("duplicate period numbers in a bell schedule")
        if not self.periods:
            raise ValueError("a bell schedule needs at least one period")
        return self

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def period(self, number: int) -> Period | None:
        return next((p for p in self.periods if p.number == number), None)


class BellSchedule(_Model):
    id: str
    name: str = ""
    variants: list[BellVariant]

    def on(self, day: date) -> BellVariant | None:
        return next((v for v in self.variants if v.covers(day)), None)


# ---------------------------------------------------------------- classes


class DeviceCounts(_Model):
    """Anonymous survey counts: how many pupils learn at home on each device (best device per pupil)."""

    pc: int = Field(0, ge=0, le=MAX_STUDENTS)
    laptop: int = Field(0, ge=0, le=MAX_STUDENTS)
    tablet: int = Field(0, ge=0, le=MAX_STUDENTS)
    phone: int = Field(0, ge=0, le=MAX_STUDENTS)
    none: int = Field(0, ge=0, le=MAX_STUDENTS)
    refusals: int = Field(0, ge=0, le=MAX_STUDENTS)  # written refusals of distance lessons (alternative track); not in `total`
    surveyed_by: str = ""  # who entered the counts (name typed, until accounts exist)
    surveyed_at: datetime | None = None

    @property
    def total(self) -> int:
        return self.pc + self.laptop + self.tablet + self.phone + self.none


class Mark(_Model):
    """Who recorded a readiness item (the name entered, until accounts exist) and when."""

    by: str = ""
    at: datetime | None = None
    note: str = ""


class MembersJoined(Mark):
    """How many pupils and parents have joined the class's chats (regulation on Sferum use, section 3.3)."""

    pupils: int = Field(0, ge=0)
    parents: int = Field(0, ge=0)


class Readiness(_Model):
    """A class's readiness for distance lessons (004 §3.3). The four flags are what the planner reads; the
    readiness workflow (planner.school.readiness) records the detail behind them and sets the flags."""

    chats_exist: bool = False
    members_joined: bool = False
    devices_confirmed: bool = False
    test_call_done: bool = False
    members: MembersJoined | None = None
    test_call: Mark | None = None  # the test call held in the class's chats: who, when

    @property
    def ready(self) -> bool:
        return self.chats_exist and self.members_joined and self.devices_confirmed and self.test_call_done


class SubGroup(_Model):
    """A part of a class taught separately (language, gender or profile group)."""

    id: str
    name: str
    students: int = Field(ge=0, le=MAX_STUDENTS)
    division: str = ""  # groups of one division partition the class (e.g. "lang": English / German)


class StudentClass(_Model):
    """A school class (7А) or a college group (ИСП-21)."""

    id: str
    name: str
    grade: int | None = Field(None, ge=1, le=11)  # school classes
    course: int | None = Field(None, ge=1, le=6)  # college groups
    age_min: int = Field(ge=5, le=60)
    age_max: int = Field(ge=5, le=60)
    students: int = Field(ge=0, le=MAX_STUDENTS)
    shift: int = Field(1, ge=1, le=2)
    week_days: int = Field(5, ge=5, le=6)
    bell_schedule: str
    ovz: bool = False  # class for pupils with disabilities (ОВЗ)
    groups: list[SubGroup] = []
    devices: DeviceCounts = DeviceCounts()
    readiness: Readiness = Readiness()
    curator: str | None = None  # teacher id of the class teacher (классный руководитель / куратор)

    @model_validator(mode="after")
    def _grade_or_course(self) -> "StudentClass":
        if (self.grade is None) == (self.course is None):
            raise ValueError(f"class '{self.id}' needs exactly one of grade (school) or course (college)")
        if self.age_max < self.age_min:
            raise ValueError(f"class '{self.id}': age_max {self.age_max} < age_min {self.age_min}")
        return self

    @property
    def is_college(self) -> bool:
        return self.course is not None

    def own_groups(self, groups: Iterable[str]) -> tuple[str, ...]:
        """The given groups that belong to this class; a lesson naming only another class's groups is, for this
        class, a whole-class lesson."""
        mine = {g.id for g in self.groups}
        return tuple(g for g in groups if g in mine)

    def pupil_cells(self) -> list[tuple[str, ...]]:
        """The pupils' cells: one group of each division (a group without a division is a division of its own);
        [()] for a class without groups. A pupil sits in exactly one cell; screen time is counted per cell."""
        import itertools

        divisions: dict[str, list[str]] = {}
        for g in self.groups:
            divisions.setdefault(g.division or f"\0{g.id}", []).append(g.id)
        return [tuple(sorted(cell)) for cell in itertools.product(*divisions.values())]

    @property
    def norm_grade(self) -> int:
        """The grade whose norm bands apply: the grade itself; for a 1st- or 2nd-course college group the band
        «10–11 классы, 1–2 курс ПОО» that the norm data carries (табл. 6.8, norms.md §1.4: S1 for board and panel,
        unverified for the other devices), i.e. grade 10; for a later course the school grade of its youngest
        pupils' age (age − 6, capped at 11)."""
        if self.grade is not None:
            return self.grade
        if self.course is not None and self.course <= 2:
            return 10
        return max(1, min(11, self.age_min - 6))


# ---------------------------------------------------------------- people, subjects, rooms, chats


class Unavailability(_Model):
    day: int = Field(ge=1, le=7)
    period: int | None = None  # None = the whole day


class TeacherReadiness(_Model):
    """Can the teacher teach from home (004 §3.3: device, headset, camera, internet) and was a test call held."""

    device: bool = False
    headset: bool = False
    camera: bool = False
    internet: bool = False
    test_call: Mark | None = None
    checked: Mark | None = None  # who recorded the equipment and when


class Teacher(_Model):
    id: str
    name: str
    subjects: list[str] = []
    unavailable: list[Unavailability] = []
    contact: str = ""  # work phone or e-mail given to families
    max_chat_id: str | None = None  # the bot's dialog with the teacher in MAX (personal messages)
    readiness: TeacherReadiness = TeacherReadiness()

    def available(self, day: int, period: int) -> bool:
        return not any(u.day == day and (u.period is None or u.period == period) for u in self.unavailable)


class Subject(_Model):
    id: str
    name: str
    norm_key: str | None = None  # key into the difficulty scales (constraints/): None gives a warning
    activity: Activity = Activity.LESSON


class Room(_Model):
    id: str
    name: str = ""


class ChatKind(StrEnum):
    CLASS = "class"  # the class's pupils
    PARENTS = "parents"  # the class's families
    SUBJECT = "subject"  # class × subject (× group): the lesson calls happen here
    TEACHERS = "teachers"  # the teachers' room (школа-wide)
    CURATORS = "curators"  # class teachers / curators


CLASS_CHAT_KINDS = (ChatKind.CLASS, ChatKind.PARENTS, ChatKind.SUBJECT)


class ChatLink(_Model):
    """A MAX/Sferum chat of the registry: a class chat (subject None), a class × subject (× group) chat, the
    parents' chat of a class, the teachers' room or the curators' chat (the last two without a class)."""

    class_id: str | None = None
    subject_id: str | None = None
    invite_link: str
    chat_id: str | None = None  # known once the bot has joined
    kind: ChatKind | None = None  # None: subject when subject_id is set, else class (files before the registry)
    group_id: str | None = None  # a group of the class (groups.csv id): a group's own chat
    admin: str | None = None  # teacher id of the chat's administrator (004 §3.3: a subject teacher)

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Entries without a kind, group or admin serialise as before (school files and fingerprints unchanged)."""
        data = handler(self)
        if isinstance(data, dict):
            for key in ("group_id", "kind", "admin"):
                if data.get(key) is None:
                    data.pop(key, None)
        return data

    def serves(self, class_id: str, subject_id: str, groups: tuple[str, ...] | list[str]) -> int | None:
        """How specifically this chat serves a lesson of the class's subject and groups (3: subject and group,
        2: subject, 1: group, 0: the class's chat), or None when it does not serve it (parents', teachers' and
        curators' chats never hold lessons)."""
        if self.chat_kind not in (ChatKind.CLASS, ChatKind.SUBJECT):
            return None
        if self.class_id != class_id or (self.subject_id is not None and self.subject_id != subject_id):
            return None
        if self.group_id is not None and self.group_id not in groups:
            return None
        return 2 * (self.subject_id is not None) + (self.group_id is not None)

    @field_validator("invite_link")
    @classmethod
    def _safe_link(cls, v: str) -> str:
        from planner.school.links import check_link

        return check_link(v.strip())
    @model_validator(mode="after")
    def _kind(self) -> "ChatLink":
        kind = self.chat_kind
        if kind in CLASS_CHAT_KINDS and not self.class_id:
            raise ValueError(f"a {kind.value} chat needs a class_id")
        if kind == ChatKind.SUBJECT and not self.subject_id:
            raise ValueError("a subject chat needs a subject_id")
        if kind not in CLASS_CHAT_KINDS and (self.class_id or self.subject_id):
            raise ValueError(f"the {kind.value} chat belongs to no class or subject")
        return self

    @property
    def chat_kind(self) -> ChatKind:
        if self.kind is not None:
            return self.kind
        return ChatKind.SUBJECT if self.subject_id else ChatKind.CLASS


class ResponsibleRole(StrEnum):
    """Annex 1 of the regulation on interaction services (003): persons responsible for the technologies."""

    DEPUTY_TEACHING = "deputy_teaching"  # заместитель директора по учебной работе
    DEPUTY_UPBRINGING = "deputy_upbringing"  # заместитель директора по воспитательной работе
    PLATFORM_ADMIN = "platform_admin"  # администратор ИКОП «Сферум»


class ResponsiblePerson(_Model):
    role: ResponsibleRole
    name: str
    contact: str = ""  # work phone or e-mail
    teacher_id: str | None = None


class AllowedDomain(_Model):
    """A link domain the school allows besides MAX/Sferum, recorded with who allowed it and why."""

    domain: str
    allowed_by: str
    reason: str = ""
    at: date | None = None


class UrgentCategory(_Model):
    """An emergency that lets a message go outside business hours, added by the school (000 §5.1)."""

    id: str
    name: str
    added_by: str
    reason: str = ""


class ChannelPolicy(_Model):
    """The school's own choices on channels and messages (its local act)."""

    allowed_domains: list[AllowedDomain] = []
    urgent_categories: list[UrgentCategory] = []
    links_in_family_feeds: bool = False  # invite links in class and family feeds (teacher feeds keep them)
    teacher_names_in_family_feeds: bool = True
    # the school's rule for a ready class: readiness items required (planner.school.readiness.ITEMS); empty = all
    readiness_items: list[str] = []


# ---------------------------------------------------------------- timetable


class TimetableVersion(_Model):
    """A dated version of the regular timetable, for some classes (empty = all classes)."""

    id: str
    name: str = ""
    valid_from: date
    valid_to: date
    classes: list[str] = []

    @model_validator(mode="after")
    def _ordered(self) -> "TimetableVersion":
        if self.valid_to < self.valid_from:
            raise ValueError(f"version '{self.id}' ends ({self.valid_to}) before it starts ({self.valid_from})")
        return self

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


class Lesson(_Model):
    """One placed lesson of the regular timetable (a card): who, what, where, when."""

    id: str
    version: str
    classes: list[str] = Field(min_length=1)
    groups: list[str] = []  # empty = the whole class(es)
    teachers: list[str] = []
    rooms: list[str] = []
    subject: str
    day: int = Field(ge=1, le=7)
    period: int = Field(ge=1, le=16)
    duration: int = Field(1, ge=1, le=16)  # in periods (double lesson = 2; FET activities may be longer)
    weeks: WeekMask = WeekMask.EVERY

    @property
    def periods(self) -> range:
        return range(self.period, self.period + self.duration)


class IncompleteTimetable(_Model):
    """The source timetable (a FET or aSc file) left lessons without a place: audit and rebuild refuse such a school
    («расписание не составлено») unless the user accepts a partial timetable, which every report then shows."""

    placed: int = Field(ge=0)
    total: int = Field(ge=1)
    unplaced: list[str] = []  # a short description of each lesson without a place (subject, students)

    def text(self, lang: str = "en") -> str:
        if lang == "ru":
            return f"расписание не составлено: размещено {self.placed} из {self.total} уроков"
        return f"the timetable is not finished: {self.placed} of {self.total} lessons are placed"


class School(_Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    name: str
    kind: InstitutionKind = InstitutionKind.SCHOOL
    timezone: str
    calendar: SchoolCalendar
    bell_schedules: list[BellSchedule]
    classes: list[StudentClass]
    teachers: list[Teacher]
    subjects: list[Subject]
    rooms: list[Room] = []
    chats: list[ChatLink] = []
    responsible: list[ResponsiblePerson] = []
    channel_policy: ChannelPolicy = ChannelPolicy()
    versions: list[TimetableVersion]
    lessons: list[Lesson]
    incomplete: IncompleteTimetable | None = None  # lessons of the source timetable that have no place

    @field_validator("timezone")
    @classmethod
    def _iana(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone '{v}'") from None
        return v

    # Lookups -------------------------------------------------------------
    # An unknown id raises UnknownIdError naming it (a LookupError), never a bare StopIteration.
    def class_by_id(self, class_id: str) -> StudentClass:
        return _find(self.classes, class_id, "class", "класса", self.id)

    def subject_by_id(self, subject_id: str) -> Subject:
        return _find(self.subjects, subject_id, "subject", "предмета", self.id)

    def teacher_by_id(self, teacher_id: str) -> Teacher:
        return _find(self.teachers, teacher_id, "teacher", "учителя", self.id)

    def bells_by_id(self, bell_id: str) -> BellSchedule:
        return _find(self.bell_schedules, bell_id, "bell schedule", "расписания звонков", self.id)

    # Serialisation -------------------------------------------------------
    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str) -> "School":
        return cls.model_validate_json(text)

    def fingerprint(self) -> str:
        """A stable hash of the school's content: a plan made for another school is refused."""
        data = self.model_dump(mode="json", exclude={"incomplete"} if self.incomplete is None else None)
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Record = TypeVar("_Record", bound=_HasId)


def _find(items: Iterable[_Record], record_id: str, kind_en: str, kind_ru: str, school_id: str) -> _Record:
    for item in items:
        if item.id == record_id:
            return item
    raise UnknownIdError(kind_en, kind_ru, record_id, school_id)


def school_json_schema() -> dict[str, Any]:
    """The JSON schema of the school file (committed as schemas/school.schema.json)."""
    schema = School.model_json_schema()
    schema["$id"] = "https://planner.local/schemas/school.schema.json"
    schema["title"] = f"School (schema version {SCHEMA_VERSION})"
    return schema
