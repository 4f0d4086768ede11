"""A reason's counts across group divisions (issue 13, item 3: counts and minutes in a reason equal the plan's).

Class 7А (grade 7, PCs: three 30-minute calls a day) has two divisions of groups, as the real aSc export's classes
do: English in language groups 1/2 (one lesson for both groups) and PE in boys/girls. A pupil sits in one cell of one
group of each division, so the English call is one of every cell's calls, the boys' and girls' cells included.
The PE part left asynchronous for the screen limit must count it: «уже 3 урока онлайн (90 мин)», not 2 (the
English group lesson once went uncounted, its groups sharing none with PE's)."""

from __future__ import annotations

from builders import MONDAY, library, make_school

from planner.plan import Mode
from planner.rebuild import rebuild
from planner.rebuild.reasons import cell_calls, shares_pupils
from planner.scenario import scenario_from_dict
from planner.school.model import Lesson, SubGroup
from planner.text import plural

LANG = ["C-en1", "C-en2"]
SEX = ["C-boys", "C-girls"]


def _school():
    extra = [Lesson(id="EN", version="v", classes=["C"], groups=LANG, subject="english", day=1, period=3,
                    teachers=["T-en"]),
             Lesson(id="PE", version="v", classes=["C"], groups=SEX, subject="pe", day=1, period=4,
                    teachers=["T-pe"])]
    school = make_school({1: ["algebra", "russian"]}, grade=7, extra_lessons=extra)
    klass = school.class_by_id("C").model_copy(update={"groups": [
        SubGroup(id="C-en1", name="7А англ. 1", students=12, division="lang"),
        SubGroup(id="C-en2", name="7А англ. 2", students=13, division="lang"),
        SubGroup(id="C-boys", name="7А мальчики", students=11, division="sex"),
        SubGroup(id="C-girls", name="7А девочки", students=14, division="sex")]})
    return school.model_copy(update={"classes": [klass]})


def test_a_screen_reason_counts_the_calls_of_another_division():
    school = _school()
    klass = school.class_by_id("C")
    plan = rebuild(school, scenario_from_dict({"name": "Морозы", "reason": "weather", "start": MONDAY,
                                               "end": MONDAY, "online": {"classes": ["C"]}}), library())
    by_subject = {o.subject_id: o for o in plan.occurrences}
    assert {s: o.mode for s, o in by_subject.items()} == {
        "algebra": Mode.LIVE, "russian": Mode.LIVE, "english": Mode.LIVE, "pe": Mode.ASYNC}
    pe = by_subject["pe"]
    [reason] = pe.reasons
    assert reason.norm_key in ("eso.table_6_8", "scenario.screen_reserve"), reason.text_ru
    cell = tuple(g for g in str(reason.params["groups"]).split(",") if g)
    assert len(cell) == 2 and set(cell) & set(LANG) and set(cell) & set(SEX)  # one group of each division
    # the plan's calls of that cell, by the auditor's rule: a part is the cell's when the cell holds one of its
    # groups; the English lesson (groups 1 and 2) is in every cell
    live = [o for o in plan.occurrences if o.mode == Mode.LIVE and (set(o.groups) & set(cell) or not o.groups)]
    assert sorted(o.subject_id for o in live) == ["algebra", "english", "russian"]
    assert reason.params["calls"] == 3 and reason.params["screen_minutes"] == sum(o.screen_minutes for o in live)
    assert plural(3, "урок", "урока", "уроков") + " онлайн" in reason.text_ru
    assert f"({reason.params['screen_minutes']} мин у экрана)" in reason.text_ru
    assert shares_pupils(klass, by_subject["english"], pe)
    assert cell_calls(klass, live, cell) == live


def test_groups_of_one_division_share_no_pupils():
    school = _school()
    klass = school.class_by_id("C")
    plan = rebuild(school, scenario_from_dict({"name": "Морозы", "reason": "weather", "start": MONDAY,
                                               "end": MONDAY, "online": {"classes": ["C"]}}), library(),
                   explain=False)
    pe = next(o for o in plan.occurrences if o.subject_id == "pe")
    boys, girls = (pe.model_copy(update={"groups": [g]}) for g in SEX)
    en1 = pe.model_copy(update={"groups": ["C-en1"]})
    whole = pe.model_copy(update={"groups": []})
    assert not shares_pupils(klass, boys, girls)
    assert shares_pupils(klass, boys, en1) and shares_pupils(klass, girls, en1)
    assert shares_pupils(klass, whole, boys) and shares_pupils(klass, boys, boys)
    # another class's groups only: for this class a whole-class part
    assert shares_pupils(klass, boys.model_copy(update={"groups": ["D-boys"]}), girls)
