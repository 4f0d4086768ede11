"""Which school a plan belongs to, and reading a plan file: the one place that compares a plan with a school."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from planner.errors import InputError, Location
from planner.plan.model import Plan


class _SchoolLike(Protocol):
    @property
    def id(self) -> str: ...

    def fingerprint(self) -> str: ...


class PlanForAnotherSchool(InputError):
    """The plan was made for another school, or for another version of this school's data."""

    def __init__(self, plan: Plan, school: _SchoolLike, what_en: str = "the plan", what_ru: str = "план"):
        self.plan_school_id = plan.school_id
        super().__init__(
            f"{what_en} '{plan.scenario.name}' was made for another school or an older version of it (plan: "
            f"'{plan.school_id}' {plan.school_fingerprint[:12]}, school: '{school.id}' {school.fingerprint()[:12]}); "
            "rebuild it",
            f"{what_ru} «{plan.scenario.name}» составлен для другой школы или другой версии её данных (школа плана "
            f"«{plan.school_id}»); перестройте план")


def plan_belongs_to(plan: Plan, school: _SchoolLike) -> bool:
    """True when the plan was made for exactly this school's data (same id and content fingerprint)."""
    return plan.school_id == school.id and plan.school_fingerprint == school.fingerprint()


def require_plan_for_school(plan: Plan, school: _SchoolLike, what_en: str = "the plan",
                            what_ru: str = "план") -> None:
    """Refuse (PlanForAnotherSchool) a plan made for another school or another version of this one."""
    if not plan_belongs_to(plan, school):
        raise PlanForAnotherSchool(plan, school, what_en, what_ru)


def read_plan_file(path: str | Path) -> Plan:
    """A plan JSON file, or an InputError naming the file and the element of the first problem."""
    try:
        return Plan.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the plan: {exc.strerror or exc}", f"не удаётся прочитать план: "
                         f"{exc.strerror or exc}", Location(file=str(path))) from None
    except ValueError as exc:
        errors: list[dict[str, Any]] = list(getattr(exc, "errors", lambda: [{}])())
        first = errors[0] if errors else {}
        msg = first.get("msg", str(exc))
        raise InputError(f"not a valid plan: {msg}", f"файл не является корректным планом: {msg}",
                         Location(file=str(path), element=".".join(str(x) for x in first.get("loc", ())))) from None
