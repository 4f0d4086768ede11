"""Import a FET timetable (`.fet`, FET 5.x and 6.x, Official mode) into the school model.

FET (Free Timetabling Software) keeps the input — days, hours, subjects, teachers, students sets, activities and
constraints — in one XML file. The *solved* timetable comes either from FET's `<name>_activities.xml` (activity
Id → day, hour, room; written by `fet-cl` into its output folder) or from locked starting times inside the `.fet`
(`ConstraintActivityPreferredStartingTime` at 100 %, as in FET's `<name>_data_and_timetable.fet` or a file whose
timetable was locked). The mapping rules are in docs/import-fet.md.

Every problem is an `InputError` naming the file, the XML element and the field; everything the importer had to
assume (grades, weekday names, an A/B week start, activities without a place) is an `ImportWarning`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from xml.etree.ElementTree import Element

from pydantic import ValidationError

from planner.errors import InputError, Location, input_error_from_validation
from planner.school.calendar import default_school_year, first_school_monday
from planner.importers.context import ImportContext, raise_first_problem
from planner.importers.xmlsafe import load_xml
from planner.school.integrity import ImportWarning, Problem, find_warnings
from planner.school.model import (
    BellSchedule, BellVariant, IncompleteTimetable, Lesson, Period, Room, School, SchoolCalendar, StudentClass, SubGroup, Subject,
    Teacher, TimetableVersion, Unavailability, WeekMask,
)
from planner.importers.hints import (
    Level, age_band, grades_warning, guess_level, level_from_name, one_subject_warning,
)
from planner.school.subject_keys import guess_norm_key

MiB = 1024 * 1024
BELLS_ID = "fet"
VERSION_ID = "fet"
MAX_PERIODS = 16  # Period.number ≤ 16 in the model


@dataclass(frozen=True)
class FetStats:
    days: int  # FET days (12 for an A/B two-week cycle)
    hours: int
    subjects: int
    teachers: int
    years: int
    groups: int  # distinct group names
    subgroups: int  # distinct subgroup names
    activities: int  # Activity elements, inactive ones included
    placed: int  # lessons of the imported timetable


@dataclass
class FetImport:
    school: School
    warnings: list[ImportWarning] = field(default_factory=list)
    stats: FetStats | None = None
    source: str = ""


# ------------------------------------------------------------------ small helpers


def _read_xml(path: Path, max_bytes: int, root_tag: str, what_en: str, what_ru: str) -> Element:
    """The root element, read through the hardened XML reader the aSc importer uses (size checked before
    reading, strict decoding, no DTD, entities or external references), checked to be `root_tag`."""
    root = load_xml(path, max_bytes, forbid_dtd=True)
    if root.tag != root_tag:
        raise InputError(f"this is not {what_en}: the root element is <{root.tag}>, expected <{root_tag}>",
                         f"это не {what_ru}: корневой элемент <{root.tag}>, ожидается <{root_tag}>",
                         Location(file=str(path), element=str(root.tag)))
    return root


def _text(el: Element, tag: str) -> str | None:
    child = el.find(tag)
    if child is None:
        return None
    return (child.text or "").strip()


def _name(ctx: ImportContext, el: Element, element: str) -> str:
    name = _text(el, "Name")
    if not name:
        raise ctx.error("the name is missing or empty", "имя не указано", element, "Name")
    return name


def _int(ctx: ImportContext, el: Element, tag: str, element: str, *, default: int | None = None, minimum: int = 0) -> int:
    raw = _text(el, tag)
    if raw is None or raw == "":
        if default is not None:
            return default
        raise ctx.error("the value is missing", "значение не указано", element, tag)
    try:
        value = int(raw)
    except ValueError:
        raise ctx.error(f"'{raw}' is not a whole number", f"«{raw}» — не целое число", element, tag) from None
    if value < minimum:
        raise ctx.error(f"{value} is less than {minimum}", f"{value} меньше {minimum}", element, tag)
    return value


def _active(el: Element) -> bool:
    return (_text(el, "Active") or "true").lower() != "false"


def _hard(el: Element) -> bool:
    try:
        return float(_text(el, "Weight_Percentage") or "100") >= 100
    except ValueError:
        return False


_ID_BAD = re.compile(r"[;,\t\r\n]+")


class _Ids:
    """Stable ids from FET names: the name itself, cleaned of list separators, unique within its collection."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, name: str) -> str:
        base = _ID_BAD.sub("_", name).strip() or "_"
        ident, n = base, 2
        while ident in self.used:
            ident, n = f"{base}~{n}", n + 1
        self.used.add(ident)
        return ident


# ------------------------------------------------------------------ mode, days, hours

_MODE_NAMES = {"mornings_afternoons": ("Mornings-Afternoons", "«Утро-вечер» (Mornings-Afternoons)"),
               "block_planning": ("Block-planning", "«Блочное планирование» (Block-planning)"),
               "terms": ("Terms", "«Четверти/триместры» (Terms)")}
_FORK_SUFFIX = re.compile(r"-(bp|ma\d*|morocco\d*|algeria\d*|mathmake)\b", re.IGNORECASE)


def _check_mode(ctx: ImportContext, root: Element) -> None:
    mode = _text(root, "Mode")
    kind: str | None = None
    if mode is not None and mode != "Official":
        kind = mode.lower()
    else:
        suffix = _FORK_SUFFIX.search(root.get("version", ""))
        if suffix:
            s = suffix.group(1).lower()
            kind = "block_planning" if s == "bp" else "terms" if s == "mathmake" else "mornings_afternoons"
        elif root.find("Number_of_Terms") is not None:
            kind = "terms"
        else:
            for lst in ("Time_Constraints_List", "Space_Constraints_List"):
                for c in root.findall(f"{lst}/*"):
                    tag = str(c.tag)
                    if "Term" in tag:
                        kind = "terms"
                    elif "RealDay" in tag or "Morning" in tag or "Afternoon" in tag:
                        kind = "mornings_afternoons"
                    if kind:
                        break
                if kind:
                    break
    if kind is None:
        return
    en, ru = _MODE_NAMES.get(kind, (mode or kind, mode or kind))
    raise ctx.error(f"this file uses FET's {en} mode; only the Official mode (one week of days × hours) can be "
                    "imported — save a copy in the Official mode in FET (Settings → Mode) first",
                    f"файл в режиме FET {ru}; импортируется только официальный режим (Official: неделя из дней и "
                    "уроков) — сохраните копию в официальном режиме в FET (Настройки → Режим)",
                    "Mode" if mode is not None else "fet", "Mode" if mode is not None else "version")


