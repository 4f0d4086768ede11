"""The aSc Timetables XML importer: the real Ukrainian export, A/B weeks, doubles, and one clear error per bad input."""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.audit import audit_plan, audit_school
from planner.errors import InputError
from planner.importers import xmlsafe
from planner.importers.asc import default_school_year, first_school_monday, load_asc
from planner.norms import NormLibrary
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict
from planner.school.calendar import lessons_on
from planner.school.model import WeekMask

REAL = Path(os.environ.get("PLANNER_ASC_SAMPLE", Path(__file__).resolve().parents[3] / "shared" / "datasets" / "asc"
                           / "ukrainian-school-2019-01.xml"))
YEAR = {"year_start": date(2026, 9, 1), "year_end": date(2027, 5, 31)}  # the norm sets hold before 2027-01-01
WEEK_A = (date(2026, 12, 7), date(2026, 12, 11))  # week A with the default first-school-week anchor 2026-08-31
STAT_KEYS = {"teachers", "classes", "subjects", "classrooms", "groups", "lessons", "cards", "days", "periods",
             "double_cards"}
TUESDAY_A, TUESDAY_B = date(2026, 12, 8), date(2026, 12, 15)


def _real_bytes() -> bytes:
    assert REAL.is_file(), (f"the real aSc export is missing: {REAL} (the shared data set; set PLANNER_ASC_SAMPLE to "
                            "its path)")
    return REAL.read_bytes()


@pytest.fixture(scope="module")
def real():
    _real_bytes()
    return load_asc(REAL, **YEAR)


def _write(tmp_path: Path, content: bytes | str, name: str = "t.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _error(path: Path, **kwargs) -> InputError:
    with pytest.raises(InputError) as err:
        load_asc(path, **{**YEAR, **kwargs})
    assert err.value.location.file == str(path)
    assert "internal error" not in err.value.message_en
    return err.value


def _mini(lessons: str = "", cards: str = "", *, classes: str = "", groups: str = "", days: str | None = None,
          extra: str = "") -> str:
    """A small aSc export: two periods, 5 days, classes 5-А (with two groups) and ' 7-Б', one teacher, two subjects."""
    days = days if days is not None else "<days>" + "".join(f'<day day="{i}" name="d{i}"/>' for i in range(5)) + \
        "</days>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<timetable importtype="database">\n'
        f"{days}\n"
        '<periods><period period="1" starttime="8:30" endtime="9:15"/><period period="2" starttime="9:25" '
        'endtime="10:10"/><period period="3" starttime="10:30" endtime="11:15"/></periods>\n'
        '<teachers><teacher id="t1" name="Іванова І.І."/><teacher id="t2" name="Петров П.П."/></teachers>\n'
        '<classes><class id="c1" name="5-А"/><class id="c2" name=" 7-Б"/>' + classes + "</classes>\n"
        '<subjects><subject id="s1" name="Математика"/><subject id="s2" name="Фізкультура "/></subjects>\n'
        '<classrooms><classroom id="r1" name="12"/></classrooms>\n'
        '<groups><group id="g0" classid="c1" name="Весь клас" entireclass="1" divisiontag="0" studentcount="24"/>'
        '<group id="g1" classid="c1" name="1 група" entireclass="0" divisiontag="1" studentcount=""/>'
        '<group id="g2" classid="c1" name="2 група" entireclass="0" divisiontag="1" studentcount=""/>' + groups +
        "</groups>\n"
        f"<lessons>{lessons}</lessons>\n<cards>{cards}</cards>\n{extra}</timetable>\n")


L1 = '<lesson id="l1" classids="c1" subjectid="s1" teacherids="t1" groupids="g0" periodspercard="1" ' \
     'periodsperweek="1" weeks="1"/>'
C1 = '<card lessonid="l1" day="0" period="1" classroomids="r1"/>'


# ------------------------------------------------------------------ the real export

