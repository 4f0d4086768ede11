"""Read and write the canonical tables (CSV folder or XLSX workbook) to and from the school model."""

from __future__ import annotations

import os
import re
import zipfile
from collections import defaultdict
from datetime import date, datetime, time
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import Any, Callable

import pandas as pd
from pydantic import ValidationError

from planner.cells import csv_frame, csv_restore, text_workbook
from planner.errors import InputError, Location, input_error_from_validation
from planner.fileio import atomic_file, atomic_write_bytes
from planner.importers.bounds import check_csv_folder, check_frame, check_xlsx_zip
from planner.importers.tables import (
    TABLES,
    TABLES_BY_NAME,
    Table,
    canonical_column,
    canonical_sheet,
)
from planner.importers.context import raise_first_problem
from planner.school.integrity import ImportWarning, Problem, check_school
from planner.school.model import (
    AllowedDomain,
    BellSchedule,
    BellVariant,
    ChannelPolicy,
    ChatLink,
    DeviceCounts,
    Holiday,
    Lesson,
    Period,
    Readiness,
    ResponsiblePerson,
    Room,
    School,
    SchoolCalendar,
    StudentClass,
    SubGroup,
    Subject,
    Teacher,
    TimetableVersion,
    TransferredDay,
    Unavailability,
)

Frames = dict[str, pd.DataFrame]


# ------------------------------------------------------------------ reading raw tables

def read_csv_folder(folder: Path) -> tuple[Frames, Callable[[str], str]]:
    frames: Frames = {}
    check_csv_folder([folder / t.file_name for t in TABLES if os.path.lexists(folder / t.file_name)])
    for table in TABLES:
        path = folder / table.file_name
        if not path.exists():
            if table.optional_file:
                continue
            raise InputError(f"required file {table.file_name} is missing", f"нет обязательного файла {table.file_name}",
                             Location(file=str(path)))
        try:
            frames[table.name] = _restore_escaped(pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                skip_blank_lines=False))  # blank lines kept: file row numbers in error messages
            check_frame(frames[table.name], str(path))
        except UnicodeDecodeError:
            raise InputError("the file is not UTF-8 text", "файл не в кодировке UTF-8", Location(file=str(path))) from None
        except pd.errors.EmptyDataError:
            raise InputError("the file is empty (no header row)", "файл пуст (нет строки заголовков)",
                             Location(file=str(path))) from None
        except pd.errors.ParserError as exc:
            raise InputError(f"the file is not valid CSV: {exc}", f"файл не является корректным CSV: {exc}",
                             Location(file=str(path))) from None
    return frames, lambda name: str(folder / TABLES_BY_NAME[name].file_name)


def _restore_escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo planner.cells' CSV escape of formula-like text (only cells starting with a quote are looked at)."""
    for col in frame.columns:
        quoted = frame[col].str.startswith("'", na=False)
        if quoted.any():
            frame.loc[quoted, col] = frame.loc[quoted, col].map(csv_restore)
    return frame


def read_xlsx(path: Path) -> tuple[Frames, Callable[[str], str]]:
    check_xlsx_zip(path)  # a zip bomb is refused from the zip directory, before openpyxl unpacks anything
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise InputError(f"cannot read the workbook: {exc}", f"не удаётся прочитать книгу Excel: {exc}",
                         Location(file=str(path))) from None
    sheets = {canonical_sheet(str(k)): v for k, v in sheets.items()}  # Russian sheet names are read too
    frames: Frames = {}
    for table in TABLES:
        if table.name in sheets:
            frames[table.name] = sheets[table.name].fillna("").astype(str)
            check_frame(frames[table.name], f"{path} [{table.name}]")
        elif not table.optional_file:
            raise InputError(f"required sheet '{table.name}' is missing", f"нет обязательного листа «{table.name}»",
                             Location(file=str(path)))
    return frames, lambda name: f"{path} [{name}]"


# ------------------------------------------------------------------ cell parsers

def _bad(kind_en: str, kind_ru: str, value: str) -> InputError:
    return InputError(f"'{value}' is not {kind_en}", f"«{value}» — это не {kind_ru}")


def p_str(v: str) -> str:
    return v.strip()


def p_opt(v: str) -> str | None:
    return v.strip() or None


