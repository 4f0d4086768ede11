"""Chats are resources (issue 13, item 2): a MAX/Sferum chat holds one call at a time.

Class 7А (grade 7, PCs: three 30-minute calls a day) has algebra and Russian, then English in two language
groups at the same time with two teachers. With only the class's chat the two group calls are sequenced (or one
stays asynchronous, its reason naming the chat); a chat per group lets them run side by side."""

from __future__ import annotations

from builders import MONDAY, library, make_school

from planner.audit import audit_plan
from planner.audit.checks.online import check_chat_overlap
from planner.plan import Mode
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict
from planner.school.model import ChatLink, Lesson, SubGroup

CLASS_CHAT = "https://max.ru/join/7a-class"


def _school(chats: list[ChatLink]):
    english = [Lesson(id=f"EN{g}", version="v", classes=["C"], groups=[f"C-en{g}"], subject="english", day=1,
                      period=3, teachers=[f"T-en{g}"]) for g in (1, 2)]
    school = make_school({1: ["algebra", "russian"]}, grade=7, extra_lessons=english)
    klass = school.class_by_id("C").model_copy(update={"groups": [
        SubGroup(id="C-en1", name="7А англ. 1", students=12, division="lang"),
        SubGroup(id="C-en2", name="7А англ. 2", students=13, division="lang")]})
    return school.model_copy(update={"classes": [klass], "chats": chats})


def _plan(school):
    scenario = scenario_from_dict({"name": "Морозы", "reason": "weather", "start": MONDAY, "end": MONDAY,
                                   "online": {"classes": ["C"]}})
    return rebuild(school, scenario, library())


def _english(plan):
    return sorted((o for o in plan.occurrences if o.subject_id == "english"), key=lambda o: o.lesson_id)


def test_two_language_groups_sharing_the_class_chat_never_overlap():
    school = _school([ChatLink(class_id="C", invite_link=CLASS_CHAT)])
    plan = _plan(school)
    en1, en2 = _english(plan)
    assert en1.link == en2.link == CLASS_CHAT
    assert en1.mode == en2.mode == Mode.LIVE  # both fit: sequenced
    assert en1.end <= en2.start or en2.end <= en1.start
    report = audit_plan(school, plan, library())
    assert report.exit_code == 0 and not [f for f in report.findings if f.norm_key == "integrity.chat_overlap"]


def test_a_chat_per_group_lets_the_groups_meet_at_the_same_time():
    school = _school([ChatLink(class_id="C", invite_link=CLASS_CHAT),
                      ChatLink(class_id="C", group_id="C-en1", invite_link="https://max.ru/join/7a-en1"),
                      ChatLink(class_id="C", subject_id="english", group_id="C-en2",
                               invite_link="https://max.ru/join/7a-en2")])
    plan = _plan(school)
    en1, en2 = _english(plan)
    assert (en1.link, en2.link) == ("https://max.ru/join/7a-en1", "https://max.ru/join/7a-en2")
    assert en1.mode == en2.mode == Mode.LIVE and en1.start == en2.start  # both at the regular time
    assert {o.link for o in plan.occurrences if o.subject_id != "english"} == {CLASS_CHAT}


def test_the_auditor_finds_two_calls_in_one_chat_at_once():
    school = _school([ChatLink(class_id="C", invite_link=CLASS_CHAT),
                      ChatLink(class_id="C", group_id="C-en1", invite_link="https://max.ru/join/7a-en1"),
                      ChatLink(class_id="C", group_id="C-en2", invite_link="https://max.ru/join/7a-en2")])
    plan = _plan(school)  # the groups meet at the same time, each in its own chat: lawful
    assert audit_plan(school, plan, library()).exit_code == 0
    one_chat = plan.model_copy(update={"occurrences": [o.model_copy(update={"link": CLASS_CHAT})
                                                       for o in plan.occurrences]})
    report = audit_plan(school, one_chat, library())
    [f] = [f for f in report.findings if f.norm_key == "integrity.chat_overlap"]
    assert f.severity == "violation" and not f.preexisting and report.exit_code == 1
    assert "одновременно в одном чате" in f.message_ru and f.groups == ("C-en1", "C-en2")


def test_a_group_that_cannot_be_sequenced_stays_asynchronous_with_a_reason_naming_the_chat():
    # 20-minute breaks and calls over by 11:00 leave no room to sequence the two English calls after algebra and
    # Russian (8:30, 9:20, 10:10, 10:40–11:10); English weighs least, so one group's call is the one left out
    school = _school([ChatLink(class_id="C", invite_link=CLASS_CHAT)])
    scenario = scenario_from_dict({"name": "Морозы", "reason": "weather", "start": MONDAY, "end": MONDAY,
                                   "online": {"classes": ["C"]},
                                   "policy": {"latest_end": "11:00", "min_break_minutes": 20,
                                              "subject_priority": {"english": 0.5}}})
    plan = rebuild(school, scenario, library())
    modes = sorted(o.mode for o in _english(plan))
    assert modes == [Mode.ASYNC, Mode.LIVE]
    [waiting] = [o for o in _english(plan) if o.mode == Mode.ASYNC]
    [reason] = waiting.reasons
    assert reason.norm_key == "integrity.chat_overlap"
    assert "одном чате" in reason.text_ru and "том же чате" in reason.text_ru
    # the reason reaches families' feeds: lesson names as the school calls them, never the auditor's lesson ids
    assert not any(lesson.id in reason.text_ru or lesson.id in reason.text_en for lesson in school.lessons)
    assert check_chat_overlap([]) == []
