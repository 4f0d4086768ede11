"""Property test: random small schools and scenarios always give a plan, and the plan adds no violation."""

from datetime import date, time, timedelta

from builders import library
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.audit import audit_plan
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict
from planner.school.model import (
    BellSchedule, BellVariant, DeviceCounts, Lesson, Period, Readiness, School, SchoolCalendar, StudentClass, SubGroup,
    Subject, Teacher, TimetableVersion,
)

from .test_plan_schema import schema_errors

SUBJECTS = [("math", "Математика", "math"), ("rus", "Русский язык", "russian"), ("eng", "Английский язык",
            "foreign_language"), ("hist", "История", "history"), ("pe", "Физическая культура", "pe"),
            ("mus", "Музыка", "music"), ("phys", "Физика", "physics")]
BELLS = [(8, 30, 9, 15), (9, 25, 10, 10), (10, 30, 11, 15), (11, 25, 12, 10), (12, 20, 13, 5)]
MONDAY = date(2026, 11, 30)


@st.composite
def schools_and_scenarios(draw):
    n = draw(st.integers(1, 3))
    classes, lessons, teachers = [], [], {}
    for ci in range(n):
        cid = f"K{ci}"
        grade = draw(st.integers(2, 11))
        pc, laptop, tablet, phone = draw(st.integers(0, 12)), draw(st.integers(0, 8)), draw(st.integers(0, 8)), \
            draw(st.integers(0, 6))
        none = 25 - pc - laptop - tablet - phone if pc + laptop + tablet + phone <= 25 else 0
        split = draw(st.booleans())
        groups = [SubGroup(id=f"{cid}-g1", name="1 гр.", students=12, division="lang"),
                  SubGroup(id=f"{cid}-g2", name="2 гр.", students=13, division="lang")] if split else []
        classes.append(StudentClass(
            id=cid, name=f"{grade}{'АБВ'[ci]}", grade=grade, age_min=grade + 6, age_max=grade + 7,
            students=pc + laptop + tablet + phone + none, bell_schedule="b", groups=groups,
            devices=DeviceCounts(pc=pc, laptop=laptop, tablet=tablet, phone=phone, none=none),
            readiness=Readiness(chats_exist=True, members_joined=True, devices_confirmed=True,
                                test_call_done=draw(st.sampled_from([True, True, True, False])))))
        for day in range(1, 6):
            count = draw(st.integers(1, 5))
            for period in range(1, count + 1):
                sid = draw(st.sampled_from([s[0] for s in SUBJECTS]))
                # a teacher shared by all classes teaches music at period == class index + 1
                if sid == "mus" and period == ci + 1:
                    tid = "T-shared"
                else:
                    tid = f"T-{sid}-{cid}"
                teachers.setdefault(tid, {sid})
                if split and sid == "eng":
                    for g in groups:
                        gt = f"{tid}-{g.id}"
                        teachers.setdefault(gt, {sid})
                        lessons.append(Lesson(id=f"{cid}-{day}-{period}-{g.id}", version="v", classes=[cid],
                                              groups=[g.id], teachers=[gt], subject=sid, day=day, period=period))
                else:
                    lessons.append(Lesson(id=f"{cid}-{day}-{period}", version="v", classes=[cid], teachers=[tid],
                                          subject=sid, day=day, period=period))
    used_teachers = sorted({t for le in lessons for t in le.teachers})
    school = School(
        id="random", name="Случайная школа", timezone="Europe/Moscow",
        calendar=SchoolCalendar(year_start=date(2026, 9, 1), year_end=date(2027, 5, 31)),
        bell_schedules=[BellSchedule(id="b", variants=[BellVariant(periods=[
            Period(number=i + 1, start=time(a, b), end=time(c, d)) for i, (a, b, c, d) in enumerate(BELLS)])])],
        classes=classes,
        teachers=[Teacher(id=t, name=t, subjects=sorted({s[0] for s in SUBJECTS})) for t in used_teachers],
        subjects=[Subject(id=s, name=name, norm_key=key) for s, name, key in SUBJECTS],
        versions=[TimetableVersion(id="v", valid_from=date(2026, 9, 1), valid_to=date(2027, 5, 31))],
        lessons=lessons)
    online = draw(st.lists(st.sampled_from([c.id for c in classes]), min_size=1, unique=True))
    states = []
    if used_teachers and draw(st.booleans()):
        states.append({"teacher": draw(st.sampled_from(used_teachers)),
                       "state": draw(st.sampled_from(["sick", "remote_only"]))})
    days = draw(st.integers(0, 4))
    scenario = scenario_from_dict({
        "name": "random", "reason": "other", "start": MONDAY, "end": MONDAY + timedelta(days=days), "online": {"classes": online}, "teachers": states,
        "policy": {"reserve_minutes": draw(st.integers(0, 60)),
                   "min_break_minutes": draw(st.sampled_from([10, 15])),
                   "transition_buffer_minutes": draw(st.sampled_from([0, 10, 20]))}})
    return school, scenario


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(schools_and_scenarios())
def test_random_schools_give_a_plan_that_adds_no_violation(case):
    school, scenario = case
    plan = rebuild(school, scenario, library(), time_limit=5)
    report = audit_plan(school, plan, library())
    new = [f for f in report.findings if f.severity == "violation" and not f.preexisting]
    assert not new, [f.text("en") for f in new][:3]
    assert schema_errors(plan) == []  # valid by construction (issue 13, item 5)
    online = set(scenario.online.classes)
    assert {o.class_id for o in plan.occurrences if o.mode in ("live", "async")} <= online
