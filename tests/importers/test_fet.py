"""The FET importer: an honest round trip through FET's own generator (fet-cl), real-school files from Debian's
fet-data package, bad input, and a fuzz of mutated files where only InputError may escape.

fet-cl (package `fet`) and the examples (package `fet-data`) must be installed; a missing one FAILS the test with
the package's name (never a skip: CI counts skips as failures).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import InputError
from planner.importers.fet import grade_from_name, load_fet
from planner.school.integrity import check_school
from planner.school.model import WeekMask

import fet_small

EXAMPLES = Path("/usr/share/doc/fet-data/examples")
YEAR = dict(year_start=date(2026, 9, 1), year_end=date(2027, 5, 31))


def _example(rel: str) -> Path:
    path = EXAMPLES / rel
    if not path.is_file():
        pytest.fail(f"{path} is missing: install the Debian package 'fet-data' (apt-get install -y fet fet-data)")
    return path


# ------------------------------------------------------------------ the round trip through fet-cl


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The small file solved by FET itself: (input .fet, FET's _activities.xml, FET's _data_and_timetable.fet)."""
    return fet_small.solve_small_fet(tmp_path_factory.mktemp("fet"))


def _fet_placements(activities_xml: Path) -> dict[int, tuple[str, str]]:
    root = ET.parse(activities_xml).getroot()
    return {int(a.findtext("Id")): (a.findtext("Day"), a.findtext("Hour")) for a in root.findall("Activity")
            if a.findtext("Day")}


def _our_placements(school) -> dict[int, tuple[str, str]]:
    return {int(le.id.removeprefix("fet-")): (fet_small.DAYS[le.day - 1], fet_small.HOURS[le.period - 1])
            for le in school.lessons}


def test_round_trip_matches_fets_own_timetable(solved):
    src, activities, data = solved
    expected = _fet_placements(activities)
    assert len(expected) == fet_small.activity_count() == 41  # FET placed everything

    from_xml = load_fet(src, activities_xml=activities, **YEAR)
    assert _our_placements(from_xml.school) == expected
    assert check_school(from_xml.school, "small.fet") is not None  # raises on any clash or bad reference
    stats = from_xml.stats
    assert (stats.days, stats.hours, stats.years, stats.groups, stats.subgroups) == (5, 6, 3, 6, 4)
    assert (stats.subjects, stats.teachers, stats.activities, stats.placed) == (9, 6, 41, 41)
    assert not [w for w in from_xml.warnings if w.collection == "activities"]  # nothing unplaced

    # the solved .fet FET writes (every activity locked) gives the same timetable
    from_locks = load_fet(data, **YEAR)
    assert _our_placements(from_locks.school) == expected
    assert from_locks.school.lessons == from_xml.school.lessons

    # the unsolved input has no timetable: one warning with the count, recorded on the school (none dropped silently)
    unsolved = load_fet(src, **YEAR)
    assert unsolved.school.lessons == []
    placement = [w for w in unsolved.warnings if w.field == "placement"]
    assert len(placement) == 1
    assert "0 of 41 lessons are placed" in placement[0].message_en
    assert (unsolved.school.incomplete.placed, unsolved.school.incomplete.total) == (0, 41)
    assert len(unsolved.school.incomplete.unplaced) == 41


def test_round_trip_maps_people_groups_and_bells(solved):
    src, activities, _ = solved
    school = load_fet(src, activities_xml=activities, **YEAR).school
    by_id = {c.id: c for c in school.classes}
    assert {c: by_id[c].grade for c in by_id} == {"5-А": 5, "7Б": 7, "10": 10}
    assert {g.division for g in by_id["10"].groups} == {"англ1/англ2", "физмат/гум"}
    assert sorted(g.id for g in by_id["7Б"].groups) == ["7Б англ1", "7Б англ2"]
    assert by_id["10"].students == 20
    assert by_id["7Б"].groups[0].students == 12
    periods = school.bell_schedules[0].variants[0].periods
    assert [f"{p.start:%H:%M}-{p.end:%H:%M}" for p in periods] == fet_small.HOURS
    kuz = school.teacher_by_id("Кузнецов Д. А.")
    assert {(u.day, u.period) for u in kuz.unavailable} == {(1, 1), (1, 2), (5, 5), (5, 6)}
    assert all(kuz.available(le.day, p) for le in school.lessons if "Кузнецов Д. А." in le.teachers
               for p in le.periods)
    two = [le for le in school.lessons if le.subject == "Классный час"][0]
    assert two.teachers == ["Петров С. И.", "Волков И. Р."]
    pe = [le for le in school.lessons if le.subject == "Физическая культура"]
    assert all(le.classes == ["5-А", "7Б"] and le.groups == [] for le in pe)
    english = [le for le in school.lessons if le.classes == ["10"] and le.subject == "Английский язык"]
    assert sorted({g for le in english for g in le.groups}) == ["10 англ1", "10 англ2"]
    math = [le for le in school.lessons if le.classes == ["7Б"] and le.subject == "Математика"]
    assert sorted(le.duration for le in math) == [1, 2, 2]
    assert school.subject_by_id("Математика").norm_key == "math"


