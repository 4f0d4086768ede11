"""Successor acts and amendments are data: a TOML file, no code change. Bad files stop with one message naming the
file, the norm key (element) and the field."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from builders import make_school

from planner.audit import audit_school
from planner.cli import main
from planner.errors import NormSetError
from planner.norms import NormLibrary
from planner.norms.data import DEFAULT_CONSTRAINTS_DIR
from planner.norms.status import banner, lapse_alerts

SUCCESSOR = """[norm_set]
id = "sp-2.4.new"
family = "sp"
act = "СП 2.4.XXXX-26 (тестовый преемник)"
valid_from = 2027-01-01
supersedes = ["sp-2.4.3648-20"]
sources = ["test"]
confidence = "S1"

[norms."breaks.min_minutes"]
title_ru = "Продолжительность перемены не менее"
clause = "п. 9.9"
unit = "minutes"
direction = "min"
applies_to = ["regular_day", "in_school_day", "online_day"]
sources = ["test"]
confidence = "S1"
fields = ["value"]
rows = [{ value = 12 }]
"""

EXTENSION = """[amendment]
amends = "sp-2.4.3648-20"
act = "Постановление ГГСВ РФ (тестовое) о продлении СП 2.4.3648-20"
adopted = 2026-11-20
valid_until = 2028-01-01
source = "тестовый источник"
"""


def _folder(tmp_path: Path, **extra: str) -> Path:
    folder = tmp_path / "norms"
    shutil.copytree(DEFAULT_CONSTRAINTS_DIR, folder)
    for name, text in extra.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_successor_file_replaces_the_carried_over_values(tmp_path):
    lib = NormLibrary.load(_folder(tmp_path, successor=SUCCESSOR))
    jan = lib.in_force(date(2027, 1, 12))
    assert "СП 2.4.XXXX-26 (тестовый преемник)" in jan.acts_in_force() and not jan.carried_over
    norm = jan.get("breaks.min_minutes")
    assert norm.status == "in_force" and norm.act == "СП 2.4.XXXX-26 (тестовый преемник)"
    assert norm.row().value() == 12
    assert jan.get("lessons_per_day.max") is None  # the successor does not carry it: the old value is gone
    # a 10-minute break now breaks the successor's 12 minutes, as a binding violation
    week = {d: ["math", "russian", "history"] for d in range(1, 6)}
    school = make_school(week, bells=[("08:30", "09:15"), ("09:25", "10:10"), ("10:30", "11:15")])
    report = audit_school(school, lib, date(2027, 1, 18), date(2027, 1, 22))
    found = [f for f in report.findings if f.norm_key == "breaks.min_minutes"]
    assert found and all(f.severity == "violation" and f.clause == "п. 9.9" for f in found)
    assert not [r for r in report.norm_ranges if r.carried_over]
    assert lapse_alerts(lib, date(2026, 11, 15)) == [] or all(a.act != "СП 2.4.3648-20"
                                                              for a in lapse_alerts(lib, date(2026, 11, 15)))


def test_an_amendment_file_moves_valid_until(tmp_path, capsys):
    folder = _folder(tmp_path, extension=EXTENSION)
    lib = NormLibrary.load(folder)
    jan = lib.in_force(date(2027, 1, 12))
    assert "СП 2.4.3648-20" in jan.acts_in_force() and not jan.carried_over
    sp = next(s for s in lib.sets if s.id == "sp-2.4.3648-20")
    assert sp.valid_until == date(2028, 1, 1) and "тестовый источник" in sp.valid_until_source
    assert main(["norms", "list", "--date", "2027-01-12", "--constraints", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "2028-01-01" in out and "продлении" in out


def test_norms_check_exits_non_zero_within_the_window(capsys):
    assert main(["norms", "check", "--date", "2026-09-01"]) == 0
    assert main(["norms", "check", "--date", "2026-11-15"]) == 1
    assert "СП 2.4.3648-20" in capsys.readouterr().out
    assert main(["norms", "check", "--date", "2026-09-01", "--days", "130"]) == 1


def test_the_banner_names_the_act_and_date():
    lib = NormLibrary.load()
    nov = banner(lib, date(2026, 11, 15))
    assert nov and "СП 2.4.3648-20" in nov and "01.01.2027" in nov
    assert banner(lib, date(2026, 9, 1)) is None
    after = banner(lib, date(2027, 6, 1))
    assert "СП 2.4.3648-20" in after and "СанПиН 1.2.3685-21" in after and "01.03.2027" in after


@pytest.mark.parametrize("name,text,where", [
    ("overlap", SUCCESSOR.replace("valid_from = 2027-01-01", "valid_from = 2026-12-01"),
     ("overlap.toml", "norm_set", "valid_from")),
    ("backwards", SUCCESSOR.replace("valid_from = 2027-01-01", "valid_from = 2027-01-01\nvalid_until = 2026-06-01"),
     ("backwards.toml", "norm_set", "valid_until")),
    ("baddate", SUCCESSOR.replace("valid_from = 2027-01-01", 'valid_from = "2027-13-01"'),
     ("baddate.toml", "norm_set", "valid_from")),
    ("badfield", SUCCESSOR.replace('clause = "п. 9.9"', 'clause = "п. 9.9"\nclaus = "typo"'),
     ("badfield.toml", "norms.breaks.min_minutes", "claus")),
    ("badamend", EXTENSION.replace("valid_until = 2028-01-01", "valid_until = 2028-02-30"),
     ("badamend.toml", "", "")),
])
def test_bad_norm_files_name_file_key_and_field(tmp_path, name, text, where):
    folder = _folder(tmp_path, **{name: text})
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(NormSetError) as err:
        NormLibrary.load(folder)
    loc = err.value.location
    assert Path(loc.file).name == where[0] and loc.element == where[1] and loc.field == where[2]
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.parametrize("text,element,field,words", [
    ('[[change]]\nnorm = "breaks.min_minutes"\nvalue = 5\n', "change[0]", "value", "allow_loosen"),
    ('[[change]]\nnorm = "no.such.norm"\nvalue = 1\n', "change[0]", "norm", "unknown norm key"),
    ('[policy]\nstrict_norms = "yes please"\n', "policy", "strict_norms", "invalid value"),
    ('[[change]]\nnorm = "breaks.min_minutes"\nvalue = 15\nwhen = 2027-01-01\n', "change[0]", "when", "unknown field"),
])
def test_bad_policies_name_file_key_and_field(tmp_path, text, element, field, words):
    p = tmp_path / "policy.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(NormSetError) as err:
        NormLibrary.load(policy_path=p)
    loc = err.value.location
    assert loc.file == str(p) and loc.element == element and loc.field == field and words in str(err.value)
