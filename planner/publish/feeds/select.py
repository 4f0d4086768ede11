"""Which events one feed shows (teacher, class, family, administration), its title, and how class and family
feeds show an event (made to be shared: no chat invite links unless the school's channel policy says so)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from planner.school.calendar import dates_between
from planner.school.model import School

from .events import (CANCELLED, CHAT_LINE, COLLEGE_CHAT_LINE, COLLEGE_LINK_LINE, LINK_LINE, FeedEvent, FeedItem,
                     regular_events)
from .state import FeedState
from .tokens import FeedToken
from .window import feed_window


@dataclass(frozen=True)
class FeedSpec:
    """Which events one feed shows."""

    kind: str  # teacher | class | family | admin
    subject_id: str
    class_id: str | None = None
    groups: frozenset[str] = frozenset()
    include_regular: bool = False
    feed_uid: str = ""

    @classmethod
    def from_token(cls, t: FeedToken) -> "FeedSpec":
        class_id = t.class_id or (t.subject_id if t.kind == "class" else None)
        return cls(t.kind, t.subject_id, class_id, frozenset(t.groups), t.include_regular,
                   f"feed-{t.id}@{t.school_id}.planner")

    def shows(self, ev: FeedEvent) -> bool:
        if self.kind == "admin":
            return True
        if self.kind == "teacher":
            return self.subject_id in ev.teachers
        if ev.class_id != self.class_id:
            return False
        return self.kind == "class" or not self.groups or not ev.groups or bool(self.groups & set(ev.groups))


def feed_title(spec: FeedSpec, school: School) -> tuple[str, str]:
    """NAME and DESCRIPTION of a feed (Russian; a family feed is named by its class and groups only)."""
    college = str(school.kind) == "college"  # a college's feeds read пары, преподаватель, группа
    lessons, whose_class = ("пары", "группы") if college else ("уроки", "класса")
    note = ("Календарь обновляется не чаще раза в час, Google — раз в 8–24 часа; "
            f"срочные изменения приходят в чат {whose_class} в MAX.")
    if spec.kind == "teacher":
        name = next((t.name for t in school.teachers if t.id == spec.subject_id), spec.subject_id)
        return f"{lessons.capitalize()} — {name}", \
            f"{school.name}: {lessons} {'преподавателя' if college else 'учителя'}. {note}"
    if spec.kind == "admin":
        return f"Все {lessons} — администрация", \
            f"{school.name}: все {lessons} {'колледжа' if college else 'школы'}. {note}"
    klass = next((c for c in school.classes if c.id == spec.class_id), None)
    title = klass.name if klass else str(spec.class_id)
    if spec.kind == "family" and spec.groups and klass:
        title += " (" + ", ".join(g.name for g in klass.groups if g.id in spec.groups) + ")"
    return f"{title} — {lessons}", f"{school.name}: {lessons} {whose_class}. {note}"


def feed_items(state: FeedState, spec: FeedSpec, today: date) -> list[FeedItem]:
    """The items of one feed for a date, in a stable order: in the window, dropped ones until their date."""
    first, last = feed_window(today)
    out = [i for i in state.items if first <= i.event.date <= last and spec.shows(i.event)
           and not (i.status == CANCELLED and i.event.date < today)]
    if spec.include_regular:
        days = [d for d in dates_between(first, last) if d not in state.covered]
        out += [FeedItem(e, 0, state.regular_stamp) for e in _regular(state, tuple(days)) if spec.shows(e)]
    out.sort(key=lambda i: (i.event.start, i.event.uid))
    return out


_REGULAR: dict[tuple, list[FeedEvent]] = {}


def _regular(state: FeedState, days: tuple[date, ...]) -> list[FeedEvent]:
    key = (state.school.id, state.version, days)
    if key not in _REGULAR:
        if len(_REGULAR) > 8:
            _REGULAR.clear()
        _REGULAR[key] = regular_events(state.school, days)
    return _REGULAR[key]


SHARED_LINK_TEXT = "звонок в чате класса в MAX (ссылку даёт учитель или куратор)"
COLLEGE_SHARED_LINK_TEXT = "звонок в чате группы в MAX (ссылку даёт преподаватель или куратор)"


def shared_view(item: FeedItem, school: School) -> FeedItem:
    """An item as class and family feeds show it. Those feeds are made to be shared, so by default they carry no
    chat invite links (the regulations ask to keep invite links from spreading; teacher feeds keep them); the
    school's channel policy can put the links back and can leave teachers' names out."""
    policy = school.channel_policy
    ev = item.event
    lines = ev.description.split("\n")
    update: dict = {}
    college = str(school.kind) == "college"
    link_line, chat_line = (COLLEGE_LINK_LINE, COLLEGE_CHAT_LINE) if college else (LINK_LINE, CHAT_LINE)
    shared = COLLEGE_SHARED_LINK_TEXT if college else SHARED_LINK_TEXT
    if not policy.links_in_family_feeds and (ev.link or any(ln.startswith((chat_line, link_line)) for ln in lines)):
        lines = [link_line + shared if ln.startswith(link_line) else ln for ln in lines
                 if not ln.startswith(chat_line)]
        update.update(link=None, location=shared if ev.kind == "live" else ev.location)
    if not policy.teacher_names_in_family_feeds:
        lines = [ln for ln in lines if not ln.startswith(("Учитель: ", "Учитель по расписанию: ", "Преподаватель: ",
                                                          "Преподаватель по расписанию: "))]
    if not update and lines == ev.description.split("\n"):
        return item
    return replace(item, event=replace(ev, description="\n".join(lines), **update))
