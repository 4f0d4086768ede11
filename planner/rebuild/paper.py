"""No silent all-paper plan: the classes whose every online part went asynchronous because of missing data.

A class with no device survey, no pupil count or readiness not confirmed cannot have a live lesson, so the rebuild
plans only asynchronous work for it; that is lawful but must never pass unnoticed. `mark_all_paper` reads the
assembled plan and the school and records each such class with what is missing (the CLI prints it first, the page
shows it in an amber banner)."""

from __future__ import annotations

from planner.plan.model import AllPaperClass, Mode, PartialTimetable, Plan
from planner.school.model import School

_MISSING = {
    "devices": ("no device survey", "нет опроса об устройствах"),
    "pupils": ("no pupil count", "не указано число учеников"),
    "readiness": ("readiness not confirmed (chats, members, devices, test call)",
                  "не подтверждена готовность (чаты, участники, устройства, пробный звонок)"),
}
_BY_REASON = {"no_device": "devices", "class_not_ready": "readiness"}


def mark_all_paper(school: School, plan: Plan) -> Plan:
    """The plan with `all_paper` (and, for a school whose source timetable is partial, `partial_timetable`)."""
    found: list[AllPaperClass] = []
    for c in plan.summary:
        if not c.parts or c.live_parts:
            continue
        klass = school.class_by_id(c.class_id)
        codes = {r.code for o in plan.occurrences if o.class_id == c.class_id and o.mode == Mode.ASYNC
                 for r in o.reasons}
        missing = sorted({_BY_REASON[x] for x in codes if x in _BY_REASON}
                         | ({"pupils"} if klass.students == 0 else set())
                         | ({"devices"} if klass.devices.total == 0 and not _override_devices(plan, c.class_id)
                            else set()))
        if not missing:
            continue
        found.append(AllPaperClass(
            class_id=c.class_id, class_name=klass.name, missing=missing,
            text_en=f"{klass.name}: every online lesson is asynchronous (paper) — {'; '.join(_MISSING[m][0] for m in missing)}",
            text_ru=f"{klass.name}: все онлайн-уроки асинхронные (на бумаге) — {'; '.join(_MISSING[m][1] for m in missing)}"))
    partial = None
    if school.incomplete is not None:
        partial = PartialTimetable(placed=school.incomplete.placed, total=school.incomplete.total)
    if not found and partial is None:
        return plan
    return plan.model_copy(update={"all_paper": found, "partial_timetable": partial})


def _override_devices(plan: Plan, class_id: str) -> bool:
    o = plan.scenario.override_for(class_id)
    return o is not None and o.devices is not None


def all_paper_lines(plan: Plan, lang: str = "en") -> list[str]:
    """The summary's first lines: the partial timetable accepted, then the all-paper classes."""
    lines = []
    if plan.partial_timetable is not None:
        p = plan.partial_timetable
        lines.append(f"ВНИМАНИЕ: расписание составлено частично (принято): размещено {p.placed} из {p.total} уроков"
                     if lang == "ru" else f"WARNING: partial timetable accepted: {p.placed} of {p.total} lessons placed")
    if plan.all_paper:
        n = len(plan.all_paper)
        lines.append(f"ВНИМАНИЕ: классов полностью на бумаге из-за недостающих данных: {n}" if lang == "ru" else
                     f"WARNING: {n} classes are all paper (every online lesson asynchronous) because data is missing:")
        lines.extend(f"  - {c.text_ru if lang == 'ru' else c.text_en}" for c in plan.all_paper)
        lines.append("  заполните опрос об устройствах, число учеников и готовность класса (страница «Школа»)"
                     if lang == "ru" else "  fill in the device survey, pupil counts and readiness (page «Школа», "
                     "or the school file) and rebuild")
    return lines
