"""Norm sets as data: load the cited TOML files of constraints/ into frozen objects.

A norm set (one act) has a validity period and norms; a norm has rows, each row a selector (grades, months,
device, ...) and numeric fields, with the source keys and the confidence that apply to it. Code refers to norms
by key (e.g. "lessons_per_day.max") and never holds their numbers.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from planner.errors import InputError, Location, NormSetError

CONFIDENCES = ("P", "S2", "S1", "M")  # strongest first; X (rejected) is never encoded
VERIFIED = {"P", "S2", "S1"}
DEFAULT_CONSTRAINTS_DIR = Path(__file__).resolve().parents[2] / "constraints"
APPLIES_TO = {"regular_day", "in_school_day", "online_day", "messages"}
_META_KEYS = {"sources", "confidence", "note"}


def parse_range(text: str | int) -> tuple[int, int]:
    """'5-9' → (5, 9); '7' → (7, 7)."""
    s = str(text).strip()
    lo, _, hi = s.partition("-")
    return int(lo), int(hi or lo)


def _months_match(spec: str, month: int) -> bool:
    lo, hi = parse_range(spec)
    if lo <= hi:
        return lo <= month <= hi
    return month >= lo or month <= hi  # a range across the new year, e.g. "9-5"


def time_to_minutes(value: str) -> int:
    hh, mm = value.split(":")
    return int(hh) * 60 + int(mm)


@dataclass(frozen=True)
class Row:
    """One row of a norm: its selectors, its numbers, and the confidence and sources that apply to it."""

    selectors: dict[str, Any]
    values: dict[str, float | int | str]
    extras: dict[str, Any]
    confidence: str
    sources: tuple[str, ...]
    field_confidence: dict[str, str] = field(default_factory=dict)
    policy_note: str = ""  # set when a school policy changed a value of this row
    loosened: bool = False

    def value(self, name: str = "value") -> Any:
        return self.values[name]

    def minutes(self, name: str = "value") -> int:
        """A value in minutes: times 'HH:MM' become minutes of the day."""
        v = self.values[name]
        return time_to_minutes(v) if isinstance(v, str) else int(v)

    def confidence_of(self, name: str) -> str:
        return self.field_confidence.get(name, self.confidence)

    def matches(self, query: dict[str, Any]) -> bool:
        for key, spec in self.selectors.items():
            if key == "grades":
                if "grade" not in query:
                    return False
                lo, hi = parse_range(spec)
                if not lo <= query["grade"] <= hi:
                    return False
            elif key == "months":
                if "month" not in query or not _months_match(spec, query["month"]):
                    return False
            elif query.get(key) != spec:
                return False
        return True


@dataclass(frozen=True)
class Norm:
    key: str
    set_id: str
    act: str
    clause: str
    title_ru: str
    title_en: str
    unit: str
    direction: str  # "max": an upper limit (tighter = smaller); "min": a lower bound (tighter = larger)
    institutions: tuple[str, ...]
    applies_to: tuple[str, ...]
    binding: bool
    confidence: str
    sources: tuple[str, ...]
    fields: tuple[str, ...]
    select: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""

    def row(self, **query: Any) -> Row | None:
        """The most specific row matching the query (grade=, month=, device=, ovz=, subject=, week_days=)."""
        candidates = [r for r in self.rows if r.matches(query)]
        if not candidates:
            return None
        return max(candidates, key=lambda r: len(r.selectors))

    def applies_to_institution(self, kind: str) -> bool:
        return kind in self.institutions

    def cite(self) -> str:
        return f"{self.act}, {self.clause}"


@dataclass(frozen=True)
class NormSet:
    id: str
    family: str
    act: str
    title: str
    approved: str
    valid_from: date
    valid_until: date | None  # exclusive
    binding: bool
    confidence: str
    sources: tuple[str, ...]
    norms: dict[str, Norm]
    path: str = ""

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)


def _fail(path: Path, element: str, field_name: str, en: str, ru: str) -> NormSetError:
    return NormSetError(en, ru, Location(file=str(path), element=element, field=field_name))


def _confidence(value: Any, path: Path, element: str, field_name: str = "confidence") -> str:
    if value not in CONFIDENCES:
        raise _fail(path, element, field_name, f"confidence must be one of {', '.join(CONFIDENCES)}, got {value!r}",
                    f"достоверность должна быть одной из {', '.join(CONFIDENCES)}, указано {value!r}")
    return value


def _sources(value: Any, path: Path, element: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise _fail(path, element, "sources", "sources must be a list of source keys",
                    "sources должен быть списком ключей источников")
    return tuple(value)


def check_value(value: Any, unit: str, path: Path, element: str, field_name: str) -> Any:
    """A norm value: a non-negative number, or HH:MM for a time norm; else a NormSetError naming the place."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _fail(path, element, field_name, f"malformed number {value!r}", f"некорректное число {value!r}")
    if isinstance(value, str):
        try:
            minutes = time_to_minutes(value)
        except ValueError:
            minutes = -1
        if unit != "time" or not 0 <= minutes < 24 * 60:
            raise _fail(path, element, field_name, f"malformed number {value!r}", f"некорректное число {value!r}")
    elif value < 0:
        raise _fail(path, element, field_name, f"negative value {value!r}", f"отрицательное значение {value!r}")
    return value


