"""The canonical tabular format of a school: one CSV file (or one XLSX sheet) per table.

The column reference is in docs/data-format.md; `TABLES` below is the single definition both the reader and
the writer use. Cells hold plain text; lists are separated by ';'.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    name: str  # file stem / sheet name
    columns: tuple[str, ...]
    required: tuple[str, ...]  # columns that must be present in the header
    optional_file: bool = False
    description: str = ""

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


TABLES: tuple[Table, ...] = (
    Table("school", ("id", "name", "kind", "timezone", "year_start", "year_end", "a_week_monday"),
          ("id", "name", "timezone", "year_start", "year_end"),
          description="One row: the institution, its IANA time zone, its school year and (A/B timetables) "
                      "the Monday of a week A."),
    Table("holidays", ("start", "end", "name", "kind"), ("start", "end"), optional_file=True,
          description="Каникулы and public holidays, inclusive date ranges; kind: vacation (каникулы, staff work; "
                      "the default) or public (a non-working public holiday, Labour Code art. 112, or a day off "
                      "by the government's transfer decree)."),
    Table("transferred_days", ("date", "as_weekday", "name"), ("date", "as_weekday"), optional_file=True,
          description="Transferred working days: the date is taught by the timetable of weekday as_weekday (1–6)."),
    Table("bells", ("schedule_id", "name", "valid_from", "valid_to", "period", "start", "end"),
          ("schedule_id", "period", "start", "end"),
          description="Bell schedules: one row per period (a pair for colleges); rows of one schedule with "
                      "another valid_from/valid_to form a dated variant (1st grade: Sep–Dec and Jan–May)."),
    Table("classes", ("id", "name", "grade", "course", "age_min", "age_max", "students", "shift", "week_days",
                      "bell_schedule", "ovz", "pc", "laptop", "tablet", "phone", "none", "chats_exist",
                      "members_joined", "devices_confirmed", "test_call_done", "refusals", "curator"),
          ("id", "name", "age_min", "age_max", "students", "bell_schedule"),
          description="Classes (grade 1–11) or college groups (course), with the anonymous device survey and "
                      "readiness flags."),
    Table("groups", ("id", "class_id", "name", "students", "division"), ("id", "class_id", "name", "students"),
          optional_file=True, description="Subgroups of a class (language, gender, profile)."),
    Table("teachers", ("id", "name", "subjects", "unavailable", "contact", "max_chat_id"), ("id", "name"),
          description="Teachers; subjects are subject ids; unavailable lists weekdays ('6') or day:period ('1:7')."),
    Table("subjects", ("id", "name", "norm_key", "activity"), ("id", "name"),
          description="Subjects with their difficulty-scale key (constraints/) and activity: lesson or "
                      "extracurricular."),
    Table("rooms", ("id", "name"), ("id",), optional_file=True, description="Rooms."),
    Table("chats", ("class_id", "subject_id", "invite_link", "chat_id", "kind", "group_id", "admin"), ("invite_link",),
          optional_file=True, description="The chat registry: MAX/Sferum chat invite links per class (subject empty), "
                                          "class × subject (× group), the class's parents, the teachers' room and the "
                                          "curators (kind; the last two without a class)."),
    Table("responsible", ("role", "name", "contact", "teacher_id"), ("role", "name"), optional_file=True,
          description="Responsible persons (annex 1 of 003): deputy_teaching, deputy_upbringing, platform_admin, "
                      "with contacts families are given when a call does not work."),
    Table("allowed_domains", ("domain", "allowed_by", "reason", "at"), ("domain", "allowed_by"), optional_file=True,
          description="Link domains the school allows besides MAX/Sferum (000 §2.2), with who allowed them."),
    Table("versions", ("id", "name", "valid_from", "valid_to", "classes"), ("id", "valid_from", "valid_to"),
          description="Dated versions of the regular timetable; classes empty = all classes."),
    Table("lessons", ("id", "version", "classes", "groups", "teachers", "rooms", "subject", "day", "period",
                      "duration", "weeks"),
          ("id", "version", "classes", "subject", "day", "period"),
          description="Placed lessons: day 1–6, period number from the class's bells, duration in periods, "
                      "weeks every/A/B."),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}

# ------------------------------------------------------------------ Russian names (the template the page offers)
# A workbook may name its sheets and columns in Russian or in English; the reader maps both to the canonical
# (English) names above. Each Russian name is unique within its table.
SHEETS_RU = {"school": "Школа", "holidays": "Каникулы", "transferred_days": "Переносы", "bells": "Звонки",
             "classes": "Классы", "groups": "Группы", "teachers": "Учителя", "subjects": "Предметы",
             "rooms": "Кабинеты", "chats": "Чаты", "responsible": "Ответственные",
             "allowed_domains": "Разрешённые домены", "versions": "Версии", "lessons": "Уроки"}
COLUMNS_RU = {
    "id": "Код", "name": "Название", "kind": "Тип", "timezone": "Часовой пояс", "year_start": "Начало года",
    "year_end": "Конец года", "a_week_monday": "Понедельник недели А", "start": "Начало", "end": "Конец",
    "date": "Дата", "as_weekday": "Как день недели", "schedule_id": "Код звонков", "valid_from": "Действует с",
    "valid_to": "Действует по", "period": "Урок", "grade": "Параллель", "course": "Курс",
    "age_min": "Возраст от", "age_max": "Возраст до", "students": "Учеников", "shift": "Смена",
    "week_days": "Дней в неделю", "bell_schedule": "Звонки", "ovz": "ОВЗ", "pc": "ПК", "laptop": "Ноутбук",
    "tablet": "Планшет", "phone": "Только телефон", "none": "Нет устройства", "chats_exist": "Чаты созданы",
    "members_joined": "Вступили в чаты", "devices_confirmed": "Устройства подтверждены",
    "test_call_done": "Пробный звонок", "class_id": "Класс", "division": "Деление", "subjects": "Предметы",
    "unavailable": "Недоступен", "norm_key": "Шкала трудности", "activity": "Вид", "subject_id": "Предмет",
    "invite_link": "Ссылка-приглашение", "chat_id": "chat_id", "classes": "Классы", "version": "Версия",
    "groups": "Группы", "teachers": "Учителя", "rooms": "Кабинеты", "subject": "Предмет", "day": "День",
    "duration": "Длительность", "weeks": "Недели", "refusals": "Письменные отказы", "curator": "Куратор",
    "contact": "Контакты", "max_chat_id": "chat_id в MAX", "group_id": "Группа", "admin": "Администратор чата",
    "role": "Роль", "teacher_id": "Учитель", "domain": "Домен", "allowed_by": "Кто разрешил", "reason": "Причина",
    "at": "Когда"}
COLUMNS_RU_BY_TABLE = {"teachers": {"name": "ФИО"}, "responsible": {"name": "ФИО"}}


def column_ru(table: str, column: str) -> str:
    return COLUMNS_RU_BY_TABLE.get(table, {}).get(column, COLUMNS_RU.get(column, column))


def canonical_column(table: str, header: str) -> str:
    """A header as written (English or Russian, any case) -> the canonical column name, or the header as is."""
    wanted = header.strip().casefold()
    for t in TABLES:
        if t.name == table:
            for c in t.columns:
                if wanted in (c.casefold(), column_ru(table, c).casefold()):
                    return c
    return header


def canonical_sheet(name: str) -> str:
    wanted = name.strip().casefold()
    for table, ru in SHEETS_RU.items():
        if wanted in (table, ru.casefold()):
            return table
    return name
