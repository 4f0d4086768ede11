"""The blank template has exactly the canonical columns, and a filled-in template imports."""

from pathlib import Path

import pandas as pd

from planner.cli import main
from planner.importers import load_school
from planner.importers.tables import TABLES
from planner.importers.tabular import frames_from_school, write_xlsx_frames

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "school-17"


def test_xlsx_template_has_every_table_and_a_reference_sheet(tmp_path):
    out = tmp_path / "template.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None, dtype=str)
    for t in TABLES:
        assert list(sheets[t.name].columns) == list(t.columns) and sheets[t.name].empty
    ref = sheets["Справка"]
    assert set(zip(ref["Лист"], ref["Столбец"])) == {(t.name, c) for t in TABLES for c in t.columns}
    assert ref["Что писать"].str.len().min() > 0  # every column explained


def test_a_filled_template_imports_like_the_sample(tmp_path):
    out = tmp_path / "template.xlsx"
    main(["template", "--out", str(out)])
    sheets = pd.read_excel(out, sheet_name=None, dtype=str)
    school = load_school(SAMPLE).school
    filled = frames_from_school(school)
    write_xlsx_frames(out, {name: (filled[name] if name in filled else df) for name, df in sheets.items()})
    assert load_school(out).school == school


def test_csv_template_headers(tmp_path, capsys):
    assert main(["template", "--out", str(tmp_path / "t")]) == 0
    for t in TABLES:
        assert (tmp_path / "t" / t.file_name).read_text(encoding="utf-8") == ",".join(t.columns) + "\n"


def test_import_writes_a_school_json_that_loads_back(tmp_path, capsys):
    out = tmp_path / "school.json"
    assert main(["import", str(SAMPLE / "school.xlsx"), "--out", str(out)]) == 0
    assert load_school(out).school == load_school(SAMPLE).school
    assert "25 classes" in capsys.readouterr().out


def test_every_table_and_column_has_a_unique_russian_name():
    """The Russian template names every sheet and column (no English left where a user looks)."""
    from planner.importers.tables import COLUMNS_RU, SHEETS_RU, TABLES, column_ru

    for t in TABLES:
        assert t.name in SHEETS_RU, t.name
        names = [column_ru(t.name, c) for c in t.columns]
        missing = [c for c in t.columns if c not in COLUMNS_RU and column_ru(t.name, c) == c and c != "chat_id"]
        assert not missing, (t.name, missing)
        assert len(set(n.casefold() for n in names)) == len(names), (t.name, names)
