"""Norm sets as data: load the cited TOML files of planner/norms/sets/ into frozen objects.

A norm set (one act) has a validity period and norms; a norm has rows, each row a selector (grades, months,
device, ...) and numeric fields, with the source keys and the confidence that apply to it. Code refers to norms
by key (e.g. "lessons_per_day.max") and never holds their numbers.

A norm may name further acts that carry the same value (`also_in`, e.g. СанПиН 1.2.3685-21 табл. 6.6 for the
СП's start and end times), so it stays binding while any carrying act is in force. A successor act is a new file
with `valid_from` and `supersedes`; an amendment that moves an act's end is a file with an `[amendment]` table
(`amends`, `valid_until`, `source`). The files are validated by pydantic models; every error names the file, the
norm key (element) and the field. The data ships inside the package (package data), so an installed wheel finds it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError
from typing_extensions import Annotated, Literal

from planner.errors import InputError, Location, NormSetError

CONFIDENCES = ("P", "S2", "S1", "M")  # strongest first; X (rejected) is never encoded
VERIFIED = {"P", "S2", "S1"}
DEFAULT_CONSTRAINTS_DIR = Path(__file__).resolve().parent / "sets"  # package data: found by an installed wheel
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
class Carrier:
    """A further act that carries a norm's value (e.g. СанПиН 1.2.3685-21 табл. 6.6 for the СП's start time)."""

    set_id: str
    clause: str
    sources: tuple[str, ...]
    confidence: str


# Norm status on a date (NormsInForce sets it): the act that carries the value, or the lapsed act it is carried
# over from as school policy.
IN_FORCE = "in_force"  # its own act is in force
CARRIED_BY_OTHER = "carried_by_other"  # its own act lapsed; another act that carries the same value is in force
CARRIED_OVER = "carried_over"  # every carrying act lapsed: the last value applies as the school's own norm


@dataclass(frozen=True)
class Norm:
    key: str
    set_id: str
    act: str  # the act whose force the value rests on, on the date (see status)
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
    carriers: tuple[Carrier, ...] = ()  # further acts carrying the same value (also_in)
    status: str = IN_FORCE
    status_ru: str = ""  # e.g. «СП 2.4.3648-20 утратил силу 01.01.2027; значение применяется как норматив школы ...»
    status_en: str = ""
    own_act: str = ""  # the act of the file the norm comes from, when another act carries it on the date
    # row() answers by query; not an init field, so dataclasses.replace() (new rows) starts an empty cache
    _row_cache: dict[tuple[tuple[str, Any], ...], Row | None] = field(init=False, default_factory=dict,
                                                                     compare=False, repr=False)

    def row(self, **query: Any) -> Row | None:
        """The most specific row matching the query (grade=, month=, device=, ovz=, subject=, week_days=)."""
        try:
            key: tuple[tuple[str, Any], ...] | None = tuple(sorted(query.items()))
            hash(key)
        except TypeError:
            key = None
        if key is not None and key in self._row_cache:
            return self._row_cache[key]
        candidates = [r for r in self.rows if r.matches(query)]
        found = max(candidates, key=lambda r: len(r.selectors)) if candidates else None
        if key is not None:
            self._row_cache[key] = found
        return found

    def applies_to_institution(self, kind: str) -> bool:
        return kind in self.institutions

    def cite(self) -> str:
        return f"{self.act}, {self.clause}"

    @property
    def carried_over(self) -> bool:
        return self.status == CARRIED_OVER


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
    supersedes: tuple[str, ...] = ()  # ids of the sets this act replaces (a successor act)
    valid_until_source: str = ""  # where the end date comes from (an amendment names its act)
    amendments: tuple[str, ...] = ()  # files of amendments applied to this set

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)

    def lapsed_on(self, day: date) -> bool:
        return self.valid_until is not None and day >= self.valid_until

    @property
    def lapse_day(self) -> date:
        """The day a set with an end date ceased to apply (asked only of lapsed sets)."""
        if self.valid_until is None:
            raise ValueError(f"norm set '{self.id}' has no end date")
        return self.valid_until


def _fail(path: Path, element: str, field_name: str, en: str, ru: str) -> NormSetError:
    return NormSetError(en, ru, Location(file=str(path), element=element, field=field_name))


def _confidence(value: Any, path: Path, element: str, field_name: str = "confidence") -> str:
    if value not in CONFIDENCES:
        raise _fail(path, element, field_name, f"confidence must be one of {', '.join(CONFIDENCES)}, got {value!r}",
                    f"достоверность должна быть одной из {', '.join(CONFIDENCES)}, указано {value!r}")
    return str(value)


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


# --- typed models of the files (pydantic): the shape and types; the loader adds the cross-field rules -------------

StrictDate = Annotated[date, Strict()]  # a TOML date (YYYY-MM-DD without quotes); a string is refused
Confidence = Literal["P", "S2", "S1", "M"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CarrierModel(_Model):
    set: str
    clause: str
    sources: list[str]
    confidence: Confidence


class NormSetMeta(_Model):
    id: str = Field(min_length=1)
    family: str = Field(min_length=1)
    act: str = Field(min_length=1)
    title: str = ""
    approved: str = ""
    valid_from: StrictDate
    valid_until: StrictDate | None = None
    valid_until_source: str = ""
    supersedes: list[str] = []
    binding: bool = True
    sources: list[str]
    confidence: Confidence


class NormBody(_Model):
    title_ru: str
    title_en: str = ""
    clause: str
    unit: str
    direction: Literal["max", "min"]
    institutions: list[Literal["school", "college"]] = ["school", "college"]
    applies_to: list[Literal["regular_day", "in_school_day", "online_day", "messages"]] = Field(min_length=1)
    sources: list[str]
    confidence: Confidence
    note: str = ""
    binding: bool | None = None
    select: list[str] = []
    fields: list[str] = Field(min_length=1)
    rows: list[dict[str, Any]] = Field(min_length=1)
    also_in: list[CarrierModel] = []


class AmendmentModel(_Model):
    amends: str = Field(min_length=1)  # the id of the amended set
    act: str = Field(min_length=1)  # the amending act, e.g. «Постановление ГГСВ РФ от ... № ...»
    adopted: StrictDate
    valid_until: StrictDate | None = None  # the new end (None: the act no longer ends)
    source: str = Field(min_length=1)  # where the amendment is published


def validation_error(exc: ValidationError, path: Path | str, element: str) -> NormSetError:
    """The first pydantic error as a NormSetError naming the file, the element (norm key) and the field."""
    err = exc.errors()[0]
    loc = [str(x) for x in err.get("loc", ())]
    field_name = ".".join(loc)
    msg = err.get("msg", str(exc))
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        en, ru = f"unknown field '{field_name}'", f"неизвестное поле «{field_name}»"
    elif kind == "missing":
        en, ru = f"missing '{field_name}'", f"не указано «{field_name}»"
    elif "date" in kind:
        en, ru = f"must be a date (YYYY-MM-DD): {msg}", f"должно быть датой (ГГГГ-ММ-ДД): {msg}"
    else:
        en, ru = f"invalid value: {msg}", f"некорректное значение: {msg}"
    return NormSetError(en, ru, Location(file=str(path), element=element, field=field_name))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, "", "", f"invalid TOML: {exc}", f"некорректный TOML: {exc}") from None
    except OSError as exc:
        raise _fail(path, "", "", f"cannot read the file: {exc.strerror or exc}",
                    f"не удаётся прочитать файл: {exc.strerror or exc}") from None


def load_norm_set(path: Path, raw: dict[str, Any] | None = None) -> NormSet:
    raw = _read_toml(path) if raw is None else raw
    if not isinstance(raw.get("norm_set"), dict):
        raise _fail(path, "norm_set", "", "missing [norm_set] table", "нет таблицы [norm_set]")
    try:
        meta = NormSetMeta.model_validate(raw["norm_set"])
    except ValidationError as exc:
        raise validation_error(exc, path, "norm_set") from None
    if meta.valid_until is not None and meta.valid_until <= meta.valid_from:
        raise _fail(path, "norm_set", "valid_until", f"valid_until {meta.valid_until} is not after valid_from "
                    f"{meta.valid_from}", f"valid_until {meta.valid_until:%d.%m.%Y} не позже valid_from "
                    f"{meta.valid_from:%d.%m.%Y}")
    unknown_top = set(raw) - {"norm_set", "norms"}
    if unknown_top:
        raise _fail(path, sorted(unknown_top)[0], "", f"unknown table '{sorted(unknown_top)[0]}'",
                    f"неизвестная таблица «{sorted(unknown_top)[0]}»")
    norms: dict[str, Norm] = {}
    for key, raw_body in raw.get("norms", {}).items():
        element = f"norms.{key}"
        if not isinstance(raw_body, dict):
            raise _fail(path, element, "", "a norm must be a table", "норма должна быть таблицей")
        try:
            body = NormBody.model_validate(raw_body)
        except ValidationError as exc:
            raise validation_error(exc, path, element) from None
        fields = tuple(body.fields)
        select = tuple(body.select)
        rows = []
        for i, r in enumerate(body.rows):
            row_el = f"{element}.rows[{i}]"
            values, selectors, extras, field_conf = {}, {}, {}, {}
            for k, v in r.items():
                if k in fields:
                    values[k] = check_value(v, body.unit, path, row_el, k)
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
            if "value" in fields and "value" not in values:
                raise _fail(path, row_el, "value", "missing value", "не указано значение")
            rows.append(Row(selectors=selectors, values=values, extras=extras,
                            confidence=_confidence(r.get("confidence", body.confidence), path, row_el),
                            sources=_sources(r.get("sources", list(body.sources)), path, row_el),
                            field_confidence=field_conf))
        carriers = tuple(Carrier(c.set, c.clause, tuple(c.sources), c.confidence) for c in body.also_in)
        norms[key] = Norm(
            key=key, set_id=meta.id, act=meta.act, clause=body.clause, title_ru=body.title_ru,
            title_en=body.title_en or key, unit=body.unit, direction=body.direction,
            institutions=tuple(body.institutions), applies_to=tuple(body.applies_to),
            binding=meta.binding if body.binding is None else body.binding, confidence=body.confidence,
            sources=tuple(body.sources), fields=fields, select=select, rows=tuple(rows), note=body.note,
            carriers=carriers, own_act=meta.act)
    return NormSet(id=meta.id, family=meta.family, act=meta.act, title=meta.title, approved=meta.approved,
                   valid_from=meta.valid_from, valid_until=meta.valid_until, binding=meta.binding,
                   confidence=meta.confidence, sources=tuple(meta.sources), norms=norms, path=str(path),
                   supersedes=tuple(meta.supersedes), valid_until_source=meta.valid_until_source)


def load_amendment(path: Path, raw: dict[str, Any]) -> AmendmentModel:
    unknown_top = set(raw) - {"amendment"}
    if unknown_top or not isinstance(raw.get("amendment"), dict):
        raise _fail(path, "amendment", "", "an amendment file holds one [amendment] table",
                    "файл изменения содержит одну таблицу [amendment]")
    try:
        return AmendmentModel.model_validate(raw["amendment"])
    except ValidationError as exc:
        raise validation_error(exc, path, "amendment") from None


def _overlap(a: NormSet, b: NormSet) -> bool:
    a_end = a.valid_until or date.max
    b_end = b.valid_until or date.max
    return a.valid_from < b_end and b.valid_from < a_end


def check_library(sets: list[NormSet]) -> None:
    """Cross-file rules: unique ids, known `supersedes` and `also_in` sets, no two sets of one family in force on
    the same date (a successor starts on or after its predecessor's end)."""
    by_id: dict[str, NormSet] = {}
    for s in sets:
        if s.id in by_id:
            raise _fail(Path(s.path), "norm_set", "id", f"duplicate norm set id '{s.id}' (also in {by_id[s.id].path})",
                        f"повторяется id набора норм «{s.id}» (также в {by_id[s.id].path})")
        by_id[s.id] = s
    for s in sets:
        for sup in s.supersedes:
            if sup not in by_id:
                raise _fail(Path(s.path), "norm_set", "supersedes", f"supersedes an unknown norm set '{sup}'",
                            f"заменяет неизвестный набор норм «{sup}»")
        for key, norm in s.norms.items():
            for c in norm.carriers:
                if c.set_id not in by_id:
                    raise _fail(Path(s.path), f"norms.{key}", "also_in", f"names an unknown norm set '{c.set_id}'",
                                f"указан неизвестный набор норм «{c.set_id}»")
    for i, a in enumerate(sets):
        for b in sets[i + 1:]:
            if a.family == b.family and _overlap(a, b):
                later = b if (b.valid_from, b.path) >= (a.valid_from, a.path) else a
                other = a if later is b else b
                raise _fail(Path(later.path), "norm_set", "valid_from",
                            f"overlaps norm set '{other.id}' of the same family '{a.family}' ({other.path}, in force "
                            f"{other.valid_from} … {other.valid_until or 'open'}): a successor starts on or after "
                            f"its predecessor's valid_until",
                            f"пересекается с набором норм «{other.id}» того же семейства «{a.family}» "
                            f"({other.path}): преемник вступает в силу не раньше окончания предшественника")


def load_library(folder: Path | None = None) -> list[NormSet]:
    """Every norm set in the folder, with its amendments (files with an [amendment] table) applied in the order
    they were adopted."""
    folder = folder or DEFAULT_CONSTRAINTS_DIR
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise NormSetError("no norm files (*.toml) found", "не найдены файлы норм (*.toml)", Location(file=str(folder)))
    sets: list[NormSet] = []
    amendments: list[tuple[AmendmentModel, Path]] = []
    for f in files:
        raw = _read_toml(f)
        if "amendment" in raw:
            amendments.append((load_amendment(f, raw), f))
        else:
            sets.append(load_norm_set(f, raw))
    by_id = {s.id: i for i, s in enumerate(sets)}
    for am, f in sorted(amendments, key=lambda x: (x[0].adopted, str(x[1]))):
        if am.amends not in by_id:
            raise _fail(f, "amendment", "amends", f"amends an unknown norm set '{am.amends}'",
                        f"изменяет неизвестный набор норм «{am.amends}»")
        s = sets[by_id[am.amends]]
        if am.valid_until is not None and am.valid_until <= s.valid_from:
            raise _fail(f, "amendment", "valid_until", f"valid_until {am.valid_until} is not after the set's "
                        f"valid_from {s.valid_from}", f"valid_until {am.valid_until:%d.%m.%Y} не позже начала "
                        f"действия набора {s.valid_from:%d.%m.%Y}")
        sets[by_id[am.amends]] = replace(s, valid_until=am.valid_until, valid_until_source=f"{am.act} ({am.source})",
                                         amendments=s.amendments + (str(f),))
    check_library(sets)
    return sets


__all__ = ["CARRIED_BY_OTHER", "CARRIED_OVER", "CONFIDENCES", "IN_FORCE", "VERIFIED", "Carrier", "Norm", "NormSet",
           "Row", "check_library", "load_library", "load_norm_set", "parse_range", "time_to_minutes", "InputError",
           "replace"]
