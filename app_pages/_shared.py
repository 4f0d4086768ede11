"""What every page shares: the store and norm library (cached resources), the chosen school, the rebuild jobs,
and showing errors in Russian. Only Streamlit plumbing here; the logic is in the planner library."""

from __future__ import annotations

import csv
from pathlib import Path

import streamlit as st

from planner import settings
from planner.errors import PlannerError, StaleSaveError
from planner.norms import NormLibrary
from planner.school.model import School
from planner.storage import Store
from planner.ui.jobs import RebuildJob
from planner.ui.plain import plain

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {"Школа № 17 (пример)": ROOT / "sample_data" / "school-17",
           "Техникум (пример)": ROOT / "sample_data" / "college-ptk"}

PAGES = {"school": "app_pages/school.py", "transition": "app_pages/transition.py", "plan": "app_pages/plan.py",
         "sanpin": "app_pages/sanpin.py", "publish": "app_pages/publish.py", "scenarios": "app_pages/scenarios.py",
         "settings": "app_pages/settings.py", "readiness": "app_pages/readiness.py"}


@st.cache_resource
def _store(data_dir: str | None) -> Store:
    return Store.open(data_dir)


def store() -> Store:
    return _store(settings.data_dir())


@st.cache_resource
def base_norm_library() -> NormLibrary:
    return NormLibrary.load()


def norm_library() -> NormLibrary:
    """The norms with the chosen school's stored policy (its local act values); the template values otherwise."""
    from planner.norms.school_policy import library_for_school

    return library_for_school(store(), st.session_state.get("school_id"), base_norm_library())


def policy_key() -> str:
    """Changes whenever the chosen school's policy changes (for cached audits)."""
    from planner.norms.school_policy import current_policy_version

    school_id = st.session_state.get("school_id")
    v = current_policy_version(store(), school_id) if school_id else None
    return v.id if v else ""


@st.cache_resource
def jobs() -> dict[str, RebuildJob]:
    """Rebuild jobs of this server process by id (they outlive a page rerun or a reload)."""
    return {}


def sample_dir_for(school_id: str) -> Path | None:
    for path in SAMPLES.values():
        f = path / "school.csv"
        if f.exists():
            with open(f, encoding="utf-8-sig") as fh:
                row = next(csv.DictReader(fh), None)
            if row and row.get("id") == school_id:
                return path
    return None


def current_school() -> tuple[School, int] | None:
    """The school chosen in the sidebar, as stored now, with its record version."""
    school_id = st.session_state.get("school_id")
    if not school_id:
        return None
    loaded = store().load_school_versioned(school_id)
    return loaded


def require_school() -> tuple[School, int]:
    loaded = current_school()
    if loaded is None:
        st.warning("В базе нет ни одной школы. Загрузите расписание на странице «Школа».")
        st.page_link(PAGES["school"], label="Перейти к странице «Школа»", icon="🏫")
        st.stop()
    return loaded


def show_error(err: Exception, what_next: str = "") -> None:
    """The page's one renderer of planner errors (PlannerError.text in Russian)."""
    if isinstance(err, StaleSaveError):
        st.error(plain(err.message_ru))  # messages quote imported values: shown as plain text
    elif isinstance(err, PlannerError):
        st.error(plain(err.text("ru")) + (f"\n\nЧто сделать: {what_next}" if what_next else ""))
    else:
        st.error(f"Ошибка: {plain(err)}" + (f"\n\nЧто сделать: {what_next}" if what_next else ""))


def select_school(school_id: str) -> None:
    """Ask the sidebar to show this school on the next run."""
    st.session_state["pending_school_id"] = school_id
