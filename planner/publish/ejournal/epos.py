"""The e-journal hand-off: ЭПОС has no public API, so the plan becomes a workbook a person pastes from.

Sheet «Уроки»: one row per plan occurrence, sorted by date, class (school order), lesson number.
Sheet «Журнал замен»: one row per occurrence of an absent teacher — the colleague who gives the live call, the
present teacher of a co-taught lesson, the substitute in the building, the adult who supervises self-study, the
teacher who sets and checks the task, or «не назначен» (the plan's notices say so in amber).
Nothing here talks to ЭПОС; the file is written atomically (temporary file, then rename).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.cells import text_cells
from planner.fileio import atomic_file
from planner.plan.model import Mode, Occurrence, Plan
from planner.scenario.model import ASYNC_KIND_RU
from planner.school.model import School
from planner.text import hand_in_ru

from planner.publish.alternative import KIND_RU, pupils_gen

MODE_RU = {Mode.LIVE: "онлайн-урок", Mode.ASYNC: "самостоятельная работа (асинхронно)", Mode.IN_SCHOOL: "очно",
           Mode.REPLACED: "замена", Mode.CANCELLED: "отменён"}
# the absence only, never its cause: the workbook leaves the school's hands (no one's health in what we publish)
STATE_RU = {"sick": "учитель отсутствует", "remote_only": "учитель работает только дистанционно"}
SELF_STUDY = "самостоятельная работа под присмотром"

LESSON_COLUMNS = ("Дата", "Класс", "№ урока", "Время", "Предмет", "Учитель", "Форма", "Ссылка", "Задание",
                  "Срок сдачи")
REPLACEMENT_COLUMNS = ("Дата", "Класс", "№ урока", "Предмет", "Отсутствующий учитель", "Замена", "Причина",
                       "Вид замены")
COVER_RU = {"online": "онлайн-урок ведёт", "co_teacher": "урок ведёт второй учитель",
            "substitute": "урок в школе ведёт", "supervisor": "присмотр за самостоятельной работой",
            "task_setter": "задание выдаёт и проверяет", "none": "не назначен — назначьте учителя"}
NOBODY = "не назначен"


class LessonRow(NamedTuple):
    """One row of «Уроки», in LESSON_COLUMNS' order."""
    day: date
    class_name: str
    number: int | None
    time: str
    subject: str
    teacher: str
    form: str
    link: str
    task: str
    due: date | None


class ReplacementRow(NamedTuple):
    """One row of «Журнал замен», in REPLACEMENT_COLUMNS' order."""
    day: date
    class_name: str
    number: int | None
    subject: str
    absent: str
    replacement: str
    reason: str
    kind: str


@dataclass(frozen=True)
class EposTables:
    lessons: list[LessonRow]
    replacements: list[ReplacementRow]


