"""Pre-checks of a rebuild: a scenario can only fail on bad input or a broken school, never on the norms
(asynchronous work always exists). Each failure is a precise message, English and Russian."""

from __future__ import annotations

from planner.errors import InputError, PlannerError
from planner.norms import NormLibrary
from planner.scenario.model import Scenario, check_scenario_references
from planner.school.calendar import dates_between, lessons_on
from planner.school.model import School


class PrecheckError(PlannerError):
    """The school or the scenario cannot be planned; the messages say why (exit code 3)."""

    def __init__(self, problems_en: list[str], problems_ru: list[str]):
        self.problems_en, self.problems_ru = problems_en, problems_ru
        super().__init__("pre-checks failed: " + "; ".join(problems_en))


def run_prechecks(school: School, scenario: Scenario, library: NormLibrary, online_ids: list[str],
                  scenario_source: str = "", accept_partial: bool = False) -> None:
    if school.incomplete is not None and not accept_partial:
        raise PrecheckError([f"{school.incomplete.text('en')}; solve it first, or accept a partial timetable "
                             "explicitly (--accept-partial)"],
                            [f"{school.incomplete.text('ru')}; сначала составьте его или явно примите частичное "
                             "расписание (--accept-partial)"])
    cal = school.calendar
    if scenario.end < cal.year_start or scenario.start > cal.year_end:
        raise PrecheckError([f"the scenario ({scenario.start} … {scenario.end}) lies outside the school year "
                             f"({cal.year_start} … {cal.year_end}): there are no lessons to plan"],
                            [f"сценарий ({scenario.start:%d.%m.%Y} … {scenario.end:%d.%m.%Y}) вне учебного года "
                             f"({cal.year_start:%d.%m.%Y} … {cal.year_end:%d.%m.%Y}): планировать нечего"])
    check_scenario_references(scenario, school, scenario_source)
    en: list[str] = []
    ru: list[str] = []
    days = dates_between(scenario.start, scenario.end)
    for day in days:
        norms = library.in_force(day)
        if norms.missing_families:
            missing = ", ".join(norms.missing_families)
            en.append(f"{day}: no norm set of {missing} is in force")
            ru.append(f"{day:%d.%m.%Y}: не действует набор норм {missing}")
            break
    for klass in school.classes:
        for day in days:
            try:
                lessons_on(school, klass, day)
            except InputError as err:
                en.append(err.message_en)
                ru.append(err.message_ru)
                break
    if online_ids:
        from planner.audit.checks.teachers import check_teacher_overlap
        from planner.audit.views import regular_class_day

        for day in days:
            if en:
                break
            norms = library.in_force(day)
            cds = [cd for c in school.classes if (cd := regular_class_day(school, c, day, norms)) is not None]
            for f in check_teacher_overlap(cds):
                en.append(f"{day}: teacher {f.teacher_id}: {f.message_en} in the regular timetable")
                ru.append(f"{day:%d.%m.%Y}: учитель {f.teacher_id}: {f.message_ru} в основном расписании")
            if len(en) > 5:
                break
    if en:
        raise PrecheckError(en, ru)
