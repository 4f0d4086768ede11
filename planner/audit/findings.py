"""Typed audit findings: a norm key, severity, clause, where it happened, and a message in Russian and English."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Literal

from planner.norms import Norm, Row, severity_of

Severity = Literal["violation", "warning"]


@dataclass(frozen=True)
class Finding:
    norm_key: str
    severity: Severity
    act: str
    clause: str
    confidence: str
    message_ru: str
    message_en: str
    class_id: str | None = None
    teacher_id: str | None = None
    weekday: int | None = None  # timetable weekday 1–7
    lesson_id: str | None = None
    period: int | None = None
    dates: tuple[date, ...] = ()
    policy_note: str = ""  # a school policy changed the value this finding was checked against
    loosened: bool = False  # ... and the change loosened a binding value
    preexisting: bool = False  # plan audits: the breach already existed in the regular timetable
    groups: tuple[str, ...] = ()  # plan audits: the groups (pupil cell) the finding is about; () = whole class

    def merge_key(self) -> tuple:
        return (self.norm_key, self.class_id, self.groups, self.teacher_id, self.weekday, self.lesson_id,
                self.period, self.message_en, self.policy_note, self.preexisting)

    def match_keys(self) -> set[tuple]:
        """What makes a plan finding 'the same breach' as one of the regular timetable: the norm, the class,
        the teacher, the timetable weekday, the lesson and the bell period, on a shared date. Groups and
        the message (which carries the measured numbers) are left out, so a breach the plan keeps at the same
        place counts as pre-existing even when its numbers changed."""
        base = (self.norm_key, self.class_id, self.teacher_id, self.weekday, self.lesson_id, self.period)
        return {(*base, d) for d in self.dates}

    def to_dict(self) -> dict:
        d = asdict(self)
        d["dates"] = [x.isoformat() for x in self.dates]
        return d

    def text(self, lang: str = "en") -> str:
        where = []
        if self.class_id:
            where.append(("класс " if lang == "ru" else "class ") + self.class_id)
        if self.groups:
            where.append(("группы " if lang == "ru" else "groups ") + ", ".join(self.groups))
        if self.teacher_id:
            where.append(("учитель " if lang == "ru" else "teacher ") + self.teacher_id)
        msg = self.message_ru if lang == "ru" else self.message_en
        sev = {"violation": ("НАРУШЕНИЕ", "VIOLATION"), "warning": ("ПРЕДУПРЕЖДЕНИЕ", "WARNING")}[self.severity]
        dates = ""
        if self.dates:
            first, last = self.dates[0], self.dates[-1]
            dates = f" [{first.isoformat()}" + (f" … {last.isoformat()}, {len(self.dates)}" if len(self.dates) > 1 else "") + "]"
        policy = ""
        if self.policy_note:
            policy = (" (ОСЛАБЛЕНО политикой: " if self.loosened else " (изменено политикой: ") if lang == "ru" else \
                (" (LOOSENED by policy: " if self.loosened else " (changed by policy: ")
            policy += self.policy_note + ")"
        unverified = ""
        if self.confidence == "M":
            unverified = " [значение не подтверждено]" if lang == "ru" else " [unverified value]"
        return (f"{sev[0] if lang == 'ru' else sev[1]} {self.act}, {self.clause}{unverified}: "
                f"{', '.join(where)}{': ' if where else ''}{msg}{dates}{policy}")


def make_finding(norm: Norm, row: Row | None, field_name: str, message_ru: str, message_en: str,
                 severity: Severity | None = None, **where) -> Finding:
    """A finding against one norm row: severity follows the norm's binding flag and the value's confidence."""
    conf = row.confidence_of(field_name) if row is not None else norm.confidence
    return Finding(
        norm_key=norm.key, severity=severity or severity_of(norm, row, field_name), act=norm.act, clause=norm.clause,
        confidence=conf, message_ru=message_ru, message_en=message_en,
        policy_note=row.policy_note if row is not None else "", loosened=row.loosened if row is not None else False,
        **where)


def merge(findings: list[Finding]) -> list[Finding]:
    """Findings that differ only by date become one finding listing its dates."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        k = f.merge_key()
        if k in merged:
            prev = merged[k]
            merged[k] = replace(prev, dates=tuple(sorted(set(prev.dates) | set(f.dates))))
        else:
            merged[k] = f
    order = {"violation": 0, "warning": 1}
    return sorted(merged.values(), key=lambda f: (order[f.severity], f.class_id or "", f.dates[:1], f.norm_key,
                                                  f.weekday or 0, f.period or 0))


@dataclass
class AuditReport:
    findings: list[Finding]
    start: date
    end: date
    norm_sets: list[str] = field(default_factory=list)
    notices_en: list[str] = field(default_factory=list)  # coverage notes (e.g. an act not in force on some dates)
    notices_ru: list[str] = field(default_factory=list)
    policy: str = ""
    plan: bool = False  # a plan audit: only NEW violations (not already in the regular timetable) fail it

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def new_violations(self) -> list[Finding]:
        return [f for f in self.violations if not f.preexisting]

    @property
    def exit_code(self) -> int:
        return 1 if (self.new_violations if self.plan else self.violations) else 0

    def to_dict(self) -> dict:
        def count(severity: str, preexisting: bool) -> int:
            return sum(1 for f in self.findings if f.severity == severity and f.preexisting == preexisting)

        findings = [f.to_dict() for f in self.findings]
        if self.plan:
            for d in findings:
                d["status"] = "preexisting" if d["preexisting"] else "new"
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "norm_sets": self.norm_sets,
                "policy": self.policy, "plan": self.plan,
                "compliant": not (self.new_violations if self.plan else self.violations),
                "counts": {"violations": len(self.violations), "warnings": len(self.warnings),
                           "new_violations": count("violation", False),
                           "preexisting_violations": count("violation", True),
                           "new_warnings": count("warning", False), "preexisting_warnings": count("warning", True)},
                "notices": {"en": self.notices_en, "ru": self.notices_ru},
                "findings": findings}
