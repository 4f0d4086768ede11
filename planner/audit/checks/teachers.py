"""Integrity check across classes: a teacher is never in two places at once (by clock time, across shifts)."""

from __future__ import annotations

from collections import defaultdict

from planner.audit.checks.common import applicable
from planner.audit.findings import Finding, make_finding
from planner.audit.views import ClassDay, hhmm
from planner.norms import Norm, Row
from planner.text import plural


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


def _teacher_calls(days: list[ClassDay]) -> dict[str, list[tuple[int, int, str, str]]]:
    """Per teacher the date's live calls (start, end, lesson, class), a combined lesson's call once."""
    calls: dict[str, set[tuple[int, int, str, str]]] = defaultdict(set)
    seen: set[tuple[str, int, int, str]] = set()
    for cd in days:
        for slot in cd.slots:
            if not slot.live:
                continue
            for item in slot.items:
                for t in item.teachers:
                    if (t, slot.start, slot.end, item.lesson_id) not in seen:
                        seen.add((t, slot.start, slot.end, item.lesson_id))
                        calls[t].add((slot.start, slot.end, item.lesson_id, cd.klass.id))
    return {t: sorted(c) for t, c in calls.items()}


def _limit(days: list[ClassDay], key: str) -> tuple[Norm, Row, ClassDay] | None:
    """The optional teacher limit in force on the date, when set (value > 0): (norm, row, class day)."""
    for cd in days:
        found = applicable(cd, key)
        if found is not None and float(found[1].value()) > 0:
            return found[0], found[1], cd
    return None


def check_teacher_live_minutes(days: list[ClassDay]) -> list[Finding]:
    """Optional planner default (norm "teacher.live_minutes_per_day_max", confidence M; the teachers' health,
    regulation on Sferum use 004 п. 3.5, without a number; off — 0 — unless the school's policy sets it): a
    teacher's live calls of one date add up to at most the limit."""
    found = _limit(days, "teacher.live_minutes_per_day_max")
    if found is None:
        return []
    norm, row, cd = found
    limit = int(row.value())
    out = []
    for teacher, calls in sorted(_teacher_calls(days).items()):
        total = sum(e - s for s, e, _, _ in calls)
        if total > limit:
            out.append(make_finding(norm, row, "value",
                                    f"учитель ведёт {total} мин онлайн-уроков за день, больше {limit} мин",
                                    f"the teacher gives {total} min of live calls in the day, over {limit} min",
                                    teacher_id=teacher, weekday=cd.weekday, dates=(cd.date,)))
    return out


def check_teacher_calls_in_a_row(days: list[ClassDay]) -> list[Finding]:
    """Optional planner default (norm "teacher.calls_in_a_row_max" with rest_minutes, confidence M; 004 п. 3.5
    without a number; off — 0 — unless the school's policy sets it): no more calls in a row than the limit, calls
    being in a row when fewer than rest_minutes minutes separate one's end from the next one's start."""
    found = _limit(days, "teacher.calls_in_a_row_max")
    if found is None:
        return []
    norm, row, cd = found
    limit, rest = int(row.value()), int(row.value("rest_minutes"))
    out = []
    for teacher, calls in sorted(_teacher_calls(days).items()):
        longest = run = first = 0
        last: int | None = None
        best = (0, 0)
        for s, e, _, _ in calls:
            if last is not None and s - last < rest:
                run += 1
            else:
                run, first = 1, s
            last = e
            if run > longest:
                longest, best = run, (first, e)
        if longest > limit:
            out.append(make_finding(norm, row, "value",
                                    f"учитель ведёт {plural(longest, 'онлайн-урок', 'онлайн-урока', 'онлайн-уроков')} "
                                    f"подряд ({hhmm(best[0])}–{hhmm(best[1])}) "
                                    f"без перерыва {rest} мин, больше {limit}",
                                    f"the teacher gives {longest} calls in a row ({hhmm(best[0])}–{hhmm(best[1])}) "
                                    f"without a {rest}-minute rest, over {limit}",
                                    teacher_id=teacher, weekday=cd.weekday, dates=(cd.date,)))
    return out
