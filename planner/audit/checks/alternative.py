"""The alternative track (regulation on Sferum use, 004, §3.7; phones are no permitted device, §3.3): in a class
with pupils who have only a phone, no device, or a written refusal, every live lesson carries its paired
alternative for them. Checked from the school's (or the scenario's overriding) device counts, not from the
policy the plan records."""

from __future__ import annotations

from planner.audit.findings import Finding
from planner.audit.limits import class_devices
from planner.plan.model import Mode, Plan
from planner.school.model import School

ACT = "Положение об использовании ИКОП «Сферум» (004)"
NORM_KEY = "local.alternative_track"


def check_alternatives(school: School, plan: Plan) -> list[Finding]:
    """004 §3.7: each live lesson of a class with pupils who cannot join has an alternative for them — its
    number of pupils at least the class's count (capped at the lesson's pupils), a teacher who sets it, a
    hand-in deadline not before the lesson and a window that does not end before it starts."""
    need: dict[str, int] = {}
    for k in school.classes:
        d = class_devices(plan.scenario, k)
        need[k.id] = d.phone + d.none + d.refusals
    out = []
    for o in plan.occurrences:
        n = need.get(o.class_id, 0)
        if o.mode != Mode.LIVE or n <= 0:
            continue
        want = min(n, o.pupils) if o.pupils else n
        a = o.alternative
        problem_ru = problem_en = ""
        if a is None:
            problem_ru, problem_en = "нет альтернативы", "has no alternative"
        elif a.pupils < want:
            problem_ru, problem_en = (f"альтернатива только для {a.pupils} из {want} обучающихся",
                                      f"the alternative covers {a.pupils} of {want} pupils")
        elif not a.set_by:
            problem_ru, problem_en = "у альтернативы нет учителя", "the alternative names no teacher"
        elif a.deadline < o.date or a.window_end < a.window_start:
            problem_ru, problem_en = "срок или окно альтернативы раньше урока", "its deadline or window is wrong"
        if not problem_ru:
            continue
        out.append(Finding(norm_key=NORM_KEY, severity="violation", act=ACT, clause="п. 3.7 (и п. 3.3)",
                           confidence="P",
                           message_ru=f"онлайн-урок {o.lesson_id} {o.date:%d.%m.%Y}: {problem_ru} для обучающихся "
                                      f"без допустимого устройства или с письменным отказом",
                           message_en=f"live lesson {o.lesson_id} on {o.date}: {problem_en} for the pupils "
                                      f"without a permitted device or with a written refusal",
                           class_id=o.class_id, lesson_id=o.lesson_id, dates=(o.date,), groups=tuple(o.groups)))
    return out
