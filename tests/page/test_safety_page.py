"""Issue 11 (11): names from imported files are shown as plain text on the page (no Markdown: an image link in
a name makes the browser fetch nothing)."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from page.pagehelpers import APP
from planner.importers import load_school
from planner.storage import Store
from planner.ui.plain import plain

ROOT = Path(__file__).resolve().parents[2]
UNESCAPED = re.compile(r"(?<!\\)[\[\]!]")  # a bracket or ! without a backslash before it
EVIL = "![x](https://evil.example/pixel.png) [клик](javascript:alert(1)) :red[красный] $x^2$"


def test_plain_escapes_markdown():
    out = plain(EVIL)
    assert not UNESCAPED.search(out) and ":red[" not in out
    assert out.replace("\\", "") == EVIL  # nothing else changes


def test_an_image_link_in_the_school_name_is_not_rendered(data_dir):
    school = load_school(ROOT / "sample_data" / "school-17").school.model_copy(update={"id": "evil", "name": EVIL})
    Store.open(data_dir).save_school(school, None)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["pending_school_id"] = "evil"
    at.run()
    assert not at.exception, at.exception
    shown = [e.value for e in [*at.subheader, *at.markdown, *at.caption, *at.success, *at.info, *at.warning]]
    assert plain(EVIL) in shown  # the school's name as its subheader, escaped
    assert not any(UNESCAPED.search(str(v)) for v in shown)
