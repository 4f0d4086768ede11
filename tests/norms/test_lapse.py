"""Across 1 January 2027 (СП 2.4.3648-20 lapses) and 1 March 2027 (СанПиН 1.2.3685-21 lapses): the sample school
still rebuilds, audits and publishes; carried-over values are named with their status; a broken timetable is
judged against the carrying act (binding) in January and as carried-over warnings in March."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from builders import make_school

from planner.audit import audit_plan, audit_school
from planner.cli import main
from planner.errors import NormSetError
from planner.importers import load_school
from planner.norms import NormLibrary, NormsLapsedError
from planner.publish.feeds.publication import publish_plan
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict
from planner.storage import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "school-17"


@pytest.fixture(scope="module")
def school():
    return load_school(SAMPLE).school


@pytest.fixture(scope="module")
def lib(norm_library):
    return norm_library


def _frost(start: date, end: date):
    return scenario_from_dict({"name": f"Морозы {start:%d.%m}–{end:%d.%m.%Y}", "reason": "weather", "start": start,
                               "end": end, "created_by": "тест", "online": {"all": True}})


@pytest.mark.parametrize("start,end,carried", [
    (date(2027, 1, 12), date(2027, 1, 16), {"СП 2.4.3648-20"}),
    (date(2026, 12, 28), date(2027, 1, 15), {"СП 2.4.3648-20"}),
    (date(2027, 3, 1), date(2027, 3, 5), {"СП 2.4.3648-20", "СанПиН 1.2.3685-21"}),
], ids=["frost-jan-12-16", "dec-28-to-jan-15", "march-1-5"])
def test_sample_school_rebuilds_audits_and_publishes_across_the_lapse(tmp_path, school, lib, start, end, carried):
    plan = rebuild(school, _frost(start, end), lib, time_limit=20, workers=1)
    assert plan.solver.status in ("OPTIMAL", "FEASIBLE")
    assert plan.occurrences, "an empty plan"
    report = audit_plan(school, plan, lib)
    assert report.exit_code == 0, [f.text() for f in report.new_violations][:5]
    after = [r for r in report.norm_ranges if r.carried_over]
    assert after
    assert {a for r in after for a, _ in r.carried_over} == carried
    lines = [line for r in after for line in r.lines("ru")]
    assert any("утратил силу 01.01.2027; его значения применяются как норматив школы" in x for x in lines)
    assert any("Число уроков в день не более" in x for x in lines)  # a value with no table 6.6 source
    if start < date(2027, 1, 1):  # the range before the lapse has СП in force and nothing carried
        first = report.norm_ranges[0]
        assert "СП 2.4.3648-20" in first.in_force
        assert not first.carried_over
    if "СанПиН 1.2.3685-21" not in carried:
        assert any("Начало занятий не ранее — СанПиН 1.2.3685-21, табл. 6.6" == ru
                   for r in after for ru, _ in r.carried_by_other)
    assert report.interpretations_ru
    assert "толкование школы" in report.interpretations_ru[0]
    assert "norm_ranges" in report.to_dict()
    assert report.to_dict()["summary"]["ru"]
    store = Store.open(tmp_path / "data")
    result = publish_plan(store, school, plan, datetime(2026, 12, 20, 9, 0, tzinfo=timezone.utc))
    assert result is not None


# a class whose Monday starts at 07:45 and has a 5-minute break after the first lesson
BROKEN_BELLS = [("07:45", "08:30"), ("08:35", "09:20"), ("09:40", "10:25"), ("10:35", "11:20"), ("11:30", "12:15")]


def _broken():
    week = {d: ["math", "russian", "history", "biology", "english"] for d in range(1, 6)}
    return make_school(week, bells=BROKEN_BELLS)


def _findings(report, key):
    return [f for f in report.findings if f.norm_key == key]


def test_a_broken_timetable_in_january_is_judged_against_the_carrying_act(lib):
    report = audit_school(_broken(), lib, date(2027, 1, 18), date(2027, 1, 22))
    for key in ("day.earliest_start", "breaks.min_minutes"):
        fs = _findings(report, key)
        assert len(fs) == 5  # every weekday
        f = fs[0]
        assert all(x.severity == "violation" for x in fs)
        assert f.severity == "violation"
        assert f.act == "СанПиН 1.2.3685-21"
        assert f.clause == "табл. 6.6"
        assert f.norm_status == "carried_by_other"
        assert "СП 2.4.3648-20 утратил силу 01.01.2027" in f.status_ru
        assert "СанПиН 1.2.3685-21, табл. 6.6" in f.text("ru")
    assert report.exit_code == 1


def test_a_broken_timetable_in_march_gives_carried_over_warnings_and_says_so(lib):
    report = audit_school(_broken(), lib, date(2027, 3, 1), date(2027, 3, 5))
    for key in ("day.earliest_start", "breaks.min_minutes"):
        fs = _findings(report, key)
        assert len(fs) == 5
        f = fs[0]
        assert all(x.severity == "warning" for x in fs)
        assert f.severity == "warning"
        assert f.norm_status == "carried_over"
        assert f.act == "СП 2.4.3648-20"
        assert "утратил силу 01.01.2027; значение применяется как норматив школы до утверждения нового акта" \
            in f.status_ru
    assert report.exit_code == 0
    assert len(report.violations) == 0
    assert len(report.carried_findings) >= 2
    summary = report.summary("ru")
    assert summary.startswith("0 нарушений действующих норм; ")
    assert "по нормам, утратившим силу" in summary
    assert "0 violations of norms in force" in report.summary("en")


def test_the_school_policy_can_make_carried_over_values_binding(tmp_path):
    p = tmp_path / "policy.toml"
    p.write_text('[policy]\nname = "Строгая школа"\ncarried_over_binding = true\n', encoding="utf-8")
    report = audit_school(_broken(), NormLibrary.load(policy_path=p), date(2027, 3, 1), date(2027, 3, 5))
    f = _findings(report, "breaks.min_minutes")[0]
    assert f.severity == "violation"
    assert "обязательно по политике школы" in f.status_ru
    assert report.exit_code == 1


def test_strict_mode_refuses_a_date_without_an_act_in_force(tmp_path, school):
    with pytest.raises(NormsLapsedError) as err:
        NormLibrary.load(strict=True).in_force(date(2027, 1, 12))
    assert "СП 2.4.3648-20 (срок истёк 01.01.2027)" in err.value.text("ru")
    assert "sp-" not in err.value.text("ru")
    NormLibrary.load(strict=True).in_force(date(2026, 12, 28))  # before the lapse: fine
    p = tmp_path / "strict.toml"
    p.write_text('[policy]\nstrict_norms = true\n', encoding="utf-8")
    with pytest.raises(NormsLapsedError) as err2:
        NormLibrary.load(policy_path=p).in_force(date(2027, 3, 2))
    assert "strict.toml" in str(err2.value)
    assert "strict_norms" in str(err2.value)


def test_cli_strict_norms_and_lang_ru(capsys):
    code = main(["audit", str(SAMPLE), "--from", "2027-01-11", "--to", "2027-01-16", "--strict-norms"])
    assert code == 2
    assert "СП 2.4.3648-20" in capsys.readouterr().err
    code = main(["audit", str(SAMPLE), "--from", "2027-03-01", "--to", "2027-03-05", "--lang", "ru"])
    out = capsys.readouterr().out
    assert code == 0
    assert "СанПиН 1.2.3685-21 утратил силу 01.03.2027" in out
    assert "СП 2.4.3648-20 утратил силу 01.01.2027" in out
    for english in ("NOTE", "norm sets", "violations", "warnings", "policy:", "WARNING", "VIOLATION"):
        assert english not in out, english
    assert "sp-2.4.3648-20" not in out
    assert "sanpin-1.2.3685-21" not in out


def test_no_norm_data_at_all_still_names_the_missing_acts(tmp_path):
    (tmp_path / "only.toml").write_text(
        '[norm_set]\nid = "r"\nfamily = "r"\nact = "R"\nvalid_from = 2020-01-01\nbinding = false\nsources = []\n'
        'confidence = "M"\n', encoding="utf-8")
    with pytest.raises(NormSetError, match="СанПиН 1.2.3685-21 or СП 2.4.3648-20"):
        audit_school(_broken(), NormLibrary.load(tmp_path), date(2027, 1, 18), date(2027, 1, 22))
