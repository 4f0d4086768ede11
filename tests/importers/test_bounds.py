"""Issue 11 (7): imports are bounded — size limits for every file kind (CSV folders too), zip-bomb check, only
regular files read, row and cell limits, near-linear integrity checks."""

from __future__ import annotations

import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from planner.errors import InputError
from planner.importers import bounds, load_school
from planner.school import integrity

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "school-17"


def _copy(tmp_path) -> Path:
    src = tmp_path / "school"
    shutil.copytree(SAMPLE, src, ignore=shutil.ignore_patterns("scenarios", "school.xlsx"))
    return src


def _load_in_thread(path) -> BaseException | None:
    """load_school in a thread: a read that blocks (a FIFO) fails the test instead of hanging it."""
    out: list = []

    def run():
        try:
            load_school(path)
            out.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout=60)
    assert out, "the import blocked"
    return out[0]


@pytest.mark.parametrize("table", ["lessons.csv", "holidays.csv"])
def test_a_fifo_in_the_csv_folder_is_not_read(tmp_path, table):
    src = _copy(tmp_path)
    (src / table).unlink(missing_ok=True)
    os.mkfifo(src / table)
    exc = _load_in_thread(src)
    assert isinstance(exc, InputError)
    assert "not a regular file" in exc.text("en")
    assert table in exc.text("en")


def test_a_fifo_as_the_source_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "school.xlsx")
    exc = _load_in_thread(tmp_path / "school.xlsx")
    assert isinstance(exc, InputError)
    assert "not a regular file" in exc.text("en")


def test_csv_folder_size_limit_applies_to_the_files_together(tmp_path):
    src = _copy(tmp_path)
    with open(src / "rooms.csv", "r+b") as f:  # sparse: big on paper, nothing written
        f.truncate(bounds.MAX_SOURCE_BYTES + 1)
    with pytest.raises(InputError, match="together"):
        load_school(src)


def test_a_huge_csv_cell_is_refused_with_file_row_and_field(tmp_path):
    src = _copy(tmp_path)
    lines = (src / "teachers.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("name")] = "Я" * (bounds.MAX_CELL_CHARS + 1)
    lines[2] = ",".join(cells)
    (src / "teachers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_school(src)
    text = exc.value.text("en")
    assert "longer than" in text
    assert "teachers.csv" in text
    assert "3" in text
    assert "name" in text


def test_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_TABLE_ROWS", 100)
    with pytest.raises(InputError, match="more than the limit of 100") as exc:
        load_school(SAMPLE)
    assert "lessons.csv" in exc.value.text("en")


def test_xlsx_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(SAMPLE / "school.xlsx") as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet12.xml":
                data = data.replace(b"</sheetData>", b"<!--" + b" " * (40 * 1024 * 1024) + b"--></sheetData>")
            zout.writestr(info.filename, data)
    assert bomb.stat().st_size < 1024 * 1024

    def unpacking(*_a, **_k):
        raise AssertionError("the workbook was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "read", unpacking)
    monkeypatch.setattr(zipfile.ZipFile, "open", unpacking)
    with pytest.raises(InputError, match="zip bomb"):
        load_school(bomb)


def test_the_sample_workbook_is_within_the_bounds():
    bounds.check_xlsx_zip(SAMPLE / "school.xlsx")
    assert load_school(SAMPLE / "school.xlsx").school.lessons


def test_integrity_checks_grow_linearly_with_the_lessons(monkeypatch):
    """The clash check compared every pair of lessons of a slot and looked classes up by a linear search:
    quadratic in the size of the school. Count the work for a school and one four times larger."""
    from bench.synthetic import synthetic_school

    calls = {"n": 0}
    real = integrity._weeks_overlap

    def counted(a, b):
        calls["n"] += 1
        return real(a, b)

    monkeypatch.setattr(integrity, "_weeks_overlap", counted)
    monkeypatch.setattr(type(synthetic_school(25)), "class_by_id", lambda self, cid: (_ for _ in ()).throw(
        AssertionError("class_by_id is a linear search: not in a per-lesson loop")))
    work = []
    for n in (60, 240):
        school = synthetic_school(n)
        calls["n"] = 0
        assert integrity.find_problems(school) == []
        work.append((len(school.lessons), calls["n"]))
    (small_lessons, small_work), (big_lessons, big_work) = work
    assert big_lessons >= 3.5 * small_lessons
    assert big_work <= 1.5 * (big_lessons / small_lessons) * max(1, small_work)
