"""One importer skeleton: the CSV/XLSX, aSc and FET importers build their errors and warnings through
`planner.importers.context` and turn the school's integrity problems into an error by one helper."""

import re
from pathlib import Path

from planner.errors import Location
from planner.importers.context import ImportContext, problem_error
from planner.school.integrity import Problem

IMPORTERS = Path(__file__).resolve().parents[2] / "planner" / "importers"


def test_the_first_problem_is_raised_where_the_importer_locates_it_with_the_count_of_the_rest():
    problems = [Problem("lessons", 3, "teachers", "teacher 'T1' teaches twice at once", "учитель «T1» ведёт два урока"),
                Problem("lessons", 5, "rooms", "room clash", "кабинет занят")]
    err = problem_error(problems, Location(file="x.fet", element="Activities_List/Activity[4]", field="Teacher"))
    assert err.message_en == "teacher 'T1' teaches twice at once (and 1 more problems)"
    assert err.message_ru == "учитель «T1» ведёт два урока (и ещё проблем: 1)"
    assert err.location == Location(file="x.fet", element="Activities_List/Activity[4]", field="Teacher")


def test_the_context_names_its_file_on_every_error_and_collects_warnings(tmp_path):
    ctx = ImportContext(tmp_path / "a.xml")
    err = ctx.error("bad", "плохо", element="Card[2]", field="period", row=7)
    assert err.location == Location(file=str(tmp_path / "a.xml"), row=7, element="Card[2]", field="period")
    ctx.warn("classes", 0, "grade", "guessed", "угадано")
    assert [(w.collection, w.index, w.field) for w in ctx.warnings] == [("classes", 0, "grade")]


def test_every_importer_uses_the_one_skeleton_and_fet_the_hardened_reader():
    for name in ("tabular.py", "asc.py", "fet.py"):
        text = (IMPORTERS / name).read_text(encoding="utf-8")
        assert "raise_first_problem(" in text, name
        assert "find_problems(" not in text, name  # integrity problems become errors only in context.py
    for name in ("asc.py", "fet.py"):
        text = (IMPORTERS / name).read_text(encoding="utf-8")
        assert "ImportContext" in text, name
        assert not re.search(r"def (error|warn)\(self", text), name  # no importer-local copy of the context
    fet = (IMPORTERS / "fet.py").read_text(encoding="utf-8")
    assert "load_xml(" in fet
    assert "safe_et" not in fet  # no second XML parsing path
