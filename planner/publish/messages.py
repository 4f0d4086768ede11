"""Chat messages about a plan: Russian texts for each class chat and the teachers' chat, split for MAX.

Composition is pure (school + plan in, `ChatMessage` out). The delivery queue at the bottom of this module
keeps MAX traffic inside the local act's business hours (norm `messages.business_hours`): outside them parts
are stored as queued (Store kind "message") and sent by `send_due`; an urgent message goes out at once.
Texts name teachers (staff) but never pupils; an absent teacher is «отсутствует», never the cause.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from planner.scenario.model import ASYNC_KIND_RU
from planner.errors import PlannerError, StaleSaveError
from planner.plan.model import Mode, Occurrence, Plan
from planner.scenario.model import REASON_RU
from planner.school.calendar import is_working_day
from planner.school.model import WEEKDAY_NAMES_RU, School
from planner.text import hand_in_ru, institution_words, timezone_ru

from .max_api import MAX_TEXT_LENGTH
from . import alternative

TEACHERS_CHAT = "teachers"


@dataclass(frozen=True)
class ChatMessage:
    """One chat's message: `text_parts` each ≤ MAX_TEXT_LENGTH. After a split every part starts with exactly one
    header line, the text's own title with «(часть i/n)»: in the first part it is the title line itself."""

    chat_key: str  # "class:5A" or "teachers"
    chat_id: str | None
    invite_link: str | None
    text_parts: tuple[str, ...]

    @property
    def text(self) -> str:
        """The whole text: the first part with its title line given back, the later parts without their header
        lines."""
        if len(self.text_parts) == 1:
            return self.text_parts[0]
        first = _PART_MARK.sub("", self.text_parts[0], count=1)
        return first + "".join(p.split("\n", 1)[1] for p in self.text_parts[1:])


# ---------------------------------------------------------------- splitting


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """Chunks of at most `limit` characters whose concatenation is `text`, cut at line ends (preferring a
    blank line, i.e. a day boundary, when that keeps the chunk at least half full). Only a single line
    longer than `limit` is cut inside the line, at a space where there is one."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:  # an over-long line: flush, then cut it
            if current:
                chunks.append(current)
                current = ""
            cut = line.rfind(" ", 1, limit) + 1 or limit
            chunks.append(line[:cut])
            line = line[cut:]
        if len(current) + len(line) > limit:
            cut = _preferred_cut(current, limit // 2)
            chunks.append(current[:cut])
            current = current[cut:]
            if len(current) + len(line) > limit:
                chunks.append(current)
                current = ""
        current += line
    if current or not chunks:
        chunks.append(current)
    return chunks


def _preferred_cut(chunk: str, minimum: int) -> int:
    """Where to end a full chunk: after a blank line (a new day), else before an unindented line (a new
    heading or teacher), if that keeps at least `minimum` characters; else at its end."""
    blank = chunk.rfind("\n\n")
    if blank + 2 >= minimum:
        return blank + 2
    for i in range(len(chunk) - 2, minimum - 2, -1):
        if chunk[i] == "\n" and not chunk[i + 1].isspace():
            return i + 1
    return len(chunk)


_PART_MARK = re.compile(r" \(часть 1/\d+\)(?=\n)")
_DAY_LINE = re.compile(r"^(Пн|Вт|Ср|Чт|Пт|Сб|Вс) \d\d\.\d\d\.\d{4}$")


def own_title_parts(text: str, limit: int = MAX_TEXT_LENGTH) -> tuple[str, ...]:
    """The text split by `label_parts` under its own first line as the title: the first part's title line
    takes the part number, so every part has exactly one header line."""
    return label_parts(text.split("\n", 1)[0], text, limit)


def label_parts(title: str, text: str, limit: int = MAX_TEXT_LENGTH) -> tuple[str, ...]:
    """The text as one part, or as parts each starting with one header line «TITLE (часть i/n)», plus
    «, продолжение: <day>» when a part continues a day begun in the previous one. A text whose first line is
    the title keeps it as the first part's header (see `own_title_parts`)."""
    if len(text) <= limit:
        return (text,)
    header_room = len(title) + len(" (часть 99/99), продолжение: Пн 01.01.2000\n")
    chunks = split_text(text, limit - header_room)
    out, day = [], ""
    for i, chunk in enumerate(chunks, 1):
        cont = f", продолжение: {day}" if day and not _DAY_LINE.match(chunk.split("\n", 1)[0]) else ""
        head = f"{title} (часть {i}/{len(chunks)}){cont}"
        if chunk.startswith(title):  # the text's own title line becomes the part's header: one header per part
            out.append(head + chunk[len(title):])
        else:
            out.append(f"{head}\n{chunk}")
        day = next((ln for ln in reversed(chunk.splitlines()) if _DAY_LINE.match(ln)), day)
    return tuple(out)


