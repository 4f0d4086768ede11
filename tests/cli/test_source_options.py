"""Every command that takes a SOURCE takes the same source options (issue 10): a FET school imported with
--timezone and a year is the same school for rebuild, publish, messages and epos."""

from __future__ import annotations

import json

import openpyxl
import pytest

import fet_small
from planner.cli import SOURCE_OPTIONS, build_parser, main

OPTIONS = ["--timezone", "Asia/Yekaterinburg", "--year-start", "2026-09-01", "--year-end", "2027-05-31"]


@pytest.fixture(scope="module")
def fet_school(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fetchain")
    _, _, data = fet_small.solve_small_fet(folder)
    return folder, data


def _scenario(folder):
    path = folder / "frost.toml"
    path.write_text('name = "Морозы"\nreason = "weather"\nstart = 2026-12-07\nend = 2026-12-09\n'
                    'created_by = "завуч"\n[online]\nall = true\n', encoding="utf-8")
    return path


def test_fet_chain_rebuild_publish_messages_epos_with_timezone(fet_school, capsys):
    folder, data = fet_school
    plan = folder / "plan.json"
    assert main(["rebuild", str(data), *OPTIONS, "--scenario", str(_scenario(folder)), "--out", str(plan),
                 "--time-limit", "5"]) == 0
    body = json.loads(plan.read_text(encoding="utf-8"))
    assert body["timezone"] == "Asia/Yekaterinburg"
    # the times of the plan are in the school's zone (+05:00), so the options reached the importer
    assert any(o["regular_start"] and o["regular_start"].endswith("+05:00") for o in body["occurrences"])

    feeds, data_dir = folder / "feeds", folder / "data"
    assert main(["publish", str(data), str(plan), *OPTIONS, "--out", str(feeds), "--data-dir", str(data_dir),
                 "--allow-missing-links", "--now", "2026-12-04T10:00"]) == 0
    assert list(feeds.glob("*.ics"))

    assert main(["messages", str(data), str(plan), *OPTIONS, "--data-dir", str(data_dir),
                 "--now", "2026-12-04T10:00"]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out

    epos = folder / "epos.xlsx"
    assert main(["epos", str(data), str(plan), *OPTIONS, "--out", str(epos)]) == 0
    sheet = openpyxl.load_workbook(epos)["Уроки"]
    assert sheet.max_row > 1


def test_another_timezone_makes_another_school(fet_school, capsys):
    """The same file with a different zone is another school: the plan is refused, naming the reason."""
    folder, data = fet_school
    plan = folder / "plan2.json"
    assert main(["rebuild", str(data), *OPTIONS, "--scenario", str(_scenario(folder)), "--out", str(plan),
                 "--time-limit", "5"]) == 0
    other = ["--timezone", "Europe/Moscow", *OPTIONS[2:]]
    assert main(["epos", str(data), str(plan), *other, "--out", str(folder / "x.xlsx")]) == 2
    assert "another school" in capsys.readouterr().err


def test_source_options_are_defined_once_and_taken_by_every_source_command():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    wanted = {a.dest for a in SOURCE_OPTIONS._actions if a.dest != "help"}
    takes_source = [name for name, p in sub.choices.items() if any(a.dest == "source" for a in p._actions)]
    assert {"audit", "rebuild", "publish", "messages", "epos", "import", "convert", "store"} <= set(takes_source)
    for name in takes_source:
        dests = {a.dest for a in sub.choices[name]._actions}
        assert wanted <= dests, f"{name} lacks {wanted - dests}"
