"""The sample institutions pass the audit; deliberate breaches each exit 1 and name their exact clause.

Each breach edits a copy of the sample school's CSV tables in one place; the test then asserts that the
violations found are exactly those of the intended norm.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from planner.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
WEEK = ["--from", "2026-11-30", "--to", "2026-12-05"]
SEPTEMBER = ["--from", "2026-09-14", "--to", "2026-09-19"]


def audit(source: Path, dates: list[str], capsys) -> tuple[int, dict]:
    code = main(["audit", str(source), *dates, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def violated(report: dict) -> set[str]:
    return {f["norm_key"] for f in report["findings"] if f["severity"] == "violation"}


@pytest.mark.parametrize("name,dates", [
    ("school-17", WEEK), ("school-17", SEPTEMBER), ("school-17", ["--from", "2027-01-18", "--to", "2027-01-23"]),
    ("college-ptk", WEEK), ("college-ptk", ["--from", "2026-12-07", "--to", "2026-12-12"]),
    ("college-ptk", ["--from", "2027-02-01", "--to", "2027-02-13"]),
])
def test_the_samples_pass_the_audit(name, dates, capsys):
    code, report = audit(SAMPLES / name, dates, capsys)
    assert code == 0 and report["compliant"] and report["counts"]["violations"] == 0, report["findings"][:3]


def test_the_whole_school_year_passes(capsys):
    code, report = audit(SAMPLES / "school-17", [], capsys)
    assert code == 0, [f["message_en"] for f in report["findings"] if f["severity"] == "violation"][:3]
    # СП 2.4.3648-20 ends on 2027-01-01: its values are carried over as school policy from that date on
    carried = [r for r in report["norm_ranges"] if r["carried_over"]]
    assert carried and carried[0]["start"] == "2027-01-01"
    assert carried[0]["carried_over"][0] == {"act": "СП 2.4.3648-20", "ceased": "2027-01-01"}


class Copy:
    """A copy of the sample school whose tables can be edited with pandas."""

    def __init__(self, tmp_path: Path):
        self.path = tmp_path / "school"
        shutil.copytree(SAMPLES / "school-17", self.path, ignore=shutil.ignore_patterns("*.xlsx", "scenarios"))

    def table(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.path / f"{name}.csv", dtype=str, keep_default_na=False)

    def save(self, name: str, df: pd.DataFrame) -> None:
        df.to_csv(self.path / f"{name}.csv", index=False)

    def set_bell(self, schedule: str, period: int, start: str, end: str) -> None:
        bells = self.table("bells")
        rows = (bells.schedule_id == schedule) & (bells.period == str(period))
        assert rows.any()
        bells.loc[rows, ["start", "end"]] = [start, end]
        self.save("bells", bells)

    def add_teacher(self) -> str:
        teachers = self.table("teachers")
        teachers.loc[len(teachers)] = {"id": "T-EXTRA", "name": "Дополнительный Учитель Тестович", "subjects": "",
                                       "unavailable": ""}
        self.save("teachers", teachers)
        return "T-EXTRA"

    def periods(self, version: str, class_id: str, day: int) -> set[int]:
        les = self.table("lessons")
        rows = les[(les.version == version) & (les.classes == class_id) & (les.day == str(day))]
        return {int(p) + k for p, d in zip(rows.period, rows.duration) for k in range(int(d or 1))}

    def add_lesson(self, version: str, class_id: str, day: int, period: int, subject: str) -> None:
        teacher = "T-EXTRA" if "T-EXTRA" in set(self.table("teachers").id) else self.add_teacher()
        les = self.table("lessons")
        les.loc[len(les)] = {"id": f"extra-{class_id}-{day}-{period}", "version": version, "classes": class_id,
                             "groups": "", "teachers": teacher, "rooms": "", "subject": subject, "day": str(day),
                             "period": str(period), "duration": "1", "weeks": "every"}
        self.save("lessons", les)


@pytest.fixture
def school(tmp_path) -> Copy:
    return Copy(tmp_path)


def test_a_5_minute_break(school, capsys):
    school.set_bell("main", 2, "08:50", "09:35")  # period 1 ends at 08:45
    code, report = audit(school.path, WEEK, capsys)
    assert code == 1 and violated(report) == {"breaks.min_minutes"}
    f = next(f for f in report["findings"] if f["norm_key"] == "breaks.min_minutes")
    assert f["act"] == "СП 2.4.3648-20" and f["clause"].startswith("п. 3.4.16") and "5 min" in f["message_en"]


def test_a_start_at_0745(school, capsys):
    school.set_bell("main", 1, "07:45", "08:30")
    code, report = audit(school.path, WEEK, capsys)
    assert code == 1 and violated(report) == {"day.earliest_start"}
    assert any("07:45" in f["message_en"] for f in report["findings"])


def test_an_end_at_1910(school, capsys):
    school.set_bell("shift2", 6, "18:25", "19:10")
    code, report = audit(school.path, WEEK, capsys)
    assert code == 1 and violated(report) == {"day.latest_end"}
    assert any("19:10" in f["message_en"] for f in report["findings"])


def test_grade_1_with_4_lessons_in_september(school, capsys):
    for day in range(1, 6):
        assert max(school.periods("g1-sep-oct", "1A", day)) == 3
    school.add_lesson("g1-sep-oct", "1A", 1, 4, "MATH")
    code, report = audit(school.path, SEPTEMBER, capsys)
    assert code == 1 and violated(report) == {"grade1.lessons_per_day"}  # 14 + 1 lessons: weekly 15 still met
    step = next(f for f in report["findings"] if f["norm_key"] == "grade1.lessons_per_day")
    assert step["class_id"] == "1A" and "4 lessons a day, at most 3" in step["message_en"]


def test_grade_1_on_the_second_shift(school, capsys):
    classes = school.table("classes")
    classes.loc[classes.id == "1B", "shift"] = "2"
    school.save("classes", classes)
    code, report = audit(school.path, WEEK, capsys)
    assert code == 1 and violated(report) == {"shifts.first_shift_only"}
    f = next(f for f in report["findings"] if f["norm_key"] == "shifts.first_shift_only")
    assert f["class_id"] == "1B" and f["act"] == "СП 2.4.3648-20"


def test_a_class_over_its_weekly_cap(school, capsys):
    # 10A (6-day week, cap 37): fill free periods up to 7 a day until the week holds 38 lessons
    klass, cap = "10A", 37
    les = school.table("lessons")
    added = 0
    load = sum(int(d or 1) for v, c, s, g, d in zip(les.version, les.classes, les.subject, les.groups, les.duration)
               if v == "main-2026" and c == klass and s != "ROV" and not g.endswith("2"))
    for day in range(1, 7):
        for period in range(max(school.periods("main-2026", klass, day)) + 1, 8):
            if load + added > cap:
                break
            school.add_lesson("main-2026", klass, day, period, "ALG")
            added += 1
    code, report = audit(school.path, WEEK, capsys)
    assert code == 1 and violated(report) == {"weekly_load.max_hours"}
    f = next(f for f in report["findings"] if f["norm_key"] == "weekly_load.max_hours")
    assert f["class_id"] == klass and f["clause"] == "табл. 6.6" and "at most 37" in f["message_en"]


def test_grade_5_with_7_lessons_in_a_day(school, capsys):
    day = max(range(1, 6), key=lambda d: len(school.periods("main-2026", "5A", d)))
    for period in range(max(school.periods("main-2026", "5A", day)) + 1, 8):
        school.add_lesson("main-2026", "5A", day, period, "MUS")
    code, report = audit(school.path, WEEK, capsys)
    assert code == 1 and violated(report) == {"lessons_per_day.max"}
    f = next(f for f in report["findings"] if f["norm_key"] == "lessons_per_day.max")
    assert f["class_id"] == "5A" and "7 lessons a day, at most 6" in f["message_en"]


def test_a_hard_subject_on_lesson_6_is_a_warning_only(school, capsys):
    les = school.table("lessons")
    light = {"MUS", "ART", "PE", "TECH", "OBZR"}
    row = les[(les.version == "main-2026") & (les.period == "6") & les.subject.isin(light) & (les.groups == "")
              & (les.duration == "1")].index[0]
    lesson_id = les.loc[row, "id"]
    les.loc[row, "subject"] = "ALG" if int(les.loc[row, "classes"].rstrip("ABV")) >= 7 else "MATH"
    school.save("lessons", les)
    code, report = audit(school.path, WEEK, capsys)
    assert code == 0 and violated(report) == set()
    [f] = [f for f in report["findings"] if f["lesson_id"] == lesson_id]
    assert f["severity"] == "warning" and f["norm_key"] == "difficulty.hard_lessons" and "lesson 6" in f["message_en"]


def test_dates_outside_every_norm_set_stop_with_exit_2_in_strict_mode(capsys):
    assert main(["audit", str(SAMPLES / "school-17"), "--from", "2027-04-05", "--to", "2027-04-10",
                 "--strict-norms"]) == 2
    err = capsys.readouterr().err
    assert "strict norms" in err and "СП 2.4.3648-20 (expired 2027-01-01)" in err