# ---------------------------------------------------------------- composition


def _day(d: date) -> str:
    return f"{WEEKDAY_NAMES_RU[d.isoweekday()]} {d:%d.%m.%Y}"


class _Names:
    def __init__(self, school: School):
        self.school = school
        self.tz = ZoneInfo(school.timezone)
        self.subjects = {s.id: s.name for s in school.subjects}
        self.teachers = {t.id: t.name for t in school.teachers}
        self.classes = {c.id: c.name for c in school.classes}
        self.groups = {g.id: g.name for c in school.classes for g in c.groups}

    def hm(self, moment: datetime | None) -> str:
        return moment.astimezone(self.tz).strftime("%H:%M") if moment else "—"

    def span(self, start: datetime | None, end: datetime | None) -> str:
        return f"{self.hm(start)}–{self.hm(end)}"

    def subject(self, o: Occurrence) -> str:
        name = self.subjects.get(o.subject_id, o.subject_id)
        if o.groups:
            name += " (" + ", ".join(self.groups.get(g, g) for g in o.groups) + ")"
        if o.parts > 1:
            name += f", часть {o.part} из {o.parts}"
        return name

    def people(self, ids: list[str]) -> str:
        return ", ".join(self.teachers.get(t, t) for t in ids)

    def cls(self, class_id: str) -> str:
        return self.classes.get(class_id, class_id)


def _async_line(n: _Names, o: Occurrence, prefix: str = "") -> str:
    w = o.async_work
    if w is None:
        return f"{prefix}{n.subject(o)} — самостоятельная работа"
    kind = ASYNC_KIND_RU.get(w.kind, w.kind)
    return (f"{prefix}{n.subject(o)} — {kind}, {w.work_minutes} мин, выполнить {n.span(w.window_start, w.window_end)}"
            f", {hand_in_ru(w.deadline)}")


BREAK_RU = {"eyes": "гимнастика для глаз", "physical": "физкультминутка"}


def _breaks(n: _Names, o: Occurrence) -> str:
    """«, гимнастика для глаз 08:10, физкультминутка 08:15» — the call's breaks (004 §3.5), or ""."""
    if o.start is None:
        return ""
    return "".join(f", {BREAK_RU.get(g.kind, g.kind)} {n.hm(o.start + timedelta(minutes=g.offset_minutes))}"
                   for g in o.gymnastics)


def _replaced_line(n: _Names, o: Occurrence, prefix: str = "") -> str:
    who = n.people(o.teachers) if o.teachers else "самостоятельная работа под присмотром дежурного"
    return f"{n.span(o.start, o.end)} {prefix}{n.subject(o)} — замена: {who}"


def _order(o: Occurrence) -> tuple:
    return (o.date, o.start or o.regular_start or datetime.min.replace(tzinfo=timezone.utc), o.lesson_id, o.part)


def _dates(plan: Plan) -> str:
    s = plan.scenario
    return f"на {s.start:%d.%m.%Y}" if s.start == s.end else f"с {s.start:%d.%m.%Y} по {s.end:%d.%m.%Y}"


def _header(plan: Plan, title: str) -> list[str]:
    s = plan.scenario
    return [f"{title} {_dates(plan)}", f"Причина: {REASON_RU.get(s.reason, str(s.reason))}.",
            f"Время местное: {timezone_ru(plan.timezone, s.start)}."]


