"""A bigger synthetic school for benchmarks: whole copies of the sample school-17 plus a prefix of one more copy.

Copy 1 is the sample itself (ids unchanged); copy k ≥ 2 clones classes, their groups, chats and lessons, the
teachers who teach them and the rooms they use, with the suffix ``-c<k>`` on every id (and on names, so the
page can tell them apart). Bells, subjects, holidays and the calendar are shared. Timetable versions that name
classes (e.g. the first-grade versions) are cloned per copy and name the cloned classes, so every cloned lesson
keeps its version; versions for all classes stay shared.

Nothing is random: the result depends only on ``n_classes``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from planner.importers import load_school
from planner.school.integrity import check_school
from planner.school.model import ChatLink, Lesson, Room, School, StudentClass, Teacher, TimetableVersion

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "school-17"


@lru_cache(maxsize=1)
def sample_school() -> School:
    return load_school(SAMPLE).school


def _sfx(copy: int) -> str:
    return "" if copy == 1 else f"-c{copy}"


def _copy_part(base: School, class_ids: list[str], copy: int, whole: bool):
    """Classes, groups, chats, lessons, versions, teachers and rooms of one copy, restricted to class_ids."""
    s = _sfx(copy)
    chosen = set(class_ids)
    group_owner = {g.id: c.id for c in base.classes for g in c.groups}

    def cid(x: str) -> str:
        return x + s

    lessons = [le for le in base.lessons if chosen & set(le.classes)]
    needed_teachers = {t for le in lessons for t in le.teachers}
    needed_rooms = {r for le in lessons for r in le.rooms}
    teachers_src = base.teachers if whole else [t for t in base.teachers if t.id in needed_teachers]
    rooms_src = base.rooms if whole else [r for r in base.rooms if r.id in needed_rooms]

    specific_versions = {v.id: v for v in base.versions if v.classes}
    versions: list[TimetableVersion] = []
    version_map: dict[str, str] = {}
    for v in base.versions:
        if not v.classes:
            continue
        named = [c for c in v.classes if c in chosen]
        if copy == 1:
            if named != list(v.classes):
                versions.append(v.model_copy(update={"classes": named}))
            else:
                versions.append(v)
            version_map[v.id] = v.id
        elif named:
            versions.append(v.model_copy(update={"id": v.id + s, "name": v.name + s, "classes": [cid(c) for c in named]}))
            version_map[v.id] = v.id + s

    classes: list[StudentClass] = []
    for c in base.classes:
        if c.id not in chosen:
            continue
        groups = [g.model_copy(update={"id": g.id + s, "name": g.name + s}) for g in c.groups]
        classes.append(c.model_copy(update={"id": cid(c.id), "name": c.name + s, "groups": groups}))

    chats: list[ChatLink] = [
        ch.model_copy(update={"class_id": cid(ch.class_id), "invite_link": ch.invite_link + s,
                              "chat_id": (ch.chat_id + s) if ch.chat_id else None})
        for ch in base.chats if ch.class_id in chosen]

    teachers: list[Teacher] = [t.model_copy(update={"id": t.id + s, "name": t.name + s}) for t in teachers_src]
    rooms: list[Room] = [r.model_copy(update={"id": r.id + s, "name": r.name + s}) for r in rooms_src]

    out_lessons: list[Lesson] = []
    for le in lessons:
        keep_classes = [c for c in le.classes if c in chosen]
        keep_groups = [g for g in le.groups if group_owner.get(g) in chosen]
        version = version_map.get(le.version, le.version) if le.version in specific_versions else le.version
        out_lessons.append(le.model_copy(update={
            "id": le.id + s, "version": version, "classes": [cid(c) for c in keep_classes],
            "groups": [g + s for g in keep_groups], "teachers": [t + s for t in le.teachers],
            "rooms": [r + s for r in le.rooms]}))
    return classes, chats, teachers, rooms, versions, out_lessons


def synthetic_school(n_classes: int, seed: int = 0) -> School:
    """A school with exactly n_classes classes made of copies of the sample school-17 (see the module doc).

    ``seed`` is accepted for a stable signature; the construction is deterministic and does not use it."""
    base = sample_school()
    per_copy = [c.id for c in base.classes]
    if n_classes < 1:
        raise ValueError("n_classes must be at least 1")
    full, rest = divmod(n_classes, len(per_copy))
    plan = [(k + 1, per_copy, True) for k in range(full)]
    if rest:
        plan.append((full + 1, per_copy[:rest], False))

    classes, chats, teachers, rooms, versions, lessons = [], [], [], [], [], []
    for copy, ids, whole in plan:
        c, ch, t, r, v, le = _copy_part(base, ids, copy, whole)
        classes += c
        chats += ch
        teachers += t
        rooms += r
        versions += v
        lessons += le
    general = [v for v in base.versions if not v.classes]
    school = base.model_copy(update={
        "id": base.id if n_classes == len(per_copy) else f"{base.id}-x{n_classes}",
        "name": base.name if n_classes == len(per_copy) else f"{base.name} (×{n_classes} классов)",
        "classes": classes, "chats": chats, "teachers": teachers, "rooms": rooms,
        "versions": general + versions, "lessons": lessons})
    # model_copy skips validation: round-trip through the validator so the result is a proper School
    school = School.model_validate(school.model_dump())
    check_school(school)
    return school


__all__ = ["sample_school", "synthetic_school"]
