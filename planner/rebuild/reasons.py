"""Reasons for asynchronous parts: cite a norm only when the auditor reports it failing if that part were made
live at its slot; otherwise the reason is «по приоритету» (priority).

For each asynchronous part without a reason yet, the part is made a live call at its regular start time (the
class's call length, its eye gymnastics), and the auditor checks that class's day and the days of the teachers
involved, before and after. A finding that appears only after names the norm; none means the calls went to
lessons of higher priority.
"""

from __future__ import annotations

from collections import defaultdict

from planner.audit import audit_class_days
from planner.audit.plan_views import plan_class_days
from planner.norms import NormLibrary
from planner.plan.model import Mode, Occurrence, Plan, ReasonText
from planner.rebuild.assemble import gymnastics_offsets
from planner.school.model import School

DEVICE_RU = {"pc": "ПК", "laptop": "ноутбук", "tablet": "планшет"}


def _finding_key(f) -> tuple:
    return (f.norm_key, f.class_id, f.teacher_id, f.groups if hasattr(f, "groups") else (), f.message_en)


def explain_async(school: School, plan: Plan, library: NormLibrary) -> Plan:
    by_date: dict = defaultdict(list)
    for i, o in enumerate(plan.occurrences):
        by_date[o.date].append(i)
    occurrences = list(plan.occurrences)
    for day, idxs in by_date.items():
        todo = [i for i in idxs if occurrences[i].mode == Mode.ASYNC and not occurrences[i].reasons]
        if not todo:
            continue
        baseline_cache: dict[tuple, set] = {}
        for i in todo:
            o = occurrences[i]
            pol = plan.policies.get(day.isoformat(), {}).get(o.class_id)
            if pol is None or o.regular_start is None:
                continue
            length = pol.call_minutes.value
            trial = o.model_copy(update={
                "mode": Mode.LIVE, "start": o.regular_start,
                "end": o.regular_start + _minutes(length), "teachers": list(o.regular_teachers),
                "gymnastics": gymnastics_offsets(length, pol.gymnastics_interval.value, pol.gymnastics_minutes.value),
                "screen_minutes": length, "async_work": None})
            teachers = set(o.regular_teachers)
            related = [j for j in idxs if occurrences[j].class_id == o.class_id
                       or teachers & set(occurrences[j].teachers)]
            key = (o.class_id, tuple(sorted(teachers)))
            if key not in baseline_cache:
                baseline_cache[key] = _findings(school, plan, library, [occurrences[j] for j in related])
            after = _findings(school, plan, library, [trial if j == i else occurrences[j] for j in related])
            new = [f for k, f in after.items() if k not in baseline_cache[key]]
            occurrences[i] = o.model_copy(update={"reasons": [_reason(school, pol, o, new)]})
    return plan.model_copy(update={"occurrences": occurrences})


def _minutes(n: int):
    from datetime import timedelta

    return timedelta(minutes=n)


def _findings(school: School, plan: Plan, library: NormLibrary, occs: list[Occurrence]) -> dict:
    mini = plan.model_copy(update={"occurrences": occs})
    found = audit_class_days(plan_class_days(school, mini, library))
    return {_finding_key(f): f for f in found if f.severity == "violation"}


def _reason(school: School, pol, o: Occurrence, new: list) -> ReasonText:
    klass = school.class_by_id(o.class_id)
    device = DEVICE_RU.get(pol.binding_device or "", pol.binding_device or "")
    if new:
        f = sorted(new, key=lambda f: (f.norm_key.startswith("integrity"), f.norm_key))[0]
        return ReasonText(
            code="norm", norm_key=f.norm_key,
            params={"class": klass.name, "device": pol.binding_device or "", "call_minutes": pol.call_minutes.value,
                    "budget": pol.daily_budget.value, "reserve": pol.reserve.value},
            text_ru=f"{klass.name} ({device}): {f.message_ru} — {f.act}, {f.clause}",
            text_en=f"{klass.name} ({pol.binding_device}): {f.message_en} — {f.act}, {f.clause}")
    return ReasonText(code="priority",
                      text_ru="по приоритету: звонок этого дня отдан урокам с большим приоритетом или трудностью",
                      text_en="by priority: the day's calls went to lessons of higher priority or difficulty")