def test_real_export_counts(real):
    assert real.stats == {"teachers": 41, "classes": 29, "subjects": 42, "classrooms": 28, "groups": 145,
                          "lessons": 404, "cards": 748, "days": 5, "periods": 8, "double_cards": 6}
    school = real.school
    assert len(school.teachers) == 41
    assert len(school.classes) == 29
    assert len(school.subjects) == 42
    assert len(school.rooms) == 28
    assert len(school.lessons) == 748
    assert sum(len(c.groups) for c in school.classes) == 145 - 29  # the 29 «Весь клас» groups are the classes
    doubles = [le for le in school.lessons if le.duration == 2]
    assert len(doubles) == 6
    assert all(le.duration in (1, 2) for le in school.lessons)
    assert {c.week_days for c in school.classes} == {5}


def test_real_export_names_bells_and_grades(real):
    school = real.school
    bells = school.bell_schedules[0].variants[0].periods
    assert [(p.number, p.start.strftime("%H:%M"), p.end.strftime("%H:%M")) for p in bells][:2] == \
        [(1, "08:30", "09:15"), (2, "09:25", "10:10")] and len(bells) == 8 and bells[-1].end.hour == 16
    names = {c.name: c for c in school.classes}
    assert names["1-А"].grade == 1
    assert names["9-А"].grade == 9
    assert names["10"].grade == 10
    assert names["11-Б"].grade == 11
    assert (names["7-Б"].age_min, names["7-Б"].age_max) == (13, 14)
    assert all(c.students == 25 for c in school.classes)
    assert "Німецька мова" in {s.name for s in school.subjects}  # stray spaces collapsed
    assert "Труш Ольга Миколаївна" in {t.name for t in school.teachers}
    assert {s.name: s.norm_key for s in school.subjects}["Математика"] == "math"
    # individual-study classes have no grade: kept (with their lessons) at the strictest grade, with a warning each
    individual = [c for c in school.classes if c.name in ("З інд", "Ш інд", "К інд", "С і", "Б і")]
    assert len(individual) == 5
    assert all(c.grade == 1 for c in individual)
    assert all(any(le.classes == [c.id] for le in school.lessons) for c in individual)
    grade_warnings = [w for w in real.warnings if w.field == "grade"]
    assert len(grade_warnings) == 1
    assert "5 class names carry no grade" in grade_warnings[0].message_en
    assert all(f"{c.name} → 1" in grade_warnings[0].message_en for c in individual)
    # devices: one warning for the school, not one per class; every class starts not ready
    assert sum(w.field == "devices" for w in real.warnings) == 1
    assert all(c.devices.total == 0 and not c.readiness.ready for c in school.classes)
    groups_1a = names["1-А"].groups
    assert {g.division for g in groups_1a} == {"1", "2"}
    assert sum(g.students for g in groups_1a) == 50


def test_real_export_ab_weeks_and_audit(real):
    school = real.school
    klass = next(c for c in school.classes if c.name == "9-А")

    def occupied(day: date) -> int:
        return len({p for d in lessons_on(school, klass, day) for p in d.lesson.periods})

    assert occupied(TUESDAY_A) == 8
    assert occupied(TUESDAY_B) == 7
    blind = [le for le in school.lessons if klass.id in le.classes and le.day == 2]
    assert len(blind) == 9
    assert {le.weeks for le in blind} == {WeekMask.EVERY, WeekMask.A, WeekMask.B}
    assert any(w.field == "a_week_monday" for w in real.warnings)
    assert school.calendar.a_week_monday == date(2026, 8, 31)

    report = audit_school(school, NormLibrary.load(), *WEEK_A)
    caps = [f for f in report.findings if f.norm_key == "lessons_per_day.max" and f.class_id == klass.id]
    assert len(caps) == 1
    assert caps[0].weekday == 2
    assert caps[0].message_en.startswith("8 lessons a day, at most 7")