_WEEKDAYS = {
    1: ("понедельник", "пн", "пон", "monday", "mon", "mo"), 2: ("вторник", "вт", "tuesday", "tue", "tues", "tu"),
    3: ("среда", "ср", "wednesday", "wed", "we"), 4: ("четверг", "чт", "thursday", "thu", "thur", "thurs", "th"),
    5: ("пятница", "пт", "friday", "fri", "fr"), 6: ("суббота", "сб", "saturday", "sat", "sa"),
    7: ("воскресенье", "вс", "sunday", "sun", "su"),
}
_WEEKDAY_OF = {n: d for d, names in _WEEKDAYS.items() for n in names}
_SEP = r"[\s\-–—_.:/]"
_PREFIX = re.compile(rf"^\s*([^\s\-–—_.:/]{{1,10}}){_SEP}+(.+?)\s*$")
_SUFFIX = re.compile(rf"^\s*(.+?){_SEP}+([^\s\-–—_.:/]{{1,10}})\s*$")


def _weekday(name: str) -> int | None:
    return _WEEKDAY_OF.get(name.casefold().replace("ё", "е").strip(" .").strip())


def _ab_cycle(names: list[str]) -> tuple[list[str], str, str] | None:
    """A two-week cycle written as 2×N days 'А-Понедельник' … 'В-Суббота' (or 'Mon A' …): (base names, mark A,
    mark B), or None."""
    n = len(names)
    if n not in (10, 12):
        return None
    half = n // 2
    for pattern, mark_at in ((_PREFIX, 1), (_SUFFIX, 2)):
        parts = [pattern.match(x) for x in names]
        if not all(parts):
            continue
        marks = [p.group(mark_at) for p in parts]  # type: ignore[union-attr]
        rests = [p.group(3 - mark_at).casefold() for p in parts]  # type: ignore[union-attr]
        if (len(set(marks[:half])) == 1 and len(set(marks[half:])) == 1 and marks[0] != marks[half]
                and rests[:half] == rests[half:] and len(set(rests[:half])) == half):
            return [p.group(3 - mark_at) for p in parts[:half]], marks[0], marks[half]  # type: ignore[union-attr]
    return None


@dataclass
class _Days:
    names: list[str]
    slot: dict[str, tuple[int, WeekMask]]  # FET day name -> (weekday 1..6, week)
    week_days: int
    ab: bool


def _read_names(ctx: ImportContext, root: Element, item: str, words: tuple[str, str, str, str, str]) -> list[str]:
    """The names of `<{item}s_List>/<{item}>` (Days or Hours): present, counted as declared, none twice.
    words: English singular and plural, Russian plural genitive, «ни одного …», singular."""
    en, en_pl, ru_pl, ru_none, ru_one = words
    lst_tag, count_tag = f"{item}s_List", f"Number_of_{item}s"
    lst = root.find(lst_tag)
    if lst is None:
        raise ctx.error(f"the list of {en_pl} is missing", f"нет списка {ru_pl}", lst_tag)
    names = [_name(ctx, e, f"{lst_tag}/{item}[{i + 1}]") for i, e in enumerate(lst.findall(item))]
    if not names:
        raise ctx.error(f"no {en_pl} are defined", f"не задано ни одного {ru_none}", lst_tag, item)
    declared = _int(ctx, lst, count_tag, lst_tag, default=len(names))
    if declared != len(names):
        raise ctx.error(f"{count_tag} says {declared}, the list has {len(names)} {en_pl}",
                        f"{count_tag} = {declared}, а в списке {len(names)} {ru_pl}", lst_tag, count_tag)
    if len(set(names)) != len(names):
        dup = next(x for x in names if names.count(x) > 1)
        raise ctx.error(f"{en} '{dup}' is listed twice", f"{ru_one} «{dup}» указан дважды", lst_tag, item)
    return names


