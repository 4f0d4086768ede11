"""The occurrence key, the CLI with a broken norm folder, and the CI rule that a skip is a failure."""

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from planner.cli import main
from planner.errors import InputError
from planner.school.calendar import lessons_on
from planner.importers import load_school
from planner.school.occurrence import OccurrenceKey

ROOT = Path(__file__).resolve().parents[2]


def test_occurrence_key_round_trips_and_is_stable():
    key = OccurrenceKey(date(2026, 12, 1), "7B", "main-2026-7B-012")
    assert str(key) == "2026-12-01|7B|main-2026-7B-012"
    assert OccurrenceKey.parse(str(key)) == key
    with pytest.raises(InputError):
        OccurrenceKey.parse("2026-12-01|7B")
    with pytest.raises(InputError):
        OccurrenceKey.parse("1 December|7B|x")


def test_each_dated_lesson_has_a_unique_key():
    school = load_school(ROOT / "sample_data" / "school-17").school
    keys = [str(d.key) for c in school.classes for d in lessons_on(school, c, date(2026, 12, 1))]
    assert len(keys) == len(set(keys)) > 100


def test_college_audit_says_the_local_act_applies(capsys):
    assert main(["audit", str(ROOT / "sample_data" / "college-ptk"), "--from", "2026-11-30"]) == 0
    assert "planner's defaults (college.* norms, unverified" in capsys.readouterr().out


def test_cli_with_a_norm_file_missing_its_source(tmp_path, capsys):
    shutil.copytree(ROOT / "constraints", tmp_path / "c")
    path = tmp_path / "c" / "sp-2.4.3648-20.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('sources = ["S8", "S2", "S5"]\n', "", 1), encoding="utf-8")
    code = main(["audit", str(ROOT / "sample_data" / "school-17"), "--from", "2026-11-30", "--constraints",
                 str(tmp_path / "c")])
    err = capsys.readouterr().err
    assert code == 2 and "sp-2.4.3648-20.toml" in err and "eso.continuous_minutes" in err and "sources" in err


def test_under_ci_a_skipped_test_fails(tmp_path):
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    (tmp_path / "test_skip.py").write_text("import pytest\n\ndef test_x():\n    pytest.skip('no fet-cl')\n")
    env = {"PATH": "/usr/bin:/bin", "CI": "true"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 1 and "1 failed" in run.stdout
    env["CI"] = "false"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0 and "1 skipped" in run.stdout
