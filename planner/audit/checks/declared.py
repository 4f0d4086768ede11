"""The plan's recorded policy against the law: every limit the plan says it worked under (`Plan.policies`) may
be stricter than the legal limit, never looser. The legal limits are derived here from the norm data and the
school alone (planner/audit/limits.py lists each value's source); a loosening the school's policy file allows
with allow_loosen is part of the norm data in force, and shown on every finding against its row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from planner.audit.checks.common import applicable, where
from planner.audit.findings import Finding, make_finding
from planner.audit.views import ClassDay, hhmm
from planner.norms import Norm, Row
from planner.scenario.resolved import SCREEN_DEVICES, ClassPolicy
from planner.school.model import DEVICE_RU

@dataclass(frozen=True)
class Limit:
    """One legal limit: its value and the norm row (and field) it comes from."""

    value: int
    norm: Norm
    row: Row
    field: str
    device: str | None = None  # table 6.8: the device whose row binds


@dataclass(frozen=True)
class LegalLimits:
    """The legal limits of one online class day; None where no norm in force sets one."""

    call_minutes: Limit | None  # at most
    daily_budget: Limit | None  # at most
    earliest_start: Limit | None  # at least (minute of the day)
    latest_end: Limit | None  # at most (minute of the day)
    min_break: Limit | None  # at least
    continuous: Limit | None  # at most: the longest screen stretch, i.e. the eye-gymnastics interval


def _table_6_8(cd: ClassDay, field: str) -> Limit | None:
    """The smallest value of one column of table 6.8 over the screen devices present (phones are no learning
    device: eso.phones_forbidden)."""
    found = [(d, *x) for d in SCREEN_DEVICES if getattr(cd.online_policy.devices, d) > 0
             and (x := applicable(cd, "eso.table_6_8", device=d)) and field in x[1].values]
    if not found:
        return None
    device, norm, row = min(found, key=lambda x: x[2].minutes(field))
    return Limit(row.minutes(field), norm, row, field, device)


def legal_limits(cd: ClassDay) -> LegalLimits:
    """The law for an online class day, from the norm data in force and the school (see planner/audit/limits.py
    for each value's source)."""

    def single(key: str) -> Limit | None:
        found = applicable(cd, key)
        return Limit(found[1].minutes(), found[0], found[1], "value") if found else None

    return LegalLimits(call_minutes=_table_6_8(cd, "lesson"),
                       daily_budget=_table_6_8(cd, cd.plan_scenario.policy.budget_column),
                       earliest_start=single("day.earliest_start"), latest_end=single("day.latest_end"),
                       min_break=single("breaks.min_minutes"), continuous=single("eso.continuous_minutes"))


def _minutes(v: int, lang: str) -> str:
    return f"{v} мин" if lang == "ru" else f"{v} min"


def _clock(v: int, lang: str) -> str:
    return hhmm(v)


# (what the plan records, the legal limit, True: an upper limit, Russian and English name, format)
_Compared = tuple[Callable[[ClassPolicy], int], str, bool, str, str, Callable[[int, str], str]]
_COMPARED: tuple[_Compared, ...] = (
    (lambda p: p.call_minutes.value, "call_minutes", True, "длительность онлайн-урока", "call length", _minutes),
    (lambda p: p.daily_budget.value, "daily_budget", True, "дневной лимит экранного времени", "daily screen budget",
     _minutes),
    (lambda p: p.screen_cap, "daily_budget", True, "экранное время за день (лимит минус резерв)",
     "daily screen cap (budget less reserve)", _minutes),
    (lambda p: p.earliest_start.value, "earliest_start", False, "начало онлайн-уроков", "earliest start", _clock),
    (lambda p: p.latest_end.value, "latest_end", True, "окончание онлайн-уроков", "latest end", _clock),
    (lambda p: p.min_break.value, "min_break", False, "перерыв между онлайн-уроками", "break between calls",
     _minutes),
    (lambda p: p.gymnastics_interval.value, "continuous", True, "непрерывная работа с экраном до гимнастики для глаз",
     "continuous screen time before eye gymnastics", _minutes),
)


def check_declared_limits(cd: ClassDay) -> list[Finding]:
    """The plan's recorded policy of an online class day is no looser than the law (СанПиН 1.2.3685-21, табл. 6.8;
    СП 2.4.3648-20, п. 3.4.16 and п. 2.10.2): a recorded call length, screen budget or cap, latest end or
    eye-gymnastics interval above the legal limit, or an earliest start or minimum break below it, is a finding
    against that norm, whatever the plan's calls do."""
    if cd.day_type != "online_day" or cd.policy is None or cd.declared is None:
        return []
    law = legal_limits(cd)
    out, seen = [], set()
    for get, name, upper, what_ru, what_en, shown in _COMPARED:
        limit: Limit | None = getattr(law, name)
        declared = get(cd.declared)
        if limit is None or (declared <= limit.value if upper else declared >= limit.value) or name in seen:
            continue
        seen.add(name)  # the budget and the cap it bounds: one finding
        word_ru, word_en = ("не более", "at most") if upper else ("не менее", "at least")
        device_ru = f" (устройство «{DEVICE_RU[limit.device]}»)" if limit.device else ""
        device_en = f" ({limit.device})" if limit.device else ""
        out.append(make_finding(
            limit.norm, limit.row, limit.field,
            f"в плане записано: {what_ru} {shown(declared, 'ru')}, а норма допускает {word_ru} "
            f"{shown(limit.value, 'ru')}{device_ru}",
            f"the plan records a {what_en} of {shown(declared, 'en')}, the norm allows {word_en} "
            f"{shown(limit.value, 'en')}{device_en}", **where(cd, groups=())))
    return out
