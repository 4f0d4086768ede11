"""The ЭПОС hand-off workbook for a scenario with a sick teacher."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.cli import main
from planner.importers import load_school
from planner.norms import NormLibrary
from planner.plan.model import Mode
from planner.publish.ejournal.epos import (
    COVER_RU, LESSON_COLUMNS, MODE_RU, NOBODY, REPLACEMENT_COLUMNS, SELF_STUDY, write_epos_workbook,
)
from planner.rebuild import rebuild
from planner.scenario import scenario_from_toml

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "sample_data" / "school-17"


@pytest.fixture(scope="module")
def school():
    return load_school(SOURCE).school


@pytest.fixture(scope="module")
def plan(school):
    scenario = scenario_from_toml(SOURCE / "scenarios" / "05-sick-physics-teacher.toml")
    return rebuild(school, scenario, NormLibrary.load())


@pytest.fixture(scope="module")
def workbook(school, plan, tmp_path_factory):
    out = tmp_path_factory.mktemp("epos") / "epos.xlsx"
    write_epos_workbook(school, plan, out)
    assert [p.name for p in out.parent.iterdir()] == ["epos.xlsx"]  # no temporary file left behind
    return load_workbook(out)


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_both_sheets_with_their_columns(workbook):
    assert workbook.sheetnames == ["Уроки", "Журнал замен"]
    assert tuple(_rows(workbook["Уроки"])[0]) == LESSON_COLUMNS
    assert tuple(_rows(workbook["Журнал замен"])[0]) == REPLACEMENT_COLUMNS


def test_one_lesson_row_per_occurrence_and_one_replacement_row_per_absent_teachers_lesson(workbook, plan):
    replaced = [o for o in plan.occurrences if o.mode == Mode.REPLACED]
    assert replaced  # the sick physics teacher's in-school lessons in 10А and 11А
    covered = [o for o in plan.occurrences if "T-PHY1" in o.regular_teachers]
    assert {o.cover is not None for o in covered} == {True}  # online, in school, and his tasks
    assert len(_rows(workbook["Уроки"])) - 1 == len(plan.occurrences)
    assert len(_rows(workbook["Журнал замен"])) - 1 == len(covered) > len(replaced)


def test_lesson_rows_are_sorted_and_in_russian(workbook, school, plan):
    rows = _rows(workbook["Уроки"])[1:]
    names = sorted(((c.name, i) for i, c in enumerate(school.classes)), key=lambda x: -len(x[0]))

    def index(cell: str) -> int:  # "5А (5А англ. 1)": the class name, then its groups
        return next(i for name, i in names if cell == name or cell.startswith(name + " ("))

    keys = [(r[0], index(r[1]), r[2]) for r in rows]
    assert keys == sorted(keys)
    assert isinstance(rows[0][0], datetime)
    modes = {r[6] for r in rows}
    assert modes <= set(MODE_RU.values()) and {"онлайн-урок", "очно", "замена"} <= modes
    live = next(r for r in rows if r[6] == "онлайн-урок")
    assert live[7].startswith("https://")
    # every sample class has pupils with only a phone or none: the live row carries their alternative (004 §3.7)
    assert live[8].startswith("для ") and "без устройства или с отказом" in live[8] and live[9] > live[0]
    work = next(r for r in rows if r[6].startswith("самостоятельная"))
    assert work[8] and isinstance(work[9], datetime) and work[9] > work[0]
    count = {mode: sum(o.mode == mode for o in plan.occurrences) for mode in MODE_RU}
    assert sum(r[6] == "онлайн-урок" for r in rows) == count[Mode.LIVE]


def test_replacement_journal_names_absent_teacher_substitute_or_supervision(workbook, school, plan):
    rows = _rows(workbook["Журнал замен"])[1:]
    names = {t.id: t.name for t in school.teachers}
    assert {r[4] for r in rows} == {"Григорьев Виктор Юрьевич"}
    assert {r[3] for r in rows} == {"Физика"}
    assert {"10А", "11А"} < {r[1] for r in rows}  # in school, and the online classes 5–9
    assert SELF_STUDY not in {r[5] for r in rows} and NOBODY not in {r[5] for r in rows}  # every one named
    kinds = {r[7] for r in rows}
    assert {COVER_RU["online"], COVER_RU["substitute"], COVER_RU["supervisor"]} <= kinds
    # the online cover: the free physics colleague gives the call, as in the plan
    online = [o for o in plan.occurrences if o.cover and o.cover.role == "online"]
    assert online and {(o.date, names[o.cover.teacher]) for o in online} == \
        {(r[0].date(), r[5]) for r in rows if r[7] == COVER_RU["online"]}
    supervised = [r for r in rows if r[7] == COVER_RU["supervisor"]]
    assert all(r[5] in names.values() and r[5] != "Гусев Андрей Сергеевич" for r in supervised)
    assert all(r[2] and r[6].startswith("учитель отсутствует") for r in rows)
    assert not any("болезн" in r[6] or "болеет" in r[6] for r in rows)  # the absence, never its cause


def test_cli_epos(tmp_path, plan, capsys):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.to_json(), encoding="utf-8")
    out = tmp_path / "out" / "epos.xlsx"
    assert main(["epos", str(SOURCE), str(plan_file), "--out", str(out)]) == 0
    assert f"{len(plan.occurrences)} lessons" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["Уроки", "Журнал замен"]
    assert main(["epos", str(ROOT / "sample_data" / "college-ptk"), str(plan_file), "--out", str(out)]) == 2