def _read_days(ctx: ImportContext, root: Element) -> _Days:
    names = _read_names(ctx, root, "Day", ("day", "days", "дней", "дня", "день"))
    ab = _ab_cycle(names)
    base, weeks = (ab[0], [WeekMask.A] * (len(names) // 2) + [WeekMask.B] * (len(names) // 2)) if ab else \
        (names, [WeekMask.EVERY] * len(names))
    known = [_weekday(x) for x in base]
    if all(k is not None for k in known) and known == sorted(set(known)) and 7 not in known:  # type: ignore[type-var]
        weekdays: list[int] = known  # type: ignore[assignment]
    else:
        if len(base) > 6:
            raise ctx.error(f"the file has {len(names)} days; only a week of up to 6 school days or a two-week A/B "
                            "cycle written as 'А-Понедельник' … 'Б-Суббота' can be imported",
                            f"в файле {len(names)} дней; импортируется неделя до 6 учебных дней или двухнедельный "
                            "цикл А/Б с днями вида «А-Понедельник» … «Б-Суббота»", "Days_List", "Number_of_Days")
        weekdays = list(range(1, len(base) + 1))
        ctx.warn("days", None, "Name", f"day names {base} are not Monday…Saturday in order; the first day is taken "
                 "as Monday, the second as Tuesday, and so on", f"дни {base} — не понедельник…суббота по порядку; "
                 "первый день считается понедельником, второй — вторником и т. д.")
    slot = {name: (weekdays[i % len(base)], weeks[i]) for i, name in enumerate(names)}
    return _Days(names, slot, 6 if max(weekdays) == 6 else 5, ab is not None)


_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])\s*[:.hHчЧ]\s*([0-5]\d)(?!\d)")


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _read_hours(ctx: ImportContext, root: Element, bell_minutes: int | None,
                bells: tuple[tuple[time, time], ...] | None) -> tuple[list[str], list[Period]]:
    names = _read_names(ctx, root, "Hour", ("hour", "hours", "часов", "урока (часа)", "час"))
    if len(names) > MAX_PERIODS:
        raise ctx.error(f"{len(names)} hours per day; at most {MAX_PERIODS} lesson periods are supported",
                        f"{len(names)} уроков в день; поддерживается не больше {MAX_PERIODS}", "Hours_List",
                        "Number_of_Hours")
    if bell_minutes is not None and not 1 <= bell_minutes <= 300:
        raise InputError(f"bell_minutes {bell_minutes} is not between 1 and 300", f"bell_minutes {bell_minutes} — не от "
                         "1 до 300", Location(file=ctx.file, field="bell_minutes"))
    if bells is not None:
        if len(bells) != len(names):
            raise InputError(f"the bell schedule given has {len(bells)} periods, the file has {len(names)} hours a day "
                             f"({', '.join(names)}); give one START-END per hour",
                             f"в заданном расписании звонков {len(bells)} уроков, а в файле {len(names)} часов в день "
                             f"({', '.join(names)}); укажите НАЧАЛО-КОНЕЦ для каждого часа",
                             Location(file=ctx.file, element="Hours_List", field="bells"))
        return names, [Period(number=i + 1, start=a, end=b) for i, (a, b) in enumerate(bells)]
    periods: list[Period] = []
    prev_end: int | None = None
    pm = False
    shortened: list[str] = []
    for i, name in enumerate(names):
        element = f"Hours_List/Hour[{i + 1}]"
        times = [int(h) * 60 + int(mm) for h, mm in _TIME.findall(name)]
        if not times:
            example = ",".join(["08:30-09:15", "09:25-10:10", "10:30-11:15"][:len(names)]) + ("…" if len(names) > 3
                                                                                               else "")
            raise InputError(f"the hours of this file carry no times ('{name}'): give the bell schedule, one "
                             f"START-END per hour ({len(names)} hours), with --bells \"{example}\" or a bells CSV file "
                             "(--bells-file; on the page: «Звонки»). No times are invented",
                             f"в названиях часов этого файла нет времени («{name}»): задайте расписание звонков — "
                             f"НАЧАЛО-КОНЕЦ для каждого из {len(names)} часов — через --bells \"{example}\" или файл "
                             "CSV (--bells-file; на странице — «Звонки»). Время не придумывается",
                             Location(file=ctx.file, element=element, field="bells"))
        if len(times) < 2 and bell_minutes is None:
            raise InputError(f"the hour '{name}' carries only a start time: give the lesson length with "
                             f"--bell-minutes, or the whole bell schedule with --bells (one START-END per hour, "
                             f"{len(names)} hours)", f"в названии часа «{name}» только время начала: укажите "
                             f"длительность урока (--bell-minutes) или всё расписание звонков (--bells: НАЧАЛО-КОНЕЦ "
                             f"для каждого из {len(names)} часов)", Location(file=ctx.file, element=element,
                                                                              field="bells"))
        # a 12-hour clock ('12:55', '1:10', '12:10 - 01.00'): a time before the one it follows is p.m.
        if times and prev_end is not None and times[0] < prev_end and times[0] < 13 * 60 and times[0] + 720 >= prev_end:
            times[0] += 720
            pm = True
        if len(times) >= 2 and times[1] < times[0] and times[1] < 13 * 60 and times[1] + 720 > times[0]:
            times[1] += 720
            pm = True
        if len(times) >= 2:
            start, end = times[0], times[1]
        else:
            start = times[0]
            end = start + bell_minutes  # type: ignore[operator]
            following = _TIME.search(names[i + 1]) if i + 1 < len(names) else None
            if following:
                nxt = int(following.group(1)) * 60 + int(following.group(2))
                nxt += 720 if nxt < start and nxt + 720 > start else 0
                if start < nxt < end:
                    end = nxt
                    shortened.append(name)
        if end <= start or end > 24 * 60:
            raise InputError(f"hour '{name}' ends before it starts or after midnight: give the bell schedule with "
                             f"--bells (one START-END per hour, {len(names)} hours)", f"час «{name}» заканчивается "
                             f"раньше начала или после полуночи: задайте расписание звонков через --bells "
                             f"(НАЧАЛО-КОНЕЦ для каждого из {len(names)} часов)", Location(file=ctx.file,
                                                                                           element=element, field="Name"))
        if prev_end is not None and start < prev_end:
            raise ctx.error(f"hour '{name}' starts at {_clock(start):%H:%M}, before the previous hour ends "
                            f"({_clock(prev_end):%H:%M})", f"час «{name}» начинается в {_clock(start):%H:%M}, "
                            f"раньше конца предыдущего ({_clock(prev_end):%H:%M})", element, "Name")
        periods.append(Period(number=i + 1, start=_clock(start), end=_clock(end)))
        prev_end = end
    if pm:
        ctx.warn("hours", None, "Name", "hour names use a 12-hour clock; times earlier than the hour before were read "
                 "as p.m.", "в названиях часов 12-часовой формат; время раньше предыдущего часа прочитано как "
                 "время после полудня")
    if shortened:
        ctx.warn("hours", None, "Name", f"hours {shortened}: the lesson of bell_minutes would run into the next hour; "
                 "it ends when the next hour starts", f"часы {shortened}: урок длиной bell_minutes заходит на "
                 "следующий час; он заканчивается к началу следующего")
    return names, periods


# ------------------------------------------------------------------ students

def grade_from_name(name: str) -> int | None:
    """The school grade in a class name such as '7-Б', '7Б', '10', '1 А', '5а класс'; None when not recognised
    ('101', '12', 'ИСП-21' are never taken silently; see planner.importers.hints)."""
    level = level_from_name(name)
    return level.grade if level else None


@dataclass
class _Year:
    name: str
    element: str
    students: int
    class_id: str = ""
    groups: dict[str, frozenset[str]] = field(default_factory=dict)  # group name -> leaf names
    group_students: dict[str, int] = field(default_factory=dict)
    subgroups: dict[str, int] = field(default_factory=dict)  # subgroup name -> students
    categories: list[list[str]] = field(default_factory=list)
    separator: str = " "
    leaves: dict[str, int] = field(default_factory=dict)  # leaf name -> students, in file order
    year_of: str = ""  # a class made from a group of this FET year (see _split_years)
    # after the division decision: FET set name -> model group ids (empty = the whole class)
    refs: dict[str, list[str]] = field(default_factory=dict)


