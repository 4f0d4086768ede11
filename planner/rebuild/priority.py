"""Pedagogical priority, from data: live time goes first to the subjects that most need a teacher.

A subject's weight is the scenario's subject_priority (by subject id or norm key) or else the planner's default
by norm key (norm "priority.subject_weight": Russian, mathematics, a foreign language, physics, chemistry high;
PE, music, art, technology low). Difficulty points come from СанПиН 1.2.3685-21, табл. 6.9–6.11 (norm
"difficulty.scale"); a subject is hard or light by the thresholds of norm "priority.hard_light_points".
"""

from __future__ import annotations

from planner.norms import NormsInForce
from planner.scenario.model import Scenario


def subject_weight(scenario: Scenario, norms: NormsInForce, subject_id: str, norm_key: str | None) -> float:
    knobs = scenario.policy.subject_priority
    if subject_id in knobs:
        return knobs[subject_id]
    if norm_key and norm_key in knobs:
        return knobs[norm_key]
    norm = norms.get("priority.subject_weight")
    row = norm.row(subject=norm_key or "") if norm else None
    return float(row.value()) if row else 1.0


def difficulty_points(norms: NormsInForce, norm_key: str | None, grade: int) -> int | None:
    """The subject's points on the difficulty scale for the grade, or None where the scale has no row."""
    if norm_key is None:
        return None
    scale = norms.get("difficulty.scale")
    row = scale.row(subject=norm_key, grade=grade) if scale else None
    return int(row.value()) if row else None


def hardness(norms: NormsInForce, points: int | None) -> str | None:
    """'hard', 'light' or None (in between, or not on the scale)."""
    norm = norms.get("priority.hard_light_points")
    row = norm.row() if norm else None
    if points is None or row is None:
        return None
    if points >= int(row.value("hard_min")):
        return "hard"
    if points <= int(row.value("light_max")):
        return "light"
    return None


ASYNC_KIND_NORM = "async.kind_by_subject"


def _name_key(name: str) -> str:
    return " ".join(name.lower().replace("ё", "е").split())


def subject_async_kind(norms: NormsInForce, norm_key: str | None, name: str) -> tuple[str, str, int] | None:
    """The light subject's own asynchronous kind from the norm data (norm "async.kind_by_subject", a planner
    default): (kind, hand_in, hand_in_days) — hand_in "none" (nothing to hand in) or "relaxed" (hand_in_days
    calendar days) — matched by the subject's difficulty-scale key or its name; None for other subjects."""
    norm = norms.get(ASYNC_KIND_NORM)
    row = norm.row(subject=norm_key or "", name=_name_key(name)) if norm else None
    if row is None or "kind" not in row.extras:
        return None
    return str(row.extras["kind"]), str(row.extras.get("hand_in", "regular")), int(row.value("hand_in_days"))