def test_real_export_rebuilds(real, norm_library):
    start, end = WEEK_A
    scenario = scenario_from_dict({"name": "t", "reason": "other", "start": start.isoformat(),
                                   "end": end.isoformat(), "online": {"all": True}})
    plan = rebuild(real.school, scenario, norm_library)
    assert plan.occurrences
    assert plan.school_fingerprint == real.school.fingerprint()
    report = audit_plan(real.school, plan, norm_library)  # the independent auditor, not the solver's word
    assert report.new_violations == [], report.new_violations[:3]
    assert report.exit_code == 0


def test_calendar_defaults_are_warnings(tmp_path):
    got = load_asc(_write(tmp_path, _mini(L1, C1)))
    start, end = default_school_year(date.today())
    assert (got.school.calendar.year_start, got.school.calendar.year_end) == (start, end)
    assert any(w.field == "year_start" for w in got.warnings)
    assert got.school.calendar.a_week_monday is None  # no A/B lessons: no anchor needed
    assert default_school_year(date(2026, 12, 8)) == (date(2026, 9, 1), date(2027, 5, 31))
    assert default_school_year(date(2027, 3, 1)) == (date(2026, 9, 1), date(2027, 5, 31))
    assert default_school_year(date(2026, 7, 1)) == (date(2026, 9, 1), date(2027, 5, 31))
    assert first_school_monday(date(2026, 9, 1)) == date(2026, 8, 31)
    assert first_school_monday(date(2024, 9, 1)) == date(2024, 9, 2)  # a Sunday: the next Monday


def test_cp1251_declared_and_bom_variants_import_the_same(tmp_path, real):
    text = _real_bytes().decode("utf-8-sig")
    plain = _write(tmp_path, text.encode("utf-8"), "plain.xml")
    declared = _write(tmp_path, ('<?xml version="1.0" encoding="windows-1251"?>\n' + text).encode("cp1251"), "w.xml")
    for path in (plain, declared):
        assert load_asc(path, **YEAR).school.lessons == real.school.lessons
    assert "Труш Ольга Миколаївна" in {t.name for t in load_asc(declared, **YEAR).school.teachers}


# ------------------------------------------------------------------ mapping rules on small exports

def test_grades_groups_and_college_codes(tmp_path):
    got = load_asc(_write(tmp_path, _mini(L1, C1, classes='<class id="c3" name="ИСП-21"/><class id="c4" name="10"/>')),
                   **YEAR)
    by_id = {c.id: c for c in got.school.classes}  # ids are made from names: aSc's internal ids never show
    assert by_id["5-А"].grade == 5
    assert by_id["5-А"].students == 24
    assert by_id["7-Б"].name == "7-Б"
    assert [g.students for g in by_id["5-А"].groups] == [12, 12]
    assert by_id["10"].grade == 10
    # a college code is a listed guess (course = first digit), never a silent one
    assert by_id["ИСП-21"].course == 2
    assert by_id["ИСП-21"].grade is None
    assert any("ИСП-21 → 2к" in w.message_en and w.field == "grade" for w in got.warnings)
    assert got.school.lessons[0].groups == []  # the entire-class group is the class itself


def test_double_period_one_card_or_two_consecutive(tmp_path):
    double = '<lesson id="l2" classids="c2" subjectid="s2" teacherids="t2" periodspercard="2" periodsperweek="2"/>'
    one = '<card lessonid="l2" day="1" period="1"/>'
    two = '<card lessonid="l2" day="1" period="1"/><card lessonid="l2" day="1" period="2"/>'
    for cards in (one, two):
        got = load_asc(_write(tmp_path, _mini(double, cards)), **YEAR)
        assert [(le.day, le.period, le.duration) for le in got.school.lessons] == [(2, 1, 2)]
        assert got.stats["double_cards"] == 1
        assert not any(w.field == "periodsperweek" for w in got.warnings)
    err = _error(_write(tmp_path, _mini(double, '<card lessonid="l2" day="1" period="3"/>')))
    assert "past the bell schedule" in err.message_en
    assert "card[1]" in err.location.element