# ------------------------------------------------------------------ real-school files from fet-data

# (file, import options, A/B cycle?); years kept as FET has them, so that the counts compare
BELLS7 = tuple((time(7 + i, 30), time(8 + i, 15)) for i in range(7))
REAL = [
    ("FET-5-official/Russia/Russian-Medical-College/timetable-ru.fet", {"bell_minutes": 90}, True),
    ("FET-5-official/Greece/Didymoteicho/6th-Primary-School.fet", {"bell_minutes": 45, "years_as_classes": False},
     False),
    ("FET-5-official/United-Arab-Emirates/IBDP-School-2016.fet", {"bells": BELLS7, "years_as_classes": False}, False),
    ("FET-6-official/Germany/secondary-school-1/using_subactivities_constraints/German_subact_constr.fet",
     {"bells": BELLS7[:6], "years_as_classes": False}, False),
]


def _independent_counts(path: Path) -> dict[str, int]:
    root = ET.parse(path).getroot()
    active = {int(a.findtext("Id")) for a in root.findall("Activities_List/Activity")
              if (a.findtext("Active") or "true").strip() != "false" and a.findall("Students")}
    locked = {int(c.findtext("Activity_Id")) for c in root.findall(
        "Time_Constraints_List/ConstraintActivityPreferredStartingTime")
        if float(c.findtext("Weight_Percentage")) >= 100 and (c.findtext("Active") or "true").strip() != "false"
        and (c.findtext("Preferred_Day") or "").strip() and (c.findtext("Preferred_Hour") or "").strip()}
    return {
        "days": len(root.findall("Days_List/Day")), "hours": len(root.findall("Hours_List/Hour")),
        "subjects": len(root.findall("Subjects_List/Subject")), "teachers": len(root.findall("Teachers_List/Teacher")),
        "years": len(root.findall("Students_List/Year")),
        "groups": len({g.findtext("Name") for g in root.findall("Students_List/Year/Group")}),
        "subgroups": len({s.findtext("Name") for s in root.findall("Students_List/Year/Group/Subgroup")}),
        "activities": len(root.findall("Activities_List/Activity")), "placed": len(locked & active),
    }


@pytest.mark.parametrize("rel, options, ab", REAL, ids=[r[0].split("/")[-1] for r in REAL])
def test_real_school_files_import_with_matching_counts(rel, options, ab):
    path = _example(rel)
    result = load_fet(path, **YEAR, **options)
    counts = _independent_counts(path)
    stats = result.stats
    assert {k: getattr(stats, k) for k in counts} == counts
    assert len(result.school.lessons) == counts["placed"]
    assert len(result.school.classes) == counts["years"]
    check_school(result.school, str(path))
    root = ET.parse(path).getroot()
    active_with_students = sum(1 for a in root.findall("Activities_List/Activity")
                               if (a.findtext("Active") or "true").strip() != "false" and a.findall("Students"))
    unplaced = len(result.school.incomplete.unplaced) if result.school.incomplete else 0
    assert unplaced + counts["placed"] == active_with_students  # none silently dropped
    assert sum(1 for w in result.warnings if w.field == "placement") == (1 if unplaced else 0)
    if ab:
        assert {c.week_days for c in result.school.classes} == {6}
        assert {le.weeks for le in result.school.lessons} <= {WeekMask.A, WeekMask.B}
        assert result.school.calendar.a_week_monday == date(2026, 8, 31)  # the Monday of the week of 1 September
        assert any(w.field == "a_week_monday" for w in result.warnings)
        # college codes are never taken silently: all listed in one warning, with the guess
        grade_warnings = [w for w in result.warnings if w.field == "grade"]
        assert len(grade_warnings) == 1
        assert f"{counts['years']} class names" in grade_warnings[0].message_en


