"""The pre-checks read the norms themselves when the caller does not hand them the norms per date."""

import pytest
from conftest import SAMPLE_SCENARIO

from planner.rebuild.prechecks import PrecheckError, run_prechecks
from planner.scenario import scenario_from_toml
from planner.school.calendar import dates_between


def _teacher_in_two_classes_at_once(school, weekday):
    """The school with one lesson on this weekday copied to another class of the same timetable version, in the
    same slot with the same teacher."""
    le = next(le for le in school.lessons if le.teachers and le.day == weekday)
    other = next(c.id for c in school.classes if c.id not in le.classes
                 and any(x.version == le.version and c.id in x.classes for x in school.lessons))
    dup = le.model_copy(update={"id": f"{le.id}-dup", "classes": [other], "groups": []})
    return school.model_copy(update={"lessons": [*school.lessons, dup]}), le.teachers[0]


def test_prechecks_without_the_norms_per_date_ask_the_library(sample_school, norm_library):
    """mypy (issue 10): the teacher-overlap pass indexed `norms_by_day` even when it was None (its default), so a
    call without it raised TypeError instead of the pre-check's own error."""
    scenario = scenario_from_toml(SAMPLE_SCENARIO)
    school, teacher = _teacher_in_two_classes_at_once(sample_school, scenario.start.isoweekday())
    online = scenario.online.resolve(school)
    given = {d: norm_library.in_force(d) for d in dates_between(scenario.start, scenario.end)}
    with pytest.raises(PrecheckError) as handed:
        run_prechecks(school, scenario, norm_library, online, norms_by_day=given)
    with pytest.raises(PrecheckError) as looked_up:
        run_prechecks(school, scenario, norm_library, online)
    assert any(f"teacher {teacher}" in p for p in handed.value.problems_en), handed.value.problems_en
    assert looked_up.value.problems_en == handed.value.problems_en
