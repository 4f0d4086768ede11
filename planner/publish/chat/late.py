"""Late deliveries: messages that, queued for business hours, would arrive at or after the first lesson they
announce — shown before queueing so the sender chooses urgent or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from planner.plan.model import Mode, Plan
from planner.school.model import School

from .compose import TEACHERS_CHAT, ChatMessage
from .hours import business_hours


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
