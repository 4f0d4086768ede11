"""The format of a source is detected from its content, not its extension."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from planner.errors import InputError
from planner.importers import ImportOptions, detect_format, load_school

ROOT = Path(__file__).resolve().parents[2]
ASC = ROOT.parent / "shared" / "datasets" / "asc" / "ukrainian-school-2019-01.xml"
SAMPLE = ROOT / "sample_data" / "school-17"


def test_every_format_is_detected_from_content_even_with_a_wrong_extension(tmp_path):
    assert ASC.exists(), f"the shared aSc export is missing: {ASC}"
    shutil.copy(ASC, tmp_path / "export.txt")
    shutil.copy(SAMPLE / "school.xlsx", tmp_path / "school.dat")
    (tmp_path / "school.xml").write_text(load_school(SAMPLE).school.to_json(), encoding="utf-8")
    (tmp_path / "x.json").write_text('<?xml version="1.0"?>\n<fet version="6.8.5"><Mode>Official</Mode></fet>',
                                     encoding="utf-8")
    assert detect_format(tmp_path / "export.txt") == "asc"
    assert detect_format(tmp_path / "school.dat") == "xlsx"
    assert detect_format(tmp_path / "school.xml") == "json"
    assert detect_format(tmp_path / "x.json") == "fet"
    assert detect_format(SAMPLE) == "csv"


def test_the_asc_export_loads_through_load_school_with_options(tmp_path):
    shutil.copy(ASC, tmp_path / "export.bin")
    opts = ImportOptions(timezone="Europe/Kyiv", year_start=date(2026, 9, 1), year_end=date(2027, 5, 31))
    loaded = load_school(tmp_path / "export.bin", opts)
    assert len(loaded.school.classes) == 29 and loaded.school.timezone == "Europe/Kyiv"
    assert loaded.warnings  # defaults and unmapped items are listed, never silently dropped


def test_an_unknown_format_is_refused(tmp_path):
    (tmp_path / "a.xml").write_text("<?xml version='1.0'?><html/>", encoding="utf-8")
    with pytest.raises(InputError, match="unrecognised format"):
        load_school(tmp_path / "a.xml")
