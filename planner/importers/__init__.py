"""Importers: turn what a school has (a CSV folder, an XLSX workbook, a school JSON, an aSc Timetables XML
export, a FET file) into the school model.

`load_school(path, options)` detects the format from the content, not only the extension; the CLI and the page
call it with the options as typed (`SourceOptions`, planner.importers.options), tests and library code may pass
the values (`ImportOptions`).
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date, time
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from planner.errors import InputError, Location, input_error_from_validation
from planner.importers.bounds import MAX_SOURCE_BYTES, check_source_file
from planner.importers.hints import Level, institution_kind_from_levels
from planner.importers.options import HintLabels, SourceOptions
from planner.importers.tabular import read_csv_folder, read_xlsx, school_from_frames
from planner.school.integrity import ImportWarning, check_school
from planner.school.model import School



@dataclass
class Loaded:
    school: School
    warnings: list[ImportWarning] = field(default_factory=list)
    source: str = ""


@dataclass(frozen=True)
class ImportOptions:
    """What the timetable formats without a calendar or time zone (aSc, FET) need to be told, and what a school
    adds to a file as it is (planner.importers.hints parses the CLI texts and CSV files; the page fills the same)."""

    timezone: str = "Europe/Moscow"
    year_start: date | None = None
    year_end: date | None = None
    a_week_monday: date | None = None
    bell_minutes: int | None = None  # FET files whose hour names carry only a start time
    bells: tuple[tuple[time, time], ...] | None = None  # FET hours without times: one (start, end) per hour
    grades: dict[str, Level] = field(default_factory=dict)  # class name -> grade or course
    pupils: dict[str, int] = field(default_factory=dict)  # class name ('*' = every class without one) -> pupils
    subject_keys: dict[str, str] = field(default_factory=dict)  # the school's subject name -> norm key map
    years_as_classes: bool | None = None  # FET years whose groups are the classes (None = detect)


_XML_ROOT = re.compile(rb"<(timetable|fet)[\s>]")


def detect_format(path: str | Path) -> str:
    """'csv', 'json', 'xlsx', 'asc' or 'fet' from the content (and, for a folder, its files)."""
    p = Path(path)
    if p.is_dir():
        return "csv" if (p / "school.csv").exists() else "json" if (p / "school.json").exists() else "unknown"
    if zipfile.is_zipfile(p):
        return "xlsx"
    with open(p, "rb") as fh:
        head = fh.read(4096)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "json"
    match = _XML_ROOT.search(head)
    if text.startswith(b"<") and match:
        return "asc" if match.group(1) == b"timetable" else "fet"
    return "unknown"


def load_school(path: str | Path, options: ImportOptions | SourceOptions | None = None) -> Loaded:
    """Load a school from a CSV folder, an XLSX workbook, a school JSON file, an aSc XML export or a FET file —
    the one loader of the CLI and the page. Options as typed (`SourceOptions`) are read first, so a bad hint is
    refused before the source is opened."""
    p = Path(path)
    options = options.resolve() if isinstance(options, SourceOptions) else options or ImportOptions()
    if not p.exists():
        raise InputError("no such file or folder", "нет такого файла или папки", Location(file=str(p)))
    if p.is_dir():
        if (p / "school.csv").exists():
            frames, where = read_csv_folder(p)
            school, warnings = school_from_frames(frames, where, str(p))
            return Loaded(school, warnings, str(p))
        if (p / "school.json").exists():
            return load_school(p / "school.json")
        raise InputError("the folder holds neither school.csv nor school.json",
                         "в папке нет ни school.csv, ни school.json", Location(file=str(p)))
    check_source_file(p, MAX_SOURCE_BYTES)  # a regular file within the size limit, before anything opens it
    kind = detect_format(p)
    if kind == "xlsx":
        frames, where = read_xlsx(p)
        school, warnings = school_from_frames(frames, where, str(p))
        return Loaded(school, warnings, str(p))
    if kind == "json":
        return _load_json(p)
    if kind == "asc":
        from planner.importers.asc import load_asc

        imported = load_asc(p, timezone=options.timezone, year_start=options.year_start, year_end=options.year_end,
                            a_week_monday=options.a_week_monday, max_bytes=MAX_SOURCE_BYTES, grades=options.grades,
                            pupils=options.pupils, subject_keys=options.subject_keys)
        return _kind_from_levels(Loaded(imported.school, imported.warnings, str(p)))
    if kind == "fet":
        from planner.importers.fet import load_fet

        solved = p.with_name(f"{p.stem}_activities.xml")  # what fet-cl writes beside its output
        fet_import = load_fet(p, activities_xml=solved if solved.is_file() else None, bell_minutes=options.bell_minutes,
                            bells=options.bells, grades=options.grades, pupils=options.pupils,
                            subject_keys=options.subject_keys, years_as_classes=options.years_as_classes,
                            timezone=options.timezone, year_start=options.year_start, year_end=options.year_end,
                            a_week_monday=options.a_week_monday, max_bytes=MAX_SOURCE_BYTES)
        return _kind_from_levels(Loaded(fet_import.school, fet_import.warnings, str(p)))
    root = _root_element(p)
    what_en = f"the file's root element is <{root}>" + (f" ({_KNOWN_ROOTS[root][0]})" if root in _KNOWN_ROOTS else "") \
        if root else "the file is not XML, JSON or a workbook"
    what_ru = f"корневой элемент файла — <{root}>" + (f" ({_KNOWN_ROOTS[root][1]})" if root in _KNOWN_ROOTS else "") \
        if root else "файл — не XML, не JSON и не книга Excel"
    raise InputError(f"unrecognised format: {what_en}; expected a CSV folder, an XLSX workbook, a school JSON file, "
                     "an aSc Timetables XML export (<timetable>) or a FET file (<fet>)",
                     f"формат не распознан: {what_ru}; ожидается папка CSV, книга XLSX, файл школы JSON, выгрузка aSc "
                     "Timetables (<timetable>) или файл FET (<fet>)", Location(file=str(p), element=root or ""))


def _kind_from_levels(loaded: Loaded) -> Loaded:
    """aSc and FET carry no institution kind: a file whose classes are all college courses is a college's (said)."""
    school, said = institution_kind_from_levels(loaded.school)
    if said is None:
        return loaded
    return Loaded(school, [*loaded.warnings, ImportWarning("school", None, "kind", *said)], loaded.source)


