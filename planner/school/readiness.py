"""Readiness for distance lessons as a workflow (regulation on Sferum use, 004 §3.3).

Per class: a chat for each subject (× group) of the timetable in the chat registry, pupils and parents joined,
a subject teacher administering each subject chat, a test call held, the pupils' devices surveyed (counts by
kind plus written refusals), and the class's teachers able to teach from home. Per teacher: device, headset,
camera, internet and a test call. Every recorded item keeps who entered it and when. A class is ready when the
items the school's rule requires are done (default: all of them); `apply_readiness` writes the result into the
flags the planner reads (`StudentClass.readiness`), so the next scenario plans live calls for ready classes.

The survey workbook (`write_survey` / `read_survey`): one sheet per class for its curator plus a teachers'
sheet; reading it back sets devices, members, test calls, chats and teacher equipment in bulk. Errors name
the sheet, the row and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import InputError, Location

if TYPE_CHECKING:
    import pandas as pd
from planner.school.channels import link_refusal
from planner.school.model import (
    ChatKind,
    ChatLink,
    DeviceCounts,
    Mark,
    MembersJoined,
    School,
    StudentClass,
    Teacher,
    TeacherReadiness,
)

ITEMS = ("chats", "admins", "members", "test_call", "devices", "teachers")
ITEM_RU = {"chats": "чаты по предметам", "admins": "администраторы чатов", "members": "участники в чатах",
           "test_call": "тестовый звонок", "devices": "опрос об устройствах", "teachers": "готовность учителей"}


@dataclass(frozen=True)
class Item:
    key: str
    done: bool
    missing_ru: str = ""  # what is missing, in Russian («нет тестового звонка»)
    missing_en: str = ""
    by: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class ClassState:
    class_id: str
    name: str
    items: tuple[Item, ...]
    required: tuple[str, ...]
    curator: str  # curator's name and contact, or ""
    flags_ready: bool  # what the planner reads now

    @property
    def ready(self) -> bool:
        return all(i.done for i in self.items if i.key in self.required)

    @property
    def missing(self) -> list[Item]:
        return [i for i in self.items if i.key in self.required and not i.done]


@dataclass(frozen=True)
class TeacherState:
    teacher_id: str
    name: str
    missing_ru: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.missing_ru


@dataclass
class Board:
    classes: list[ClassState]
    teachers: list[TeacherState] = field(default_factory=list)

    @property
    def ready_count(self) -> int:
        return sum(c.ready for c in self.classes)

    def summary_ru(self) -> str:
        n, k = len(self.classes), self.ready_count
        return f"{k} из {n} {_classes_word(n)} {'готов' if k % 10 == 1 and k % 100 != 11 else 'готовы'}"

    def lines_ru(self) -> list[str]:
        out = [self.summary_ru()]
        for c in self.classes:
            if c.ready:
                continue
            line = f"{c.name} — " + "; ".join(i.missing_ru for i in c.missing)
            line += f"; куратор {c.curator}" if c.curator else "; куратор не назначен"
            out.append(line)
        not_ready = [t for t in self.teachers if not t.ready]
        if not_ready:
            out.append(f"Учителя, не готовые к урокам из дома: {len(not_ready)} из {len(self.teachers)}")
            out += [f"  {t.name} — " + ", ".join(t.missing_ru) for t in not_ready]
        return out

    def lines_en(self) -> list[str]:
        out = [f"{self.ready_count} of {len(self.classes)} classes ready"]
        for c in self.classes:
            if not c.ready:
                out.append(f"{c.class_id}: " + "; ".join(i.missing_en for i in c.missing)
                           + (f"; curator {c.curator}" if c.curator else "; no curator"))
        out += [f"teacher {t.teacher_id}: " + ", ".join(t.missing_ru) for t in self.teachers if not t.ready]
        return out


def _classes_word(n: int) -> str:
    """«из 21 класса», «из 25 классов»."""
    return "класса" if n % 10 == 1 and n % 100 != 11 else "классов"


def required_items(school: School) -> tuple[str, ...]:
    """The school's rule: the items a ready class needs (default all)."""
    chosen = tuple(school.channel_policy.readiness_items)
    return chosen or ITEMS


