"""The plan schema: a pure data model shared by the rebuild (which writes it) and the auditor (which checks it)."""

from planner.plan.model import (
    PLAN_SCHEMA_VERSION, AsyncWork, ClassSummary, Gymnastics, Mode, Occurrence, Plan, ReasonText, SolverInfo,
    plan_json_schema,
)

__all__ = ["PLAN_SCHEMA_VERSION", "AsyncWork", "ClassSummary", "Gymnastics", "Mode", "Occurrence", "Plan",
           "ReasonText", "SolverInfo", "plan_json_schema"]