def epos_tables(school: School, plan: Plan) -> EposTables:
    """The two sheets' rows (pure): every occurrence, and the replaced ones."""
    tz = ZoneInfo(school.timezone)
    subjects = {s.id: s.name for s in school.subjects}
    teachers = {t.id: t.name for t in school.teachers}
    classes = {c.id: (i, c.name) for i, c in enumerate(school.classes)}
    groups = {g.id: g.name for c in school.classes for g in c.groups}
    lessons = {x.id: x for x in school.lessons}

    def number(o: Occurrence) -> int | None:  # the regular period; a double lesson's part 2 is the next one
        lesson = lessons.get(o.lesson_id)
        return None if lesson is None else lesson.period + (o.part - 1 if o.parts == lesson.duration else 0)

    def hm(start: datetime | None, end: datetime | None) -> str:
        return f"{start.astimezone(tz):%H:%M}–{end.astimezone(tz):%H:%M}" if start and end else ""

    def who(ids: list[str]) -> str:
        return ", ".join(teachers.get(t, t) for t in ids)

    def cls(o: Occurrence) -> str:
        name = classes.get(o.class_id, (0, o.class_id))[1]
        return name + (" (" + ", ".join(groups.get(g, g) for g in o.groups) + ")" if o.groups else "")

    def subject(o: Occurrence) -> str:
        return subjects.get(o.subject_id, o.subject_id) + (f", часть {o.part} из {o.parts}" if o.parts > 1 else "")

    ordered = sorted(plan.occurrences, key=lambda o: (o.date, classes.get(o.class_id, (999, ""))[0], o.class_id,
                                                      number(o) or 99, o.part, ",".join(o.groups)))
    lesson_rows: list[LessonRow] = []
    replacement_rows: list[ReplacementRow] = []
    for o in ordered:
        work = o.async_work
        if o.mode == Mode.ASYNC and work is not None:
            time_text = hm(work.window_start, work.window_end)
            task = f"{ASYNC_KIND_RU.get(work.kind, work.kind)}, {work.work_minutes} мин" + \
                ("" if work.deadline is not None else f", {hand_in_ru(None)}")
            due: date | None = work.deadline
        elif o.mode == Mode.LIVE and o.alternative is not None:  # 004 §3.7: the paired alternative
            a = o.alternative
            time_text = hm(o.start, o.end)
            task = f"для {pupils_gen(a.pupils)} без устройства или с отказом: {KIND_RU.get(a.kind, a.kind)}"
            due = a.deadline
        else:
            time_text, task, due = hm(o.start, o.end), "", None
        teacher = who(o.teachers) if o.teachers else (SELF_STUDY if o.mode == Mode.REPLACED else "")
        link = o.link if o.mode in (Mode.LIVE, Mode.ASYNC) and o.link else ""
        lesson_rows.append(LessonRow(o.date, cls(o), number(o), time_text, subject(o), teacher,
                                     MODE_RU.get(o.mode, o.mode), link, task, due))
        if o.cover is not None:  # issue 14: online cover, named supervisors and task setters too
            c = o.cover
            states = [STATE_RU.get(plan.scenario.teacher_state(t, o.date), "") for t in c.absent]
            reason = "; ".join(dict.fromkeys([s for s in states if s] + [c.text_ru]))
            replacement_rows.append(ReplacementRow(o.date, cls(o), number(o), subject(o), who(c.absent),
                                                   who([c.teacher]) if c.teacher else NOBODY, reason,
                                                   COVER_RU.get(c.role, c.role)))
        elif o.mode == Mode.REPLACED:  # a plan made before the cover field
            states = [STATE_RU.get(plan.scenario.teacher_state(t, o.date), "") for t in o.regular_teachers]
            reason = "; ".join(dict.fromkeys([s for s in states if s] + [r.text_ru for r in o.reasons]))
            replacement_rows.append(ReplacementRow(o.date, cls(o), number(o), subject(o), who(o.regular_teachers),
                                                   who(o.teachers) if o.teachers else SELF_STUDY, reason,
                                                   COVER_RU["substitute"] if o.teachers else COVER_RU["supervisor"]))
    return EposTables(lesson_rows, replacement_rows)


def write_epos_workbook(school: School, plan: Plan, out: str | Path) -> EposTables:
    """Write the workbook (sheets «Уроки» and «Журнал замен») atomically; return the rows written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    tables = epos_tables(school, plan)
    wb = Workbook()
    sheets: tuple[tuple[str, tuple[str, ...], Sequence[tuple[object, ...]]], ...] = (
        ("Уроки", LESSON_COLUMNS, tables.lessons), ("Журнал замен", REPLACEMENT_COLUMNS, tables.replacements))
    for index, (title, columns, rows) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = title
        ws.append(columns)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(list(row))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "DD.MM.YYYY"
        text_cells([ws])  # names and links from imported files stay text, shown as they are (planner.cells)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for i, name in enumerate(columns, 1):
            width = max([len(name)] + [len(str(r[i - 1])) for r in rows[:500] if r[i - 1] is not None])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(width + 2, 8), 60)
    with atomic_file(out, mode=0o644) as tmp:
        wb.save(tmp)
    return tables