def test_fortnightly_mask_wins_over_periodsperweek(tmp_path):
    ab = ('<lesson id="a" classids="c1" subjectid="s1" teacherids="t1" periodsperweek="0.5" weeks="10"/>'
          '<lesson id="b" classids="c1" subjectid="s2" teacherids="t2" periodsperweek="0.5" weeks="1"/>')
    cards = '<card lessonid="a" day="0" period="1"/><card lessonid="b" day="0" period="2"/>'
    got = load_asc(_write(tmp_path, _mini(ab, cards)), **YEAR)
    assert [le.weeks for le in got.school.lessons] == [WeekMask.A, WeekMask.EVERY]
    flagged = [w for w in got.warnings if w.field == "periodsperweek"]
    assert len(flagged) == 1
    assert "id=b" in flagged[0].message_en


def test_newer_export_with_day_and_week_masks(tmp_path):
    days = ('<daysdefs><daysdef id="d1" days="10000,01000,00100,00010,00001" name="any"/>'
            '<daysdef id="d2" days="10000" name="Mon"/></daysdefs>'
            '<weeksdefs><weeksdef id="w1" weeks="11"/><weeksdef id="w2" weeks="01"/></weeksdefs>')
    lessons = ('<lesson id="l1" classids="c1" subjectid="s1" teacherids="t1" weeksdefid="w2" daysdefid="d1"/>'
               '<lesson id="l2" classids="c2" subjectid="s1" teacherids="t2" weeksdefid="w1"/>')
    cards = ('<card lessonid="l1" days="00100" weeks="11" terms="1" period="2"/>'
             '<card lessonid="l2" days="00001" weeks="10" terms="10" period="3"/>')
    got = load_asc(_write(tmp_path, _mini(lessons, cards, days=days)), **YEAR)
    assert [(le.day, le.period, le.weeks) for le in got.school.lessons] == [(3, 2, WeekMask.B), (5, 3, WeekMask.A)]
    assert got.stats["days"] == 5
    assert any(w.field == "terms" for w in got.warnings)


def test_parallel_groups_and_ab_cards_share_a_slot(tmp_path):
    lessons = ('<lesson id="g1" classids="c1" subjectid="s1" teacherids="t1" groupids="g1"/>'
               '<lesson id="g2" classids="c1" subjectid="s2" teacherids="t2" groupids="g2"/>'
               '<lesson id="a" classids="c2" subjectid="s1" teacherids="t1" weeks="10"/>'
               '<lesson id="b" classids="c2" subjectid="s2" teacherids="t2" weeks="01"/>')
    cards = ('<card lessonid="g1" day="0" period="1"/><card lessonid="g2" day="0" period="1"/>'
             '<card lessonid="a" day="0" period="2"/><card lessonid="b" day="0" period="2"/>')
    assert len(load_asc(_write(tmp_path, _mini(lessons, cards)), **YEAR).school.lessons) == 4


def test_nothing_is_dropped_silently(tmp_path):
    lessons = (L1 + '<lesson id="free" subjectid="s1" teacherids="t1"/>'
               '<lesson id="unplaced" classids="c2" subjectid="s2" teacherids="t2"/>'
               '<lesson id="pupils" classids="c2" subjectid="s1" teacherids="t1" studentids="p1"/>')
    cards = C1 + '<card lessonid="free" day="1" period="1"/><card lessonid="pupils" day="1" period="2"/>'
    extra = '<students><student id="p1" classid="c2" name="Учень"/></students><grades><grade id="x"/></grades>'
    got = load_asc(_write(tmp_path, _mini(lessons, cards, extra=extra)), **YEAR)
    assert [le.id for le in got.school.lessons] == ["asc-l1:1", "asc-pupils:1"]
    said = " | ".join(w.message_en for w in got.warnings)
    for expected in ("lesson[2] id=free has no class", "1 lessons have no card", "unplaced",
                     "lesson[4] id=pupils is for 1 listed pupils", "tables not imported: grades"):
        assert expected in said
    assert all(w.message_ru for w in got.warnings)


# ------------------------------------------------------------------ bad input: one clear InputError each