_KNOWN_ROOTS = {
    "HighSchoolTimetableArchive": ("an XHSTT / ITC 2011 benchmark archive, not supported",
                                   "архив XHSTT / ITC 2011, не поддерживается"),
    "Activities_Timetable": ("FET's solved activities; import the .fet file beside it",
                             "решённые занятия FET; импортируйте файл .fet рядом с ним"),
    "Students_Timetable": ("a FET timetable view; import the .fet file", "вид расписания FET; импортируйте файл .fet"),
    "Teachers_Timetable": ("a FET timetable view; import the .fet file", "вид расписания FET; импортируйте файл .fet"),
}


def _root_element(p: Path) -> str:
    """The name of the first element of an XML-looking file, read from its first 64 KiB ('' when none)."""
    with open(p, "rb") as fh:
        head = fh.read(65536)
    text = head.decode("utf-8", "replace")
    m = re.search(r"<([A-Za-z_][\w.\-]*)[\s/>]", re.sub(r"<\?.*?\?>|<!--.*?-->|<!.*?>", "", text, flags=re.S))
    return m.group(1)[:80] if m else ""


def _load_json(p: Path) -> Loaded:
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"the file is not UTF-8 text (byte {exc.start})", f"файл не в кодировке UTF-8 (байт {exc.start})",
                         Location(file=str(p))) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", f"некорректный JSON: {exc.msg}",
                         Location(file=str(p), row=exc.lineno)) from None
    if isinstance(raw, dict) and raw.get("schema_version") not in (None, 1):
        raise InputError(f"unsupported schema_version {raw.get('schema_version')!r} (this planner reads 1)",
                         f"неподдерживаемая версия схемы {raw.get('schema_version')!r} (поддерживается 1)",
                         Location(file=str(p), field="schema_version"))
    try:
        school = School.model_validate(raw)
    except ValidationError as err:
        raise input_error_from_validation(err, str(p)) from None
    return Loaded(school, check_school(school, str(p)), str(p))


__all__ = ["HintLabels", "ImportOptions", "Loaded", "SourceOptions", "detect_format", "load_school"]