def class_text(school: School, plan: Plan, class_id: str, feed_link: str | None = None,
               chat_link: str | None = None) -> str | None:
    """The class chat's text, or None when nothing changes for the class. A call link equal to the class
    chat's `chat_link` is given once at the top rather than on every lesson."""
    n = _Names(school)
    mine = sorted((o for o in plan.occurrences if o.class_id == class_id), key=_order)
    changed = [o for o in mine if o.mode != Mode.IN_SCHOOL]
    if not changed:
        return None
    online = any(o.mode in (Mode.LIVE, Mode.ASYNC) for o in mine)
    w = institution_words(school.kind)
    title = f"{n.cls(class_id)} — " + ("дистанционное обучение" if online else "изменения в расписании")
    lines = _header(plan, title)
    if chat_link and any(o.link == chat_link for o in mine if o.mode == Mode.LIVE):
        lines.append(f"{w['online_lessons']} — звонок в чате {w['class_gen']}: {chat_link}")
    if any(o.mode == Mode.LIVE and o.start and o.end and o.regular_start and o.regular_end
           and o.end - o.start < o.regular_end - o.regular_start for o in mine):
        lines.append("Звонок короче урока: после звонка и до конца урока по расписанию — самостоятельная работа "
                     "по заданию, которое учитель даст на звонке.")
    lines += alternative.family_lines(mine)  # 004 §3.3, §3.7: in the head, so a changes-only message keeps it
    for day in sorted({o.date for o in changed}):
        today = [o for o in mine if o.date == day]
        online_today = any(o.mode in (Mode.LIVE, Mode.ASYNC) for o in today)
        lines += ["", _day(day)]
        if (alt := alternative.day_line(today)) is not None:
            lines.append(alt)
        sections = (
            (f"{w['online_lessons']}:", [f"{n.span(o.start, o.end)} {n.subject(o)} ({n.people(o.teachers)})" + _breaks(n, o)
                                + (f" — {o.link}" if o.link and o.link != chat_link else "")
                                for o in today if o.mode == Mode.LIVE]),
            ("Самостоятельная работа:", [_async_line(n, o) for o in today if o.mode == Mode.ASYNC]),
            (f"{w['in_house']} по расписанию:", [f"{n.span(o.start, o.end)} {n.subject(o)}" for o in today
                                        if o.mode == Mode.IN_SCHOOL and online_today]),
            ("Замены:", [_replaced_line(n, o) for o in today if o.mode == Mode.REPLACED]),
            ("Отменено:", [n.subject(o) for o in today if o.mode == Mode.CANCELLED]),
        )
        lines += _sections(sections)
    return _with_feed_link(lines, feed_link)


def _sections(sections) -> list[str]:
    """Each non-empty section as its heading and its lines."""
    return [line for heading, items in sections if items for line in (heading, *items)]


def _with_feed_link(lines: list[str], feed_link: str | None) -> str:
    """The message text, ending with the calendar subscription link when there is one."""
    if feed_link:
        lines = [*lines, "", f"Расписание для календаря (подписка): {feed_link}"]
    return "\n".join(lines) + "\n"


def teachers_text(school: School, plan: Plan, feed_link: str | None = None) -> str | None:
    """The teachers' chat text: per day, who is absent, the replacements, and each teacher's calls and tasks."""
    n = _Names(school)
    changed = sorted((o for o in plan.occurrences if o.mode != Mode.IN_SCHOOL), key=_order)
    if not changed:
        return None
    classes = sorted({o.class_id for o in changed if o.mode in (Mode.LIVE, Mode.ASYNC)},
                     key=lambda c: list(n.classes).index(c) if c in n.classes else 999)
    w = institution_words(school.kind)
    lines = _header(plan, f"{w['teachers_dat']} — изменения в расписании")
    if classes:
        lines.append(f"{w['classes']} на дистанте: " + ", ".join(n.cls(c) for c in classes) + ".")
    for day in sorted({o.date for o in changed}):
        today = [o for o in changed if o.date == day]
        lines += ["", _day(day)]
        regular = {t for o in today for t in o.regular_teachers}
        for state, label in (("sick", "Отсутствуют"), ("remote_only", "Работают только дистанционно")):
            who = sorted((t for t in regular if plan.scenario.teacher_state(t, day) == state), key=n.people)
            if who:
                lines.append(f"{label}: " + ", ".join(n.people([t]) for t in who) + ".")
        replaced = [o for o in today if o.mode == Mode.REPLACED]
        if replaced:
            lines += ["Замены в школе:", *[_replaced_line(n, o, f"{n.cls(o.class_id)} ")
                                           + f" (вместо: {n.people(o.regular_teachers)})" for o in replaced]]
        by_teacher: dict[str, list[str]] = {}
        for o in today:
            if o.mode == Mode.LIVE:
                line = f"{n.span(o.start, o.end)} {n.cls(o.class_id)} {n.subject(o)}" + (f" — {o.link}" if o.link else "")
            elif o.mode == Mode.ASYNC:
                line = _async_line(n, o, f"{n.cls(o.class_id)} ")
            else:
                continue
            for t in o.teachers:
                by_teacher.setdefault(t, []).append(line)
        for t in sorted(by_teacher, key=lambda t: n.people([t])):
            lines += [f"{n.people([t])}:", *[f"  {line}" for line in by_teacher[t]]]
        cancelled = [o for o in today if o.mode == Mode.CANCELLED]
        if cancelled:
            lines += ["Отменено:", *[f"{n.cls(o.class_id)} {n.subject(o)}" for o in cancelled]]
    return _with_feed_link(lines, feed_link)


