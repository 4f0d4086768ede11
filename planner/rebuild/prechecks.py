"""Pre-checks of a rebuild: a scenario can only fail on bad input or a broken school, never on the norms
(asynchronous work always exists). Each failure is a precise message, English and Russian."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from planner.errors import InputError, PlannerError
from planner.norms import NormLibrary, NormsInForce, NormsLapsedError
from planner.scenario.model import Scenario, check_scenario_references
from planner.school.calendar import dates_between, lessons_on
from planner.school.model import School


class PrecheckError(PlannerError):
    """The school or the scenario cannot be planned; the messages say why (exit code 3)."""

    exit_code = 3

    def __init__(self, problems_en: list[str], problems_ru: list[str]):
        self.problems_en, self.problems_ru = problems_en, problems_ru
        super().__init__("pre-checks failed: " + "; ".join(problems_en),
                         "предварительные проверки не пройдены: " + "; ".join(problems_ru))

    def details(self, lang: str = "en") -> list[str]:
        return list(self.problems_ru if lang == "ru" else self.problems_en)

    def title(self, lang: str = "en") -> str:
        return "предварительные проверки не пройдены" if lang == "ru" else "pre-checks failed"


def run_prechecks(school: School, scenario: Scenario, library: NormLibrary, online_ids: list[str],
                  scenario_source: str = "", norms_by_day: Mapping[date, NormsInForce] | None = None,
                  accept_partial: bool = False) -> None:
    """Raise PrecheckError listing what stops the scenario from being planned. norms_by_day: the norms in force
    per date when the caller has them (the rebuild looks them up once per date)."""
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
        try:
            norms = norms_by_day[day] if norms_by_day is not None else library.in_force(day)
        except NormsLapsedError as err:  # strict mode: a lapsed act without a successor
            en.append(err.message_en)
            ru.append(err.message_ru)
            break
        if norms.missing_families:
            acts = {"sanpin": "СанПиН 1.2.3685-21", "sp": "СП 2.4.3648-20"}
            missing = ", ".join(acts.get(f, f) for f in norms.missing_families)
            en.append(f"{day}: no norm data for {missing} (neither in force nor carried over)")
            ru.append(f"{day:%d.%m.%Y}: нет данных норм {missing} (не действует и не продлено как норматив школы)")
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
            norms = norms_by_day[day] if norms_by_day is not None else library.in_force(day)
            cds = [cd for c in school.classes if (cd := regular_class_day(school, c, day, norms)) is not None]
            for f in check_teacher_overlap(cds):
                en.append(f"{day}: teacher {f.teacher_id}: {f.message_en} in the regular timetable")
                ru.append(f"{day:%d.%m.%Y}: учитель {f.teacher_id}: {f.message_ru} в основном расписании")
            if len(en) > 5:
                break
    if en:
        raise PrecheckError(en, ru)