def test_ab_cycle_given_week_start_and_week_masks():
    path = _example(REAL[0][0])
    result = load_fet(path, bell_minutes=90, a_week_monday=date(2026, 9, 14), **YEAR)
    assert result.school.calendar.a_week_monday == date(2026, 9, 14)
    assert not any(w.field == "a_week_monday" for w in result.warnings)
    assert [f"{p.start:%H:%M}" for p in result.school.bell_schedules[0].variants[0].periods][:2] == ["08:30", "10:10"]


def test_modes_other_than_official_are_refused():
    for rel, mode in [("FET-6-mornings-afternoons/Algeria/1/sample_algeria.fet", "Mornings-Afternoons"),
                      ("FET-6-block-planning/by-Darren-McDonald/Blocks-8-overflow.fet", "Block-planning"),
                      ("FET-6-terms/1/puris_2020-2021_9_01.fet", "Terms"),
                      ("FET-5-terms/1/liviu.fet", "Terms"),
                      ("FET-5-block-planning/small-example.fet", "Block-planning"),
                      ("FET-5-mornings-afternoons/Algeria/1/sample_algeria.fet", "Mornings-Afternoons")]:
        with pytest.raises(InputError) as err:
            load_fet(_example(rel), bell_minutes=45, **YEAR)
        assert mode in err.value.message_en
        assert "Official" in err.value.message_en
        assert err.value.location.file.endswith(Path(rel).name)
        assert err.value.location.field in ("Mode", "version")


# ------------------------------------------------------------------ bad input


def _small(tmp_path: Path, edit=None, name: str = "bad.fet") -> Path:
    text = fet_small.small_fet_xml()
    if edit:
        text = edit(text)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, **kw) -> InputError:
    with pytest.raises(InputError) as err:
        load_fet(path, **YEAR, **kw)
    assert err.value.location.file == str(path) or err.value.location.file.endswith(".xml")
    assert err.value.message_ru
    assert err.value.message_ru != err.value.message_en
    return err.value