def contacts_line(school: School, class_id: str) -> str | None:
    """Whom families contact when a call does not work: the class's curator and the platform administrator
    (annex 1 of 003), with their contacts; None when the school has named neither."""
    from planner.school.model import ResponsibleRole

    teachers = {t.id: t for t in school.teachers}
    who = []
    curator = teachers.get(school.class_by_id(class_id).curator or "")
    if curator is not None:
        who.append("куратор " + curator.name + (f", {curator.contact}" if curator.contact else ""))
    for r in school.responsible:
        if r.role == ResponsibleRole.PLATFORM_ADMIN:
            who.append("администратор Сферума " + r.name + (f", {r.contact}" if r.contact else ""))
    return ("Если звонок не работает, обращайтесь: " + "; ".join(who) + ".") if who else None


def teacher_text(school: School, plan: Plan, teacher_id: str, feed_link: str | None = None) -> str | None:
    """One teacher's own message: per day, their calls, their tasks to set, and the lessons they cover."""
    n = _Names(school)
    mine = sorted((o for o in plan.occurrences if o.mode != Mode.IN_SCHOOL and teacher_id in o.teachers), key=_order)
    if not mine:
        return None
    w = institution_words(school.kind)
    lines = _header(plan, f"{n.people([teacher_id])} — ваши {w['lessons']}")
    for day in sorted({o.date for o in mine}):
        today = [o for o in mine if o.date == day]
        lines += ["", _day(day)]
        sections = (
            (f"{w['online_lessons']}:", [f"{n.span(o.start, o.end)} {n.cls(o.class_id)} {n.subject(o)}" + _breaks(n, o)
                                + (f" — {o.link}" if o.link else "") for o in today if o.mode == Mode.LIVE]),
            ("Задания (самостоятельная работа):", [_async_line(n, o, f"{n.cls(o.class_id)} ")
                                                   for o in today if o.mode == Mode.ASYNC]),
            ("Для обучающихся без устройства или с отказом (п. 3.7):",
             [f"{n.span(o.start, o.end)} {n.cls(o.class_id)} {n.subject(o)} — "
              + alternative.teacher_task(o.alternative, n.cls(o.class_id))
              for o in today if o.mode == Mode.LIVE and o.alternative is not None]),
            ("Замены (вы заменяете):", [f"{n.span(o.start, o.end)} {n.cls(o.class_id)} {n.subject(o)}"
                                        + (f" (вместо: {n.people(o.regular_teachers)})" if o.regular_teachers else "")
                                        for o in today if o.mode == Mode.REPLACED]),
        )
        lines += _sections(sections)
    return _with_feed_link(lines, feed_link)


def _day_blocks(text: str | None) -> dict[str, str]:
    """A composed text's per-day blocks (keyed by the day line «Пн 14.12.2026»)."""
    out: dict[str, str] = {}
    for block in (text or "").split("\n\n"):
        first = block.split("\n", 1)[0]
        if _DAY_LINE.match(first):
            out[first] = block.rstrip("\n")
    return out


