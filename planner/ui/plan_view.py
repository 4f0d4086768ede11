"""A plan as the page shows it: a week grid per class or per teacher (cell text, mode, changed), one lesson's
details and reasons, daily screen minutes against the cap, pupils without a device, teacher load, and the
lesson-by-lesson difference of two plans (by occurrence key and part)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.norms import NormLibrary
from planner.plan.model import Mode, Occurrence, Plan
from planner.school.model import WEEKDAY_NAMES_RU, School
from planner.ui.labels import ASYNC_RU, CHANGED_BORDER, MODE_COLOUR, MODE_ICON, MODE_RU, source_label
from planner.text import hand_in_ru

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler


@dataclass
class Grid:
    text: pd.DataFrame  # rows: regular times, columns: dates; cell text
    mode: pd.DataFrame  # same shape: the mode of the cell ("" for none; "mixed" for group halves differing)
    changed: pd.DataFrame  # same shape: bool, changed against the baseline (regular or published timetable)
    keys: pd.DataFrame  # same shape: list of "key#part" in the cell


CHANGED_MARK = "✎"  # put before a changed cell's text: the grid widget draws no cell borders


def _hm(dt: datetime | None) -> str:
    return dt.strftime("%H:%M") if dt is not None else ""


def changed(o: Occurrence) -> bool:
    """A change a pupil or teacher notices against the regular timetable: not in its regular slot as before."""
    if o.mode in ("async", "replaced", "cancelled") or o.teacher_changed or o.day_changed:
        return True
    return o.mode == "live" and o.start != o.regular_start  # a call is shorter than a lesson: not a change


def cell_text(o: Occurrence, subjects: dict[str, str], teachers: dict[str, str], groups: dict[str, str]) -> str:
    subj = subjects.get(o.subject_id, o.subject_id)
    grp = f" [{', '.join(groups.get(g, g) for g in o.groups)}]" if o.groups else ""
    who = ", ".join(teachers.get(t, t).split()[0] for t in o.teachers)
    part = f" ч.{o.part}" if o.parts > 1 else ""
    if o.mode == "live":
        when = f"{_hm(o.start)}–{_hm(o.end)} "
    elif o.mode == "async":
        when = ""
    else:
        when = f"{_hm(o.start)} " if o.start else ""
    return f"{MODE_ICON[o.mode]} {when}{subj}{part}{grp}" + (f" ({who})" if who else "")


def _names(school: School) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    subjects = {s.id: s.name for s in school.subjects}
    teachers = {t.id: t.name for t in school.teachers}
    groups = {g.id: g.name for c in school.classes for g in c.groups}
    classes = {c.id: c.name for c in school.classes}
    return subjects, teachers, groups, classes


def plan_grid(school: School, plan: Plan, *, class_id: str | None = None, teacher_id: str | None = None) -> Grid:
    """The plan's week(s) for one class (rows = regular lesson times) or one teacher (rows = times)."""
    subjects, teachers, groups, classes = _names(school)
    if class_id is not None:
        occs = [o for o in plan.occurrences if o.class_id == class_id]
    else:
        occs = [o for o in plan.occurrences if teacher_id in o.teachers or teacher_id in o.regular_teachers]
    cells: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
    rows: dict[str, time | None] = {}  # row label → its regular time (None: a lesson without one)
    cols: dict[str, date] = {}
    for o in occs:
        ref = o.regular_start or o.start
        row = f"{_hm(o.regular_start)}–{_hm(o.regular_end)}" if o.regular_start else _hm(o.start)
        rows.setdefault(row, ref.time() if ref else None)
        col = f"{WEEKDAY_NAMES_RU[o.date.isoweekday()]} {o.date:%d.%m}"
        cols.setdefault(col, o.date)
        cells[(row, col)].append(o)
    row_order = sorted(rows, key=lambda r: (rows[r] is None, rows[r] or time.min, r))
    col_order = sorted(cols, key=lambda c: cols[c])
    text = pd.DataFrame("", index=row_order, columns=col_order)
    mode = pd.DataFrame("", index=row_order, columns=col_order)
    chg = pd.DataFrame(False, index=row_order, columns=col_order)
    keys = pd.DataFrame("", index=row_order, columns=col_order)
    for (row, col), items in cells.items():
        items.sort(key=lambda o: (o.groups, o.part))
        fmt = []
        for o in items:
            t = cell_text(o, subjects, teachers, groups)
            if teacher_id is not None:
                t += f" · {classes.get(o.class_id, o.class_id)}"
                if teacher_id not in o.teachers:
                    others = [teachers.get(x, x) for x in o.teachers]
                    t += f" — ведёт {', '.join(others)}" if others else " — без учителя"
            fmt.append(t)
        text.loc[row, col] = " / ".join(fmt)
        if any(changed(o) for o in items):
            text.loc[row, col] = f"{CHANGED_MARK} {text.loc[row, col]}"
        modes = {o.mode.value for o in items}
        mode.loc[row, col] = modes.pop() if len(modes) == 1 else "mixed"
        chg.loc[row, col] = any(changed(o) for o in items)
        keys.loc[row, col] = " ".join(f"{o.key}#{o.part}" for o in items)
    text.index.name = "Обычное время"
    return Grid(text, mode, chg, keys)