def _read_students(ctx: ImportContext, root: Element) -> list[_Year]:
    lst = root.find("Students_List")
    if lst is None:
        raise ctx.error("the list of students is missing", "нет списка учащихся", "Students_List")
    years: list[_Year] = []
    for yi, y in enumerate(lst.findall("Year")):
        ye = f"Students_List/Year[{yi + 1}]"
        year = _Year(_name(ctx, y, ye), ye, _int(ctx, y, "Number_of_Students", ye, default=0))
        year.separator = y.findtext("Separator") or " "
        for cat in y.findall("Category"):
            divisions = [(d.text or "").strip() for d in cat.findall("Division")]
            year.categories.append(divisions)
        for gi, g in enumerate(y.findall("Group")):
            ge = f"{ye}/Group[{gi + 1}]"
            gname = _name(ctx, g, ge)
            subs: list[str] = []
            for si, s in enumerate(g.findall("Subgroup")):
                se = f"{ge}/Subgroup[{si + 1}]"
                sname = _name(ctx, s, se)
                subs.append(sname)
                year.subgroups.setdefault(sname, _int(ctx, s, "Number_of_Students", se, default=0))
            leaves = frozenset(subs) if subs else frozenset([gname])
            if gname in year.groups and year.groups[gname] != leaves:
                raise ctx.error(f"group '{gname}' is listed twice in year '{year.name}' with different subgroups",
                                f"группа «{gname}» указана в году «{year.name}» дважды с разными подгруппами", ge, "Name")
            year.groups[gname] = leaves
            year.group_students.setdefault(gname, _int(ctx, g, "Number_of_Students", ge, default=0))
            for leaf in (subs or [gname]):
                year.leaves.setdefault(leaf, year.subgroups.get(leaf, year.group_students[gname]))
        years.append(year)
    names = [year.name for year in years]
    for i, year in enumerate(years):
        if names.index(year.name) != i:
            raise ctx.error(f"year '{year.name}' is listed twice", f"год (класс) «{year.name}» указан дважды",
                            year.element, "Name")
    year_names = set(names)
    for year in years:
        for n in list(year.groups) + list(year.subgroups):
            if n in year_names and n != year.name:
                raise ctx.error(f"'{n}' is the name of a year and of a group or subgroup",
                                f"«{n}» — имя и года (класса), и группы или подгруппы", year.element, "Name")
    return years


def _divisions(year: _Year, referenced: set[str]) -> tuple[list[list[str]], bool]:
    """Split the year's groups into divisions (pairwise disjoint groups covering the year, groups of different
    divisions always sharing pupils), as FET's categories do. Returns (divisions, exact); exact is False when the
    groups do not form such a pattern or activities name a subgroup that is no group."""
    all_leaves = frozenset(year.leaves)
    group_by_leaves = {v: k for k, v in year.groups.items()}
    for name in referenced:
        if name in year.subgroups and name not in year.groups and frozenset([name]) not in group_by_leaves:
            return [], False
    divisions: list[list[str]] = []
    for g, leaves in year.groups.items():
        if leaves == all_leaves and len(year.groups) > 1:
            continue  # a group holding the whole year is the year itself
        for div in divisions:
            if all(not (leaves & year.groups[other]) for other in div):
                div.append(g)
                break
        else:
            divisions.append([g])
    for div in divisions:
        if frozenset().union(*(year.groups[g] for g in div)) != all_leaves:
            return divisions, False
    for a in range(len(divisions)):
        for b in range(a + 1, len(divisions)):
            if any(not (year.groups[x] & year.groups[y]) for x in divisions[a] for y in divisions[b]):
                return divisions, False
    return divisions, True


def _division_label(year: _Year, div: list[str], index: int) -> str:
    for cat in year.categories:
        suffixes = {f"{year.name}{year.separator}{d}" for d in cat}
        if set(div) <= suffixes:
            return "/".join(cat)
    return f"div{index + 1}"


# ------------------------------------------------------------------ the import


@dataclass
class _Act:
    id: int
    element: str
    teachers: list[str]
    subject: str
    students: list[str]
    duration: int


def _split_years(ctx: ImportContext, root: Element, years: list[_Year], option: bool | None) -> tuple[list[_Year],
                                                                                                dict[str, list[str]]]:
    """FET years whose groups are the real classes (a year '2010-2011' or '5' holding groups 'Α', '5a', …) become
    one class per group. Auto-detected (option None) when the year has two or more pairwise disjoint groups covering
    it, none of 1–3 pupils (those are single pupils' choices, as in IB years), and no active activity names the year
    as a whole; True splits every year with disjoint groups, False none.
    Returns the years and, for each split year, the names of the classes that replace it."""
    if option is False:
        return years, {}
    whole: dict[str, int] = {}
    for a in root.findall("Activities_List/Activity"):
        if _active(a):
            for st in a.findall("Students"):
                name = (st.text or "").strip()
                whole[name] = whole.get(name, 0) + 1
    taken = {y.name for y in years} | {n for y in years for n in list(y.groups) + list(y.subgroups)}
    out: list[_Year] = []
    aliases: dict[str, list[str]] = {}
    for y in years:
        groups = {g: leaves for g, leaves in y.groups.items() if leaves != frozenset(y.leaves) or len(y.groups) == 1}
        disjoint = len(groups) >= 2 and all(not (groups[a] & groups[b]) for a in groups for b in groups if a < b) \
            and frozenset().union(*groups.values()) == frozenset(y.leaves)
        pupils_like = any(1 <= y.group_students.get(g, 0) <= 3 for g in groups)  # groups of single pupils
        if not disjoint or (option is None and (whole.get(y.name, 0) or pupils_like)):
            out.append(y)
            continue
        names = []
        for g, leaves in groups.items():
            new = _Year(g, f"{y.element}/Group[Name={g}]", y.group_students.get(g, 0))
            new.separator = y.separator
            if leaves != frozenset([g]):
                for leaf in leaves:
                    new.groups[leaf] = frozenset([leaf])
                    new.group_students[leaf] = y.subgroups.get(leaf, 0)
                    new.leaves[leaf] = y.subgroups.get(leaf, 0)
            else:
                new.leaves = {}
            new.year_of = y.name
            out.append(new)
            names.append(g)
        aliases[y.name] = names
        taken.discard(y.name)
    if aliases:
        shown = "; ".join(f"{y} → {', '.join(n[:8])}{' …' if len(n) > 8 else ''}" for y, n in aliases.items())
        ctx.warn("classes", None, "years", f"FET years whose groups are the classes were imported as one class per "
                 f"group: {shown} (to keep each year as one class, import with --fet-years-as-classes no)",
                 f"годы FET, группы которых — настоящие классы, импортированы по классу на группу: {shown} (чтобы "
                 "оставить год одним классом, импортируйте с --fet-years-as-classes no)")
    return out, aliases


@dataclass
class _Catalog:
    """Subjects, teachers (name → id, name → qualified subject ids) and rooms by their FET names."""

    subjects: dict[str, Subject]
    teacher_names: dict[str, str]
    teacher_subjects: dict[str, list[str]]
    rooms: dict[str, Room]


