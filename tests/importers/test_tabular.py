"""The canonical CSV/XLSX/JSON formats: round trips, and one clear error (file, row, field) per kind of bad input."""

import json
from pathlib import Path

import pandas as pd
import pytest

from builders import make_school
from planner.cli import main
from planner.errors import InputError
from planner.importers import load_school
from planner.importers.tabular import write_csv_folder, write_xlsx


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    school = make_school({1: ["math", "russian", "english"], 2: ["history", "pe"]})
    write_csv_folder(school, tmp_path / "s")
    return tmp_path / "s"


def _edit(folder: Path, table: str, fn) -> None:
    path = folder / f"{table}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = fn(df)
    df.to_csv(path, index=False)


def _error(path) -> InputError:
    with pytest.raises(InputError) as err:
        load_school(path)
    return err.value


def test_csv_xlsx_json_round_trips_are_lossless(folder, tmp_path):
    school = load_school(folder).school
    write_xlsx(school, tmp_path / "s.xlsx")
    assert load_school(tmp_path / "s.xlsx").school == school
    (tmp_path / "s.json").write_text(school.to_json(), encoding="utf-8")
    assert load_school(tmp_path / "s.json").school == school
    write_csv_folder(load_school(tmp_path / "s.xlsx").school, tmp_path / "again")
    for f in folder.glob("*.csv"):
        assert (tmp_path / "again" / f.name).read_bytes() == f.read_bytes(), f.name


def test_missing_column(folder):
    _edit(folder, "lessons", lambda df: df.drop(columns=["subject"]))
    err = _error(folder)
    assert err.location.file.endswith("lessons.csv") and err.location.row == 1 and err.location.field == "subject"
    assert "missing column 'subject'" in err.text("en") and "нет столбца" in err.text("ru")


def test_unknown_column(folder):
    _edit(folder, "classes", lambda df: df.assign(colour="red"))
    err = _error(folder)
    assert err.location.field == "colour" and "unknown column" in err.message_en


def test_unknown_teacher_in_the_timetable(folder):
    def change(df):
        df.loc[2, "teachers"] = "T-nobody"
        return df
    _edit(folder, "lessons", change)
    err = _error(folder)
    assert err.location.file.endswith("lessons.csv") and err.location.row == 4 and err.location.field == "teachers"
    assert "unknown teacher 'T-nobody'" in err.message_en and "неизвестный учитель" in err.message_ru


def test_unknown_class_in_the_timetable(folder):
    def change(df):
        df.loc[0, "classes"] = "9Z"
        return df
    _edit(folder, "lessons", change)
    err = _error(folder)
    assert err.location.row == 2 and err.location.field == "classes" and "unknown class '9Z'" in err.message_en


def test_duplicate_ids(folder):
    _edit(folder, "teachers", lambda df: pd.concat([df, df.iloc[[0]]]))
    err = _error(folder)
    assert err.location.file.endswith("teachers.csv") and err.location.field == "id" and "duplicate" in err.message_en


def test_period_outside_the_bell_schedule(folder):
    def change(df):
        df.loc[1, "period"] = "12"
        return df
    _edit(folder, "lessons", change)
    err = _error(folder)
    assert err.location.row == 3 and err.location.field == "period" and "period 12 is not in bell" in err.message_en


def test_a_malformed_number(folder):
    def change(df):
        df.loc[0, "students"] = "двадцать"
        return df
    _edit(folder, "classes", change)
    err = _error(folder)
    assert (err.location.row, err.location.field) == (2, "students") and "whole number" in err.message_en


def test_a_malformed_time_and_date(folder):
    def bad_time(df):
        df.loc[0, "start"] = "8h30"
        return df
    _edit(folder, "bells", bad_time)
    err = _error(folder)
    assert (err.location.row, err.location.field) == (2, "start") and "HH:MM" in err.message_en


def test_a_clash_of_a_class_in_one_slot(folder):
    def change(df):
        df.loc[1, "period"] = "1"
        return df
    _edit(folder, "lessons", change)
    err = _error(folder)
    assert "two lessons" in err.message_ru or "has lessons" in err.message_en


def test_an_empty_file_and_a_missing_file(folder):
    (folder / "teachers.csv").write_text("", encoding="utf-8")
    assert "empty" in _error(folder).message_en
    (folder / "teachers.csv").unlink()
    err = _error(folder)
    assert "teachers.csv is missing" in err.message_en


def test_cp1251_text_is_refused_with_a_message(folder):
    text = (folder / "teachers.csv").read_text(encoding="utf-8") + "T-x,Иванов Иван Иванович,,\n"
    (folder / "teachers.csv").write_bytes(text.encode("cp1251"))
    assert "UTF-8" in _error(folder).message_en


def test_utf8_with_bom_is_accepted(folder):
    path = folder / "teachers.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_school(folder).school.teachers


def test_json_with_a_wrong_schema_version_or_bad_value(folder, tmp_path):
    data = json.loads(load_school(folder).school.to_json())
    data["schema_version"] = 7
    (tmp_path / "v.json").write_text(json.dumps(data), encoding="utf-8")
    assert _error(tmp_path / "v.json").location.field == "schema_version"
    data["schema_version"] = 1
    data["classes"][0]["students"] = -3
    (tmp_path / "n.json").write_text(json.dumps(data), encoding="utf-8")
    err = _error(tmp_path / "n.json")
    assert err.location.element == "classes[0]" and err.location.field == "students"


def test_an_unknown_format(tmp_path):
    (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
    assert "unrecognised format" in _error(tmp_path / "x.txt").message_en


def test_a_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    import planner.importers as imp
    monkeypatch.setattr(imp, "MAX_SOURCE_BYTES", 10)
    (tmp_path / "big.json").write_text("{" + " " * 100 + "}", encoding="utf-8")
    assert "limit" in _error(tmp_path / "big.json").message_en


def test_cli_reports_bad_input_with_exit_2_and_file_row_field(folder, capsys):
    _edit(folder, "lessons", lambda df: df.drop(columns=["subject"]))
    assert main(["audit", str(folder), "--from", "2026-11-30"]) == 2
    err = capsys.readouterr().err
    assert "lessons.csv" in err and "row 1" in err and "'subject'" in err


def test_a_failed_store_leaves_the_saved_school_untouched(folder, tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["store", str(folder), "--data-dir", str(data)]) == 0
    from planner.storage import Store
    with Store.open(data) as store:
        before = store.get("school", "tiny")
    _edit(folder, "lessons", lambda df: df.drop(columns=["subject"]))
    assert main(["store", str(folder), "--data-dir", str(data), "--replace"]) == 2
    with Store.open(data) as store:
        after = store.get("school", "tiny")
    assert after.version == before.version and after.payload == before.payload


def test_storing_twice_without_replace_is_refused(folder, tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["store", str(folder), "--data-dir", str(data)]) == 0
    assert main(["store", str(folder), "--data-dir", str(data)]) == 2
    assert "already stored (version 1)" in capsys.readouterr().err
    assert main(["store", str(folder), "--data-dir", str(data), "--expected-version", "5"]) == 2
    assert "changed by someone else" in capsys.readouterr().err
    assert main(["store", str(folder), "--data-dir", str(data), "--replace"]) == 0
