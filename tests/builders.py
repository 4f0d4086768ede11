"""Small schools built in code for norm-check tests: one class, one bell schedule, a weekly timetable."""

from __future__ import annotations

from datetime import date, time

from planner.audit.views import ClassDay, regular_class_day
from planner.norms import NormLibrary
from planner.school.model import (
    Activity, BellSchedule, BellVariant, DeviceCounts, Lesson, Period, Readiness, School, SchoolCalendar, StudentClass, Subject, Teacher,
    TimetableVersion,
)

# subject id -> (name, norm key, activity)
SUBJECTS = {
    "math": ("Математика", "math", Activity.LESSON),
    "algebra": ("Алгебра", "algebra", Activity.LESSON),
    "geometry": ("Геометрия", "geometry", Activity.LESSON),
    "russian": ("Русский язык", "russian", Activity.LESSON),
    "literature": ("Литература", "literature", Activity.LESSON),
    "english": ("Иностранный язык (английский)", "foreign_language", Activity.LESSON),
    "history": ("История", "history", Activity.LESSON),
    "biology": ("Биология", "biology", Activity.LESSON),
    "physics": ("Физика", "physics", Activity.LESSON),
    "music": ("Музыка", "music", Activity.LESSON),
    "art": ("Изобразительное искусство", "fine_art", Activity.LESSON),
    "pe": ("Физическая культура", "pe", Activity.LESSON),
    "technology": ("Труд (технология)", "technology", Activity.LESSON),
    "reading": ("Литературное чтение", "literary_reading", Activity.LESSON),
    "world": ("Окружающий мир", "world_around", Activity.LESSON),
    "club": ("Шахматный клуб", None, Activity.EXTRACURRICULAR),
}

STANDARD_BELLS = [("08:30", "09:15"), ("09:25", "10:10"), ("10:30", "11:15"), ("11:25", "12:10"),
                  ("12:20", "13:05"), ("13:15", "14:00"), ("14:10", "14:55"), ("15:05", "15:50")]

MONDAY = date(2026, 11, 30)  # a school week in the sample year (no holidays Mon 30.11 – Sat 05.12.2026)


def _t(text: str) -> time:
    hh, mm = text.split(":")
    return time(int(hh), int(mm))


def make_school(week: dict[int, list[str]], *, grade: int | None = 7, course: int | None = None, shift: int = 1,
                week_days: int = 5, ovz: bool = False, bells: list[tuple[str, str]] | None = None,
                bell_variants: list[tuple[date | None, date | None, list[tuple[str, str]]]] | None = None,
                start_period: dict[int, int] | None = None, extra_lessons: list[Lesson] = (),
                extra_classes: list[StudentClass] = (), teachers: dict[str, str] | None = None,
                devices: DeviceCounts | None = None, ready: bool = True,
                year: tuple[date, date] = (date(2026, 9, 1), date(2027, 5, 31))) -> School:
    """One class 'C' whose timetable is week[weekday] = subject ids from period start_period[weekday] (1)."""
    variants = bell_variants or [(None, None, bells or STANDARD_BELLS)]
    schedule = BellSchedule(id="main", variants=[
        BellVariant(valid_from=f, valid_to=t, periods=[Period(number=i + 1, start=_t(a), end=_t(b))
                                                        for i, (a, b) in enumerate(ps)]) for f, t, ps in variants])
    age = (grade + 6) if grade is not None else 16
    klass = StudentClass(id="C", name="7А" if grade else "ИСП-25", grade=grade, course=course, age_min=age,
                         age_max=age + 1, students=25, shift=shift, week_days=week_days, bell_schedule="main", ovz=ovz,
                         devices=devices or DeviceCounts(pc=25),
                         readiness=Readiness(chats_exist=ready, members_joined=ready, devices_confirmed=ready,
                                             test_call_done=ready))
    teacher_of = teachers or {}
    lessons = []
    for day, subjects in week.items():
        first = (start_period or {}).get(day, 1)
        for i, subj in enumerate(subjects):
            lessons.append(Lesson(id=f"L{day}{i + first}", version="v", classes=["C"], subject=subj, day=day,
                                  period=i + first, teachers=[teacher_of.get(subj, f"T-{subj}")]))
    used = {le.subject for le in [*lessons, *extra_lessons]}
    subjects = [Subject(id=s, name=SUBJECTS[s][0], norm_key=SUBJECTS[s][1], activity=SUBJECTS[s][2]) for s in used]
    teacher_ids = sorted({t for le in [*lessons, *extra_lessons] for t in le.teachers})
    return School(
        id="tiny", name="Тестовая школа", kind="college" if course else "school", timezone="Asia/Yekaterinburg",
        calendar=SchoolCalendar(year_start=year[0], year_end=year[1]), bell_schedules=[schedule],
        classes=[klass, *extra_classes], teachers=[Teacher(id=t, name=t) for t in teacher_ids], subjects=subjects,
        versions=[TimetableVersion(id="v", valid_from=year[0], valid_to=year[1])],
        lessons=[*lessons, *extra_lessons])


_LIB: NormLibrary | None = None


def library() -> NormLibrary:
    global _LIB
    if _LIB is None:
        _LIB = NormLibrary.load()
    return _LIB


def class_day(school: School, day: date, class_id: str = "C", lib: NormLibrary | None = None) -> ClassDay:
    lib = lib or library()
    cd = regular_class_day(school, school.class_by_id(class_id), day, lib.in_force(day))
    assert cd is not None, f"no lessons on {day}"
    return cd


def class_week(school: School, monday: date = MONDAY, class_id: str = "C") -> list[ClassDay]:
    from datetime import timedelta

    lib = library()
    days = []
    for i in range(7):
        d = monday + timedelta(days=i)
        cd = regular_class_day(school, school.class_by_id(class_id), d, lib.in_force(d))
        if cd is not None:
            days.append(cd)
    return days
