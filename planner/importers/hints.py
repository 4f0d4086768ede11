"""What a school tells an import that the timetable file does not say: the bell schedule, each class's grade or
course, pupil counts and which difficulty-scale key a subject name means.

The FET and aSc importers take these as plain Python values (`ImportOptions`); the CLI and the page write them as
short texts (`--bells "08:30-09:15,09:25-10:10"`, `--grades "101=10,201=2к"`, `--pupils "7А=25"`) or as two-column
CSV files the school keeps (`class,grade`, `class,pupils`, `subject,key`, `period,start,end`). The parsers here
turn either into values and name the text or file, row and field of anything they cannot read.

The class-name rules live here too, one implementation for both importers: a recognised Russian pattern
(`7-Б`, `7Б`, `10`, `1 А`, `5а класс`, `7-1`) gives the grade; anything else is a *guess* that the importer lists
in one warning together with how to set it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import InputError, Location

if TYPE_CHECKING:
    from planner.school.integrity import ImportWarning
    from planner.school.model import School

MAX_HINT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Level:
    """A class's grade (school) or course (college)."""

    grade: int | None = None
    course: int | None = None

    def text(self) -> str:
        return f"{self.grade}" if self.grade is not None else f"{self.course}к"


# ------------------------------------------------------------------ class names

_RU_CLASS = re.compile(r"^\s*(\d{1,2})\s*(?:(?:[-–—.\s]\s*)?[А-ЯЁа-яё]|[-–—.\s]\s*\d{1,2}|[-–—]?\s*[A-Za-z])?"
                       r"\s*(?:класс|кл\.?)?\s*$", re.IGNORECASE)
_COLLEGE_CODE = re.compile(r"^\s*([1-6])(\d{2})\s*$")  # 101, 205: course, then the group number
_LETTERED_CODE = re.compile(r"^\s*[^\W\d_]{1,6}\s*[-–—]?\s*([1-6])\d{1,2}\s*$")  # ЛД101, ИСП-21, СД32
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,2})(?!\d)")


def level_from_name(name: str) -> Level | None:
    """The grade of a class named by a recognised Russian pattern ('7-Б', '7Б', '10', '1 А', '5а класс', '7-1');
    None otherwise ('101', '12', 'ИСП-21', 'Year 7')."""
    m = _RU_CLASS.match(name)
    if not m:
        return None
    grade = int(m.group(1))
    return Level(grade=grade) if 1 <= grade <= 11 else None


def guess_level(name: str) -> tuple[Level, str, str]:
    """A guess for a class name no recognised pattern covers, with why (English, Russian). Three digits whose first
    is 1–6 (`101`, `205`) read as a college group code: course = the first digit. A leading number 12 or more is
    the senior grade 11. Anything else gets grade 1, the strictest norm band, so that no breach is hidden."""
    m = _COLLEGE_CODE.match(name)
    if m:
        return (Level(course=int(m.group(1))), "a college group code: course = first digit",
                "код группы колледжа: курс — первая цифра")
    m = _LETTERED_CODE.match(name)
    if m:
        return (Level(course=int(m.group(1))), "a college group code: course = first digit",
                "код группы колледжа: курс — первая цифра")
    m = _LEADING_NUMBER.match(name)
    if m and int(m.group(1)) >= 12:
        return Level(grade=11), "a number above 11: the senior grade", "номер больше 11: старший класс"
    if m and 1 <= int(m.group(1)) <= 11:
        return (Level(grade=int(m.group(1))), "the leading number", "число в начале названия")
    return Level(grade=1), "no grade in the name: the strictest norms", "в названии нет класса: самые строгие нормы"


def age_band(level: Level) -> tuple[int, int]:
    """The usual ages of a grade (grade + 6 … + 7) or a college course (after grade 9: 15 + course …)."""
    if level.grade is not None:
        return level.grade + 6, level.grade + 7
    return 14 + (level.course or 1), 15 + (level.course or 1)


def grades_warning(guessed: list[tuple[str, Level, str, str]]) -> tuple[str, str] | None:
    """One warning (English, Russian) listing every class whose grade or course was guessed, with how to set it."""
    if not guessed:
        return None
    shown_en = ", ".join(f"{n} → {lv.text()} ({why})" for n, lv, why, _ in guessed[:30])
    shown_ru = ", ".join(f"{n} → {lv.text()} ({why})" for n, lv, _, why in guessed[:30])
    more = f" … (+{len(guessed) - 30})" if len(guessed) > 30 else ""
    example = ",".join(f"{n}={lv.text()}" for n, lv, _, _ in guessed[:2])
    return (f"{len(guessed)} class names carry no grade the planner recognises; guessed: {shown_en}{more}. Set the "
            f"real grade or course (a number, «к» for a college course) with --grades \"{example}\" or a CSV file "
            "class,grade (--grades-file), or on the page",
            f"у {len(guessed)} классов по названию не определить класс или курс; предположено: {shown_ru}{more}. "
            f"Укажите настоящий класс или курс (число, «к» — курс колледжа): --grades \"{example}\" или файл CSV "
            "«класс,класс_или_курс» (--grades-file), или на странице школы")


