"""The calendar's lesson index is shared by the page's rebuild thread and its main thread (issue 10)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from planner.importers import load_school
from planner.school.calendar import lessons_on

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "school-17"


def test_many_threads_and_school_objects_share_the_index_without_errors():
    school = load_school(SAMPLE).school
    day = date(2026, 12, 8)
    klass = school.classes[0]
    expected = [d.lesson.id for d in lessons_on(school, klass, day)]
    copies = [school.model_copy() for _ in range(24)]  # distinct objects: the bounded cache keeps evicting
    errors: list[BaseException] = []
    results: list[list[str]] = []

    def work(offset: int) -> None:
        try:
            for i in range(60):
                s = copies[(offset + i) % len(copies)]
                results.append([d.lesson.id for d in lessons_on(s, s.classes[0], day)])
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 8 * 60 and all(r == expected for r in results)
