"""One error protocol (issue 10): every planner error has Russian and English text, a location and an exit code;
unknown ids are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import InputError, Location, PlannerError, StaleSaveError, UnknownIdError
from planner.importers import load_school
from planner.publish.feeds.caldav import CalDAVError
from planner.publish.chat.max_api import MaxApiError
from planner.rebuild.prechecks import PrecheckError


@pytest.mark.parametrize("err, code", [
    (InputError("bad", "плохо", Location(file="a.csv", row=3, field="grade")), 2),
    (StaleSaveError("school", "s1", 1, 2), 2),
    (PrecheckError(["no norm set"], ["нет норм"]), 3),
    (MaxApiError("HTTP 503", status=503), 2),
    (CalDAVError("unreachable"), 4),
])
def test_every_error_speaks_both_languages_with_an_exit_code(err, code):
    assert isinstance(err, PlannerError)
    assert err.exit_code == code
    assert err.text("en") and err.text("ru")
    assert err.text("ru") != err.text("en") or isinstance(err, CalDAVError)


def test_location_is_part_of_the_text():
    err = InputError("not a number", "не число", Location(file="classes.csv", row=4, field="pupils"))
    assert err.text("en") == "classes.csv, row 4, field 'pupils': not a number"
    assert err.text("ru") == "classes.csv, строка 4, поле 'pupils': не число"


def test_precheck_details_are_listed_under_a_title():
    err = PrecheckError(["a", "b"], ["а", "б"])
    assert err.title("en") == "pre-checks failed" and err.details("en") == ["a", "b"]
    assert err.details("ru") == ["а", "б"]


def test_unknown_ids_are_named_not_stop_iteration():
    school = load_school(Path(__file__).resolve().parents[1] / "sample_data" / "school-17").school
    for lookup in (school.class_by_id, school.teacher_by_id, school.subject_by_id, school.bells_by_id):
        with pytest.raises(UnknownIdError) as info:
            lookup("нет-такого")
        assert "нет-такого" in info.value.text("en") and "нет-такого" in info.value.text("ru")
        assert isinstance(info.value, LookupError)