def needed_chats(school: School, class_id: str) -> list[tuple[str, str | None]]:
    """(subject, group) pairs of the class's timetable lessons that call in a subject chat (group None =
    the whole class)."""
    klass = school.class_by_id(class_id)
    out: list[tuple[str, str | None]] = []
    for le in school.lessons:
        if class_id not in le.classes:
            continue
        groups = klass.own_groups(le.groups) or (None,)
        for g in groups:
            if (le.subject, g) not in out:
                out.append((le.subject, g))
    return out


def _chat_for(school: School, class_id: str, subject: str, group: str | None) -> ChatLink | None:
    subject_chats = [c for c in school.chats if c.class_id == class_id and c.chat_kind == ChatKind.SUBJECT
                     and c.subject_id == subject]
    return next((c for c in subject_chats if c.group_id == group), None) or \
        next((c for c in subject_chats if c.group_id is None), None)


def _teachers_of(school: School, class_id: str, subject: str | None = None) -> set[str]:
    return {t for le in school.lessons if class_id in le.classes and (subject is None or le.subject == subject)
            for t in le.teachers}


def teacher_state(t: Teacher) -> TeacherState:
    r = t.readiness
    missing = [label for ok, label in ((r.device, "нет устройства"), (r.headset, "нет гарнитуры"),
                                       (r.camera, "нет камеры"), (r.internet, "нет интернета"),
                                       (r.test_call is not None, "нет тестового звонка")) if not ok]
    return TeacherState(t.id, t.name, tuple(missing))


def class_state(school: School, klass: StudentClass) -> ClassState:
    subjects = {s.id: s.name for s in school.subjects}
    names = {t.id: t.name for t in school.teachers}
    items = []
    # chats: one per subject (× group) of the timetable
    needed = needed_chats(school, klass.id)
    no_chat = [(s, g) for s, g in needed if _chat_for(school, klass.id, s, g) is None]
    groups = {g.id: g.name for g in klass.groups}
    def label(s: str, g: str | None) -> str:
        return subjects.get(s, s) + (f" ({groups.get(g, g)})" if g else "")

    items.append(Item("chats", not no_chat and bool(needed),
                      "нет чатов: " + ", ".join(label(s, g) for s, g in no_chat) if no_chat else
                      ("нет уроков в расписании" if not needed else ""),
                      "no chat for " + ", ".join(label(s, g) for s, g in no_chat) if no_chat else
                      ("no lessons" if not needed else "")))
    # admins: each subject chat administered by a teacher of that subject in this class
    no_admin = []
    for s, g in needed:
        chat = _chat_for(school, klass.id, s, g)
        if chat is not None and (chat.admin is None or chat.admin not in _teachers_of(school, klass.id, s)):
            no_admin.append(label(s, g))
    items.append(Item("admins", not no_admin and not no_chat,
                      "нет администратора-предметника в чатах: " + ", ".join(no_admin) if no_admin else
                      ("" if not no_chat else "администраторы — после создания чатов"),
                      "no subject-teacher admin: " + ", ".join(no_admin) if no_admin else ""))
    r = klass.readiness
    m = r.members
    if m is None:
        items.append(Item("members", False, "не отмечено, сколько учеников и родителей вступили в чаты",
                          "members joined not recorded"))
    else:
        short = klass.students - m.pupils
        items.append(Item("members", short <= 0 and m.parents > 0,
                          (f"в чатах {m.pupils} из {klass.students} учеников, {m.parents} родителей"
                           if short > 0 or m.parents == 0 else ""),
                          f"{m.pupils} of {klass.students} pupils, {m.parents} parents joined", m.by, m.at))
    tc = r.test_call
    items.append(Item("test_call", tc is not None, "" if tc else "нет тестового звонка", "" if tc else "no test call",
                      tc.by if tc else "", tc.at if tc else None))
    d = klass.devices
    if d.surveyed_at is None and d.total == 0:
        items.append(Item("devices", False, "нет опроса об устройствах", "no device survey"))
    elif d.total != klass.students:
        items.append(Item("devices", False, f"в опросе об устройствах {d.total} из {klass.students} учеников",
                          f"device survey covers {d.total} of {klass.students}", d.surveyed_by, d.surveyed_at))
    else:
        items.append(Item("devices", True, by=d.surveyed_by, at=d.surveyed_at))
    by_id = {t.id: t for t in school.teachers}
    unready = sorted(names.get(t, t) for t in _teachers_of(school, klass.id)
                     if t in by_id and not teacher_state(by_id[t]).ready)
    items.append(Item("teachers", not unready, "не готовы учителя: " + ", ".join(unready) if unready else "",
                      "teachers not ready: " + ", ".join(unready) if unready else ""))
    curator = ""
    if klass.curator:
        t = by_id.get(klass.curator)
        curator = (t.name + (f", {t.contact}" if t.contact else "")) if t else klass.curator
    return ClassState(klass.id, klass.name, tuple(items), required_items(school), curator, r.ready)


