"""Russian that reads right in messages (issue 13, item 4): a college message speaks of группы and пары and
преподаватели; the time zone is named by its city and offset from Moscow."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from planner.importers import load_school
from planner.norms import NormLibrary
from planner.publish.chat.compose import class_text, teacher_text, teachers_text
from planner.rebuild import rebuild
from planner.scenario import scenario_from_toml
from planner.text import timezone_ru

SAMPLES = Path(__file__).resolve().parents[3] / "sample_data"


def test_a_college_message_says_group_and_pair():
    school = load_school(SAMPLES / "college-ptk").school
    plan = rebuild(school, scenario_from_toml(SAMPLES / "college-ptk" / "scenarios" /
                                              "01-frost-whole-college-week-b.toml"), NormLibrary.load(),
                   time_limit=10, workers=1)
    texts = [class_text(school, plan, c.id) for c in school.classes]
    text = next(t for t in texts if t and "Онлайн-" in t)
    assert "Онлайн-пары:" in text and "Онлайн-уроки" not in text
    staff = teachers_text(school, plan)
    assert staff.startswith("Преподавателям — ") and "Группы на дистанте" in staff and "Классы" not in staff
    assert f"Время местное: {timezone_ru(school.timezone, plan.scenario.start)}." in text
    # the calls are shorter than the pairs: the message says what to do for the rest of the pair, in college words
    assert "Звонок короче пары: после звонка и до конца пары по расписанию" in text
    assert "которое преподаватель даст на звонке" in text
    # the families' section and its day lines speak of студенты and онлайн-пары, never of уроки or учителя
    family = [t for t in texts if t and "без компьютера, ноутбука или планшета" in t]
    assert family
    for t in family:
        assert "студентов без компьютера" in t and "от онлайн-пар (" in t and "к онлайн-парам, сдать до" in t
        assert "обучающ" not in t and "онлайн-урок" not in t and "учител" not in t and "урока" not in t
        assert "по правилу колледжа" in t and "по правилу школы" not in t
    # a teacher's own list of alternatives for the students without a device
    teacher_texts = [teacher_text(school, plan, t.id) for t in school.teachers]
    alt = [t for t in teacher_texts if t and "без устройства или с отказом (п. 3.7)" in t]
    assert alt and all("Для студентов без устройства" in t and "обучающ" not in t for t in alt)


def test_a_college_cover_note_names_the_absent_lecturer_in_college_words():
    school = load_school(SAMPLES / "college-ptk").school
    plan = rebuild(school, scenario_from_toml(SAMPLES / "college-ptk" / "scenarios" /
                                              "04-first-course-sick-history-teacher.toml"), NormLibrary.load(),
                   time_limit=10, workers=1)
    texts = [t for t in (class_text(school, plan, c.id) for c in school.classes) if t]
    joined = "\n".join(texts)
    assert "замена: преподаватель отсутствует" in joined  # the online cover of the history lecturer's pairs
    assert "учитель отсутствует" not in joined
    assert "больн" not in joined and "болеет" not in joined  # never why
    # the deputy's amber notices (the plan page) speak of the college too: «в колледже», not «в школе»
    assert plan.notices
    assert all(("в колледже" in n.text_ru or "преподаватель" in n.text_ru) and "в школе" not in n.text_ru
               and "учител" not in n.text_ru for n in plan.notices)


def test_a_school_message_keeps_school_words():
    school = load_school(SAMPLES / "school-17").school
    plan = rebuild(school, scenario_from_toml(SAMPLES / "school-17" / "scenarios" / "05-sick-physics-teacher.toml"),
                   NormLibrary.load(), time_limit=10, workers=1)
    staff = teachers_text(school, plan)
    assert staff.startswith("Учителям — ") and "Преподавателям" not in staff
    # one absent teacher: the verb agrees with one person («Отсутствует», not «Отсутствуют»)
    assert "Отсутствует: Григорьев Виктор Юрьевич." in staff and "Отсутствуют:" not in staff
    # a school message keeps school words in the families' section
    text = class_text(school, plan, "5A")
    assert "Для 4 обучающихся без компьютера" in text and "к онлайн-урокам, сдать до" in text
    assert "Звонок короче урока: после звонка и до конца урока" in text and "которое учитель даст" in text


def test_the_time_zone_is_named_by_city_and_moscow_offset():
    assert timezone_ru("Asia/Yekaterinburg", date(2026, 12, 7)) == "Екатеринбург, МСК+2"
    assert timezone_ru("Europe/Moscow", date(2026, 12, 7)) == "Москва, МСК"
    assert timezone_ru("Europe/Kaliningrad", date(2026, 12, 7)) == "Калининград, МСК−1"


def test_async_work_in_feeds_is_a_short_event_not_a_block_over_the_calls():
    from planner.plan import Mode
    from planner.publish.feeds.events import event_uid, events_from_plan

    school = load_school(SAMPLES / "school-17").school
    plan = rebuild(school, scenario_from_toml(SAMPLES / "school-17" / "scenarios" / "05-sick-physics-teacher.toml"),
                   NormLibrary.load(), time_limit=10, workers=1)
    by_uid = {event_uid(o.key, o.part, school.id): o for o in plan.occurrences}
    events = [e for e in events_from_plan(school, plan) if e.kind == "async"]
    assert events
    for e in events:
        o = by_uid[e.uid]
        assert e.end - e.start <= timedelta(minutes=15) and e.start >= o.async_work.window_start
        live_same_pupils = [x for x in plan.occurrences if x.date == o.date and x.class_id == o.class_id
                            and x.mode == Mode.LIVE and (not x.groups or not o.groups or set(x.groups) & set(o.groups))]
        assert not any(x.start < e.end and e.start < x.end for x in live_same_pupils), e.summary


def test_light_subjects_async_kinds_read_naturally_everywhere():
    """Issue 13: PE movement recommendations and a class hour have nothing to hand in, and every text says so
    («сдавать не нужно», no «сдать до»); music and art say «творческое задание» with their relaxed term — in the
    class message, the feed event and the e-journal sheet alike."""
    from planner.plan import Mode
    from planner.publish.ejournal.epos import epos_tables
    from planner.publish.feeds.events import event_uid, events_from_plan

    school = load_school(SAMPLES / "school-17").school
    plan = rebuild(school, scenario_from_toml(SAMPLES / "school-17" / "scenarios" / "01-frost-whole-school.toml"),
                   NormLibrary.load(), time_limit=10, workers=1)
    names = {s.id: s.name for s in school.subjects}
    events = {e.uid: e for e in events_from_plan(school, plan)}
    rows = epos_tables(school, plan).lessons
    found = set()
    for o in plan.occurrences:
        w = o.async_work
        if o.mode != Mode.ASYNC or w is None or w.kind not in ("movement", "creative"):
            continue
        found.add(w.kind)
        subject = names[o.subject_id]
        line = next(ln for ln in class_text(school, plan, o.class_id).splitlines()
                    if ln.startswith(subject) and w.window_start.astimezone(plan_tz(school)).strftime("%H:%M") in ln)
        event = events[event_uid(o.key, o.part, school.id)]
        klass = school.class_by_id(o.class_id).name
        row = next(r for r in rows if r[0] == o.date and r[1].startswith(klass) and r[4].startswith(subject)
                   and r[6].startswith("самостоятельная работа"))
        if w.kind == "movement":
            assert "рекомендации по двигательной активности" in line and "сдавать не нужно" in line, line
            assert "сдать до" not in line and "сдать до" not in event.description + event.summary
            assert "сдавать не нужно" in event.description
            assert "сдавать не нужно" in row[8] and row[9] is None, row
        else:
            assert "творческое задание" in line and f"сдать до {w.deadline:%d.%m.%Y}" in line, line
            assert f"сдать до {w.deadline:%d.%m.%Y}" in event.description and row[9] == w.deadline
    assert found == {"movement", "creative"}


def plan_tz(school):
    from zoneinfo import ZoneInfo

    return ZoneInfo(school.timezone)


def test_chat_names_in_a_college_say_group_and_lecturers():
    """Seen on «Публикация» for the college: «Чат класса ИСП-26 — частей: 2» and «Чат учителей»."""
    from planner.publish.chat.compose import ChatMessage, chat_label_ru
    from planner.ui.publish_view import chat_title

    college = load_school(SAMPLES / "college-ptk").school
    school = load_school(SAMPLES / "school-17").school
    group = college.classes[0]
    assert chat_label_ru(college, f"class:{group.id}") == f"чат группы {group.name}"
    assert chat_label_ru(college, "teachers") == "чат преподавателей"
    assert chat_label_ru(school, "class:5A") == "чат класса 5А" and chat_label_ru(school, "teachers") == "чат учителей"
    message = ChatMessage(chat_key=f"class:{group.id}", chat_id=None, invite_link=None, text_parts=("—",))
    assert chat_title(college, message) == f"Чат группы {group.name}"
    staff = ChatMessage(chat_key="teachers", chat_id=None, invite_link=None, text_parts=("—",))
    assert chat_title(college, staff) == "Чат преподавателей" and chat_title(school, staff) == "Чат учителей"