def one_subject_warning(warnings: list[ImportWarning]) -> list[ImportWarning]:
    """The integrity check's one warning per subject without a difficulty key, folded into one that lists them all
    and says how the school maps them (a subject,key CSV file it keeps)."""
    unknown = [w for w in warnings if w.collection == "subjects" and w.field == "norm_key"]
    if len(unknown) <= 1:
        return warnings
    from planner.school.integrity import ImportWarning

    quoted = [re.search(r"'(.*)'", w.message_en) for w in unknown]
    names = [m.group(1) if m else "?" for m in quoted]
    shown = ", ".join(f"«{n}»" for n in names[:40]) + (f" … (+{len(names) - 40})" if len(names) > 40 else "")
    rest = [w for w in warnings if w not in unknown]
    return rest + [ImportWarning(
        "subjects", None, "norm_key",
        f"{len(names)} subjects have no difficulty-scale key, so the difficulty checks skip them: {shown}. Map them in "
        "a CSV file the school keeps (subject,key, e.g. «Фізкульт.СЗ,pe») and import with --subject-keys FILE",
        f"у {len(names)} предметов нет ключа шкалы трудности, проверки трудности их пропускают: {shown}. Сопоставьте "
        "их в файле CSV школы («предмет,ключ», например «Фізкульт.СЗ,pe») и импортируйте с --subject-keys ФАЙЛ")]


# ------------------------------------------------------------------ texts and CSV files


def _pairs(text: str, source: str, field: str) -> list[tuple[str, str, int]]:
    """'a=b, c=d' (commas or semicolons or new lines) as (a, b, position)."""
    out = []
    for i, item in enumerate(x for x in re.split(r"[,;\n]", text) if x.strip()):
        if "=" not in item:
            raise InputError(f"'{item.strip()}' is not NAME=VALUE", f"«{item.strip()}» — не вида ИМЯ=ЗНАЧЕНИЕ",
                             Location(file=source, field=field, element=f"item {i + 1}"))
        name, value = item.rsplit("=", 1)
        out.append((name.strip(), value.strip(), i + 1))
    return out


def _csv_rows(path: Path, columns: int, numeric: bool = True) -> list[tuple[list[str], int]]:
    where = Location(file=str(path))
    try:
        if path.stat().st_size > MAX_HINT_BYTES:
            raise InputError(f"the file is larger than {MAX_HINT_BYTES} bytes", f"файл больше {MAX_HINT_BYTES} байт",
                             where)
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", f"не удаётся прочитать файл: "
                         f"{exc.strerror or exc}", where) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"the file is not UTF-8 text (byte {exc.start})", f"файл не в кодировке UTF-8 (байт "
                         f"{exc.start})", where) from None
    delimiter = ";" if text.count(";") > text.count(",") else ","
    rows = []
    for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) < columns:
            raise InputError(f"the row has {len(cells)} columns, {columns} are needed",
                             f"в строке {len(cells)} столбцов, нужно {columns}", Location(file=str(path), row=n))
        rows.append((cells, n))
    if rows and (not any(ch.isdigit() for ch in "".join(rows[0][0][1:])) if numeric else
                 rows[0][0][1].lower() in ("key", "norm_key", "ключ")):
        rows = rows[1:]  # a header row: numeric files' values always hold a digit
    return rows


