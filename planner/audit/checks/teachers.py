"""Integrity check across classes: a teacher is never in two places at once (by clock time, across shifts)."""

from __future__ import annotations

from collections import defaultdict

from planner.audit.findings import Finding
from planner.audit.views import ClassDay, hhmm


def check_teacher_overlap(days: list[ClassDay]) -> list[Finding]:
    """Timetable integrity (not a sanitary norm): one teacher's lessons on one date must not overlap in time.
    The same lesson shown in several classes (a combined lesson) is one lesson."""
    busy: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for cd in days:
        for slot in cd.slots:
            for item in slot.items:
                for t in item.teachers:
                    busy[t].append((slot.start, slot.end, item.lesson_id, cd.klass.id))
    out = []
    for teacher, spans in busy.items():
        spans = sorted(set(spans))
        for i, (s1, e1, l1, c1) in enumerate(spans):
            for s2, e2, l2, c2 in spans[i + 1:]:
                if s2 >= e1:
                    break
                if l1 == l2:
                    continue
                out.append(Finding(
                    norm_key="integrity.teacher_overlap", severity="violation", act="Целостность расписания",
                    clause="учитель не может вести два занятия одновременно", confidence="P",
                    message_ru=f"уроки «{l1}» ({c1}, {hhmm(s1)}–{hhmm(e1)}) и «{l2}» ({c2}, {hhmm(s2)}–{hhmm(e2)}) "
                               f"пересекаются по времени",
                    message_en=f"lessons '{l1}' ({c1}, {hhmm(s1)}–{hhmm(e1)}) and '{l2}' ({c2}, "
                               f"{hhmm(s2)}–{hhmm(e2)}) overlap in time",
                    teacher_id=teacher, weekday=days[0].weekday if days else None, lesson_id=l2,
                    dates=(days[0].date,) if days else ()))
    return out


def check_teacher_availability(days: list[ClassDay]) -> list[Finding]:
    """Timetable integrity (not a sanitary norm): a teacher has no lesson at a time marked unavailable."""
    if not days:
        return []
    teachers = {t.id: t for t in days[0].school.teachers}
    out = []
    for cd in days:
        for slot in cd.slots:
            for item in slot.items:
                for tid in item.teachers:
                    t = teachers.get(tid)
                    if t is not None and not t.available(cd.weekday, slot.period):
                        out.append(Finding(
                            norm_key="integrity.teacher_unavailable", severity="violation",
                            act="Целостность расписания", clause="доступность учителя", confidence="P",
                            message_ru=f"урок «{item.lesson_id}» ({cd.klass.id}, {slot.period}-й урок) стоит в "
                                       f"недоступное для учителя время",
                            message_en=f"lesson '{item.lesson_id}' ({cd.klass.id}, period {slot.period}) is at a "
                                       f"time the teacher is unavailable",
                            teacher_id=tid, weekday=cd.weekday, lesson_id=item.lesson_id, period=slot.period,
                            dates=(cd.date,)))
    return out
