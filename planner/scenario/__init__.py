"""Scenarios: which classes go online when, teacher states, overrides, and the policy knobs."""

from planner.scenario.model import (
    AsyncKind, ClassOverride, OnlineSelection, PolicyKnobs, Reason, Scenario, TeacherState, TeacherStateKind,
    check_scenario_references, scenario_from_dict, scenario_from_toml,
)
from planner.scenario.policy import ClassPolicy, Valued, class_policy

__all__ = ["AsyncKind", "ClassOverride", "ClassPolicy", "OnlineSelection", "PolicyKnobs", "Reason", "Scenario",
           "TeacherState", "TeacherStateKind", "Valued", "check_scenario_references", "class_policy",
           "scenario_from_dict", "scenario_from_toml"]
