"""The template the page offers is in Russian (sheets and columns), and the reader takes a workbook with Russian
or English names alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.errors import InputError
from planner.importers import load_school
from planner.importers.tables import SHEETS_RU, column_ru
from planner.importers.tabular import frames_from_school, write_xlsx_frames
from planner.importers.template import write_template

ROOT = Path(__file__).resolve().parents[2]


def test_the_russian_template_has_russian_sheets_and_columns(tmp_path):
    out = tmp_path / "t.xlsx"
    write_template(out, russian=True)
    wb = load_workbook(out)
    assert wb.sheetnames[:5] == ["Школа", "Каникулы", "Переносы", "Звонки", "Классы"]
    header = [c.value for c in wb["Классы"][1]]
    assert header[:4] == ["Код", "Название", "Параллель", "Курс"] and "Только телефон" in header
    assert [c.value for c in wb["Учителя"][1]][:2] == ["Код", "ФИО"]
    assert not any(name.isascii() for name in wb.sheetnames)


def test_a_workbook_with_russian_names_reads_as_the_english_one(tmp_path):
    school = load_school(ROOT / "sample_data" / "school-17").school
    frames = frames_from_school(school)
    russian = {SHEETS_RU[name]: df.rename(columns=lambda c, n=name: column_ru(n, c)) for name, df in frames.items()}
    out = tmp_path / "ru.xlsx"
    write_xlsx_frames(out, russian)
    again = load_school(out).school
    assert again.fingerprint() == school.fingerprint()
    # a blank Russian template is read (and refused for its empty school sheet, naming it), not "unknown column"
    blank = tmp_path / "blank.xlsx"
    write_template(blank, russian=True)
    with pytest.raises(InputError) as err:
        load_school(blank)
    assert "неизвестный столбец" not in err.value.text("ru") and "нет столбца" not in err.value.text("ru")
