"""The importers' one skeleton for errors and warnings: the file being read (`ImportContext`) and the school's
integrity problems turned into one error naming where the source holds the bad value (`raise_first_problem`).
The CSV/XLSX, aSc and FET importers share both; each importer only says how a problem maps to its own rows or
elements."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner.errors import InputError, Location
from planner.school.integrity import ImportWarning, Problem, find_problems
from planner.school.model import School


class ImportContext:
    """One source file being read: builds errors that name it and collects the warnings for the import report."""

    def __init__(self, file: str | Path):
        self.file = str(file)
        self.warnings: list[ImportWarning] = []

    def error(self, en: str, ru: str, element: str = "", field: str = "", row: int | None = None) -> InputError:
        return InputError(en, ru, Location(file=self.file, row=row, element=element, field=field))

    def warn(self, collection: str, index: int | None, field: str, en: str, ru: str) -> None:
        self.warnings.append(ImportWarning(collection, index, field, en, ru))


def problem_error(problems: list[Problem], location: Location) -> InputError:
    """The first integrity problem as an error at `location`, saying how many more there are."""
    p = problems[0]
    more_en = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    more_ru = f" (и ещё проблем: {len(problems) - 1})" if len(problems) > 1 else ""
    return InputError(p.message_en + more_en, p.message_ru + more_ru, location)


def raise_first_problem(school: School, locate: Callable[[Problem], Location]) -> None:
    """Raise the school's first integrity problem (clashes, unknown references, duplicates) as one `InputError`
    at the place `locate` finds for it in the source; nothing when the school is consistent."""
    problems = find_problems(school)
    if problems:
        raise problem_error(problems, locate(problems[0]))


__all__ = ["ImportContext", "problem_error", "raise_first_problem"]
