"""What is checked before a plan is published on any channel: it is this school's plan, its lesson links are safe,
and live lessons without a call link are named (refused unless allowed)."""

from __future__ import annotations

from planner.errors import InputError
from planner.plan.model import Mode, Occurrence, Plan
from planner.plan.ownership import require_plan_for_school
from planner.school.model import School
from planner.text import plural


def check_plan(school: School, plan: Plan) -> None:
    """Refuse a plan made for another school (or another version of this one)."""
    require_plan_for_school(plan, school)


def check_links(plan: Plan) -> None:
    """Refuse a plan whose lesson links are not safe to publish (planner.school.links), before anything is
    recorded."""
    from planner.school.links import link_problem

    for o in plan.occurrences:
        problem = link_problem(o.link) if o.link else None
        if problem:
            raise InputError(f"lesson {o.key}#{o.part}: link {o.link!r}: {problem}",
                             f"урок {o.key}#{o.part}: недопустимая ссылка {o.link!r} — нужна ссылка https:// без "
                             "пробелов и переводов строки")


def live_without_link(plan: Plan) -> list[Occurrence]:
    """Live lessons that have no call link (not published silently: see `planner publish`)."""
    return [o for o in plan.occurrences if o.mode == Mode.LIVE and not (o.link or "").strip()]


class MissingLinks(InputError):
    """Live lessons without a call link; the publication is refused unless allowed."""

    def __init__(self, occurrences: list[Occurrence]):
        self.occurrences = occurrences
        keys = ", ".join(f"{o.key}#{o.part}" for o in occurrences[:10]) + (" …" if len(occurrences) > 10 else "")
        super().__init__(f"{len(occurrences)} live lesson(s) have no call link: {keys}",
                         f"у {plural(len(occurrences), 'онлайн-урока', 'онлайн-уроков', 'онлайн-уроков')} нет ссылки "
                         f"на звонок — {keys}")
