"""A school policy file: tighten any norm value; loosening a binding one needs an explicit flag.

Format (TOML):

    [policy]
    name = "Школа № 17: локальные требования"

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

from planner.errors import Location, NormSetError
from planner.norms.data import Norm, check_value, time_to_minutes


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


def load_policy(path: Path) -> Policy:
    def fail(element: str, field: str, en: str, ru: str) -> NormSetError:
        return NormSetError(en, ru, Location(file=str(path), element=element, field=field))

    if not path.exists():
        raise fail("", "", "policy file not found", "файл политики не найден")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise fail("", "", f"invalid TOML: {exc}", f"некорректный TOML: {exc}") from None
    changes = []
    for i, ch in enumerate(raw.get("change", [])):
        element = f"change[{i}]"
        for req in ("norm", "value"):
            if req not in ch:
                raise fail(element, req, f"missing '{req}'", f"не указано «{req}»")
        changes.append(PolicyChange(norm=ch["norm"], where=dict(ch.get("where", {})), field=ch.get("field", "value"),
                                    value=ch["value"], reason=ch.get("reason", ""),
                                    allow_loosen=bool(ch.get("allow_loosen", False)), index=i))
    return Policy(name=raw.get("policy", {}).get("name", path.stem), changes=tuple(changes), path=str(path))


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
            raise NormSetError(f"unknown norm '{ch.norm}'", f"неизвестная норма «{ch.norm}»",
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
