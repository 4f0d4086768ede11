"""The solver's rules, one named builder each: the hard rules add constraints to a `CallModel`, the objective
terms return `(expression)` lists that `solve_component` adds up at the end.

Every builder works on the variables of one component (`CallModel`) and cites the norm it stands for; the
values themselves (call length, screen cap, minimum break, window, buffer) were resolved from the norm data and
the scenario's knobs before the model is built (`planner.scenario.policy.class_policy`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.rebuild.parts import CoverNeed, Part

GRID = 5  # minutes: the distance bell grid
W_FLOOR = 2_000_000  # per part that meets a subject floor still open
W_COVER = 1_000_000  # per in-school lesson covered by a qualified substitute
W_LIVE = 100  # per live minute, times the subject priority (percent)
W_KEEP = 50_000  # per call of the published plan kept live (re-planning)
W_KEEP_TIME = 5_000  # per call kept at its published start
W_DIFFICULTY = 10  # per difficulty point of a live part
W_FLOOR_EARLY = 1_000  # per live part of a subject whose floor is still open (outweighs difficulty, not priority)
W_INVERSION = 400  # per hard lesson asynchronous beside a live light one of the same pupils (below any call's value)
W_CLASS_HOUR = 3_000_000  # per class hour asynchronous while its class has a call that day (above a floor's call)
W_COVER_RANK = 5  # per rank of the colleague chosen to cover a live call (0 = the best placed colleague)


@dataclass
class CallSpec:
    """One call: the parts (of one or several classes: a combined lesson) it serves."""

    parts: list[Part]
    length: int
    window: tuple[int, int]  # allowed start range, inclusive
    forbidden: list[tuple[int, int]]  # start ranges excluded by the teachers' in-school lessons (buffer included)
    priority: int  # percent
    difficulty: int
    published_live: bool | None = None
    published_start: int | None = None
    hardness: str | None = None  # "hard" / "light" on the difficulty scale (planner.rebuild.priority)
    class_hour: bool = False  # a class hour («Разговоры о важном», norm "async.kind_by_subject")
    absent: tuple[str, ...] = ()  # regular teachers absent on the date: they give no call
    cover_candidates: list[str] = field(default_factory=list)  # colleagues who may take the call, best first
    cover_busy: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # candidate -> in-school spans

    @property
    def name(self) -> str:
        return f"{self.parts[0].key}#{self.parts[0].part}"

    @property
    def chats(self) -> list[str]:
        """The chats the call takes place in (a combined lesson: each class's chat)."""
        return sorted({p.chat for p in self.parts if p.chat})


@dataclass
class CoverSpec:
    need: CoverNeed
    candidates: list[str]  # qualified, free substitutes


@dataclass
class Cell:
    """One pupil cell of a class on the date: its parts in regular order and its resolved limits."""

    parts: list[Part]
    screen_cap: int  # table 6.8 daily budget less the reserve
    min_break: int


@dataclass
class CallModel:
    """The variables of one component: per call a live literal, a start and an optional interval."""

    model: cp_model.CpModel
    calls: list[CallSpec]
    live: dict[int, cp_model.IntVar] = field(default_factory=dict)
    start: dict[int, cp_model.IntVar] = field(default_factory=dict)
    interval: dict[int, cp_model.IntervalVar] = field(default_factory=dict)
    call_of: dict[int, int] = field(default_factory=dict)  # part uid -> call index
    substitute: dict[tuple[int, str], cp_model.IntVar] = field(default_factory=dict)  # (cover uid, teacher)
    inversion: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (hard, light) call indices
    class_hour_missed: dict[int, cp_model.IntVar] = field(default_factory=dict)  # class-hour call index
    online_cover: dict[tuple[int, str], cp_model.IntVar] = field(default_factory=dict)  # (call index, colleague)

    def teachers_calls(self) -> dict[str, list[int]]:
        """Call indices per teacher of the calls that can be live (an absent teacher gives none)."""
        out: dict[str, list[int]] = {}
        for ci in self.live:
            absent = set(self.calls[ci].absent)
            for t in sorted({t for p in self.calls[ci].parts for t in p.teachers} - absent):
                out.setdefault(t, []).append(ci)
        return out


def allowed_starts(call: CallSpec) -> list[int]:
    """Day window and buffer to in-school lessons (СП 2.4.3648-20, п. 3.4.16 — norms "day.earliest_start" and
    "day.latest_end"; the distance recommendation "distance.latest_end"; the planner's default transition buffer
    "teacher.transition_buffer_minutes"): the start minutes on the grid inside the call's window and outside
    every open range its teachers' in-school lessons exclude (buffer included)."""
    lo, hi = call.window
    first = -(-lo // GRID) * GRID
    return [x for x in range(first, hi + 1, GRID) if not any(a < x < b for a, b in call.forbidden)]


def new_call_model(model: cp_model.CpModel, calls: list[CallSpec]) -> CallModel:
    """A live literal, a start on the allowed grid (`allowed_starts`) and an optional interval per call that can
    be live at all; hints keep the published start, else the start nearest the regular one."""
    v = CallModel(model, calls)
    for ci, c in enumerate(calls):
        allowed = allowed_starts(c)
        if not allowed:
            continue
        live = model.new_bool_var(f"live[{c.name}]")
        start = model.new_int_var_from_domain(cp_model.Domain.from_values(allowed), f"start[{c.name}]")
        v.live[ci], v.start[ci] = live, start
        v.interval[ci] = model.new_optional_fixed_size_interval_var(start, c.length, live, f"call[{c.name}]")
        for p in c.parts:
            v.call_of[p.uid] = ci
        hint = c.published_start if c.published_start in allowed else \
            min(allowed, key=lambda x: abs(x - c.parts[0].regular_start))
        model.add_hint(start, hint)
        model.add_hint(live, bool(c.published_live) if c.published_live is not None else True)
    return v


def _cell_calls(v: CallModel, cell: Cell) -> list[int]:
    """The call indices of a cell's parts, in the regular order, each once."""
    return list(dict.fromkeys(v.call_of[p.uid] for p in cell.parts if p.uid in v.call_of))


def add_cell_order_and_breaks(v: CallModel, cells: list[Cell]) -> None:
    """Pupil-cell order and breaks (СП 2.4.3648-20, п. 3.4.16 — norm "breaks.min_minutes"; the distance
    recommendation of Роспотребнадзор, 2020 — "distance.break_min_minutes"): two live calls of one pupil cell keep the regular order of the
    lessons, the later one starting at least the cell's minimum break after the earlier one ends."""
    for cell in cells:
        idx = _cell_calls(v, cell)
        for pos, a in enumerate(idx):
            for b in idx[pos + 1:]:
                v.model.add(v.start[b] >= v.start[a] + v.calls[a].length + cell.min_break).only_enforce_if(
                    [v.live[a], v.live[b]])


def add_screen_cap(v: CallModel, cells: list[Cell]) -> None:
    """Daily screen cap (СанПиН 1.2.3685-21, табл. 6.8 — norm "eso.table_6_8", the scenario's budget column,
    less the reserve "screen.reserve_minutes"): a pupil cell's live minutes stay within its cap."""
    for cell in cells:
        idx = _cell_calls(v, cell)
        v.model.add(sum(v.live[i] * v.calls[i].length for i in idx) <= cell.screen_cap)


def add_teacher_no_overlap(v: CallModel) -> None:
    """Teacher no-overlap (a teacher gives one lesson at a time; the auditor's check_teacher_overlap): the calls
    of one teacher never overlap."""
    for cis in v.teachers_calls().values():
        if len(cis) > 1:
            v.model.add_no_overlap([v.interval[ci] for ci in cis])


def add_chat_no_overlap(v: CallModel, cells: list[Cell]) -> None:
    """One call per chat (a MAX/Sferum chat holds one call at a time; the chat registry, planner.school
    ChatLink): two calls in the same chat never overlap — groups meeting at the same time need chats of their
    own, else their calls are sequenced or one stays asynchronous. Calls of one pupil cell are kept apart by
    `add_cell_order_and_breaks` already; only calls with no pupil in common get a constraint here."""
    cells_of: dict[int, set[int]] = {}
    for n, cell in enumerate(cells):
        for ci in _cell_calls(v, cell):
            cells_of.setdefault(ci, set()).add(n)
    by_chat: dict[str, list[int]] = {}
    for ci in v.live:
        for chat in v.calls[ci].chats:
            by_chat.setdefault(chat, []).append(ci)
    for cis in by_chat.values():
        for pos, a in enumerate(cis):
            for b in cis[pos + 1:]:
                if not cells_of.get(a, set()) & cells_of.get(b, set()):
                    v.model.add_no_overlap([v.interval[a], v.interval[b]])


def add_cover(v: CallModel, covers: list[CoverSpec], buffer: int) -> None:
    """Cover of absent teachers (the scenario's teachers[].state sick / remote_only; the planner's default
    transition buffer, norm "teacher.transition_buffer_minutes"): each in-school lesson of an absent teacher gets at most one qualified, free substitute; a substitute
    covers one lesson at a time, and the substitute's own calls keep the buffer to the covered lesson. The
    choice literals are stored in `v.substitute`."""
    m = v.model
    teachers = v.teachers_calls()
    by_substitute: dict[str, list[CoverSpec]] = {}
    for cv in covers:
        options = []
        for t in cv.candidates:
            b = m.new_bool_var(f"cover[{cv.need.key}]={t}")
            v.substitute[(cv.need.uid, t)] = b
            options.append(b)
            by_substitute.setdefault(t, []).append(cv)
            for ci in teachers.get(t, []):
                lo = cv.need.start - buffer - v.calls[ci].length
                hi = cv.need.end + buffer
                m.add_linear_expression_in_domain(v.start[ci], cp_model.Domain.from_intervals(
                    [[-10_000, lo], [hi, 10_000]])).only_enforce_if([v.live[ci], b])
        if options:
            m.add_at_most_one(options)
    for t, cvs in by_substitute.items():
        for i, a in enumerate(cvs):
            for other in cvs[i + 1:]:
                if a.need.start < other.need.end and other.need.start < a.need.end:
                    m.add_bool_or([~v.substitute[(a.need.uid, t)], ~v.substitute[(other.need.uid, t)]])


def add_online_cover(v: CallModel, covers: list[CoverSpec], buffer: int) -> None:
    """Online cover of absent teachers' live calls (the school's substitution practice, carried to distance
    lessons: the call is held «согласно утвержденному расписанию» by a subject teacher — regulation on Sferum use,
    ../shared/reference/regulations/004, п. 2.6 and п. 3.4; the scenario's teachers[].state sick; the planner's
    default transition buffer, norm "teacher.transition_buffer_minutes"). A call whose every regular teacher is
    absent may be live only when exactly one colleague from its `cover_candidates` takes it (qualified: same
    subject — a language group's subject names its language — and present that day, chosen before the model is
    built). The colleague's calls never overlap (own calls and covered ones, one interval each); the covered call
    keeps the buffer to the colleague's in-school lessons (`cover_busy`) and to an in-school lesson the colleague
    covers (`add_cover`, run first). The choice literals are stored in `v.online_cover`."""
    m = v.model
    own = v.teachers_calls()
    extra: dict[str, list] = {}
    for ci, c in enumerate(v.calls):
        if ci not in v.live or not c.cover_candidates:
            continue
        options = []
        for t in c.cover_candidates:
            b = m.new_bool_var(f"online_cover[{c.name}]={t}")
            v.online_cover[(ci, t)] = b
            options.append(b)
            spans = [(a - buffer - c.length, e + buffer, [b]) for a, e in c.cover_busy.get(t, [])]
            spans += [(cv.need.start - buffer - c.length, cv.need.end + buffer, [b, v.substitute[(cv.need.uid, t)]])
                      for cv in covers if (cv.need.uid, t) in v.substitute]
            for lo, hi, when in spans:
                m.add_linear_expression_in_domain(v.start[ci], cp_model.Domain.from_intervals(
                    [[-10_000, lo], [hi, 10_000]])).only_enforce_if(when)
            extra.setdefault(t, []).append(m.new_optional_fixed_size_interval_var(
                v.start[ci], c.length, b, f"cover_call[{c.name}]={t}"))
        present = {t for p in c.parts for t in p.teachers} - set(c.absent)
        if present:
            m.add(sum(options) <= 1)
        else:
            m.add(sum(options) == v.live[ci])
    for t, intervals in extra.items():
        if len(intervals) + len(own.get(t, [])) > 1:
            m.add_no_overlap(intervals + [v.interval[ci] for ci in own.get(t, [])])


@dataclass(frozen=True)
class TeacherLimits:
    """Optional limits on a teacher's day of calls (planner defaults, confidence M, off — 0 — unless the school's
    policy sets them): "teacher.live_minutes_per_day_max" and "teacher.calls_in_a_row_max" (with its
    rest_minutes)."""

    live_minutes_per_day: int = 0
    calls_in_a_row: int = 0
    rest_minutes: int = 0  # from the norm's row; irrelevant while calls_in_a_row is 0 (off)


def _teacher_items(v: CallModel) -> dict[str, list[tuple]]:
    """Per teacher the calls they may give, each as (presence literal, start, length): their own calls and the
    calls they may take as online cover."""
    out: dict[str, list[tuple]] = {}
    for t, cis in v.teachers_calls().items():
        out.setdefault(t, []).extend((v.live[ci], v.start[ci], v.calls[ci].length) for ci in cis)
    for (ci, t), b in v.online_cover.items():
        out.setdefault(t, []).append((b, v.start[ci], v.calls[ci].length))
    return out


def add_teacher_live_minutes(v: CallModel, limit: int) -> None:
    """A teacher's live minutes per day (norm "teacher.live_minutes_per_day_max", a planner default of
    confidence M motivated by the teachers' health that the regulation on Sferum use, 004 п. 3.5, names without
    a number; 0 = off): the minutes of the calls a teacher gives (own and covered) stay within the limit."""
    if limit <= 0:
        return
    for items in _teacher_items(v).values():
        v.model.add(sum(lit * length for lit, _, length in items) <= limit)


MAX_RUN_SUBSETS = 2_000  # sets of calls checked per teacher for the calls-in-a-row rule


def add_teacher_calls_in_a_row(v: CallModel, limit: int, rest: int) -> None:
    """A teacher's back-to-back calls (norm "teacher.calls_in_a_row_max" with its rest_minutes, a planner default
    of confidence M, 004 п. 3.5 without a number; 0 = off): no more than `limit` calls in a row, calls being in
    a row when fewer than `rest` minutes separate one's end from the next one's start. Per pair of the teacher's
    calls a literal `far` says that one ends at least `rest` minutes before the other starts; any `limit` + 1
    calls that are all held split into two groups with every pair across them far apart (else they would form
    one row)."""
    import itertools

    if limit <= 0:
        return
    m = v.model
    for t, items in _teacher_items(v).items():
        if len(items) <= limit:
            continue
        far: dict[tuple[int, int], cp_model.IntVar] = {}
        for i, j in itertools.combinations(range(len(items)), 2):
            (_, si, li), (_, sj, lj) = items[i], items[j]
            after, before = m.new_bool_var(f"rest_after[{t}]"), m.new_bool_var(f"rest_before[{t}]")
            m.add(sj >= si + li + rest).only_enforce_if(after)
            m.add(si >= sj + lj + rest).only_enforce_if(before)
            far[(i, j)] = m.new_bool_var(f"far[{t}]")
            m.add_bool_or([after, before]).only_enforce_if(far[(i, j)])
        for n, subset in enumerate(itertools.combinations(range(len(items)), limit + 1)):
            if n >= MAX_RUN_SUBSETS:
                break
            cuts = []
            for mask in range(1, 2 ** limit):  # the first call stays on side 0: each split once
                side = {subset[0]: 0, **{c: (mask >> k) & 1 for k, c in enumerate(subset[1:])}}
                cut = m.new_bool_var(f"split[{t}]")
                for a, b in itertools.combinations(subset, 2):
                    if side[a] != side[b]:
                        m.add_implication(cut, far[(a, b)])
                cuts.append(cut)
            m.add_bool_or(cuts + [~items[c][0] for c in subset])


# ---------------------------------------------------------------- objective terms (largest weight first)


def floor_key(class_id: str, groups: Iterable[str], subject_id: str) -> tuple[str, tuple[str, ...], str]:
    """Subject floors hold per student set: each language group gets its own calls."""
    return (class_id, tuple(sorted(groups)), subject_id)


def subject_floor_terms(v: CallModel, floors: dict[tuple, int]) -> list:
    """Subject floors (the scenario's knob subject_floor: at least N live calls per subject over the scenario,
    where possible): per student set and subject, up to the floor's remaining need of live calls count W_FLOOR
    each. A light call that leaves a hard call of the same pupils asynchronous (`add_priority_inversions`)
    does not count: fairness never outranks the hard subjects."""
    terms = []
    for fk, need in floors.items():
        cis = sorted({v.call_of[p.uid] for c in v.calls for p in c.parts if p.uid in v.call_of
                      and floor_key(p.class_id, p.groups, p.subject_id) == fk})
        if need <= 0 or not cis:
            continue
        met = v.model.new_int_var(0, need, f"floor[{fk}]")
        v.model.add(met <= sum(_clean_live(v, ci) for ci in cis))
        terms.append(met * W_FLOOR)
    return terms


def add_priority_inversions(v: CallModel, cells: list[Cell]) -> None:
    """Hard subjects first (СанПиН 1.2.3685-21, табл. 6.9–6.11 — norm "difficulty.scale"; thresholds of the
    planner's norm "priority.hard_light_points"): a literal per pair of a hard and a light call of the same
    pupils that day, true when the light one is live and the hard one is not (stored in `v.inversion`). The
    objective penalises it (`priority_inversion_terms`) and a subject floor never counts a light call that
    makes one (`subject_floor_terms`)."""
    for cell in cells:
        idx = _cell_calls(v, cell)
        hard = [ci for ci in idx if v.calls[ci].hardness == "hard"]
        light = [ci for ci in idx if v.calls[ci].hardness == "light"]
        for h in hard:
            for lt in light:
                if (h, lt) not in v.inversion:
                    inverted = v.model.new_bool_var(f"inversion[{v.calls[h].name}|{v.calls[lt].name}]")
                    v.model.add(inverted >= v.live[lt] - v.live[h])
                    v.inversion[(h, lt)] = inverted


def add_class_hour_with_the_day(v: CallModel, cells: list[Cell]) -> None:
    """A class hour goes live with its class's day (norm "async.kind_by_subject", a planner default: «Разговоры
    о важном» is a class hour, never a paper task): per class-hour call a literal true when it is not live while
    another call of its pupils is live that day (stored in `v.class_hour_missed`). The objective
    (`class_hour_terms`) weighs it above any call and any subject floor, so the class hour is live whenever a
    hard rule allows; where one keeps it out (its teacher, the window, the screen cap), the others stay live and
    its reason names the rule."""
    for cell in cells:
        idx = _cell_calls(v, cell)
        for ch in idx:
            if not v.calls[ch].class_hour:
                continue
            others = [ci for ci in idx if ci != ch]
            if not others:
                continue
            if ch not in v.class_hour_missed:
                v.class_hour_missed[ch] = v.model.new_bool_var(f"class_hour_missed[{v.calls[ch].name}]")
            for ci in others:
                v.model.add(v.class_hour_missed[ch] >= v.live[ci] - v.live[ch])


def class_hour_terms(v: CallModel) -> list:
    """Minus W_CLASS_HOUR per class hour left asynchronous beside a live call of its class (above a subject
    floor's W_FLOOR: the class hour outranks any one other call)."""
    return [-W_CLASS_HOUR * missed for missed in v.class_hour_missed.values()]


def priority_inversion_terms(v: CallModel) -> list:
    """Minus W_INVERSION per hard call asynchronous beside a live light call of the same pupils. The weight is
    below any call's value: a live light call is never dropped for it (where a hard rule keeps the hard lesson
    out, the light one stays live), but a swap that the hard rules allow is always taken."""
    return [-W_INVERSION * inverted for inverted in v.inversion.values()]


def _clean_live(v: CallModel, ci: int) -> cp_model.IntVar:
    """The call's live literal, or for a light call in inversion pairs a literal true when it is live and makes
    no inversion."""
    pairs = [inv for (h, lt), inv in v.inversion.items() if lt == ci]
    if not pairs:
        return v.live[ci]
    clean = v.model.new_bool_var(f"clean[{v.calls[ci].name}]")
    v.model.add_implication(clean, v.live[ci])
    for inv in pairs:
        v.model.add_implication(clean, ~inv)
    return clean


def cover_terms(v: CallModel) -> list:
    """Cover of absent teachers: W_COVER per in-school lesson a substitute takes."""
    return [b * W_COVER for b in v.substitute.values()]


def online_cover_terms(v: CallModel) -> list:
    """Online cover of absent teachers: the covered call earns its live value like any call
    (`live_value_terms`); among the colleagues who could take it, minus W_COVER_RANK per rank prefers the best
    placed one (who teaches the subject at that level, with the lighter day)."""
    terms = []
    for (ci, t), b in v.online_cover.items():
        rank = v.calls[ci].cover_candidates.index(t)
        if rank:
            terms.append(-W_COVER_RANK * rank * b)
    return terms


def live_value_terms(v: CallModel, open_floors: frozenset[tuple]) -> list:
    """Live time by pedagogical value: per live call its minutes times the subject's priority (scenario
    subject_priority), its difficulty points (СанПиН 1.2.3685-21, табл. 6.9–6.11 — norm "difficulty.scale") and
    a bonus while a subject floor of its pupils is still open."""
    terms = []
    for ci, live in v.live.items():
        c = v.calls[ci]
        early = W_FLOOR_EARLY if any(floor_key(p.class_id, p.groups, p.subject_id) in open_floors
                                     for p in c.parts) else 0
        terms.append(live * (W_LIVE * c.length * c.priority // 100 + W_DIFFICULTY * c.difficulty + early))
    return terms


def keep_published_terms(v: CallModel) -> list:
    """Minimal change when re-planning (the published plan is what families already have): W_KEEP per call of
    the published plan kept live, W_KEEP_TIME per call kept at its published start."""
    terms = []
    for ci, live in v.live.items():
        c = v.calls[ci]
        if c.published_live:
            terms.append(live * W_KEEP)
        if c.published_start is not None:
            same = v.model.new_bool_var(f"same_start[{c.name}]")
            v.model.add(v.start[ci] == c.published_start).only_enforce_if(same)
            terms.append(same * W_KEEP_TIME)
    return terms


def regular_time_terms(v: CallModel) -> list:
    """Stay near the regular timetable (pupils and families keep their day's rhythm): minus one per minute a call
    starts away from its regular start."""
    terms = []
    for ci in v.live:
        c = v.calls[ci]
        dev = v.model.new_int_var(0, 24 * 60, f"shift[{c.name}]")
        v.model.add_abs_equality(dev, v.start[ci] - c.parts[0].regular_start)
        terms.append(-dev)
    return terms
