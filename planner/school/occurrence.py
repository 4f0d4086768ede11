"""The occurrence key: one regular lesson of one class or group on one date.

The rebuild, feeds, diffs and the e-journal hand-off all name a lesson occurrence by this key; a lesson moved
by a rebuild keeps the key of the regular slot it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from planner.errors import InputError

if TYPE_CHECKING:
    from planner.school.model import Lesson, StudentClass

_Date = date  # the field `date` below hides the type's name inside the class

_SEP = "|"


@dataclass(frozen=True, order=True)
class OccurrenceKey:
    date: date
    student_set: str  # a class id or a group id
    lesson_id: str  # the regular lesson (card) the occurrence comes from

    def __str__(self) -> str:
        return f"{self.date.isoformat()}{_SEP}{self.student_set}{_SEP}{self.lesson_id}"

    @classmethod
    def of(cls, day: _Date, klass: StudentClass, lesson: Lesson) -> "OccurrenceKey":
        """The key of a lesson for one class on a date: the student set is the lesson's one group of this class,
        else the class itself."""
        own = klass.own_groups(lesson.groups)
        return cls(day, own[0] if len(own) == 1 else klass.id, lesson.id)

    @classmethod
    def parse(cls, text: str) -> "OccurrenceKey":
        parts = text.split(_SEP)
        if len(parts) != 3 or not all(parts):
            raise InputError(f"'{text}' is not an occurrence key (DATE|CLASS|LESSON)",
                             f"«{text}» не является ключом занятия (ДАТА|КЛАСС|УРОК)")
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            raise InputError(f"'{parts[0]}' in occurrence key '{text}' is not a date",
                             f"«{parts[0]}» в ключе занятия «{text}» не является датой") from None
        return cls(day, parts[1], parts[2])
