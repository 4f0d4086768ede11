"""The page's pure view helpers (planner/ui/view.py, settings.py, importing.py) and the product config."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from planner.errors import InputError, input_error_from_validation
from planner.importers import load_school
from planner.scenario.model import Scenario
from planner.ui.importing import read_group, upload_groups
from planner.ui.settings import apply_school_settings, missing_settings
from planner.ui.view import (check_public_url, rebuild_progress, local_time, natural_key, parse_ranges, plural, read_settings,
                             selection_preview, status_words, url_is_local, write_setting)

ROOT = Path(__file__).resolve().parents[2]
ASC = ROOT.parent / "shared" / "datasets" / "asc" / "ukrainian-school-2019-01.xml"
SCHOOL = ROOT / "sample_data" / "school-17"


def test_natural_sort_puts_1A_before_10A():
    assert sorted(["10А", "1Б", "11Б", "2А", "1А", "10Б"], key=natural_key) == ["1А", "1Б", "2А", "10А", "10Б", "11Б"]


def test_plural_agreement():
    assert [plural(n, "класс", "класса", "классов") for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "1 класс", "2 класса", "5 классов", "11 классов", "21 класс", "22 класса", "112 классов"]


def test_status_in_human_words_without_solver_terms():
    assert status_words("OPTIMAL") == "оптимальный план найден"
    for s in ("OPTIMAL", "FEASIBLE", "NO_ONLINE", "NOTHING_TO_DECIDE", "FROZEN", "UNKNOWN_THING"):
        assert not any(w in status_words(s) for w in ("OPTIMAL", "FEASIBLE", "UNKNOWN"))


def test_local_time_uses_the_school_zone():
    assert local_time("2026-12-07T05:00:00+00:00", "Asia/Yekaterinburg") == "07.12.2026 10:00"
    assert local_time("2026-12-07T05:00:00", "Europe/Moscow") == "07.12.2026 08:00"  # naive = UTC


def test_selection_preview_names_the_classes_in_natural_order():
    school = load_school(SCHOOL).school
    good, bad = parse_ranges("1-9, x")
    assert good == ["1-9"] and bad == ["x"]
    from planner.scenario.model import OnlineSelection
    ids = OnlineSelection(grades=["1-4"]).resolve(school)
    text = selection_preview(school, ids)
    assert text.startswith(f"Выбрано {plural(len(ids), 'класс', 'класса', 'классов')}: 1")
    assert "5А" not in text and text.index("1") < text.index("4")
    assert selection_preview(school, []) == "Не выбрано ни одного класса."


@pytest.mark.parametrize("url,local", [("http://localhost:8501", True), ("http://127.0.0.1:8501", True),
                                       ("http://192.168.1.5", True), ("http://myhost:8501", True),
                                       ("https://school17.example.ru", False), ("http://8.8.8.8", False)])
def test_local_addresses_are_recognised(url, local):
    assert url_is_local(url) is local


def test_public_url_check():
    assert check_public_url("https://school17.example.ru") is None
    assert "https://" in check_public_url("school17.example.ru")
    assert check_public_url("https://x.ru/?a=1")


def test_settings_file_round_trip(tmp_path):
    write_setting(tmp_path, "last_school", "school-17")
    write_setting(tmp_path, "public_url", "https://x.ru")
    write_setting(tmp_path, "public_url", None)
    assert read_settings(tmp_path) == {"last_school": "school-17"}
    (tmp_path / "page_settings.json").write_text("{broken", encoding="utf-8")
    assert read_settings(tmp_path) == {}


def test_validation_messages_are_russian_and_name_the_value():
    with pytest.raises(ValidationError) as err:
        Scenario.model_validate({"name": "x", "reason": "weather", "start": "2026-12-07", "end": "zz"})
    text = input_error_from_validation(err.value, "сценарий").text("ru")
    assert "датой ДД.ММ.ГГГГ" in text and "«zz»" in text
    assert "Input should" not in text and "valid date" not in text


def test_asc_import_lacks_name_timezone_and_year_and_settings_fill_them():
    loaded = load_school(ASC)
    assert missing_settings("asc", loaded.warnings) == ["name", "timezone", "year"]
    assert missing_settings("xlsx", load_school(SCHOOL).warnings) == []
    new = apply_school_settings(loaded.school, name="Гимназия № 5", timezone="Asia/Yekaterinburg",
                                year_start=date(2026, 9, 1), year_end=date(2027, 6, 30))
    assert (new.name, new.timezone, new.calendar.year_end) == ("Гимназия № 5", "Asia/Yekaterinburg",
                                                                date(2027, 6, 30))
    assert new.versions[0].valid_to == date(2027, 6, 30)
    with pytest.raises(InputError) as bad:
        apply_school_settings(loaded.school, name="X", timezone="Mars/Olympus", year_start=date(2026, 9, 1),
                              year_end=date(2027, 5, 31))
    assert "Часовой пояс" in bad.value.text("ru") and "Mars/Olympus" in bad.value.text("ru")
    with pytest.raises(InputError) as bad:
        apply_school_settings(loaded.school, name=" ", timezone="Europe/Moscow", year_start=date(2026, 9, 1),
                              year_end=date(2027, 5, 31))
    assert "Название" in bad.value.text("ru")


def test_every_uploaded_file_is_read_or_refused_with_its_own_message(tmp_path):
    data = ASC.read_bytes()
    (tmp_path / "good.xml").write_bytes(data)
    (tmp_path / "cut.xml").write_bytes(data[: len(data) // 2])
    (tmp_path / "school.csv").write_bytes((SCHOOL / "school.csv").read_bytes())
    groups = upload_groups(["good.xml", "cut.xml", "school.csv", "classes.csv"])
    assert groups == [["good.xml"], ["cut.xml"], ["school.csv", "classes.csv"]]
    results = [read_group(tmp_path, g, "загруженные файлы") for g in groups[:2]]
    assert "school" in results[0] and results[0]["missing"] == ["name", "timezone", "year"]
    assert "error" in results[1] and "cut.xml" in results[1]["error"]
    assert str(tmp_path) not in results[1]["error"]  # no server path
    only_classes = read_group(tmp_path, ["classes.csv"], "загруженные файлы")
    assert "school.csv" in only_classes["error"]


def test_the_product_config_hides_the_developer_menu():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["browser"]["gatherUsageStats"] is False


def test_the_rebuild_progress_follows_the_dates_solved():
    start, end = date(2026, 12, 7), date(2026, 12, 11)
    assert rebuild_progress("2026-12-07", start, end, 5.0, 10.0) == 0.0
    assert rebuild_progress("2026-12-10", start, end, 1.0, 10.0) == 0.6
    assert rebuild_progress("", start, end, 5.0, 10.0) == 0.5  # before the first date reports: time used
    assert rebuild_progress("", None, None, 50.0, 10.0) == 0.99  # never «done» while running
