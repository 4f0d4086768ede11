"""What the «Школа» page does with uploaded files: which files are read together (the CSV tables of one school)
and which alone (every other file), and error texts without the server's temporary paths. No Streamlit here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.errors import InputError
from planner.importers import HintLabels, Loaded, SourceOptions, detect_format, load_school
from planner.school.model import School
from planner.ui.settings import missing_settings
from planner.text import plural


PAGE_HINT_LABELS = HintLabels(bells="Звонки", grades="Классы", pupils="Число учеников")


def page_source_options(bells: str = "", grades: str = "", pupils: str = "") -> SourceOptions:
    """What the page's fields add to an aSc/FET file, as typed; `load_school` reads them (errors name the field)."""
    return SourceOptions(bells=bells, grades=grades, pupils=pupils, labels=PAGE_HINT_LABELS)


def upload_groups(names: list[str]) -> list[list[str]]:
    """The uploaded file names as the imports they make: all CSV files together (one school's tables), every
    other file on its own, in upload order."""
    csvs = [n for n in names if n.lower().endswith(".csv")]
    groups: list[list[str]] = []
    for n in names:
        if n.lower().endswith(".csv"):
            if csvs and groups.count(csvs) == 0:
                groups.append(csvs)
        else:
            groups.append([n])
    return groups


def read_group(folder: Path, names: list[str], shown_as: str, options: SourceOptions | None = None) -> dict[str, Any]:
    """Read one import out of `folder` (the uploads written there): a result the page keeps in its state —
    {"label", "school", "warnings", "missing", "format"} or {"label", "error"} (Russian, no server path)."""
    target = folder if names[0].lower().endswith(".csv") else folder / names[0]
    label = ", ".join(names)
    if names[0].lower().endswith(".csv") and "school.csv" not in {n.lower() for n in names}:
        return {"label": label, "error": f"{label}: среди файлов CSV нет school.csv — загрузите все таблицы школы "
                                         "вместе (school.csv, classes.csv, …) или книгу XLSX"}
    try:
        fmt = detect_format(target)
        loaded = load_school(target, options)
    except InputError as err:
        return {"label": label, "error": clean_paths(err.text("ru"), folder, shown_as)}
    except Exception as err:  # noqa: BLE001 - a file we could not read at all is refused, never half-read
        return {"label": label, "error": f"{label}: файл не прочитан ({type(err).__name__})"}
    return result(loaded, fmt, label)


def result(loaded: Loaded, fmt: str, label: str) -> dict[str, Any]:
    return {"label": label, "school": loaded.school.model_dump(mode="json"), "format": fmt,
            "warnings": [{"collection": w.collection, "index": w.index, "field": w.field, "message_ru": w.message_ru}
                         for w in loaded.warnings],
            "missing": missing_settings(fmt, loaded.warnings)}


def clean_paths(text: str, folder: Path, shown_as: str = "") -> str:
    """An error text with the temporary folder of the uploads removed (the file's own name stays)."""
    for p in {str(folder), str(Path(folder).resolve())}:
        text = text.replace(p + "/", "").replace(p, shown_as)
    return text


def summary(school: School) -> str:
    return (f"{school.name}: {plural(len(school.classes), 'класс', 'класса', 'классов')}, "
            f"{plural(len(school.teachers), 'учитель', 'учителя', 'учителей')}, "
            f"{plural(len(school.lessons), 'урок', 'урока', 'уроков')} в неделю расписания")


def warnings_rows(warnings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The import remarks as the page's table: where (Russian) and what."""
    where_ru = {"school": "школа", "calendar": "календарь", "classes": "классы", "teachers": "учителя",
                "subjects": "предметы", "lessons": "уроки", "classrooms": "кабинеты", "rooms": "кабинеты",
                "groups": "группы", "timetable": "расписание", "bells": "звонки", "cards": "уроки"}
    return [{"Где": where_ru.get(w["collection"], w["collection"]) + (f", № {w['index'] + 1}" if w["index"]
                                                                     is not None else ""),
             "Замечание": w["message_ru"]} for w in warnings]