def _read_catalog(ctx: ImportContext, root: Element, subject_keys: dict[str, str] | None) -> _Catalog:
    subject_ids, teacher_ids, room_ids = _Ids(), _Ids(), _Ids()
    subjects: dict[str, Subject] = {}
    for i, s in enumerate(root.findall("Subjects_List/Subject")):
        el = f"Subjects_List/Subject[{i + 1}]"
        name = _name(ctx, s, el)
        if name in subjects:
            raise ctx.error(f"subject '{name}' is listed twice", f"предмет «{name}» указан дважды", el, "Name")
        subjects[name] = Subject(id=subject_ids.make(name), name=name, norm_key=guess_norm_key(name, subject_keys))
    teacher_names: dict[str, str] = {}
    teacher_subjects: dict[str, list[str]] = {}
    for i, t in enumerate(root.findall("Teachers_List/Teacher")):
        el = f"Teachers_List/Teacher[{i + 1}]"
        name = _name(ctx, t, el)
        if name in teacher_names:
            raise ctx.error(f"teacher '{name}' is listed twice", f"учитель «{name}» указан дважды", el, "Name")
        teacher_names[name] = teacher_ids.make(name)
        qualified = []
        for q in t.findall("Qualified_Subjects/Qualified_Subject"):
            qn = (q.text or "").strip()
            if qn not in subjects:
                raise ctx.error(f"unknown subject '{qn}'", f"неизвестный предмет «{qn}»", el, "Qualified_Subject")
            qualified.append(subjects[qn].id)
        teacher_subjects[name] = qualified
    rooms: dict[str, Room] = {}
    for i, r in enumerate(root.findall("Rooms_List/Room")):
        name = _name(ctx, r, f"Rooms_List/Room[{i + 1}]")
        rooms.setdefault(name, Room(id=room_ids.make(name), name=name))

    return _Catalog(subjects, teacher_names, teacher_subjects, rooms)


@dataclass
class _Sets:
    """The students sets: years (the classes) by name and, for each group or subgroup name, the years holding it."""

    years: list[_Year]
    aliases: dict[str, list[str]]
    year_by_name: dict[str, _Year]
    set_years: dict[str, list[_Year]]


def _read_sets(ctx: ImportContext, root: Element, years_as_classes: bool | None) -> _Sets:
    years, year_aliases = _split_years(ctx, root, _read_students(ctx, root), years_as_classes)
    year_by_name = {y.name: y for y in years}
    set_years: dict[str, list[_Year]] = {}  # group/subgroup name -> years holding it
    for y in years:
        for n in list(y.groups) + list(y.subgroups):
            if y not in set_years.setdefault(n, []):
                set_years[n].append(y)

    return _Sets(years, year_aliases, year_by_name, set_years)


@dataclass
class _Activities:
    active: list[_Act]
    by_id: dict[int, _Act]  # every activity, inactive ones too (placements may name them)
    total: int


def _read_activities(ctx: ImportContext, root: Element, cat: _Catalog, sets: _Sets, hours: int) -> _Activities:
    subjects, teacher_names = cat.subjects, cat.teacher_names
    year_aliases, year_by_name, set_years = sets.aliases, sets.year_by_name, sets.set_years
    acts: list[_Act] = []
    act_by_id: dict[int, _Act] = {}
    total_activities = inactive = 0
    for i, a in enumerate(root.findall("Activities_List/Activity")):
        total_activities += 1
        el = f"Activities_List/Activity[{i + 1}]"
        aid = _int(ctx, a, "Id", el)
        el = f"{el} (Id {aid})"
        if aid in act_by_id:
            raise ctx.error(f"activity Id {aid} is used twice", f"Id занятия {aid} встречается дважды", el, "Id")
        teachers = [(t.text or "").strip() for t in a.findall("Teacher")]
        for t in teachers:
            if t not in teacher_names:
                raise ctx.error(f"unknown teacher '{t}'", f"неизвестный учитель «{t}»", el, "Teacher")
        subject = _text(a, "Subject")
        if not subject:
            raise ctx.error("the subject is missing", "не указан предмет", el, "Subject")
        if subject not in subjects:
            raise ctx.error(f"unknown subject '{subject}'", f"неизвестный предмет «{subject}»", el, "Subject")
        students = [(s.text or "").strip() for s in a.findall("Students")]
        students = list(dict.fromkeys(x for s in students for x in year_aliases.get(s, [s])))
        for s in students:
            if s not in year_by_name and s not in set_years:
                raise ctx.error(f"unknown students set '{s}'", f"неизвестная группа учащихся «{s}»", el, "Students")
        duration = _int(ctx, a, "Duration", el, minimum=1)
        if duration > hours:
            raise ctx.error(f"duration {duration} is longer than the day ({hours} hours)",
                            f"длительность {duration} больше дня ({hours} уроков)", el, "Duration")
        act = _Act(aid, el, teachers, subject, students, duration)
        act_by_id[aid] = act
        if not _active(a):
            inactive += 1
            continue
        acts.append(act)
    if inactive:
        ctx.warn("activities", None, "Active", f"{inactive} inactive activities were not imported (FET ignores them "
                 "too)", f"неактивные занятия ({inactive}) не импортированы (FET их тоже не учитывает)")

    return _Activities(acts, act_by_id, total_activities)


