"""A school policy file: tighten any norm value; loosening a binding one needs an explicit flag.

Format (TOML):

    [policy]
    name = "Школа № 17: локальные требования"
    carried_over_binding = false  # true: values carried over from a lapsed act bind (findings are violations)
    strict_norms = false          # true: refuse dates on which a binding act lapsed without a successor
    hand_in_count = "calendar_days"  # or "school_days": how the hand-in deadline of asynchronous work is counted

    [[change]]
    norm = "breaks.min_minutes"   # a norm key from constraints/
    where = { grades = "5-6" }    # optional: rows whose selectors equal these (default: every row)
    field = "value"               # optional, default "value"
    value = 15
    reason = "решение педсовета от 30.08.2026"
    allow_loosen = false          # must be true to loosen a binding value; shown on every finding
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from typing_extensions import Literal

from planner.errors import Location, NormSetError
from planner.norms.data import Norm, check_value, time_to_minutes, validation_error

HAND_IN_COUNTS = ("calendar_days", "school_days")


class PolicyMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = ""
    carried_over_binding: bool = False
    strict_norms: bool = False
    hand_in_count: Literal["calendar_days", "school_days"] = "calendar_days"


class ChangeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    norm: str
    where: dict[str, Any] = {}
    field: str = "value"
    value: Any
    reason: str = ""
    allow_loosen: bool = False


@dataclass(frozen=True)
class PolicyChange:
    norm: str
    where: dict[str, Any]
    field: str
    value: Any
    reason: str
    allow_loosen: bool
    index: int


@dataclass(frozen=True)
class Policy:
    name: str
    changes: tuple[PolicyChange, ...]
    path: str = ""
    carried_over_binding: bool = False
    strict_norms: bool = False
    hand_in_count: str = "calendar_days"
    text: str = ""  # the TOML source (stored with the school's policy history)


def load_policy(path: Path) -> Policy:
    def fail(element: str, field: str, en: str, ru: str) -> NormSetError:
        return NormSetError(en, ru, Location(file=str(path), element=element, field=field))

    if not path.exists():
        raise fail("", "", "policy file not found", "файл политики не найден")
    return parse_policy(path.read_text(encoding="utf-8"), str(path), default_name=path.stem)


def parse_policy(text: str, source: str = "policy", default_name: str = "") -> Policy:
    """A policy from its TOML text; errors name the source (file), the element (change[i]) and the field."""
    def fail(element: str, field: str, en: str, ru: str) -> NormSetError:
        return NormSetError(en, ru, Location(file=source, element=element, field=field))

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise fail("", "", f"invalid TOML: {exc}", f"некорректный TOML: {exc}") from None
    unknown = set(raw) - {"policy", "change"}
    if unknown:
        raise fail(sorted(unknown)[0], "", f"unknown table '{sorted(unknown)[0]}'",
                   f"неизвестная таблица «{sorted(unknown)[0]}»")
    try:
        meta = PolicyMeta.model_validate(raw.get("policy", {}))
    except ValidationError as exc:
        raise validation_error(exc, source, "policy") from None
    if not isinstance(raw.get("change", []), list):
        raise fail("change", "", "changes are written as [[change]] tables", "изменения задаются таблицами [[change]]")
    changes = []
    for i, ch in enumerate(raw.get("change", [])):
        try:
            m = ChangeModel.model_validate(ch)
        except ValidationError as exc:
            raise validation_error(exc, source, f"change[{i}]") from None
        changes.append(PolicyChange(norm=m.norm, where=dict(m.where), field=m.field, value=m.value, reason=m.reason,
                                    allow_loosen=m.allow_loosen, index=i))
    return Policy(name=meta.name or default_name or "policy", changes=tuple(changes), path=source,
                  carried_over_binding=meta.carried_over_binding, strict_norms=meta.strict_norms,
                  hand_in_count=meta.hand_in_count, text=text)


def _comparable(v: Any) -> float:
    return time_to_minutes(v) if isinstance(v, str) else float(v)


def apply_policy(norms: dict[str, Norm], policy: Policy | None) -> dict[str, Norm]:
    """The norms with the policy's changes applied. Raises NormSetError for an unknown norm or row, or a
    loosening of a binding value without allow_loosen."""
    if policy is None:
        return norms
    out = dict(norms)
    for ch in policy.changes:
        element = f"change[{ch.index}]"
        norm = out.get(ch.norm)
        if norm is None:
            raise NormSetError(f"unknown norm key '{ch.norm}'", f"неизвестная норма «{ch.norm}»",
                               Location(file=policy.path, element=element, field="norm"))
        if ch.field not in norm.fields:
            raise NormSetError(f"norm '{ch.norm}' has no field '{ch.field}' (fields: {', '.join(norm.fields)})",
                               f"у нормы «{ch.norm}» нет поля «{ch.field}»",
                               Location(file=policy.path, element=element, field="field"))
        check_value(ch.value, norm.unit, Path(policy.path), element, "value")
        new_rows = []
        touched = 0
        for row in norm.rows:
            if any(str(row.selectors.get(k)) != str(v) for k, v in ch.where.items()) or ch.field not in row.values:
                new_rows.append(row)
                continue
            touched += 1
            old = row.values[ch.field]
            tighter = _comparable(ch.value) < _comparable(old) if norm.direction == "max" \
                else _comparable(ch.value) > _comparable(old)
            looser = _comparable(ch.value) != _comparable(old) and not tighter
            if looser and norm.binding and not ch.allow_loosen:
                raise NormSetError(
                    f"loosening binding norm '{ch.norm}' ({ch.field} {old} → {ch.value}) needs allow_loosen = true",
                    f"ослабление обязательной нормы «{ch.norm}» ({ch.field} {old} → {ch.value}) требует "
                    f"allow_loosen = true", Location(file=policy.path, element=element, field="value"))
            note = f"политика «{policy.name}»: {ch.field} {old} → {ch.value}" + (f" ({ch.reason})" if ch.reason else "")
            new_rows.append(replace(row, values={**row.values, ch.field: ch.value}, policy_note=note,
                                    loosened=row.loosened or (looser and norm.binding)))
        if not touched:
            raise NormSetError(f"no row of norm '{ch.norm}' matches {ch.where}",
                               f"ни одна строка нормы «{ch.norm}» не подходит под {ch.where}",
                               Location(file=policy.path, element=element, field="where"))
        out[ch.norm] = replace(norm, rows=tuple(new_rows))
    return out