def readiness_board(school: School) -> Board:
    return Board([class_state(school, c) for c in school.classes], [teacher_state(t) for t in school.teachers])


def apply_readiness(school: School) -> School:
    """The school with each class's planner flags set from the workflow: a class the rule finds ready has all four
    flags set; otherwise each flag follows its items (chats+admins, members, devices+teachers, test call)."""
    board = readiness_board(school)
    states = {c.class_id: c for c in board.classes}
    classes = []
    for klass in school.classes:
        st = states[klass.id]
        done = {i.key: i.done or i.key not in st.required for i in st.items}
        flags = dict(chats_exist=done["chats"] and done["admins"], members_joined=done["members"],
                     devices_confirmed=done["devices"] and done["teachers"], test_call_done=done["test_call"])
        classes.append(klass.model_copy(update={"readiness": klass.readiness.model_copy(update=flags)}))
    return school.model_copy(update={"classes": classes})


# ---------------------------------------------------------------- the survey workbook

SURVEY_HEADER = ("Код", "Что", "Значение", "Администратор чата", "Кто заполнил", "Дата")
TEACHER_SHEET = "Учителя"
TEACHER_HEADER = ("Код", "ФИО", "Устройство", "Гарнитура", "Камера", "Интернет", "Тестовый звонок", "Кто заполнил",
                  "Дата")
_DEVICE_ROWS = (("pc", "ПК"), ("laptop", "Ноутбук"), ("tablet", "Только планшет"), ("phone", "Только телефон"),
                ("none", "Нет устройства"), ("refusals", "Письменных отказов"))


def _yes(flag: bool) -> str:
    return "да" if flag else "нет"


