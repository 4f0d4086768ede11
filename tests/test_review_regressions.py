"""Regression tests for defects found in review: each reproduces the defect and fails on the old code."""

import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from builders import MONDAY, library, make_school

from planner.audit import audit_school
from planner.cli import main
from planner.errors import InputError, NormSetError
from planner.importers import load_school
from planner.norms import NormLibrary
from planner.publish.feeds.tokens import feed_links
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "school-17"


def test_csv_error_rows_count_blank_lines(tmp_path):
    folder = tmp_path / "s"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.xlsx", "scenarios"))
    lines = (folder / "lessons.csv").read_text(encoding="utf-8").splitlines()
    bad = lines[3].split(",")
    bad[8] = "99"  # period
    lines[3] = ",".join(bad)
    (folder / "lessons.csv").write_text("\n".join(lines[:2] + [""] + lines[2:]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_school(folder)
    assert err.value.location.row == 5 and err.value.location.field == "period"  # header 1, blank 3, bad row 5


def test_audit_widens_to_whole_weeks():
    school = make_school({d: ["math", "russian", "english", "history", "biology", "literature", "music"]
                          for d in range(1, 6)})  # 35 lessons a week: over the grade-7 cap of 32
    wednesday = date(2026, 12, 2)
    report = audit_school(school, library(), wednesday, wednesday)
    assert report.start == MONDAY and any(f.norm_key == "weekly_load.max_hours" for f in report.findings)
    assert any("whole weeks" in n for n in report.notices_en)


def test_policy_value_in_the_wrong_format_is_refused(tmp_path):
    p = tmp_path / "policy.toml"
    p.write_text('[[change]]\nnorm = "breaks.min_minutes"\nvalue = "15"\n', encoding="utf-8")
    with pytest.raises(NormSetError) as err:
        NormLibrary.load(policy_path=p).in_force(MONDAY)
    assert "change[0]" in str(err.value) and "value" in str(err.value)


def test_loosening_a_recommendation_is_not_called_binding(tmp_path):
    p = tmp_path / "policy.toml"
    p.write_text('[[change]]\nnorm = "distance.lesson_max_minutes"\nvalue = 40\n', encoding="utf-8")
    norms = NormLibrary.load(policy_path=p).in_force(MONDAY)
    assert not any(r.loosened for r in norms.get("distance.lesson_max_minutes").rows)


@pytest.mark.parametrize("online,policy,field", [
    ({"grades": "5–9"}, {}, "grades"),  # an en dash
    ({"all": True}, {"latest_end": "18"}, "latest_end"),
])
def test_bad_scenario_values_name_their_field(online, policy, field):
    with pytest.raises(InputError) as err:
        scenario_from_dict({"name": "x", "reason": "other", "start": MONDAY, "end": MONDAY, "online": online,
                            "policy": policy})
    assert err.value.location.field == field or field in err.value.location.element


def test_a_gymnastics_interval_above_the_sp_limit_is_refused():
    school = make_school({1: ["algebra", "russian"]}, grade=7)
    sc = scenario_from_dict({"name": "x", "reason": "other", "start": MONDAY, "end": MONDAY,
                             "online": {"all": True}, "policy": {"eye_gymnastics_interval_minutes": 30}})
    with pytest.raises(InputError, match="continuous-screen limit of 15"):
        rebuild(school, sc, library())


def test_formula_like_text_is_stored_as_text_in_the_epos_workbook():
    """Kept as a pointer: the ЭПОС workbook, like every export, now writes such text as a string cell without a
    visible quote (tests/safety/test_exports.py)."""
    from planner.cells import csv_cell, csv_restore

    assert csv_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and csv_cell("Алгебра") == "Алгебра"
    assert csv_restore(csv_cell("'=x")) == "'=x" and csv_cell(7) == 7


def test_a_base_url_without_a_scheme_is_refused():
    with pytest.raises(InputError, match="scheme and a host"):
        feed_links("school.example", "a" * 43)
    assert feed_links("https://school.example/", "a" * 43)["webcal"].startswith("webcal://school.example/feeds/")


def test_tokens_revoke_without_a_token_is_a_clear_error(tmp_path, capsys):
    assert main(["tokens", "revoke", "--data-dir", str(tmp_path)]) == 2
    assert "needs the token id" in capsys.readouterr().err


def test_publishing_one_school_keeps_the_other_schools_feed_files(tmp_path):
    from planner.publish.feeds.workflow import publish_to_dir
    from planner.scenario import scenario_from_toml
    from planner.storage import Store

    lib = NormLibrary.load()
    out = tmp_path / "feeds"
    now = datetime(2026, 11, 30, 6, 0, tzinfo=timezone.utc)
    with Store.open(tmp_path / "data") as store:
        for name, scenario in (("school-17", "03-class-3A-tablets.toml"),
                               ("college-ptk", "03-first-course-quarantine.toml")):
            school = load_school(SAMPLE.parent / name).school
            store.save_school(school, None)
            plan = rebuild(school, scenario_from_toml(SAMPLE.parent / name / "scenarios" / scenario), lib)
            publish_to_dir(store, school, plan, out, now, allow_missing_links=True)
            if name == "school-17":
                first = set(out.glob("*.ics"))
        assert first and first <= set(out.glob("*.ics"))


def test_a_publish_that_fails_half_way_leaves_the_previous_publication_whole(tmp_path, monkeypatch):
    from planner.publish.feeds.state import load_state
    from planner.publish.feeds.publication import publish_plan
    from planner.scenario import scenario_from_toml
    from planner.storage import Store

    lib = NormLibrary.load()
    school = load_school(SAMPLE).school
    first = rebuild(school, scenario_from_toml(SAMPLE / "scenarios" / "03-class-3A-tablets.toml"), lib)
    other = rebuild(school, scenario_from_toml(SAMPLE / "scenarios" / "04-class-8B-phones.toml"), lib)
    now = datetime(2026, 11, 30, 6, 0, tzinfo=timezone.utc)
    with Store.open(tmp_path) as store:
        publish_plan(store, school, first, now)
        before = {r.id: (r.version, r.payload) for r in store.list("feed_item", school_id=school.id)}
        real_save, calls = store.save, []

        def failing_save(*args, **kwargs):
            calls.append(args[0])
            if len(calls) == 5:
                raise OSError("disk full")
            return real_save(*args, **kwargs)

        monkeypatch.setattr(store, "save", failing_save)
        with pytest.raises(OSError):
            publish_plan(store, school, other, now)
        monkeypatch.setattr(store, "save", real_save)
        after = {r.id: (r.version, r.payload) for r in store.list("feed_item", school_id=school.id)}
        assert len(calls) == 5 and after == before
        assert load_state(store, school.id) is not None


def test_caldav_refuses_a_password_over_plain_http_off_loopback():
    from planner.publish.feeds.caldav import CalDAVError, open_calendar

    with pytest.raises(CalDAVError, match="plain http"):
        open_calendar("http://calendar.example/dav/", "u", "secret", timeout=5)
