"""The one Russian agreement-by-number helper (issue 13, item 4)."""

from planner.text import plural, plural_form


def test_plural_agrees_with_the_number():
    assert [plural(n, "урок", "урока", "уроков") for n in (0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111)] == [
        "0 уроков", "1 урок", "2 урока", "4 урока", "5 уроков", "11 уроков", "12 уроков", "14 уроков", "21 урок",
        "22 урока", "25 уроков", "101 урок", "111 уроков"]
    assert plural(1, "дата", "даты", "дат") == "1 дата" and plural_form(3, "дата", "даты", "дат") == "даты"


def test_the_page_and_the_auditor_use_the_library_helper():
    from planner.audit import findings
    from planner.ui import view

    assert view.plural is plural and findings.ru_plural is plural_form
