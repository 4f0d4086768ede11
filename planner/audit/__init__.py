"""The independent auditor: checks a timetable against the norm sets in force on the dates in question.

It shares no logic with the rebuild solver (an import contract in pyproject.toml, checked in CI); only the
school model, the norm data and the plan and scenario schemas are shared. `audit_school` checks the regular
timetable, `audit_plan` a plan made by the rebuild.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from planner.audit.checks import DAILY_CHECKS, DATE_CHECKS, WEEKLY_CHECKS
from planner.audit.checks.alternative import check_alternatives
from planner.audit.findings import AuditReport, Finding, NormRange, merge
from planner.text import plural_form as ru_plural
from planner.audit.plan_views import plan_class_days
from planner.audit.views import ClassDay, audited_norms, regular_class_day
from planner.errors import InputError, NormSetError
from planner.norms import NormLibrary, NormsInForce
from planner.norms.status import budget_column_text
from planner.plan.model import Plan
from planner.plan.ownership import require_plan_for_school
from planner.school.calendar import dates_between
from planner.school.model import School

FAMILY_NAMES = {"sanpin": ("СанПиН 1.2.3685-21", "СанПиН 1.2.3685-21"), "sp": ("СП 2.4.3648-20", "СП 2.4.3648-20")}


def run_checks(days: list[ClassDay]) -> list[Finding]:
    """Every check over already-built class days (the regular timetable or a plan), findings not yet merged:
    the per-class checks (`class_checks`) and the cross-class ones per date (`date_checks`)."""
    return [*class_checks(days), *date_checks(days)]


def class_checks(days: list[ClassDay]) -> list[Finding]:
    """The daily and weekly checks, which see one class at a time.

    Weekly checks see one class's days of one ISO week; on a plan, each pupil cell's online days form their own
    week, together with the class's in-school days of that week (which belong to every cell)."""
    findings: list[Finding] = []
    weeks: dict[tuple[str, int, int], list[ClassDay]] = defaultdict(list)
    for cd in days:
        for check in DAILY_CHECKS:
            findings.extend(check(cd))
        iso = cd.date.isocalendar()
        weeks[(cd.klass.id, iso.year, iso.week)].append(cd)
    for week in weeks.values():
        week.sort(key=lambda cd: cd.date)
        cells = sorted({cd.cell for cd in week if cd.cell}) or [()]
        for cell in cells:
            cell_week = [cd for cd in week if cd.cell in (cell, ())]
            for weekly in WEEKLY_CHECKS:
                findings.extend(replace(f, groups=f.groups or cell) for f in weekly(cell_week))
    return findings


def date_checks(days: list[ClassDay]) -> list[Finding]:
    """The cross-class checks (teachers, chats), over all class days of each date."""
    findings: list[Finding] = []
    by_date: dict[date, list[ClassDay]] = defaultdict(list)
    for cd in days:
        by_date[cd.date].append(cd)
    for day_list in by_date.values():
        for per_date in DATE_CHECKS:
            findings.extend(per_date(day_list))
    return findings


def audit_class_days(days: list[ClassDay]) -> list[Finding]:
    """Run every check over already-built class days and merge findings that differ only by date."""
    return merge(run_checks(days))


def _regular_days(school: School, library: NormLibrary, start: date,
                  end: date) -> tuple[list[ClassDay], dict[str, list[date]], set[str], list[NormRange]]:
    """The regular timetable's class days from start to end, the dates each federal act misses, the sets used."""
    if end < start:
        raise NormSetError(f"the period ends ({end}) before it starts ({start})",
                           f"период заканчивается ({end:%d.%m.%Y}) раньше, чем начинается ({start:%d.%m.%Y})")
    days: list[ClassDay] = []
    uncovered: dict[str, list[date]] = defaultdict(list)
    covered_any = False
    used_sets: set[str] = set()
    per_day: list[NormsInForce] = []
    for day in dates_between(start, end):
        norms = library.in_force(day)
        per_day.append(norms)
        for fam in norms.missing_families:
            uncovered[fam].append(day)
        if audited_norms(library, day) is None:
            continue  # no federal act in force: nothing to check this date against
        covered_any = True
        used_sets.update(norms.set_ids)
        for klass in school.classes:
            cd = regular_class_day(school, klass, day, norms)
            if cd is not None:
                days.append(cd)
    if not covered_any:
        raise NormSetError(
            f"no norm set (СанПиН 1.2.3685-21 or СП 2.4.3648-20) is in force from {start} to {end}",
            f"с {start:%d.%m.%Y} по {end:%d.%m.%Y} не действует ни один набор норм (СанПиН 1.2.3685-21, "
            f"СП 2.4.3648-20)")
    return days, uncovered, used_sets, norm_ranges(per_day, library)


