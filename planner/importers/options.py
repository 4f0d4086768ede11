"""What a person gives with a SOURCE, as typed: the CLI's source options and the «Школа» page's fields are the same
`SourceOptions` (texts and file paths, not yet read). `load_school(source, SourceOptions(...))` reads them through
planner.importers.hints into the importer's `ImportOptions`; neither face parses a hint itself.

An unreadable text names where it was typed: the CLI's option (`--bells`) by default, the page's field when the
page says so (`HintLabels`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from planner.importers import hints

if TYPE_CHECKING:
    from planner.importers import ImportOptions

YearsAsClasses = Literal["auto", "yes", "no"]


@dataclass(frozen=True)
class HintLabels:
    """Where each typed text came from, as error messages name it."""

    bells: str = "--bells"
    grades: str = "--grades"
    pupils: str = "--pupils"


@dataclass(frozen=True)
class SourceOptions:
    """The options of a SOURCE without a calendar or time zone (aSc, FET) and what a school adds to any file: texts
    as typed ("08:30-09:15,09:25-10:10", "101=10,201=2к", "7А=25,*=25") and CSV files the school keeps. A text and a
    file of the same kind merge, the text winning per class; bells come from the text, else from the file."""

    timezone: str = "Europe/Moscow"
    year_start: date | None = None
    year_end: date | None = None
    a_week: date | None = None  # a Monday of week A (числитель)
    bell_minutes: int | None = None
    bells: str = ""
    bells_file: Path | None = None
    grades: str = ""
    grades_file: Path | None = None
    pupils: str = ""
    pupils_file: Path | None = None
    subject_keys_file: Path | None = None
    fet_years_as_classes: YearsAsClasses = "auto"
    labels: HintLabels = field(default_factory=HintLabels)

    def resolve(self) -> ImportOptions:
        """The importer's values; an unreadable text or file is an InputError naming it, row and field."""
        from planner.importers import ImportOptions

        bells = (hints.parse_bells(self.bells, self.labels.bells) if self.bells.strip()
                 else hints.read_bells_csv(Path(self.bells_file)) if self.bells_file else None)
        grades = {**(hints.read_grades_csv(Path(self.grades_file)) if self.grades_file else {}),
                  **(hints.parse_grades(self.grades, self.labels.grades) if self.grades.strip() else {})}
        pupils = {**(hints.read_pupils_csv(Path(self.pupils_file)) if self.pupils_file else {}),
                  **(hints.parse_pupils(self.pupils, self.labels.pupils) if self.pupils.strip() else {})}
        subject_keys = hints.read_subject_map(Path(self.subject_keys_file)) if self.subject_keys_file else {}
        return ImportOptions(
            timezone=self.timezone or "Europe/Moscow", year_start=self.year_start, year_end=self.year_end,
            a_week_monday=self.a_week, bell_minutes=self.bell_minutes, bells=bells, grades=grades, pupils=pupils,
            subject_keys=subject_keys, years_as_classes={"yes": True, "no": False}.get(self.fet_years_as_classes))


__all__ = ["HintLabels", "SourceOptions", "YearsAsClasses"]
