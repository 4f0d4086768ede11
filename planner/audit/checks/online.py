"""Checks of plan days: screen time (табл. 6.8), continuous screen work and eye gymnastics (СП п. 2.10.2),
homework time (табл. 6.6), the distance recommendations, the scenario's own policy, and teacher states.

Norm limits are recomputed here from the norm data and the class's devices (never read from the policy's
call_minutes or daily_budget). Only scenario choices come from the class's policy: the reserve, the minimum
break between calls, the budget column, the latest end, the transition buffer and the gymnastics interval. A plan
that breaks its own scenario's policy gets a violation "Политика сценария".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from collections import defaultdict

from planner.school.model import DEVICE_RU
from planner.audit.checks.common import applicable, where
from planner.audit.findings import Finding, make_finding
from planner.audit.views import ClassDay, Item, Slot, hhmm
from planner.norms import Norm, Row, severity_of
from planner.scenario.model import TeacherStateKind
from planner.scenario.resolved import SCREEN_DEVICES, Source, Valued

SCENARIO_ACT = "Политика сценария"
DEVICE_EN = {"pc": "PC", "laptop": "laptop", "tablet": "tablet"}


def _online(cd: ClassDay) -> bool:
    return cd.day_type == "online_day" and cd.policy is not None


def _live(cd: ClassDay) -> list[Slot]:
    return [s for s in cd.slots if s.live]


def _slot_where(cd: ClassDay, slot: Slot) -> dict[str, Any]:
    """A finding about one call names its lesson and the call's own groups (the same whole-class call seen
    from several pupil cells is one finding)."""
    groups = tuple(sorted({g for i in slot.items for g in i.groups}))
    return where(cd, period=slot.period, lesson_id=slot.items[0].lesson_id, groups=groups)


def _pair_where(cd: ClassDay, prev: Slot, nxt: Slot) -> dict[str, Any]:
    """A finding about the break between two calls names the groups of both (whole-class calls: none)."""
    groups = tuple(sorted({g for s in (prev, nxt) for i in s.items for g in i.groups}))
    return where(cd, period=prev.period, groups=groups)


def _call(slot: Slot) -> str:
    return f"{hhmm(slot.start)}–{hhmm(slot.end)}, «{slot.items[0].subject_name}»"


def scenario_finding(cd: ClassDay, name: str, knob_ru: str, valued: Valued, shown: str, message_ru: str,
                     message_en: str, **place: Any) -> Finding:
    """A breach of the scenario's own policy (not a sanitary norm): always a violation — the plan was made
    under this policy. The clause names the knob, its value and where the value came from."""
    source = "задано сценарием" if valued.source.kind == "scenario" else \
        f"по умолчанию из нормы {valued.source.key}" + (f":{valued.source.column}" if valued.source.column else "")
    return Finding(norm_key=f"scenario.{name}", severity="violation", act=SCENARIO_ACT,
                   clause=f"сценарий «{cd.plan_scenario.name}»: {knob_ru} {shown} ({source})", confidence="P",
                   message_ru=f"{message_ru} (политика сценария)", message_en=f"{message_en} (the scenario's policy)",
                   **place)


def _device_rows(cd: ClassDay) -> list[tuple[str, Norm, Row]]:
    """Table 6.8 rows of the screen devices present among the class's pupils (phones are no learning device)."""
    rows = []
    for device in SCREEN_DEVICES:
        if getattr(cd.online_policy.devices, device) > 0:
            found = applicable(cd, "eso.table_6_8", device=device)
            if found:
                rows.append((device, *found))
    return rows