def _build_classes(ctx: ImportContext, sets: _Sets, acts: list[_Act], days: _Days, grades: dict[str, Level] | None,
                   pupils: dict[str, int] | None) -> list[StudentClass]:
    """One class per year, its groups decided from what the activities name; warnings for guessed grades and
    missing pupil counts."""
    years, set_years = sets.years, sets.set_years
    referenced: dict[str, set[str]] = {y.name: set() for y in years}
    for act in acts:
        for s in act.students:
            for y in set_years.get(s, []):
                referenced[y.name].add(s)
    class_ids, group_ids = _Ids(), _Ids()
    classes: list[StudentClass] = []
    shared = {n for n, ys in set_years.items() if len(ys) > 1}
    guessed: list[tuple[str, Level, str, str]] = []
    no_pupils: list[str] = []
    for ci, y in enumerate(years):
        y.class_id = class_ids.make(y.name)
        level = (grades or {}).get(y.name) or level_from_name(y.name)
        if level is None and y.year_of:
            level = level_from_name(y.year_of)
        if level is None:
            level, why_en, why_ru = guess_level(y.name)
            guessed.append((y.name, level, why_en, why_ru))
        age_min, age_max = age_band(level)
        if y.students == 0:
            y.students = (pupils or {}).get(y.name) or (pupils or {}).get("*") or 0
            if y.students == 0:
                no_pupils.append(y.name)
        groups: list[SubGroup] = []

        def gid(name: str, y: _Year = y) -> str:  # bound now: called within this iteration only
            return group_ids.make(f"{y.name}: {name}" if name in shared else name)

        if y.groups:
            divisions, exact = _divisions(y, referenced[y.name])
            all_leaves = frozenset(y.leaves)
            if exact:
                ids = {}
                for di, div in enumerate(divisions):
                    label = _division_label(y, div, di)
                    for g in div:
                        ids[g] = gid(g)
                        groups.append(SubGroup(id=ids[g], name=g, students=y.group_students[g], division=label))
                by_leaves = {y.groups[g]: g for g in ids}
                for g, leaves in y.groups.items():
                    y.refs[g] = [] if leaves == all_leaves else [ids[g]] if g in ids else [ids[by_leaves[leaves]]]
                for sname in y.subgroups:
                    leaves = frozenset([sname])
                    if sname not in y.refs and leaves in by_leaves:
                        y.refs[sname] = [ids[by_leaves[leaves]]]
            else:
                ids = {}
                for leaf, n in y.leaves.items():
                    ids[leaf] = gid(leaf)
                    groups.append(SubGroup(id=ids[leaf], name=leaf, students=n, division="subgroups"))
                for g, leaves in y.groups.items():
                    y.refs[g] = [] if leaves == all_leaves else sorted(ids[x] for x in leaves)
                for sname in y.subgroups:
                    y.refs.setdefault(sname, [] if frozenset([sname]) == all_leaves else [ids[sname]])
                ctx.warn("classes", ci, "groups", f"class '{y.name}': FET's groups do not form clean divisions (or "
                         "activities name subgroups), so the class is imported as its smallest FET sets "
                         f"({len(ids)} subgroups of one division)", f"класс «{y.name}»: группы FET не образуют "
                         "чистых делений (или занятия назначены подгруппам), поэтому класс импортирован по самым "
                         f"мелким наборам FET ({len(ids)} подгрупп одного деления)")
        try:
            classes.append(StudentClass(id=y.class_id, name=y.name, grade=level.grade, course=level.course,
                                        age_min=age_min, age_max=age_max, students=y.students,
                                        week_days=days.week_days, bell_schedule=BELLS_ID, groups=groups))
        except ValidationError as err:
            raise input_error_from_validation(err, ctx.file, field=None).at(element=y.element) from None
    said = grades_warning(guessed)
    if said:
        ctx.warn("classes", None, "grade", *said)
    if no_pupils:
        shown = ", ".join(no_pupils[:30]) + (f" … (+{len(no_pupils) - 30})" if len(no_pupils) > 30 else "")
        example = ",".join(f"{n}=25" for n in no_pupils[:2])
        ctx.warn("classes", None, "students", f"{len(no_pupils)} classes have no pupil count in the file ({shown}); "
                 f"they are imported with 0 pupils, which no device survey or live lesson can use. Give the counts "
                 f"with --pupils \"{example}\" ('*=25' for all), a CSV file class,pupils (--pupils-file), or on the "
                 "page", f"у {len(no_pupils)} классов в файле нет числа учеников ({shown}); они импортированы с 0 "
                 f"учеников — с таким числом не работают ни опрос об устройствах, ни онлайн-уроки. Укажите числа: "
                 f"--pupils \"{example}\" («*=25» — для всех), файл CSV «класс,учеников» (--pupils-file) или на "
                 "странице школы")

    return classes


@dataclass
class _Placements:
    at: dict[int, tuple[str, str]]  # activity id -> (day name, hour name)
    rooms: dict[int, list[str]]  # activity id -> room ids
    origin_file: str  # where the placements were read (errors about a placement name it)
    origin: str


def _placements_from_timetable(activities_xml: Path, max_bytes: int, fet_name: str, act_by_id: dict[int, _Act],
                               days: _Days, hour_index: dict[str, int], rooms: dict[str, Room]) -> _Placements:
    """FET's solved timetable (<name>_activities.xml)."""
    placements: dict[int, tuple[str, str]] = {}
    placed_rooms: dict[int, list[str]] = {}
    actx = ImportContext(Path(activities_xml))
    tt = _read_xml(Path(activities_xml), max_bytes, "Activities_Timetable", "FET's activities timetable "
                   "(<name>_activities.xml)", "расписание занятий FET (<имя>_activities.xml)")
    for i, a in enumerate(tt.findall("Activity")):
        el = f"Activities_Timetable/Activity[{i + 1}]"
        aid = _int(actx, a, "Id", el)
        if aid not in act_by_id:
            raise actx.error(f"activity Id {aid} is not in {fet_name}", f"занятия с Id {aid} нет в {fet_name}",
                             el, "Id")
        if aid in placements:
            raise actx.error(f"activity Id {aid} is placed twice", f"занятие с Id {aid} размещено дважды", el, "Id")
        day, hour = _text(a, "Day") or "", _text(a, "Hour") or ""
        if not day and not hour:
            continue
        if day not in days.slot:
            raise actx.error(f"unknown day '{day}'", f"неизвестный день «{day}»", el, "Day")
        if hour not in hour_index:
            raise actx.error(f"unknown hour '{hour}'", f"неизвестный час «{hour}»", el, "Hour")
        placements[aid] = (day, hour)
        room_names = [r for r in [_text(a, "Room") or ""] + [(x.text or "").strip() for x in a.findall("Real_Room")]
                      if r]
        for r in room_names:
            if r not in rooms:
                raise actx.error(f"unknown room '{r}'", f"неизвестный кабинет «{r}»", el, "Room")
        placed_rooms[aid] = [rooms[r].id for r in dict.fromkeys(room_names)]
    return _Placements(placements, placed_rooms, actx.file, "Activities_Timetable/Activity")


