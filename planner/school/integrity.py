"""Cross-reference checks of a school: duplicate ids, unknown references, periods outside the bells, clashes.

Errors name the collection, the index of the element and the field; importers translate that into
file and row. Warnings (e.g. a subject without a difficulty key) never stop the import.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from planner.errors import InputError, Location
from planner.school.channels import link_refusal
from planner.school.model import Activity, School, WeekMask


@dataclass(frozen=True)
class Problem:
    collection: str  # "lessons", "classes", ...
    index: int  # position in that collection
    field: str
    message_en: str
    message_ru: str


@dataclass(frozen=True)
class ImportWarning:
    collection: str
    index: int | None
    field: str
    message_en: str
    message_ru: str


def _duplicates(school: School) -> list[Problem]:
    problems = []
    collections = {
        "classes": [c.id for c in school.classes],
        "teachers": [t.id for t in school.teachers],
        "subjects": [s.id for s in school.subjects],
        "rooms": [r.id for r in school.rooms],
        "bell_schedules": [b.id for b in school.bell_schedules],
        "versions": [v.id for v in school.versions],
        "lessons": [le.id for le in school.lessons],
        "groups": [g.id for c in school.classes for g in c.groups],
    }
    for name, ids in collections.items():
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                problems.append(Problem(name, i, "id", f"duplicate id '{ident}'", f"повторяющийся идентификатор «{ident}»"))
            seen.add(ident)
    return problems


def find_problems(school: School) -> list[Problem]:
    """Every reference and consistency error in the school, in file order."""
    problems = _duplicates(school)
    class_ids = {c.id for c in school.classes}
    teacher_ids = {t.id for t in school.teachers}
    subject_ids = {s.id for s in school.subjects}
    room_ids = {r.id for r in school.rooms}
    bell_ids = {b.id for b in school.bell_schedules}
    version_ids = {v.id for v in school.versions}
    group_owner = {g.id: c.id for c in school.classes for g in c.groups}
    class_by_id = {c.id: c for c in reversed(school.classes)}  # the first of duplicates, as class_by_id gives
    bells_by_id = {b.id: b for b in reversed(school.bell_schedules)}
    variant_numbers = {b.id: [(v, {p.number for p in v.periods}) for v in b.variants] for b in bells_by_id.values()}

    def unknown(coll: str, i: int, field: str, what_en: str, what_ru: str, ident: str) -> None:
        problems.append(Problem(coll, i, field, f"unknown {what_en} '{ident}'", f"неизвестный {what_ru} «{ident}»"))

    for i, c in enumerate(school.classes):
        if c.bell_schedule not in bell_ids:
            unknown("classes", i, "bell_schedule", "bell schedule", "звонковый режим", c.bell_schedule)
    for i, t in enumerate(school.teachers):
        for s in t.subjects:
            if s not in subject_ids:
                unknown("teachers", i, "subjects", "subject", "предмет", s)
    for i, ch in enumerate(school.chats):
        if ch.class_id is not None and ch.class_id not in class_ids:
            unknown("chats", i, "class_id", "class", "класс", ch.class_id)
        if ch.subject_id is not None and ch.subject_id not in subject_ids:
            unknown("chats", i, "subject_id", "subject", "предмет", ch.subject_id)
        if ch.admin is not None and ch.admin not in teacher_ids:
            unknown("chats", i, "admin", "teacher", "учитель", ch.admin)
        if ch.group_id is not None and ch.class_id in class_ids and \
                ch.group_id not in {g.id for g in school.class_by_id(ch.class_id).groups}:
            problems.append(Problem("chats", i, "group_id", f"unknown group '{ch.group_id}' of class '{ch.class_id}'",
                                    f"у класса «{ch.class_id}» нет группы «{ch.group_id}»"))
        refusal = link_refusal(ch.invite_link, school.channel_policy)
        if refusal is not None:
            problems.append(Problem("chats", i, "invite_link", refusal.message_en, refusal.message_ru))
    for i, c in enumerate(school.classes):
        if c.curator is not None and c.curator not in teacher_ids:
            unknown("classes", i, "curator", "teacher", "учитель", c.curator)
    for i, r in enumerate(school.responsible):
        if r.teacher_id is not None and r.teacher_id not in teacher_ids:
            unknown("responsible", i, "teacher_id", "teacher", "учитель", r.teacher_id)
    for i, v in enumerate(school.versions):
        for cid in v.classes:
            if cid not in class_ids:
                unknown("versions", i, "classes", "class", "класс", cid)

    for i, le in enumerate(school.lessons):
        if le.version not in version_ids:
            unknown("lessons", i, "version", "timetable version", "версия расписания", le.version)
        for cid in le.classes:
            if cid not in class_ids:
                unknown("lessons", i, "classes", "class", "класс", cid)
        for gid in le.groups:
            if gid not in group_owner:
                unknown("lessons", i, "groups", "group", "группа", gid)
            elif group_owner[gid] not in le.classes:
                problems.append(Problem("lessons", i, "groups", f"group '{gid}' belongs to class '{group_owner[gid]}', "
                                        f"which the lesson does not list", f"группа «{gid}» относится к классу "
                                        f"«{group_owner[gid]}», которого нет в уроке"))
        for tid in le.teachers:
            if tid not in teacher_ids:
                unknown("lessons", i, "teachers", "teacher", "учитель", tid)
        for rid in le.rooms:
            if rid not in room_ids:
                unknown("lessons", i, "rooms", "room", "кабинет", rid)
        if le.subject not in subject_ids:
            unknown("lessons", i, "subject", "subject", "предмет", le.subject)
        # the periods must exist in every bell variant of every class of the lesson
        for cid in le.classes:
            if cid not in class_ids:
                continue
            klass = class_by_id[cid]  # dict lookups: linear in the lessons however many classes there are
            if klass.bell_schedule not in bell_ids:
                continue
            if le.day > klass.week_days:
                problems.append(Problem("lessons", i, "day", f"day {le.day} is outside the {klass.week_days}-day week "
                                        f"of class '{cid}'", f"день {le.day} вне {klass.week_days}-дневной недели "
                                        f"класса «{cid}»"))
            bells = bells_by_id[klass.bell_schedule]
            for _variant, numbers in variant_numbers[bells.id]:
                missing = [p for p in le.periods if p not in numbers]
                if missing:
                    problems.append(Problem("lessons", i, "period", f"period {missing[0]} is not in bell schedule "
                                            f"'{bells.id}' of class '{cid}'", f"урока {missing[0]} нет в звонковом "
                                            f"режиме «{bells.id}» класса «{cid}»"))
                    break
    problems.extend(_clashes(school))
    return problems


def _clashes(school: School) -> list[Problem]:
    """Two lessons of one teacher, or of overlapping pupils, in one slot of one version with overlapping weeks."""
    problems: list[Problem] = []
    version_classes = {v.id: v for v in school.versions}
    group_division = {g.id: (c.id, g.division) for c in school.classes for g in c.groups}
    by_slot: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for i, le in enumerate(school.lessons):
        for p in le.periods:
            by_slot[(le.version, le.day, p)].append(i)
    for (version, day, period), idxs in by_slot.items():
        if version not in version_classes:
            continue
        for a, b in _candidate_pairs(school, idxs):
            la, lb = school.lessons[a], school.lessons[b]
            if not _weeks_overlap(la.weeks, lb.weeks):
                continue
            shared_teacher = set(la.teachers) & set(lb.teachers)
            if shared_teacher:
                t = sorted(shared_teacher)[0]
                problems.append(Problem("lessons", b, "teachers", f"teacher '{t}' has lessons '{la.id}' and "
                                        f"'{lb.id}' at day {day}, period {period}", f"у учителя «{t}» два урока "
                                        f"(«{la.id}» и «{lb.id}») в день {day}, урок {period}"))
            else:
                for cid in set(la.classes) & set(lb.classes):
                    if _pupils_overlap(cid, la.groups, lb.groups, group_division):
                        problems.append(Problem("lessons", b, "classes", f"class '{cid}' has lessons '{la.id}' "
                                                f"and '{lb.id}' at day {day}, period {period}", f"у класса «{cid}» "
                                                f"два урока («{la.id}» и «{lb.id}») в день {day}, урок {period}"))
                        break
            if len(problems) >= MAX_CLASH_PROBLEMS:
                return problems
    return problems


MAX_CLASH_PROBLEMS = 1000  # a file with more clashes than this is reported by its first thousand


def _candidate_pairs(school: School, idxs: list[int]) -> list[tuple[int, int]]:
    """The pairs (a < b) of lessons of one slot that share a teacher or a class, in index order: only they can
    clash. Near-linear in the lessons of the slot (a pair per lesson sharing a teacher or class), where comparing
    every pair was quadratic."""
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in idxs:
        le = school.lessons[i]
        for t in set(le.teachers):
            buckets[("t", t)].append(i)
        for c in set(le.classes):
            buckets[("c", c)].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                pairs.add((a, b))
            if len(pairs) > 50 * MAX_CLASH_PROBLEMS:
                break
    return sorted(pairs)


def _weeks_overlap(a: WeekMask, b: WeekMask) -> bool:
    return a == WeekMask.EVERY or b == WeekMask.EVERY or a == b


def _pupils_overlap(cid: str, groups_a: list[str], groups_b: list[str],
                    division: dict[str, tuple[str, str]]) -> bool:
    ga = [g for g in groups_a if division.get(g, ("",))[0] == cid]
    gb = [g for g in groups_b if division.get(g, ("",))[0] == cid]
    if not ga or not gb:
        return True  # at least one lesson takes the whole class
    if set(ga) & set(gb):
        return True
    # different groups of the same division are disjoint; groups of different divisions may share pupils
    divs_a = {division[g][1] for g in ga}
    divs_b = {division[g][1] for g in gb}
    return not (divs_a == divs_b and len(divs_a) == 1 and next(iter(divs_a)) != "")


def find_warnings(school: School) -> list[ImportWarning]:
    warnings: list[ImportWarning] = []
    for i, s in enumerate(school.subjects):
        if s.norm_key is None and s.activity == Activity.LESSON:
            warnings.append(ImportWarning("subjects", i, "norm_key", f"subject '{s.name}' has no difficulty-scale key; "
                                          "difficulty checks skip it", f"у предмета «{s.name}» нет ключа шкалы "
                                          "трудности; проверки трудности его пропускают"))
    for i, c in enumerate(school.classes):
        if c.devices.total and c.devices.total != c.students:
            warnings.append(ImportWarning("classes", i, "devices", f"class '{c.name}': device survey counts "
                                          f"{c.devices.total} pupils, the class has {c.students}", f"класс «{c.name}»: "
                                          f"в опросе об устройствах {c.devices.total} учеников, в классе {c.students}"))
        divisions = Counter(g.division for g in c.groups)
        for div in divisions:
            total = sum(g.students for g in c.groups if g.division == div)
            if div and total != c.students:
                warnings.append(ImportWarning("classes", i, "groups", f"class '{c.name}': groups of division '{div}' "
                                              f"hold {total} pupils, the class has {c.students}", f"класс «{c.name}»: в "
                                              f"группах деления «{div}» {total} учеников, в классе {c.students}"))
    return warnings


def check_school(school: School, source: str = "") -> list[ImportWarning]:
    """Raise InputError for the first problem (with element and field); return the warnings."""
    problems = find_problems(school)
    if problems:
        p = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        more_ru = f" (и ещё проблем: {len(problems) - 1})" if len(problems) > 1 else ""
        raise InputError(p.message_en + more, p.message_ru + more_ru,
                         Location(file=source, element=f"{p.collection}[{p.index}]", field=p.field))
    return find_warnings(school)