def check_call_length(cd: ClassDay) -> list[Finding]:
    """СанПиН 1.2.3685-21, табл. 6.8 (norm "eso.table_6_8", field "lesson"): a live part lasts at most the
    per-lesson screen limit of the strictest device present among pupils with a PC, laptop or tablet. Where
    verified and unverified limits are both exceeded the verified one is cited (PC: violation; laptop and
    tablet values are unverified (M): warning). Within the table's limit, a part longer than the scenario's
    live_lesson_max_minutes breaks the scenario's policy, or, without that knob, the distance recommendation
    (norm "distance.lesson_max_minutes", a warning)."""
    if not _online(cd):
        return []
    rows = _device_rows(cd)
    knob = cd.plan_scenario.policy.live_lesson_max_minutes
    recommended = applicable(cd, "distance.lesson_max_minutes")
    out = []
    for s in _live(cd):
        over = [(d, n, r) for d, n, r in rows if s.minutes > r.minutes("lesson")]
        verified = [x for x in over if severity_of(x[1], x[2], "lesson") == "violation"]
        if over:
            device, norm, row = min(verified or over, key=lambda x: x[2].minutes("lesson"))
            limit = row.minutes("lesson")
            out.append(make_finding(norm, row, "lesson",
                                    f"онлайн-урок {_call(s)} длится {s.minutes} мин, больше {limit} мин для "
                                    f"устройства «{DEVICE_RU[device]}» ({cd.klass.norm_grade} кл.)",
                                    f"the live part {_call(s)} lasts {s.minutes} min, over {limit} min for a "
                                    f"{DEVICE_EN[device]} (grade {cd.klass.norm_grade})", **_slot_where(cd, s)))
        elif knob is not None and s.minutes > knob:
            out.append(scenario_finding(cd, "call_length", "онлайн-урок не более", Valued(value=knob,
                                        source=Source.scenario()), f"{knob} мин",
                                        f"онлайн-урок {_call(s)} длится {s.minutes} мин, больше {knob} мин",
                                        f"the live part {_call(s)} lasts {s.minutes} min, over {knob} min",
                                        **_slot_where(cd, s)))
        elif knob is None and recommended and s.minutes > recommended[1].minutes():
            norm, row = recommended
            out.append(make_finding(norm, row, "value",
                                    f"онлайн-урок {_call(s)} длится {s.minutes} мин, больше рекомендованных "
                                    f"{row.value()} мин", f"the live part {_call(s)} lasts {s.minutes} min, over "
                                    f"the recommended {row.value()} min", **_slot_where(cd, s)))
    return out


def _budget(cd: ClassDay) -> tuple[str, Norm, Row, str, int] | None:
    """The daily screen budget: the scenario's column of table 6.8 (home_day by default), the smallest value
    over the devices present."""
    column = cd.plan_scenario.policy.budget_column
    rows = [(d, n, r) for d, n, r in _device_rows(cd) if column in r.values]
    if not rows:
        return None
    device, norm, row = min(rows, key=lambda x: x[2].minutes(column))
    return device, norm, row, column, row.minutes(column)


def check_daily_screen_budget(cd: ClassDay) -> list[Finding]:
    """СанПиН 1.2.3685-21, табл. 6.8 (norm "eso.table_6_8", the scenario's budget column, «дома» by default):
    the screen minutes of a pupil cell's day — live parts and on-screen asynchronous work — stay within the daily
    total of the strictest device present."""
    if not _online(cd):
        return []
    found = _budget(cd)
    if found is None:
        return []
    device, norm, row, column, budget = found
    screen = cd.screen_minutes
    if screen <= budget:
        return []
    return [make_finding(norm, row, column,
                         f"экранное время за день {screen} мин, больше {budget} мин для устройства "
                         f"«{DEVICE_RU[device]}» (табл. 6.8, «{column}»)",
                         f"{screen} screen minutes in the day, over {budget} min for a {DEVICE_EN[device]} "
                         f"(table 6.8, '{column}')", **where(cd))]


def check_screen_reserve(cd: ClassDay) -> list[Finding]:
    """Scenario policy (reserve_minutes; default from norm "screen.reserve_minutes"): within the table 6.8 budget
    the plan leaves the reserve for homework and leisure, i.e. screen minutes ≤ budget − reserve. Not reported
    when the budget itself is exceeded (check_daily_screen_budget reports that)."""
    if not _online(cd):
        return []
    found = _budget(cd)
    if found is None:
        return []
    budget = found[4]
    reserve = cd.online_policy.reserve
    cap = max(0, budget - reserve.value)
    screen = cd.screen_minutes
    if screen <= cap or screen > budget:
        return []
    return [scenario_finding(cd, "screen_reserve", "резерв экранного времени", reserve, f"{reserve.value} мин",
                             f"экранное время за день {screen} мин, больше {cap} мин (норма {budget} мин минус "
                             f"резерв {reserve.value} мин)",
                             f"{screen} screen minutes in the day, over {cap} min (the {budget}-minute budget less "
                             f"the {reserve.value}-minute reserve)", **where(cd))]


def _longest_stretch(slot: Slot) -> int:
    """The longest screen stretch of a call between its start, its eye-gymnastics moments and its end."""
    longest, since = 0, 0
    for offset, minutes in slot.gymnastics:
        longest = max(longest, offset - since)
        since = max(since, offset + minutes)
    return max(longest, slot.minutes - since)