def test_truncated_xml(tmp_path):
    data = _real_bytes()
    err = _error(_write(tmp_path, data[: len(data) // 2]))
    assert "truncated" in err.message_en
    assert err.location.row
    assert "обрезан" in err.text("ru")


def test_undeclared_non_utf8_is_refused(tmp_path):
    text = _real_bytes().decode("utf-8-sig")
    err = _error(_write(tmp_path, text.encode("cp1251")))
    assert "not valid utf-8" in err.message_en
    assert "must be UTF-8" in err.message_en
    assert err.location.row


def test_wrongly_declared_encoding_and_unknown_encoding(tmp_path):
    err = _error(_write(tmp_path, '<?xml version="1.0" encoding="klingon-8"?><timetable/>'))
    assert "unknown text encoding" in err.message_en


def test_empty_file_and_not_a_timetable(tmp_path):
    assert "empty" in _error(_write(tmp_path, b"")).message_en
    err = _error(_write(tmp_path, '<fet version="6"/>'))
    assert "expected aSc's <timetable>" in err.message_en


def test_missing_periods(tmp_path):
    text = re.sub(r"<periods>.*?</periods>", "", _mini(L1, C1), flags=re.S)
    err = _error(_write(tmp_path, text))
    assert "<periods>" in err.message_en
    assert err.location.field == "periods"
    assert "нет обязательного" in err.message_ru


@pytest.mark.parametrize("lesson, cards, element, field, what", [
    (L1, '<card lessonid="nope" day="0" period="1"/>', "card[1]", "lessonid", "unknown lesson 'nope'"),
    (L1.replace('teacherids="t1"', 'teacherids="t1,t9"'), C1, "lesson[1] id=l1", "teacherids", "unknown teacher 't9'"),
    (L1.replace('classids="c1"', 'classids="c9"'), C1, "lesson[1] id=l1", "classids", "unknown class 'c9'"),
    (L1.replace('subjectid="s1"', 'subjectid="s9"'), C1, "lesson[1] id=l1", "subjectid", "unknown subject 's9'"),
    (L1.replace('groupids="g0"', 'groupids="g9"'), C1, "lesson[1] id=l1", "groupids", "unknown group 'g9'"),
    (L1.replace('classids="c1"', 'classids="c2"'), C1, "lesson[1] id=l1", "groupids", "belongs to class 'c1'"),
    (L1, C1.replace('period="1"', 'period="7"'), "card[1]", "period", "period 7 is not in <periods>"),
    (L1, C1.replace('day="0"', 'day="6"'), "card[1]", "day", "day '6' is not in <days>"),
    (L1, C1.replace('period="1"', 'period="x"'), "card[1]", "period", "'x' is not a whole number"),
    (L1.replace('weeks="1"', 'weeks="1001"'), C1, "lesson[1] id=l1", "weeks", "A/B (two-week) cycles"),
])
def test_bad_references_and_values(tmp_path, lesson, cards, element, field, what):
    err = _error(_write(tmp_path, _mini(lesson, cards)))
    assert err.location.element == element
    assert err.location.field == field
    assert what in err.message_en
    assert err.message_ru != err.message_en


def test_same_group_twice_in_a_slot_with_overlapping_weeks(tmp_path):
    lessons = ('<lesson id="a" classids="c1" subjectid="s1" teacherids="t1" groupids="g1" weeks="10"/>'
               '<lesson id="b" classids="c1" subjectid="s2" teacherids="t2" groupids="g1,g2" weeks="1"/>')
    cards = '<card lessonid="a" day="2" period="2"/><card lessonid="b" day="2" period="2"/>'
    err = _error(_write(tmp_path, _mini(lessons, cards)))
    assert err.location.element == "card[2] (lesson id=b)"
    assert err.location.field == "period"
    assert "class 'c1' has lessons 'a:1' and 'b:1' at day 3, period 2" in err.message_en


def test_duplicate_ids_and_duplicate_tables(tmp_path):
    err = _error(_write(tmp_path, _mini(L1 + L1, C1)))
    assert err.location.element == "lesson[2] id=l1"
    assert "duplicate id" in err.message_en
    err = _error(_write(tmp_path, _mini(L1, C1, extra="<cards/>")))
    assert "<cards> appears 2 times" in err.message_en


def test_xml_bomb_and_external_entities_are_refused(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><timetable><periods>&lol3;</periods></timetable>')
    xxe = ('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<timetable><periods>&x;</periods></timetable>')
    for text in (bomb, xxe, "<!DOCTYPE timetable><timetable/>"):
        err = _error(_write(tmp_path, text))  # aSc exports never carry a DOCTYPE: refused before any entity
        assert "<!DOCTYPE>" in err.message_en
        assert "XML-бомб" in err.message_ru
    # the shared helper may allow a bare DOCTYPE (FET files have one) but never an entity declaration
    assert xmlsafe.parse_xml("<!DOCTYPE fet><fet/>").tag == "fet"
    for text in (bomb, xxe):
        with pytest.raises(InputError) as refused:
            xmlsafe.parse_xml(text, "f.xml")
        assert "declares an entity" in refused.value.message_en
        assert refused.value.location.file == "f.xml"


def test_file_over_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = _write(tmp_path, _mini(L1, C1))

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(xmlsafe, "open", no_open, raising=False)
    err = _error(path, max_bytes=100)
    assert "more than the limit" in err.message_en
    assert "МиБ" in err.message_ru


def test_missing_file_and_folder(tmp_path):
    assert "cannot open" in _error(tmp_path / "none.xml").message_en
    assert "not a file" in _error(tmp_path).message_en


def test_bad_calendar_arguments(tmp_path):
    path = _write(tmp_path, _mini(L1, C1))
    err = _error(path, year_start=date(2027, 1, 1), year_end=date(2026, 9, 1))
    assert err.location.field == "year_end"
    err = _error(path, a_week_monday=date(2026, 9, 2))
    assert err.location.field == "a_week_monday"
    assert "not a Monday" in err.message_en
    assert _error(path, timezone="Mars/Olympus").location.field == "timezone"


# ------------------------------------------------------------------ fuzz: only InputError escapes

_VALUES = st.sampled_from(["", "0", "1", "-1", "2", "8", "99", "0.5", "x", "*1", "*9999", "*1,*2", "10", "01",
                           "11", "1001", "10000", "00000", "8:30", "25:99", "Я", "\u0000", "1e9", "nan"])


@st.composite
def _mutations(draw):
    lines = _real_bytes().splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "truncate", "duplicate", "remove", "attribute", "attribute"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "flip" and lines[i]:
            line = bytearray(lines[i])
            j = draw(st.integers(0, len(line) - 1))
            line[j] ^= draw(st.integers(1, 255))
            lines[i] = bytes(line)
        elif kind == "truncate":
            lines = lines[:i] + [lines[i][: draw(st.integers(0, len(lines[i])))]]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "remove":
            del lines[i]
        else:
            attrs = list(re.finditer(rb'(\w+)="([^"]*)"', lines[i]))
            if attrs:
                m = attrs[draw(st.integers(0, len(attrs) - 1))]
                new = draw(_VALUES).encode("utf-8")
                lines[i] = lines[i][: m.start(2)] + new + lines[i][m.end(2):]
        if not lines:
            break
    return b"".join(lines)


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                                     HealthCheck.data_too_large])
@given(data=_mutations())
def test_fuzz_only_input_error_escapes(tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "fuzz.xml"
    path.write_bytes(data)
    try:
        got = load_asc(path, **YEAR)
    except InputError as err:
        assert "internal error" not in err.message_en, err.message_en
        assert err.location.file == str(path)
        return
    assert set(got.stats) == STAT_KEYS
    assert got.school.classes


def test_warning_collections_are_strings(real):
    assert all(isinstance(w.collection, str) and w.message_ru for w in real.warnings)
    assert Counter(w.field for w in real.warnings)["norm_key"] >= 1