def _placements_from_constraints(ctx: ImportContext, root: Element, act_by_id: dict[int, _Act], days: _Days,
                                 hour_index: dict[str, int], rooms: dict[str, Room]) -> _Placements:
    """The locked (hard, active) starting times and rooms in the .fet itself."""
    placements: dict[int, tuple[str, str]] = {}
    placed_rooms: dict[int, list[str]] = {}
    for i, c in enumerate(root.findall("Time_Constraints_List/ConstraintActivityPreferredStartingTime")):
        el = f"Time_Constraints_List/ConstraintActivityPreferredStartingTime[{i + 1}]"
        if not _active(c) or not _hard(c):
            continue
        aid = _int(ctx, c, "Activity_Id", el)
        if aid not in act_by_id:
            raise ctx.error(f"unknown activity Id {aid}", f"неизвестный Id занятия {aid}", el, "Activity_Id")
        day, hour = _text(c, "Preferred_Day"), _text(c, "Preferred_Hour")
        if not day or not hour:
            continue  # a preferred day or hour alone does not place the activity
        if day not in days.slot:
            raise ctx.error(f"unknown day '{day}'", f"неизвестный день «{day}»", el, "Preferred_Day")
        if hour not in hour_index:
            raise ctx.error(f"unknown hour '{hour}'", f"неизвестный час «{hour}»", el, "Preferred_Hour")
        if aid in placements and placements[aid] != (day, hour):
            raise ctx.error(f"activity {aid} is locked at two different times", f"занятие {aid} закреплено на "
                            "два разных времени", el, "Activity_Id")
        placements[aid] = (day, hour)
    for i, c in enumerate(root.findall("Space_Constraints_List/ConstraintActivityPreferredRoom")):
        if not _active(c) or not _hard(c):
            continue
        el = f"Space_Constraints_List/ConstraintActivityPreferredRoom[{i + 1}]"
        aid = _int(ctx, c, "Activity_Id", el)
        room = _text(c, "Room") or ""
        if room not in rooms:
            raise ctx.error(f"unknown room '{room}'", f"неизвестный кабинет «{room}»", el, "Room")
        placed_rooms.setdefault(aid, []).append(rooms[room].id)

    return _Placements(placements, placed_rooms, ctx.file, "ConstraintActivityPreferredStartingTime")


def _build_teachers(ctx: ImportContext, root: Element, cat: _Catalog, acts: list[_Act], days: _Days,
                    hour_index: dict[str, int]) -> list[Teacher]:
    """Teachers with their qualified subjects plus what they teach, and their not-available times."""
    subjects, teacher_names, teacher_subjects = cat.subjects, cat.teacher_names, cat.teacher_subjects
    hour_names = list(hour_index)
    taught: dict[str, list[str]] = {t: list(q) for t, q in teacher_subjects.items()}
    for act in acts:
        for t in act.teachers:
            if subjects[act.subject].id not in taught[t]:
                taught[t].append(subjects[act.subject].id)
    unavailable: dict[str, dict[int, set[int]]] = {t: {} for t in teacher_names}
    per_week: dict[str, dict[WeekMask, set[tuple[int, int]]]] = {t: {} for t in teacher_names}
    for i, c in enumerate(root.findall("Time_Constraints_List/ConstraintTeacherNotAvailableTimes")):
        el = f"Time_Constraints_List/ConstraintTeacherNotAvailableTimes[{i + 1}]"
        if not _active(c) or not _hard(c):
            continue
        t = _text(c, "Teacher") or _text(c, "Teacher_Name") or ""
        if t not in teacher_names:
            raise ctx.error(f"unknown teacher '{t}'", f"неизвестный учитель «{t}»", el, "Teacher")
        for j, nat in enumerate(c.findall("Not_Available_Time")):
            d, h = _text(nat, "Day") or "", _text(nat, "Hour") or ""
            if d not in days.slot:
                raise ctx.error(f"unknown day '{d}'", f"неизвестный день «{d}»", f"{el}/Not_Available_Time[{j + 1}]", "Day")
            if h not in hour_index:
                raise ctx.error(f"unknown hour '{h}'", f"неизвестный час «{h}»", f"{el}/Not_Available_Time[{j + 1}]",
                                "Hour")
            weekday, week = days.slot[d]
            unavailable[t].setdefault(weekday, set()).add(hour_index[h] + 1)
            per_week[t].setdefault(week, set()).add((weekday, hour_index[h] + 1))
    teachers: list[Teacher] = []
    for ti, (name, tid) in enumerate(teacher_names.items()):
        items = []
        for weekday in sorted(unavailable[name]):
            hours = unavailable[name][weekday]
            if len(hours) == len(hour_names):
                items.append(Unavailability(day=weekday, period=None))
            else:
                items.extend(Unavailability(day=weekday, period=p) for p in sorted(hours))
        if days.ab and per_week[name].get(WeekMask.A, set()) != per_week[name].get(WeekMask.B, set()):
            ctx.warn("teachers", ti, "unavailable", f"teacher '{name}' is not available at different times in weeks "
                     "A and B; the planner keeps one weekly list, so both weeks' times are taken",
                     f"учитель «{name}» недоступен в разное время в неделях А и Б; в планировщике один список на "
                     "неделю, поэтому взяты времена обеих недель")
        teachers.append(Teacher(id=tid, name=name, subjects=taught[name], unavailable=items))

    return teachers


def _build_lessons(ctx: ImportContext, acts: list[_Act], placed: _Placements, days: _Days, hour_index: dict[str, int],
                   sets: _Sets, cat: _Catalog) -> tuple[list[Lesson], list[str], IncompleteTimetable | None]:
    """One lesson per placed activity with students (its origin element kept for integrity errors); the unplaced
    ones make the timetable incomplete."""
    placements, placed_rooms, origin_file, origin = placed.at, placed.rooms, placed.origin_file, placed.origin
    year_by_name, set_years = sets.year_by_name, sets.set_years
    subjects, teacher_names = cat.subjects, cat.teacher_names
    hour_names = list(hour_index)
    lessons: list[Lesson] = []
    lesson_origin: list[str] = []
    unplaced: list[str] = []
    for ai, act in enumerate(acts):
        if not act.students:
            ctx.warn("activities", ai, "Students", f"activity {act.id} ({act.subject}) has no students; it is not "
                     "imported as a lesson", f"у занятия {act.id} ({act.subject}) нет учащихся; оно не импортировано "
                     "как урок")
            continue
        if act.id not in placements:
            unplaced.append(f"{act.id} ({act.subject}, {', '.join(act.students)})")
            continue
        day_name, hour_name = placements[act.id]
        weekday, week = days.slot[day_name]
        period = hour_index[hour_name] + 1
        if period + act.duration - 1 > len(hour_names):
            raise InputError(f"activity {act.id} of {act.duration} hours placed at hour '{hour_name}' runs past the "
                             "last hour of the day", f"занятие {act.id} длительностью {act.duration} на часе "
                             f"«{hour_name}» выходит за конец дня", Location(file=origin_file, element=origin,
                                                                             field="Hour"))
        per_class: dict[str, list[str] | None] = {}
        for s in act.students:
            if s in year_by_name:
                per_class[year_by_name[s].class_id] = None
                continue
            for y in set_years[s]:
                ids = y.refs.get(s, [])
                if not ids:
                    per_class[y.class_id] = None
                elif per_class.get(y.class_id, []) is not None:
                    per_class[y.class_id] = sorted(set(per_class.get(y.class_id) or []) | set(ids))
        groups = sorted({g for ids in per_class.values() if ids for g in ids})
        try:
            lessons.append(Lesson(id=f"fet-{act.id}", version=VERSION_ID, classes=list(per_class), groups=groups,
                                  teachers=[teacher_names[t] for t in dict.fromkeys(act.teachers)],
                                  rooms=placed_rooms.get(act.id, []), subject=subjects[act.subject].id, day=weekday,
                                  period=period, duration=act.duration, weeks=week))
        except ValidationError as err:
            raise input_error_from_validation(err, ctx.file).at(element=act.element) from None
        lesson_origin.append(act.element)

    incomplete = None
    if unplaced:
        incomplete = IncompleteTimetable(placed=len(lessons), total=len(lessons) + len(unplaced), unplaced=unplaced)
        shown = "; ".join(unplaced[:5]) + (f" … (+{len(unplaced) - 5})" if len(unplaced) > 5 else "")
        ctx.warn("activities", None, "placement", f"{incomplete.text('en')} — {len(unplaced)} activities have no place "
                 f"(e.g. {shown}). Solve the file in FET first (or import its _activities.xml); audit and rebuild "
                 "refuse a partial timetable unless it is accepted explicitly (--accept-partial)",
                 f"{incomplete.text('ru')} — у {len(unplaced)} занятий нет места (например, {shown}). Сначала "
                 "составьте расписание в FET (или импортируйте его _activities.xml); проверка и перестроение не "
                 "работают с частичным расписанием, пока оно не принято явно (--accept-partial)")

    return lessons, lesson_origin, incomplete