def check_eye_gymnastics(cd: ClassDay) -> list[Finding]:
    """СП 2.4.3648-20, п. 2.10.2 (norm "eso.continuous_minutes") and the eye-gymnastics requirement (norm
    "eso.eye_gymnastics"): inside a live part no screen stretch between its start, its eye-gymnastics moments
    and its end is longer than the continuous-work limit of the grade band; a stricter interval set by the
    scenario (eye_gymnastics_interval_minutes) is the scenario's policy."""
    if not _online(cd):
        return []
    found = applicable(cd, "eso.continuous_minutes")
    if not found:
        return []
    norm, row = found
    limit = row.minutes()
    interval = cd.online_policy.gymnastics_interval
    out = []
    for s in _live(cd):
        stretch = _longest_stretch(s)
        without = "без гимнастики для глаз" if not s.gymnastics else "между гимнастиками для глаз"
        without_en = "without eye gymnastics" if not s.gymnastics else "between eye-gymnastics breaks"
        if stretch > limit:
            out.append(make_finding(norm, row, "value",
                                    f"в онлайн-уроке {_call(s)} {stretch} мин работы с экраном {without}, больше "
                                    f"{limit} мин", f"the live part {_call(s)} has {stretch} screen minutes "
                                    f"{without_en}, over {limit} min", **_slot_where(cd, s)))
        elif interval.source.kind == "scenario" and stretch > interval.value:
            out.append(scenario_finding(cd, "eye_gymnastics_interval", "гимнастика для глаз не реже чем раз в",
                                        interval, f"{interval.value} мин",
                                        f"в онлайн-уроке {_call(s)} {stretch} мин работы с экраном {without}, "
                                        f"больше {interval.value} мин",
                                        f"the live part {_call(s)} has {stretch} screen minutes {without_en}, "
                                        f"over {interval.value} min", **_slot_where(cd, s)))
    return out


def check_call_breaks(cd: ClassDay) -> list[Finding]:
    """Scenario policy (min_break_minutes; default the larger of norm "breaks.min_minutes" and the distance
    recommendation "distance.break_min_minutes"): consecutive live parts of a pupil cell are at least that far
    apart. A break below the СП 2.4.3648-20 minimum is left to check_min_break (no double count)."""
    if not _online(cd):
        return []
    found = applicable(cd, "breaks.min_minutes")
    sp_minimum = found[1].minutes() if found else 0
    need = cd.online_policy.min_break
    live = _live(cd)
    out = []
    for prev, nxt in zip(live, live[1:]):
        gap = nxt.start - prev.end
        if sp_minimum <= gap < need.value:
            out.append(scenario_finding(cd, "call_break", "перерыв между онлайн-уроками не менее", need,
                                        f"{need.value} мин",
                                        f"перерыв между онлайн-уроками {hhmm(prev.end)}–{hhmm(nxt.start)} — {gap} "
                                        f"мин, меньше {need.value} мин",
                                        f"the break between live parts {hhmm(prev.end)}–{hhmm(nxt.start)} is {gap} "
                                        f"min, less than {need.value} min", **_pair_where(cd, prev, nxt)))
    return out


def check_online_latest_end(cd: ClassDay) -> list[Finding]:
    """Distance recommendation (norm "distance.latest_end", unverified: a warning) and the scenario's latest_end
    (a violation of its policy): the last live part of the day ends by then. An end after the СП 2.4.3648-20
    limit (norm "day.latest_end") is left to check_latest_end."""
    if not _online(cd) or not _live(cd):
        return []
    last = max(_live(cd), key=lambda s: s.end)
    sp = applicable(cd, "day.latest_end")
    if sp and last.end > sp[1].minutes():
        return []
    latest = cd.online_policy.latest_end
    if latest.source.kind == "scenario" and last.end > latest.value:
        return [scenario_finding(cd, "latest_end", "онлайн-занятия заканчиваются не позднее", latest,
                                 hhmm(latest.value),
                                 f"последний онлайн-урок ({_call(last)}) заканчивается позже {hhmm(latest.value)}",
                                 f"the last live part ({_call(last)}) ends after {hhmm(latest.value)}",
                                 **_slot_where(cd, last))]
    found = applicable(cd, "distance.latest_end")
    if not found or last.end <= found[1].minutes():
        return []
    norm, row = found
    return [make_finding(norm, row, "value",
                         f"последний онлайн-урок ({_call(last)}) заканчивается позже рекомендованного {row.value()}",
                         f"the last live part ({_call(last)}) ends after the recommended {row.value()}",
                         **_slot_where(cd, last))]


