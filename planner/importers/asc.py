"""Import an aSc Timetables `<timetable>` XML export into the school model.

`load_asc(path)` reads the export safely (planner.importers.xmlsafe), maps its tables to the school model and
returns the school, the import warnings and the source counts. Every problem with the file is one `InputError`
naming the file, the element (`card[17]`, `lesson[3] id=*3`) and the attribute; nothing else escapes.
The mapping rules are documented in docs/import-asc.md.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, Callable, TypeVar
from xml.etree.ElementTree import Element

from pydantic import ValidationError

from planner.errors import InputError, Location
from planner.importers.context import ImportContext, raise_first_problem
from planner.importers.xmlsafe import DEFAULT_MAX_BYTES, load_xml
from planner.school.calendar import default_school_year, first_school_monday
from planner.school.integrity import ImportWarning, Problem, find_warnings
from planner.school.model import (
    BellSchedule, BellVariant, Lesson, Period, Room, School, SchoolCalendar, StudentClass, SubGroup, Subject, Teacher,
    TimetableVersion, WeekMask,
)
from planner.importers.hints import Level, age_band, grades_warning, guess_level, level_from_name, one_subject_warning
from planner.school.subject_keys import guess_norm_key
from planner.text import plural

BELLS_ID = "asc"
VERSION_ID = "asc"
DEFAULT_STUDENTS = 25
_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})(?::\d{2})?\s*$")
_ASC_FIELD = {"classes": "period", "teachers": "teacherids", "groups": "groupids", "rooms": "classroomids",
              "subject": "subjectid"}  # a lesson problem's model field -> the card/lesson attribute to fix
_USED_TABLES = {"periods", "days", "daysdefs", "weeksdefs", "termsdefs", "teachers", "classes", "subjects",
                "classrooms", "students", "groups", "lessons", "cards"}


@dataclass
class AscImport:
    school: School
    warnings: list[ImportWarning] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


def load_asc(path: Path | str, *, timezone: str = "Europe/Moscow", year_start: date | None = None,
             year_end: date | None = None, a_week_monday: date | None = None,
             max_bytes: int = DEFAULT_MAX_BYTES, grades: dict[str, Level] | None = None,
             pupils: dict[str, int] | None = None, subject_keys: dict[str, str] | None = None) -> AscImport:
    """Import an aSc Timetables XML export; raises InputError (file, element, field) for any bad input.
    grades and pupils are per class name (pupils '*' = every class without a count); subject_keys is the school's
    subject name → norm key map."""
    p = Path(path)
    file = str(p)
    try:
        root = load_xml(p, max_bytes, forbid_dtd=True)
        importer = _Importer(root, file)
        importer.grades, importer.pupils, importer.subject_keys = grades or {}, pupils or {}, subject_keys or {}
        return importer.run(timezone, year_start, year_end, a_week_monday)
    except InputError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError) as exc:
        # a safety net: the tests fuzz the importer so that this never fires; if it does, say so plainly
        raise InputError(f"internal error while importing ({type(exc).__name__}: {exc}); please report this file",
                         f"внутренняя ошибка импорта ({type(exc).__name__}: {exc}); сообщите об этом файле",
                         Location(file=file)) from None


# ---------------------------------------------------------------------------------------------- elements


@dataclass
class _Row:
    """One row element of an aSc table, with the label errors and warnings use (`card[17]`, `lesson[3] id=*3`)."""

    elem: Element
    label: str
    index: int  # 0-based position among the table's rows


_T = TypeVar("_T")
# One placed card: (day, period, weeks, rooms, card label)
_Placement = tuple[int, int, frozenset[int], list[str], str]


def _label(tag: str, n: int, elem: Element) -> str:
    ident = elem.get("id")
    return f"{tag}[{n}]" + (f" id={ident}" if ident else "")


def _ids(value: str | None) -> list[str]:
    return list(dict.fromkeys(x.strip() for x in (value or "").split(",") if x.strip()))


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _mask_bits(value: str) -> list[int]:
    return [i for i, ch in enumerate(value) if ch == "1"]


class _Importer(ImportContext):
    def __init__(self, root: Element, file: str):
        super().__init__(file)
        self.root = root
        self.grades: dict[str, Level] = {}
        self.pupils: dict[str, int] = {}
        self.subject_keys: dict[str, str] = {}
        self.guessed: list[tuple[str, Level, str, str]] = []

    # -------------------------------------------------------------- attributes (errors, warnings: ImportContext)

    def attr(self, row: _Row, name: str, required: bool = False) -> str:
        value = row.elem.get(name)
        if required and (value is None or not value.strip()):
            raise self.error(f"required attribute '{name}' is missing or empty",
                             f"обязательный атрибут «{name}» отсутствует или пуст", row.label, name)
        return value or ""

    def integer(self, row: _Row, name: str, default: int | None = None, low: int = 0, high: int = 99) -> int:
        raw = self.attr(row, name, required=default is None).strip()
        if not raw:
            assert default is not None  # with no default the value is required: attr() refused it empty
            return default
        try:
            value = int(raw)
        except ValueError:
            raise self.error(f"'{raw}' is not a whole number", f"«{raw}» — не целое число", row.label, name) from None
        if not low <= value <= high:
            raise self.error(f"{value} is outside {low}..{high}", f"{value} вне диапазона {low}..{high}", row.label, name)
        return value

    def build(self, factory: Callable[..., _T], row_label: str, **kwargs: Any) -> _T:
        try:
            return factory(**kwargs)
        except ValidationError as err:
            errors = err.errors()
            loc = errors[0]["loc"] if errors else ()
            msg = str(errors[0]["msg"] if errors else err).removeprefix("Value error, ")
            raise self.error(msg, f"недопустимое значение: {msg}", row_label,
                             ".".join(str(x) for x in loc)) from None

    def table(self, name: str, row_tag: str, required: bool = False) -> list[_Row]:
        found = [c for c in self.root if c.tag == name]
        if len(found) > 1:
            raise self.error(f"<{name}> appears {len(found)} times", f"<{name}> встречается {plural(len(found), 'раз', 'раза', 'раз')}", name)
        if not found:
            if required:
                raise self.error(f"required element <{name}> is missing", f"нет обязательного элемента <{name}>",
                                 "timetable", name)
            return []
        rows: list[_Row] = []
        other: Counter[str] = Counter()
        for child in found[0]:
            if child.tag == row_tag:
                rows.append(_Row(child, _label(row_tag, len(rows) + 1, child), len(rows)))
            else:
                other[str(child.tag)] += 1
        if other:
            names = ", ".join(f"<{t}> ×{n}" for t, n in sorted(other.items()))
            self.warn(name, None, "", f"<{name}> holds elements other than <{row_tag}>, not imported: {names}",
                      f"в <{name}> есть элементы, кроме <{row_tag}>; не импортированы: {names}")
        return rows

    def unique_ids(self, rows: list[_Row]) -> dict[str, _Row]:
        out: dict[str, _Row] = {}
        for row in rows:
            ident = self.attr(row, "id", required=True).strip()
            if ident in out:
                raise self.error(f"duplicate id '{ident}' (first at {out[ident].label})",
                                 f"повторяющийся идентификатор «{ident}» (впервые в {out[ident].label})",
                                 row.label, "id")
            out[ident] = row
        return out

    def known(self, row: _Row, fld: str, ids: list[str], pool: dict[str, _Row], what_en: str, what_ru: str) -> list[str]:
        for ident in ids:
            if ident not in pool:
                raise self.error(f"unknown {what_en} '{ident}'", f"неизвестный {what_ru} «{ident}»", row.label, fld)
        return ids

    # -------------------------------------------------------------- the run

    def run(self, timezone: str, year_start: date | None, year_end: date | None,
            a_week_monday: date | None) -> AscImport:
        if self.root.tag != "timetable":
            raise self.error(f"the root element is <{self.root.tag}>, expected aSc's <timetable>",
                             f"корневой элемент — <{self.root.tag}>, ожидается <timetable> aSc", str(self.root.tag))
        ignored = sorted({str(c.tag) for c in self.root if c.tag not in _USED_TABLES and len(c)})
        if ignored:
            self.warn("timetable", None, "", f"tables not imported: {', '.join(ignored)}",
                      f"таблицы не импортированы: {', '.join(ignored)}")
        periods = self.periods()
        day_count, day_index = self.days()
        weeksdef_rows = self.unique_ids(self.table("weeksdefs", "weeksdef"))
        weeksdefs = {i: self.weeks_mask(r, "weeks") for i, r in weeksdef_rows.items()}
        subjects_rows = self.table("subjects", "subject", required=True)
        teachers_rows = self.table("teachers", "teacher")
        classes_rows = self.table("classes", "class", required=True)
        rooms_rows = self.table("classrooms", "classroom")
        groups_rows = self.table("groups", "group")
        lessons_rows = self.table("lessons", "lesson", required=True)
        cards_rows = self.table("cards", "card", required=True)
        students = self.unique_ids(self.table("students", "student"))

        subjects = self.unique_ids(subjects_rows)
        teachers = self.unique_ids(teachers_rows)
        classes = self.unique_ids(classes_rows)
        rooms = self.unique_ids(rooms_rows)
        groups = self.unique_ids(groups_rows)
        for row in groups.values():
            self.known(row, "classid", [self.attr(row, "classid", required=True).strip()], classes, "class", "класс")
        lessons = self.unique_ids(lessons_rows)

        week_days = self.week_days(day_count)
        placed = self.place_cards(cards_rows, lessons, classes, subjects, teachers, rooms, groups, students,
                                  weeksdefs, day_index, periods)
        klasses = self.classes(classes, groups, students, lessons, week_days)
        school_lessons = [le for le, _ in placed]
        taught: dict[str, list[str]] = defaultdict(list)
        for le in school_lessons:
            for t in le.teachers:
                if le.subject not in taught[t]:
                    taught[t].append(le.subject)
        calendar = self.calendar(year_start, year_end, a_week_monday,
                                 any(le.weeks != WeekMask.EVERY for le in school_lessons))
        stem = Path(self.file).stem or "asc"
        self.warn("school", None, "name", f"the export has no school name; the file name '{stem}' is used",
                  f"в выгрузке нет названия учреждения; использовано имя файла «{stem}»")
        school = self.build(
            School, "timetable", id=re.sub(r"[^\w-]+", "-", stem).strip("-") or "asc", name=stem, timezone=timezone,
            calendar=calendar,
            bell_schedules=[BellSchedule(id=BELLS_ID, name="aSc", variants=[BellVariant(periods=periods)])],
            classes=klasses,
            teachers=[self.build(Teacher, r.label, id=i, name=self.name_of(r, "teachers"), subjects=taught.get(i, []))
                      for i, r in teachers.items()],
            subjects=[self.subject(i, r) for i, r in subjects.items()],
            rooms=[self.build(Room, r.label, id=i, name=self.name_of(r, "classrooms")) for i, r in rooms.items()],
            versions=[TimetableVersion(id=VERSION_ID, name="aSc", valid_from=calendar.year_start,
                                       valid_to=calendar.year_end)],
            lessons=school_lessons)
        self.check(school, [origin for _, origin in placed])
        school = _readable_ids(school)
        self.warn("classes", None, "devices", "the export has no device survey or readiness: every class starts with "
                  "zero device counts and is not ready; fill them in before a distance rebuild",
                  "в выгрузке нет опроса об устройствах и готовности: у всех классов нули в опросе и «не готов»; "
                  "заполните их перед перестроением на дистант")
        stats = {"teachers": len(teachers), "classes": len(classes), "subjects": len(subjects),
                 "classrooms": len(rooms), "groups": len(groups), "lessons": len(lessons), "cards": len(cards_rows),
                 "days": day_count, "periods": len(periods),
                 "double_cards": sum(1 for le in school_lessons if le.duration > 1)}
        return AscImport(school, one_subject_warning(self.warnings + find_warnings(school)), stats)

    # -------------------------------------------------------------- calendar, bells, days

    def calendar(self, year_start: date | None, year_end: date | None, a_week_monday: date | None,
                 has_ab: bool) -> SchoolCalendar:
        if year_start is None or year_end is None:
            default_start, default_end = default_school_year(date.today())
            if year_start is not None:
                default_start, default_end = year_start, default_school_year(year_start)[1]
            elif year_end is not None:
                default_start, default_end = default_school_year(year_end - timedelta(days=200))[0], year_end
            year_start, year_end = default_start, default_end
            self.warn("calendar", None, "year_start", f"aSc exports have no calendar: the school year is set to "
                      f"{year_start}–{year_end}; set the real dates and holidays",
                      f"в выгрузке aSc нет календаря: учебный год задан как {year_start:%d.%m.%Y}–{year_end:%d.%m.%Y}; "
                      "укажите настоящие даты и каникулы")
        if year_end < year_start:
            raise self.error(f"the school year ends ({year_end}) before it starts ({year_start})",
                             f"учебный год заканчивается ({year_end:%d.%m.%Y}) раньше начала ({year_start:%d.%m.%Y})",
                             "calendar", "year_end")
        if a_week_monday is None and has_ab:
            a_week_monday = first_school_monday(year_start)
            self.warn("calendar", None, "a_week_monday", f"the timetable has A/B weeks; week A is assumed to be the "
                      f"first school week (Monday {a_week_monday}); set the real one",
                      f"в расписании есть недели А/Б; неделей А считается первая учебная неделя (понедельник "
                      f"{a_week_monday:%d.%m.%Y}); укажите настоящую")
        return self.build(SchoolCalendar, "calendar", year_start=year_start, year_end=year_end,
                          a_week_monday=a_week_monday)

    def periods(self) -> list[Period]:
        out: dict[int, Period] = {}
        for row in self.table("periods", "period", required=True):
            number = self.integer(row, "period", low=1, high=16)
            if number in out:
                raise self.error(f"period {number} is defined twice", f"урок {number} задан дважды", row.label, "period")
            start, end = self.clock(row, "starttime"), self.clock(row, "endtime")
            out[number] = self.build(Period, row.label, number=number, start=start, end=end)
        if not out:
            raise self.error("<periods> defines no period", "в <periods> нет ни одного урока", "periods")
        return [out[n] for n in sorted(out)]

    def clock(self, row: _Row, name: str) -> time:
        raw = self.attr(row, name, required=True)
        m = _TIME.match(raw)
        try:
            if m is None:
                raise ValueError
            return time(int(m.group(1)), int(m.group(2)))
        except ValueError:
            raise self.error(f"'{raw}' is not a time (H:MM)", f"«{raw}» — не время (Ч:ММ)", row.label, name) from None

    def days(self) -> tuple[int, dict[str, int]]:
        """The number of days of the week and the card `day` value → weekday (1 = Monday)."""
        days = self.table("days", "day")
        if days:
            index: dict[str, int] = {}
            for row in days:
                value = self.integer(row, "day", low=0, high=6)
                if str(value) in index:
                    raise self.error(f"day {value} is defined twice", f"день {value} задан дважды", row.label, "day")
                index[str(value)] = value + 1
            return len(index), index
        lengths = set()
        for row in self.table("daysdefs", "daysdef"):
            for mask in self.attr(row, "days").split(","):
                if mask.strip():
                    if set(mask.strip()) - {"0", "1"}:
                        raise self.error(f"'{mask}' is not a day mask of 0 and 1", f"«{mask}» — не маска дней из 0 и 1",
                                         row.label, "days")
                    lengths.add(len(mask.strip()))
        if len(lengths) > 1:
            raise self.error("day masks of different lengths", "маски дней разной длины", "daysdefs", "days")
        if not lengths:
            raise self.error("the export defines no days (<days> or <daysdefs>)",
                             "в выгрузке не заданы дни (<days> или <daysdefs>)", "timetable", "days")
        n = lengths.pop()
        return n, {str(i): i + 1 for i in range(n)}

    def week_days(self, day_count: int) -> int:
        if day_count in (5, 6):
            return day_count
        used = 6 if day_count > 6 else 5
        self.warn("days", None, "", f"the export defines {day_count} days; classes get a {used}-day week",
                  f"в выгрузке {day_count} дней; классам задана {used}-дневная неделя")
        return used

    def weeks_mask(self, row: _Row, name: str, value: str | None = None) -> frozenset[int]:
        """A weeks mask as the weeks of an A/B cycle it runs in: {0, 1} every week, {0} A, {1} B."""
        raw = (row.elem.get(name) if value is None else value) or ""
        mask = raw.strip()
        if not mask:
            return frozenset({0, 1})
        if set(mask) - {"0", "1"}:
            raise self.error(f"'{raw}' is not a weeks mask of 0 and 1", f"«{raw}» — не маска недель из 0 и 1",
                             row.label, name)
        if len(mask) == 1 or mask == "1" * len(mask):
            weeks = frozenset({0, 1}) if "1" in mask else frozenset()
        elif len(mask) % 2 == 0 and all(ch == mask[i % 2] for i, ch in enumerate(mask)):
            weeks = frozenset(i for i in (0, 1) if mask[i] == "1")
        else:
            raise self.error(f"weeks mask '{mask}': only one-week and A/B (two-week) cycles are supported",
                             f"маска недель «{mask}»: поддерживаются только одна неделя и недели А/Б", row.label, name)
        if not weeks:
            raise self.error(f"weeks mask '{mask}' runs in no week", f"маска недель «{mask}» не включает ни одной недели",
                             row.label, name)
        return weeks

    # -------------------------------------------------------------- subjects, people, rooms

    def name_of(self, row: _Row, collection: str) -> str:
        name = _clean(row.elem.get("name")) or _clean(row.elem.get("short"))
        if not name:
            self.warn(collection, row.index, "name", f"{row.label} has no name; its id is shown instead",
                      f"у {row.label} нет названия; вместо него показан идентификатор")
            return row.elem.get("id", "").strip().lstrip("*")
        return name

    def subject(self, ident: str, row: _Row) -> Subject:
        name = self.name_of(row, "subjects")
        return self.build(Subject, row.label, id=ident, name=name, norm_key=guess_norm_key(name, self.subject_keys))

    # -------------------------------------------------------------- classes and groups

    def classes(self, classes: dict[str, _Row], groups: dict[str, _Row], students: dict[str, _Row],
                lessons: dict[str, _Row], week_days: int) -> list[StudentClass]:
        grades: dict[str, int | None] = {}
        levels: dict[str, Level | None] = {}
        for ident, row in classes.items():
            name = _clean(row.elem.get("name"))
            levels[ident] = self.grades.get(name) or level_from_name(name)
            grades[ident] = levels[ident].grade if levels[ident] else None  # type: ignore[union-attr]
        by_class: dict[str, list[_Row]] = defaultdict(list)
        for row in groups.values():
            by_class[row.elem.get("classid", "").strip()].append(row)
        members = Counter(r.elem.get("classid", "").strip() for r in students.values())
        defaulted: list[str] = []
        out = []
        for ident, row in classes.items():
            name = self.name_of(row, "classes")
            level = levels[ident] or self.guess_grade(ident, row, name, grades, students, lessons)
            age_min, age_max = age_band(level)
            count = self.class_size(by_class[ident], members[ident])
            if count is None:
                count = self.pupils.get(name) or self.pupils.get("*")
            if count is None:
                count = DEFAULT_STUDENTS
                defaulted.append(name)
            sub = self.subgroups(by_class[ident], count)
            out.append(self.build(StudentClass, row.label, id=ident, name=name, grade=level.grade,
                                  course=level.course, age_min=age_min, age_max=age_max, students=count,
                                  week_days=week_days, bell_schedule=BELLS_ID, groups=sub))
        said = grades_warning(self.guessed)
        if said:
            self.warn("classes", None, "grade", *said)
        if defaulted:
            shown = ", ".join(defaulted[:10]) + (f" … (+{len(defaulted) - 10})" if len(defaulted) > 10 else "")
            self.warn("classes", None, "students", f"{len(defaulted)} classes have no pupil count in the export "
                      f"({shown}); {DEFAULT_STUDENTS} is assumed and groups split it evenly; set the real numbers with "
                      "--pupils \"CLASS=N,…\" or a CSV file class,pupils (--pupils-file), or on the page",
                      f"у {len(defaulted)} классов в выгрузке нет числа учеников ({shown}); принято {DEFAULT_STUDENTS}, "
                      "группы делят его поровну; укажите настоящие числа: --pupils \"КЛАСС=N,…\", файл CSV "
                      "«класс,учеников» (--pupils-file) или на странице школы")
        return out

    def guess_grade(self, ident: str, row: _Row, name: str, grades: dict[str, int | None],
                    students: dict[str, _Row], lessons: dict[str, _Row]) -> Level:
        """A class whose name carries no grade: the youngest grade of its pupils' home classes, else a guess from
        the name (planner.importers.hints.guess_level); either is listed in the one grades warning."""
        pupils = set()
        for le in lessons.values():
            if ident in _ids(le.elem.get("classids")):
                pupils.update(_ids(le.elem.get("studentids")))
        home = sorted({g for s in pupils if s in students
                       for g in [grades.get(students[s].elem.get("classid", "").strip())] if g})
        if home:
            level = Level(grade=home[0])
            self.guessed.append((name, level, "its pupils' classes", "по классам его учеников"))
            return level
        level, why_en, why_ru = guess_level(name)
        self.guessed.append((name, level, why_en, why_ru))
        return level

    def class_size(self, groups: list[_Row], listed_students: int) -> int | None:
        """The entire-class group's count, else the largest division whose groups all have counts, else the
        number of <student> rows of the class; None when nothing is known."""
        for row in groups:
            if row.elem.get("entireclass", "").strip() == "1" and self.count(row):
                return self.count(row)
        divisions: dict[str, list[int | None]] = defaultdict(list)
        for row in groups:
            if row.elem.get("entireclass", "").strip() != "1":
                divisions[row.elem.get("divisiontag", "").strip()].append(self.count(row))
        complete = [sum(c for c in counts if c) for counts in divisions.values() if all(counts)]
        return max(complete, default=0) or listed_students or None

    def count(self, row: _Row) -> int | None:
        n = self.integer(row, "studentcount", default=-1, low=-1, high=100000)
        return n if n > 0 else None

    def subgroups(self, groups: list[_Row], class_size: int) -> list[SubGroup]:
        parts = [r for r in groups if r.elem.get("entireclass", "").strip() != "1"]
        division_size = Counter(r.elem.get("divisiontag", "").strip() for r in parts)
        seen: Counter[str] = Counter()
        out = []
        for row in parts:
            div = row.elem.get("divisiontag", "").strip()
            n = self.count(row)
            if n is None:  # split the class evenly, the remainder to the first groups
                size, extra = divmod(class_size, division_size[div])
                n = size + (1 if seen[div] < extra else 0)
            seen[div] += 1
            out.append(self.build(SubGroup, row.label, id=row.elem.get("id", "").strip(),
                                  name=self.name_of(row, "groups"), students=n, division=div))
        return out

    # -------------------------------------------------------------- lessons and cards

    def place_cards(self, cards: list[_Row], lessons: dict[str, _Row], classes: dict[str, _Row],
                    subjects: dict[str, _Row], teachers: dict[str, _Row], rooms: dict[str, _Row],
                    groups: dict[str, _Row], students: dict[str, _Row], weeksdefs: dict[str, frozenset[int]],
                    day_index: dict[str, int], periods: list[Period]) -> list[tuple[Lesson, str]]:
        """Every card as a placed Lesson (with the label of the card(s) it came from); doubles merged."""
        info = {i: self.lesson_info(r, classes, subjects, teachers, rooms, groups, students, weeksdefs)
                for i, r in lessons.items()}
        numbers = {p.number for p in periods}
        # (lesson id) -> [(day, period, weeks, rooms, card label)]
        placements: dict[str, list[_Placement]] = defaultdict(list)
        for row in cards:
            lid = self.attr(row, "lessonid", required=True).strip()
            if lid not in lessons:
                raise self.error(f"unknown lesson '{lid}'", f"неизвестный урок «{lid}»", row.label, "lessonid")
            period = self.integer(row, "period", low=0, high=99)
            if period not in numbers:
                raise self.error(f"period {period} is not in <periods>", f"урока {period} нет в <periods>",
                                 row.label, "period")
            weeks = info[lid]["weeks"] & self.weeks_mask(row, "weeks")
            if not weeks:
                raise self.error("the card's weeks and its lesson's weeks never meet",
                                 "недели карточки и недели её урока не пересекаются", row.label, "weeks")
            terms = row.elem.get("terms", "").strip()
            if terms and "0" in terms:
                self.warn("cards", row.index, "terms", f"{row.label} runs only in some terms ('{terms}'); it is "
                          "imported for the whole year", f"{row.label} идёт только в части четвертей («{terms}»); "
                          "импортирована на весь год")
            card_rooms = self.known(row, "classroomids", _ids(row.elem.get("classroomids")), rooms, "classroom",
                                    "кабинет") if "classroomids" in row.elem.attrib else info[lid]["rooms"]
            for day in self.card_days(row, day_index):
                placements[lid].append((day, period, weeks, card_rooms, row.label))
        out: list[tuple[Lesson, str]] = []
        for lid, row in lessons.items():
            out.extend(self.lesson_cards(lid, row, info[lid], placements.get(lid, []), numbers))
        unplaced = [lid for lid in lessons if lid not in placements]
        if unplaced:
            shown = ", ".join(unplaced[:10]) + (f" … (+{len(unplaced) - 10})" if len(unplaced) > 10 else "")
            self.warn("lessons", None, "cards", f"{len(unplaced)} lessons have no card (not placed in the timetable) "
                      f"and are not imported: {shown}", f"у {len(unplaced)} уроков нет карточек (не поставлены в "
                      f"расписание), они не импортированы: {shown}")
        return out

    def card_days(self, row: _Row, day_index: dict[str, int]) -> list[int]:
        if row.elem.get("day") is not None:
            raw = row.elem.get("day", "").strip()
            if raw not in day_index:
                raise self.error(f"day '{raw}' is not in <days>", f"дня «{raw}» нет в <days>", row.label, "day")
            return [day_index[raw]]
        mask = self.attr(row, "days", required=True).strip()
        if set(mask) - {"0", "1"} or len(mask) != len(day_index) or not _mask_bits(mask):
            raise self.error(f"'{mask}' is not a day mask of {len(day_index)} digits 0/1 with a 1",
                             f"«{mask}» — не маска дней из {len(day_index)} цифр 0/1 с единицей", row.label, "days")
        return [i + 1 for i in _mask_bits(mask)]

    def lesson_info(self, row: _Row, classes: dict[str, _Row], subjects: dict[str, _Row], teachers: dict[str, _Row],
                    rooms: dict[str, _Row], groups: dict[str, _Row], students: dict[str, _Row],
                    weeksdefs: dict[str, frozenset[int]]) -> dict[str, Any]:
        class_ids = self.known(row, "classids", _ids(row.elem.get("classids")), classes, "class", "класс")
        subject = self.known(row, "subjectid", [self.attr(row, "subjectid", required=True).strip()], subjects,
                             "subject", "предмет")[0]
        teacher_ids = self.known(row, "teacherids", _ids(row.elem.get("teacherids")), teachers, "teacher", "учитель")
        room_ids = self.known(row, "classroomids", _ids(row.elem.get("classroomids")), rooms, "classroom", "кабинет")
        group_ids = self.known(row, "groupids", _ids(row.elem.get("groupids")), groups, "group", "группа")
        pupils = self.known(row, "studentids", _ids(row.elem.get("studentids")), students, "student", "ученик")
        if pupils:
            self.warn("lessons", row.index, "studentids", f"{row.label} is for {len(pupils)} listed pupils; the "
                      "planner has no single pupils, so it is imported for its classes and groups",
                      f"{row.label} — для {len(pupils)} отдельных учеников; в планировщике нет отдельных учеников, "
                      "урок импортирован для его классов и групп")
        whole = set()
        for gid in group_ids:
            owner = groups[gid].elem.get("classid", "").strip()
            if owner not in class_ids:
                raise self.error(f"group '{gid}' belongs to class '{owner}', which the lesson does not list",
                                 f"группа «{gid}» относится к классу «{owner}», которого нет в уроке", row.label,
                                 "groupids")
            if groups[gid].elem.get("entireclass", "").strip() == "1":
                whole.add(owner)
        kept = [g for g in group_ids if groups[g].elem.get("classid", "").strip() not in whole]
        if row.elem.get("weeksdefid", "").strip() and not row.elem.get("weeks", "").strip():
            wid = row.elem.get("weeksdefid", "").strip()
            weeks = weeksdefs.get(wid)
            if weeks is None:
                raise self.error(f"unknown weeks definition '{wid}'", f"неизвестное определение недель «{wid}»",
                                 row.label, "weeksdefid")
        else:
            weeks = self.weeks_mask(row, "weeks")
        return {"classes": class_ids, "subject": subject, "teachers": teacher_ids, "rooms": room_ids,
                "groups": kept, "weeks": weeks,
                "per_card": self.integer(row, "periodspercard", default=1, low=1, high=4)}

    def lesson_cards(self, lid: str, row: _Row, info: dict[str, Any], placed: list[_Placement],
                     numbers: set[int]) -> list[tuple[Lesson, str]]:
        if not placed:
            return []
        if not info["classes"]:
            self.warn("lessons", row.index, "classids", f"{row.label} has no class; its {len(placed)} cards are not "
                      "imported", f"у {row.label} нет класса; его карточки ({len(placed)}) не импортированы")
            return []
        k = info["per_card"]
        runs: list[list[_Placement]] = []  # consecutive cards of one day and weeks merge into one multi-period card
        for p in sorted(placed, key=lambda x: (x[0], sorted(x[2]), x[1])):
            last = runs[-1][-1] if runs else None
            if (k > 1 and last is not None and len(runs[-1]) < k and last[0] == p[0] and last[2] == p[2]
                    and last[1] + 1 == p[1]):
                runs[-1].append(p)
            else:
                runs.append([p])
        weeks_of = {frozenset({0, 1}): WeekMask.EVERY, frozenset({0}): WeekMask.A, frozenset({1}): WeekMask.B}
        out = []
        per_week = 0.0
        for n, run in enumerate(runs, start=1):
            day, period, weeks, card_rooms, label = run[0]
            duration = k if len(run) in (1, k) else len(run)
            origin = run[0][4] if len(run) == 1 else f"{run[0][4]}..{run[-1][4]}"
            origin = f"{origin} (lesson id={lid})"
            if len(run) not in (1, k):
                self.warn("cards", None, "period", f"{origin}: {len(run)} consecutive cards of a {k}-period lesson; "
                          f"imported as {len(run)} periods", f"{origin}: {len(run)} карточек подряд у урока по {k} "
                          f"урока; импортированы как {len(run)} урока")
            missing = [q for q in range(period, period + duration) if q not in numbers]
            if missing:
                raise self.error(f"the {duration}-period card runs past the bell schedule (no period {missing[0]})",
                                 f"карточка на {duration} урока выходит за звонки (нет урока {missing[0]})",
                                 origin, "period")
            rooms_all = list(dict.fromkeys(r for item in run for r in item[3]))
            out.append((self.build(Lesson, origin, id=f"{lid}:{n}", version=VERSION_ID, classes=info["classes"],
                                   groups=info["groups"], teachers=info["teachers"], rooms=rooms_all,
                                   subject=info["subject"], day=day, period=period, duration=duration,
                                   weeks=weeks_of[weeks]), origin))
            per_week += duration * len(weeks) / 2
        self.check_per_week(row, per_week)
        return out

    def check_per_week(self, row: _Row, placed: float) -> None:
        raw = row.elem.get("periodsperweek", "").strip()
        if not raw:
            return
        try:
            asked = float(raw)
        except ValueError:
            raise self.error(f"'{raw}' is not a number", f"«{raw}» — не число", row.label, "periodsperweek") from None
        if not math.isfinite(asked) or abs(asked - placed) > 1e-6:
            self.warn("lessons", row.index, "periodsperweek", f"{row.label}: periodsperweek is {raw}, its cards and "
                      f"week masks give {placed:g} a week; the cards and masks are imported",
                      f"{row.label}: periodsperweek = {raw}, а карточки с масками недель дают {placed:g} в неделю; "
                      "импортированы карточки и маски")

    # -------------------------------------------------------------- cross-checks

    def check(self, school: School, origins: list[str]) -> None:
        """The school's integrity problems (clashes, days outside the week) as one error naming the card."""
        def locate(p: Problem) -> Location:
            element = origins[p.index] if p.collection == "lessons" and p.index < len(origins) else \
                f"{p.collection}[{p.index + 1}]"
            fld = _ASC_FIELD.get(p.field, p.field) if p.collection == "lessons" else p.field
            return Location(file=self.file, element=element, field=fld)

        raise_first_problem(school, locate)


