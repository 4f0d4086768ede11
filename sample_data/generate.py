"""Generate the two fictitious sample institutions in the canonical tabular format.

    .venv/bin/python sample_data/generate.py            # writes sample_data/school-17 and sample_data/college-ptk
    .venv/bin/python sample_data/generate.py --out DIR  # writes DIR/school-17 and DIR/college-ptk

* ``school-17`` — «МАОУ «Средняя общеобразовательная школа № 17»», Пермь: 25 classes (grades 1–11), two shifts,
  an ОВЗ class, grade-1 step mode (three dated class versions), language subgroups, ≈45 teachers.
* ``college-ptk`` — «ГБПОУ «Пермский промышленно-технологический техникум»»: 12 groups on 90-minute pairs,
  A/B weeks, subgroups, an autumn and a spring timetable version.

Everything is fictitious (names, links, survey counts). The timetables are built by one CP-SAT model per
timetable version (``solve_timetable``) with a fixed random seed, one search worker and a *deterministic*
time limit, so a rerun on the same OR-Tools version writes byte-identical CSV files. The hard rules of the
model (daily and weekly caps, no gaps, no clashes of a teacher — by period number *and* by clock time across
bell schedules — or of a class, teachers teach only their subjects) are re-checked independently by
``tests/school/test_sample_data.py`` from the written files.

The school is built as a ``planner.school.model.School`` and written with
``planner.importers.tabular.write_csv_folder`` and ``write_xlsx``; ``load_school`` must load the result.
"""

from __future__ import annotations

import argparse
import os
import hashlib
import itertools
import random
import sys
import time as _time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from ortools.sat.python import cp_model

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.importers.tabular import write_csv_folder, write_xlsx  # noqa: E402
from planner.school.model import (  # noqa: E402
    BellSchedule, BellVariant, ChatLink, DeviceCounts, Holiday, Lesson, Period, Readiness, School, SchoolCalendar,
    StudentClass, SubGroup, Subject, Teacher, TimetableVersion, TransferredDay, Unavailability,
)

SEED = 17  # the one seed every random choice and every CP-SAT solve derives from
FEASIBILITY_TIME = 30.0  # CP-SAT deterministic time limit (not wall time: reproducible) to find a timetable
LNS_CLASSES, LNS_ROUNDS, LNS_TIME = 3, 2, 0.5  # then: re-place 3 classes at a time, twice over, 0.5 each


# ====================================================================== small helpers

def hm(text: str) -> time:
    h, m = text.split(":")
    return time(int(h), int(m))


def minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def make_periods(first_start: str, lesson_min: int, breaks: list[int]) -> list[Period]:
    """Periods from the first start, a lesson length and the breaks after lessons 1, 2, ..."""
    out = []
    start = minutes(hm(first_start))
    for i in range(len(breaks) + 1):
        end = start + lesson_min
        out.append(Period(number=i + 1, start=time(start // 60, start % 60), end=time(end // 60, end % 60)))
        if i < len(breaks):
            start = end + breaks[i]
    return out


_SLUG_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def invite_link(*parts: str) -> str:
    """A fictitious MAX invite link with a deterministic 12-character slug derived from a hash."""
    digest = hashlib.sha256("/".join(parts).encode("utf-8")).digest()
    slug = "".join(_SLUG_ALPHABET[b % len(_SLUG_ALPHABET)] for b in digest[:12])
    return f"https://max.ru/join/{slug}"


def split_devices(n: int, rng: random.Random, profile: str = "normal") -> DeviceCounts:
    """Anonymous device survey counts summing to the class size."""
    if profile == "tablets":
        shares = [0.08, 0.08, 0.70, 0.10]
    elif profile == "phones":
        shares = [0.20, 0.27, 0.15, 0.34]
    else:
        base = [0.27, 0.34, 0.23, 0.12]
        shares = [max(0.02, s + rng.uniform(-0.06, 0.06)) for s in base]
    none = 1 if rng.random() < 0.5 else 0
    rest = n - none
    counts = [int(rest * s / sum(shares)) for s in shares]
    i = 0
    order = sorted(range(4), key=lambda k: -shares[k])
    while sum(counts) < rest:
        counts[order[i % 4]] += 1
        i += 1
    return DeviceCounts(pc=counts[0], laptop=counts[1], tablet=counts[2], phone=counts[3], none=none)


def split_two(n: int) -> tuple[int, int]:
    a = (n + 1) // 2
    return a, n - a


# ---------------------------------------------------------------- fictitious names

MALE_SURNAMES = ["Воробьёв", "Крылов", "Мельников", "Тихонов", "Зайцев", "Павлов", "Григорьев", "Белов",
                 "Соколов", "Лебедев", "Осипов", "Фролов", "Кудрявцев", "Ершов", "Никитин", "Гусев",
                 "Щербаков", "Комаров", "Баранов", "Устинов", "Шестаков", "Вершинин"]
FEMALE_SURNAMES = ["Кузнецова", "Смирнова", "Пономарёва", "Ширяева", "Мальцева", "Захарова", "Корнилова",
                   "Третьякова", "Лыкова", "Дёмина", "Голубева", "Сафонова", "Чистякова", "Рябова", "Калинина",
                   "Носова", "Горбунова", "Субботина", "Ермакова", "Богданова", "Киселёва", "Зуева", "Фомина",
                   "Латышева", "Вагина", "Мохова", "Суслова", "Трофимова", "Шилова", "Аксёнова", "Полякова",
                   "Панова", "Нечаева", "Воронцова", "Жукова", "Колесникова", "Медведева", "Старцева",
                   "Шубина", "Петухова", "Галкина", "Бобылёва", "Королёва", "Игнатьева", "Лапина", "Юдина"]
MALE_NAMES = ["Алексей", "Сергей", "Андрей", "Дмитрий", "Игорь", "Павел", "Михаил", "Николай", "Олег",
              "Виктор", "Константин", "Евгений"]
FEMALE_NAMES = ["Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Марина", "Анна", "Юлия",
                "Людмила", "Галина", "Екатерина", "Надежда", "Вера", "Оксана", "Мария", "Лариса", "Алёна"]
FATHER_NAMES = [("Александрович", "Александровна"), ("Викторович", "Викторовна"), ("Сергеевич", "Сергеевна"),
                ("Николаевич", "Николаевна"), ("Владимирович", "Владимировна"), ("Петрович", "Петровна"),
                ("Юрьевич", "Юрьевна"), ("Геннадьевич", "Геннадьевна"), ("Анатольевич", "Анатольевна"),
                ("Михайлович", "Михайловна"), ("Борисович", "Борисовна"), ("Игоревич", "Игоревна")]


class NameMaker:
    """Deterministic unique fictitious full names (Фамилия Имя Отчество)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.male = list(MALE_SURNAMES)
        self.female = list(FEMALE_SURNAMES)
        rng.shuffle(self.male)
        rng.shuffle(self.female)

    def make(self, male: bool) -> str:
        surname = (self.male if male else self.female).pop()
        first = self.rng.choice(MALE_NAMES if male else FEMALE_NAMES)
        father = self.rng.choice(FATHER_NAMES)[0 if male else 1]
        return f"{surname} {first} {father}"


# ====================================================================== the timetable model

@dataclass(frozen=True)
class Card:
    """One lesson row of a placement: a subject for some groups with some teachers in some weeks."""

    subject: str
    teachers: tuple[str, ...]
    groups: tuple[str, ...] = ()
    weeks: str = "every"


@dataclass
class Unit:
    """Something to place `hours` times a week in one class: one card, or parallel cards (subgroups, A/B)."""

    klass: str
    cards: list[Card]
    hours: int
    duration: int = 1
    max_per_day: int = 1
    fixed: list[tuple[int, int]] = field(default_factory=list)  # exact (day, period) placements
    only_last: bool = False  # must be the last lesson of its day (A-only pairs: no gap in week B)
    hard: bool = False  # a hard subject (soft: lessons 2–4)
    difficulty: int = 0  # points for the daily-peak objective

    @property
    def teachers(self) -> set[str]:
        return {t for c in self.cards for t in c.teachers}


@dataclass
class ClassPlan:
    id: str
    lengths: dict[int, int]  # weekday → number of lesson slots that day (periods 1..L, no gaps)
    times: dict[int, tuple[int, int]]  # period → (start, end) minutes of the class's bells
    hard_window: tuple[int, int] | None = None  # periods where hard subjects should be
    peak: bool = False  # daily difficulty should peak on Tuesday or Wednesday


def solve_timetable(plans: list[ClassPlan], units: list[Unit], unavailable: dict[str, set[tuple[int, int | None]]],
                    busy: dict[str, list[tuple[int, frozenset[int], int, int]]], seed: int,
                    label: str) -> dict[int, list[tuple[int, int]]]:
    """Place every unit; returns unit index → [(day, period)]. Raises RuntimeError when no timetable is found.

    Hard: each unit gets its hours; every slot 1..L of a class day is covered exactly once (no gaps, start at
    lesson 1, the day's length fixed beforehand so the daily and weekly caps hold by construction); a unit at
    most max_per_day times a day; a teacher never has two lessons with the same period number on a day nor two
    whose clock times overlap (classes on different bells), nor one clashing with `busy` (another version
    valid on the same dates); teachers' unavailable days/periods respected.
    Soft: hard subjects inside the class's window; the daily difficulty sum peaks on Tuesday or Wednesday.
    """
    plan_by_id = {p.id: p for p in plans}
    model = cp_model.CpModel()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    for ui, u in enumerate(units):
        plan = plan_by_id[u.klass]
        for day, length in sorted(plan.lengths.items()):
            for p in range(1, length - u.duration + 2):
                if u.fixed and (day, p) not in u.fixed:
                    continue
                if u.only_last and p + u.duration - 1 != length:
                    continue
                covered = range(p, p + u.duration)
                if any((day, None) in unavailable.get(t, ()) or any((day, q) in unavailable.get(t, ()) for q in covered)
                       for t in u.teachers):
                    continue
                s, e = plan.times[p][0], plan.times[p + u.duration - 1][1]
                if any(bd == day and (bn & set(covered) or (s < be and bs < e))
                       for t in u.teachers for bd, bn, bs, be in busy.get(t, ())):
                    continue
                x[ui, day, p] = model.NewBoolVar(f"x{ui}_{day}_{p}")
    by_unit: dict[int, list] = defaultdict(list)
    for (ui, day, p), v in x.items():
        by_unit[ui].append((day, p, v))
    for ui, u in enumerate(units):
        vs = by_unit[ui]
        if sum(1 for _ in vs) < u.hours:
            raise RuntimeError(f"{label}: unit {ui} ({u.klass} {u.cards[0].subject}) has too few possible slots")
        model.Add(sum(v for _, _, v in vs) == u.hours)
        for day in {d for d, _, _ in vs}:
            model.Add(sum(v for d, _, v in vs if d == day) <= u.max_per_day)
    # every slot of a class day covered exactly once
    cover: dict[tuple[str, int, int], list] = defaultdict(list)
    for (ui, day, p), v in x.items():
        for q in range(p, p + units[ui].duration):
            cover[units[ui].klass, day, q].append(v)
    for plan in plans:
        for day, length in plan.lengths.items():
            for p in range(1, length + 1):
                vs = cover.get((plan.id, day, p), [])
                if not vs:
                    raise RuntimeError(f"{label}: nothing can be placed in {plan.id} day {day} period {p}")
                model.AddExactlyOne(vs)
    # teachers: per day, one lesson per period number and per clock instant
    per_teacher_day: dict[tuple[str, int], list] = defaultdict(list)
    for (ui, day, p), v in x.items():
        u = units[ui]
        plan = plan_by_id[u.klass]
        s, e = plan.times[p][0], plan.times[p + u.duration - 1][1]
        for t in u.teachers:
            per_teacher_day[t, day].append((frozenset(range(p, p + u.duration)), s, e, v))
    for key in sorted(per_teacher_day):
        items = per_teacher_day[key]
        for n in sorted({n for nums, _, _, _ in items for n in nums}):
            vs = [v for nums, _, _, v in items if n in nums]
            if len(vs) > 1:
                model.AddAtMostOne(vs)
        for instant in sorted({s for _, s, _, _ in items}):
            vs = [v for _, s, e, v in items if s <= instant < e]
            if len(vs) > 1:
                model.AddAtMostOne(vs)
    # soft goals
    cost = []
    peaks = []
    for (ui, _day, p), v in x.items():
        u = units[ui]
        win = plan_by_id[u.klass].hard_window
        if u.hard and win and not (win[0] <= p <= win[1]):
            cost.append(3 * v)
    for plan in plans:
        if not plan.peak:
            continue
        daily = {}
        for day in plan.lengths:
            daily[day] = sum(units[ui].difficulty * v for (ui, d, p), v in x.items()
                             if d == day and units[ui].klass == plan.id)
        top = model.NewIntVar(0, 1000, f"peak_{plan.id}")
        model.AddMaxEquality(top, [daily[2], daily[3]])
        for day in plan.lengths:
            if day in (2, 3):
                continue
            slack = model.NewIntVar(0, 1000, f"slack_{plan.id}_{day}")
            model.Add(slack >= daily[day] - top)
            cost.append(2 * slack)
            peaks.append((slack, top, daily[day], daily[2], daily[3]))
    # phase 1: any timetable (fast); phase 2: improve the soft goals from it, both with deterministic limits
    solution = _run(model, seed, FEASIBILITY_TIME, label + " (feasibility)")
    values = {k: solution.Value(v) for k, v in x.items()}
    if cost:
        # large-neighbourhood improvement, deterministic: re-place the lessons of a few classes at a time with
        # every other class fixed, minimising the soft cost; each step starts from the current timetable
        model.Minimize(sum(cost))
        class_ids = [p.id for p in plans]
        step = LNS_CLASSES
        for round_no in range(LNS_ROUNDS):
            for start in range(0, len(class_ids), step):
                free = set(class_ids[start:start + step])
                sub = model.Clone()
                for (ui, day, p), v in x.items():
                    var = sub.GetBoolVarFromProtoIndex(v.Index())
                    if units[ui].klass in free:
                        sub.AddHint(var, values[ui, day, p])
                    else:
                        sub.Add(var == values[ui, day, p])
                try:
                    improved = _run(sub, seed + round_no, LNS_TIME, f"{label} (soft goals)")
                except RuntimeError:
                    continue
                values = {k: improved.Value(sub.GetBoolVarFromProtoIndex(v.Index())) for k, v in x.items()}
                if os.environ.get("SAMPLE_DATA_VERBOSE"):
                    print(f"    {label}: round {round_no} classes {sorted(free)} cost {improved.ObjectiveValue():.0f}",
                          file=sys.stderr)
            # shift the windows so that neighbouring classes are re-placed together in the next round
            class_ids = class_ids[step // 2:] + class_ids[:step // 2]
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (ui, day, p) in sorted(x):
        if values[ui, day, p]:
            out[ui].append((day, p))
    return out


def _run(model: cp_model.CpModel, seed: int, det_time: float, label: str) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.keep_all_feasible_solutions_in_presolve = True  # so the phase-1 hint stays a solution
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = det_time
    solver.parameters.max_time_in_seconds = 300.0  # safety net only; the deterministic limit binds first
    if os.environ.get("SAMPLE_DATA_SOLVER_LOG"):
        solver.parameters.log_search_progress = True
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"{label}: no timetable found ({solver.StatusName(status)})")
    return solver


def day_lengths(slots: int, days: int, cap: int, order: tuple[int, ...] = (2, 3, 1, 4, 5, 6)) -> dict[int, int]:
    """Spread `slots` lesson slots over the week: equal days, the extra ones on Tue, Wed, Mon, Thu first."""
    base, rem = divmod(slots, days)
    lengths = {d: base for d in range(1, days + 1)}
    for d in [d for d in order if d <= days][:rem]:
        lengths[d] += 1
    if max(lengths.values()) > cap:
        raise ValueError(f"{slots} slots do not fit {days} days of at most {cap}")
    return lengths


def busy_of(units: list[Unit], placed: dict[int, list[tuple[int, int]]],
            plan_by_id: dict[str, ClassPlan]) -> dict[str, list[tuple[int, frozenset[int], int, int]]]:
    out: dict[str, list] = defaultdict(list)
    for ui, slots in placed.items():
        u = units[ui]
        plan = plan_by_id[u.klass]
        for day, p in slots:
            s, e = plan.times[p][0], plan.times[p + u.duration - 1][1]
            for t in sorted(u.teachers):
                out[t].append((day, frozenset(range(p, p + u.duration)), s, e))
    return out


def lessons_from(version: str, units: list[Unit], placed: dict[int, list[tuple[int, int]]],
                 class_order: list[str]) -> list[Lesson]:
    rows = []
    for ui, slots in placed.items():
        u = units[ui]
        for day, p in slots:
            for card in u.cards:
                rows.append((class_order.index(u.klass), day, p, card.weeks, card.groups, card, u))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4], r[5].subject))
    out, counter = [], defaultdict(int)
    for _, day, p, weeks, groups, card, u in rows:
        counter[u.klass] += 1
        out.append(Lesson(id=f"{version}-{u.klass}-{counter[u.klass]:03d}", version=version, classes=[u.klass],
                          groups=list(groups), teachers=list(card.teachers), subject=card.subject, day=day,
                          period=p, duration=u.duration, weeks=weeks))
    return out


class Loads:
    """Assigns teaching bundles to the least-loaded teacher of a pool (ties: pool order) — deterministic."""

    def __init__(self) -> None:
        self.hours: dict[str, int] = defaultdict(int)

    def pick(self, pool: list[str], hours: int, exclude: tuple[str, ...] = ()) -> str:
        candidates = [t for t in pool if t not in exclude]
        best = min(candidates, key=lambda t: (self.hours[t], pool.index(t)))
        self.hours[best] += hours
        return best


# ====================================================================== school № 17

SCHOOL_SUBJECTS = [  # id, name, norm_key, activity
    ("RUS", "Русский язык", "russian"), ("LITR", "Литературное чтение", "literary_reading"),
    ("LIT", "Литература", "literature"), ("ENG", "Иностранный язык (английский)", "foreign_language"),
    ("DEU", "Иностранный язык (немецкий)", "foreign_language"), ("MATH", "Математика", "math"),
    ("ALG", "Алгебра", "algebra"), ("GEOM", "Геометрия", "geometry"),
    ("PROB", "Вероятность и статистика", "probability_statistics"), ("INF", "Информатика", "informatics"),
    ("HIST", "История", "history"), ("SOC", "Обществознание", "social_studies"), ("GEO", "География", "geography"),
    ("BIO", "Биология", "biology"), ("PHYS", "Физика", "physics"), ("CHEM", "Химия", "chemistry"),
    ("WORLD", "Окружающий мир", "world_around"),
    ("ORKSE", "Основы религиозных культур и светской этики", "orkse"),
    ("ODNKNR", "Основы духовно-нравственной культуры народов России", "odnknr"),
    ("ART", "Изобразительное искусство", "fine_art"), ("MUS", "Музыка", "music"),
    ("TECH", "Труд (технология)", "technology"), ("OBZR", "Основы безопасности и защиты Родины", "obzr"),
    ("PE", "Физическая культура", "pe"), ("IP", "Индивидуальный проект", "individual_project"),
    ("ROV", "Разговоры о важном", None),
]
HARD_KEYS = {"math", "algebra", "geometry", "russian", "physics", "chemistry", "foreign_language"}
# Approximate difficulty points (after the SanPiN tables; the planner's scales in constraints/ are authoritative):
# used only to steer the daily peak to Tuesday/Wednesday.
DIFFICULTY = {"math": 10, "algebra": 10, "geometry": 10, "physics": 10, "chemistry": 11, "russian": 9,
              "foreign_language": 9, "probability_statistics": 8, "informatics": 7, "biology": 7, "history": 6,
              "geography": 6, "social_studies": 6, "literature": 5, "literary_reading": 5, "world_around": 6,
              "orkse": 4, "odnknr": 4, "individual_project": 4, "technology": 4, "fine_art": 3, "music": 2,
              "obzr": 3, "pe": 3}

# ФОП-2023 weekly hours (5-day week for grades 2–9; 6-day for 10–11)
CURRICULUM = {
    2: {"RUS": 5, "LITR": 4, "ENG": 2, "MATH": 4, "WORLD": 2, "ART": 1, "MUS": 1, "TECH": 1, "PE": 3},
    3: {"RUS": 5, "LITR": 4, "ENG": 2, "MATH": 4, "WORLD": 2, "ART": 1, "MUS": 1, "TECH": 1, "PE": 3},
    4: {"RUS": 5, "LITR": 3, "ENG": 2, "MATH": 4, "WORLD": 2, "ORKSE": 1, "ART": 1, "MUS": 1, "TECH": 1, "PE": 3},
    5: {"RUS": 5, "LIT": 3, "ENG": 3, "MATH": 5, "HIST": 2, "GEO": 1, "BIO": 1, "ODNKNR": 1, "ART": 1, "MUS": 1,
        "TECH": 2, "PE": 2},
    6: {"RUS": 6, "LIT": 3, "ENG": 3, "MATH": 5, "HIST": 2, "SOC": 1, "GEO": 1, "BIO": 1, "ART": 1, "MUS": 1,
        "TECH": 2, "PE": 2},
    7: {"RUS": 4, "LIT": 2, "ENG": 3, "ALG": 3, "GEOM": 2, "PROB": 1, "INF": 1, "HIST": 2, "SOC": 1, "GEO": 2,
        "PHYS": 2, "BIO": 1, "ART": 1, "MUS": 1, "TECH": 2, "PE": 2},
    8: {"RUS": 3, "LIT": 2, "ENG": 3, "ALG": 3, "GEOM": 2, "PROB": 1, "INF": 1, "HIST": 2, "SOC": 1, "GEO": 2,
        "PHYS": 2, "CHEM": 2, "BIO": 2, "MUS": 1, "TECH": 1, "OBZR": 1, "PE": 2},
    9: {"RUS": 3, "LIT": 3, "ENG": 3, "ALG": 3, "GEOM": 2, "PROB": 1, "INF": 1, "HIST": 2, "SOC": 1, "GEO": 2,
        "PHYS": 3, "CHEM": 2, "BIO": 2, "TECH": 1, "OBZR": 1, "PE": 2},
    # 10А/11А: технологический профиль; 10Б/11Б: универсальный профиль (6-day week)
    "tech": {"RUS": 2, "LIT": 3, "ENG": 3, "ALG": 4, "GEOM": 3, "PROB": 1, "INF": 4, "HIST": 2, "SOC": 2, "GEO": 1,
             "PHYS": 4, "CHEM": 1, "BIO": 1, "PE": 2, "OBZR": 1, "IP": 1},
    "univ": {"RUS": 3, "LIT": 3, "ENG": 3, "ALG": 3, "GEOM": 2, "PROB": 1, "INF": 1, "HIST": 3, "SOC": 3, "GEO": 1,
             "PHYS": 2, "CHEM": 2, "BIO": 2, "PE": 2, "OBZR": 1, "IP": 1},
}
# grade 1, step mode: lessons per week in each period of the year (plus «Разговоры о важном» on Monday)
GRADE1 = {
    "g1-sep-oct": {"RUS": 3, "LITR": 3, "MATH": 3, "WORLD": 1, "ART": 1, "MUS": 1, "PE": 2},
    "g1-nov-dec": {"RUS": 4, "LITR": 4, "MATH": 4, "WORLD": 2, "ART": 1, "MUS": 1, "TECH": 1, "PE": 2},
    "g1-jan-may": {"RUS": 5, "LITR": 4, "MATH": 4, "WORLD": 2, "ART": 1, "MUS": 1, "TECH": 1, "PE": 2},
}
DAILY_CAP = {1: 4, 2: 5, 3: 5, 4: 5, 5: 6, 6: 6, 7: 7, 8: 7, 9: 7, 10: 7, 11: 7}
WEEKLY_CAP = {1: (21, 21), 2: (23, 26), 3: (23, 26), 4: (23, 26), 5: (29, 32), 6: (30, 33), 7: (32, 35),
              8: (33, 36), 9: (33, 36), 10: (34, 37), 11: (34, 37)}

# classes: id, name, grade, shift, bells, profile; ОВЗ class 5V; second shift: 2V, 3B, 4B, 6B
SCHOOL_CLASSES = [
    ("1A", "1А", 1, 1), ("1B", "1Б", 1, 1), ("1V", "1В", 1, 1),
    ("2A", "2А", 2, 1), ("2B", "2Б", 2, 1), ("2V", "2В", 2, 2),
    ("3A", "3А", 3, 1), ("3B", "3Б", 3, 2),
    ("4A", "4А", 4, 1), ("4B", "4Б", 4, 2),
    ("5A", "5А", 5, 1), ("5B", "5Б", 5, 1), ("5V", "5В", 5, 1),
    ("6A", "6А", 6, 1), ("6B", "6Б", 6, 2),
    ("7A", "7А", 7, 1), ("7B", "7Б", 7, 1),
    ("8A", "8А", 8, 1), ("8B", "8Б", 8, 1),
    ("9A", "9А", 9, 1), ("9B", "9Б", 9, 1),
    ("10A", "10А", 10, 1), ("10B", "10Б", 10, 1),
    ("11A", "11А", 11, 1), ("11B", "11Б", 11, 1),
]
OVZ_CLASS = "5V"
GERMAN_CLASS = "6A"  # its second language group learns German
TABLETS_CLASS = "3A"
PHONES_CLASS = "8B"
NOT_READY_CLASS = "7B"
SUBJECT_CHAT_CLASSES = {"9A": ["ALG", "RUS", "ENG"], "9B": ["ALG", "RUS"], "11A": ["ALG", "PHYS", "INF"],
                        "11B": ["RUS", "HIST"]}

SCHOOL_BELLS = {
    # 45-min lessons, 20-min breaks after lessons 2 and 3
    "main": ("Первая смена (5–11, 2–4 классы)", "08:00", 45, [10, 20, 20, 10, 10, 10]),
    # second shift: from 13:30, at most 6 lessons, the last ends at 19:00
    "shift2": ("Вторая смена", "13:30", 45, [10, 20, 10, 10, 10]),
    # ОВЗ class: 40-min lessons
    "ovz": ("Класс ОВЗ (уроки по 40 минут)", "08:30", 40, [10, 20, 20, 10, 10]),
}
# grade 1: dynamic pause of 40 min after lesson 2, a 20-min break after lesson 3
G1_VARIANTS = [(date(2026, 9, 1), date(2026, 12, 31), 35), (date(2027, 1, 1), date(2027, 5, 31), 40)]
G1_BREAKS = [15, 40, 20, 15]


# Non-working public holidays of 2026/27 (Labour Code art. 112; kind "public": official messages wait). A holiday
# falling on a weekend moves to the next working day by art. 112 (09.05.2027, a Sunday → 10.05.2027); the
# government's 2027 transfer decree was not available, so no other day is moved here. The rest of a school's
# break is a vacation (kind "vacation"): no lessons, but staff work and messages go out on weekdays.
PUBLIC_2026_27 = [
    Holiday(start=date(2026, 11, 4), end=date(2026, 11, 4), name="День народного единства", kind="public"),
    Holiday(start=date(2027, 1, 1), end=date(2027, 1, 8), name="Новогодние каникулы и Рождество Христово "
            "(нерабочие праздничные дни, ТК РФ ст. 112)", kind="public"),
    Holiday(start=date(2027, 2, 23), end=date(2027, 2, 23), name="День защитника Отечества", kind="public"),
    Holiday(start=date(2027, 3, 8), end=date(2027, 3, 8), name="Международный женский день", kind="public"),
    Holiday(start=date(2027, 5, 1), end=date(2027, 5, 1), name="Праздник Весны и Труда", kind="public"),
    Holiday(start=date(2027, 5, 9), end=date(2027, 5, 10), name="День Победы (10.05 — перенос с воскресенья)",
            kind="public"),
]


def build_school() -> School:
    rng = random.Random(SEED)
    names = NameMaker(random.Random(SEED + 1))
    year_start, year_end = date(2026, 9, 1), date(2027, 5, 31)
    calendar = SchoolCalendar(
        year_start=year_start, year_end=year_end,
        holidays=[
            Holiday(start=date(2026, 10, 26), end=date(2026, 11, 3), name="Осенние каникулы"),
            *PUBLIC_2026_27[:1],
            Holiday(start=date(2026, 12, 29), end=date(2026, 12, 31), name="Зимние каникулы"),
            *PUBLIC_2026_27[1:2],
            Holiday(start=date(2027, 1, 9), end=date(2027, 1, 11), name="Зимние каникулы"),
            *PUBLIC_2026_27[2:4],
            Holiday(start=date(2027, 3, 22), end=date(2027, 3, 29), name="Весенние каникулы"),
            *PUBLIC_2026_27[4:6],
            Holiday(start=date(2027, 5, 2), end=date(2027, 5, 2), name="Праздник Весны и Труда (каникулы школы)"),
            Holiday(start=date(2027, 5, 11), end=date(2027, 5, 11), name="День Победы (каникулы школы)"),
        ],
        # fictitious transfer: Saturday 2027-03-13 is taught as a Monday, making up for the holiday on Monday
        # 2027-03-08 in the same week, so no week gets more lessons than usual (matters for the 5-day classes)
        transferred_days=[TransferredDay(date=date(2027, 3, 13), as_weekday=1,
                                         name="Перенос рабочего дня (учебная суббота по расписанию понедельника)")],
        a_week_monday=None)

    bells = [BellSchedule(id=bid, name=name, variants=[BellVariant(periods=make_periods(start, length, breaks))])
             for bid, (name, start, length, breaks) in SCHOOL_BELLS.items()]
    bells.insert(0, BellSchedule(id="g1", name="1 классы (ступенчатый режим, динамическая пауза)", variants=[
        BellVariant(valid_from=vf, valid_to=vt, periods=make_periods("08:30", length, G1_BREAKS))
        for vf, vt, length in G1_VARIANTS]))
    bell_by_id = {b.id: b for b in bells}

    # ---------------------------------------------------------------- classes
    classes: list[StudentClass] = []
    info = {}
    for cid, name, grade, shift in SCHOOL_CLASSES:
        ovz = cid == OVZ_CLASS
        students = 12 if ovz else rng.randint(22, 30)
        bell = "g1" if grade == 1 else "ovz" if ovz else "shift2" if shift == 2 else "main"
        week_days = 6 if grade >= 10 else 5
        groups = []
        if grade >= 2 and students >= 20:
            a, b = split_two(students)
            second = "нем." if cid == GERMAN_CLASS else "англ."
            groups = [SubGroup(id=f"{cid}-L1", name=f"{name} англ. 1", students=a, division="lang"),
                      SubGroup(id=f"{cid}-L2", name=f"{name} {second} 2", students=b, division="lang")]
        profile = "tablets" if cid == TABLETS_CLASS else "phones" if cid == PHONES_CLASS else "normal"
        devices = split_devices(students, rng, profile)
        ready = cid != NOT_READY_CLASS
        readiness = Readiness(chats_exist=True, members_joined=True, devices_confirmed=True, test_call_done=ready)
        classes.append(StudentClass(id=cid, name=name + (" (ОВЗ)" if ovz else ""), grade=grade,
                                    age_min=grade + 6, age_max=grade + 7, students=students, shift=shift,
                                    week_days=week_days, bell_schedule=bell, ovz=ovz, groups=groups,
                                    devices=devices, readiness=readiness))
        info[cid] = (grade, shift, bell, groups)
    class_order = [c.id for c in classes]

    # ---------------------------------------------------------------- teachers
    teacher_rows: list[tuple[str, str, list[str], list[Unavailability]]] = []

    def add_teachers(prefix: str, count: int, subjects: list[str], male_every: int = 0) -> list[str]:
        ids = []
        for i in range(count):
            tid = f"T-{prefix}{i + 1}" if count > 1 or not prefix.startswith("NK") else f"T-{prefix}"
            male = male_every > 0 and i % male_every == 0
            teacher_rows.append((tid, names.make(male), subjects, []))
            ids.append(tid)
        return ids

    primary_subjects = ["RUS", "LITR", "MATH", "WORLD", "ART", "TECH", "ORKSE", "ROV"]
    primary = {cid: add_teachers(f"NK-{cid}", 1, primary_subjects)[0]
               for cid, (g, *_rest) in info.items() if g <= 4}
    ruslit = add_teachers("RUS", 5, ["RUS", "LIT", "ROV"])
    maths = add_teachers("MAT", 5, ["MATH", "ALG", "GEOM", "PROB", "ROV"], male_every=3)
    inf = add_teachers("INF", 1, ["INF", "IP", "PROB", "ROV"], male_every=1)
    hist = add_teachers("HIS", 3, ["HIST", "SOC", "ODNKNR", "IP", "ROV"], male_every=2)
    geo = add_teachers("GEO", 1, ["GEO", "BIO", "ROV"])
    bio = add_teachers("BIO", 1, ["BIO", "CHEM", "ROV"])
    chem = add_teachers("CHE", 1, ["CHEM", "BIO", "ROV"])
    phys = add_teachers("PHY", 2, ["PHYS", "INF", "IP", "ROV"], male_every=1)
    eng = add_teachers("ENG", 6, ["ENG", "ROV"])
    deu = add_teachers("DEU", 1, ["DEU", "ENG", "ROV"])
    mus = add_teachers("MUS", 1, ["MUS", "ROV"])
    art = add_teachers("ART", 1, ["ART", "TECH", "ROV"])
    tech = add_teachers("TEC", 2, ["TECH", "ROV"], male_every=1)
    obzr = add_teachers("OBZ", 1, ["OBZR", "PE", "ROV"], male_every=1)
    pe = add_teachers("PE", 3, ["PE", "ROV"], male_every=2)
    # a few teachers with unavailability (part-timers, a methodical day)
    unavailable_spec = {ruslit[2]: "6", eng[3]: "5", phys[1]: "1", mus[0]: "3", maths[4]: "6;1:1"}
    teachers = []
    for tid, name, subjects, _ in teacher_rows:
        un = []
        for item in unavailable_spec.get(tid, "").split(";"):
            if item:
                d, _, p = item.partition(":")
                un.append(Unavailability(day=int(d), period=int(p) if p else None))
        teachers.append(Teacher(id=tid, name=name, subjects=subjects, unavailable=un))
    unavailable = {t.id: {(u.day, u.period) for u in t.unavailable} for t in teachers}
    subjects_of = {t.id: set(t.subjects) for t in teachers}

    loads = Loads()
    pools = {"RUS": ruslit, "LIT": ruslit, "MATH": maths, "ALG": maths, "GEOM": maths, "PROB": maths, "INF": inf + phys,
             "HIST": hist, "SOC": hist, "ODNKNR": hist, "IP": inf + hist, "GEO": geo, "BIO": bio + chem,
             "CHEM": chem + bio, "PHYS": phys, "MUS": mus, "ART": art, "TECH": tech, "OBZR": obzr, "PE": pe}
    bundles = [("RUS", "LIT"), ("MATH", "ALG", "GEOM", "PROB"), ("HIST", "SOC", "ODNKNR")]

    def difficulty(sid: str) -> int:
        key = dict((s[0], s[2]) for s in SCHOOL_SUBJECTS)[sid]
        return DIFFICULTY.get(key or "", 0)

    def is_hard(sid: str) -> bool:
        return dict((s[0], s[2]) for s in SCHOOL_SUBJECTS)[sid] in HARD_KEYS

    # ---------------------------------------------------------------- grade 1: three class versions
    # Solved first (small, few shared teachers); the main version then avoids the clock times at which the
    # shared teachers (music, PE) teach grade 1 in any of the three (a conservative union).
    g1_lessons: list[Lesson] = []
    g1_busy: dict[str, list] = defaultdict(list)
    g1_ids = [c.id for c in classes if c.grade == 1]
    g1_music = mus[0]
    g1_pe = {cid: loads.pick(pe, 2) for cid in g1_ids}
    versions = [TimetableVersion(id="main-2026", name="Основное расписание 2026/27", valid_from=year_start,
                                 valid_to=year_end)]
    spans = {"g1-sep-oct": (date(2026, 9, 1), date(2026, 10, 31), "1 классы, сентябрь–октябрь (3 урока)"),
             "g1-nov-dec": (date(2026, 11, 1), date(2026, 12, 31), "1 классы, ноябрь–декабрь (4 урока)"),
             "g1-jan-may": (date(2027, 1, 1), date(2027, 5, 31), "1 классы, январь–май (4 урока, раз в неделю 5)")}
    for vi, (vid, curriculum) in enumerate(GRADE1.items()):
        vf, vt, vname = spans[vid]
        versions.append(TimetableVersion(id=vid, name=vname, valid_from=vf, valid_to=vt, classes=g1_ids))
        variant = bell_by_id["g1"].on(vf)
        times = {p.number: (minutes(p.start), minutes(p.end)) for p in variant.periods}
        # Jan–May: one day a week with a 5th lesson, physical education; the first weekday (in the order
        # Wed, Tue, Thu, Mon, Fri) for which a timetable exists, tried class by class in a fixed order
        choices = itertools.product((3, 2, 4, 1, 5), repeat=len(g1_ids)) if vid == "g1-jan-may" else [None]
        for long_days in choices:
            g_plans, g_units = [], []
            for ci, cid in enumerate(g1_ids):
                per_day = 3 if vid == "g1-sep-oct" else 4
                lengths = {d: per_day for d in range(1, 6)}
                if long_days:
                    lengths[long_days[ci]] = 5
                assert sum(lengths.values()) == sum(curriculum.values()) + 1, vid
                g_plans.append(ClassPlan(cid, lengths, times, hard_window=(2, 3), peak=False))
                for sid, hours in curriculum.items():
                    t = g1_music if sid == "MUS" else g1_pe[cid] if sid == "PE" else primary[cid]
                    if sid == "PE" and long_days:
                        g_units.append(Unit(cid, [Card(sid, (t,))], 1, fixed=[(long_days[ci], 5)]))
                        hours -= 1
                    g_units.append(Unit(cid, [Card(sid, (t,))], hours, max_per_day=1 if hours <= 5 else 2,
                                        hard=is_hard(sid), difficulty=difficulty(sid)))
                g_units.append(Unit(cid, [Card("ROV", (primary[cid],))], 1, fixed=[(1, 1)]))
            t0 = _time.perf_counter()
            try:
                g_placed = solve_timetable(g_plans, g_units, unavailable, {}, SEED + 1 + vi, f"school {vid}")
            except RuntimeError:
                if long_days is None:
                    raise
                continue
            break
        else:
            raise RuntimeError(f"school {vid}: no timetable for any choice of the 5-lesson day")
        print(f"  school {vid}: {len(g_units)} units placed in {_time.perf_counter() - t0:.1f} s", file=sys.stderr)
        g1_lessons += lessons_from(vid, g_units, g_placed, class_order)
        for t, items in busy_of(g_units, g_placed, {p.id: p for p in g_plans}).items():
            g1_busy[t] += [(d, frozenset(), s, e) for d, _, s, e in items]  # other dates: clock time only

    # ---------------------------------------------------------------- main version (grades 2–11)
    plans: list[ClassPlan] = []
    units: list[Unit] = []
    class_teacher: dict[str, str] = {}
    for c in classes:
        if c.grade == 1:
            continue
        grade = c.grade
        curriculum = CURRICULUM["tech" if c.id in ("10A", "11A") else "univ"] if grade >= 10 else CURRICULUM[grade]
        lesson_hours = sum(curriculum.values())
        assert lesson_hours <= WEEKLY_CAP[grade][0 if c.week_days == 5 else 1], c.id
        lengths = day_lengths(lesson_hours + 1, c.week_days, DAILY_CAP[grade])
        variant = bell_by_id[c.bell_schedule].variants[0]
        times = {p.number: (minutes(p.start), minutes(p.end)) for p in variant.periods}
        plans.append(ClassPlan(c.id, lengths, times, hard_window=(2, 3) if grade <= 4 else (2, 4), peak=True))
        teacher_of: dict[str, str] = {}
        for sid, _hours in curriculum.items():
            if sid in teacher_of or sid == "ENG":
                continue
            if grade <= 4 and sid not in ("MUS", "PE"):
                teacher_of[sid] = primary[c.id]
                continue
            bundle = next((b for b in bundles if sid in b), (sid,))
            bundle_hours = sum(curriculum.get(s, 0) for s in bundle)
            pool = pools[sid]
            if sid == "TECH" and grade <= 7:
                pool = tech
            t = loads.pick(pool, bundle_hours)
            for s in bundle:
                if s in curriculum:
                    teacher_of[s] = t
        for sid, hours in curriculum.items():
            if sid == "ENG":
                if c.groups:
                    g1, g2 = c.groups
                    t1 = loads.pick(eng, hours)
                    if c.id == GERMAN_CLASS:
                        second = Card("DEU", (loads.pick(deu, hours),), (g2.id,))
                    else:
                        second = Card("ENG", (loads.pick(eng + deu, hours, exclude=(t1,)),), (g2.id,))
                    cards = [Card("ENG", (t1,), (g1.id,)), second]
                else:
                    cards = [Card("ENG", (loads.pick(eng, hours),))]
                units.append(Unit(c.id, cards, hours, max_per_day=1, hard=True, difficulty=difficulty("ENG")))
                continue
            t = teacher_of[sid]
            assert sid in subjects_of[t], (t, sid)
            if sid == "TECH" and hours == 2 and grade in (5, 6, 7):
                units.append(Unit(c.id, [Card(sid, (t,))], 1, duration=2, difficulty=difficulty(sid)))
                continue
            per_day = 1 if hours <= c.week_days else 2
            units.append(Unit(c.id, [Card(sid, (t,))], hours, max_per_day=per_day, hard=is_hard(sid),
                              difficulty=difficulty(sid)))
        # class teacher (классный руководитель) holds «Разговоры о важном», Monday lesson 1
        if grade <= 4:
            ct = primary[c.id]
        else:
            order = [teacher_of.get(s) for s in ("RUS", "MATH", "ALG", "HIST", "BIO", "GEO", "CHEM", "PHYS", "INF")]
            order += [u.cards[0].teachers[0] for u in units if u.klass == c.id]
            ct = next(t for t in order if t and t not in class_teacher.values()
                      and not unavailable[t] & {(1, None), (1, 1)})
        class_teacher[c.id] = ct
        units.append(Unit(c.id, [Card("ROV", (ct,))], 1, fixed=[(1, 1)]))

    t0 = _time.perf_counter()
    placed = solve_timetable(plans, units, unavailable, g1_busy, SEED, "school main-2026")
    print(f"  school main-2026: {len(units)} units placed in {_time.perf_counter() - t0:.1f} s", file=sys.stderr)
    lessons = lessons_from("main-2026", units, placed, class_order) + g1_lessons

    # ---------------------------------------------------------------- chats
    chats = [ChatLink(class_id=c.id, invite_link=invite_link("school-17", c.id)) for c in classes]
    for cid, sids in SUBJECT_CHAT_CLASSES.items():
        chats += [ChatLink(class_id=cid, subject_id=s, invite_link=invite_link("school-17", cid, s)) for s in sids]

    subjects = [Subject(id=sid, name=name, norm_key=key,
                        activity="extracurricular" if sid == "ROV" else "lesson")
                for sid, name, key in SCHOOL_SUBJECTS]
    return School(id="school-17", name="МАОУ «Средняя общеобразовательная школа № 17»", kind="school",
                  timezone="Asia/Yekaterinburg", calendar=calendar, bell_schedules=bells, classes=classes,
                  teachers=teachers, subjects=subjects, rooms=[], chats=chats, versions=versions, lessons=lessons)


# ====================================================================== college

COLLEGE_SUBJECTS = [
    ("RUS", "Русский язык", "russian"), ("LIT", "Литература", "literature"), ("MATH", "Математика", "math"),
    ("HIST", "История России", "history"), ("PHYS", "Физика", "physics"), ("CHEM", "Химия", "chemistry"),
    ("INF", "Информатика", "informatics"),
    ("ENG", "Иностранный язык в профессиональной деятельности", "foreign_language"),
    ("PE", "Физическая культура", "pe"), ("OBZR", "Основы безопасности и защиты Родины", "obzr"),
    ("IP", "Индивидуальный проект", "individual_project"),
    ("EHM", "Элементы высшей математики", "math"), ("DM", "Дискретная математика с элементами математической логики", "math"),
    ("PHIL", "Основы философии", None),
    ("OAP", "Основы алгоритмизации и программирования", None), ("OSS", "Операционные системы и среды", None),
    ("NET", "Компьютерные сети", None), ("DB", "Основы проектирования баз данных", None),
    ("DEV", "Разработка программных модулей", None), ("TEST", "Тестирование информационных систем", None),
    ("IG", "Инженерная графика", None), ("TMECH", "Техническая механика", None),
    ("MATSCI", "Материаловедение", None), ("TMS", "Технология машиностроения", None),
    ("PFI", "Процессы формообразования и инструменты", None),
    ("MSS", "Метрология, стандартизация и сертификация", None),
    ("ELT", "Электротехника", None), ("ELM", "Электрические машины", None),
    ("ELS", "Электроснабжение", None), ("RZA", "Релейная защита и автоматика", None),
    ("BUH", "Бухгалтерский учёт", None), ("ECON", "Экономика организации", None),
    ("TAX", "Налоги и налогообложение", None), ("FIN", "Финансы, денежное обращение и кредит", None),
    ("DOU", "Документационное обеспечение управления", None),
]

# groups: id, name, programme, course
COLLEGE_GROUPS = [
    ("ISP-26", "ИСП-26", "ISP", 1), ("ISP-25", "ИСП-25", "ISP", 2), ("ISP-24", "ИСП-24", "ISP", 3),
    ("ISP-23", "ИСП-23", "ISP", 4), ("TM-26", "ТМ-26", "TM", 1), ("TM-25", "ТМ-25", "TM", 2),
    ("TM-24", "ТМ-24", "TM", 3), ("EBU-26", "ЭБУ-26", "EBU", 1), ("EBU-25", "ЭБУ-25", "EBU", 2),
    ("ES-26", "ЭС-26", "ES", 1), ("ES-25", "ЭС-25", "ES", 2), ("ES-24", "ЭС-24", "ES", 3),
]
PROGRAMMES = {"ISP": "09.02.07 Информационные системы и программирование",
              "TM": "15.02.16 Технология машиностроения",
              "EBU": "38.02.01 Экономика и бухгалтерский учёт (по отраслям)",
              "ES": "13.02.07 Электроснабжение"}
# per semester, per (programme, course) or course 1: every-week pairs (subject → pairs; "*" = subgroups in
# parallel), "ab": (week-A subject, week-B subject) sharing one slot, "a_only": week-A-only pairs (last of a day)
COLLEGE_PLAN = {
    "autumn": {
        1: {"every": {"RUS": 2, "LIT": 2, "MATH": 3, "HIST": 2, "PHYS": 2, "ENG*": 2, "PE": 2, "INF": 1},
            "ab": [("CHEM", "OBZR")], "a_only": ["IP"]},
        ("ISP", 2): {"every": {"OAP": 2, "OAP*": 2, "EHM": 2, "OSS": 2, "DM": 2, "ENG*": 2, "PE": 2, "HIST": 1},
                     "ab": [("NET", "OSS")], "a_only": ["PHIL"]},
        ("ISP", 3): {"every": {"DEV": 2, "DEV*": 2, "DB": 3, "NET": 2, "ENG*": 2, "PE": 2, "ECON": 2},
                     "ab": [("DOU", "PHIL")], "a_only": []},
        ("ISP", 4): {"every": {"DEV*": 3, "TEST": 3, "DB": 2, "ENG*": 2, "PE": 2, "ECON": 2},
                     "ab": [("DOU", "NET")], "a_only": ["PHIL"]},
        ("TM", 2): {"every": {"IG": 1, "IG*": 2, "TMECH": 3, "MATSCI": 2, "ELT": 2, "ENG*": 2, "PE": 2},
                    "ab": [("EHM", "HIST")], "a_only": ["PHIL"]},
        ("TM", 3): {"every": {"TMS": 2, "TMS*": 2, "PFI": 3, "MSS": 2, "ECON": 2, "ENG*": 2, "PE": 2},
                    "ab": [("DOU", "PHIL")], "a_only": []},
        ("EBU", 2): {"every": {"BUH": 2, "BUH*": 2, "ECON": 3, "TAX": 2, "FIN": 2, "DOU": 1, "ENG*": 2, "PE": 2},
                     "ab": [("EHM", "HIST")], "a_only": []},
        ("ES", 2): {"every": {"ELT": 2, "ELT*": 2, "IG": 2, "MATSCI": 2, "ELM": 2, "ENG*": 2, "PE": 2, "HIST": 1},
                    "ab": [("EHM", "PHIL")], "a_only": []},
        ("ES", 3): {"every": {"ELS": 2, "ELS*": 2, "ELM": 3, "RZA": 2, "ECON": 2, "ENG*": 2, "PE": 2},
                    "ab": [("MSS", "DOU")], "a_only": ["PHIL"]},
    },
    "spring": {
        1: {"every": {"RUS": 1, "LIT": 2, "MATH": 4, "HIST": 2, "PHYS": 3, "ENG*": 2, "PE": 2, "INF": 1},
            "ab": [("OBZR", "CHEM")], "a_only": []},
        ("ISP", 2): {"every": {"OAP": 1, "OAP*": 3, "EHM": 2, "OSS": 1, "DB": 2, "DM": 2, "ENG*": 2, "PE": 2},
                     "ab": [("NET", "PHIL")], "a_only": ["HIST"]},
        ("ISP", 3): {"every": {"DEV": 2, "DEV*": 3, "DB": 2, "NET": 2, "TEST": 1, "ENG*": 2, "PE": 2},
                     "ab": [("ECON", "DOU")], "a_only": ["PHIL"]},
        ("ISP", 4): {"every": {"DEV*": 2, "TEST": 3, "DB": 2, "NET": 1, "ENG*": 2, "PE": 2, "ECON": 2},
                     "ab": [("DOU", "PHIL")], "a_only": []},
        ("TM", 2): {"every": {"IG*": 2, "TMECH": 3, "MATSCI": 2, "ELT": 2, "MSS": 1, "ENG*": 2, "PE": 2},
                    "ab": [("EHM", "PHIL")], "a_only": ["HIST"]},
        ("TM", 3): {"every": {"TMS": 2, "TMS*": 3, "PFI": 2, "MSS": 1, "ECON": 2, "ENG*": 2, "PE": 2},
                    "ab": [("DOU", "PHIL")], "a_only": ["IG"]},
        ("EBU", 2): {"every": {"BUH": 2, "BUH*": 3, "ECON": 2, "TAX": 2, "FIN": 2, "ENG*": 2, "PE": 2},
                     "ab": [("DOU", "HIST")], "a_only": ["PHIL"]},
        ("ES", 2): {"every": {"ELT": 1, "ELT*": 3, "IG": 1, "MATSCI": 2, "ELM": 3, "ENG*": 2, "PE": 2},
                    "ab": [("EHM", "HIST")], "a_only": ["PHIL"]},
        ("ES", 3): {"every": {"ELS": 2, "ELS*": 3, "ELM": 2, "RZA": 2, "ECON": 2, "ENG*": 2, "PE": 2},
                    "ab": [("MSS", "DOU")], "a_only": []},
    },
}
COLLEGE_TEACHERS = [  # prefix, count, subjects they may teach
    ("RUS", 2, ["RUS", "LIT"]), ("MAT", 2, ["MATH", "EHM", "DM"]), ("HIS", 2, ["HIST", "PHIL", "IP"]),
    ("PHY", 1, ["PHYS", "MATH", "IP"]), ("CHE", 1, ["CHEM", "IP"]), ("INF", 1, ["INF", "OAP", "IP"]),
    ("ENG", 5, ["ENG"]), ("PE", 3, ["PE"]), ("OBZ", 1, ["OBZR", "PE"]),
    ("IT", 3, ["OAP", "OSS", "NET", "DB", "DEV", "TEST", "INF"]),
    ("MEH", 3, ["IG", "TMECH", "MATSCI", "TMS", "PFI", "MSS"]),
    ("ECO", 2, ["BUH", "ECON", "TAX", "FIN", "DOU"]), ("ELE", 3, ["ELT", "ELM", "ELS", "RZA", "IG", "MATSCI"]),
]
PAIRS = [("08:30", "10:00"), ("10:10", "11:40"), ("12:20", "13:50"), ("14:00", "15:30"), ("15:40", "17:10")]
COLLEGE_WEEKLY_CAP = 18
COLLEGE_DAILY_CAP = 4


def build_college() -> School:
    rng = random.Random(SEED + 100)
    names = NameMaker(random.Random(SEED + 101))
    calendar = SchoolCalendar(
        year_start=date(2026, 9, 1), year_end=date(2027, 6, 30),
        holidays=[
            *PUBLIC_2026_27,
            Holiday(start=date(2027, 1, 9), end=date(2027, 1, 11), name="Зимние каникулы"),
            Holiday(start=date(2027, 5, 2), end=date(2027, 5, 2), name="Праздник Весны и Труда (каникулы)"),
            Holiday(start=date(2027, 5, 11), end=date(2027, 5, 11), name="День Победы (каникулы)"),
            Holiday(start=date(2027, 6, 12), end=date(2027, 6, 12), name="День России", kind="public"),
            Holiday(start=date(2027, 6, 13), end=date(2027, 6, 13), name="День России (каникулы)"),
            Holiday(start=date(2027, 6, 14), end=date(2027, 6, 14), name="День России: выходной, перенесённый с "
                    "воскресенья (ТК РФ ст. 112)", kind="public"),
        ],
        a_week_monday=date(2026, 8, 31))
    bells = [BellSchedule(id="pairs", name="Пары по 90 минут", variants=[BellVariant(periods=[
        Period(number=i + 1, start=hm(s), end=hm(e)) for i, (s, e) in enumerate(PAIRS)])])]
    times = {i + 1: (minutes(hm(s)), minutes(hm(e))) for i, (s, e) in enumerate(PAIRS)}

    teacher_rows = []
    pools: dict[str, list[str]] = defaultdict(list)
    for prefix, count, subjects in COLLEGE_TEACHERS:
        for i in range(count):
            tid = f"P-{prefix}{i + 1}"
            teacher_rows.append(Teacher(id=tid, name=names.make(male=(len(teacher_rows) % 3 == 1)),
                                        subjects=subjects,
                                        unavailable=[Unavailability(day=6)] if prefix in ("ECO", "ELE") and i == 0
                                        else []))
            for s in subjects:
                pools[s].append(tid)
    teachers = teacher_rows
    unavailable = {t.id: {(u.day, u.period) for u in t.unavailable} for t in teachers}

    classes = []
    for gid, name, _prog, course in COLLEGE_GROUPS:
        students = rng.randint(20, 28)
        a, b = split_two(students)
        groups = [SubGroup(id=f"{gid}-S1", name=f"{name} подгр. 1", students=a, division="sub"),
                  SubGroup(id=f"{gid}-S2", name=f"{name} подгр. 2", students=b, division="sub")]
        la, lb = split_two(students + (1 if course % 2 else 0))
        lb = students - la
        groups += [SubGroup(id=f"{gid}-L1", name=f"{name} ин. яз. 1", students=la, division="lang"),
                   SubGroup(id=f"{gid}-L2", name=f"{name} ин. яз. 2", students=lb, division="lang")]
        ages = {1: (15, 17), 2: (16, 18), 3: (17, 19), 4: (18, 19)}[course]
        profile = "phones" if gid == "TM-25" else "tablets" if gid == "EBU-26" else "normal"
        ready = gid != "ES-24"
        classes.append(StudentClass(
            id=gid, name=name, course=course, age_min=ages[0], age_max=ages[1], students=students, shift=1,
            week_days=6 if course == 1 else 5, bell_schedule="pairs", groups=groups,
            devices=split_devices(students, rng, profile),
            readiness=Readiness(chats_exist=True, members_joined=True, devices_confirmed=ready, test_call_done=ready)))
    class_order = [c.id for c in classes]

    versions = [
        TimetableVersion(id="autumn-2026", name="Осенний семестр 2026", valid_from=date(2026, 9, 1),
                         valid_to=date(2026, 12, 31)),
        TimetableVersion(id="spring-2027", name="Весенний семестр 2027", valid_from=date(2027, 1, 12),
                         valid_to=date(2027, 6, 30)),
    ]
    lessons: list[Lesson] = []
    for vi, (version, semester) in enumerate((("autumn-2026", "autumn"), ("spring-2027", "spring"))):
        loads = Loads()
        plans, units = [], []
        for c in classes:
            prog = next(p for g, _, p, _ in COLLEGE_GROUPS if g == c.id)
            spec = COLLEGE_PLAN[semester][1 if c.course == 1 else (prog, c.course)]
            every = spec["every"]
            slots = sum(every.values()) + len(spec["ab"]) + len(spec["a_only"])
            week_a = sum(every.values()) + len(spec["ab"]) + len(spec["a_only"])
            assert week_a <= COLLEGE_WEEKLY_CAP, (c.id, semester)
            lengths = day_lengths(slots, c.week_days, COLLEGE_DAILY_CAP, order=(1, 2, 3, 4, 5, 6))
            plans.append(ClassPlan(c.id, lengths, times))
            teacher_of: dict[str, str] = {}

            def teacher(sid: str, hours: int, exclude: tuple[str, ...] = (), teacher_of=teacher_of,
                        loads=loads) -> str:  # bound now: called within this iteration only
                if sid not in teacher_of or exclude:
                    t = loads.pick(pools[sid], hours, exclude)
                    if exclude:
                        return t
                    teacher_of[sid] = t
                return teacher_of[sid]

            for key, pairs in every.items():
                sid = key.rstrip("*")
                if key.endswith("*"):
                    div = "L" if sid == "ENG" else "S"
                    t1 = teacher(sid, pairs)
                    t2 = teacher(sid, pairs, exclude=(t1,))
                    cards = [Card(sid, (t1,), (f"{c.id}-{div}1",)), Card(sid, (t2,), (f"{c.id}-{div}2",))]
                else:
                    cards = [Card(sid, (teacher(sid, pairs),))]
                units.append(Unit(c.id, cards, pairs, max_per_day=1 if pairs <= c.week_days else 2))
            for sa, sb in spec["ab"]:
                units.append(Unit(c.id, [Card(sa, (teacher(sa, 1),), weeks="A"), Card(sb, (teacher(sb, 1),), weeks="B")],
                                  1))
            for sid in spec["a_only"]:
                units.append(Unit(c.id, [Card(sid, (teacher(sid, 1),), weeks="A")], 1, only_last=True))
        t0 = _time.perf_counter()
        placed = solve_timetable(plans, units, unavailable, {}, SEED + 200 + vi, f"college {version}")
        print(f"  college {version}: {len(units)} units placed in {_time.perf_counter() - t0:.1f} s", file=sys.stderr)
        lessons += lessons_from(version, units, placed, class_order)

    chats = [ChatLink(class_id=c.id, invite_link=invite_link("college-ptk", c.id)) for c in classes]
    for cid, sids in {"ISP-24": ["DEV", "DB"], "EBU-25": ["BUH"], "ES-24": ["ELS"]}.items():
        chats += [ChatLink(class_id=cid, subject_id=s, invite_link=invite_link("college-ptk", cid, s)) for s in sids]
    subjects = [Subject(id=sid, name=name, norm_key=key) for sid, name, key in COLLEGE_SUBJECTS]
    return School(id="college-ptk", name="ГБПОУ «Пермский промышленно-технологический техникум»", kind="college",
                  timezone="Asia/Yekaterinburg", calendar=calendar, bell_schedules=bells, classes=classes,
                  teachers=teachers, subjects=subjects, rooms=[], chats=chats, versions=versions, lessons=lessons)


# ====================================================================== main

def write(school: School, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv_folder(school, folder)
    write_xlsx(school, folder / "school.xlsx")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                    help="folder to write school-17/ and college-ptk/ into (default: sample_data/)")
    ap.add_argument("--only", choices=("school", "college"), help="generate one institution only")
    args = ap.parse_args(argv)
    started = _time.perf_counter()
    if args.only in (None, "school"):
        write(build_school(), args.out / "school-17")
    if args.only in (None, "college"):
        write(build_college(), args.out / "college-ptk")
    print(f"generated in {_time.perf_counter() - started:.1f} s → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
