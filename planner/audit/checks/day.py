"""Checks of one class day: the day window, breaks, the big break, lesson length, the 1st-grade dynamic pause."""

from __future__ import annotations

from planner.audit.checks.common import applicable, where
from planner.audit.findings import Finding, make_finding
from planner.audit.views import ClassDay, hhmm


def check_earliest_start(cd: ClassDay) -> list[Finding]:
    """СП 2.4.3648-20, п. 3.4.16: lessons start not earlier than 08:00 (norm "day.earliest_start")."""
    found = applicable(cd, "day.earliest_start")
    if not found or not cd.slots:
        return []
    norm, row = found
    first = cd.slots[0]
    if first.start >= row.minutes():
        return []
    return [make_finding(norm, row, "value",
                         f"первый урок начинается в {hhmm(first.start)}, раньше {row.value()}",
                         f"the first lesson starts at {hhmm(first.start)}, before {row.value()}",
                         **where(cd, period=first.period))]


def check_latest_end(cd: ClassDay) -> list[Finding]:
    """СП 2.4.3648-20, п. 3.4.16: lessons end not later than 19:00 (norm "day.latest_end")."""
    found = applicable(cd, "day.latest_end")
    if not found or not cd.slots:
        return []
    norm, row = found
    last = cd.slots[-1]
    if last.end <= row.minutes():
        return []
    return [make_finding(norm, row, "value",
                         f"последний урок заканчивается в {hhmm(last.end)}, позже {row.value()}",
                         f"the last lesson ends at {hhmm(last.end)}, after {row.value()}",
                         **where(cd, period=last.period))]


def check_min_break(cd: ClassDay) -> list[Finding]:
    """СП 2.4.3648-20, п. 3.4.16: a break between lessons lasts at least 10 minutes (norm "breaks.min_minutes").

    Checked between consecutive lessons the class actually has (a gap of free periods counts as a break)."""
    found = applicable(cd, "breaks.min_minutes")
    if not found:
        return []
    norm, row = found
    out = []
    for prev, nxt in zip(cd.slots, cd.slots[1:]):
        gap = nxt.start - prev.end
        if gap < row.minutes():
            out.append(make_finding(
                norm, row, "value",
                f"перемена после {prev.ordinal}-го урока ({hhmm(prev.end)}–{hhmm(nxt.start)}) — {gap} мин, "
                f"меньше {row.value()} мин",
                f"the break after lesson {prev.ordinal} ({hhmm(prev.end)}–{hhmm(nxt.start)}) is {gap} min, "
                f"less than {row.value()} min", **where(cd, period=prev.period)))
    return out


def check_big_break(cd: ClassDay) -> list[Finding]:
    """СП 2.4.3648-20, п. 3.4.16: a big break of at least 20 minutes after lesson 2 or 3 (norm
    "breaks.big_break"; two 20-minute breaks after lessons 2 and 3 also satisfy it). Checked when the class has a
    lesson after lesson 2. The 30-minute upper value is not checked: the 1st grade's dynamic pause is longer."""
    found = applicable(cd, "breaks.big_break")
    if not found:
        return []
    norm, row = found
    first, last = int(row.value("after_lesson_first")), int(row.value("after_lesson_last"))
    gaps = {s.ordinal: nxt.start - s.end for s, nxt in zip(cd.slots, cd.slots[1:])}
    candidates = [gaps[k] for k in range(first, last + 1) if k in gaps]
    if not candidates:
        return []
    big = int(row.value("min_minutes"))
    if max(candidates) >= big:
        return []
    listed = ", ".join(f"{k}-го — {gaps[k]} мин" for k in range(first, last + 1) if k in gaps)
    listed_en = ", ".join(f"after lesson {k}: {gaps[k]} min" for k in range(first, last + 1) if k in gaps)
    return [make_finding(norm, row, "min_minutes",
                         f"нет большой перемены не менее {big} мин после {first}-го или {last}-го урока ({listed})",
                         f"no big break of at least {big} min after lesson {first} or {last} ({listed_en})",
                         **where(cd))]


def _over_length(cd: ClassDay, key: str, what_ru: str, what_en: str) -> list[Finding]:
    found = applicable(cd, key)
    if not found:
        return []
    norm, row = found
    limit = row.minutes()
    return [make_finding(norm, row, "value",
                         f"{s.ordinal}-{what_ru} ({hhmm(s.start)}–{hhmm(s.end)}) длится {s.minutes} мин, больше {limit} мин",
                         f"{what_en} {s.ordinal} ({hhmm(s.start)}–{hhmm(s.end)}) lasts {s.minutes} min, over {limit} min",
                         **where(cd, period=s.period))
            for s in cd.slots if s.minutes > limit]


def check_lesson_length(cd: ClassDay) -> list[Finding]:
    """СанПиН 1.2.3685-21, табл. 6.6: a lesson lasts at most 45 minutes; 1st grade 35 (Sep–Dec) / 40 (Jan–May);
    ОВЗ classes 40 (norm "lesson.max_minutes"). Each period of a double lesson is one lesson."""
    return _over_length(cd, "lesson.max_minutes", "й урок", "lesson")


def check_pair_length(cd: ClassDay) -> list[Finding]:
    """Local act of the college (norm "college.pair_max_minutes"): a pair lasts at most 90 minutes."""
    return _over_length(cd, "college.pair_max_minutes", "я пара", "pair")


def check_grade1_dynamic_pause(cd: ClassDay) -> list[Finding]:
    """СП 2.4.3648-20, п. 3.4.16 (ступенчатый режим): 1st grade has a mid-day dynamic pause of at least
    40 minutes (norm "grade1.dynamic_pause_minutes"; unverified value, a warning)."""
    if cd.klass.grade != 1:
        return []
    found = applicable(cd, "grade1.dynamic_pause_minutes")
    if not found:
        return []
    norm, row = found
    after = int(row.value("after_lesson"))
    pairs = {s.ordinal: (s, nxt) for s, nxt in zip(cd.slots, cd.slots[1:])}
    if after not in pairs:
        return []
    s, nxt = pairs[after]
    gap = nxt.start - s.end
    if gap >= row.minutes():
        return []
    return [make_finding(norm, row, "value",
                         f"динамическая пауза после {after}-го урока — {gap} мин, меньше {row.value()} мин",
                         f"the dynamic pause after lesson {after} is {gap} min, less than {row.value()} min",
                         **where(cd, period=s.period))]
