"""Fixtures for the feed tests: the sample school, plans for two scenario weeks, a publishing helper."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from icalendar import Calendar

from planner.importers import load_school
from planner.rebuild import rebuild
from planner.scenario import scenario_from_toml

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "school-17"
JS = ROOT / "tests" / "js"
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)  # the Friday before the frost week (Dec 7–12)


@pytest.fixture(scope="session")
def school():
    return load_school(SAMPLE).school


@pytest.fixture(scope="session")
def library(norm_library):
    return norm_library


@pytest.fixture(scope="session")
def plan01(school, library):
    return rebuild(school, scenario_from_toml(SAMPLE / "scenarios" / "01-frost-whole-school.toml"), library)


@pytest.fixture(scope="session")
def plan05(school, library):
    return rebuild(school, scenario_from_toml(SAMPLE / "scenarios" / "05-sick-physics-teacher.toml"), library)


def parse_all(out_dir: Path) -> dict[str, Calendar]:
    return {f.name: Calendar.from_ical(f.read_bytes()) for f in sorted(out_dir.glob("*.ics"))}


def events_of(cal: Calendar) -> dict[str, dict]:
    out = {}
    for ev in cal.events:
        out[str(ev["UID"])] = {"start": ev.start.astimezone(timezone.utc), "end": ev.end.astimezone(timezone.utc),
                               "summary": str(ev["SUMMARY"]), "status": str(ev.get("STATUS", "CONFIRMED")),
                               "sequence": int(ev.get("SEQUENCE", 0)), "description": str(ev.get("DESCRIPTION", "")),
                               "stamp": ev["DTSTAMP"].dt}
    return out


def ical_js(files: list[Path]) -> dict[str, list[dict]]:
    """Events as Mozilla ical.js sees them. Fails (never skips) when the npm packages are not installed."""
    if not (JS / "node_modules" / "ical.js").is_dir():
        pytest.fail("ical.js is not installed: run `npm ci --prefix tests/js` (scripts/setup.sh should do it)")
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the feeds are cross-checked with Mozilla ical.js under Node.js")
    out = subprocess.run([node, str(JS / "parse-feeds.mjs"), *map(str, files)], capture_output=True, text=True,
                         timeout=120, cwd=JS)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def stop_process(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a server a test started: terminate, then kill if it does not exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