def _calendar(ctx: ImportContext, days: _Days, year_start: date | None, year_end: date | None,
              a_week_monday: date | None) -> SchoolCalendar:
    """The school year as given, else assumed with a warning (FET files carry no dates)."""
    if year_start is None:
        year_start = default_school_year(date.today())[0]
        ctx.warn("calendar", None, "year_start", f"year_start not given; {year_start} assumed",
                 f"начало учебного года не указано; принято {year_start}")
    if year_end is None:
        year_end = date(year_start.year + 1, 5, 31)
        ctx.warn("calendar", None, "year_end", f"year_end not given; {year_end} assumed",
                 f"конец учебного года не указан; принято {year_end}")
    if days.ab and a_week_monday is None:
        a_week_monday = first_school_monday(year_start)  # the same default as the aSc importer
        ctx.warn("calendar", None, "a_week_monday", f"the file is an A/B two-week cycle and a_week_monday was not "
                 f"given; week A is taken to start on {a_week_monday}", f"файл — двухнедельный цикл А/Б, а "
                 f"a_week_monday не указан; неделя А считается начинающейся {a_week_monday}")
    return SchoolCalendar(year_start=year_start, year_end=year_end, a_week_monday=a_week_monday)


def load_fet(path: Path, *, activities_xml: Path | None = None, bell_minutes: int | None = None,
             bells: tuple[tuple[time, time], ...] | None = None, grades: dict[str, Level] | None = None,
             pupils: dict[str, int] | None = None, subject_keys: dict[str, str] | None = None,
             years_as_classes: bool | None = None, timezone: str = "Europe/Moscow",
             year_start: date | None = None, year_end: date | None = None, a_week_monday: date | None = None,
             max_bytes: int = 50 * MiB) -> FetImport:
    """Import a FET `.fet` file (Official mode) with its solved timetable; see docs/import-fet.md.

    bells: the periods' (start, end) when the hour names carry no times (never invented); grades, pupils: per class
    name (pupils '*' = every class without a count); subject_keys: the school's subject name → norm key map;
    years_as_classes: split years whose groups are the classes (None = detect)."""
    path = Path(path)
    ctx = ImportContext(path)
    root = _read_xml(path, max_bytes, "fet", "a FET file", "файл FET")
    _check_mode(ctx, root)
    days = _read_days(ctx, root)
    hour_names, periods = _read_hours(ctx, root, bell_minutes, bells)
    hour_index = {h: i for i, h in enumerate(hour_names)}
    cat = _read_catalog(ctx, root, subject_keys)
    sets = _read_sets(ctx, root, years_as_classes)
    activities = _read_activities(ctx, root, cat, sets, len(hour_names))
    classes = _build_classes(ctx, sets, activities.active, days, grades, pupils)
    if activities_xml is not None:
        placed = _placements_from_timetable(Path(activities_xml), max_bytes, path.name, activities.by_id, days,
                                            hour_index, cat.rooms)
    else:
        placed = _placements_from_constraints(ctx, root, activities.by_id, days, hour_index, cat.rooms)
    teachers = _build_teachers(ctx, root, cat, activities.active, days, hour_index)
    lessons, lesson_origin, incomplete = _build_lessons(ctx, activities.active, placed, days, hour_index, sets, cat)
    calendar = _calendar(ctx, days, year_start, year_end, a_week_monday)
    institution = _text(root, "Institution_Name") or path.stem
    try:
        school = School(
            id=_ID_BAD.sub("_", f"fet-{path.stem}"), name=institution, timezone=timezone, calendar=calendar,
            bell_schedules=[BellSchedule(id=BELLS_ID, name=f"FET: {institution}",
                                         variants=[BellVariant(periods=periods)])],
            classes=classes, teachers=teachers, subjects=list(cat.subjects.values()), rooms=list(cat.rooms.values()),
            versions=[TimetableVersion(id=VERSION_ID, name=f"FET: {institution}", valid_from=calendar.year_start,
                                       valid_to=calendar.year_end)],
            lessons=lessons, incomplete=incomplete,
        )
    except ValidationError as err:
        raise input_error_from_validation(err, ctx.file) from None

    def locate(p: Problem) -> Location:
        element = lesson_origin[p.index] if p.collection == "lessons" and p.index < len(lesson_origin) else \
            f"{p.collection}[{p.index}]"
        return Location(file=ctx.file, element=element, field=p.field)

    raise_first_problem(school, locate)
    years = sets.years
    stats = FetStats(days=len(days.names), hours=len(hour_names), subjects=len(cat.subjects), teachers=len(teachers),
                     years=len(years), groups=len({g for y in years for g in y.groups}),
                     subgroups=len({s for y in years for s in y.subgroups}), activities=activities.total,
                     placed=len(lessons))
    return FetImport(school, one_subject_warning(ctx.warnings + find_warnings(school)), stats, ctx.file)


__all__ = ["FetImport", "FetStats", "grade_from_name", "load_fet"]
