"""Fixtures of the page tests: an empty data directory and an AppTest of the app on it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from page.pagehelpers import APP


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("PLANNER_DATA_DIR", str(d))
    monkeypatch.delenv("PLANNER_PAGE_PASSWORD", raising=False)
    return d


@pytest.fixture
def app(data_dir) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


