"""Shared steps of the page tests: an AppTest on an empty data directory, the sample scenario saved through the
«Переход на дистант» form, and a rebuild run from the «План» page (background thread, polled by reruns)."""

from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
FROST = "Пример: 01-frost-whole-school"


def by_key(elements, key):
    return next(e for e in elements if e.key == key)


def save_sample_scenario(at: AppTest, sample: str = FROST, name: str | None = None) -> AppTest:
    at.switch_page("app_pages/transition.py").run()
    at.selectbox(key="sc_pick").set_value(sample).run()
    if name:
        at.text_input(key="sc_name").set_value(name).run()
    at.button(key="sc_save").click().run()
    assert not at.exception, at.exception
    assert any("сохранён" in s.value for s in at.success), [e.value for e in at.error]
    return at


def rebuild(at: AppTest, scenario_label: str | None = None, timeout: float = 120) -> AppTest:
    at.switch_page("app_pages/plan.py").run()
    if scenario_label:
        at.selectbox(key="plan_scenario").set_value(scenario_label).run()
    at.button(key="plan_rebuild").click().run()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.25)
        at.run()
        assert not at.exception, at.exception
        if any(s.key == "plan_pick" for s in at.selectbox) and any("План готов" in s.value for s in [*at.success, *at.warning]):
            return at
    raise AssertionError(f"no plan in {timeout} s: {[e.value for e in at.error]}")


def frame_with(at: AppTest, column: str):
    """The first st.dataframe whose value has this column (AppTest keeps keys only of selectable frames)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)
