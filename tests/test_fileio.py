"""Atomic writes (planner.fileio): the previous file survives a failing writer and no temp file stays behind."""

from __future__ import annotations

import pytest

from planner.fileio import atomic_file, atomic_write_text


def test_a_failing_writer_leaves_the_previous_file_and_no_temp(tmp_path):
    target = tmp_path / "plan.json"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_file(target) as tmp:
            tmp.write_text("half of the new", encoding="utf-8")
            raise RuntimeError("killed half-way")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_a_finished_writer_replaces_the_file_with_the_given_mode(tmp_path):
    target = tmp_path / "sub" / "book.xlsx"
    with atomic_file(target, mode=0o600) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["book.xlsx"]
