"""Norms in force: pick the norm sets valid on a date, apply the school policy, look norms up by key."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planner.errors import NormSetError
from planner.norms.data import VERIFIED, Norm, NormSet, Row, load_library, load_norm_set, time_to_minutes
from planner.norms.policy import Policy, apply_policy, load_policy

REQUIRED_FAMILIES = ("sanpin", "sp")  # federal acts a date must be covered by to be audited


@dataclass(frozen=True)
class NormsInForce:
    """The norms valid on one date, with the policy applied."""

    day: date
    sets: tuple[NormSet, ...]
    norms: dict[str, Norm]
    missing_families: tuple[str, ...]
    policy_name: str = ""

    def get(self, key: str) -> Norm | None:
        return self.norms.get(key)

    @property
    def set_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sets)


@dataclass
class NormLibrary:
    sets: list[NormSet]
    policy: Policy | None = None
    _cache: dict[tuple[str, ...], dict[str, Norm]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, constraints_dir: Path | None = None, policy_path: Path | None = None) -> "NormLibrary":
        return cls(load_library(constraints_dir), load_policy(policy_path) if policy_path else None)

    def in_force(self, day: date) -> NormsInForce:
        by_family: dict[str, list[NormSet]] = {}
        for s in self.sets:
            if s.valid_on(day):
                by_family.setdefault(s.family, []).append(s)
        for fam, sets in by_family.items():
            if len(sets) > 1:
                raise NormSetError(f"several norm sets of family '{fam}' are valid on {day}: "
                                   f"{', '.join(s.id for s in sets)}",
                                   f"на {day:%d.%m.%Y} действуют несколько наборов норм «{fam}»: "
                                   f"{', '.join(s.id for s in sets)}")
        chosen = tuple(sorted((v[0] for v in by_family.values()), key=lambda s: s.id))
        ids = tuple(s.id for s in chosen)
        if ids not in self._cache:
            merged: dict[str, Norm] = {}
            for s in chosen:
                for key, norm in s.norms.items():
                    if key in merged:
                        raise NormSetError(f"norm '{key}' is defined by both {merged[key].set_id} and {s.id}",
                                           f"норма «{key}» задана и в {merged[key].set_id}, и в {s.id}")
                    merged[key] = norm
            self._cache[ids] = apply_policy(merged, self.policy)
        missing = tuple(f for f in REQUIRED_FAMILIES if f not in by_family)
        return NormsInForce(day, chosen, self._cache[ids], missing, self.policy.name if self.policy else "")


def severity_of(norm: Norm, row: Row | None, field_name: str = "value") -> str:
    """'violation' for a binding norm whose value is verified (P, S2, S1); 'warning' otherwise."""
    conf = row.confidence_of(field_name) if row is not None else norm.confidence
    return "violation" if norm.binding and conf in VERIFIED else "warning"


__all__ = ["REQUIRED_FAMILIES", "Norm", "NormLibrary", "NormSet", "NormsInForce", "Policy", "Row", "load_library",
           "load_norm_set", "load_policy", "severity_of", "time_to_minutes"]
