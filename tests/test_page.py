"""The page starts on the sample school from an empty data directory and shows its content."""

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def test_page_shows_the_sample_school_and_its_audit(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "Средняя общеобразовательная школа № 17" in " ".join(h.value for h in at.subheader)
    assert (tmp_path / "data" / "planner.sqlite3").exists()
    classes = at.dataframe[0].value
    assert len(classes) == 25 and "7Б" in set(classes["Класс"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Нарушения"] == "0"
    # the sidebar offers both sample institutions, stored in the database
    options = at.sidebar.selectbox[0].options
    assert len(options) == 2 and any("техникум" in o.lower() for o in options)


def test_week_grid_shows_the_chosen_class(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.selectbox(key="week_class").set_value("7Б")
    at.date_input(key="week_monday").set_value(date(2026, 12, 2)).run()  # a Wednesday: the grid shows its whole week
    grid = at.dataframe[1].value
    assert list(grid.columns) == ["Пн 30.11", "Вт 01.12", "Ср 02.12", "Чт 03.12", "Пт 04.12"]
    assert grid.iloc[0]["Пн 30.11"].startswith("Разговоры о важном")
    assert grid.index[0].startswith("1. 08:00")
