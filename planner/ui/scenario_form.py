"""The scenario form's data: knob defaults with their source and confidence, tables for teacher states and
overrides, and building a Scenario back from the form (validated by the Scenario model itself)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from pydantic import ValidationError

from planner.errors import InputError, Location, input_error_from_validation
from planner.norms import NormLibrary
from planner.scenario.model import Scenario, check_scenario_references
from planner.scenario.policy import ClassPolicy, class_policy
from planner.scenario.resolved import Source
from planner.school.model import School, StudentClass
from planner.ui.labels import STATE_RU, confidence_label, hhmm, source_label

# knob of PolicyKnobs -> (Russian label, ClassPolicy field it resolves to, unit)
KNOBS: dict[str, tuple[str, str, str]] = {
    "min_break_minutes": ("Перемена между звонками, мин", "min_break", "мин"),
    "reserve_minutes": ("Резерв экранного времени, мин", "reserve", "мин"),
    "live_lesson_max_minutes": ("Длительность онлайн-урока, мин", "call_minutes", "мин"),
    "latest_end": ("Окончание занятий не позже", "latest_end", "время"),
    "eye_gymnastics_interval_minutes": ("Гимнастика для глаз каждые, мин", "gymnastics_interval", "мин"),
    "eye_gymnastics_minutes": ("Гимнастика для глаз, мин", "gymnastics_minutes", "мин"),
    "async_work_minutes": ("Время на задание, мин", "async_work_minutes", "мин"),
    "transition_buffer_minutes": ("Буфер учителя между школой и звонком, мин", "transition_buffer", "мин"),
}


@dataclass(frozen=True)
class KnobDefault:
    knob: str
    label: str
    value: str  # as shown (minutes, or HH:MM)
    number: int
    source: str  # the stored text form: norm:<key>[:column] / scenario / school
    source_ru: str
    act: str
    clause: str
    confidence: str  # P / S2 / S1 / M, or "" for values not from a norm

    @property
    def unverified(self) -> bool:
        return self.confidence == "M"


def _norm_info(library: NormLibrary, day: date, source: Source, pol: ClassPolicy,
               klass: StudentClass) -> tuple[str, str, str]:
    if source.kind != "norm":
        return "", "", ""
    key, column = source.key, source.column
    norm = library.in_force(day).get(key)
    if norm is None:
        return "", "", ""
    conf = norm.confidence
    if key == "eso.table_6_8" and pol.binding_device:  # the row and field actually used
        row = norm.row(device=pol.binding_device, grade=klass.norm_grade)
        if row is not None:
            conf = row.confidence_of(column or "lesson")
    else:
        rows = [r for r in norm.rows if r.matches({"grade": klass.norm_grade})] or list(norm.rows)
        if rows:
            conf = min((r.confidence_of("value") for r in rows), key=lambda c: "MS1S2P".find(c) if c else 9)
    return norm.act, norm.clause, conf


def knob_defaults(school: School, scenario: Scenario, library: NormLibrary, class_id: str) -> list[KnobDefault]:
    """Every knob's norm-derived default for one class on the scenario's first date (knobs set in the scenario
    are left out of the policy, so the values shown are the defaults), with act, clause and confidence."""
    bare = scenario.model_copy(update={"policy": scenario.policy.model_copy(update={k: None for k in KNOBS})})
    klass = school.class_by_id(class_id)
    day = scenario.start
    pol = class_policy(bare, klass, library.in_force(day))
    out = []
    extra = {"daily_budget": "Экранное время за день (табл. 6.8), мин", "earliest_start": "Начало занятий не раньше"}
    items = [(k, lbl, fld) for k, (lbl, fld, _u) in KNOBS.items()] + [(fld, lbl, fld) for fld, lbl in extra.items()]
    for knob, label, fld in items:
        valued = getattr(pol, fld)
        act, clause, conf = _norm_info(library, day, valued.source, pol, klass)
        shown = hhmm(valued.value) if fld in ("latest_end", "earliest_start") else str(valued.value)
        out.append(KnobDefault(knob, label, shown, valued.value, str(valued.source), source_label(valued.source), act,
                               clause, conf))
    return out


def defaults_frame(defaults: list[KnobDefault], scenario: Scenario) -> pd.DataFrame:
    knobs = scenario.policy
    rows = []
    for d in defaults:
        set_value = getattr(knobs, d.knob, None) if d.knob in KNOBS else None
        rows.append({"Параметр": d.label, "По умолчанию": d.value,
                     "В сценарии": "" if set_value is None else str(set_value),
                     "Источник": d.source_ru + (f" ({d.act}, {d.clause})" if d.act else ""),
                     "Достоверность": confidence_label(d.confidence) if d.confidence else "—",
                     "Не подтверждено": "⚠ M" if d.unverified else ""})
    return pd.DataFrame(rows)


def teacher_states_frame(school: School, scenario: Scenario) -> pd.DataFrame:
    names = {t.id: t.name for t in school.teachers}
    return pd.DataFrame([{"Учитель": names.get(t.teacher, t.teacher), "Состояние": STATE_RU[t.state.value],
                          "С": t.start, "По": t.end, "Примечание": t.note} for t in scenario.teachers],
                        columns=["Учитель", "Состояние", "С", "По", "Примечание"])


def overrides_frame(school: School, scenario: Scenario) -> pd.DataFrame:
    names = {c.id: c.name for c in school.classes}
    rows = []
    for o in scenario.overrides:
        d = o.devices
        rows.append({"Класс": names.get(o.class_id, o.class_id), "ПК": d.pc if d else None,
                     "Ноутбук": d.laptop if d else None, "Планшет": d.tablet if d else None,
                     "Только телефон": d.phone if d else None, "Нет устройства": d.none if d else None,
                     "Готов": {True: "готов", False: "не готов", None: ""}[o.ready], "Кто": o.by,
                     "Примечание": o.note})
    frame = pd.DataFrame(rows, columns=["Класс", "ПК", "Ноутбук", "Планшет", "Только телефон", "Нет устройства",
                                        "Готов", "Кто", "Примечание"])
    for col in ("ПК", "Ноутбук", "Планшет", "Только телефон", "Нет устройства"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _blank(v: Any) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


def build_scenario(school: School, base: dict[str, Any], *, name: str, reason: str, start: date, end: date,
                   online: dict[str, Any], teachers: pd.DataFrame, overrides: pd.DataFrame, knobs: dict[str, Any],
                   created_by: str = "", description: str = "", library: NormLibrary | None = None) -> Scenario:
    """A Scenario from the form's values; fields the form does not show are kept from base (a scenario dict).
    Raises InputError (Russian text) for anything the Scenario model or the school's references refuse."""
    state_by_label = {v: k for k, v in STATE_RU.items()}
    teacher_ids = {t.name: t.id for t in school.teachers} | {t.id: t.id for t in school.teachers}
    class_ids = {c.name: c.id for c in school.classes} | {c.id: c.id for c in school.classes}
    raw = dict(base)
    raw.update(name=name, reason=reason, start=start, end=end, online=online, created_by=created_by,
               description=description)
    raw["teachers"] = []
    for i, row in enumerate(teachers.to_dict("records"), start=1):
        if _blank(row.get("Учитель")):
            continue
        if row["Учитель"] not in teacher_ids:
            raise InputError(f"unknown teacher in row {i}", f"состояния учителей, строка {i}: неизвестный учитель "
                             f"«{row['Учитель']}» — выберите из списка")
        raw["teachers"].append({"teacher": teacher_ids[row["Учитель"]],
                                "state": state_by_label.get(row.get("Состояние"), row.get("Состояние") or "sick"),
                                "from": None if _blank(row.get("С")) else pd.Timestamp(row["С"]).date(),
                                "to": None if _blank(row.get("По")) else pd.Timestamp(row["По"]).date(),
                                "note": "" if _blank(row.get("Примечание")) else str(row["Примечание"])})
    raw["overrides"] = []
    for i, row in enumerate(overrides.to_dict("records"), start=1):
        if _blank(row.get("Класс")):
            continue
        if row["Класс"] not in class_ids:
            raise InputError(f"unknown class in row {i}", f"поправки, строка {i}: неизвестный класс «{row['Класс']}»")
        if _blank(row.get("Кто")):
            raise InputError(f"overrides row {i}: who made it is required", f"поправки, строка {i}: укажите, кто "
                             f"вносит поправку (столбец «Кто»)")
        counts = [row.get(c) for c in ("ПК", "Ноутбук", "Планшет", "Только телефон", "Нет устройства")]
        devices = None if all(_blank(c) for c in counts) else dict(zip(("pc", "laptop", "tablet", "phone", "none"),
                                                                       (0 if _blank(c) else int(c) for c in counts)))
        ready = {"готов": True, "не готов": False}.get(row.get("Готов") or "")
        raw["overrides"].append({"class": class_ids[row["Класс"]], "devices": devices, "ready": ready,
                                 "by": str(row["Кто"]), "note": "" if _blank(row.get("Примечание")) else
                                 str(row["Примечание"])})
    policy = dict(raw.get("policy") or {})
    policy.update(knobs)
    latest = policy.get("latest_end")
    if latest and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(latest)):
        raise InputError(f"latest_end '{latest}' is not a time HH:MM", f"«Окончание занятий не позже»: «{latest}» — "
                         f"не время; запишите ЧЧ:ММ, например 17:30", Location(field="latest_end"))
    raw["policy"] = policy
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as err:
        raise input_error_from_validation(err, "сценарий") from None
    check_scenario_references(scenario, school, "сценарий")
    if library is not None:  # the knobs resolve against the norms (e.g. a break below the СП minimum is refused)
        ids = scenario.online.resolve(school)
        if ids:
            try:
                class_policy(scenario, school.class_by_id(ids[0]), library.in_force(scenario.start))
            except (ValueError, TypeError):
                raise InputError("a policy value is malformed", "значение параметра политики записано неверно "
                                 "(время — ЧЧ:ММ, например 17:30)") from None
    return scenario
