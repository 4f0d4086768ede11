"""Russian labels for the page: modes, reasons, severities, confidences, policy sources."""

from __future__ import annotations

from planner.scenario.model import REASON_RU, AsyncKind, Reason, TeacherStateKind
from planner.scenario.resolved import Source

MODE_RU = {"live": "онлайн", "async": "задание", "in_school": "в школе", "replaced": "замена", "cancelled": "отменён"}
MODE_ICON = {"live": "●", "async": "◇", "in_school": "■", "replaced": "⇄", "cancelled": "×"}
# Distinct background colours (light, readable with black text) per mode.
MODE_COLOUR = {"live": "#b7e4c7", "async": "#ffe8a3", "in_school": "#cfe2ff", "replaced": "#f8c8dc",
               "cancelled": "#e0e0e0"}
CHANGED_BORDER = "3px solid #d62828"

REASON_LABELS = {REASON_RU[r]: r.value for r in Reason}  # label -> value (labels are the widget options)
STATE_RU = {TeacherStateKind.AVAILABLE.value: "работает", TeacherStateKind.SICK.value: "болеет",
            TeacherStateKind.REMOTE_ONLY.value: "только онлайн"}
ASYNC_RU = {AsyncKind.PAPER.value: "бумажное задание", AsyncKind.RECORDING.value: "видеозапись",
            AsyncKind.ONLINE_TASK.value: "задание на экране",
            AsyncKind.MOVEMENT.value: "рекомендации по двигательной активности", AsyncKind.CREATIVE.value: "творческое задание",
            AsyncKind.CLASS_HOUR.value: "классный час"}
BUDGET_RU = {"home_day": "дома, включая досуговую деятельность", "school_day": "в школе"}
SEVERITY_RU = {"violation": "нарушение", "warning": "предупреждение"}
CONFIDENCE_RU = {"P": "P — первичный текст", "S2": "S2 — два вторичных источника", "S1": "S1 — один источник",
                 "M": "M — не подтверждено"}


def confidence_label(conf: str) -> str:
    return CONFIDENCE_RU.get(conf, conf)


def source_label(source: Source) -> str:
    """Where a policy value came from, in Russian."""
    if source.kind == "norm":
        return "норма " + source.key + (f":{source.column}" if source.column else "")
    if source.kind == "scenario":
        return "задано в сценарии"
    if source.kind == "school":
        return "данные школы"
    return "поправка сценария: " + source.by


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