def check_not_ready_class_live(cd: ClassDay) -> list[Finding]:
    """Scenario rule: a class not ready for calls (readiness flags, or the scenario's override) has no live
    parts — it works asynchronously until it is ready."""
    if not _online(cd) or cd.online_policy.ready or not _live(cd):
        return []
    return [Finding(norm_key="scenario.class_not_ready", severity="violation", act=SCENARIO_ACT,
                    clause=f"сценарий «{cd.plan_scenario.name}»: не готовый к онлайн-урокам класс занимается асинхронно "
                           f"(готовность: {cd.online_policy.ready_source})", confidence="P",
                    message_ru="класс не готов к онлайн-урокам, но в плане у него есть онлайн-уроки",
                    message_en="the class is not ready for live calls, yet the plan gives it live parts",
                    **where(cd, groups=()))]


def check_homework_time(cd: ClassDay) -> list[Finding]:
    """СанПиН 1.2.3685-21, табл. 6.6 (norm "homework.max_hours_per_day"): the asynchronous work of a pupil cell's
    online day takes no longer than the daily homework norm of the grade. The work minutes are the plan's own
    estimates, so a breach is a warning."""
    if not _online(cd) or not cd.async_parts:
        return []
    found = applicable(cd, "homework.max_hours_per_day")
    if not found:
        return []
    norm, row = found
    limit = round(float(row.value()) * 60)
    work = sum(a.work_minutes for a in cd.async_parts)
    if work <= limit:
        return []
    return [make_finding(norm, row, "value",
                         f"асинхронная работа за день — {work} мин, больше нормы домашних заданий {row.value():g} ч",
                         f"{work} minutes of asynchronous work in the day, over the {row.value():g}-hour homework "
                         f"norm", severity="warning", **where(cd))]


# ---------------------------------------------------------------- date checks: teachers across classes


def _teaching(days: list[ClassDay]) -> Iterator[tuple[ClassDay, Slot | None, Item, str]]:
    """(class day, slot or None for asynchronous work, item, teacher) of the plan days, each lesson part once
    although online days repeat a whole-class call in every pupil cell."""
    seen = set()
    for cd in days:
        if cd.scenario is None:
            continue
        held = [(s, i) for s in cd.slots for i in s.items] + [(None, a.item) for a in cd.async_parts]
        for slot, item in held:
            for teacher in item.teachers:
                key = (teacher, cd.klass.id, item.lesson_id, slot.start if slot else None)
                if key not in seen:
                    seen.add(key)
                    yield cd, slot, item, teacher


def _teacher_where(cd: ClassDay, slot: Slot | None, item: Item, teacher: str) -> dict[str, Any]:
    return where(cd, teacher_id=teacher, lesson_id=item.lesson_id, groups=item.groups,
                 period=slot.period if slot else None)


def check_sick_teacher_idle(days: list[ClassDay]) -> list[Finding]:
    """Scenario rule (teachers[].state = "sick"): a teacher on sick leave that date teaches nothing — no live
    part, no asynchronous task, no lesson in the building."""
    out = []
    for cd, slot, item, teacher in _teaching(days):
        if cd.plan_scenario.teacher_state(teacher, cd.date) == TeacherStateKind.SICK:
            what_ru = f"онлайн-урок {_call(slot)}" if slot and slot.live else \
                (f"урок в школе {hhmm(slot.start)}–{hhmm(slot.end)}" if slot else "асинхронное задание")
            what_en = f"the live part {_call(slot)}" if slot and slot.live else \
                (f"the in-school lesson {hhmm(slot.start)}–{hhmm(slot.end)}" if slot else "an asynchronous task")
            out.append(Finding(norm_key="scenario.teacher_sick", severity="violation", act=SCENARIO_ACT,
                               clause=f"сценарий «{cd.plan_scenario.name}»: больной учитель не ведёт занятий",
                               confidence="P", message_ru=f"учитель на больничном ведёт {what_ru} («{item.lesson_id}»)",
                               message_en=f"a teacher on sick leave gives {what_en} ('{item.lesson_id}')",
                               **_teacher_where(cd, slot, item, teacher)))
    return out


