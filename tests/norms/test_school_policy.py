"""Each school's policy is stored with its history and used by the commands for that school; --policy wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.errors import InputError, NormSetError
from planner.norms import NormLibrary
from planner.norms.school_policy import (current_school_policy, library_for_school, policy_history,
                                         save_school_policy)
from planner.storage import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "school-17"
TIGHT = '[policy]\nname = "Школа № 17: перемены 15 минут"\n\n[[change]]\nnorm = "breaks.min_minutes"\nvalue = 15\n' \
        'reason = "решение педсовета"\n'


def _audit(capsys, data: Path, *extra: str) -> dict:
    code = main(["audit", str(SAMPLE), "--from", "2026-11-30", "--to", "2026-12-05", "--format", "json",
                 "--data-dir", str(data), *extra])
    out = json.loads(capsys.readouterr().out)
    out["code"] = code
    return out


def _breaks(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["norm_key"] == "breaks.min_minutes"]


def test_a_stored_policy_changes_that_schools_audit_and_keeps_history(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["store", str(SAMPLE), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    before = _audit(capsys, data)
    assert not _breaks(before) and before["policy"] == ""
    policy = tmp_path / "tight.toml"
    policy.write_text(TIGHT, encoding="utf-8")
    assert main(["policy", "set", "school-17", str(policy), "--by", "Петрова М. И.", "--reason",
                 "приказ № 12 от 01.12.2026", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    after = _audit(capsys, data)
    assert _breaks(after) and after["policy"] == "Школа № 17: перемены 15 минут"
    assert all("15" in f["policy_note"] for f in _breaks(after))
    # --policy FILE wins for one run
    loose = tmp_path / "none.toml"
    loose.write_text('[policy]\nname = "без изменений"\n', encoding="utf-8")
    once = _audit(capsys, data, "--policy", str(loose))
    assert not _breaks(once) and once["policy"] == "без изменений"
    assert main(["policy", "history", "school-17", "--data-dir", str(data)]) == 0
    hist = capsys.readouterr().out
    assert "Петрова М. И." in hist and "приказ № 12 от 01.12.2026" in hist and "T" in hist.split("\t")[1]


def test_history_and_a_bad_upload_that_changes_nothing(tmp_path):
    with Store.open(tmp_path / "data") as store:
        base = NormLibrary.load()
        v1 = save_school_policy(store, "s1", TIGHT, created_by="Иванов", reason="первая версия")
        v2 = save_school_policy(store, "s1", TIGHT.replace("15", "20"), created_by="Петрова", reason="вторая")
        assert (v1.number, v2.number) == (1, 2)
        hist = policy_history(store, "s1")
        assert [(h.created_by, h.reason) for h in hist] == [("Иванов", "первая версия"), ("Петрова", "вторая")]
        assert all(h.created_at for h in hist)
        assert current_school_policy(store, "s1").changes[0].value == 20
        with pytest.raises(NormSetError) as err:  # loosening without allow_loosen
            save_school_policy(store, "s1", '[[change]]\nnorm = "breaks.min_minutes"\nvalue = 5\n',
                               created_by="X", reason="Y", source="upload.toml")
        assert err.value.location.file == "upload.toml" and err.value.location.field == "value"
        with pytest.raises(InputError):
            save_school_policy(store, "s1", TIGHT, created_by=" ", reason="Y")
        assert len(policy_history(store, "s1")) == 2
        lib = library_for_school(store, "s1", base)
        from datetime import date
        assert lib.in_force(date(2026, 12, 1)).get("breaks.min_minutes").row().value() == 20
        assert library_for_school(store, "other", base) is base
