"""Readiness as a workflow (004 §3.3): the board, the survey workbook, and the planner's live calls after it."""

from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pytest
from builders import MONDAY, library, make_school

from planner.errors import InputError
from planner.plan import Mode
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict
from planner.school.model import DeviceCounts
from planner.school.readiness import read_survey, readiness_board, record_item, write_survey

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
FIVE = ["algebra", "russian", "english", "history", "biology"]


def _imported():
    """A school as an import without readiness data leaves it: no devices, no chats, flags off."""
    s = make_school({1: FIVE}, devices=DeviceCounts(), ready=False)
    teachers = [t.model_copy(update={"name": f"Учитель {t.id}"}) for t in s.teachers]
    klass = s.classes[0].model_copy(update={"curator": teachers[0].id})
    teachers[0] = teachers[0].model_copy(update={"contact": "+7 342 000-00-00"})
    return s.model_copy(update={"teachers": teachers, "classes": [klass]})


def _scenario():
    return scenario_from_dict({"name": "t", "reason": "weather", "start": MONDAY, "end": MONDAY,
                               "online": {"classes": ["C"]}})


def _fill(path: Path, school) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["C"]
    values = {"pc": 20, "laptop": 5, "tablet": 0, "phone": 0, "none": 0, "refusals": 1, "pupils_joined": 25,
              "parents_joined": 30, "test_call": "да"}
    for row in ws.iter_rows(min_row=2):
        code = row[0].value
        if code in values:
            row[2].value = str(values[code])
        elif code.startswith("chat:"):
            subject = code.split(":")[1]
            row[2].value = f"https://max.ru/join/{subject}"
            row[3].value = f"T-{subject}"
        row[4].value = "Куратор Иванова"
        row[5].value = "2026-11-30"
    ws = wb["Учителя"]
    for row in ws.iter_rows(min_row=2):
        for cell in row[2:7]:
            cell.value = "да"
    wb.save(path)


def test_board_lists_what_is_missing_then_a_filled_survey_lets_the_scenario_plan_live_calls(tmp_path: Path):
    school = _imported()
    board = readiness_board(school)
    assert board.summary_ru() == "0 из 1 класса готовы"
    line = board.lines_ru()[1]
    for missing in ("нет чатов: Алгебра", "нет тестового звонка", "нет опроса об устройствах",
                    "не отмечено, сколько учеников", "не готовы учителя", "куратор Учитель "):
        assert missing in line, line
    assert "+7 342 000-00-00" in line
    before = rebuild(school, _scenario(), library())
    assert not [o for o in before.occurrences if o.mode == Mode.LIVE]

    path = tmp_path / "survey.xlsx"
    write_survey(school, path)
    _fill(path, school)
    filled = read_survey(school, path, now=NOW)
    klass = filled.classes[0]
    assert klass.devices.refusals == 1 and klass.devices.pc == 20 and klass.devices.surveyed_by == "Куратор Иванова"
    assert klass.readiness.test_call.by == "Куратор Иванова"
    assert klass.readiness.test_call.at.date().isoformat() == "2026-11-30"
    assert len([c for c in filled.chats if c.class_id == "C"]) == 5 and all(c.admin for c in filled.chats)
    board = readiness_board(filled)
    assert board.summary_ru() == "1 из 1 класса готов" and klass.readiness.ready
    after = rebuild(filled, _scenario(), library())
    live = [o for o in after.occurrences if o.mode == Mode.LIVE]
    assert live and all(o.link and o.link.startswith("https://max.ru/join/") for o in live)


def test_the_school_rule_can_require_fewer_items():
    school = _imported()
    school = record_item(school, "C", "test_call", by="Завуч", at=NOW)
    rule = school.channel_policy.model_copy(update={"readiness_items": ["test_call"]})
    school = school.model_copy(update={"channel_policy": rule})
    assert readiness_board(school).ready_count == 1


@pytest.mark.parametrize("code, value, field, message", [
    ("pc", "много", "Значение", "не целое"),
    ("test_call", "может быть", "Значение", "да"),
    ("chat:algebra", "https://t.me/x", "Значение", "Telegram"),
])
def test_survey_errors_name_sheet_row_and_field(tmp_path: Path, code, value, field, message):
    school = _imported()
    path = tmp_path / "survey.xlsx"
    write_survey(school, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["C"]
    row_no = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == code)
    ws.cell(row_no, 3).value = value
    wb.save(path)
    with pytest.raises(InputError) as err:
        read_survey(school, path, now=NOW)
    loc = err.value.location
    assert loc.file.endswith("#C") and loc.row == row_no and loc.field == field
    assert message in err.value.text("ru") and "лист «C»" in err.value.text("ru")


def test_device_counts_must_cover_the_class(tmp_path: Path):
    school = _imported()
    path = tmp_path / "survey.xlsx"
    write_survey(school, path)
    wb = openpyxl.load_workbook(path)
    wb["C"].cell(2, 3).value = "10"
    wb.save(path)
    with pytest.raises(InputError, match="10"):
        read_survey(school, path, now=NOW)


def test_cli_readiness_board_survey_out_and_in(tmp_path: Path, capsys):
    from planner.cli import main
    from planner.school.model import School

    src = tmp_path / "school.json"
    src.write_text(_imported().to_json(), encoding="utf-8")
    survey = tmp_path / "survey.xlsx"
    assert main(["readiness", str(src), "--survey-out", str(survey)]) == 1  # not ready yet
    out = capsys.readouterr().out
    assert "0 из 1 класса готовы" in out and "нет тестового звонка" in out and survey.exists()
    _fill(survey, None)
    done = tmp_path / "done.json"
    assert main(["readiness", str(src), "--survey-in", str(survey), "--out", str(done),
                 "--now", "2026-12-01T10:00"]) == 0
    assert "1 из 1 класса готов" in capsys.readouterr().out
    assert School.from_json(done.read_text(encoding="utf-8")).classes[0].readiness.ready
    assert main(["readiness", str(src), "--survey-in", str(survey)]) == 2  # --out missing
    assert "--out" in capsys.readouterr().err
