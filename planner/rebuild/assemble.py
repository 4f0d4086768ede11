"""Turn a solved day into plan occurrences: call times with eye gymnastics, asynchronous work with its window
and deadline, in-school lessons and the replacements journal; then the per-class summary and perturbation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from planner.norms import NormsInForce
from planner.norms.hand_in import hand_in_days, hand_in_deadline
from planner.plan.model import (
    Alternative, AsyncWork, ClassSummary, Cover, Gymnastics, Mode, Occurrence, Plan, PlanNotice, ReasonText,
)
from planner.rebuild.parts import DayContext, Part, in_cell, pupils_of
from planner.rebuild.priority import subject_async_kind
from planner.scenario.model import ASYNC_KIND_RU, NO_HAND_IN_KINDS, AsyncKind, Scenario, TeacherStateKind
from planner.school.calendar import local_datetime
from planner.school.model import School, StudentClass

FORCED_TEXT = {
    "class_not_ready": ("класс не готов к дистанционному обучению (нет тестового звонка, чатов или подтверждения "
                        "устройств) — выдан альтернативный пакет заданий",
                        "the class is not ready for distance learning — the alternative package is given"),
    "no_device": ("ни у одного ученика нет разрешённого устройства (ПК, ноутбук, планшет) — альтернативный пакет",
                  "no pupil has a permitted device (PC, laptop, tablet) — alternative package"),
    "teacher_sick": ("учитель отсутствует — самостоятельная работа по материалам «Моей школы» и ЭЖ",
                     "the teacher is absent — self-study with «Моя школа» and e-journal materials"),
    "no_teacher": ("у урока нет учителя", "the lesson has no teacher"),
    "time_limit": ("решатель не успел за отведённое время — урок оставлен асинхронным",
                   "the solver ran out of time — the lesson stays asynchronous"),
}
# a sick teacher's part given as a task off the screen (family-facing: absent, never a health reason)
TEACHER_ABSENT_PAPER = ("учитель отсутствует — самостоятельная работа по заданию на бумаге",
                        "the teacher is absent — self-study with a paper task")


def gymnastics_offsets(length: int, interval: int, minutes: int) -> list[Gymnastics]:
    """Eye gymnastics so that no stretch of screen time inside a call exceeds `interval` minutes (СП 2.4.3648-20,
    п. 2.10.2); a call no longer than the interval still gets one, in its middle (004 §3.5: gymnastics «в ходе
    дистанционных учебных занятий», every call)."""
    out, at = [], interval
    while at < length:
        out.append(Gymnastics(offset_minutes=at, minutes=minutes))
        at += minutes + interval
    if not out and length > minutes:
        out.append(Gymnastics(offset_minutes=max(1, (length - minutes) // 2), minutes=minutes))
    return out


def physical_minutes(length: int, norms: NormsInForce, eyes: list[Gymnastics]) -> list[Gymnastics]:
    """Physical-activity minutes (физкультминутки; 004 §3.5, «упражнения для снятия напряжения с мышц тела»):
    one every "physical_minute.interval_minutes" of a call, "physical_minute.duration_minutes" long (planner
    defaults, confidence M). One that falls on an eye-gymnastics break follows it. None where the norms are
    not in force on the date."""
    interval_norm = norms.get("physical_minute.interval_minutes")
    duration_norm = norms.get("physical_minute.duration_minutes")
    interval_row = interval_norm.row() if interval_norm is not None else None
    duration_row = duration_norm.row() if duration_norm is not None else None
    if interval_row is None or duration_row is None:
        return []
    interval, minutes = int(interval_row.value()), int(duration_row.value())
    out, at = [], interval
    while at + minutes < length:
        place = at
        for g in eyes:
            if g.offset_minutes <= place < g.offset_minutes + g.minutes or \
                    place <= g.offset_minutes < place + minutes:
                place = g.offset_minutes + g.minutes
        if place + minutes <= length:
            out.append(Gymnastics(offset_minutes=place, minutes=minutes, kind="physical"))
        at = place + minutes + interval
    return out


def assemble_day(school: School, scenario: Scenario, day: DayContext, live: dict[int, int], covers: dict[int, str],
                 forced: dict[int, str], published_by_key: dict,
                 online_covers: dict[int, str] | None = None) -> list[Occurrence]:
    """The date's occurrences: the online classes' calls and tasks (an absent teacher's call given by the
    colleague in `online_covers`), then the in-school lessons and their cover (self-study supervised by a free
    adult, `name_supervisors`)."""
    # a combined lesson's call is as short as its strictest class needs
    call_len: dict[tuple[str, int], int] = {}
    for cid, parts in day.online.items():
        for p in parts:
            if p.uid in live:
                key = (p.lesson_id, p.part)
                call_len[key] = min(call_len.get(key, 10_000), day.policies[cid].call_minutes.value)
    hand_in_days(day.norms)  # the rule must be in force on the date (else a clear error)
    occ: list[Occurrence] = []
    for cid in day.online:
        own = light_subject_kinds(school, scenario, day, cid)
        kinds = _async_kinds(scenario, day, cid, live, call_len, own)
        occ.extend(with_absence_cover(school, scenario, day, p,
                                      _online_occurrence(school, scenario, day, p, live, call_len, kinds, forced, own),
                                      (online_covers or {}).get(p.uid))
                   for p in day.online[cid])
    supervisors = name_supervisors(school, scenario, day, covers, occ)
    occ.extend(with_supervisor(o, day, supervisors) for o in _in_school_occurrences(school, day, covers))
    return occ


def light_subject_kinds(school: School, scenario: Scenario, day: DayContext,
                        cid: str) -> dict[int, tuple[str, str, int]]:
    """The parts of the class whose subject has its own asynchronous kind in the norm data (norm
    "async.kind_by_subject": PE movement recommendations, music and art creative tasks, «Разговоры о важном» a
    class hour) and whose kind the scenario does not set itself: uid -> (kind, hand_in, hand_in_days)."""
    knobs, out = scenario.policy, {}
    names = {s.id: s.name for s in school.subjects}
    for p in day.online[cid]:
        if p.subject_id in knobs.async_kind_by_subject or (p.norm_key or "") in knobs.async_kind_by_subject:
            continue
        own = subject_async_kind(day.norms, p.norm_key, names.get(p.subject_id, p.subject_id))
        if own is not None:
            out[p.uid] = own
    return out


def _async_kinds(scenario: Scenario, day: DayContext, cid: str, live: dict[int, int],
                 call_len: dict[tuple[str, int], int],
                 own: dict[int, tuple[str, str, int]] | None = None) -> dict[int, str]:
    """The asynchronous kind of each part not live: the scenario's kind for its subject, else the subject's own
    kind from the norm data (`light_subject_kinds`), else the scenario's default; a kind with screen time turned
    into paper where it would take a pupil cell over the daily screen cap (табл. 6.8 less the reserve)."""
    knobs, pol, parts = scenario.policy, day.policies[cid], day.online[cid]
    own = own or {}
    kinds: dict[int, str] = {}
    for p in parts:
        if p.uid not in live:
            k = knobs.async_kind_by_subject.get(p.subject_id) or knobs.async_kind_by_subject.get(p.norm_key or "")
            kinds[p.uid] = (k or knobs.async_kind).value if k or p.uid not in own else own[p.uid][0]
    for cell in day.cells[cid]:
        members = day.cell_parts(cid, cell)
        used = sum(call_len[(p.lesson_id, p.part)] for p in members if p.uid in live)
        for p in members:
            if p.uid in kinds:
                screen = pol.async_screen[kinds[p.uid]]
                if screen and used + screen > pol.screen_cap:
                    kinds[p.uid] = AsyncKind.PAPER.value
                    screen = pol.async_screen[AsyncKind.PAPER.value]
                used += screen
    return kinds


def _online_occurrence(school: School, scenario: Scenario, day: DayContext, p: Part, live: dict[int, int],
                       call_len: dict, kinds: dict[int, str], forced: dict[int, str],
                       own: dict[int, tuple[str, str, int]] | None = None) -> Occurrence:
    """One part of an online class: a live call with its eye gymnastics, or asynchronous work with its window
    (to the class's regular end of day) and deadline (`async_deadline`)."""
    pol = day.policies[p.class_id]
    tz_day = day.date
    regular_start = local_datetime(school, tz_day, p.regular_start)
    common = dict(key=p.key, part=p.part, parts=p.parts, date=tz_day, class_id=p.class_id, groups=list(p.groups),
                  lesson_id=p.lesson_id, subject_id=p.subject_id, regular_start=regular_start,
                  regular_end=local_datetime(school, tz_day, p.regular_end), regular_teachers=list(p.teachers),
                  pupils=p.pupils, link=p.chat)
    if p.uid in live:
        length, start = call_len[(p.lesson_id, p.part)], live[p.uid]
        eyes = gymnastics_offsets(length, pol.gymnastics_interval.value, pol.gymnastics_minutes.value)
        return Occurrence(**common, mode=Mode.LIVE, start=local_datetime(school, tz_day, start),
                          end=local_datetime(school, tz_day, start + length), teachers=list(p.teachers),
                          gymnastics=sorted(eyes + physical_minutes(length, day.norms, eyes),
                                            key=lambda g: g.offset_minutes),
                          screen_minutes=length, alternative=alternative_for(school, scenario, day, p, start))
    sick = any(scenario.teacher_state(t, tz_day) == TeacherStateKind.SICK for t in p.teachers)
    kind = kinds[p.uid]
    reasons = []
    if p.uid in forced:
        ru, en = FORCED_TEXT[forced[p.uid]]
        if forced[p.uid] == "teacher_sick" and kind in LIGHT_KINDS:
            ru, en = _teacher_absent_light(kind)
        elif forced[p.uid] == "teacher_sick" and kind != AsyncKind.ONLINE_TASK.value:
            ru, en = TEACHER_ABSENT_PAPER  # the text matches the task kind: no «Моя школа» for a paper task
        reasons.append(ReasonText(code=forced[p.uid], text_ru=ru, text_en=en))
    # the window opens no earlier than the day window (never before 08:00) and closes at the class's regular end
    day_end = max(q.regular_end for q in day.online[p.class_id])
    window_start = max(p.regular_start, pol.earliest_start.value)
    window_end = max(day_end, window_start + pol.async_work_minutes.value)
    return Occurrence(**common, mode=Mode.ASYNC, teachers=[] if sick else list(p.teachers), teacher_changed=sick,
                      async_work=AsyncWork(kind=kind, window_start=local_datetime(school, tz_day, window_start),
                                           window_end=local_datetime(school, tz_day, window_end),
                                           deadline=async_deadline(school, day, p, kind, (own or {}).get(p.uid)),
                                           work_minutes=pol.async_work_minutes.value),
                      screen_minutes=pol.async_screen[kind], reasons=reasons)


LIGHT_KINDS = (AsyncKind.MOVEMENT.value, AsyncKind.CREATIVE.value, AsyncKind.CLASS_HOUR.value)


def _teacher_absent_light(kind: str) -> tuple[str, str]:
    """An absent teacher's light-subject part: the reason names its own kind (nothing on paper with a term)."""
    none = kind in NO_HAND_IN_KINDS
    return (f"учитель отсутствует — {ASYNC_KIND_RU[kind]}" + (", сдавать ничего не нужно" if none else ""),
            f"the teacher is absent — {kind.replace('_', ' ')}" + (", nothing to hand in" if none else ""))


def async_deadline(school: School, day: DayContext, p: Part, kind: str,
                   own: tuple[str, str, int] | None) -> date | None:
    """The hand-in date of an asynchronous part: none for a kind with nothing to hand in (PE movement
    recommendations, a class hour); the relaxed term of norm "async.kind_by_subject" for a light subject's own
    kind (a creative task); else the school's rule (norm "async.hand_in_days", planner.norms.hand_in)."""
    if kind in NO_HAND_IN_KINDS:
        return None
    if own is not None and own[0] == kind and own[1] == "relaxed":
        return hand_in_deadline(school, p.class_id, day.date, day.norms, days=own[2])
    return hand_in_deadline(school, p.class_id, day.date, day.norms)


def alternative_kind(scenario: Scenario, subject_id: str, norm_key: str | None, no_device: int) -> str:
    """004 §3.7, in its order: a recording where the teacher records (the scenario's asynchronous kind of the
    subject is a recording), else an online task in the e-journal / «Моя школа», else — when some of the pupils
    have no device at all — paper."""
    knobs = scenario.policy
    k = knobs.async_kind_by_subject.get(subject_id) or knobs.async_kind_by_subject.get(norm_key or "") \
        or knobs.async_kind
    if k == AsyncKind.RECORDING:
        return AsyncKind.RECORDING.value
    return AsyncKind.PAPER.value if no_device > 0 else AsyncKind.ONLINE_TASK.value


def alternative_for(school: School, scenario: Scenario, day: DayContext, p: Part, start: int) -> Alternative | None:
    """The paired alternative of a live part for the class's pupils with only a phone (no permitted device,
    004 §3.3), with no device, or with a written refusal (004 §3.7): counts from the class's device data,
    at most the part's pupils; window from the call's start to the class's last regular lesson of the day
    (or the call's end, if later); hand-in by the school's rule (planner.norms.hand_in); set by the call's
    teachers. None when the class has no such pupils."""
    devices = day.policies[p.class_id].devices
    phone, none, refusals = devices.phone, devices.none, devices.refusals
    total = phone + none + refusals
    if total <= 0:
        return None
    pupils = min(total, p.pupils) if p.pupils else total
    if pupils <= 0:
        return None
    day_end = max(q.regular_end for q in day.online[p.class_id])
    return Alternative(kind=alternative_kind(scenario, p.subject_id, p.norm_key, none), pupils=pupils,
                       phone_only=phone, no_device=none, refusals=refusals,
                       window_start=local_datetime(school, day.date, start),
                       window_end=local_datetime(school, day.date, max(day_end, start)),
                       deadline=hand_in_deadline(school, p.class_id, day.date, day.norms), set_by=list(p.teachers))


def _in_school_occurrences(school: School, day: DayContext, covers: dict[int, str]) -> list[Occurrence]:
    """The in-school classes' lessons; those of an absent teacher are replaced by the chosen substitute, or
    become supervised self-study."""
    tz_day = day.date
    occ = []
    cover_by_key = {c.key: c for c in day.covers}
    for cid, lessons in day.in_school.items():
        klass = school.class_by_id(cid)
        for d in lessons:
            key = str(d.key)
            start = local_datetime(school, tz_day, d.start_minute)
            end = local_datetime(school, tz_day, d.end_minute)
            groups = klass.own_groups(d.lesson.groups)
            common = dict(key=key, date=tz_day, class_id=cid, groups=list(groups), lesson_id=d.lesson.id,
                          subject_id=d.lesson.subject, start=start, end=end, regular_start=start, regular_end=end,
                          regular_teachers=list(d.lesson.teachers), pupils=pupils_of(klass, groups))
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


# ---------------------------------------------------------------- absent teachers: who stands in (issue 14)

ONLINE_COVER_TEXT = ("замена: учитель отсутствует, онлайн-урок ведёт учитель того же предмета",
                     "substitution: the teacher is absent; a teacher of the same subject gives the call")
CO_TEACHER_TEXT = ("один из учителей отсутствует — урок ведёт второй учитель",
                   "one of the teachers is absent; the other teacher gives the lesson")
TASK_SETTER_TEXT = ("учитель отсутствует — задание выдаёт и проверяет {role}",
                    "the teacher is absent; {role_en} sets and checks the task")
SETTER_ROLE = {"colleague": ("учитель того же предмета", "a teacher of the same subject"),
               "curator": ("классный руководитель", "the class teacher"),
               "deputy": ("заместитель директора по учебной работе", "the deputy head for teaching")}
NO_SETTER_TEXT = ("учитель отсутствует — некому выдать и проверить задание: назначьте учителя",
                  "the teacher is absent and nobody could be named to set and check the task: name a teacher")
SUPERVISOR_TEXT = ("учитель отсутствует, свободного учителя этого предмета нет — самостоятельная работа под "
                   "присмотром учителя, свободного в это время",
                   "the teacher is absent and no qualified teacher is free — self-study supervised by a teacher "
                   "free at that time")
NO_SUPERVISOR_TEXT = ("учитель отсутствует, свободного учителя этого предмета нет — самостоятельная работа; "
                      "свободного взрослого в здании в это время нет: назначьте дежурного",
                      "the teacher is absent and no qualified teacher is free — self-study; no free adult is in "
                      "the building at that time: name a supervisor")


def teaching_level(klass: StudentClass) -> str:
    """The level a teacher's qualification is read at: primary, basic, senior school, or college."""
    if klass.course is not None:
        return "college"
    assert klass.grade is not None  # the model holds exactly one of grade and course
    return "primary" if klass.grade <= 4 else "basic" if klass.grade <= 9 else "senior"


def _sick(scenario: Scenario, day: DayContext, teachers: Iterable[str]) -> list[str]:
    return [t for t in teachers if scenario.teacher_state(t, day.date) == TeacherStateKind.SICK]


def with_absence_cover(school: School, scenario: Scenario, day: DayContext, p: Part, o: Occurrence,
                       colleague: str | None) -> Occurrence:
    """An online part of a sick teacher, as the plan shows it: the live call given by the colleague who covers
    it (`rules.add_online_cover`), a co-taught lesson kept by its present teacher (only the absent one is
    dropped), or the asynchronous task set and checked by a named teacher (`task_setter`) — never an unnamed
    task without a notice. Other parts are returned as they are."""
    absent = _sick(scenario, day, p.teachers)
    if not absent:
        return o
    present = [t for t in p.teachers if t not in absent]
    if o.mode == Mode.LIVE:
        teachers = present + ([colleague] if colleague and colleague not in present else [])
        ru, en = ONLINE_COVER_TEXT if colleague else CO_TEACHER_TEXT
        cover = Cover(role="online" if colleague else "co_teacher", teacher=colleague or present[0],
                      absent=absent, text_ru=ru, text_en=en)
        alt = o.alternative.model_copy(update={"set_by": teachers}) if o.alternative else None
        return o.model_copy(update={"teachers": teachers, "teacher_changed": True, "cover": cover,
                                    "alternative": alt})
    if present:
        ru, en = CO_TEACHER_TEXT
        return o.model_copy(update={"teachers": present, "teacher_changed": True, "cover": Cover(
            role="co_teacher", teacher=present[0], absent=absent, text_ru=ru, text_en=en)})
    setter, who = task_setter(school, scenario, day, p)
    if setter is None:
        ru, en = NO_SETTER_TEXT
        return o.model_copy(update={"teachers": [], "teacher_changed": True,
                                    "cover": Cover(role="none", absent=absent, text_ru=ru, text_en=en)})
    role_ru, role_en = SETTER_ROLE[who]
    cover = Cover(role="task_setter", teacher=setter, absent=absent,
                  text_ru=TASK_SETTER_TEXT[0].format(role=role_ru), text_en=TASK_SETTER_TEXT[1].format(role_en=role_en))
    return o.model_copy(update={"teachers": [setter], "teacher_changed": True, "cover": cover})


def task_setter(school: School, scenario: Scenario, day: DayContext, p: Part) -> tuple[str | None, str]:
    """Who sets and checks the task of a part whose every teacher is absent (the teacher who sets the task
    checks the hand-in in the e-journal: regulation on Sferum use, 004 п. 3.7): a colleague of the same subject
    present that day — even one busy at that time, or off that day by the timetable, since a task is set ahead
    and checked later; first those at work then, then those who teach the subject at the class's level, then
    the fewest parts that day — else the class's curator, else the deputy head for teaching from the school's
    responsible persons (when one is a teacher of the school). (None, "") when nobody is present."""
    def present(t: str | None) -> bool:
        return t is not None and scenario.teacher_state(t, day.date) in (TeacherStateKind.AVAILABLE,
                                                                          TeacherStateKind.REMOTE_ONLY)
    load: dict[str, int] = defaultdict(int)
    for parts in day.online.values():
        for q in parts:
            for t in q.teachers:
                load[t] += 1
    level = teaching_level(school.class_by_id(p.class_id))
    at_level = {t for lesson in school.lessons if lesson.subject == p.subject_id for t in lesson.teachers
                if any(teaching_level(k) == level for k in school.classes if k.id in lesson.classes)}
    colleagues = sorted((t for t in school.teachers if t.id not in p.teachers and p.subject_id in t.subjects
                         and present(t.id)),
                        key=lambda t: (bool(p.weekday) and not t.available(p.weekday, p.period),
                                       t.id not in at_level, load[t.id], t.id))
    if colleagues:
        return colleagues[0].id, "colleague"
    curator = school.class_by_id(p.class_id).curator
    if present(curator):
        return curator, "curator"
    deputy = next((r.teacher_id for r in school.responsible
                   if r.role.value == "deputy_teaching" and present(r.teacher_id)), None)
    if deputy is not None:
        return deputy, "deputy"
    return None, ""


def name_supervisors(school: School, scenario: Scenario, day: DayContext, covers: dict[int, str],
                     occ: list[Occurrence]) -> dict[int, str]:
    """A free adult for each in-school lesson of an absent teacher that no substitute takes (supervised
    self-study): a teacher present that date who is in the building at that time (between the first and the
    last of the date's in-school lessons they teach or cover) and free then — no lesson, no cover, no
    supervision, no live call within the transition buffer (norm "teacher.transition_buffer_minutes"), not marked unavailable at that period. Greedy in time order, the
    least-used teacher first. Lessons left without one are reported by `absence_notices`."""
    busy: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for t, spans in day.in_school_busy.items():
        busy[t].extend(spans)
    for need in day.covers:
        if need.uid in covers:
            busy[covers[need.uid]].append((need.start, need.end))
    calls: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for o in occ:
        if o.mode == Mode.LIVE and o.start is not None and o.end is not None:
            buffer = day.policies[o.class_id].transition_buffer.value if o.class_id in day.policies else 0
            for t in o.teachers:
                calls[t].append((o.start.hour * 60 + o.start.minute - buffer,
                                 o.end.hour * 60 + o.end.minute + buffer))
    span = {t: (min(a for a, _ in s), max(b for _, b in s)) for t, s in busy.items() if s}
    for t, spans in calls.items():
        busy[t].extend(spans)  # a call, with the transition buffer either side, keeps the teacher busy
    building = {t: span[t] for t in day.in_school_busy if t in span}
    for need in day.covers:
        if need.uid in covers and covers[need.uid] in span:
            t = covers[need.uid]
            building[t] = span[t]
    used: dict[str, int] = defaultdict(int)
    out: dict[int, str] = {}
    alone = [n for n in day.covers if n.uid not in covers and not set(n.teachers) - set(n.absent)]
    for need in sorted(alone, key=lambda n: (n.start, n.uid)):
        free = []
        for t, (first, last) in building.items():
            if t in need.teachers or scenario.teacher_state(t, day.date) != TeacherStateKind.AVAILABLE:
                continue
            if not (first <= need.start and need.end <= last):
                continue
            if any(a < need.end and need.start < b for a, b in busy[t]):
                continue
            teacher = next((x for x in school.teachers if x.id == t), None)
            if teacher is not None and not teacher.available(need.weekday, need.period):
                continue
            free.append(t)
        if free:
            t = min(free, key=lambda x: (used[x], x))
            out[need.uid] = t
            used[t] += 1
            busy[t].append((need.start, need.end))
    return out


def with_supervisor(o: Occurrence, day: DayContext, supervisors: dict[int, str]) -> Occurrence:
    """An in-school occurrence with its cover named: the substitute, or self-study with the free adult who
    supervises it (`name_supervisors`), or — when there is none — self-study the plan's notices report."""
    if o.mode != Mode.REPLACED:
        return o
    need = next((n for n in day.covers if n.key == o.key), None)
    if need is None:
        return o
    absent = list(need.absent)
    sub = next((r.params.get("substitute") for r in o.reasons if r.code == "substitute"), None)
    if sub is not None:
        ru, en = o.reasons[0].text_ru, o.reasons[0].text_en
        return o.model_copy(update={"cover": Cover(role="substitute", teacher=str(sub), absent=absent,
                                                   text_ru=ru, text_en=en)})
    if set(need.teachers) - set(need.absent):  # co-taught: the present teacher keeps the lesson
        ru, en = CO_TEACHER_TEXT
        return o.model_copy(update={
            "reasons": [ReasonText(code="co_teacher", text_ru=ru, text_en=en)],
            "cover": Cover(role="co_teacher", teacher=o.teachers[0] if o.teachers else None, absent=absent,
                           text_ru=ru, text_en=en)})
    sup = supervisors.get(need.uid)
    ru, en = SUPERVISOR_TEXT if sup else NO_SUPERVISOR_TEXT
    reasons = [r.model_copy(update={"text_ru": ru, "text_en": en, "params": {"supervisor": sup} if sup else {}})
               if r.code == "supervised_self_study" else r for r in o.reasons]
    teachers = list(o.teachers) + ([sup] if sup and sup not in o.teachers else [])
    return o.model_copy(update={"teachers": teachers, "reasons": reasons, "cover": Cover(
        role="supervisor" if sup else "none", teacher=sup, absent=absent, text_ru=ru, text_en=en)})


def absence_notices(school: School, occurrences: list[Occurrence]) -> list[PlanNotice]:
    """The plan's amber notices for absent teachers' lessons nobody could be named for (an asynchronous task
    without a teacher to set it, self-study without a free adult), with class, date and time — never silent."""
    out = []
    college = str(school.kind) == "college"  # a college's notice reads преподаватель and «в колледже»
    teacher, teacher_acc, here = ("преподаватель", "преподавателя", "в колледже") if college else \
        ("учитель", "учителя", "в школе")
    for o in occurrences:
        if o.cover is None or o.cover.role != "none":
            continue
        name = school.class_by_id(o.class_id).name
        subject = next((s.name for s in school.subjects if s.id == o.subject_id), o.subject_id)
        start = o.start or o.regular_start
        end = o.end or o.regular_end
        when = f"{o.date:%d.%m} {start:%H:%M}–{end:%H:%M}" if start and end else f"{o.date:%d.%m}"
        if o.mode == Mode.ASYNC:
            code = "task_without_teacher"
            ru = f"{name}, {when}, {subject}: {teacher} отсутствует, задание выдать и проверить некому — " \
                 f"назначьте {teacher_acc}"
            en = f"{o.class_id}, {when}, {o.subject_id}: the teacher is absent and nobody is named to set the task"
        else:
            code = "self_study_without_supervisor"
            ru = f"{name}, {when}, {subject}: самостоятельная работа {here} без присмотра — свободного взрослого нет, " \
                 f"назначьте дежурного"
            en = f"{o.class_id}, {when}, {o.subject_id}: self-study in the building with no free adult to supervise it"
        out.append(PlanNotice(code=code, class_id=o.class_id, date=o.date, start=start, end=end,
                              lesson_id=o.lesson_id, text_ru=ru, text_en=en))
    return out


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