def _changes_only(new_text: str | None, old_text: str | None, title: str) -> str | None:
    """The new text cut down to the days whose block differs from the previous publication's (None: no change);
    a day that no longer has changes says so."""
    new, old = _day_blocks(new_text), _day_blocks(old_text)
    changed = [d for d in {**old, **new} if new.get(d) != old.get(d)]
    if not changed:
        return None
    changed.sort(key=lambda d: datetime.strptime(d[3:], "%d.%m.%Y"))
    head = (new_text or old_text or "").split("\n\n", 1)[0].split("\n")
    head[0] = title
    lines = head + ["Изменилось по сравнению с предыдущим сообщением — только эти дни:"]
    for d in changed:
        lines += ["", new.get(d) or f"{d}\nПо обычному расписанию."]
    tail = [b for b in (new_text or "").split("\n\n") if b.startswith("Расписание для календаря")]
    if tail:
        lines += ["", tail[-1].rstrip("\n")]
    return "\n".join(lines) + "\n"


def compose_messages(school: School, plan: Plan, *, teachers_chat_link: str | None = None,
                     teachers_chat_id: str | None = None, feed_links: Mapping[str, str] | None = None,
                     limit: int = MAX_TEXT_LENGTH, previous: Plan | None = None,
                     personal: bool = False) -> list[ChatMessage]:
    """One message per class chat (the class's chat link with no subject) whose class has a change, and one for
    the teachers' chat (its link and chat_id from the school's chat registry unless given). `feed_links` maps a
    class id (or "teachers") to its calendar feed URL. With `previous` (the plan published before a re-plan) only
    the chats whose days changed get a message, holding only those days. `personal`: also one message per teacher
    with a MAX chat (their calls, tasks and cover); chat key «teacher:<id>»."""
    from planner.school.model import ChatKind

    feed_links = feed_links or {}
    chats = {c.class_id: c for c in school.chats if c.chat_kind == ChatKind.CLASS}
    parents = {c.class_id: c for c in school.chats if c.chat_kind == ChatKind.PARENTS}
    room = next((c for c in school.chats if c.chat_kind == ChatKind.TEACHERS), None)
    if room is not None:
        teachers_chat_link = teachers_chat_link or room.invite_link
        teachers_chat_id = teachers_chat_id or room.chat_id

    def text_of(make, *args, title: str):
        text = make(school, plan, *args)
        if previous is None or text is None and make(school, previous, *args) is None:
            return text
        return _changes_only(text, make(school, previous, *args), title)

    out: list[ChatMessage] = []
    for cls in school.classes:
        chat = chats.get(cls.id)
        link = chat.invite_link if chat else None

        def make_class(sch, pl, cid=cls.id, link=link):
            text = class_text(sch, pl, cid, feed_links.get(cid), link)
            contacts = contacts_line(sch, cid)
            return text + "\n" + contacts + "\n" if text and contacts else text

        text = text_of(make_class, title=f"{cls.name} — обновление расписания {_dates(plan)}")
        if text is None:
            continue
        parts = own_title_parts(text, limit)
        out.append(ChatMessage(f"class:{cls.id}", chat.chat_id if chat else None, link, parts))
        family = parents.get(cls.id)
        if family is not None:  # the same message to the families' chat
            out.append(ChatMessage(f"parents:{cls.id}", family.chat_id, family.invite_link, parts))
    text = text_of(lambda sch, pl: teachers_text(sch, pl, feed_links.get(TEACHERS_CHAT)),
                   title=f"{institution_words(school.kind)['teachers_dat']} — обновление расписания {_dates(plan)}")
    if text is not None:
        out.append(ChatMessage(TEACHERS_CHAT, teachers_chat_id, teachers_chat_link,
                               own_title_parts(text, limit)))
    if personal:
        for t in school.teachers:
            if not t.max_chat_id:
                continue
            text = text_of(lambda sch, pl, tid=t.id: teacher_text(sch, pl, tid),
                           title=f"{t.name} — обновление ваших уроков {_dates(plan)}")
            if text is not None:
                out.append(ChatMessage(f"teacher:{t.id}", t.max_chat_id, None,
                                       own_title_parts(text, limit)))
    return out


