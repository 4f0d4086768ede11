"""Each school's own policy (its local act's values) stored in the database with its history.

Every upload is a new row (kind "school_policy") with who (the name the user enters, as scenarios record
`created_by`), when (the record's created_at) and why (reason); the newest row is the school's policy, used by every
command and page for that school. A policy file given on the command line (`--policy FILE`) wins for one run.
The text is validated against the norm data before anything is saved, so a bad upload changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any  # the store is planner.storage.Store, which sits above the norms: not imported here

from planner.errors import InputError, Location
from planner.norms import NormLibrary
from planner.norms.policy import Policy, parse_policy

KIND = "school_policy"


@dataclass(frozen=True)
class PolicyVersion:
    id: str
    school_id: str
    number: int  # 1, 2, ... in upload order
    name: str
    created_by: str
    reason: str
    created_at: str  # UTC ISO
    text: str


def _version(record: Any) -> PolicyVersion:  # a planner.storage record
    p = record.payload
    return PolicyVersion(id=record.id, school_id=record.columns.get("school_id", ""), number=int(p["number"]),
                         name=p.get("name", ""), created_by=record.columns.get("created_by", ""),
                         reason=record.columns.get("reason") or "", created_at=record.created_at, text=p["text"])


def policy_history(store: Any, school_id: str) -> list[PolicyVersion]:
    """Every stored version of the school's policy, oldest first."""
    return sorted((_version(r) for r in store.list(KIND, school_id=school_id)), key=lambda v: v.number)


def current_policy_version(store: Any, school_id: str) -> PolicyVersion | None:
    history = policy_history(store, school_id)
    return history[-1] if history else None


def current_school_policy(store: Any, school_id: str) -> Policy | None:
    v = current_policy_version(store, school_id)
    return None if v is None else parse_policy(v.text, f"политика школы {school_id}, версия {v.number}",
                                               default_name=v.name)


def save_school_policy(store: Any, school_id: str, text: str, *, created_by: str, reason: str,
                       library: NormLibrary | None = None, source: str = "") -> PolicyVersion:
    """Validate the policy text against the norm data, then store it as the school's newest version."""
    source = source or "policy"
    if not created_by.strip():
        raise InputError("say who changes the policy (created_by)", "укажите, кто меняет политику",
                         Location(file=source, field="created_by"))
    if not reason.strip():
        raise InputError("say why the policy changes (reason)", "укажите причину изменения политики",
                         Location(file=source, field="reason"))
    policy = parse_policy(text, source)
    (library or NormLibrary.load()).with_policy(policy)  # an unknown key or a loosening stops here
    with store.transaction():
        number = len(store.list(KIND, school_id=school_id)) + 1
        record = store.save(KIND, f"{school_id}/{number:04d}", {"number": number, "name": policy.name, "text": text},
                            None, school_id=school_id, created_by=created_by.strip(), reason=reason.strip())
    return _version(record)


_CACHE: dict[tuple[Any, ...], NormLibrary] = {}


def library_for_school(store: Any, school_id: str | None, base: NormLibrary, override: Policy | None = None) -> NormLibrary:
    """The norm library with the school's policy: `override` (a --policy file) wins; else the stored policy; else
    the base library's own policy."""
    if override is not None:
        return base.with_policy(override)
    if store is None or not school_id:
        return base
    v = current_policy_version(store, school_id)
    if v is None:
        return base
    key = (id(base), v.id, v.created_at)
    if key not in _CACHE:
        _CACHE[key] = base.with_policy(current_school_policy(store, school_id))
    return _CACHE[key]


__all__ = ["PolicyVersion", "current_policy_version", "current_school_policy", "library_for_school",
           "policy_history", "save_school_policy"]
