"""The school's own settings as the page edits them (name, time zone, school year) and what an import did not
find in its file. Pure functions over the School model; the page saves the result with the record's version."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from planner.errors import InputError, Location, input_error_from_validation
from planner.school.calendar import first_school_monday
from planner.school.integrity import ImportWarning
from planner.school.model import School

# Russia's time zones, west to east (the page offers these; any IANA name is accepted in the settings)
TIMEZONES_RU = {"Europe/Kaliningrad": "Калининград (МСК−1)", "Europe/Moscow": "Москва (МСК)",
                "Europe/Samara": "Самара (МСК+1)", "Asia/Yekaterinburg": "Екатеринбург (МСК+2)",
                "Asia/Omsk": "Омск (МСК+3)", "Asia/Novosibirsk": "Новосибирск (МСК+4)",
                "Asia/Krasnoyarsk": "Красноярск (МСК+4)", "Asia/Irkutsk": "Иркутск (МСК+5)",
                "Asia/Yakutsk": "Якутск (МСК+6)", "Asia/Vladivostok": "Владивосток (МСК+7)",
                "Asia/Magadan": "Магадан (МСК+8)", "Asia/Kamchatka": "Петропавловск-Камчатский (МСК+9)"}

# formats whose files carry no time zone (the importer assumed one)
NO_TIMEZONE_FORMATS = {"asc", "fet"}
SETTING_LABELS = {"name": "название", "timezone": "часовой пояс", "year": "учебный год"}


def missing_settings(fmt: str, warnings: list[ImportWarning] | list[dict[str, Any]]) -> list[str]:
    """Which of name / timezone / year the imported file did not hold (the importer put a default there)."""
    def field(w: ImportWarning | dict[str, Any], k: str) -> Any:
        return w[k] if isinstance(w, dict) else getattr(w, k)

    out = []
    if any(field(w, "collection") == "school" and field(w, "field") == "name" for w in warnings):
        out.append("name")
    if fmt in NO_TIMEZONE_FORMATS:
        out.append("timezone")
    if any(field(w, "collection") == "calendar" and field(w, "field") in ("year_start", "year_end")
           for w in warnings):
        out.append("year")
    return out


def apply_school_settings(school: School, *, name: str, timezone: str, year_start: date,
                          year_end: date) -> School:
    """The school with a new name, time zone and school year; the timetable versions that spanned the old year
    span the new one, and an A/B anchor that was the old first school week moves to the new one.
    A bad value raises InputError naming the field, in Russian."""
    name = (name or "").strip()
    if not name:
        raise InputError("the name is empty", "название не заполнено", Location(file="настройки", field="Название"))
    if year_end <= year_start:
        raise InputError("the school year ends before it starts",
                         f"учебный год заканчивается ({year_end:%d.%m.%Y}) не позже начала ({year_start:%d.%m.%Y})",
                         Location(file="настройки", field="Учебный год"))
    raw = school.model_dump(mode="json")
    cal = school.calendar
    raw["name"], raw["timezone"] = name, timezone.strip()
    raw["calendar"]["year_start"], raw["calendar"]["year_end"] = year_start.isoformat(), year_end.isoformat()
    if cal.a_week_monday is not None and cal.a_week_monday == first_school_monday(cal.year_start):
        raw["calendar"]["a_week_monday"] = first_school_monday(year_start).isoformat()
    for v in raw.get("versions", []):
        if v["valid_from"] == cal.year_start.isoformat():
            v["valid_from"] = year_start.isoformat()
        if v["valid_to"] == cal.year_end.isoformat():
            v["valid_to"] = year_end.isoformat()
    try:
        return School.model_validate(raw)
    except ValidationError as err:
        e = input_error_from_validation(err, "настройки")
        if any("timezone" in str(x.get("loc")) for x in err.errors()):
            raise InputError("unknown time zone", f"неизвестный часовой пояс «{timezone}» — выберите из списка или "
                             "укажите имя IANA, например Asia/Yekaterinburg",
                             Location(file="настройки", field="Часовой пояс")) from None
        raise e from None