def survey_frames(school: School) -> dict[str, pd.DataFrame]:
    """The survey workbook's sheets (sheet name → DataFrame), pre-filled with what the school holds."""
    import pandas as pd

    subjects = {s.id: s.name for s in school.subjects}
    sheets = {}
    for klass in school.classes:
        d, r = klass.devices, klass.readiness
        rows = [(k, label, str(getattr(d, k)) if (d.total or d.surveyed_at) else "", "", d.surveyed_by,
                 d.surveyed_at.date().isoformat() if d.surveyed_at else "") for k, label in _DEVICE_ROWS]
        m = r.members
        rows.append(("pupils_joined", "Учеников в чатах", str(m.pupils) if m else "", "", m.by if m else "",
                     m.at.date().isoformat() if m and m.at else ""))
        rows.append(("parents_joined", "Родителей в чатах", str(m.parents) if m else "", "", m.by if m else "",
                     m.at.date().isoformat() if m and m.at else ""))
        tc = r.test_call
        rows.append(("test_call", "Тестовый звонок проведён (да/нет)", _yes(tc is not None) if tc else "",
                     "", tc.by if tc else "", tc.at.date().isoformat() if tc and tc.at else ""))
        for s, g in needed_chats(school, klass.id):
            chat = _chat_for(school, klass.id, s, g)
            code = f"chat:{s}" + (f":{g}" if g else "")
            rows.append((code, f"Чат: {subjects.get(s, s)}" + (f" ({g})" if g else "") + " — ссылка",
                         chat.invite_link if chat else "", chat.admin or "" if chat else "", "", ""))
        sheets[klass.id] = pd.DataFrame(rows, columns=list(SURVEY_HEADER), dtype=str)
    trows = []
    for t in school.teachers:
        tr = t.readiness
        trows.append((t.id, t.name, *(_yes(v) if tr.checked else "" for v in (tr.device, tr.headset, tr.camera,
                                                                              tr.internet)),
                      _yes(tr.test_call is not None) if tr.checked or tr.test_call else "",
                      tr.checked.by if tr.checked else "",
                      tr.checked.at.date().isoformat() if tr.checked and tr.checked.at else ""))
    sheets[TEACHER_SHEET] = pd.DataFrame(trows, columns=list(TEACHER_HEADER), dtype=str)
    return sheets


def write_survey(school: School, path: Path) -> None:
    from planner.importers.tabular import write_xlsx_frames

    write_xlsx_frames(Path(path), survey_frames(school))


def _fail(path: Path, sheet: str, row: int | None, field: str, en: str, ru: str) -> InputError:
    return InputError(f"sheet '{sheet}': {en}", f"лист «{sheet}»: {ru}", Location(file=f"{path}#{sheet}", row=row,
                                                                                 field=field))


def _int(path: Path, sheet: str, row: int | None, field: str, text: str) -> int:
    try:
        value = float(text.strip().replace(",", "."))
        if value < 0 or not value.is_integer():
            raise ValueError
        return int(value)
    except ValueError:
        raise _fail(path, sheet, row, field, f"'{text}' is not a whole number ≥ 0",
                    f"«{text}» — не целое число ≥ 0") from None


def _flag(path: Path, sheet: str, row: int | None, field: str, text: str) -> bool:
    t = text.strip().lower()
    if t in ("да", "1", "yes", "true", "+"):
        return True
    if t in ("нет", "0", "no", "false", "-"):
        return False
    raise _fail(path, sheet, row, field, f"'{text}' is not yes/no", f"«{text}» — не «да»/«нет»")


def _when(path: Path, sheet: str, row: int | None, field: str, text: str, default: datetime) -> datetime:
    t = text.strip()
    if not t:
        return default
    try:
        day = date.fromisoformat(t[:10])
    except ValueError:
        try:
            day = datetime.strptime(t, "%d.%m.%Y").date()
        except ValueError:
            raise _fail(path, sheet, row, field, f"'{text}' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
                        f"«{text}» — не дата (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)") from None
    return datetime.combine(day, datetime.min.time(), default.tzinfo)