def test_truncated_empty_and_not_fet(tmp_path):
    full = fet_small.small_fet_xml().encode()
    (tmp_path / "cut.fet").write_bytes(full[: len(full) // 2])
    assert "truncated" in _error(tmp_path / "cut.fet").message_en
    (tmp_path / "empty.fet").write_bytes(b"")
    assert "empty" in _error(tmp_path / "empty.fet").message_en
    (tmp_path / "enc.fet").write_bytes(full.replace(b'encoding="UTF-8"', b'encoding="U-F-8"', 1))
    assert "unknown text encoding 'U-F-8'" in _error(tmp_path / "enc.fet").message_en
    (tmp_path / "other.fet").write_text("<timetable/>", encoding="utf-8")
    err = _error(tmp_path / "other.fet")
    assert "not a FET file" in err.message_en
    assert err.location.element == "timetable"


def test_fet_reads_through_the_hardened_xml_reader(tmp_path):
    """The encoding comes from the declaration (a declared windows-1251 file reads), undeclared non-UTF-8 bytes are
    refused naming the line, and a byte-order mark is honoured -- the same reader as aSc (importers.xmlsafe)."""
    text = fet_small.small_fet_xml()
    (tmp_path / "cp.fet").write_bytes(text.replace('encoding="UTF-8"', 'encoding="windows-1251"', 1).encode("cp1251"))
    names = {c.name for c in load_fet(tmp_path / "cp.fet", **YEAR).school.classes}
    assert "5-А" in names
    (tmp_path / "raw.fet").write_bytes(text.replace('<?xml version="1.0" encoding="UTF-8"?>', '', 1).encode("cp1251"))
    err = _error(tmp_path / "raw.fet")
    assert "not valid utf-8" in err.message_en
    assert err.location.row is not None
    (tmp_path / "bom.fet").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_fet(tmp_path / "bom.fet", **YEAR).school.classes


def test_xml_bomb_and_external_entities_are_refused(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE fet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><fet version="6.8.5"><Institution_Name>&c;</Institution_Name></fet>')
    (tmp_path / "bomb.fet").write_text(bomb, encoding="utf-8")
    assert "refused" in _error(tmp_path / "bomb.fet").message_en
    ext = ('<?xml version="1.0"?><!DOCTYPE fet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<fet version="6.8.5"><Institution_Name>&x;</Institution_Name></fet>')
    (tmp_path / "ext.fet").write_text(ext, encoding="utf-8")
    assert "refused" in _error(tmp_path / "ext.fet").message_en


def test_over_max_bytes_is_refused_from_stat(tmp_path, monkeypatch):
    path = _small(tmp_path)
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    err = _error(path, max_bytes=1000)
    assert "limit" in err.message_en
    assert not opened  # refused before reading a byte


@pytest.mark.parametrize("old, new, element, field, words", [
    ("<Teacher>Смирнова О. Н.</Teacher><Subject>Английский язык</Subject><Students>5-А",
     "<Teacher>Никто</Teacher><Subject>Английский язык</Subject><Students>5-А", "Activity", "Teacher", "teacher"),
    ("<Subject>Биология</Subject><Students>", "<Subject>Астрология</Subject><Students>", "Activity", "Subject",
     "subject"),
    ("<Students>10 гум</Students>", "<Students>10 хим</Students>", "Activity", "Students", "students set"),
    ("<Mode>Official</Mode>", "<Mode>Mornings_Afternoons</Mode>", "Mode", "Mode", "Mornings-Afternoons"),
    ("<Duration>2</Duration>", "<Duration>два</Duration>", "Activity", "Duration", "whole number"),
    ("<Name>Среда</Name>", "<Name>Вторник</Name>", "Days_List", "Day", "twice"),
])
def test_bad_references_name_file_element_and_field(tmp_path, old, new, element, field, words):
    text = fet_small.small_fet_xml()
    assert old in text
    path = _small(tmp_path, lambda t: t.replace(old, new, 1))
    err = _error(path)
    assert element in err.location.element
    assert err.location.field == field
    assert words in err.message_en


def _rename_hours(tmp_path: Path, name: str, new_names: list[str]) -> Path:
    text = fet_small.small_fet_xml()
    for old, new in zip(fet_small.HOURS, new_names):
        text = text.replace(f"<Name>{old}</Name>", f"<Name>{new}</Name>").replace(f"<Hour>{old}</Hour>",
                                                                                  f"<Hour>{new}</Hour>")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_hour_names_without_times_need_bell_minutes(tmp_path):
    start_only = _rename_hours(tmp_path, "start.fet", [h.split("-")[0] for h in fet_small.HOURS])
    err = _error(start_only)
    assert "--bell-minutes" in err.message_en
    assert err.location.element == "Hours_List/Hour[1]"
    assert err.location.field == "bells"
    periods = load_fet(start_only, bell_minutes=40, **YEAR).school.bell_schedules[0].variants[0].periods
    assert [f"{p.start:%H:%M}-{p.end:%H:%M}" for p in periods][:2] == ["08:30-09:10", "09:25-10:05"]

    plain = _rename_hours(tmp_path, "plain.fet", [str(i + 1) for i in range(len(fet_small.HOURS))])
    assert "--bells" in _error(plain).message_en
    assert "--bells" in _error(plain, bell_minutes=45).message_en  # no 08:00 start or breaks are invented
    bells = tuple((time(9 + i, 0), time(9 + i, 45)) for i in range(6))
    periods = load_fet(plain, bells=bells, **YEAR).school.bell_schedules[0].variants[0].periods
    assert [f"{p.start:%H:%M}-{p.end:%H:%M}" for p in periods][:3] == ["09:00-09:45", "10:00-10:45", "11:00-11:45"]
    with pytest.raises(InputError, match="5 periods"):
        load_fet(plain, bells=bells[:5], **YEAR)

    twelve = _rename_hours(tmp_path, "pm.fet", ["10:30", "11:20", "12:10", "1:00", "1:50", "2:40"])
    result = load_fet(twelve, bell_minutes=45, **YEAR)
    assert [f"{p.start:%H:%M}" for p in result.school.bell_schedules[0].variants[0].periods][3:] == \
        ["13:00", "13:50", "14:40"]
    assert any("12-hour" in w.message_en for w in result.warnings)


def test_activities_xml_referring_to_unknown_activity(tmp_path, solved):
    src, activities, _ = solved
    bad = tmp_path / "bad_activities.xml"
    bad.write_text(activities.read_text(encoding="utf-8-sig").replace("<Id>1</Id>", "<Id>999</Id>", 1),
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_fet(src, activities_xml=bad, **YEAR)
    assert err.value.location.file == str(bad)
    assert err.value.location.field == "Id"


def test_grades_from_class_names():
    assert [grade_from_name(n) for n in ["7-Б", "7Б", "10", "1 А", "11а", "5 А класс", "7-1"]] == [7, 7, 10, 1, 11, 5, 7]
    assert [grade_from_name(n) for n in ["ИСП-21", "ЛД101", "Gr 7", "12А", "0", "Year 7"]] == [None] * 6


# ------------------------------------------------------------------ fuzz: only InputError may escape

_ELEMENT = re.compile(r"<(Activity|Year|Group|Subgroup|Day|Hour|Teacher|Subject|Students|Duration|Id|Name|"
                      r"ConstraintActivityPreferredStartingTime|Not_Available_Time|Number_of_Days|Number_of_Hours)>"
                      r".*?</\1>", re.DOTALL)


@st.composite
def _mutation(draw, data: bytes):
    kind = draw(st.sampled_from(["flip", "truncate", "duplicate", "remove", "retext"]))
    if kind == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            pos = draw(st.integers(0, len(out) - 1))
            out[pos] = draw(st.integers(0, 255))
        return bytes(out)
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    text = data.decode("utf-8-sig")
    spans = [m.span() for m in _ELEMENT.finditer(text)]
    a, b = spans[draw(st.integers(0, len(spans) - 1))]
    if kind == "duplicate":
        return (text[:b] + text[a:b] + text[b:]).encode()
    if kind == "remove":
        return (text[:a] + text[b:]).encode()
    inner = re.match(r"<(\w+)>", text[a:b]).group(1)
    value = draw(st.sampled_from(["", "-1", "0", "999", "x", "08:30", "Понедельник", "10", "true", "&amp;"]))
    return (text[:a] + f"<{inner}>{value}</{inner}>" + text[b:]).encode()


@pytest.fixture(scope="module")
def fuzz_seed(solved, tmp_path_factory):
    _, _, data = solved
    return data.read_bytes(), tmp_path_factory.mktemp("fuzz") / "mutant.fet"


def test_fuzz_mutated_files_raise_only_input_error(fuzz_seed):
    data, target = fuzz_seed
    outcomes = {"ok": 0, "input_error": 0}

    @settings(max_examples=400, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(draw):
        mutant = draw.draw(_mutation(data))
        target.write_bytes(mutant)
        try:
            result = load_fet(target, **YEAR)
        except InputError as err:
            assert err.location.file == str(target)
            outcomes["input_error"] += 1
            return
        check_school(result.school, str(target))  # what was accepted is a consistent school
        outcomes["ok"] += 1

    run()
    assert outcomes["ok"] > 20 and outcomes["input_error"] > 20, outcomes


def test_a_file_whose_classes_are_all_college_courses_is_a_colleges_and_says_so(tmp_path):
    """FET and aSc carry no institution kind: the Russian medical college example came in as a «school», so every
    text spoke of классы, учителя, уроки. All classes with a college course and no grade → a college, said once."""
    from planner.importers import load_school
    from planner.importers.options import SourceOptions
    from planner.school.model import InstitutionKind

    path = _small(tmp_path, name="college.fet")
    common = dict(timezone="Asia/Yekaterinburg", **YEAR)
    courses = load_school(path, SourceOptions(grades="5-А=1к,7Б=2к,10=3к", **common))
    assert courses.school.kind == InstitutionKind.COLLEGE
    [said] = [w for w in courses.warnings if w.field == "kind"]
    assert "колледж" in said.message_ru and "--grades" in said.message_en
    mixed = load_school(path, SourceOptions(grades="5-А=1к,7Б=2к", **common))  # «10» keeps its school grade
    assert mixed.school.kind == InstitutionKind.SCHOOL
    assert not [w for w in mixed.warnings if w.field == "kind"]
