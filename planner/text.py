"""Russian text helpers shared by every layer (plan reasons, audit reports, feeds, messages, the page): one
implementation of agreement by number, so no text falls back to «урок(ами)»-style forms."""

from __future__ import annotations

from datetime import date


def plural_form(n: int, one: str, few: str, many: str) -> str:
    """The noun form agreeing with n: one for 1, 21, 101; few for 2–4, 22–24; many for 0, 5–20, 11–14, 25 …"""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural(n: int, one: str, few: str, many: str) -> str:
    """The number with its agreeing noun: «1 урок», «4 урока», «5 уроков», «21 дата»."""
    return f"{n} {plural_form(n, one, few, many)}"


# ---------------------------------------------------------------- school or college words

SCHOOL_WORDS = {"class": "класс", "class_gen": "класса", "classes": "Классы", "lessons": "уроки",
                "online_lessons": "Онлайн-уроки", "in_house": "В школе", "teachers_dat": "Учителям",
                "pupils": "ученики", "lesson": "урок", "lesson_gen": "урока", "online_gen_pl": "онлайн-уроков",
                "online_dat_pl": "онлайн-урокам", "online_prep": "в онлайн-уроке", "each_online": "к каждому онлайн-уроку",
                "teacher": "учитель", "teacher_dat": "учителю", "institution_gen": "школы",
                "curator_gen": "классного руководителя", "pupil_gen": "обучающегося", "pupils_gen": "обучающихся"}
COLLEGE_WORDS = {"class": "группа", "class_gen": "группы", "classes": "Группы", "lessons": "пары",
                 "online_lessons": "Онлайн-пары", "in_house": "В колледже", "teachers_dat": "Преподавателям",
                 "pupils": "студенты", "lesson": "пара", "lesson_gen": "пары", "online_gen_pl": "онлайн-пар",
                 "online_dat_pl": "онлайн-парам", "online_prep": "в онлайн-паре", "each_online": "к каждой онлайн-паре",
                 "teacher": "преподаватель", "teacher_dat": "преподавателю", "institution_gen": "колледжа",
                 "curator_gen": "куратора группы", "pupil_gen": "студента", "pupils_gen": "студентов"}


def institution_words(kind: str) -> dict[str, str]:
    """The words a text uses for its institution: a college speaks of группы, студенты, преподаватели, пары."""
    return COLLEGE_WORDS if str(kind) == "college" else SCHOOL_WORDS


# ---------------------------------------------------------------- time zones named by city

CITY_RU = {"Europe/Kaliningrad": "Калининград", "Europe/Moscow": "Москва", "Europe/Samara": "Самара",
           "Asia/Yekaterinburg": "Екатеринбург", "Asia/Omsk": "Омск", "Asia/Novosibirsk": "Новосибирск",
           "Asia/Krasnoyarsk": "Красноярск", "Asia/Irkutsk": "Иркутск", "Asia/Yakutsk": "Якутск",
           "Asia/Vladivostok": "Владивосток", "Asia/Magadan": "Магадан", "Asia/Kamchatka": "Петропавловск-Камчатский"}


def timezone_ru(tz_name: str, on: date | None = None) -> str:
    """«Екатеринбург, МСК+2»: the zone's city and its offset from Moscow on the date `on` (default: today)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime.combine(on, datetime.min.time()) if on is not None else datetime.now()
    here, moscow = ZoneInfo(tz_name).utcoffset(moment), ZoneInfo("Europe/Moscow").utcoffset(moment)
    assert here is not None and moscow is not None  # a ZoneInfo knows the offset of every naive moment
    offset = here - moscow
    hours = int(offset.total_seconds() // 3600)
    msk = "МСК" if hours == 0 else f"МСК{hours:+d}".replace("-", "−")
    city = CITY_RU.get(tz_name, tz_name.split("/")[-1].replace("_", " "))
    return f"{city}, {msk}"


def hand_in_ru(deadline: date | None, fmt: str = "%d.%m.%Y") -> str:
    """The hand-in of asynchronous work in words: «сдать до 16.12.2026», or «сдавать не нужно» for work with
    nothing to hand in (no deadline: movement recommendations, a class hour)."""
    return "сдавать не нужно" if deadline is None else f"сдать до {deadline:{fmt}}"