def grid_styler(grid: Grid) -> Styler:
    """A pandas Styler: background by mode, a red border on cells changed against the baseline."""
    def style(_frame: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame("", index=grid.text.index, columns=grid.text.columns)
        for r in grid.text.index:
            for c in grid.text.columns:
                m = grid.mode.loc[r, c]
                css = []
                if m == "mixed":
                    css.append(f"background: linear-gradient(90deg, {MODE_COLOUR['live']} 50%, "
                               f"{MODE_COLOUR['async']} 50%); background-color: {MODE_COLOUR['live']}")
                elif m:
                    css.append(f"background-color: {MODE_COLOUR[m]}")
                css.append("color: #111111")
                if grid.changed.loc[r, c]:
                    css.append(f"border: {CHANGED_BORDER}; font-weight: bold")
                out.loc[r, c] = "; ".join(css)
        return out
    return grid.text.style.apply(style, axis=None)


def mode_counts(grid: Grid) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for v in grid.mode.to_numpy().ravel():
        if v:
            counts[v] += 1
    return dict(counts)


def lesson_choices(school: School, plan: Plan, class_id: str, day_label: str) -> dict[str, str]:
    """Display label -> 'key#part' for the class's lessons on the day shown as day_label (grid column)."""
    subjects, teachers, groups, _ = _names(school)
    out = {}
    for o in sorted((o for o in plan.occurrences if o.class_id == class_id
                     and f"{WEEKDAY_NAMES_RU[o.date.isoweekday()]} {o.date:%d.%m}" == day_label),
                    key=lambda o: (o.regular_start or o.start, o.groups, o.part)):
        label = f"{_hm(o.regular_start)} {cell_text(o, subjects, teachers, groups)}"
        while label in out:
            label += " "
        out[label] = f"{o.key}#{o.part}"
    return out


def occurrence(plan: Plan, key_part: str) -> Occurrence | None:
    key, _, part = key_part.rpartition("#")
    return next((o for o in plan.occurrences if o.key == key and o.part == int(part)), None)


def lesson_details(school: School, plan: Plan, key_part: str) -> dict[str, Any]:
    """What the page says about one lesson: mode, times, teachers, link, gymnastics, task and the reasons."""
    o = occurrence(plan, key_part)
    if o is None:
        return {}
    subjects, teachers, groups, classes = _names(school)
    info: dict[str, Any] = {"Урок": subjects.get(o.subject_id, o.subject_id), "Класс": classes.get(o.class_id, o.class_id),
            "Группы": ", ".join(groups.get(g, g) for g in o.groups) or "весь класс", "Форма": MODE_RU[o.mode],
            "Обычное время": f"{_hm(o.regular_start)}–{_hm(o.regular_end)}" if o.regular_start else "",
            "Время": f"{_hm(o.start)}–{_hm(o.end)}" if o.start else "", "Учитель": ", ".join(
                teachers.get(t, t) for t in o.teachers), "Учитель по расписанию": ", ".join(
                teachers.get(t, t) for t in o.regular_teachers), "Экранное время, мин": o.screen_minutes}
    if o.cover is not None:  # issue 14: who stands in for an absent teacher (never why the teacher is absent)
        info["Замена"] = o.cover.text_ru
    if o.link:  # a task has no call: its link is the class chat's
        info["Ссылка на звонок" if o.mode == Mode.LIVE else "Чат класса"] = o.link
    if o.gymnastics:
        info["Гимнастика"] = ", ".join(f"через {g.offset_minutes} мин — {g.minutes} мин" for g in o.gymnastics)
    if o.async_work:
        a = o.async_work
        info["Задание"] = (f"{ASYNC_RU.get(str(getattr(a.kind, 'value', a.kind)), 'задание')}: с {a.window_start:%d.%m %H:%M} до {a.window_end:%d.%m %H:%M}, "
                           f"{hand_in_ru(a.deadline, '%d.%m')}, {a.work_minutes} мин")
    info["Причины"] = [r.text_ru for r in o.reasons]
    info["Изменён"] = changed(o)
    return info


def screen_frame(school: School, plan: Plan, library: NormLibrary) -> pd.DataFrame:
    """Per class and date: the most screen minutes any pupil cell has (the auditor's own view of the plan) and
    the class's cap (policy screen_cap = budget − reserve) and budget (табл. 6.8)."""
    from planner.audit.plan_views import plan_class_days  # the auditor's reading of the plan

    most: dict[tuple[str, str], int] = defaultdict(int)
    for cd in plan_class_days(school, plan, library):
        if cd.day_type == "online_day":
            k = (cd.klass.id, cd.date.isoformat())
            most[k] = max(most[k], cd.screen_minutes)
    names = {c.id: c.name for c in school.classes}
    rows = []
    for day, by_class in plan.policies.items():
        for cid, pol in by_class.items():
            rows.append({"Класс": names.get(cid, cid), "class_id": cid, "Дата": day,
                         "Экран, мин": most.get((cid, day), 0), "Предел, мин": pol.screen_cap,
                         "Табл. 6.8, мин": pol.daily_budget.value})
    return pd.DataFrame(rows, columns=["Класс", "class_id", "Дата", "Экран, мин", "Предел, мин", "Табл. 6.8, мин"])


SUMMARY_NOTE = ("Только классы сценария. «Доля онлайн, %» — сколько уроков из дистанционных идут звонком "
                "(остальные — задания); «Изменения» — сколько раз ученики заметят перемену: число учеников "
                "каждого урока, у которого сменились учитель или день (смена дня считается трижды).")


def summary_frame(school: School, plan: Plan) -> pd.DataFrame:
    """Per class of the scenario (classes that stay in school are left out), in natural order."""
    from planner.ui.view import natural_key

    names = {c.id: c.name for c in school.classes}
    rows: list[dict[str, Any]] = [{"Класс": names.get(s.class_id, s.class_id), "Дней онлайн": s.online_days,
             "Уроков": s.parts, "Онлайн": s.live_parts, "Доля онлайн, %": int(round(s.live_share * 100)),
             "Онлайн, мин": s.live_minutes, "Экран макс., мин": s.max_screen_minutes,
             "Предел, мин": s.screen_cap, "Без допустимого устройства": s.pupils_without_device,
             "Изменения": int(round(s.perturbation))} for s in plan.summary if s.online_days > 0]
    rows.sort(key=lambda r: natural_key(r["Класс"]))
    return pd.DataFrame(rows, columns=["Класс", "Дней онлайн", "Уроков", "Онлайн", "Доля онлайн, %", "Онлайн, мин",
                                       "Экран макс., мин", "Предел, мин", "Без допустимого устройства",
                                       "Изменения"])


def policy_overrides_frame(school: School, plan: Plan) -> pd.DataFrame:
    """Values of the plan's policies that the scenario set or overrode (not norm defaults)."""
    names = {c.id: c.name for c in school.classes}
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for _day, by_class in plan.policies.items():
        for cid, pol in by_class.items():
            for fld in ("call_minutes", "reserve", "min_break", "latest_end", "gymnastics_interval",
                        "gymnastics_minutes", "async_work_minutes", "transition_buffer"):
                v = getattr(pol, fld)
                if v.source.kind == "scenario":
                    seen.setdefault((cid, fld), {"Класс": names.get(cid, cid), "Параметр": fld, "Значение": v.value,
                                                 "Источник": source_label(v.source)})
            for fld, src in (("devices", pol.devices_source), ("ready", pol.ready_source)):
                if src.kind != "school":
                    seen.setdefault((cid, fld), {"Класс": names.get(cid, cid), "Параметр": fld,
                                                 "Значение": str(getattr(pol, fld)), "Источник": source_label(src)})
    return pd.DataFrame(list(seen.values()), columns=["Класс", "Параметр", "Значение", "Источник"])


def teacher_load(school: School, plan: Plan) -> pd.DataFrame:
    names = {t.id: t.name for t in school.teachers}
    load: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for o in plan.occurrences:
        for t in o.teachers:
            load[t][o.mode.value] += 1
            if o.mode == "live" and o.start and o.end:
                load[t]["live_minutes"] += int((o.end - o.start).total_seconds() // 60)
    return pd.DataFrame([{"Учитель": names.get(t, t), "Онлайн": v["live"], "Онлайн, мин": v["live_minutes"],
                          "В школе": v["in_school"], "Замены": v["replaced"], "Заданий": v["async"]}
                         for t, v in sorted(load.items(), key=lambda kv: names.get(kv[0], kv[0]))])


def plan_diff(school: School, a: Plan, b: Plan) -> pd.DataFrame:
    """Lesson by lesson (occurrence key + part): what differs between plan a and plan b."""
    subjects, teachers, groups, classes = _names(school)
    ia = {(o.key, o.part): o for o in a.occurrences}
    ib = {(o.key, o.part): o for o in b.occurrences}

    def desc(o: Occurrence | None) -> str:
        if o is None:
            return "—"
        when = f" {_hm(o.start)}–{_hm(o.end)}" if o.start else ""
        who = ", ".join(teachers.get(t, t).split()[0] for t in o.teachers)
        return f"{MODE_RU[o.mode]}{when}" + (f" ({who})" if who else "")

    rows = []
    for k in sorted(set(ia) | set(ib), key=lambda k: (k[0].split("|")[0], k[0], k[1])):
        oa, ob = ia.get(k), ib.get(k)
        if oa is not None and ob is not None and (oa.mode, oa.start, oa.end, oa.teachers) == \
                (ob.mode, ob.start, ob.end, ob.teachers):
            continue
        o = oa or ob
        assert o is not None  # k is a key of one of the two plans
        rows.append({"Дата": o.date.strftime("%d.%m"), "Класс": classes.get(o.class_id, o.class_id),
                     "Урок": subjects.get(o.subject_id, o.subject_id) + (f" [{', '.join(groups.get(g, g) for g in o.groups)}]" if o.groups else ""),
                     "Обычно": _hm(o.regular_start), "План 1": desc(oa), "План 2": desc(ob), "Ключ": f"{k[0]}#{k[1]}"})
    return pd.DataFrame(rows, columns=["Дата", "Класс", "Урок", "Обычно", "План 1", "План 2", "Ключ"])
