"""The alternative track (regulation on Sferum use, 004, §3.3 and §3.7): in a class with pupils who have only a
phone, no device, or a written refusal, every live lesson carries a paired alternative — in the plan, the feeds,
the class's and the teacher's messages and the e-journal workbook — and the auditor checks it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from planner.audit import audit_plan
from planner.importers import load_school
from planner.norms import NormLibrary
from planner.norms.hand_in import hand_in_deadline
from planner.plan import Mode, Plan
from planner.publish.ejournal.epos import epos_tables
from planner.publish.feeds.events import events_from_plan
from planner.publish.chat.compose import class_text, teacher_text
from planner.rebuild import rebuild
from planner.scenario import scenario_from_toml
from planner.scenario.model import AsyncKind

SOURCE = Path(__file__).resolve().parents[2] / "sample_data" / "school-17"
FROST = SOURCE / "scenarios" / "01-frost-whole-school.toml"


@lru_cache(maxsize=1)
def _library() -> NormLibrary:
    return NormLibrary.load()


@lru_cache(maxsize=1)
def _school():
    return load_school(SOURCE).school


def _with_devices(school, class_id: str, **counts):
    classes = [c.model_copy(update={"devices": c.devices.model_copy(update=counts)}) if c.id == class_id else c
               for c in school.classes]
    return school.model_copy(update={"classes": classes})


@lru_cache(maxsize=1)
def _frost() -> Plan:
    return rebuild(_school(), scenario_from_toml(FROST), _library(), time_limit=20)


def _live(plan: Plan, class_id: str):
    return [o for o in plan.occurrences if o.class_id == class_id and o.mode == Mode.LIVE]


def test_8b_frost_plan_pairs_every_live_lesson_with_an_alternative_for_11_pupils():
    school, plan = _school(), _frost()
    live = _live(plan, "8B")
    assert len(live) >= 10
    lib = _library()
    for o in live:
        a = o.alternative
        assert a is not None, o.key
        assert (a.pupils, a.phone_only, a.no_device, a.refusals) == (11, 10, 1, 0)
        assert a.kind == "paper"  # one pupil has no device at all, the school's async kind is paper
        assert a.set_by == o.teachers and a.set_by
        assert a.deadline == hand_in_deadline(school, "8B", o.date, lib.in_force(o.date))
        assert a.window_start == o.start and a.window_end >= o.end
    assert not any(o.alternative for o in plan.occurrences if o.mode != Mode.LIVE)


def test_8b_class_message_has_the_families_section():
    text = class_text(_school(), _frost(), "8B")
    head = text.split("\n\n", 1)[0]
    assert "Для 11 обучающихся без компьютера, ноутбука или планшета либо с письменным отказом" in head
    assert "п. 3.3 и 3.7" in head
    assert "с мобильного телефона нельзя" in head
    assert "через электронный журнал" in head
    assert "не позднее 2" not in head  # the term is the school's rule (norm data), given per day below, not a number here
    for o in _live(_frost(), "8B"):
        assert f"сдать до {o.alternative.deadline:%d.%m.%Y}" in text
    assert text.count("Без устройства или с отказом (11 обучающихся)") == len({o.date for o in _live(_frost(), "8B")})


def test_teacher_feed_message_and_epos_show_the_alternative_task():
    school, plan = _school(), _frost()
    o = _live(plan, "8B")[0]
    due = o.alternative.deadline.strftime("%d.%m.%Y")
    want = f"подготовить задание на бумаге для 11 обучающихся 8Б, сдать до {due}"
    assert want in teacher_text(school, plan, o.teachers[0])
    events = [e for e in events_from_plan(school, plan) if e.uid.startswith(o.key.replace(" ", "%20"))]
    assert events and all(want in e.description for e in events if e.kind == "live")
    rows = [r for r in epos_tables(school, plan).lessons if r[1].startswith("8Б") and r[6] == "онлайн-урок"]
    assert len(rows) == len(_live(plan, "8B"))
    assert all(r[8] == "для 11 обучающихся без устройства или с отказом: задание на бумаге" and r[9] for r in rows)


def test_refusals_count_and_a_class_without_such_pupils():
    school = _with_devices(_with_devices(_school(), "11A", phone=0, none=0, refusals=2), "10A", phone=0, none=0)
    plan = rebuild(school, scenario_from_toml(FROST), _library(), time_limit=20)
    refusing = _live(plan, "11A")
    assert refusing and all(o.alternative and o.alternative.pupils == 2 and o.alternative.refusals == 2
                            and o.alternative.kind == "online_task" for o in refusing)
    assert _live(plan, "10A") and not any(o.alternative for o in _live(plan, "10A"))


def test_recording_when_the_teacher_records():
    scenario = scenario_from_toml(FROST)
    scenario = scenario.model_copy(update={"policy": scenario.policy.model_copy(update={"async_kind": AsyncKind.RECORDING})})
    plan = rebuild(_school(), scenario, _library(), time_limit=20)
    assert {o.alternative.kind for o in _live(plan, "8B")} == {"recording"}
    assert "записать урок и выложить запись для 11 обучающихся 8Б" in class_text(_school(), plan, "8B") + \
        (teacher_text(_school(), plan, _live(plan, "8B")[0].teachers[0]) or "")


def test_auditor_reports_a_live_lesson_without_its_alternative():
    school, plan = _school(), _frost()
    assert not [f for f in audit_plan(school, plan, _library()).findings if f.norm_key == "local.alternative_track"]
    victim = _live(plan, "8B")[2]
    short = _live(plan, "8B")[3]
    occ = [o.model_copy(update={"alternative": None}) if o is victim else
           o.model_copy(update={"alternative": o.alternative.model_copy(update={"pupils": 10})}) if o is short else o
           for o in plan.occurrences]
    report = audit_plan(school, plan.model_copy(update={"occurrences": occ}), _library())
    found = [f for f in report.new_violations if f.norm_key == "local.alternative_track"]
    assert {f.lesson_id for f in found} == {victim.lesson_id, short.lesson_id}
    assert any("нет альтернативы" in f.message_ru for f in found)
    assert any("только для 10 из 11" in f.message_ru for f in found)
    assert all(f.clause.startswith("п. 3.7") for f in found) and report.exit_code != 0
