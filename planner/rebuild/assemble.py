"""Turn a solved day into plan occurrences: call times with eye gymnastics, asynchronous work with its window
and deadline, in-school lessons and the replacements journal; then the per-class summary and perturbation."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from planner.errors import InputError
from planner.plan.model import AsyncWork, ClassSummary, Gymnastics, Mode, Occurrence, Plan, ReasonText
from planner.rebuild.parts import DayInput, in_cell, pupils_of
from planner.scenario.model import AsyncKind, Scenario, TeacherStateKind
from planner.school.calendar import local_datetime, timetable_weekday
from planner.school.model import School

FORCED_TEXT = {
    "class_not_ready": ("класс не готов к дистанционному обучению (нет тестового звонка, чатов или подтверждения "
                        "устройств) — выдан альтернативный пакет заданий",
                        "the class is not ready for distance learning — the alternative package is given"),
    "no_device": ("ни у одного ученика нет разрешённого устройства (ПК, ноутбук, планшет) — альтернативный пакет",
                  "no pupil has a permitted device (PC, laptop, tablet) — alternative package"),
    "teacher_sick": ("учитель болеет — самостоятельная работа по материалам «Моей школы» и ЭЖ",
                     "the teacher is sick — self-study with «Моя школа» and e-journal materials"),
    "no_teacher": ("у урока нет учителя", "the lesson has no teacher"),
    "time_limit": ("решатель не успел за отведённое время — урок оставлен асинхронным",
                   "the solver ran out of time — the lesson stays asynchronous"),
}


def gymnastics_offsets(length: int, interval: int, minutes: int) -> list[Gymnastics]:
    """Eye gymnastics so that no stretch of screen time inside a call exceeds `interval` minutes."""
    out, at = [], interval
    while at < length:
        out.append(Gymnastics(offset_minutes=at, minutes=minutes))
        at += minutes + interval
    return out


def school_days_after(school: School, class_id: str, day: date, count: int) -> date:
    klass = school.class_by_id(class_id)
    d, found = day, 0
    for _ in range(60):
        d += timedelta(days=1)
        if timetable_weekday(school, klass, d) is not None:
            found += 1
            if found >= count:
                return d
    return d


def _link(school: School, class_id: str, subject_id: str) -> str | None:
    calls = [c for c in school.chats if c.chat_kind in ("class", "subject")]  # never the parents' chat
    exact = next((c.invite_link for c in calls if c.class_id == class_id and c.subject_id == subject_id), None)
    return exact or next((c.invite_link for c in calls if c.class_id == class_id and c.subject_id is None), None)


def _hand_in_days(day: DayInput) -> int:
    norm = day.norms.get("async.hand_in_school_days")
    if norm is None or norm.row() is None:
        raise InputError(f"norm 'async.hand_in_school_days' is not in force on {day.date}",
                         f"норма «async.hand_in_school_days» не действует на {day.date:%d.%m.%Y}")
    return int(norm.row().value())


def assemble_day(school: School, scenario: Scenario, day: DayInput, live: dict[int, int], covers: dict[int, str],
                 forced: dict[int, str], published_by_key: dict) -> list[Occurrence]:
    tz_day = day.date
    occ: list[Occurrence] = []
    hand_in = _hand_in_days(day)
    knobs = scenario.policy
    # a combined lesson's call is as short as its strictest class needs
    call_len: dict[tuple[str, int], int] = {}
    for cid, parts in day.online.items():
        for p in parts:
            if p.uid in live:
                key = (p.lesson_id, p.part)
                call_len[key] = min(call_len.get(key, 10_000), day.policies[cid].call_minutes.value)

    for cid, parts in day.online.items():
        pol = day.policies[cid]
        day_end = max(p.regular_end for p in parts)
        # asynchronous kinds within the screen cap of every pupil cell
        kinds: dict[int, str] = {}
        for p in parts:
            if p.uid not in live:
                k = knobs.async_kind_by_subject.get(p.subject_id) or knobs.async_kind_by_subject.get(p.norm_key or "")
                kinds[p.uid] = (k or knobs.async_kind).value
        for cell in day.cells[cid]:
            members = [p for p in parts if in_cell(p.groups, cell)]
            used = sum(call_len[(p.lesson_id, p.part)] for p in members if p.uid in live)
            for p in members:
                if p.uid in kinds:
                    screen = pol.async_screen[kinds[p.uid]]
                    if used + screen > pol.screen_cap:
                        kinds[p.uid] = AsyncKind.PAPER.value
                        screen = pol.async_screen[AsyncKind.PAPER.value]
                    used += screen
        for p in parts:
            regular_start = local_datetime(school, tz_day, p.regular_start)
            regular_end = local_datetime(school, tz_day, p.regular_end)
            common = dict(key=p.key, part=p.part, parts=p.parts, date=tz_day, class_id=cid, groups=list(p.groups),
                          lesson_id=p.lesson_id, subject_id=p.subject_id, regular_start=regular_start,
                          regular_end=regular_end, regular_teachers=list(p.teachers), pupils=p.pupils,
                          link=_link(school, cid, p.subject_id))
            if p.uid in live:
                length = call_len[(p.lesson_id, p.part)]
                start = live[p.uid]
                occ.append(Occurrence(
                    **common, mode=Mode.LIVE, start=local_datetime(school, tz_day, start),
                    end=local_datetime(school, tz_day, start + length), teachers=list(p.teachers),
                    gymnastics=gymnastics_offsets(length, pol.gymnastics_interval.value,
                                                  pol.gymnastics_minutes.value),
                    screen_minutes=length))
            else:
                sick = any(scenario.teacher_state(t, tz_day) == TeacherStateKind.SICK for t in p.teachers)
                kind = kinds[p.uid]
                reasons = []
                if p.uid in forced:
                    ru, en = FORCED_TEXT[forced[p.uid]]
                    reasons.append(ReasonText(code=forced[p.uid], text_ru=ru, text_en=en))
                occ.append(Occurrence(
                    **common, mode=Mode.ASYNC, teachers=[] if sick else list(p.teachers),
                    teacher_changed=sick,
                    async_work=AsyncWork(kind=kind, window_start=regular_start,
                                         window_end=local_datetime(school, tz_day, day_end),
                                         deadline=school_days_after(school, cid, tz_day, hand_in),
                                         work_minutes=pol.async_work_minutes.value),
                    screen_minutes=pol.async_screen[kind], reasons=reasons))

    cover_by_key = {c.key: c for c in day.covers}
    for cid, lessons in day.in_school.items():
        klass = school.class_by_id(cid)
        for d in lessons:
            key = str(d.key)
            start = local_datetime(school, tz_day, d.start_minute)
            end = local_datetime(school, tz_day, d.end_minute)
            common = dict(key=key, date=tz_day, class_id=cid, groups=list(klass.own_groups(d.lesson.groups)), lesson_id=d.lesson.id,
                          subject_id=d.lesson.subject, start=start, end=end, regular_start=start, regular_end=end,
                          regular_teachers=list(d.lesson.teachers), pupils=pupils_of(klass, klass.own_groups(d.lesson.groups)))
            need = cover_by_key.get(key)
            if need is None:
                occ.append(Occurrence(**common, mode=Mode.IN_SCHOOL, teachers=list(d.lesson.teachers)))
                continue
            present = [t for t in d.lesson.teachers if t not in need.absent]
            sub = covers.get(need.uid)
            if sub is not None:
                occ.append(Occurrence(**common, mode=Mode.REPLACED, teachers=present + [sub], teacher_changed=True,
                                      reasons=[ReasonText(code="substitute", params={"substitute": sub},
                                                          text_ru="замена: учитель отсутствует, урок ведёт "
                                                                  "учитель того же предмета",
                                                          text_en="substitution: the teacher is absent; a teacher "
                                                                  "of the same subject covers")]))
            else:
                occ.append(Occurrence(**common, mode=Mode.REPLACED, teachers=present, teacher_changed=True,
                                      reasons=[ReasonText(code="supervised_self_study",
                                                          text_ru="учитель отсутствует, свободного учителя этого "
                                                                  "предмета нет — самостоятельная работа под "
                                                                  "присмотром дежурного",
                                                          text_en="the teacher is absent and no qualified teacher "
                                                                  "is free — supervised self-study")]))
    return occ


def changed_since(o: Occurrence, before: Occurrence | None) -> bool:
    """What a subscriber of the published plan sees change: mode, times or teachers (or a new occurrence)."""
    return before is None or (o.mode, o.start, o.end, sorted(o.teachers)) != \
        (before.mode, before.start, before.end, sorted(before.teachers))


def summarise(school: School, plan: Plan, published: Plan | None = None) -> Plan:
    """Per-class live share, screen minutes and perturbation (UniTime-style: weighted count of occurrences whose
    day or teacher changed, times the pupils affected; against a published plan, any change a subscriber sees).
    Live time and the live/async status are one quantity, counted by the live share, not as perturbation."""
    before = {(o.key, o.part): o for o in published.occurrences} if published else None
    by_class: dict[str, list[Occurrence]] = defaultdict(list)
    for o in plan.occurrences:
        by_class[o.class_id].append(o)
    summaries = []
    total = 0.0
    for cid, occs in sorted(by_class.items()):
        online = [o for o in occs if o.mode in (Mode.LIVE, Mode.ASYNC)]
        live = [o for o in online if o.mode == Mode.LIVE]
        if before is None:
            pert = sum(o.pupils * (3 if o.day_changed else 1) for o in occs if o.teacher_changed or o.day_changed)
        else:
            pert = sum(o.pupils for o in occs if changed_since(o, before.get((o.key, o.part))))
        screen: dict[tuple, int] = defaultdict(int)
        klass = school.class_by_id(cid)
        for cell in klass.pupil_cells():
            for o in online:
                if in_cell(tuple(o.groups), cell):
                    screen[(o.date, cell)] += o.screen_minutes
        pols = [p for d in plan.policies.values() for c, p in d.items() if c == cid]
        summaries.append(ClassSummary(
            class_id=cid, online_days=len({o.date for o in online}), parts=len(online), live_parts=len(live),
            live_minutes=sum(o.screen_minutes for o in live),
            live_share=round(len(live) / len(online), 3) if online else 0.0,
            max_screen_minutes=max(screen.values(), default=0),
            screen_cap=min((p.screen_cap for p in pols), default=0),
            pupils_without_device=max((p.pupils_without_device for p in pols), default=0), perturbation=pert))
        total += pert
    return plan.model_copy(update={"summary": summaries, "perturbation_total": total})
