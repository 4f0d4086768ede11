"""Feed events: what a subscriber sees of one lesson part, derived from a plan or from the regular timetable.

A FeedEvent is pure data (no iCalendar types): its UID comes from the occurrence key and part, so the same
lesson on the same date keeps its UID across rebuilds; its content hash covers everything a subscriber sees
(times, summary, description, link, status) and nothing else, so SEQUENCE rises only when that changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from planner.scenario.model import ASYNC_KIND_RU
from planner.plan.model import Mode, Occurrence, Plan
from planner.school.calendar import lessons_on
from planner.school.links import link_problem
from planner.school.model import School
from planner.school.occurrence import OccurrenceKey
from planner.text import hand_in_ru

from planner.publish import alternative

CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"
CANCELLED_PREFIX = "ОТМЕНЁН: "
LINK_LINE = "Ссылка на урок: "
COLLEGE_LINK_LINE = "Ссылка на пару: "  # a college speaks of пары
CHAT_LINE, COLLEGE_CHAT_LINE = "Чат класса: ", "Чат группы: "
NO_LINK_TEXT = "пока не назначена — смотрите чат класса"
REGULAR = "regular"  # FeedEvent.kind of a lesson from the regular timetable (a day outside any scenario)

GYMNASTICS_RU = {"eyes": "Гимнастика для глаз", "physical": "Физкультминутка"}


@dataclass(frozen=True)
class FeedEvent:
    """One lesson part as published. Times are tz-aware in the school's zone; `teachers` are the teachers
    whose feeds show it (current and regular ones); `regular` marks a day outside any scenario."""

    uid: str
    date: date
    class_id: str
    groups: tuple[str, ...]
    teachers: tuple[str, ...]
    subject_id: str
    kind: str  # live | async | in_school | replaced | cancelled | regular
    start: datetime
    end: datetime
    summary: str
    description: str
    link: str | None = None  # the call link: URL, LOCATION and CONFERENCE (live lessons only)
    location: str | None = None
    status: str = CONFIRMED
    regular: bool = False

    def content_hash(self) -> str:
        """The hash of what a subscriber sees (used to decide whether SEQUENCE rises)."""
        seen = [self.start.isoformat(), self.end.isoformat(), self.summary, self.description, self.link,
                self.location, self.status]
        return hashlib.sha256(json.dumps(seen, ensure_ascii=False).encode()).hexdigest()

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(date=self.date.isoformat(), start=self.start.isoformat(), end=self.end.isoformat(),
                 groups=list(self.groups), teachers=list(self.teachers))
        return d

    @classmethod
    def from_dict(cls, d: dict, tz: ZoneInfo) -> "FeedEvent":
        return cls(**{**d, "date": date.fromisoformat(d["date"]),
                      "start": datetime.fromisoformat(d["start"]).astimezone(tz),
                      "end": datetime.fromisoformat(d["end"]).astimezone(tz),
                      "groups": tuple(d["groups"]), "teachers": tuple(d["teachers"])})


def event_uid(key: str, part: int, school_id: str) -> str:
    """A stable, injective UID: the occurrence key (| kept), '#part', '@' the school id (both %-quoted)."""
    return f"{quote(key, safe='|')}#{part}@{quote(school_id, safe='')}.planner"


class _Names:
    """Russian labels from the school model (classes, groups, subjects, teachers)."""

    def __init__(self, school: School):
        self.classes = {c.id: c.name for c in school.classes}
        self.groups = {g.id: g.name for c in school.classes for g in c.groups}
        self.subjects = {s.id: s.name for s in school.subjects}
        self.teachers = {t.id: t.name for t in school.teachers}
        self.kind = str(school.kind)
        self.college = self.kind == "college"

    def who(self, class_id: str, groups: Iterable[str]) -> str:
        return ", ".join(self.groups.get(g, g) for g in groups) if groups else self.classes.get(class_id, class_id)

    def teacher_list(self, ids: Iterable[str]) -> str:
        return ", ".join(self.teachers.get(t, t) for t in ids)


def _hm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _safe_link(o: Occurrence) -> str | None:
    """The occurrence's link if it may be published (planner.school.links): a publication recorded before links
    were checked never breaks a feed; an unsafe link is left out as if there were none."""
    return o.link if o.link and link_problem(o.link) is None else None


# the cover texts of the plan speak of a school; a college's feeds read преподаватель and пара
COLLEGE_COVER_WORDS = (("учителей", "преподавателей"), ("учителя", "преподавателя"), ("учитель", "преподаватель"), ("онлайн-урок ведёт", "онлайн-пару ведёт"),
                       ("урок ведёт", "пару ведёт"), ("классный руководитель", "куратор группы"))


def cover_line(o: Occurrence, college: bool = False) -> str:
    """«Замена: учитель отсутствует, …» for a feed: «замена» once, only that the teacher is absent (never why),
    and without the deputy's to-do («назначьте …», shown as the plan's notice on the page, not to families)."""
    assert o.cover is not None
    text = o.cover.text_ru.removeprefix("замена: ")
    if o.cover.role == "none":
        text = text.split(" — ")[0].split(",")[0]
    if college:
        for school_word, college_word in COLLEGE_COVER_WORDS:
            text = text.replace(school_word, college_word)
    return f"Замена: {text}"


COVER_REASONS = {"substitute", "supervised_self_study", "co_teacher"}  # the reasons an absent teacher's cover gives


def _reason_text(o: Occurrence, code: str, text: str, college: bool) -> str:
    """A reason as a feed shows it: an absent teacher's in-school cover without the deputy's to-do («…: назначьте
    дежурного» is the plan page's amber notice), in a college's words."""
    if code not in COVER_REASONS:
        return text
    if o.cover is not None and o.cover.role == "none":
        text = text.split("; ")[0]
    if college:
        for school_word, college_word in COLLEGE_COVER_WORDS:
            text = text.replace(school_word, college_word)
    return text


def _occurrence_text(o: Occurrence, names: _Names, tz: ZoneInfo) -> tuple[str, list[str], datetime, datetime]:
    """Summary suffix, description lines, start and end of a plan occurrence."""
    lines: list[str] = []
    part = f", ч. {o.part}/{o.parts}" if o.parts > 1 else ""
    if o.mode == Mode.ASYNC and o.async_work is not None:
        w = o.async_work
        start, end = w.window_start.astimezone(tz), w.window_end.astimezone(tz)
        suffix = f"самостоятельно{part}, {hand_in_ru(w.deadline, '%d.%m')}"
        lines.append(f"Самостоятельная работа: {ASYNC_KIND_RU.get(w.kind, w.kind)}, около {w.work_minutes} мин.")
        lines.append(f"Выполнить: {start:%d.%m} {_hm(start)}–{_hm(end)}; {hand_in_ru(w.deadline)}.")

        if _safe_link(o):
            lines.append((COLLEGE_CHAT_LINE if names.college else CHAT_LINE) + str(_safe_link(o)))
    else:
        assert o.start is not None and o.end is not None  # a placed lesson
        start, end = o.start.astimezone(tz), o.end.astimezone(tz)
        here = "в колледже" if names.college else "в школе"
        suffix = {Mode.LIVE: "онлайн", Mode.IN_SCHOOL: here, Mode.CANCELLED: "отменён",
                  Mode.REPLACED: f"{here}, замена" if o.teachers and not (o.cover and o.cover.role == "supervisor")
                  else f"{here}, самоподготовка"}[o.mode] + part
        if o.mode == Mode.LIVE:
            lines.append((COLLEGE_LINK_LINE if names.college else LINK_LINE) + (_safe_link(o) or NO_LINK_TEXT))
        if o.mode == Mode.LIVE and o.alternative is not None:  # 004 §3.7: what the teacher sets for them
            lines.append("Без устройства или с отказом: "
                         + alternative.teacher_task(o.alternative, names.classes.get(o.class_id, o.class_id),
                                                    names.kind))
    teacher = "Преподаватель" if names.college else "Учитель"
    if o.teachers:
        lines.append(f"{teacher}: {names.teacher_list(o.teachers)}")
    if o.teacher_changed and o.regular_teachers and list(o.regular_teachers) != list(o.teachers):
        lines.append(f"{teacher} по расписанию: {names.teacher_list(o.regular_teachers)}")
    if o.cover is not None and o.mode in (Mode.LIVE, Mode.ASYNC):  # issue 14: «учитель отсутствует», never why
        lines.append(cover_line(o, names.college))
    if o.regular_start and o.regular_end and o.mode != Mode.ASYNC and o.regular_start != o.start:  # moved
        rs, re = o.regular_start.astimezone(tz), o.regular_end.astimezone(tz)
        lines.append(f"По расписанию: {rs:%d.%m} {_hm(rs)}–{_hm(re)}")
    for g in o.gymnastics:
        at = start + timedelta(minutes=g.offset_minutes)
        lines.append(f"{GYMNASTICS_RU.get(g.kind, g.kind)}: {_hm(at)} ({g.minutes} мин)")
    for r in o.reasons:
        lines.append(f"Причина: {_reason_text(o, r.code, r.text_ru, names.college)}")
    return suffix, lines, start, end


ASYNC_EVENT_MINUTES = 15  # the feed shows asynchronous work as a short event; its window is in the description


def _async_slot(plan: Plan, o: Occurrence, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """A short event for asynchronous work: from the end of the same pupils' last live call that day (or the
    window's opening when there is none), ASYNC_EVENT_MINUTES long, so it never covers their calls."""
    calls = [x.end for x in plan.occurrences if x.date == o.date and x.class_id == o.class_id
             and x.mode == Mode.LIVE and x.end is not None
             and (not x.groups or not o.groups or set(x.groups) & set(o.groups))]
    begin = max([start, *(c.astimezone(start.tzinfo) for c in calls)])
    return begin, begin + timedelta(minutes=ASYNC_EVENT_MINUTES)


def events_from_plan(school: School, plan: Plan) -> list[FeedEvent]:
    """The feed events of every occurrence of a plan (one per occurrence part), in plan order."""
    tz = ZoneInfo(school.timezone)
    names = _Names(school)
    out = []
    for o in plan.occurrences:
        if o.mode == Mode.ASYNC and o.async_work is None or o.mode != Mode.ASYNC and (o.start is None or o.end is None):
            continue  # nothing to put on a calendar
        suffix, lines, start, end = _occurrence_text(o, names, tz)
        if o.mode == Mode.ASYNC:  # a short reminder after the pupils' last call, not a block over the calls
            start, end = _async_slot(plan, o, start, end)
        live = o.mode == Mode.LIVE and bool(_safe_link(o))
        teachers = tuple(dict.fromkeys([*o.teachers, *o.regular_teachers]))
        title = f"{names.who(o.class_id, o.groups)} · {names.subjects.get(o.subject_id, o.subject_id)}"
        out.append(FeedEvent(
            uid=event_uid(o.key, o.part, school.id), date=o.date, class_id=o.class_id, groups=tuple(o.groups),
            teachers=teachers, subject_id=o.subject_id, kind=str(o.mode), start=start, end=end,
            summary=CANCELLED_PREFIX + title if o.mode == Mode.CANCELLED else f"{title} ({suffix})",
            description="\n".join(lines), link=_safe_link(o) if live else None,
            location=_safe_link(o) if live else (school.name if o.mode in (Mode.IN_SCHOOL, Mode.REPLACED)
                                                 else None),
            status=CANCELLED if o.mode == Mode.CANCELLED else CONFIRMED))
    return out


def regular_events(school: School, dates: Iterable[date]) -> list[FeedEvent]:
    """The regular timetable's lessons on the given dates (days outside any scenario), one event per lesson."""
    tz = ZoneInfo(school.timezone)
    names = _Names(school)
    out, seen = [], set()
    for day in dates:
        for klass in school.classes:
            for d in lessons_on(school, klass, day):
                le = d.lesson
                student_set = le.groups[0] if len(le.groups) == 1 else klass.id  # as the rebuild keys it
                key = str(OccurrenceKey(day, student_set, le.id))
                if key in seen:
                    continue
                seen.add(key)
                start = datetime.combine(day, d.first_period.start, tz)
                end = datetime.combine(day, d.last_period.end, tz)
                lines = [f"Урок по обычному расписанию, {school.name}."]
                if le.teachers:
                    lines.append(f"Учитель: {names.teacher_list(le.teachers)}")
                out.append(FeedEvent(
                    uid=event_uid(key, 1, school.id), date=day, class_id=klass.id, groups=tuple(le.groups),
                    teachers=tuple(le.teachers), subject_id=le.subject, kind=REGULAR, start=start, end=end,
                    summary=f"{names.who(klass.id, le.groups)} · {names.subjects.get(le.subject, le.subject)} "
                            "(по расписанию)",
                    description="\n".join(lines), location=school.name, regular=True))
    return out


@dataclass(frozen=True)
class FeedItem:
    """A published event with its stored state: SEQUENCE, the UTC time of its last visible change, and whether
    a later plan dropped it (then it is shown CANCELLED with «ОТМЕНЁН: …» until its date has passed)."""

    event: FeedEvent
    sequence: int
    changed_at: datetime
    dropped: bool = False

    @property
    def status(self) -> str:
        return CANCELLED if self.dropped else self.event.status

    @property
    def summary(self) -> str:
        s = self.event.summary
        return s if self.status != CANCELLED or s.startswith(CANCELLED_PREFIX) else CANCELLED_PREFIX + s

    def cache_key(self) -> tuple:
        return (self.event.uid, self.event.content_hash(), self.sequence, self.changed_at, self.dropped)