def read_survey(school: School, path: Path, *, now: datetime, entered_by: str = "") -> School:
    """The school with the filled survey workbook applied (devices, members, test calls, chats, teachers' kit) and
    the planner's readiness flags recomputed. Nothing is applied when any cell is wrong: the error names the
    sheet, the row and the field. `entered_by` is used where a row leaves «Кто заполнил» empty."""
    import pandas as pd

    path = Path(path)
    try:
        book = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    except Exception as err:
        raise InputError(f"{path}: cannot read the survey workbook: {err}",
                         f"{path}: не читается книга опроса: {err}", Location(file=str(path))) from None
    class_ids = {c.id for c in school.classes}
    teachers = {t.id for t in school.teachers}
    chats = list(school.chats)
    classes = {c.id: c for c in school.classes}
    for sheet, df in book.items():
        if sheet == TEACHER_SHEET or sheet not in class_ids:
            if sheet != TEACHER_SHEET:
                raise _fail(path, sheet, None, "", "no class with this id", "нет класса с таким кодом")
            continue
        missing = [c for c in SURVEY_HEADER if c not in df.columns]
        if missing:
            raise _fail(path, sheet, 1, missing[0], f"missing column '{missing[0]}'", f"нет столбца «{missing[0]}»")
        klass = classes[sheet]
        counts = klass.devices.model_dump()
        devices_by, devices_at, seen_devices = klass.devices.surveyed_by, klass.devices.surveyed_at, False
        members = klass.readiness.members
        pupils = parents = None
        test_call = klass.readiness.test_call
        for i, rec in enumerate(df.to_dict("records")):
            row = i + 2
            code, value = str(rec["Код"]).strip(), str(rec["Значение"]).strip()
            who = str(rec["Кто заполнил"]).strip() or entered_by
            if not value:
                continue
            when = _when(path, sheet, row, "Дата", str(rec["Дата"]), now)
            if code in dict(_DEVICE_ROWS):
                counts[code] = _int(path, sheet, row, "Значение", value)
                devices_by, devices_at, seen_devices = who, when, True
            elif code in ("pupils_joined", "parents_joined"):
                n = _int(path, sheet, row, "Значение", value)
                if code == "pupils_joined" and n > klass.students:
                    raise _fail(path, sheet, row, "Значение", f"{n} pupils joined, the class has {klass.students}",
                                f"в чатах {n} учеников, а в классе {klass.students}")
                pupils, parents = (n, parents) if code == "pupils_joined" else (pupils, n)
                members = MembersJoined(pupils=pupils if pupils is not None else (members.pupils if members else 0),
                                        parents=parents if parents is not None else (members.parents if members else 0),
                                        by=who, at=when)
            elif code == "test_call":
                test_call = Mark(by=who, at=when) if _flag(path, sheet, row, "Значение", value) else None
            elif code.startswith("chat:"):
                _, subject, *grp = code.split(":")
                group = grp[0] if grp else None
                refusal = link_refusal(value, school.channel_policy)
                if refusal is not None:
                    raise _fail(path, sheet, row, "Значение", refusal.message_en, refusal.message_ru)
                admin = str(rec["Администратор чата"]).strip() or None
                if admin is not None and admin not in teachers:
                    raise _fail(path, sheet, row, "Администратор чата", f"unknown teacher '{admin}'",
                                f"неизвестный учитель «{admin}»")
                old = _chat_for(school, klass.id, subject, group)
                if old is not None and old.group_id == group:
                    chats[chats.index(old)] = old.model_copy(update={"invite_link": value, "admin": admin or old.admin})
                else:
                    chats.append(ChatLink(class_id=klass.id, subject_id=subject, group_id=group,
                                          kind=ChatKind.SUBJECT, invite_link=value, admin=admin))
            else:
                raise _fail(path, sheet, row, "Код", f"unknown code '{code}'", f"неизвестный код «{code}»")
        if seen_devices:
            devices = DeviceCounts(**{**counts, "surveyed_by": devices_by, "surveyed_at": devices_at})
            if devices.total != klass.students:
                raise _fail(path, sheet, None, "Значение", f"device counts add up to {devices.total}, the class has "
                            f"{klass.students}", f"по устройствам {devices.total} учеников, а в классе "
                            f"{klass.students}")
        else:
            devices = klass.devices
        readiness = klass.readiness.model_copy(update={"members": members, "test_call": test_call})
        classes[sheet] = klass.model_copy(update={"devices": devices, "readiness": readiness})
    new_teachers = []
    tdf = book.get(TEACHER_SHEET)
    trecs = {}
    if tdf is not None:
        missing = [c for c in TEACHER_HEADER if c not in tdf.columns]
        if missing:
            raise _fail(path, TEACHER_SHEET, 1, missing[0], f"missing column '{missing[0]}'",
                        f"нет столбца «{missing[0]}»")
        for i, rec in enumerate(tdf.to_dict("records")):
            tid = str(rec["Код"]).strip()
            if not tid:
                continue
            if tid not in teachers:
                raise _fail(path, TEACHER_SHEET, i + 2, "Код", f"unknown teacher '{tid}'", f"неизвестный учитель «{tid}»")
            trecs[tid] = (i + 2, rec)
    for t in school.teachers:
        if t.id not in trecs:
            new_teachers.append(t)
            continue
        row, rec = trecs[t.id]
        cells = {k: str(rec[k]).strip() for k in TEACHER_HEADER}
        if not any(cells[k] for k in ("Устройство", "Гарнитура", "Камера", "Интернет", "Тестовый звонок")):
            new_teachers.append(t)
            continue
        who = cells["Кто заполнил"] or entered_by
        when = _when(path, TEACHER_SHEET, row, "Дата", cells["Дата"], now)
        flags = {f: _flag(path, TEACHER_SHEET, row, col, cells[col] or "нет") for f, col in
                 (("device", "Устройство"), ("headset", "Гарнитура"), ("camera", "Камера"), ("internet", "Интернет"))}
        call = _flag(path, TEACHER_SHEET, row, "Тестовый звонок", cells["Тестовый звонок"] or "нет")
        tr = TeacherReadiness(**flags, test_call=Mark(by=who, at=when) if call else None, checked=Mark(by=who, at=when))
        new_teachers.append(t.model_copy(update={"readiness": tr}))
    out = school.model_copy(update={"classes": [classes[c.id] for c in school.classes], "chats": chats,
                                    "teachers": new_teachers})
    out = School.model_validate(out.model_dump())  # re-validated whole: nothing half-applied
    return apply_readiness(out)