def check_remote_teacher_not_in_school(days: list[ClassDay]) -> list[Finding]:
    """Scenario rule (teachers[].state = "remote_only"): a teacher working only remotely that date has no
    in-school or replaced lesson in the building."""
    out = []
    for cd, slot, item, teacher in _teaching(days):
        if slot is None or slot.live:
            continue
        if cd.plan_scenario.teacher_state(teacher, cd.date) == TeacherStateKind.REMOTE_ONLY:
            out.append(Finding(norm_key="scenario.teacher_remote_only", severity="violation", act=SCENARIO_ACT,
                               clause=f"сценарий «{cd.plan_scenario.name}»: учитель работает только дистанционно",
                               confidence="P",
                               message_ru=f"учитель, работающий только дистанционно, ведёт урок в школе "
                                          f"{hhmm(slot.start)}–{hhmm(slot.end)} («{item.lesson_id}»)",
                               message_en=f"a remote-only teacher gives the in-school lesson "
                                          f"{hhmm(slot.start)}–{hhmm(slot.end)} ('{item.lesson_id}')",
                               **_teacher_where(cd, slot, item, teacher)))
    return out


def check_transition_buffer(days: list[ClassDay]) -> list[Finding]:
    """Scenario policy (transition_buffer_minutes; default from norm "teacher.transition_buffer_minutes"): a
    teacher's in-school lesson and live part on the same date are at least the buffer apart (overlaps are left
    to check_teacher_overlap)."""
    in_school: dict[str, list[tuple[ClassDay, Slot]]] = defaultdict(list)
    calls: dict[str, list[tuple[ClassDay, Slot, Item]]] = defaultdict(list)
    for cd, slot, item, teacher in _teaching(days):
        if slot is None:
            continue
        if slot.live and cd.policy is not None:
            calls[teacher].append((cd, slot, item))
        elif not slot.live:
            in_school[teacher].append((cd, slot))
    out = []
    for teacher, held in calls.items():
        for cd, call, item in held:
            buffer = cd.online_policy.transition_buffer
            for other_cd, lesson in in_school.get(teacher, []):
                gap = call.start - lesson.end if call.start >= lesson.end else lesson.start - call.end
                if 0 <= gap < buffer.value:
                    out.append(scenario_finding(
                        cd, "transition_buffer", "запас учителя между уроком в школе и онлайн-уроком", buffer,
                        f"{buffer.value} мин",
                        f"между уроком в школе ({other_cd.klass.id}, {hhmm(lesson.start)}–{hhmm(lesson.end)}) и "
                        f"онлайн-уроком {_call(call)} {gap} мин, меньше {buffer.value} мин",
                        f"{gap} min between the in-school lesson ({other_cd.klass.id}, {hhmm(lesson.start)}–"
                        f"{hhmm(lesson.end)}) and the live part {_call(call)}, less than {buffer.value} min",
                        **_teacher_where(cd, call, item, teacher)))
    return out


def _what(lesson_id: str, groups: tuple[str, ...]) -> str:
    return f"«{lesson_id}»" + (f" ({', '.join(groups)})" if groups else "")


def check_chat_overlap(days: list[ClassDay]) -> list[Finding]:
    """Plan integrity (a MAX/Sferum chat holds one call at a time): two live calls published with the same chat
    link never overlap in time. The same call seen from several pupil cells is one call."""
    calls = sorted({(i.link, s.start, s.end, i.lesson_id, cd.klass.id, i.groups, cd.weekday, cd.date)
                    for cd in days if cd.scenario is not None for s in cd.slots if s.live for i in s.items
                    if i.link})
    out = []
    for n, (link, s1, e1, l1, _c1, g1, weekday, day) in enumerate(calls):
        for link2, s2, e2, l2, c2, g2, _, _ in calls[n + 1:]:
            if link2 != link or s2 >= e1:
                continue
            if (l1, g1) == (l2, g2):
                continue
            out.append(Finding(
                norm_key="integrity.chat_overlap", severity="violation", act="Целостность плана",
                clause="в одном чате MAX/Сферум одновременно идёт только один звонок", confidence="P",
                message_ru=f"онлайн-уроки {_what(l1, g1)} {hhmm(s1)}–{hhmm(e1)} и {_what(l2, g2)} "
                           f"{hhmm(s2)}–{hhmm(e2)} идут одновременно в одном чате",
                message_en=f"live parts {_what(l1, g1)} {hhmm(s1)}–{hhmm(e1)} and {_what(l2, g2)} "
                           f"{hhmm(s2)}–{hhmm(e2)} run at the same time in one chat",
                class_id=c2, weekday=weekday, lesson_id=l2, groups=tuple(sorted(set(g1) | set(g2))), dates=(day,)))
    return out
