"""Editable tables of a school (classes, teachers, chat links) and applying the edits: the edited rows are put
back into the school's JSON form and the whole School is rebuilt through pydantic, so the page saves only a
school that validates (and gets the same Russian error as an import otherwise)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from pydantic import ValidationError

from planner.errors import InputError, Location, input_error_from_validation
from planner.importers.tabular import p_list, p_unavailable
from planner.school.integrity import check_school
from planner.school.model import School

DEVICES = {"pc": "ПК", "laptop": "Ноутбук", "tablet": "Планшет", "phone": "Только телефон", "none": "Нет устройства"}
READINESS = {"chats_exist": "Чаты созданы", "members_joined": "Все вступили", "devices_confirmed": "Устройства подтверждены",
             "test_call_done": "Пробный звонок"}


def classes_edit_frame(school: School) -> pd.DataFrame:
    rows = []
    for c in school.classes:
        rows.append({"id": c.id, "Класс": c.name, "Параллель": c.grade, "Курс": c.course, "Возраст от": c.age_min,
                     "Возраст до": c.age_max, "Учеников": c.students,
                     **{label: getattr(c.devices, d) for d, label in DEVICES.items()},
                     **{label: getattr(c.readiness, f) for f, label in READINESS.items()}})
    frame = pd.DataFrame(rows)
    for col in ("Параллель", "Курс"):
        frame[col] = frame[col].astype("Int64")
    return frame


def teachers_edit_frame(school: School) -> pd.DataFrame:
    return pd.DataFrame([{"id": t.id, "ФИО": t.name, "Предметы": ";".join(t.subjects),
                          "Недоступен": ";".join(f"{u.day}" if u.period is None else f"{u.day}:{u.period}"
                                                 for u in t.unavailable)} for t in school.teachers],
                        columns=["id", "ФИО", "Предметы", "Недоступен"])


CHAT_KIND_RU = {"class": "класс", "parents": "родители", "subject": "предмет", "teachers": "учительская",
                "curators": "кураторы"}


def chats_edit_frame(school: School) -> pd.DataFrame:
    return pd.DataFrame([{"Класс": ch.class_id or "", "Предмет": ch.subject_id or "", "Ссылка-приглашение": ch.invite_link,
                          "chat_id": ch.chat_id or "", "Вид": CHAT_KIND_RU[ch.chat_kind.value] if ch.kind else "",
                          "Группа": ch.group_id or "", "Администратор": ch.admin or ""} for ch in school.chats],
                        columns=["Класс", "Предмет", "Ссылка-приглашение", "chat_id", "Вид", "Группа",
                                 "Администратор"]).astype(str)


def _int_or_none(v: Any) -> int | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v == "":
        return None
    return int(v)


def _validated(data: dict[str, Any], what: str) -> School:
    try:
        school = School.model_validate(data)
    except ValidationError as err:
        raise input_error_from_validation(err, what) from None
    check_school(school, what)  # unknown references, clashes: an InputError naming the element
    return school


def apply_classes(school: School, frame: pd.DataFrame) -> School:
    """The school with the classes' grade/course, age band, pupils, device counts and readiness from the frame
    (rows matched by id; the class list itself is not changed here)."""
    data = school.model_dump(mode="json")
    by_id = {row["id"]: row for row in frame.to_dict("records")}
    for _i, c in enumerate(data["classes"]):
        row = by_id.get(c["id"])
        if row is None:
            continue
        try:
            c.update(name=str(row["Класс"]), grade=_int_or_none(row["Параллель"]), course=_int_or_none(row["Курс"]),
                     age_min=_int_or_none(row["Возраст от"]), age_max=_int_or_none(row["Возраст до"]),
                     students=_int_or_none(row["Учеников"]))
            counts = {d: _int_or_none(row[label]) or 0 for d, label in DEVICES.items()}
        except (TypeError, ValueError):
            raise InputError("a number is expected", "ожидается число",
                             Location(element=f"класс {c['name']}")) from None
        c["readiness"] = {**c["readiness"], **{f: bool(row[label]) for f, label in READINESS.items()}}
        c["devices"] = {**c["devices"], **counts}  # refusals and who surveyed are kept
        total = sum(counts.values())
        if total != c["students"]:
            raise InputError(f"device counts add up to {total}, the class has {c['students']} pupils",
                             f"сумма по устройствам {total}, а в классе {c['students']} учеников — исправьте "
                             f"число учеников или распределение по устройствам",
                             Location(element=f"класс {c['name']}", field="устройства"))
    return _validated(data, "классы")


def apply_teachers(school: School, frame: pd.DataFrame) -> School:
    data = school.model_dump(mode="json")
    by_id = {row["id"]: row for row in frame.to_dict("records")}
    subjects = {s.id for s in school.subjects}
    for t in data["teachers"]:
        row = by_id.get(t["id"])
        if row is None:
            continue
        t["name"] = str(row["ФИО"]).strip()
        t["subjects"] = p_list(str(row["Предметы"] or ""))
        unknown = [s for s in t["subjects"] if s not in subjects]
        if unknown:
            raise InputError(f"unknown subject(s) {', '.join(unknown)}", f"неизвестные коды предметов: "
                             f"{', '.join(unknown)} (коды — в листе subjects: {', '.join(sorted(subjects))})",
                             Location(element=f"учитель {t['name']}", field="Предметы"))
        try:
            t["unavailable"] = [u.model_dump(mode="json") for u in p_unavailable(str(row["Недоступен"] or ""))]
        except (InputError, ValueError, ValidationError):
            raise InputError("write days as '6' or day:period as '1:7', separated by ';'",
                             "пишите дни как «6» или день:урок как «1:7» через «;»",
                             Location(element=f"учитель {t['name']}", field="Недоступен")) from None
    return _validated(data, "учителя")


def apply_chats(school: School, frame: pd.DataFrame) -> School:
    data = school.model_dump(mode="json")
    chats: list[dict[str, Any]] = []
    for row in frame.fillna("").to_dict("records"):
        if not str(row.get("Класс", "")).strip() and not str(row.get("Ссылка-приглашение", "")).strip():
            continue  # an empty added row
        kind_ru = str(row.get("Вид", "") or "").strip().lower()
        kind = next((k for k, v in CHAT_KIND_RU.items() if kind_ru in (k, v)), None) if kind_ru else None
        if kind_ru and kind is None:
            raise InputError(f"unknown chat kind '{kind_ru}'", f"неизвестный вид чата «{kind_ru}» (есть: "
                             f"{', '.join(CHAT_KIND_RU.values())})", Location(element=f"чат {len(chats) + 1}",
                                                                             field="Вид"))
        chats.append({"class_id": str(row["Класс"]).strip() or None, "subject_id": str(row["Предмет"]).strip() or None,
                      "invite_link": str(row["Ссылка-приглашение"]).strip(),
                      "chat_id": str(row["chat_id"]).strip() or None, "kind": kind,
                      "group_id": str(row.get("Группа", "") or "").strip() or None,
                      "admin": str(row.get("Администратор", "") or "").strip() or None})
    data["chats"] = chats
    return _validated(data, "чаты")


def apply_editor_state(frame: pd.DataFrame, state: dict[str, Any] | None) -> pd.DataFrame:
    """A data_editor's widget state ({edited_rows, added_rows, deleted_rows}) applied to its source frame."""
    out = frame.copy()
    if not state:
        return out
    for i, changes in (state.get("edited_rows") or {}).items():
        for col, val in changes.items():
            out.loc[out.index[int(i)], col] = val
    added = state.get("added_rows") or []
    if added:
        out = pd.concat([out, pd.DataFrame(added)], ignore_index=True)
    deleted = state.get("deleted_rows") or []
    if deleted:
        out = out.drop(index=[out.index[int(i)] for i in deleted]).reset_index(drop=True)
    return out