def record_item(school: School, class_id: str, item: str, *, by: str, at: datetime, **values: Any) -> School:
    """One readiness item set by hand (the page): 'test_call' (done=bool), 'members' (pupils, parents),
    'devices' (pc, laptop, tablet, phone, none, refusals). Recorded with who and when; flags recomputed."""
    if not by.strip():
        raise InputError("say who records the item", "укажите, кто отмечает пункт")
    klass = school.class_by_id(class_id)
    r, d = klass.readiness, klass.devices
    if item == "test_call":
        r = r.model_copy(update={"test_call": Mark(by=by, at=at) if values.get("done", True) else None})
    elif item == "members":
        r = r.model_copy(update={"members": MembersJoined(pupils=values["pupils"], parents=values["parents"], by=by,
                                                          at=at)})
    elif item == "devices":
        d = DeviceCounts(**{k: int(values.get(k, 0)) for k, _ in _DEVICE_ROWS}, surveyed_by=by, surveyed_at=at)
        if d.total != klass.students:
            raise InputError(f"device counts add up to {d.total}, the class has {klass.students}",
                             f"по устройствам {d.total} учеников, а в классе {klass.students}")
    else:
        raise InputError(f"unknown readiness item '{item}'", f"неизвестный пункт готовности «{item}»")
    classes = [c.model_copy(update={"readiness": r, "devices": d}) if c.id == class_id else c for c in school.classes]
    return apply_readiness(school.model_copy(update={"classes": classes}))


def record_teacher(school: School, teacher_id: str, *, by: str, at: datetime, device: bool, headset: bool,
                   camera: bool, internet: bool, test_call: bool) -> School:
    if not by.strip():
        raise InputError("say who records the item", "укажите, кто отмечает пункт")
    tr = TeacherReadiness(device=device, headset=headset, camera=camera, internet=internet,
                          test_call=Mark(by=by, at=at) if test_call else None, checked=Mark(by=by, at=at))
    teachers = [t.model_copy(update={"readiness": tr}) if t.id == teacher_id else t for t in school.teachers]
    return apply_readiness(school.model_copy(update={"teachers": teachers}))


__all__ = [
    "ITEMS",
    "Board",
    "ClassState",
    "Item",
    "apply_readiness",
    "class_state",
    "read_survey",
    "readiness_board",
    "record_item",
    "record_teacher",
    "required_items",
    "survey_frames",
    "write_survey",
]
