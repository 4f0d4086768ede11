"""Chat messages about a plan: Russian texts for each class chat, the parents' chats, the teachers' chat and each
teacher, split into MAX-sized parts (`parts.py`). Composition is pure (school + plan in, `ChatMessage` out);
sending is the outbox's job (`outbox.py`). Texts name teachers (staff) but never pupils; an absent teacher is
«отсутствует», never the cause.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from planner.scenario.model import ASYNC_KIND_RU
from planner.plan.model import Mode, Occurrence, Plan
from planner.scenario.model import REASON_RU
from planner.school.model import WEEKDAY_NAMES_RU, School
from planner.publish import alternative
from planner.text import hand_in_ru, institution_words, timezone_ru

from .max_api import MAX_TEXT_LENGTH
from .parts import DAY_LINE, PART_MARK, own_title_parts

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
        first = PART_MARK.sub("", self.text_parts[0], count=1)
        return first + "".join(p.split("\n", 1)[1] for p in self.text_parts[1:])


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
    if o.cover is not None and o.cover.role == "supervisor" and o.cover.teacher:  # issue 14: the adult named
        return f"{n.span(o.start, o.end)} {prefix}{n.subject(o)} — самостоятельная работа под присмотром: " \
               f"{n.people([o.cover.teacher])}"
    if o.cover is not None and o.cover.role == "none":
        return f"{n.span(o.start, o.end)} {prefix}{n.subject(o)} — самостоятельная работа, присмотр назначается"
    who = n.people(o.teachers) if o.teachers else "самостоятельная работа под присмотром дежурного"
    return f"{n.span(o.start, o.end)} {prefix}{n.subject(o)} — замена: {who}"


def _cover_note(n: _Names, o: Occurrence, staff: bool = False, teacher: str = "учитель") -> str:
    """«, замена: учитель отсутствует» on a live call or a task of an absent teacher (families are told only
    that the teacher is absent, never why); for staff, whom the cover replaces."""
    c = o.cover
    if c is None or c.role not in ("online", "co_teacher", "task_setter"):
        return ""
    if staff:
        return f" (замена, вместо: {n.people(c.absent)})"
    if c.role == "task_setter" and c.teacher:
        return f" ({teacher} отсутствует; задание выдаёт и проверяет {n.people([c.teacher])})"
    return f", замена: {teacher} отсутствует"


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
        lines.append(f"Звонок короче {w['lesson_gen']}: после звонка и до конца {w['lesson_gen']} по расписанию — "
                     f"самостоятельная работа по заданию, которое {w['teacher']} даст на звонке.")
    lines += alternative.family_lines(mine, str(school.kind))  # 004 §3.3, §3.7: in the head, so a changes-only message keeps it
    for day in sorted({o.date for o in changed}):
        today = [o for o in mine if o.date == day]
        online_today = any(o.mode in (Mode.LIVE, Mode.ASYNC) for o in today)
        lines += ["", _day(day)]
        if (alt := alternative.day_line(today, str(school.kind))) is not None:
            lines.append(alt)
        sections = (
            (f"{w['online_lessons']}:", [f"{n.span(o.start, o.end)} {n.subject(o)} ({n.people(o.teachers)}"
                                         f"{_cover_note(n, o, teacher=w['teacher'])})" + _breaks(n, o)
                                + (f" — {o.link}" if o.link and o.link != chat_link else "")
                                for o in today if o.mode == Mode.LIVE]),
            ("Самостоятельная работа:", [_async_line(n, o) + _cover_note(n, o, teacher=w['teacher']) for o in today
                                         if o.mode == Mode.ASYNC]),
            (f"{w['in_house']} по расписанию:", [f"{n.span(o.start, o.end)} {n.subject(o)}" for o in today
                                        if o.mode == Mode.IN_SCHOOL and online_today]),
            ("Замены:", [_replaced_line(n, o) for o in today if o.mode == Mode.REPLACED]),
            ("Отменено:", [n.subject(o) for o in today if o.mode == Mode.CANCELLED]),
        )
        lines += _sections(sections)
    return _with_feed_link(lines, feed_link)


def _sections(sections: Iterable[tuple[str, list[str]]]) -> list[str]:
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
        for state, one, many in (("sick", "Отсутствует", "Отсутствуют"),
                                 ("remote_only", "Работает только дистанционно", "Работают только дистанционно")):
            who = sorted((t for t in regular if plan.scenario.teacher_state(t, day) == state),
                         key=lambda t: n.people([t]))  # by name, as the list reads
            if who:  # the verb agrees with the number of people named
                lines.append(f"{one if len(who) == 1 else many}: " + ", ".join(n.people([t]) for t in who) + ".")
        replaced = [o for o in today if o.mode == Mode.REPLACED]
        if replaced:
            lines += ["Замены в школе:", *[_replaced_line(n, o, f"{n.cls(o.class_id)} ")
                                           + f" (вместо: {n.people(o.regular_teachers)})" for o in replaced]]
        online_cover = [(o, o.cover) for o in today
                        if o.mode == Mode.LIVE and o.cover is not None and o.cover.role == "online" and o.cover.teacher]
        if online_cover:  # issue 14: an absent teacher's call given by a colleague
            lines += ["Онлайн-замены:", *[f"{n.span(o.start, o.end)} {n.cls(o.class_id)} {n.subject(o)} — "
                                          f"{n.people([c.teacher])} (вместо: {n.people(c.absent)})"
                                          for o, c in online_cover if c.teacher]]
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
            (f"{w['online_lessons']}:", [f"{n.span(o.start, o.end)} {n.cls(o.class_id)} {n.subject(o)}"
                                         + _cover_note(n, o, staff=True) + _breaks(n, o)
                                + (f" — {o.link}" if o.link else "") for o in today if o.mode == Mode.LIVE]),
            ("Задания (самостоятельная работа):", [_async_line(n, o, f"{n.cls(o.class_id)} ")
                                                   + _cover_note(n, o, staff=True)
                                                   for o in today if o.mode == Mode.ASYNC]),
            (f"Для {w['pupils_gen']} без устройства или с отказом (п. 3.7):",
             [f"{n.span(o.start, o.end)} {n.cls(o.class_id)} {n.subject(o)} — "
              + alternative.teacher_task(o.alternative, n.cls(o.class_id), str(school.kind))
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
        if DAY_LINE.match(first):
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

    def text_of(make: Callable[..., str | None], *args: str, title: str) -> str | None:
        text = make(school, plan, *args)
        if previous is None or text is None and make(school, previous, *args) is None:
            return text
        return _changes_only(text, make(school, previous, *args), title)

    out: list[ChatMessage] = []
    for cls in school.classes:
        chat = chats.get(cls.id)
        link = chat.invite_link if chat else None

        def make_class(sch: School, pl: Plan, cid: str = cls.id, link: str | None = link) -> str | None:
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


def chat_label_ru(school: School, chat_key: str) -> str:
    """A chat key in words: «чат класса 5А», «чат родителей 5А», «чат учителей», or the teacher's name."""
    kind, _, ident = chat_key.partition(":")
    classes = {c.id: c.name for c in school.classes}
    college = str(school.kind) == "college"  # «чат группы ИСП-26», «чат преподавателей»
    if kind == "class":
        return f"чат {'группы' if college else 'класса'} {classes.get(ident, ident)}"
    if kind == "parents":
        return f"чат родителей {classes.get(ident, ident)}"
    if kind == "teacher":
        return next((t.name for t in school.teachers if t.id == ident), ident)
    if chat_key == TEACHERS_CHAT:
        return "чат преподавателей" if college else "чат учителей"
    return chat_key
