"""The rebuild command's exit codes, and the library call's progress callback and cancellation."""

import json
import threading
from pathlib import Path

import pytest
from builders import MONDAY, library, make_school

from planner.cli import main
from planner.importers.tabular import write_csv_folder
from planner.rebuild import RebuildCancelled, rebuild
from planner.scenario import scenario_from_dict

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def test_rebuild_writes_a_plan_that_the_audit_accepts(tmp_path, capsys):
    out = tmp_path / "plan.json"
    scenario = SAMPLES / "school-17" / "scenarios" / "03-class-3A-tablets.toml"
    assert main(["rebuild", str(SAMPLES / "school-17"), "--scenario", str(scenario), "--out", str(out)]) == 0
    assert "3A: live share" in capsys.readouterr().out
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert plan["solver"]["status"] == "OPTIMAL" and plan["school_id"] == "school-17"
    assert main(["audit", str(SAMPLES / "school-17"), "--plan", str(out)]) == 0


def test_rebuild_exit_2_on_a_bad_scenario(tmp_path, capsys):
    bad = tmp_path / "s.toml"
    bad.write_text('name = "x"\nreason = "snow"\nstart = 2026-12-01\nend = 2026-12-02\n', encoding="utf-8")
    assert main(["rebuild", str(SAMPLES / "school-17"), "--scenario", str(bad), "--out", str(tmp_path / "p.json")]) == 2
    err = capsys.readouterr().err
    assert "s.toml" in err and "reason" in err
    assert not (tmp_path / "p.json").exists()


def test_rebuild_exit_3_when_prechecks_fail(tmp_path, capsys):
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "x"\nreason = "other"\nstart = 2027-04-05\nend = 2027-04-06\n[online]\nall = true\n',
                        encoding="utf-8")
    assert main(["rebuild", str(SAMPLES / "school-17"), "--scenario", str(scenario), "--out",
                 str(tmp_path / "p.json"), "--strict-norms"]) == 3
    err = capsys.readouterr().err
    assert "strict norms" in err and "СП 2.4.3648-20 (expired 2027-01-01)" in err


def test_rebuild_exit_2_on_a_teacher_clash_in_the_regular_timetable(tmp_path, capsys):
    from planner.school.model import Lesson, StudentClass

    other = StudentClass(id="D", name="7Б", grade=7, age_min=13, age_max=14, students=25, bell_schedule="main")
    # the same teacher in two classes in one slot: the school is refused before any planning
    clash = Lesson(id="X1", version="v", classes=["D"], subject="math", day=1, period=2, teachers=["T-math"])
    school = make_school({1: ["math", "russian"]}, extra_classes=[other], extra_lessons=[clash],
                         start_period={1: 2})
    write_csv_folder(school, tmp_path / "s")
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'name = "x"\nreason = "other"\nstart = {MONDAY}\nend = {MONDAY}\n[online]\nclasses = ["C"]\n',
                        encoding="utf-8")
    code = main(["rebuild", str(tmp_path / "s"), "--scenario", str(scenario), "--out", str(tmp_path / "p.json")])
    captured = capsys.readouterr()
    assert code == 2 and "teacher 'T-math' has lessons" in captured.err and "lessons.csv" in captured.err


def test_progress_reports_solutions_objective_and_bound():
    school = make_school({1: ["algebra", "russian", "english", "history", "biology"]})
    events = []
    scenario = scenario_from_dict({"name": "t", "reason": "other", "start": MONDAY, "end": MONDAY,
                                   "online": {"all": True}})
    rebuild(school, scenario, library(), progress=events.append)
    finished = [e for e in events if "status" in e]
    assert finished and finished[-1]["status"] == "OPTIMAL"
    assert finished[-1]["objective"] == finished[-1]["bound"] > 0
    assert any("solutions" in e for e in events)


def test_a_set_cancel_event_stops_the_rebuild():
    school = make_school({1: ["algebra", "russian"]})
    cancel = threading.Event()
    cancel.set()
    scenario = scenario_from_dict({"name": "t", "reason": "other", "start": MONDAY, "end": MONDAY,
                                   "online": {"all": True}})
    with pytest.raises(RebuildCancelled):
        rebuild(school, scenario, library(), cancel=cancel)


def test_rebuild_exit_3_on_a_clock_time_clash_across_bell_schedules(tmp_path, capsys):
    from datetime import time

    from planner.school.model import BellSchedule, BellVariant, Lesson, Period, StudentClass

    late = BellSchedule(id="late", variants=[BellVariant(periods=[Period(number=1, start=time(9, 30),
                                                                          end=time(10, 15))])])
    other = StudentClass(id="D", name="7Б", grade=7, age_min=13, age_max=14, students=25, bell_schedule="late")
    # T-math teaches C in period 2 (09:25–10:10) and D in its period 1 (09:30–10:15): different period numbers,
    # so the import accepts the school, but the clocks overlap
    clash = Lesson(id="X1", version="v", classes=["D"], subject="math", day=1, period=1, teachers=["T-math"])
    school = make_school({1: ["russian", "math"]}, extra_classes=[other], extra_lessons=[clash])
    school = school.model_copy(update={"bell_schedules": [*school.bell_schedules, late]})
    write_csv_folder(school, tmp_path / "s")
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'name = "x"\nreason = "other"\nstart = {MONDAY}\nend = {MONDAY}\n[online]\nclasses = ["C"]\n',
                        encoding="utf-8")
    code = main(["rebuild", str(tmp_path / "s"), "--scenario", str(scenario), "--out", str(tmp_path / "p.json")])
    err = capsys.readouterr().err
    assert code == 3 and "pre-checks failed" in err and "T-math" in err and "overlap" in err
