import os
from pathlib import Path

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test fails: a missing tool or data set must never pass silently."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true (a tool or data set is missing): {report.longrepr}"


# ------------------------------------------------------------------ shared fixtures (one load per session)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SCHOOL = ROOT / "sample_data" / "school-17"
SAMPLE_SCENARIO = SAMPLE_SCHOOL / "scenarios" / "03-class-3A-tablets.toml"


@pytest.fixture(scope="session")
def norm_library():
    """The norm library in constraints/*.toml (the one `builders.library()` caches too)."""
    from builders import library

    return library()


@pytest.fixture(scope="session")
def sample_school():
    """The sample school school-17 as imported from sample_data (do not mutate: copy with model_copy)."""
    from planner.importers import load_school

    return load_school(SAMPLE_SCHOOL).school


@pytest.fixture(scope="session")
def sample_plan(sample_school, norm_library):
    """The sample school's plan for its scenario «3А on tablets» (sample_data/school-17/scenarios)."""
    from planner.rebuild import rebuild
    from planner.scenario import scenario_from_toml

    return rebuild(sample_school, scenario_from_toml(SAMPLE_SCENARIO), norm_library, time_limit=30)
