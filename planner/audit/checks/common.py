"""Small helpers shared by the norm checks: find the applicable norm row for a class day."""

from __future__ import annotations

from typing import Any

from planner.audit.views import ClassDay
from planner.norms import Norm, Row

WEEKDAY_RU = {1: "понедельник", 2: "вторник", 3: "среда", 4: "четверг", 5: "пятница", 6: "суббота", 7: "воскресенье"}
WEEKDAY_EN = {1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday", 6: "Saturday", 7: "Sunday"}


def applicable(cd: ClassDay, key: str, **extra_query: Any) -> tuple[Norm, Row] | None:
    """The norm in force on the class day, if it applies to this kind of institution, and its matching row
    (remembered per query in the norms in force: the same class day asks the same questions many times)."""
    klass = cd.klass
    try:
        memo: tuple[Any, ...] | None = (key, klass.is_college, cd.day_type, klass.norm_grade, cd.date.month, klass.ovz,
                              klass.week_days, tuple(sorted(extra_query.items())))
        hash(memo)
    except TypeError:
        memo = None
    if memo is not None and memo in cd.norms.lookups:
        known: tuple[Norm, Row] | None = cd.norms.lookups[memo]
        return known
    found = _applicable(cd, key, **extra_query)
    if memo is not None:
        cd.norms.lookups[memo] = found
    return found


def _applicable(cd: ClassDay, key: str, **extra_query: Any) -> tuple[Norm, Row] | None:
    norm = cd.norms.get(key)
    if norm is None:
        return None
    kind = "college" if cd.klass.is_college else "school"
    if not norm.applies_to_institution(kind) or cd.day_type not in norm.applies_to:
        return None
    row = norm.row(**{**cd.norm_query(), **extra_query})
    if row is None:
        return None
    return norm, row


def where(cd: ClassDay, **more: Any) -> dict[str, Any]:
    """Where a finding of one class day happened; on an online day it names the pupil cell (its groups)."""
    return {"class_id": cd.klass.id, "weekday": cd.weekday, "dates": (cd.date,), "groups": cd.cell, **more}
