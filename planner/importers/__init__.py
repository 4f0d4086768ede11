"""Importers: turn what a school has (a CSV folder, an XLSX workbook, a school JSON) into the school model.

`load_school(path)` detects the format from the content, not only the extension.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from planner.errors import InputError, Location, input_error_from_validation
from planner.importers.tabular import read_csv_folder, read_xlsx, school_from_frames
from planner.school.integrity import ImportWarning, check_school
from planner.school.model import School

MAX_SOURCE_BYTES = 50 * 1024 * 1024


@dataclass
class Loaded:
    school: School
    warnings: list[ImportWarning] = field(default_factory=list)
    source: str = ""


def load_school(path: str | Path) -> Loaded:
    """Load a school from a CSV folder, an XLSX workbook or a school JSON file."""
    p = Path(path)
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
    size = p.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise InputError(f"the file is larger than the {MAX_SOURCE_BYTES // (1024 * 1024)} MiB limit",
                         f"файл больше допустимых {MAX_SOURCE_BYTES // (1024 * 1024)} МиБ", Location(file=str(p)))
    if size == 0:
        raise InputError("the file is empty", "файл пуст", Location(file=str(p)))
    with open(p, "rb") as fh:
        head = fh.read(512)
    if zipfile.is_zipfile(p):
        frames, where = read_xlsx(p)
        school, warnings = school_from_frames(frames, where, str(p))
        return Loaded(school, warnings, str(p))
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _load_json(p)
    raise InputError("unrecognised format: expected a CSV folder, an XLSX workbook or a school JSON file",
                     "формат не распознан: ожидается папка CSV, книга XLSX или файл школы JSON", Location(file=str(p)))


def _load_json(p: Path) -> Loaded:
    text = p.read_text(encoding="utf-8-sig")
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


__all__ = ["Loaded", "load_school"]
