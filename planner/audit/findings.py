"""Typed audit findings: a norm key, severity, clause, where it happened, and a message in Russian and English."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any, Literal

from planner.norms import Norm, Row, severity_of
from planner.text import plural_form as ru_plural

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
    norm_status: str = "in_force"  # in_force / carried_by_other / carried_over (planner.norms.data)
    status_ru: str = ""  # e.g. «СП 2.4.3648-20 утратил силу 01.01.2027; значение применяется как норматив школы …»
    status_en: str = ""

    @property
    def carried_over(self) -> bool:
        return self.norm_status == "carried_over"

    def merge_key(self) -> tuple[object, ...]:
        """What makes two findings one fact: all but the dates and the groups (pupil cells). A class with
        sub-groups is audited per pupil cell, so the same breach is seen once per cell combination; it is
        reported once, naming every group it was seen in."""
        return (self.norm_key, self.class_id, self.teacher_id, self.weekday, self.lesson_id,
                self.period, self.message_en, self.policy_note, self.preexisting, self.norm_status, self.act)

    def match_keys(self) -> set[tuple[object, ...]]:
        """What makes a plan finding 'the same breach' as one of the regular timetable: the norm, the class,
        the teacher, the timetable weekday, the lesson and the bell period, on a shared date. Groups and
        the message (which carries the measured numbers) are left out, so a breach the plan keeps at the same
        place counts as pre-existing even when its numbers changed."""
        base = (self.norm_key, self.class_id, self.teacher_id, self.weekday, self.lesson_id, self.period)
        return {(*base, d) for d in self.dates}

    def to_dict(self) -> dict[str, Any]:
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
        status = ""
        if self.status_ru or self.status_en:
            status = f" ({self.status_ru if lang == 'ru' else self.status_en})"
        return (f"{sev[0] if lang == 'ru' else sev[1]} {self.act}, {self.clause}{unverified}{status}: "
                f"{', '.join(where)}{': ' if where else ''}{msg}{dates}{policy}")


def make_finding(norm: Norm, row: Row | None, field_name: str, message_ru: str, message_en: str,
                 severity: Severity | None = None, **where: Any) -> Finding:
    """A finding against one norm row: severity follows the norm's binding flag and the value's confidence."""
    conf = row.confidence_of(field_name) if row is not None else norm.confidence
    return Finding(
        norm_key=norm.key, severity=severity or severity_of(norm, row, field_name), act=norm.act, clause=norm.clause,
        confidence=conf, message_ru=message_ru, message_en=message_en,
        policy_note=row.policy_note if row is not None else "", loosened=row.loosened if row is not None else False,
        norm_status=norm.status, status_ru=norm.status_ru, status_en=norm.status_en, **where)


def merge(findings: list[Finding]) -> list[Finding]:
    """Findings that differ only by date or by pupil cell become one finding listing its dates and groups."""
    merged: dict[tuple[object, ...], Finding] = {}
    for f in findings:
        k = f.merge_key()
        if k in merged:
            prev = merged[k]
            merged[k] = replace(prev, dates=tuple(sorted(set(prev.dates) | set(f.dates))),
                                groups=() if not prev.groups or not f.groups  # () = the whole class
                                else tuple(sorted(set(prev.groups) | set(f.groups))))
        else:
            merged[k] = f
    order = {"violation": 0, "warning": 1}
    return sorted(merged.values(), key=lambda f: (order[f.severity], f.class_id or "", f.dates[:1], f.norm_key,
                                                  f.weekday or 0, f.period or 0))


@dataclass(frozen=True)
class NormRange:
    """The status of the norm sets over a run of consecutive dates: the acts in force, the lapsed acts carried
    over as school policy, the values kept binding through another act, and the unverified values."""

    start: date
    end: date
    in_force: tuple[str, ...]  # acts
    carried_over: tuple[tuple[str, date], ...]  # (act, date it ceased to apply)
    carried_by_other: tuple[tuple[str, str], ...]  # (ru, en): «Начало занятий не ранее — СанПиН …, табл. 6.6»
    carried_values: tuple[tuple[str, str], ...]  # (ru, en) titles of values applied as the school's norms
    unverified: tuple[tuple[str, str], ...]  # (ru, en) titles of unverified (M) values
    carried_binding: bool = False  # the school policy makes carried-over values binding

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "in_force": list(self.in_force),
                "carried_over": [{"act": a, "ceased": d.isoformat()} for a, d in self.carried_over],
                "carried_by_other": [ru for ru, _ in self.carried_by_other],
                "carried_values": [ru for ru, _ in self.carried_values],
                "unverified": [ru for ru, _ in self.unverified], "carried_binding": self.carried_binding}

    def lines(self, lang: str = "en") -> list[str]:
        span = (f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}" if lang == "ru"
                else f"{self.start.isoformat()} … {self.end.isoformat()}")
        i = 0 if lang == "ru" else 1

        def join(items: tuple[tuple[str, str], ...]) -> str:
            return "; ".join(x[i] for x in items)

        if lang == "ru":
            out = [f"{span}: действуют {', '.join(self.in_force) or 'ни один акт'}"]
            for act, d in self.carried_over:
                out.append(f"  {act} утратил силу {d:%d.%m.%Y}; его значения применяются как норматив школы до "
                           f"утверждения нового акта" + (" (обязательны по политике школы)" if self.carried_binding
                                                         else " (замечания — предупреждения)"))
            if self.carried_by_other:
                out.append("  остаются обязательными по действующему акту: " + join(self.carried_by_other))
            if self.carried_values:
                out.append("  применяются как норматив школы: " + join(self.carried_values))
            if self.unverified:
                out.append("  значения не подтверждены: " + join(self.unverified))
            return out
        out = [f"{span}: in force: {', '.join(self.in_force) or 'no act'}"]
        for act, d in self.carried_over:
            out.append(f"  {act} ceased to apply on {d.isoformat()}; its values apply as the school's own norms "
                       f"until a new act is adopted" + (" (binding by the school policy)" if self.carried_binding
                                                        else " (findings are warnings)"))
        if self.carried_by_other:
            out.append("  still binding through an act in force: " + join(self.carried_by_other))
        if self.carried_values:
            out.append("  applied as the school's norms: " + join(self.carried_values))
        if self.unverified:
            out.append("  unverified values: " + join(self.unverified))
        return out


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
    norm_ranges: list[NormRange] = field(default_factory=list)
    interpretations_ru: list[str] = field(default_factory=list)  # the school's readings of open norm questions
    interpretations_en: list[str] = field(default_factory=list)

    @property
    def carried_findings(self) -> list[Finding]:
        """Findings against values carried over from a lapsed act (warnings unless the policy makes them bind)."""
        return [f for f in self.findings if f.carried_over]

    def summary(self, lang: str = "en") -> str:
        """The summary line; never a bare «0 нарушений» when findings against lapsed acts exist."""
        v, carried = len(self.violations), len(self.carried_findings)
        other = len([f for f in self.warnings if not f.carried_over])
        if lang == "ru":
            head = f"{v} {ru_plural(v, 'нарушение', 'нарушения', 'нарушений')}"
            if carried:
                head += " действующих норм" if not any(f.severity == "violation" for f in self.carried_findings) \
                    else " (с нормами, утратившими силу, обязательными по политике школы)"
                head += (f"; {carried} {ru_plural(carried, 'замечание', 'замечания', 'замечаний')} по нормам, "
                         f"утратившим силу")
            head += f"; {other} {ru_plural(other, 'предупреждение', 'предупреждения', 'предупреждений')}"
            if self.plan:
                nv = len(self.new_violations)
                head += f" ({nv} {ru_plural(nv, 'новое нарушение', 'новых нарушения', 'новых нарушений')})"
            return head
        head = f"{v} violation{'s' if v != 1 else ''}"
        if carried:
            head += " of norms in force" if not any(f.severity == "violation" for f in self.carried_findings) \
                else " (lapsed norms made binding by the school policy included)"
            head += f"; {carried} finding{'s' if carried != 1 else ''} against norms that ceased to apply"
        head += f"; {other} warning{'s' if other != 1 else ''}"
        if self.plan:
            head += f" ({len(self.new_violations)} new violations)"
        return head

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

    def to_dict(self) -> dict[str, Any]:
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
                "carried_over_findings": len(self.carried_findings),
                "summary": {"en": self.summary("en"), "ru": self.summary("ru")},
                "norm_ranges": [r.to_dict() for r in self.norm_ranges],
                "interpretations": {"en": self.interpretations_en, "ru": self.interpretations_ru},
                "notices": {"en": self.notices_en, "ru": self.notices_ru},
                "findings": findings}