# ---------------------------------------------------------------- business hours


@dataclass(frozen=True)
class BusinessHours:
    """When official messages may go out (local act): working days (weekdays 1..last_weekday, less public
    non-working days, plus transferred working days; school vacations stay open), start ≤ time < end."""

    start: time
    end: time
    last_weekday: int
    tz: ZoneInfo
    cite: str = ""
    school: School | None = None  # its calendar gives public holidays and transferred working days

    def working_day(self, day) -> bool:
        if self.school is None:
            return day.isoweekday() <= self.last_weekday
        return is_working_day(self.school, day, self.last_weekday)

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        return self.working_day(local.date()) and self.start <= local.time().replace(tzinfo=None) < self.end

    def next_opening(self, moment: datetime) -> datetime:
        """The next window opening at or after `moment` (tz-aware, school time)."""
        local = moment.astimezone(self.tz)
        for offset in range(32):  # the New Year holidays close up to ten days in a row
            day = local.date() + timedelta(days=offset)
            opening = datetime.combine(day, self.start, self.tz)
            if self.working_day(day) and opening >= local:
                return opening
        raise PlannerError("no business-hours window within a month (last_weekday < 1?)")


def business_hours(library, school: School, moment: datetime) -> BusinessHours:
    """The norm `messages.business_hours` in force on the school-local date of `moment`."""
    tz = ZoneInfo(school.timezone)
    norm = library.in_force(moment.astimezone(tz).date()).get("messages.business_hours")
    if norm is None or not norm.rows:
        raise PlannerError("the norm messages.business_hours is not in force: no sending window is known")
    row = norm.rows[0]
    return BusinessHours(time.fromisoformat(str(row.value("start"))), time.fromisoformat(str(row.value("end"))),
                         int(row.value("last_weekday")), tz, norm.cite(), school)


# ---------------------------------------------------------------- the queue


@dataclass(frozen=True)
class Delivery:
    """What happened to one part: sent, queued, failed, skipped (already sent / queued), or would_* in a dry run."""

    record_id: str
    chat_key: str
    part: int
    parts: int
    status: str
    due_at: str | None = None
    chat_id: str | None = None
    error: str = ""
    urgent: bool = False


@dataclass
class QueueReport:
    deliveries: list[Delivery]
    resolved_chat_ids: dict[str, str]  # chat key -> chat_id resolved through the API (the caller saves them)

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.deliveries)


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


# The outbox: a part MAX could not take (unreachable, 5xx, 429) is queued again after 1, 2, 4 … minutes (at most
# an hour between tries), up to OUTBOX_MAX_TRIES tries; a refusal (4xx) fails at once and is reported.
OUTBOX_FIRST_BACKOFF_S = 60
OUTBOX_MAX_BACKOFF_S = 3600
OUTBOX_MAX_TRIES = 12


def _retryable(err: Exception) -> bool:
    from .max_api import MaxApiError

    if not isinstance(err, MaxApiError):
        return False
    return err.status is None or err.status == 429 or err.status >= 500


