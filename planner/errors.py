"""Errors raised on bad input: each names the file, the row or element, and the field.

Every error carries an English message (CLI, logs) and a Russian one (the page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError


@dataclass(frozen=True)
class Location:
    """Where a bad value sits: a file, a row (1-based, header = row 1) or element path, a field."""

    file: str = ""
    row: int | None = None
    element: str = ""
    field: str = ""

    def describe(self, lang: str = "en") -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"{'строка' if lang == 'ru' else 'row'} {self.row}")
        if self.element:
            parts.append(self.element)
        if self.field:
            parts.append(f"{'поле' if lang == 'ru' else 'field'} '{self.field}'")
        return ", ".join(parts)


class PlannerError(Exception):
    """Base of the planner's own errors: one protocol for every module.

    Each error has an English message (CLI, logs), a Russian one (the page), an optional location (file, row or
    element, field) and `text(lang)` joining them; `exit_code` is the CLI's exit status for it. The CLI has one
    handler and the page one renderer for all of them.
    """

    exit_code = 2

    def __init__(self, message_en: str, message_ru: str | None = None, location: Location | None = None):
        self.message_en = message_en
        self.message_ru = message_ru or message_en
        self.location = location or Location()
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        where = self.location.describe(lang)
        msg = self.message_ru if lang == "ru" else self.message_en
        return f"{where}: {msg}" if where else msg

    def details(self, lang: str = "en") -> list[str]:
        """Further lines (e.g. one per failed pre-check) listed under `title`; none by default."""
        return []

    def title(self, lang: str = "en") -> str:
        """The headline shown above `details` (the whole text when there are none)."""
        return self.text(lang)


class InputError(PlannerError):
    """Bad input: a clear message naming where it is. Nothing saved is touched when it is raised."""

    def at(self, **changes: Any) -> "InputError":
        """The same error with its location completed (file, row, ...)."""
        loc = self.location
        merged = Location(
            file=changes.get("file", loc.file),
            row=changes.get("row", loc.row),
            element=changes.get("element", loc.element),
            field=changes.get("field", loc.field),
        )
        return InputError(self.message_en, self.message_ru, merged)


class StaleSaveError(PlannerError):
    """A save based on an older version of a record than the one stored."""

    def __init__(self, kind: str, record_id: str, expected: int, found: int):
        self.kind, self.record_id, self.expected, self.found = kind, record_id, expected, found
        message_en = (
            f"{kind} '{record_id}' was changed by someone else (stored version {found}, "
            f"your copy is version {expected}); reload it and apply your edit again"
        )
        message_ru = (
            f"{kind} «{record_id}» уже изменён в другом окне или другим пользователем "
            f"(сохранена версия {found}, у вас версия {expected}); загрузите свежую версию и повторите правку"
        )
        super().__init__(message_en, message_ru)


class NormSetError(InputError):
    """A norm file is malformed, or no norm set is valid on the requested dates."""


class UnknownIdError(InputError, LookupError):
    """A reference to an id that does not exist (a class, a teacher, ...): the message names the id."""

    def __init__(self, kind_en: str, kind_ru: str, record_id: str, where: str = ""):
        self.record_id = record_id
        super().__init__(f"no {kind_en} '{record_id}'" + (f" in {where}" if where else ""),
                         f"нет {kind_ru} «{record_id}»" + (f" в «{where}»" if where else ""))


def input_error_from_validation(err: ValidationError, file: str = "", row: int | None = None,
                                field: str | None = None) -> InputError:
    """A pydantic ValidationError as an InputError naming the element (path) and field of its first error."""
    first: Mapping[str, Any] = err.errors()[0] if err.errors() else {}
    loc = first.get("loc", ())
    element = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc[:-1]).lstrip(".")
    msg = first.get("msg", str(err)).removeprefix("Value error, ")
    return InputError(msg, validation_message_ru(first),
                      Location(file=file, row=row, element="" if row is not None else element,
                               field=field or (str(loc[-1]) if loc else "")))


# pydantic error types in Russian (the page shows no English): what the value must be
_RU_BY_TYPE = {
    "missing": "не заполнено",
    "int_parsing": "должно быть целым числом", "int_type": "должно быть целым числом",
    "int_from_float": "должно быть целым числом",
    "float_parsing": "должно быть числом", "float_type": "должно быть числом",
    "bool_parsing": "должно быть «да» или «нет»", "bool_type": "должно быть «да» или «нет»",
    "date_parsing": "должно быть датой ДД.ММ.ГГГГ", "date_from_datetime_parsing": "должно быть датой ДД.ММ.ГГГГ",
    "date_type": "должно быть датой ДД.ММ.ГГГГ",
    "time_parsing": "должно быть временем ЧЧ:ММ", "time_type": "должно быть временем ЧЧ:ММ",
    "string_type": "должно быть текстом", "string_too_short": "не заполнено",
    "extra_forbidden": "неизвестное поле",
    "list_type": "должно быть списком",
}


def validation_message_ru(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ValidationError.errors()) as a Russian sentence, no English in it."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _RU_BY_TYPE:
        text = _RU_BY_TYPE[kind]
    elif kind in ("greater_than_equal", "greater_than"):
        text = f"должно быть {'не меньше' if kind.endswith('equal') else 'больше'} {ctx.get('ge', ctx.get('gt'))}"
    elif kind in ("less_than_equal", "less_than"):
        text = f"должно быть {'не больше' if kind.endswith('equal') else 'меньше'} {ctx.get('le', ctx.get('lt'))}"
    elif kind in ("enum", "literal_error"):
        text = f"допустимые значения: {ctx.get('expected', '')}".replace(" or ", " или ")
    elif kind == "string_pattern_mismatch":
        text = "значение не подходит по форме"
    elif kind == "string_too_long":
        text = f"слишком длинно (не больше {ctx.get('max_length')} знаков)"
    else:
        text = "значение не подходит"
    given = error.get("input")
    if isinstance(given, (str, int, float)) and not isinstance(given, bool) and str(given).strip() and \
            kind not in ("missing", "extra_forbidden"):
        text += f" (указано «{given}»)"
    return f"недопустимое значение: {text}"
