"""A school policy tightens norms; loosening a binding value needs allow_loosen and is shown on findings."""

from datetime import date

import pytest
from builders import MONDAY, class_day, make_school

from planner.audit import audit_school
from planner.audit.checks.day import check_min_break
from planner.errors import NormSetError
from planner.norms import NormLibrary


def _lib(tmp_path, text):
    p = tmp_path / "policy.toml"
    p.write_text('[policy]\nname = "Тест"\n' + text, encoding="utf-8")
    return NormLibrary.load(policy_path=p)


def test_tightening_a_break_flags_a_10_minute_break(tmp_path):
    lib = _lib(tmp_path, '[[change]]\nnorm = "breaks.min_minutes"\nvalue = 15\nreason = "педсовет"\n')
    school = make_school({1: ["math", "russian", "english"]})
    [f] = check_min_break(class_day(school, MONDAY, lib=lib))
    assert f.severity == "violation" and "10 min, less than 15" in f.message_en
    assert "10 → 15" in f.policy_note and not f.loosened


def test_loosening_a_binding_value_needs_the_flag(tmp_path):
    with pytest.raises(NormSetError) as err:
        _lib(tmp_path, '[[change]]\nnorm = "breaks.min_minutes"\nvalue = 5\n').in_force(MONDAY)
    assert "allow_loosen" in str(err.value) and "change[0]" in str(err.value) and "policy.toml" in str(err.value)


def test_a_loosened_value_is_shown_on_the_findings_and_the_report(tmp_path):
    lib = _lib(tmp_path, '[[change]]\nnorm = "lessons_per_day.max"\nwhere = { grades = "5-6" }\nvalue = 7\n'
                         'allow_loosen = true\n[[change]]\nnorm = "lessons_per_day.max"\n'
                         'where = { grades = "5-6" }\nfield = "once_a_week"\nvalue = 8\nallow_loosen = true\n')
    eight = ["math", "russian", "english", "history", "biology", "literature", "music", "pe"]
    school = make_school({1: eight, 2: eight}, grade=5)  # 8 twice a week: the second day breaches even 7/8
    report = audit_school(school, lib, MONDAY, date(2026, 12, 6))
    [f] = [f for f in report.findings if f.norm_key == "lessons_per_day.max"]
    assert f.loosened and "ОСЛАБЛЕНО" in f.text("ru") and "LOOSENED" in f.text("en")
    assert any("LOOSENED" in n for n in report.notices_en)


def test_a_policy_naming_an_unknown_norm_or_row_is_refused(tmp_path):
    with pytest.raises(NormSetError, match="unknown norm"):
        _lib(tmp_path, '[[change]]\nnorm = "no.such"\nvalue = 1\n').in_force(MONDAY)
    with pytest.raises(NormSetError, match="no row"):
        _lib(tmp_path, '[[change]]\nnorm = "lessons_per_day.max"\nwhere = { grades = "12" }\nvalue = 1\n'
             ).in_force(MONDAY)


def test_the_local_act_values_for_colleges_come_from_policy(tmp_path):
    lib = _lib(tmp_path, '[[change]]\nnorm = "college.max_pairs_per_day"\nvalue = 3\n')
    from builders import class_week
    from planner.audit.checks.load import check_college_pairs_per_day

    pairs = [("08:30", "10:00"), ("10:10", "11:40"), ("12:20", "13:50"), ("14:00", "15:30")]
    college = make_school({1: ["math", "physics", "english", "history"]}, grade=None, course=2, bells=pairs)
    assert check_college_pairs_per_day(class_week(college)) == []
    days = [class_day(college, MONDAY, lib=lib)]
    [f] = check_college_pairs_per_day(days)
    assert "at most 3" in f.message_en and "4 → 3" in f.policy_note
