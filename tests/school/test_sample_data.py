"""The sample institutions in sample_data/: they load, CSV and XLSX agree, and the timetable rules the
generator promises hold — re-checked here from the written files, independently of the generator's model."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.importers import load_school
from planner.school.calendar import lessons_on, week_letter
from planner.school.model import Activity, School, WeekMask

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data"
SCHOOL_DIR = SAMPLES / "school-17"
COLLEGE_DIR = SAMPLES / "college-ptk"

# Mondays of sample weeks: grade-1 step mode Sep–Oct, Nov–Dec, Jan–May; the college's autumn and spring
SCHOOL_WEEKS = [date(2026, 9, 14), date(2026, 11, 16), date(2027, 1, 18), date(2027, 4, 12)]
COLLEGE_WEEKS = [date(2026, 9, 7), date(2026, 9, 14), date(2027, 2, 1), date(2027, 2, 8)]

WEEKLY_CAP = {1: (21, 21), 2: (23, 26), 3: (23, 26), 4: (23, 26), 5: (29, 32), 6: (30, 33), 7: (32, 35),
              8: (33, 36), 9: (33, 36), 10: (34, 37), 11: (34, 37)}
DAILY_CAP = {1: 4, 2: 5, 3: 5, 4: 5, 5: 6, 6: 6, 7: 7, 8: 7, 9: 7, 10: 7, 11: 7}


@pytest.fixture(scope="module")
def school() -> School:
    return load_school(SCHOOL_DIR).school


@pytest.fixture(scope="module")
def college() -> School:
    return load_school(COLLEGE_DIR).school


def week(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(6)]


def minute(t) -> int:
    return t.hour * 60 + t.minute


def norm_key(s: School, subject_id: str) -> str | None:
    return s.subject_by_id(subject_id).norm_key


# ------------------------------------------------------------------ loading


@pytest.mark.parametrize("folder", [SCHOOL_DIR, COLLEGE_DIR], ids=["school", "college"])
def test_loads_and_xlsx_equals_csv(folder: Path) -> None:
    from_csv = load_school(folder)
    from_xlsx = load_school(folder / "school.xlsx")
    assert from_csv.school == from_xlsx.school
    assert from_csv.school.lessons


def test_school_loads_without_warnings() -> None:
    assert load_school(SCHOOL_DIR).warnings == []


def test_college_warnings_only_for_professional_subjects(college: School) -> None:
    warnings = load_school(COLLEGE_DIR).warnings
    assert warnings and all(w.collection == "subjects" and w.field == "norm_key" for w in warnings)


# ------------------------------------------------------------------ the school: counts and data


def test_school_counts(school: School) -> None:
    assert school.id == "school-17" and school.kind.value == "school"
    assert school.timezone == "Asia/Yekaterinburg"
    assert (school.calendar.year_start, school.calendar.year_end) == (date(2026, 9, 1), date(2027, 5, 31))
    assert school.calendar.a_week_monday is None
    per_grade = defaultdict(int)
    for c in school.classes:
        per_grade[c.grade] += 1
    assert dict(per_grade) == {1: 3, 2: 3, 3: 2, 4: 2, 5: 3, 6: 2, 7: 2, 8: 2, 9: 2, 10: 2, 11: 2}
    assert 40 <= len(school.teachers) <= 50
    for c in school.classes:
        assert re.fullmatch(r"\d{1,2}[A-Z]", c.id) and c.name.startswith(f"{c.grade}")
        assert (c.age_min, c.age_max) == (c.grade + 6, c.grade + 7)
        assert (c.students <= 15) if c.ovz else (22 <= c.students <= 30)
        assert c.devices.total == c.students
        assert c.week_days == (6 if c.grade >= 10 else 5)
    assert sum(c.ovz for c in school.classes) == 1
    assert len({t.name for t in school.teachers}) == len(school.teachers)
    assert all(len(t.name.split()) == 3 for t in school.teachers)
    assert any(t.unavailable for t in school.teachers)
    assert len(school.calendar.transferred_days) == 1
    assert len(school.calendar.holidays) >= 8


def test_school_devices_and_readiness(school: School) -> None:
    assert any(c.devices.tablet * 2 > c.students for c in school.classes)  # one class mostly on tablets
    assert any(c.devices.phone * 3 >= c.students for c in school.classes)  # one with a third on phones
    not_ready = [c.id for c in school.classes if not c.readiness.ready]
    assert len(not_ready) == 1


def test_chats(school: School, college: School) -> None:
    for s in (school, college):
        class_chats = {ch.class_id for ch in s.chats if ch.subject_id is None}
        assert class_chats == {c.id for c in s.classes}
        assert any(ch.subject_id for ch in s.chats)
        for ch in s.chats:
            assert re.fullmatch(r"https://max\.ru/join/[A-Za-z0-9]{12}", ch.invite_link)
            assert ch.chat_id is None
        assert len({ch.invite_link for ch in s.chats}) == len(s.chats)


def test_subjects(school: School) -> None:
    by_name = {s.name: s for s in school.subjects}
    for name in ("Русский язык", "Литературное чтение", "Алгебра", "Вероятность и статистика", "Окружающий мир",
                 "Труд (технология)", "Индивидуальный проект", "Иностранный язык (немецкий)"):
        assert name in by_name
    extra = [s for s in school.subjects if s.activity == Activity.EXTRACURRICULAR]
    assert len(extra) == 1 and extra[0].norm_key is None
    assert all(s.norm_key for s in school.subjects if s.activity == Activity.LESSON)


def test_language_groups(school: School) -> None:
    german = 0
    for c in school.classes:
        lang = [g for g in c.groups if g.division == "lang"]
        if 2 <= c.grade and c.students >= 20:
            assert len(lang) == 2 and sum(g.students for g in lang) == c.students
        foreign = [le for le in school.lessons if c.id in le.classes and norm_key(school, le.subject) ==
                   "foreign_language"]
        assert bool(foreign) == (c.grade >= 2)
        if lang:
            slots = defaultdict(list)
            for le in foreign:
                slots[le.version, le.day, le.period].append(le)
            for parallel in slots.values():
                assert len(parallel) == 2
                assert {g for le in parallel for g in le.groups} == {g.id for g in lang}
                assert len({t for le in parallel for t in le.teachers}) == 2
            german += any(le.subject != "ENG" for le in foreign)
    assert german == 1


# ------------------------------------------------------------------ the school: bells and shifts


def breaks(periods) -> list[int]:
    ps = sorted(periods, key=lambda p: p.number)
    return [minute(b.start) - minute(a.end) for a, b in zip(ps, ps[1:])]


def test_school_bells(school: School) -> None:
    ovz_bells = {c.bell_schedule for c in school.classes if c.ovz}
    g1_bells = {c.bell_schedule for c in school.classes if c.grade == 1}
    assert len(ovz_bells) == 1 and len(g1_bells) == 1 and not ovz_bells & g1_bells
    for b in school.bell_schedules:
        for v in b.variants:
            gaps = breaks(v.periods)
            assert min(gaps) >= 10, b.id
            big = (len(gaps) >= 2 and 20 <= gaps[1] <= 30) or (len(gaps) >= 3 and 20 <= gaps[2] <= 30) or \
                  (len(gaps) >= 3 and gaps[1] >= 20 and gaps[2] >= 20)
            assert big, b.id
            assert min(minute(p.start) for p in v.periods) >= 8 * 60
            assert max(minute(p.end) for p in v.periods) <= 19 * 60
            limit = 40 if b.id in ovz_bells else 45
            assert all(p.minutes <= limit for p in v.periods), b.id
    g1 = school.bells_by_id(next(iter(g1_bells)))
    autumn, spring = g1.on(date(2026, 9, 1)), g1.on(date(2027, 1, 12))
    assert autumn is not spring and g1.on(date(2026, 12, 31)) is autumn and g1.on(date(2027, 5, 31)) is spring
    assert {p.minutes for p in autumn.periods} == {35} and {p.minutes for p in spring.periods} == {40}
    for v in g1.variants:
        assert breaks(v.periods)[1] >= 40  # dynamic pause after lesson 2


def test_shifts(school: School) -> None:
    second = [c for c in school.classes if c.shift == 2]
    assert second and all(c.grade in (2, 3, 4, 6) and not c.ovz for c in second)
    for c in school.classes:
        if c.grade in (1, 5, 9, 10, 11) or c.ovz:
            assert c.shift == 1, c.id
    for c in second:
        bells = school.bells_by_id(c.bell_schedule).variants
        assert all(minute(min(v.periods, key=lambda p: p.number).start) >= 13 * 60 for v in bells)
        assert all(len(v.periods) <= 6 for v in bells)
    first_bells = {c.bell_schedule for c in school.classes if c.shift == 1}
    assert not first_bells & {c.bell_schedule for c in second}


# ------------------------------------------------------------------ the school: the timetable on real dates


def periods_of(dated) -> list[int]:
    return sorted({p for d in dated for p in d.lesson.periods})


def test_school_daily_and_weekly_caps(school: School) -> None:
    checked = 0
    transfers = [t.date - timedelta(days=t.date.isoweekday() - 1) for t in school.calendar.transferred_days]
    assert transfers
    for monday in SCHOOL_WEEKS + transfers:  # a transferred working day must not overload its week
        for c in school.classes:
            weekly = 0
            long_days = 0
            for day in week(monday):
                dated = lessons_on(school, c, day)
                if not dated:
                    assert day.isoweekday() > c.week_days or monday in transfers, (c.id, day)
                    continue
                slots = periods_of(dated)
                assert slots == list(range(1, len(slots) + 1)), (c.id, day, slots)  # from lesson 1, no gaps
                n = len(slots)
                keys_by_period = defaultdict(set)
                for d in dated:
                    for p in d.lesson.periods:
                        keys_by_period[p].add(norm_key(school, d.lesson.subject))
                if c.grade == 1:
                    cap = 3 if day.month in (9, 10) else 4
                    if day.month <= 5 and n == 5:  # Jan–May: once a week a 5th lesson, physical education
                        assert keys_by_period[5] == {"pe"}, (c.id, day)
                        long_days += 1
                        n = 4
                    assert n <= cap, (c.id, day, n)
                elif c.grade <= 4:
                    if n == 6:
                        assert "pe" in set().union(*keys_by_period.values()), (c.id, day)
                        long_days += 1
                        n = 5
                    assert n <= 5, (c.id, day, n)
                else:
                    assert n <= DAILY_CAP[c.grade], (c.id, day, n)
                weekly += len({p for d in dated if school.subject_by_id(d.lesson.subject).activity == Activity.LESSON
                               for p in d.lesson.periods})
                checked += 1
            assert long_days <= 1, (c.id, monday)
            if c.grade == 1 and monday.month in (9, 10):
                assert weekly <= 15
            assert weekly <= WEEKLY_CAP[c.grade][0 if c.week_days == 5 else 1], (c.id, monday, weekly)
    assert checked > 400


def test_grade1_step_mode(school: School) -> None:
    g1 = [c for c in school.classes if c.grade == 1]
    for c in g1:
        per_month = {}
        for monday in SCHOOL_WEEKS[:3]:
            per_month[monday.month] = sorted(len(periods_of(lessons_on(school, c, d))) for d in week(monday)[:5])
        assert per_month[9] == [3] * 5
        assert per_month[11] == [4] * 5
        assert per_month[1] == [4, 4, 4, 4, 5]
        specific = {v.id for v in school.versions if c.id in v.classes}
        assert len(specific) == 3


def test_no_clashes_and_teachers_teach_their_subjects(school: School, college: School) -> None:
    for s, weeks in ((school, SCHOOL_WEEKS), (college, COLLEGE_WEEKS)):
        teacher_subjects = {t.id: set(t.subjects) for t in s.teachers}
        for le in s.lessons:
            for t in le.teachers:
                assert le.subject in teacher_subjects[t], (le.id, t)
        division = {g.id: g.division for c in s.classes for g in c.groups}
        for monday in weeks:
            for day in week(monday):
                by_teacher = defaultdict(list)
                for c in s.classes:
                    dated = lessons_on(s, c, day)
                    per_period = defaultdict(list)
                    for d in dated:
                        for t in d.lesson.teachers:
                            by_teacher[t].append((d.start_minute, d.end_minute, d.lesson.id))
                        for p in d.lesson.periods:
                            per_period[p].append(d.lesson)
                    for p, les in per_period.items():
                        if len(les) > 1:  # only parallel groups of one division
                            groups = [g for le in les for g in le.groups]
                            assert all(le.groups for le in les), (c.id, day, p)
                            assert len(groups) == len(set(groups)) and len({division[g] for g in groups}) == 1
                for t, items in by_teacher.items():
                    items.sort()
                    for (_s1, e1, a), (s2, _e2, b) in zip(items, items[1:]):
                        assert e1 <= s2, (t, day, a, b)  # clock times never overlap, across shifts too


def test_extracurricular_first_on_monday(school: School) -> None:
    extra = {s.id for s in school.subjects if s.activity == Activity.EXTRACURRICULAR}
    for c in school.classes:
        for v in school.versions:
            if v.classes and c.id not in v.classes:
                continue
            mine = [le for le in school.lessons if le.version == v.id and c.id in le.classes]
            if not mine:
                continue
            ev = [le for le in mine if le.subject in extra]
            assert [(le.day, le.period) for le in ev] == [(1, 1)], (c.id, v.id)


def test_transferred_day_follows_monday(school: School) -> None:
    t = school.calendar.transferred_days[0]
    assert t.date.isoweekday() == 6 and t.as_weekday == 1
    five_day = next(c for c in school.classes if c.week_days == 5 and c.grade > 1)
    dated = lessons_on(school, five_day, t.date)
    assert dated and all(d.lesson.day == 1 for d in dated)


def test_double_technology(school: School) -> None:
    doubles = [le for le in school.lessons if le.duration == 2]
    assert doubles
    assert all(norm_key(school, le.subject) == "technology" and 5 <= school.class_by_id(le.classes[0]).grade <= 8
               for le in doubles)


# ------------------------------------------------------------------ the college


def test_college_counts(college: School) -> None:
    assert college.kind.value == "college" and college.timezone == "Asia/Yekaterinburg"
    assert (college.calendar.year_start, college.calendar.year_end) == (date(2026, 9, 1), date(2027, 6, 30))
    assert college.calendar.a_week_monday == date(2026, 8, 31)
    assert week_letter(college, date(2026, 9, 1)) == WeekMask.A
    assert 10 <= len(college.classes) <= 14
    assert 20 <= len(college.teachers) <= 32
    for c in college.classes:
        assert c.grade is None and c.course in (1, 2, 3, 4)
        assert 15 <= c.age_min <= c.age_max <= 19
        assert c.devices.total == c.students
        assert {g.division for g in c.groups} == {"sub", "lang"}
        for div in ("sub", "lang"):
            assert sum(g.students for g in c.groups if g.division == div) == c.students
    assert {c.week_days for c in college.classes} == {5, 6}
    assert {v.id for v in college.versions} == {"autumn-2026", "spring-2027"}


def test_college_bells(college: School) -> None:
    (bells,) = college.bell_schedules
    (variant,) = bells.variants
    assert [p.minutes for p in variant.periods] == [90] * len(variant.periods)
    assert min(breaks(variant.periods)) >= 10 and max(breaks(variant.periods)) >= 30  # lunch
    assert minute(variant.periods[0].start) >= 8 * 60 and minute(variant.periods[-1].end) <= 19 * 60


def test_college_pairs_per_day_and_week(college: School) -> None:
    letters = set()
    for monday in COLLEGE_WEEKS:
        letters.add(week_letter(college, monday))
        for c in college.classes:
            weekly = 0
            for day in week(monday):
                slots = periods_of(lessons_on(college, c, day))
                assert slots == list(range(1, len(slots) + 1)), (c.id, day, slots)
                assert len(slots) <= 4
                weekly += len(slots)
            assert 12 <= weekly <= 18, (c.id, monday, weekly)
    assert letters == {WeekMask.A, WeekMask.B}


def test_college_ab_weeks(college: School) -> None:
    a_only = [le for le in college.lessons if le.weeks == WeekMask.A]
    b_only = [le for le in college.lessons if le.weeks == WeekMask.B]
    assert a_only and b_only
    slots = defaultdict(set)
    for le in a_only + b_only:
        slots[le.version, le.classes[0], le.day, le.period].add(le.weeks)
    assert any(v == {WeekMask.A, WeekMask.B} for v in slots.values())  # two cards, one slot, A and B
    assert any(v == {WeekMask.A} for v in slots.values())  # a pair in week A only
    subgroup_lessons = [le for le in college.lessons if any(g.endswith(("-S1", "-S2")) for g in le.groups)]
    assert subgroup_lessons
    # the two semesters are placed differently
    def placement(version: str) -> set:
        return {(le.classes[0], le.subject, le.day, le.period) for le in college.lessons if le.version == version}
    assert placement("autumn-2026") != placement("spring-2027")


# ------------------------------------------------------------------ reproducibility


def test_generator_reproduces_identical_files(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True, timeout=180, cwd=ROOT)
    for name in ("school-17", "college-ptk"):
        committed = sorted(p.name for p in (SAMPLES / name).iterdir() if p.is_file())  # scenarios/ is hand-written
        fresh = sorted(p.name for p in (tmp_path / name).iterdir())
        assert committed == fresh
        for f in committed:
            if f.endswith(".xlsx"):
                # the workbook's XML bytes depend on whether lxml is installed (openpyxl's writer), so the
                # workbook is compared by content; the canonical CSV files are compared byte for byte
                assert load_school(SAMPLES / name / f).school == load_school(tmp_path / name / f).school, f
                continue
            assert (SAMPLES / name / f).read_bytes() == (tmp_path / name / f).read_bytes(), f"{name}/{f}"