def p_int(v: str) -> int:
    try:
        f = float(v.strip())
    except ValueError:
        raise _bad("a whole number", "целое число", v) from None
    if not f.is_integer():
        raise _bad("a whole number", "целое число", v)
    return int(f)


def p_opt_int(v: str) -> int | None:
    return p_int(v) if v.strip() else None


def p_date(v: str) -> date:
    try:
        return date.fromisoformat(v.strip()[:10])
    except ValueError:
        raise _bad("a date (YYYY-MM-DD)", "дата (ГГГГ-ММ-ДД)", v) from None


def p_opt_date(v: str) -> date | None:
    return p_date(v) if v.strip() else None


def p_time(v: str) -> time:
    text = v.strip()
    try:
        hh, mm = text.split(":")[:2]
        return time(int(hh), int(mm))
    except (ValueError, TypeError):
        raise _bad("a time (HH:MM)", "время (ЧЧ:ММ)", v) from None


_TRUE = {"1", "true", "yes", "да", "y", "д", "+"}
_FALSE = {"0", "false", "no", "нет", "n", "н", "-", ""}


def p_bool(v: str) -> bool:
    text = v.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _bad("yes/no (1/0)", "да/нет (1/0)", v)


def p_list(v: str) -> list[str]:
    return [x.strip() for x in v.split(";") if x.strip()]


def p_unavailable(v: str) -> list[Unavailability]:
    out = []
    for item in p_list(v):
        day, _, period = item.partition(":")
        out.append(Unavailability(day=p_int(day), period=p_int(period) if period else None))
    return out


# ------------------------------------------------------------------ rows

class _Rows:
    """Iterates the rows of one table, converting errors into ones that name file, row and field."""

    def __init__(self, frames: Frames, where: Callable[[str], str], table: Table):
        self.table = table
        self.file = where(table.name) if table.name in frames else table.file_name
        df = frames.get(table.name)
        if df is None:
            self.records: list[dict[str, str]] = []
            return
        df.columns = [canonical_column(table.name, str(c).strip().lstrip("\ufeff")) for c in df.columns]
        missing = [c for c in table.required if c not in df.columns]
        if missing:
            raise InputError(f"missing column '{missing[0]}'", f"нет столбца «{missing[0]}»",
                             Location(file=self.file, row=1, field=missing[0]))
        unknown = [c for c in df.columns if c not in table.columns]
        if unknown:
            raise InputError(f"unknown column '{unknown[0]}' (expected: {', '.join(table.columns)})",
                             f"неизвестный столбец «{unknown[0]}» (ожидаются: {', '.join(table.columns)})",
                             Location(file=self.file, row=1, field=unknown[0]))
        self.records = [{c: ("" if row.get(c) is None else str(row.get(c))) for c in table.columns}
                        for row in df.to_dict("records")]

    def __iter__(self) -> Iterator[tuple[int, _Row]]:
        for i, rec in enumerate(self.records):
            if not any(v.strip() for v in rec.values()):
                continue  # blank line
            yield i + 2, _Row(rec, self.file, i + 2, self.table)