def norm_ranges(per_day: list[NormsInForce], library: NormLibrary) -> list[NormRange]:
    """Consecutive dates with the same acts in force and carried over, one range each."""
    ranges: list[NormRange] = []
    binding = bool(library.policy and library.policy.carried_over_binding)
    prev_key = None
    for n in per_day:
        key = (n.set_ids, tuple(s.id for s in n.carried_over))
        if key == prev_key:
            ranges[-1] = replace(ranges[-1], end=n.day)
            continue
        prev_key = key
        ranges.append(NormRange(
            start=n.day, end=n.day, in_force=n.acts_in_force(),
            carried_over=tuple((s.act, s.lapse_day) for s in n.carried_over),
            carried_by_other=tuple((f"{x.title_ru} — {x.act}, {x.clause}", f"{x.title_en} — {x.act}, {x.clause}")
                                   for x in sorted(n.carried_by_other(), key=lambda x: x.key)),
            carried_values=tuple((f"{x.title_ru} ({x.act}, {x.clause})", f"{x.title_en} ({x.act}, {x.clause})")
                                 for x in sorted(n.carried_norms(), key=lambda x: x.key)),
            unverified=tuple((f"{x.title_ru} ({x.act})", f"{x.title_en} ({x.act})")
                             for x in sorted(n.unverified(), key=lambda x: x.key)),
            carried_binding=binding))
    return ranges


def _add_notices(report: AuditReport, school: School, days: list[ClassDay],
                 uncovered: dict[str, list[date]]) -> None:
    if any(c.is_college for c in school.classes):
        report.notices_en.append("colleges: no verified federal cap on pairs per day or week exists; the planner's "
                                 "defaults (college.* norms, unverified, confidence M) were applied unless the "
                                 "school's policy sets them")
        report.notices_ru.append("колледж: проверенного федерального предела пар в день и в неделю нет; применены "
                                 "значения планировщика по умолчанию (нормы college.*, не подтверждены), если "
                                 "политика школы их не задаёт")
    for fam, missing in uncovered.items():
        name_en, name_ru = FAMILY_NAMES.get(fam, (fam, fam))
        report.notices_en.append(f"{name_en} is not in force on {len(missing)} of the dates ({missing[0]} … "
                                 f"{missing[-1]}): its rules were not checked there")
        report.notices_ru.append(f"{name_ru} не действует в {len(missing)} "
                                 f"{ru_plural(len(missing), 'день', 'дня', 'дней')} ({missing[0]:%d.%m.%Y} … "
                                 f"{missing[-1]:%d.%m.%Y}): его требования там не проверялись")
    loosened = sorted({(n.key, r.policy_note) for d in {id(cd.norms.norms): cd.norms.norms for cd in days}.values()
                       for n in d.values()
                       for r in n.rows if r.loosened})
    for key, note in loosened:
        report.notices_en.append(f"binding norm '{key}' LOOSENED by the school policy: {note}")
        report.notices_ru.append(f"обязательная норма «{key}» ОСЛАБЛЕНА политикой школы: {note}")


def _require_complete(school: School, accept_partial: bool) -> None:
    """An unfinished source timetable is never audited as if it were whole («0 нарушений» on 1 of 562 lessons)."""
    if school.incomplete is not None and not accept_partial:
        raise InputError(f"{school.incomplete.text('en')}; solve it first, or accept a partial timetable explicitly "
                         "(--accept-partial)", f"{school.incomplete.text('ru')}; сначала составьте его или явно "
                         "примите частичное расписание (--accept-partial)")


