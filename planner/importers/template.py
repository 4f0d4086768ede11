"""A blank template of the canonical tables: an XLSX workbook (one sheet per table plus a column reference
sheet) or a folder of CSV files with headers only. The page offers the same file for download."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner.importers.tables import SHEETS_RU, TABLES, Table, column_ru
from planner.fileio import atomic_write_bytes
from planner.importers.tabular import write_xlsx_frames

# Column reference in Russian for the person filling the template (English in docs/data-format.md).
COLUMN_HELP_RU = {
    "id": "идентификатор (латиница, цифры, дефис; уникален в таблице)",
    "name": "название / ФИО",
    "timezone": "часовой пояс IANA, например Asia/Yekaterinburg",
    "year_start": "первый день учебного года (ГГГГ-ММ-ДД)",
    "year_end": "последний день учебного года (ГГГГ-ММ-ДД)",
    "a_week_monday": "понедельник недели «числитель» (A) при расписании A/B; иначе пусто",
    "start": "начало (дата ГГГГ-ММ-ДД или время ЧЧ:ММ)",
    "end": "конец (дата ГГГГ-ММ-ДД или время ЧЧ:ММ)",
    "date": "дата (ГГГГ-ММ-ДД)",
    "as_weekday": "по расписанию какого дня недели (1 — пн … 6 — сб)",
    "schedule_id": "код звонкового режима",
    "valid_from": "действует с (ГГГГ-ММ-ДД; пусто — без ограничения)",
    "valid_to": "действует по (ГГГГ-ММ-ДД; пусто — без ограничения)",
    "period": "номер урока (пары) по звонкам",
    "grade": "класс 1–11 (для школы)",
    "course": "курс (для колледжа)",
    "age_min": "возраст самых младших учеников",
    "age_max": "возраст самых старших учеников",
    "students": "число учеников",
    "shift": "смена: 1 или 2",
    "week_days": "дней в неделю: 5 или 6",
    "bell_schedule": "код звонкового режима из листа bells",
    "ovz": "класс для обучающихся с ОВЗ: 1 — да, 0 — нет",
    "pc": "учеников с ПК дома (анонимно, число)",
    "laptop": "учеников с ноутбуком",
    "tablet": "учеников только с планшетом",
    "phone": "учеников только с телефоном",
    "none": "учеников без устройства",
    "chats_exist": "чаты класса созданы: 1/0",
    "members_joined": "ученики и родители вступили: 1/0",
    "devices_confirmed": "устройства подтверждены: 1/0",
    "test_call_done": "тестовый звонок проведён: 1/0",
    "class_id": "код класса (пусто — чат учителей или кураторов)",
    "refusals": "письменных отказов от дистанционных уроков (число)",
    "curator": "код учителя — классного руководителя (куратора)",
    "contact": "рабочий телефон или e-mail для родителей",
    "max_chat_id": "chat_id личного диалога бота с учителем в MAX (для личных сообщений)",
    "group_id": "код группы (для чата группы по предмету)",
    "admin": "код учителя-администратора чата",
    "role": "deputy_teaching — зам. по учебной работе, deputy_upbringing — зам. по воспитательной работе, "
            "platform_admin — администратор Сферума",
    "teacher_id": "код учителя (если ответственный — учитель)",
    "domain": "домен ссылки, разрешённый школой помимо MAX/Сферума",
    "allowed_by": "кто разрешил (ФИО, документ)",
    "reason": "основание",
    "at": "дата решения (ГГГГ-ММ-ДД)",
    "division": "деление (например lang — язык); группы одного деления делят класс",
    "subjects": "коды предметов через «;»",
    "unavailable": "недоступен: дни «6» или день:урок «1:7» через «;»",
    "norm_key": "ключ шкалы трудности (math, russian, …); пусто — без проверки трудности",
    "activity": "lesson — урочная, extracurricular — внеурочная",
    "subject_id": "код предмета (пусто — общий чат класса)",
    "invite_link": "ссылка-приглашение MAX/Сферум",
    "chat_id": "chat_id бота (когда известен)",
    "classes": "коды классов через «;» (пусто в versions — все классы)",
    "version": "код версии расписания",
    "groups": "коды групп через «;» (пусто — весь класс)",
    "teachers": "коды учителей через «;»",
    "rooms": "коды кабинетов через «;»",
    "subject": "код предмета",
    "day": "день недели 1–6",
    "duration": "длительность в уроках (сдвоенный — 2)",
    "weeks": "every — каждую неделю, A — числитель, B — знаменатель",
}
# the same column name means different things in different tables
COLUMN_HELP_RU_BY_TABLE = {
    "school": {"kind": "school — школа, college — колледж"},
    "holidays": {"kind": "public — нерабочий праздничный день (ТК РФ ст. 112, перенос выходных), vacation — каникулы "
                         "(пусто — каникулы)"},
    "chats": {"kind": "вид чата: class — ученики класса, parents — родители, subject — предмет, teachers — учительская, "
            "curators — кураторы (пусто — class или subject)"},
}


def reference_frame(russian: bool = False) -> pd.DataFrame:
    rows = []
    for t in TABLES:
        for c in t.columns:
            row = {"Лист": SHEETS_RU[t.name] if russian else t.name,
                   "Столбец": column_ru(t.name, c) if russian else c}
            if russian:
                row["Можно и так"] = f"{t.name} / {c}"
            rows.append(row | {"Обязательный": "да" if c in t.required else "",
                               "Что писать": COLUMN_HELP_RU_BY_TABLE.get(t.name, {}).get(c, COLUMN_HELP_RU.get(c, "")), "О листе": t.description})
    return pd.DataFrame(rows)


def write_template(out: Path, *, russian: bool = False) -> None:
    """An XLSX template (by suffix), else a folder of CSV files with headers only. With russian=True the sheets
    and columns are named in Russian (the reader accepts both the Russian and the English names)."""
    def header(t: Table) -> list[str]:
        return [column_ru(t.name, c) for c in t.columns] if russian else list(t.columns)

    empty = {(SHEETS_RU[t.name] if russian else t.name): pd.DataFrame(columns=header(t), dtype=str) for t in TABLES}
    if out.suffix.lower() == ".xlsx":
        write_xlsx_frames(out, {**empty, "Справка": reference_frame(russian)})
        return
    out.mkdir(parents=True, exist_ok=True)
    for t in TABLES:
        atomic_write_bytes(out / t.file_name, (",".join(header(t)) + "\n").encode("utf-8"))