def _known_chat_ids(store, school_id: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for r in store.list("message", school_id=school_id):
        if r.payload.get("chat_id"):
            found[r.payload["chat_key"]] = str(r.payload["chat_id"])
    return found


def _deliver(store, client, record, now: datetime, report: QueueReport, cache: dict[str, str]) -> Delivery:
    """Claim a stored part (status sending, optimistic version), send it, record sent or failed."""
    p = dict(record.payload)
    base = dict(record_id=record.id, chat_key=p["chat_key"], part=p["part"], parts=p["parts"],
                due_at=record.columns.get("due_at"), urgent=p.get("urgent", False))
    try:
        claimed = store.save("message", record.id, {**p, "claimed_at": _utc(now)}, record.version, status="sending")
    except StaleSaveError:
        return Delivery(status="skipped", error="taken by another sender", **base)
    chat_id = p.get("chat_id") or cache.get(p["chat_key"])
    try:
        if not chat_id:
            if not p.get("invite_link"):
                raise PlannerError("the chat has neither a chat_id nor an invite link")
            chat_id = client.resolve_chat_id(p["invite_link"])
            cache[p["chat_key"]] = chat_id
            report.resolved_chat_ids[p["chat_key"]] = chat_id
        result = client.send_text(chat_id, p["text"])
    except Exception as err:  # noqa: BLE001 - recorded on the message, reported to the caller
        tries = int(p.get("tries", 0)) + 1
        p.update(error=f"{type(err).__name__}: {err}", failed_at=_utc(now), chat_id=chat_id, tries=tries)
        if _retryable(err) and tries < OUTBOX_MAX_TRIES:
            # MAX unavailable: kept in the outbox and tried again after a back-off (000 §2.2: the message is
            # duplicated in MAX once it is available again); the claim above keeps it from going out twice
            due = now + timedelta(seconds=min(OUTBOX_FIRST_BACKOFF_S * 2 ** (tries - 1), OUTBOX_MAX_BACKOFF_S))
            store.save("message", record.id, p, claimed.version, status="queued", due_at=due)
            return Delivery(status="retry", chat_id=chat_id, error=p["error"], **{**base, "due_at": _utc(due)})
        store.save("message", record.id, p, claimed.version, status="failed")
        return Delivery(status="failed", chat_id=chat_id, error=p["error"], **base)
    p.update(chat_id=chat_id, sent_at=_utc(now), message_id=result.message_id, attempts=result.attempts, error="")
    store.save("message", record.id, p, claimed.version, status="sent")
    return Delivery(status="sent", chat_id=chat_id, **base)


@dataclass(frozen=True)
class LateDelivery:
    """A message whose delivery would come at or after the start of the first lesson it announces."""

    chat_key: str
    delivery: datetime
    first_lesson: datetime

    def text_ru(self, tz: ZoneInfo, label: str | None = None) -> str:
        return (f"{label or self.chat_key}: сообщение придёт {self.delivery.astimezone(tz):%d.%m %H:%M}, а первый урок, о котором "
                f"оно, начинается {self.first_lesson.astimezone(tz):%d.%m %H:%M}")

    def text_en(self, tz: ZoneInfo) -> str:
        return (f"{self.chat_key}: delivered {self.delivery.astimezone(tz):%d.%m %H:%M}, the first lesson it announces "
                f"starts {self.first_lesson.astimezone(tz):%d.%m %H:%M}")


def chat_label_ru(school: School, chat_key: str) -> str:
    """A chat key in words: «чат класса 5А», «чат родителей 5А», «чат учителей», or the teacher's name."""
    kind, _, ident = chat_key.partition(":")
    classes = {c.id: c.name for c in school.classes}
    if kind == "class":
        return f"чат класса {classes.get(ident, ident)}"
    if kind == "parents":
        return f"чат родителей {classes.get(ident, ident)}"
    if kind == "teacher":
        return next((t.name for t in school.teachers if t.id == ident), ident)
    return "чат учителей" if chat_key == TEACHERS_CHAT else chat_key


def _first_lesson(plan: Plan, chat_key: str) -> datetime | None:
    changed = [o for o in plan.occurrences if o.mode != Mode.IN_SCHOOL
               and (chat_key in (TEACHERS_CHAT, f"class:{o.class_id}", f"parents:{o.class_id}")
                    or chat_key.startswith("teacher:") and chat_key[8:] in o.teachers)]
    starts = [o.start or o.regular_start for o in changed if (o.start or o.regular_start)]
    return min(starts) if starts else None


def late_deliveries(school: School, plan: Plan, messages: list[ChatMessage], *, now: datetime,
                    library) -> list[LateDelivery]:
    """The messages that, queued now for business hours (000 §5.1), would arrive at or after the start of the
    first lesson they announce; shown before queueing so the sender chooses: urgent (with a category) or not.
    Lessons that have already begun are not flagged: no choice would bring the message before them."""
    hours = business_hours(library, school, now)
    delivery = now if hours.is_open(now) else hours.next_opening(now)
    out = []
    for m in messages:
        first = _first_lesson(plan, m.chat_key)
        if first is not None and now < first <= delivery:  # sending at once (urgent) would still be in time
            out.append(LateDelivery(m.chat_key, delivery, first))
    return out


def queue_messages(store, school: School, plan: Plan, messages: list[ChatMessage], client, *, now: datetime,
                   library, urgent: bool = False, urgent_category: str | None = None) -> QueueReport:
    """Store every part (one record per part, id from school, plan and chat) and send those that may go now:
    all when urgent, else inside business hours; the rest wait as queued until the next window opening.
    A part already sent or queued is skipped (composing twice sends once); a failed one is tried again.
    With a dry-run client nothing is stored and nothing leaves the machine: the report says what would happen
    and the client records the requests it would make."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    category = None
    if urgent:  # 000 §5.1: outside business hours only emergencies; the category is recorded with the message
        from planner.school.channels import urgent_category as _category

        choice = _category(urgent_category, school.channel_policy)
        category = {"id": choice.id, "name": choice.name, "source": choice.source}
    hours = business_hours(library, school, now)
    open_now = urgent or hours.is_open(now)
    due = now if open_now else hours.next_opening(now)
    report = QueueReport([], {})
    plan_hash = plan.content_hash()[:16]
    cache = {} if client.dry_run else _known_chat_ids(store, school.id)
    for m in messages:
        for i, text in enumerate(m.text_parts, 1):
            rid = f"{school.id}|{plan_hash}|{m.chat_key}|{i:02d}-{len(m.text_parts):02d}"
            if client.dry_run:
                chat_id = m.chat_id or cache.get(m.chat_key)
                if open_now:
                    client.send_text(chat_id or f"<{m.invite_link}>", text)
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts),
                                                  "would_send" if open_now else "would_queue", _utc(due), chat_id,
                                                  urgent=urgent))
                continue
            payload = dict(school_id=school.id, plan_hash=plan_hash, scenario=plan.scenario.name,
                           chat_key=m.chat_key, chat_id=m.chat_id, invite_link=m.invite_link, part=i,
                           parts=len(m.text_parts), text=text, urgent=urgent, composed_at=_utc(now),
                           urgent_category=category)
            record = store.get("message", rid)
            if record is not None and record.columns["status"] in ("sent", "sending"):
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts), "skipped",
                                                  record.columns["due_at"], error=f"already {record.columns['status']}"))
                continue
            if record is not None and record.columns["status"] == "queued" and not open_now:
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts), "skipped",
                                                  record.columns["due_at"], error="already queued"))
                continue
            record = store.save("message", rid, payload, record.version if record else None,
                                school_id=school.id, chat=m.chat_key, status="queued", due_at=due)
            if open_now:
                report.deliveries.append(_deliver(store, client, record, now, report, cache))
            else:
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts), "queued", _utc(due),
                                                  m.chat_id))
    return report


def send_due(store, client, *, now: datetime, school_id: str | None = None, library=None) -> QueueReport:
    """Send every queued part whose due_at has come (oldest first), each once; cron and the page call this.
    With the norm library given, parts stay queued while their school's business-hours window (local act) is
    closed, so a late cron run or a click at 22:00 sends nothing. With a dry-run client nothing is sent or
    changed: the report lists what would go out."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    report = QueueReport([], {})
    filters = {"status": "queued"} | ({"school_id": school_id} if school_id else {})
    records = [r for r in store.list("message", **filters)
               if r.columns["due_at"] and datetime.fromisoformat(r.columns["due_at"]) <= now]
    records.sort(key=lambda r: (r.columns["due_at"], r.id))
    caches: dict[str, dict[str, str]] = {}
    open_now: dict[str, bool] = {}
    for r in records:
        sid = r.columns["school_id"]
        if library is not None:
            if sid not in open_now:
                school = store.load_school(sid)
                open_now[sid] = school is None or business_hours(library, school, now).is_open(now)
            if not open_now[sid] and not r.payload.get("urgent"):
                continue  # queued until the window opens again (an urgent part being retried goes on)
        if client.dry_run:
            client.send_text(r.payload.get("chat_id") or f"<{r.payload.get('invite_link')}>", r.payload["text"])
            report.deliveries.append(Delivery(r.id, r.payload["chat_key"], r.payload["part"], r.payload["parts"],
                                              "would_send", r.columns["due_at"], r.payload.get("chat_id")))
            continue
        cache = caches.setdefault(sid, _known_chat_ids(store, sid))
        report.deliveries.append(_deliver(store, client, r, now, report, cache))
    return report