def _time(text: str, source: str, element: str, field: str) -> time:
    m = re.fullmatch(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*", text)
    if not m:
        raise InputError(f"'{text}' is not a time HH:MM", f"«{text}» — не время ЧЧ:ММ",
                         Location(file=source, element=element, field=field))
    return time(int(m.group(1)), int(m.group(2)))


def parse_bells(text: str, source: str = "--bells") -> tuple[tuple[time, time], ...]:
    """'08:30-09:15,09:25-10:10,…' as the periods' (start, end), in order, non-overlapping."""
    out: list[tuple[time, time]] = []
    for i, item in enumerate(x for x in re.split(r"[,;\n]", text) if x.strip()):
        parts = re.split(r"\s*[-–—]\s*", item.strip())
        if len(parts) != 2:
            raise InputError(f"'{item.strip()}' is not START-END (e.g. 08:30-09:15)", f"«{item.strip()}» — не вида "
                             "НАЧАЛО-КОНЕЦ (например 08:30-09:15)", Location(file=source, element=f"period {i + 1}"))
        out.append((_time(parts[0], source, f"period {i + 1}", "start"), _time(parts[1], source, f"period {i + 1}",
                                                                               "end")))
    return _checked_bells(out, source)


def read_bells_csv(path: Path) -> tuple[tuple[time, time], ...]:
    """A CSV of period,start,end (or start,end) rows."""
    out = []
    for cells, n in _csv_rows(Path(path), 2):
        start, end = (cells[1], cells[2]) if len(cells) >= 3 and cells[2] else (cells[0], cells[1])
        out.append((_time(start, str(path), f"row {n}", "start"), _time(end, str(path), f"row {n}", "end")))
    return _checked_bells(out, str(path))


def _checked_bells(bells: list[tuple[time, time]], source: str) -> tuple[tuple[time, time], ...]:
    if not bells:
        raise InputError("no periods given", "не задано ни одного урока", Location(file=source))
    for i, (start, end) in enumerate(bells):
        if end <= start:
            raise InputError(f"period {i + 1} ends ({end:%H:%M}) before it starts ({start:%H:%M})",
                             f"урок {i + 1} заканчивается ({end:%H:%M}) раньше начала ({start:%H:%M})",
                             Location(file=source, element=f"period {i + 1}"))
        if i and start < bells[i - 1][1]:
            raise InputError(f"period {i + 1} starts ({start:%H:%M}) before period {i} ends ({bells[i - 1][1]:%H:%M})",
                             f"урок {i + 1} начинается ({start:%H:%M}) раньше конца урока {i} "
                             f"({bells[i - 1][1]:%H:%M})", Location(file=source, element=f"period {i + 1}"))
    return tuple(bells)


def parse_level(value: str, source: str, element: str) -> Level:
    """'10' → grade 10; '2к', '2k', '2 курс' → course 2."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*(к|k|курс|course)?\.?\s*", value, re.IGNORECASE)
    if m:
        n = int(m.group(1))
        if m.group(2) and 1 <= n <= 6:
            return Level(course=n)
        if not m.group(2) and 1 <= n <= 11:
            return Level(grade=n)
    raise InputError(f"'{value}' is neither a grade 1–11 nor a course 1к–6к", f"«{value}» — не класс 1–11 и не "
                     "курс 1к–6к", Location(file=source, element=element, field="grade"))


def parse_grades(text: str, source: str = "--grades") -> dict[str, Level]:
    return {name: parse_level(value, source, name) for name, value, _ in _pairs(text, source, "grades")}


def read_grades_csv(path: Path) -> dict[str, Level]:
    return {cells[0]: parse_level(cells[1], str(path), f"row {n}") for cells, n in _csv_rows(Path(path), 2)}


def _count(value: str, source: str, element: str) -> int:
    if not re.fullmatch(r"\s*\d{1,5}\s*", value) or int(value) == 0:
        raise InputError(f"'{value}' is not a number of pupils (1 or more)", f"«{value}» — не число учеников "
                         "(от 1)", Location(file=source, element=element, field="pupils"))
    return int(value)


def parse_pupils(text: str, source: str = "--pupils") -> dict[str, int]:
    """'7А=25,7Б=27' or '*=25' (every class without a count)."""
    return {name: _count(value, source, name) for name, value, _ in _pairs(text, source, "pupils")}


def read_pupils_csv(path: Path) -> dict[str, int]:
    return {cells[0]: _count(cells[1], str(path), f"row {n}") for cells, n in _csv_rows(Path(path), 2)}


def read_subject_map(path: Path) -> dict[str, str]:
    """The school's subject-name → norm key file (subject,key rows); the keys are taken as given (see the difficulty
    scales in constraints/ for the keys they score)."""
    return {cells[0]: cells[1] for cells, _ in _csv_rows(Path(path), 2, numeric=False)}


def parse_subject_map(text: str, source: str = "--subject-keys") -> dict[str, str]:
    return {name: value for name, value, _ in _pairs(text, source, "subject-keys")}


__all__ = ["Level", "age_band", "grades_warning", "guess_level", "level_from_name",
           "parse_bells", "parse_grades", "parse_level", "parse_pupils", "parse_subject_map", "read_bells_csv",
           "read_grades_csv", "read_pupils_csv", "read_subject_map"]


def institution_kind_from_levels(school: School) -> tuple[School, tuple[str, str] | None]:
    """aSc and FET files carry no institution kind, so the importers make a school. When every class has a college
    course and none a school grade (group codes such as ЛД101, or --grades «1к»), the file is a college's: its texts
    must speak of группы, студенты, преподаватели, пары. Said once, with how to change it."""
    from planner.school.model import InstitutionKind

    if school.kind != InstitutionKind.SCHOOL or not school.classes:
        return school, None
    if any(c.grade is not None or c.course is None for c in school.classes):
        return school, None
    n = len(school.classes)
    return (school.model_copy(update={"kind": InstitutionKind.COLLEGE}),
            (f"all {n} classes are college courses (none has a school grade), so the institution is taken as a college "
             "(groups, students, lecturers, pairs in every text); if it is a school, give the grades with --grades or "
             "--grades-file (on the page: «Класс или курс по названию» when importing)",
             f"все {n} классов — курсы колледжа (ни у одного нет школьного класса), поэтому учреждение считается "
             "колледжем (во всех текстах — группы, студенты, преподаватели, пары); если это школа, укажите классы: "
             "--grades или --grades-file, на странице — поле «Класс или курс по названию» при загрузке"))
