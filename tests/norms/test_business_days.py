"""Business hours follow working days: public non-working holidays (Labour Code art. 112) and transfer-decree days
off are closed; a transferred working Saturday is open; weekdays of school vacations stay open."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.errors import InputError
from planner.importers import load_school
from planner.norms import NormLibrary
from planner.publish.chat.hours import business_hours
from planner.school.calendar import is_holiday, is_public_day_off, is_working_day

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def school(sample_school):
    return sample_school


def _at(school, day: date, hh: int = 10):
    return datetime(day.year, day.month, day.day, hh, 0, tzinfo=ZoneInfo(school.timezone))


@pytest.mark.parametrize("day,is_open", [
    (date(2026, 11, 4), False),  # День народного единства (public, a Wednesday)
    (date(2027, 1, 5), False),  # New Year holidays (public, a Tuesday)
    (date(2026, 10, 27), True),  # autumn vacation, a Tuesday: staff work
    (date(2027, 1, 11), True),  # winter vacation after the public days, a Monday
    (date(2027, 3, 13), True),  # transferred working Saturday
    (date(2027, 3, 6), False),  # an ordinary Saturday
    (date(2026, 12, 1), True),  # an ordinary Tuesday
])
def test_business_hours_follow_working_days(school, day, is_open):
    hours = business_hours(NormLibrary.load(), school, _at(school, day))
    assert hours.is_open(_at(school, day)) is is_open
    assert is_working_day(school, day) is is_open
    assert not hours.is_open(_at(school, day, 21))  # after 20:00: closed on any day


def test_vacation_days_are_not_public_days_off(school):
    assert is_holiday(school, date(2026, 10, 27))
    assert not is_public_day_off(school, date(2026, 10, 27))
    assert is_holiday(school, date(2027, 1, 5))
    assert is_public_day_off(school, date(2027, 1, 5))


def test_a_message_queued_on_new_years_eve_waits_for_the_first_working_day(school):
    hours = business_hours(NormLibrary.load(), school, _at(school, date(2026, 12, 31), 21))
    opening = hours.next_opening(_at(school, date(2026, 12, 31), 21))
    assert opening.date() == date(2027, 1, 11)
    assert opening.hour == 8


def test_a_bad_holiday_kind_names_file_row_and_field(tmp_path):
    import shutil
    folder = tmp_path / "s"
    shutil.copytree(ROOT / "sample_data" / "school-17", folder)
    (folder / "school.xlsx").unlink()
    text = (folder / "holidays.csv").read_text(encoding="utf-8").replace(",public\n", ",выходной\n", 1)
    (folder / "holidays.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_school(folder)
    assert "holidays.csv" in str(err.value)
    assert "kind" in str(err.value)
    assert "row 3" in str(err.value)