def load_norm_set(path: Path) -> NormSet:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, "", "", f"invalid TOML: {exc}", f"некорректный TOML: {exc}") from None
    meta = raw.get("norm_set")
    if not isinstance(meta, dict):
        raise _fail(path, "norm_set", "", "missing [norm_set] table", "нет таблицы [norm_set]")
    for req in ("id", "family", "act", "valid_from", "sources", "confidence"):
        if req not in meta:
            raise _fail(path, "norm_set", req, f"missing '{req}'", f"не указано «{req}»")
    set_conf = _confidence(meta["confidence"], path, "norm_set")
    set_sources = _sources(meta["sources"], path, "norm_set")
    set_binding = bool(meta.get("binding", True))
    for d in ("valid_from", "valid_until"):
        if d in meta and not isinstance(meta[d], date):
            raise _fail(path, "norm_set", d, "must be a date (YYYY-MM-DD)", "должно быть датой (ГГГГ-ММ-ДД)")
    norms: dict[str, Norm] = {}
    for key, body in raw.get("norms", {}).items():
        element = f"norms.{key}"
        for req in ("clause", "sources", "confidence", "fields", "rows", "unit", "direction", "title_ru"):
            if req not in body:
                raise _fail(path, element, req, f"norm '{key}' has no '{req}'", f"у нормы «{key}» нет «{req}»")
        if body["direction"] not in ("max", "min"):
            raise _fail(path, element, "direction", "direction must be 'max' or 'min'",
                        "direction должен быть 'max' или 'min'")
        applies = tuple(body.get("applies_to", ()))
        if not applies or set(applies) - APPLIES_TO:
            raise _fail(path, element, "applies_to", f"applies_to must name some of {sorted(APPLIES_TO)}",
                        f"applies_to должен содержать значения из {sorted(APPLIES_TO)}")
        norm_conf = _confidence(body["confidence"], path, element)
        norm_sources = _sources(body["sources"], path, element)
        fields = tuple(body["fields"])
        select = tuple(body.get("select", ()))
        rows = []
        for i, r in enumerate(body["rows"]):
            row_el = f"{element}.rows[{i}]"
            values, selectors, extras, field_conf = {}, {}, {}, {}
            for k, v in r.items():
                if k in fields:
                    values[k] = check_value(v, body["unit"], path, row_el, k)
                elif k.endswith("_confidence") and k.removesuffix("_confidence") in fields:
                    field_conf[k.removesuffix("_confidence")] = _confidence(v, path, row_el, k)
                elif k in select or k in ("ovz",):
                    selectors[k] = v
                elif k in _META_KEYS:
                    continue
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    raise _fail(path, row_el, k, f"number '{k}' is not a declared field of norm '{key}'",
                                f"число «{k}» не объявлено в полях нормы «{key}»")
                else:
                    extras[k] = v
            missing = [f for f in fields if f not in values and f in ("value",)]
            if missing:
                raise _fail(path, row_el, missing[0], "missing value", "не указано значение")
            rows.append(Row(selectors=selectors, values=values, extras=extras,
                            confidence=_confidence(r.get("confidence", norm_conf), path, row_el),
                            sources=_sources(r.get("sources", list(norm_sources)), path, row_el),
                            field_confidence=field_conf))
        norms[key] = Norm(
            key=key, set_id=meta["id"], act=meta["act"], clause=body["clause"], title_ru=body["title_ru"],
            title_en=body.get("title_en", key), unit=body["unit"], direction=body["direction"],
            institutions=tuple(body.get("institutions", ("school", "college"))), applies_to=applies,
            binding=bool(body.get("binding", set_binding)), confidence=norm_conf, sources=norm_sources,
            fields=fields, select=select, rows=tuple(rows), note=body.get("note", ""))
    return NormSet(id=meta["id"], family=meta["family"], act=meta["act"], title=meta.get("title", ""),
                   approved=meta.get("approved", ""), valid_from=meta["valid_from"],
                   valid_until=meta.get("valid_until"), binding=set_binding, confidence=set_conf,
                   sources=set_sources, norms=norms, path=str(path))


def load_library(folder: Path | None = None) -> list[NormSet]:
    """Every norm set in the constraints folder."""
    folder = folder or DEFAULT_CONSTRAINTS_DIR
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise NormSetError("no norm files (*.toml) found", "не найдены файлы норм (*.toml)", Location(file=str(folder)))
    sets = [load_norm_set(f) for f in files]
    ids = [s.id for s in sets]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise NormSetError(f"duplicate norm set id '{sorted(dup)[0]}'", f"повторяется id набора норм «{sorted(dup)[0]}»",
                           Location(file=str(folder)))
    return sets


__all__ = ["CONFIDENCES", "VERIFIED", "Norm", "NormSet", "Row", "load_library", "load_norm_set", "parse_range",
           "time_to_minutes", "InputError", "replace"]