def _partial_notice(report: AuditReport, school: School) -> None:
    if school.incomplete is not None:
        inc = school.incomplete
        report.notices_en.insert(0, f"PARTIAL TIMETABLE (accepted): only {inc.placed} of {inc.total} lessons are "
                                    "placed; the findings cover only those")
        report.notices_ru.insert(0, f"ЧАСТИЧНОЕ РАСПИСАНИЕ (принято): размещено только {inc.placed} из {inc.total} "
                                    "уроков; проверены только они")


def audit_school(school: School, library: NormLibrary, start: date, end: date, *,
                 accept_partial: bool = False) -> AuditReport:
    """Audit the regular timetable of the school from start to end, widened to whole calendar weeks (Monday to
    Sunday) so that weekly limits and the once-a-week allowances are never judged on part of a week. A school whose
    source timetable left lessons without a place is refused unless accept_partial."""
    _require_complete(school, accept_partial)
    week_start = start - timedelta(days=start.isoweekday() - 1)
    week_end = end + timedelta(days=7 - end.isoweekday())
    days, uncovered, used_sets, ranges = _regular_days(school, library, week_start, week_end)
    report = AuditReport(findings=audit_class_days(days), start=week_start, end=week_end,
                         norm_sets=sorted(used_sets), policy=library.policy.name if library.policy else "",
                         norm_ranges=ranges)
    if (week_start, week_end) != (start, end):
        report.notices_en.append(f"audited whole weeks: {week_start} … {week_end} (asked for {start} … {end})")
        report.notices_ru.append(f"проверены целые недели: {week_start:%d.%m.%Y} … {week_end:%d.%m.%Y} "
                                 f"(запрошено {start:%d.%m.%Y} … {end:%d.%m.%Y})")
    _add_notices(report, school, days, uncovered)
    _partial_notice(report, school)
    return report


def audit_plan(school: School, plan: Plan, library: NormLibrary, *, accept_partial: bool = False) -> AuditReport:
    """Audit a plan on its scenario's dates, separating new breaches from those of the regular timetable.

    The regular timetable is audited over the same dates; a plan finding is pre-existing when a regular finding
    has the same norm key, class, teacher, timetable weekday, lesson and bell period on one of its dates
    (Finding.match_keys: groups and the measured numbers are left out). The report's exit code counts only new
    violations."""
    require_plan_for_school(plan, school)
    _require_complete(school, accept_partial or plan.partial_timetable is not None)
    start, end = plan.scenario.start, plan.scenario.end
    regular_days, uncovered, used_sets, ranges = _regular_days(school, library, start, end)
    before = {k for f in run_checks(regular_days) for k in f.match_keys()}
    findings = [replace(f, preexisting=bool(f.match_keys() & before))
                for f in run_checks(plan_class_days(school, plan, library))]
    findings.extend(check_alternatives(school, plan))  # 004 §3.7, over the plan's occurrences
    report = AuditReport(findings=merge(findings), start=start, end=end, norm_sets=sorted(used_sets),
                         policy=library.policy.name if library.policy else "", plan=True, norm_ranges=ranges)
    ru, en = budget_column_text(plan.scenario.policy.budget_column)
    report.interpretations_ru.append(ru)
    report.interpretations_en.append(en)
    report.notices_en.append(f"plan for scenario '{plan.scenario.name}': findings marked pre-existing were already "
                             f"in the regular timetable on the same dates; only new violations fail the audit")
    report.notices_ru.append(f"план сценария «{plan.scenario.name}»: отмеченные как прежние нарушения были и в "
                             f"обычном расписании в те же даты; проверку проваливают только новые нарушения")
    _add_notices(report, school, regular_days, uncovered)
    _partial_notice(report, school)
    for c in plan.all_paper:
        report.notices_en.append(f"all paper: {c.text_en}")
        report.notices_ru.append(f"всё на бумаге: {c.text_ru}")
    for n in plan.notices:  # issue 14: what the plan could not arrange for an absent teacher
        report.notices_en.append(f"not arranged: {n.text_en}")
        report.notices_ru.append(f"не назначено: {n.text_ru}")
    return report


__all__ = ["AuditReport", "Finding", "audit_class_days", "audit_plan", "audit_school", "plan_class_days",
           "run_checks", "class_checks", "date_checks"]