class _Row:
    def __init__(self, rec: dict[str, str], file: str, row: int, table: Table):
        self.rec, self.file, self.row, self.table = rec, file, row, table

    def get(self, field: str, parser: Callable[[str], Any] = p_str, default: Any = None) -> Any:
        raw = self.rec.get(field, "")
        if not raw.strip():
            if field in self.table.required:
                raise InputError("required value is empty", "обязательное значение не заполнено",
                                 Location(file=self.file, row=self.row, field=field))
            if default is not None:
                return default
        try:
            return parser(raw)
        except InputError as err:
            raise err.at(file=self.file, row=self.row, field=field) from None
        except ValidationError as err:
            raise _from_validation(err, self.file, self.row, field) from None

    def build(self, factory: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return factory(**kwargs)
        except ValidationError as err:
            raise _from_validation(err, self.file, self.row, None) from None


def _from_validation(err: ValidationError, file: str, row: int, field: str | None) -> InputError:
    return input_error_from_validation(err, file, row=row,
                                       field=field or ".".join(str(p) for p in err.errors()[0].get("loc", ())))


# ------------------------------------------------------------------ frames → school

def school_from_frames(frames: Frames, where: Callable[[str], str], source: str) -> tuple[School, list[ImportWarning]]:
    rows = {t.name: _Rows(frames, where, t) for t in TABLES}
    head = list(rows["school"])
    if len(head) != 1:
        raise InputError(f"expected exactly one school row, found {len(head)}",
                         f"ожидается ровно одна строка об учреждении, найдено {len(head)}",
                         Location(file=rows["school"].file))
    _, s = head[0]

    holidays = [r.build(Holiday, start=r.get("start", p_date), end=r.get("end", p_date), name=r.get("name"),
                        kind=r.get("kind") or "vacation")
                for _, r in rows["holidays"]]
    transfers = [r.build(TransferredDay, date=r.get("date", p_date), as_weekday=r.get("as_weekday", p_int),
                         name=r.get("name")) for _, r in rows["transferred_days"]]
    calendar = s.build(SchoolCalendar, year_start=s.get("year_start", p_date), year_end=s.get("year_end", p_date),
                       holidays=holidays, transferred_days=transfers,
                       a_week_monday=s.get("a_week_monday", p_opt_date))

    bell_rows: dict[str, dict[tuple[date | None, date | None], list[Period]]] = defaultdict(lambda: defaultdict(list))
    bell_names: dict[str, str] = {}
    bell_first_row: dict[tuple[str, tuple[date | None, date | None]], _Row] = {}
    for _, r in rows["bells"]:
        sid = r.get("schedule_id")
        span = (r.get("valid_from", p_opt_date), r.get("valid_to", p_opt_date))
        bell_rows[sid][span].append(r.build(Period, number=r.get("period", p_int), start=r.get("start", p_time),
                                            end=r.get("end", p_time)))
        bell_names.setdefault(sid, r.get("name") or "")
        bell_first_row.setdefault((sid, span), r)
    bell_schedules = []
    for sid, spans in bell_rows.items():
        variants = [bell_first_row[(sid, span)].build(BellVariant, valid_from=span[0], valid_to=span[1],
                                                      periods=sorted(periods, key=lambda p: p.number))
                    for span, periods in spans.items()]
        bell_schedules.append(BellSchedule(id=sid, name=bell_names[sid], variants=variants))

    groups_by_class: dict[str, list[SubGroup]] = defaultdict(list)
    for _, r in rows["groups"]:
        groups_by_class[r.get("class_id")].append(
            r.build(SubGroup, id=r.get("id"), name=r.get("name"), students=r.get("students", p_int),
                    division=r.get("division") or ""))
    classes = []
    class_ids = set()
    for _, r in rows["classes"]:
        cid = r.get("id")
        class_ids.add(cid)
        devices = r.build(DeviceCounts, **{d: r.get(d, p_int, 0) for d in ("pc", "laptop", "tablet", "phone", "none",
                                                                          "refusals")})
        readiness = r.build(Readiness, **{f: r.get(f, p_bool, False) for f in
                                          ("chats_exist", "members_joined", "devices_confirmed", "test_call_done")})
        classes.append(r.build(
            StudentClass, id=cid, name=r.get("name"), grade=r.get("grade", p_opt_int),
            course=r.get("course", p_opt_int), age_min=r.get("age_min", p_int), age_max=r.get("age_max", p_int),
            students=r.get("students", p_int), shift=r.get("shift", p_int, 1), week_days=r.get("week_days", p_int, 5),
            bell_schedule=r.get("bell_schedule"), ovz=r.get("ovz", p_bool, False), groups=groups_by_class.get(cid, []),
            devices=devices, readiness=readiness, curator=r.get("curator", p_opt)))
    for row_no, r in rows["groups"]:
        if r.get("class_id") not in class_ids:
            raise InputError(f"unknown class '{r.get('class_id')}'", f"неизвестный класс «{r.get('class_id')}»",
                             Location(file=r.file, row=row_no, field="class_id"))

    teachers = [r.build(Teacher, id=r.get("id"), name=r.get("name"), subjects=r.get("subjects", p_list, []),
                        unavailable=r.get("unavailable", p_unavailable, []), contact=r.get("contact") or "",
                        max_chat_id=r.get("max_chat_id", p_opt))
                for _, r in rows["teachers"]]
    subjects = [r.build(Subject, id=r.get("id"), name=r.get("name"), norm_key=r.get("norm_key", p_opt),
                        activity=r.get("activity") or "lesson") for _, r in rows["subjects"]]
    rooms = [r.build(Room, id=r.get("id"), name=r.get("name") or "") for _, r in rows["rooms"]]
    chats = [r.build(ChatLink, class_id=r.get("class_id", p_opt), subject_id=r.get("subject_id", p_opt),
                     invite_link=r.get("invite_link"), chat_id=r.get("chat_id", p_opt), kind=r.get("kind", p_opt),
                     group_id=r.get("group_id", p_opt), admin=r.get("admin", p_opt)) for _, r in rows["chats"]]
    responsible = [r.build(ResponsiblePerson, role=r.get("role"), name=r.get("name"), contact=r.get("contact") or "",
                           teacher_id=r.get("teacher_id", p_opt)) for _, r in rows["responsible"]]
    allowed = [r.build(AllowedDomain, domain=r.get("domain").strip().lower(), allowed_by=r.get("allowed_by"),
                       reason=r.get("reason") or "", at=r.get("at", p_opt_date)) for _, r in rows["allowed_domains"]]
    versions = [r.build(TimetableVersion, id=r.get("id"), name=r.get("name") or "",
                        valid_from=r.get("valid_from", p_date), valid_to=r.get("valid_to", p_date),
                        classes=r.get("classes", p_list, [])) for _, r in rows["versions"]]
    lessons = [r.build(Lesson, id=r.get("id"), version=r.get("version"), classes=r.get("classes", p_list),
                       groups=r.get("groups", p_list, []), teachers=r.get("teachers", p_list, []),
                       rooms=r.get("rooms", p_list, []), subject=r.get("subject"), day=r.get("day", p_int),
                       period=r.get("period", p_int), duration=r.get("duration", p_int, 1),
                       weeks=r.get("weeks") or "every") for _, r in rows["lessons"]]

    school = s.build(School, id=s.get("id"), name=s.get("name"), kind=s.get("kind") or "school",
                     timezone=s.get("timezone"), calendar=calendar, bell_schedules=bell_schedules, classes=classes,
                     teachers=teachers, subjects=subjects, rooms=rooms, chats=chats, versions=versions, lessons=lessons,
                     responsible=responsible, channel_policy=ChannelPolicy(allowed_domains=allowed))

    row_tables = {"classes", "teachers", "subjects", "rooms", "versions", "lessons", "chats", "responsible"}

    def locate(p: Problem) -> Location:
        if p.collection in row_tables:
            # element index → CSV row: skip blank lines the same way the reader did
            data_rows = [n for n, _ in rows[p.collection]]
            row_no = data_rows[p.index] if p.index < len(data_rows) else None
            return Location(file=rows[p.collection].file, row=row_no, field=p.field)
        return Location(file=source, element=f"{p.collection}[{p.index}]", field=p.field)

    raise_first_problem(school, locate)
    return school, check_school(school, source)


# ------------------------------------------------------------------ school → frames

def _j(items: Iterable[str]) -> str:
    return ";".join(items)


def _d(v: date | None) -> str:
    return v.isoformat() if v else ""


def _t(v: time) -> str:
    return v.strftime("%H:%M")


def _b(v: bool) -> str:
    return "1" if v else "0"


def frames_from_school(school: School) -> Frames:
    cal = school.calendar
    data: dict[str, list[dict[str, str]]] = {
        "school": [{"id": school.id, "name": school.name, "kind": school.kind.value, "timezone": school.timezone,
                    "year_start": _d(cal.year_start), "year_end": _d(cal.year_end),
                    "a_week_monday": _d(cal.a_week_monday)}],
        "holidays": [{"start": _d(h.start), "end": _d(h.end), "name": h.name, "kind": h.kind}
                     for h in cal.holidays],
        "transferred_days": [{"date": _d(t.date), "as_weekday": str(t.as_weekday), "name": t.name}
                             for t in cal.transferred_days],
        "bells": [{"schedule_id": b.id, "name": b.name, "valid_from": _d(v.valid_from), "valid_to": _d(v.valid_to),
                   "period": str(p.number), "start": _t(p.start), "end": _t(p.end)}
                  for b in school.bell_schedules for v in b.variants for p in v.periods],
        "classes": [{"id": c.id, "name": c.name, "grade": "" if c.grade is None else str(c.grade),
                     "course": "" if c.course is None else str(c.course), "age_min": str(c.age_min),
                     "age_max": str(c.age_max), "students": str(c.students), "shift": str(c.shift),
                     "week_days": str(c.week_days), "bell_schedule": c.bell_schedule, "ovz": _b(c.ovz),
                     **{d: str(getattr(c.devices, d)) for d in ("pc", "laptop", "tablet", "phone", "none",
                                                                "refusals")},
                     **{f: _b(getattr(c.readiness, f)) for f in ("chats_exist", "members_joined", "devices_confirmed",
                                                                 "test_call_done")}, "curator": c.curator or ""}
                    for c in school.classes],
        "groups": [{"id": g.id, "class_id": c.id, "name": g.name, "students": str(g.students), "division": g.division}
                   for c in school.classes for g in c.groups],
        "teachers": [{"id": t.id, "name": t.name, "subjects": _j(t.subjects),
                      "unavailable": _j(f"{u.day}" if u.period is None else f"{u.day}:{u.period}"
                                        for u in t.unavailable), "contact": t.contact,
                      "max_chat_id": t.max_chat_id or ""} for t in school.teachers],
        "subjects": [{"id": s.id, "name": s.name, "norm_key": s.norm_key or "", "activity": s.activity.value}
                     for s in school.subjects],
        "rooms": [{"id": r.id, "name": r.name} for r in school.rooms],
        "chats": [{"class_id": ch.class_id or "", "subject_id": ch.subject_id or "", "invite_link": ch.invite_link,
                   "chat_id": ch.chat_id or "", "kind": ch.kind.value if ch.kind else "", "group_id": ch.group_id or "",
                   "admin": ch.admin or ""} for ch in school.chats],
        "responsible": [{"role": r.role.value, "name": r.name, "contact": r.contact, "teacher_id": r.teacher_id or ""}
                        for r in school.responsible],
        "allowed_domains": [{"domain": d.domain, "allowed_by": d.allowed_by, "reason": d.reason, "at": _d(d.at)}
                            for d in school.channel_policy.allowed_domains],
        "versions": [{"id": v.id, "name": v.name, "valid_from": _d(v.valid_from), "valid_to": _d(v.valid_to),
                      "classes": _j(v.classes)} for v in school.versions],
        "lessons": [{"id": le.id, "version": le.version, "classes": _j(le.classes), "groups": _j(le.groups),
                     "teachers": _j(le.teachers), "rooms": _j(le.rooms), "subject": le.subject, "day": str(le.day),
                     "period": str(le.period), "duration": str(le.duration), "weeks": le.weeks.value}
                    for le in school.lessons],
    }
    return {t.name: pd.DataFrame(data[t.name], columns=list(t.columns), dtype=str) for t in TABLES
            if data[t.name] or t.name not in _WRITTEN_WHEN_FILLED}


# Tables added with the chat registry and roles: written only when the school has rows for them.
_WRITTEN_WHEN_FILLED = ("responsible", "allowed_domains")


def write_csv_folder(school: School, folder: Path) -> None:
    """Write every table atomically (each file replaced whole, never half-written)."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = frames_from_school(school)
    for name, df in frames.items():
        atomic_write_bytes(folder / TABLES_BY_NAME[name].file_name, csv_frame(df).to_csv(index=False, lineterminator="\n").encode())
    for name in _WRITTEN_WHEN_FILLED:  # emptied since the last write: no stale rows come back on the next read
        if name not in frames:
            (folder / TABLES_BY_NAME[name].file_name).unlink(missing_ok=True)


_XLSX_STAMP = (2026, 9, 1, 0, 0, 0)  # fixed times inside the workbook: the same school gives the same bytes


def write_xlsx(school: School, path: Path) -> None:
    """Write the school's workbook atomically and reproducibly (fixed document and zip-entry timestamps)."""
    frames = frames_from_school(school)
    write_xlsx_frames(path, {t.name: frames[t.name] for t in TABLES if t.name in frames})


def write_xlsx_frames(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """Sheets in the given order, written atomically and reproducibly."""
    with atomic_file(path, suffix=".tmp.xlsx") as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, frame in sheets.items():
                frame.to_excel(xw, sheet_name=name, index=False)
            text_workbook(xw.book)  # text from data stays text (planner.cells)
        _normalise_zip(tmp)


def _normalise_zip(path: Path) -> None:
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":  # openpyxl stamps the save time here
                stamp = datetime(*_XLSX_STAMP).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>",
                              data)
            info = zipfile.ZipInfo(name, date_time=_XLSX_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)



