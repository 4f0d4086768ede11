"""Norms in force: pick the norm sets valid on a date, carry lapsed acts over, apply the school policy.

When a binding act lapses and no successor covers its family (СП 2.4.3648-20 on 01.01.2027, СанПиН 1.2.3685-21 on
01.03.2027), planning does not stop: the lapsed act's values keep applying as the school's own norms ("carried
over"). A value that another act in force also carries (`also_in`, e.g. СанПиН табл. 6.6 for the СП's start and
end times and breaks) stays binding through that act. Findings against carried-over values are warnings unless the
school policy makes them binding (`carried_over_binding`). Strict mode (`strict_norms` in the policy or the CLI's
`--strict-norms`) refuses such dates instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal
from pathlib import Path

from planner.errors import Location, NormSetError
from planner.norms.data import (CARRIED_BY_OTHER, CARRIED_OVER, IN_FORCE, VERIFIED, Norm, NormSet, Row,
                                load_library, load_norm_set, time_to_minutes)
from planner.norms.policy import Policy, apply_policy, load_policy

REQUIRED_FAMILIES = ("sanpin", "sp")  # federal acts a date must be covered by (in force or carried over)


class NormsLapsedError(NormSetError):
    """Strict mode: a date on which a binding act has lapsed and no act replaces it."""


def ru_date(d: date) -> str:
    return f"{d:%d.%m.%Y}"


def lapse_status(s: NormSet) -> tuple[str, str]:
    """The status line of a carried-over act, in Russian and English (names the act, never the set id)."""
    until = s.lapse_day
    return (f"{s.act} утратил силу {ru_date(until)}; значение применяется как норматив школы до утверждения "
            f"нового акта",
            f"{s.act} ceased to apply on {until.isoformat()}; the value applies as the school's own norm until a new "
            f"act is adopted")


@dataclass(frozen=True)
class NormsInForce:
    """The norms valid on one date, with the policy applied."""

    day: date
    sets: tuple[NormSet, ...]  # the acts in force on the date
    norms: dict[str, Norm]
    missing_families: tuple[str, ...]
    policy_name: str = ""
    carried_over: tuple[NormSet, ...] = ()  # lapsed acts whose values apply as the school's norms
    policy: Policy | None = None  # the school policy applied (its settings, e.g. hand_in_count)
    # answers of the auditor's applicable() per query (norms never change once in force); not compared or shown
    lookups: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def get(self, key: str) -> Norm | None:
        return self.norms.get(key)

    @property
    def set_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sets) + tuple(s.id for s in self.carried_over)

    def acts_in_force(self) -> tuple[str, ...]:
        return tuple(s.act for s in self.sets)

    def carried_by_other(self) -> tuple[Norm, ...]:
        return tuple(n for n in self.norms.values() if n.status == CARRIED_BY_OTHER)

    def carried_norms(self) -> tuple[Norm, ...]:
        return tuple(n for n in self.norms.values() if n.status == CARRIED_OVER)

    def unverified(self) -> tuple[Norm, ...]:
        """Norms whose value (or one of its rows) is unverified (M)."""
        return tuple(n for n in self.norms.values()
                     if n.confidence == "M" or any(r.confidence == "M" or "M" in r.field_confidence.values()
                                                   for r in n.rows))


@dataclass
class NormLibrary:
    sets: list[NormSet]
    policy: Policy | None = None
    strict: bool = False  # --strict-norms: refuse dates on which a binding act lapsed without a successor
    _cache: dict[tuple[Any, ...], dict[str, Norm]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, constraints_dir: Path | None = None, policy_path: Path | None = None, *,
             strict: bool = False, policy: Policy | None = None) -> "NormLibrary":
        lib = cls(load_library(constraints_dir), load_policy(policy_path) if policy_path else policy, strict=strict)
        lib.validate_policy()
        return lib

    def with_policy(self, policy: Policy | None) -> "NormLibrary":
        lib = NormLibrary(self.sets, policy, self.strict)
        lib.validate_policy()
        return lib

    @property
    def strict_norms(self) -> bool:
        return self.strict or bool(self.policy and self.policy.strict_norms)

    def validate_policy(self) -> None:
        """Apply the policy once to every norm known, so an unknown key or a loosening stops at load time."""
        if self.policy is None or not self.policy.changes:
            return
        merged: dict[str, Norm] = {}
        for s in self.sets:
            for key, norm in s.norms.items():
                merged.setdefault(key, norm)
        apply_policy(merged, self.policy)

    def lapsed_sets(self, day: date, valid: list[NormSet]) -> list[NormSet]:
        """Binding sets lapsed on `day` whose family has no set in force and that no set in force or started
        supersedes: the latest of each family is carried over."""
        valid_families = {s.family for s in valid}
        superseded = {sup for s in self.sets if s.valid_from <= day for sup in s.supersedes}
        latest: dict[str, NormSet] = {}
        for s in self.sets:
            if not s.binding or not s.lapsed_on(day) or s.family in valid_families or s.id in superseded:
                continue
            if s.family not in latest or s.lapse_day > latest[s.family].lapse_day:
                latest[s.family] = s
        return sorted(latest.values(), key=lambda s: s.id)

    def in_force(self, day: date) -> NormsInForce:
        valid = [s for s in self.sets if s.valid_on(day)]
        by_family: dict[str, list[NormSet]] = {}
        for s in valid:
            by_family.setdefault(s.family, []).append(s)
        for fam, sets in by_family.items():
            if len(sets) > 1:
                raise NormSetError(f"several norm sets of family '{fam}' are valid on {day}: "
                                   f"{', '.join(s.act for s in sets)}",
                                   f"на {ru_date(day)} действуют несколько актов семейства «{fam}»: "
                                   f"{', '.join(s.act for s in sets)}")
        chosen = tuple(sorted(valid, key=lambda s: s.id))
        carried = tuple(self.lapsed_sets(day, valid))
        if carried and self.strict_norms:
            acts = "; ".join(f"{s.act} (срок истёк {ru_date(s.lapse_day)})" for s in carried)
            acts_en = "; ".join(f"{s.act} (expired {s.lapse_day.isoformat()})" for s in carried)
            raise NormsLapsedError(
                f"strict norms: on {day.isoformat()} no act is in force in place of {acts_en}; add the successor "
                f"act or an amendment to the norm data, or plan without --strict-norms",
                f"строгий режим норм: на {ru_date(day)} не действует {acts}, нового акта нет; добавьте "
                f"новый акт или изменение в данные норм либо отключите строгий режим",
                Location(file=self.policy.path if self.policy and self.policy.strict_norms else "",
                         field="strict_norms" if self.policy and self.policy.strict_norms else ""))
        key = (tuple(s.id for s in chosen), tuple(s.id for s in carried))
        if key not in self._cache:
            merged: dict[str, Norm] = {}
            for s in chosen:
                for nkey, norm in s.norms.items():
                    if nkey in merged:
                        raise NormSetError(f"norm '{nkey}' is defined by both {merged[nkey].act} and {s.act}",
                                           f"норма «{nkey}» задана и в {merged[nkey].act}, и в {s.act}",
                                           Location(file=s.path, element=f"norms.{nkey}"))
                    merged[nkey] = norm
            valid_by_id = {s.id: s for s in chosen}
            binding_carried = bool(self.policy and self.policy.carried_over_binding)
            for s in carried:
                st_ru, st_en = lapse_status(s)
                for nkey, norm in s.norms.items():
                    if nkey in merged:
                        continue  # an act in force sets this norm itself
                    carrier = next((c for c in norm.carriers if c.set_id in valid_by_id and c.confidence in VERIFIED),
                                   None)
                    if carrier is not None:
                        other = valid_by_id[carrier.set_id]
                        merged[nkey] = replace(
                            norm, act=other.act, clause=carrier.clause, sources=carrier.sources, status=CARRIED_BY_OTHER,
                            status_ru=f"{s.act} утратил силу {ru_date(s.lapse_day)}; значение действует по "
                                      f"{other.act}, {carrier.clause}",
                            status_en=f"{s.act} ceased to apply on {s.lapse_day.isoformat()}; the value is in force "
                                      f"through {other.act}, {carrier.clause}")
                    else:
                        merged[nkey] = replace(norm, binding=norm.binding and binding_carried, status=CARRIED_OVER,
                                               status_ru=st_ru + (" (обязательно по политике школы)"
                                                                  if binding_carried and norm.binding else ""),
                                               status_en=st_en + (" (binding by the school policy)"
                                                                  if binding_carried and norm.binding else ""))
            self._cache[key] = apply_policy(merged, self.policy)
        covered = {s.family for s in chosen} | {s.family for s in carried}
        missing = tuple(f for f in REQUIRED_FAMILIES if f not in covered)
        return NormsInForce(day, chosen, self._cache[key], missing, self.policy.name if self.policy else "",
                            carried, self.policy)


def severity_of(norm: Norm, row: Row | None, field_name: str = "value") -> Literal["violation", "warning"]:
    """'violation' for a binding norm whose value is verified (P, S2, S1); 'warning' otherwise (a recommendation,
    an unverified value, or a value carried over from a lapsed act unless the school policy makes it binding)."""
    conf = row.confidence_of(field_name) if row is not None else norm.confidence
    return "violation" if norm.binding and conf in VERIFIED else "warning"


__all__ = ["CARRIED_BY_OTHER", "CARRIED_OVER", "IN_FORCE", "REQUIRED_FAMILIES", "Norm", "NormLibrary", "NormSet",
           "NormsInForce", "NormsLapsedError", "Policy", "Row", "lapse_status", "load_library", "load_norm_set",
           "load_policy", "ru_date", "severity_of", "time_to_minutes"]