def _readable_ids(school: School) -> School:
    """aSc's internal ids (`*1`, `*24`) never reach a user: classes, groups, teachers, subjects and rooms get ids
    made from their names (unique within their kind), a group's name carries its class (`5-А · 2 група`), lesson
    ids read `asc-<n>:<card>`."""
    def make(items: list[tuple[str, str]]) -> dict[str, str]:
        used: set[str] = set()
        out = {}
        for old, name in items:
            base = re.sub(r"[;,\t\r\n]+", "_", name).strip() or old.lstrip("*") or "_"
            new, n = base, 2
            while new in used:
                new, n = f"{base}~{n}", n + 1
            used.add(new)
            out[old] = new
        return out

    data = school.model_dump(mode="python")
    classes = make([(c["id"], c["name"]) for c in data["classes"]])
    group_names: dict[str, str] = {}
    for c in data["classes"]:
        for g in c["groups"]:
            group_names[g["id"]] = g["name"] if c["name"].casefold() in g["name"].casefold() else \
                f"{c['name']} · {g['name']}"
    groups = make(list(group_names.items()))
    teachers = make([(t["id"], t["name"]) for t in data["teachers"]])
    subjects = make([(s["id"], s["name"]) for s in data["subjects"]])
    rooms = make([(r["id"], r["name"]) for r in data["rooms"]])
    for c in data["classes"]:
        c["id"] = classes[c["id"]]
        for g in c["groups"]:
            g["id"], g["name"] = groups[g["id"]], group_names[g["id"]]
    for t in data["teachers"]:
        t["id"], t["subjects"] = teachers[t["id"]], [subjects[x] for x in t["subjects"]]
    for s in data["subjects"]:
        s["id"] = subjects[s["id"]]
    for r in data["rooms"]:
        r["id"] = rooms[r["id"]]
    for le in data["lessons"]:
        le["id"] = "asc-" + le["id"].lstrip("*")
        le["classes"] = [classes[x] for x in le["classes"]]
        le["groups"] = [groups[x] for x in le["groups"]]
        le["teachers"] = [teachers[x] for x in le["teachers"]]
        le["rooms"] = [rooms[x] for x in le["rooms"]]
        le["subject"] = subjects[le["subject"]]
    for v in data["versions"]:
        v["classes"] = [classes[x] for x in v["classes"]]
    return School.model_validate(data)


__all__ = ["AscImport", "default_school_year", "first_school_monday", "load_asc"]
