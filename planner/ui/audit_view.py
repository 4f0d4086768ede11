"""The audit report as tables: by severity with the clause, new or pre-existing, filters, XLSX export."""

from __future__ import annotations

import io

import pandas as pd

from planner.audit.findings import AuditReport
from planner.cells import text_workbook
from planner.school.model import WEEKDAY_NAMES_RU, School
from planner.ui.labels import SEVERITY_RU

COLUMNS = ["Уровень", "Статус", "Норма", "Достоверность", "Класс", "Группы", "Учитель", "День", "Урок №", "Даты",
           "Описание", "Политика"]


def findings_frame(school: School, report: AuditReport, *, classes: list[str] | None = None,
                   teachers: list[str] | None = None, weekdays: list[int] | None = None) -> pd.DataFrame:
    """One row per finding; classes/teachers by display name, weekdays 1–7; None = no filter."""
    cnames = {c.id: c.name for c in school.classes}
    tnames = {t.id: t.name for t in school.teachers}
    gnames = {g.id: g.name for c in school.classes for g in c.groups}
    rows = []
    for f in report.findings:
        cname = cnames.get(f.class_id or "", f.class_id or "")
        tname = tnames.get(f.teacher_id or "", f.teacher_id or "")
        days = {f.weekday} if f.weekday else {d.isoweekday() for d in f.dates}
        if classes and cname not in classes:
            continue
        if teachers and tname not in teachers:
            continue
        if weekdays and not (days & set(weekdays)):
            continue
        rows.append({
            "Уровень": SEVERITY_RU[f.severity],
            "Статус": ("прежнее" if f.preexisting else "новое") if report.plan else "",
            "Норма": f"{f.act}, {f.clause}" + (f" ({f.status_ru})" if f.status_ru else ""),
            "Достоверность": f.confidence + (" ⚠ не подтверждено" if f.confidence == "M" else ""),
            "Класс": cname, "Группы": ", ".join(gnames.get(g, g) for g in f.groups), "Учитель": tname,
            "День": WEEKDAY_NAMES_RU.get(f.weekday, "") if f.weekday else "",
            "Урок №": str(f.period) if f.period else "—",  # text: an empty number cell reads "None"
            "Даты": ", ".join(d.strftime("%d.%m") for d in f.dates[:8]) + (" …" if len(f.dates) > 8 else ""),
            "Описание": f.message_ru,
            "Политика": (("ОСЛАБЛЕНО: " if f.loosened else "изменено: ") + f.policy_note) if f.policy_note else "",
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame


def counts(report: AuditReport) -> dict[str, int]:
    out = {"Нарушения": len(report.violations), "Предупреждения": len(report.warnings)}
    if report.carried_findings:
        out["По нормам, утратившим силу"] = len(report.carried_findings)
    if report.plan:
        out["Новые нарушения"] = sum(1 for f in report.violations if not f.preexisting)
        out["Прежние нарушения"] = sum(1 for f in report.violations if f.preexisting)
    out["Неподтверждённые значения (M)"] = sum(1 for f in report.findings if f.confidence == "M")
    return out


def report_xlsx(school: School, report: AuditReport, title: str, extra: dict[str, pd.DataFrame] | None = None) -> bytes:
    """The report as an XLSX workbook: a summary sheet and the findings (and any extra sheets)."""
    summary = pd.DataFrame([{"Показатель": "Организация", "Значение": school.name},
                            {"Показатель": "Что проверено", "Значение": title},
                            {"Показатель": "Период", "Значение": f"{report.start:%d.%m.%Y}–{report.end:%d.%m.%Y}"},
                            {"Показатель": "Итог", "Значение": report.summary("ru")},
                            *({"Показатель": "Нормы по датам", "Значение": line}
                              for r in report.norm_ranges for line in r.lines("ru")),
                            *({"Показатель": "Толкование школы", "Значение": n} for n in report.interpretations_ru),
                            *({"Показатель": k, "Значение": str(v)} for k, v in counts(report).items()),
                            *({"Показатель": "Примечание", "Значение": n} for n in report.notices_ru)])
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        summary.to_excel(xw, sheet_name="Итог", index=False)
        findings_frame(school, report).to_excel(xw, sheet_name="Замечания", index=False)
        for name, frame in (extra or {}).items():
            frame.to_excel(xw, sheet_name=name[:31], index=False)
        text_workbook(xw.book)  # names from imported files stay text (planner.cells)
    return buf.getvalue()
