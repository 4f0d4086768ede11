"""Issue 11 (10): calendar and number bounds; the audit never exits 1 on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from planner.cli import main
from planner.importers import load_school

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "school-17"


def _school_with_year(tmp_path: Path, start: str, end: str) -> Path:
    src = tmp_path / "school"
    shutil.copytree(SAMPLE, src, ignore=shutil.ignore_patterns("scenarios", "school.xlsx"))
    text = (src / "school.csv").read_text(encoding="utf-8").replace("2026-09-01,2027-05-31", f"{start},{end}")
    (src / "school.csv").write_text(text, encoding="utf-8")
    return src


@pytest.mark.parametrize("start,end", [("2026-09-01", "9999-12-31"), ("2027-05-31", "2026-09-01"),
                                       ("2026-09-01", "2028-09-01")])
def test_bad_school_year_is_exit_2_with_a_message(tmp_path, capsys, start, end):
    src = _school_with_year(tmp_path, start, end)
    assert main(["audit", str(src)]) == 2
    err = capsys.readouterr().err
    assert "school.csv" in err and "year" in err


def test_far_audit_dates_are_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["audit", str(SAMPLE), "--from", "9999-12-31"])
    assert exc.value.code == 2
    assert main(["audit", str(SAMPLE), "--from", "2027-01-10", "--to", "2026-12-01"]) == 2
    assert "reversed" in capsys.readouterr().err


def test_class_size_of_1e308_is_refused(tmp_path, capsys):
    school = json.loads(load_school(str(SAMPLE)).school.to_json())
    school["classes"][0]["students"] = 1e308
    f = tmp_path / "school.json"
    f.write_text(json.dumps(school), encoding="utf-8")
    assert main(["audit", str(f)]) == 2
    assert "students" in capsys.readouterr().err
