"""Issuing feed tokens (the one workflow of the CLI and the page): create, the defaults of every teacher, class and
the administration, revoke and rotate, keeping the feed files in step."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from planner.errors import InputError
from planner.school.model import School
from planner.storage import Store

from .files import publish_lock, remove_feed_files, write_token_feed
from .tokens import FeedToken, TokenStore


ADMIN_FEED_LABEL = "Администрация"


def token_label(school: School | None, kind: str, subject_id: str) -> str:
    """The human label of a feed: the teacher's or class's name, «Администрация», or the family's own name."""
    if kind == "admin":
        return ADMIN_FEED_LABEL
    if school is not None and kind == "teacher":
        return next((t.name for t in school.teachers if t.id == subject_id), subject_id)
    if school is not None and kind == "class":
        return next((c.name for c in school.classes if c.id == subject_id), subject_id)
    return subject_id


def create_feed_token(store: Store, school_id: str, kind: str, subject_id: str, *, now: datetime,
                      school: School | None = None, class_id: str | None = None,
                      groups: list[str] | tuple[str, ...] = (), include_regular: bool = False,
                      feeds_dir: Path | None = None) -> FeedToken:
    """Issue a feed token (teacher, class, family or administration), the one workflow of the CLI and the page.

    With the school at hand its teacher, class and groups are checked (unknown ones refused, naming them); a class
    feed's class is its subject; the label comes from `token_label`. With `feeds_dir` the feed file is written
    when the school has a publication."""
    if kind == "class":
        class_id = subject_id
    if kind == "admin":
        subject_id = "admin"
    if school is not None:
        if kind == "teacher":
            school.teacher_by_id(subject_id)
        if class_id is not None:
            klass = school.class_by_id(class_id)
            bad = [g for g in groups if g not in {grp.id for grp in klass.groups}]
            if bad:
                raise InputError(f"class '{class_id}' has no group(s) {', '.join(bad)}",
                                 f"в классе «{klass.name}» нет групп {', '.join(bad)}")
    token = TokenStore(store).create(school_id, kind, subject_id, now=now, label=token_label(school, kind, subject_id),
                                     class_id=class_id, groups=list(groups), include_regular=include_regular)
    if feeds_dir is not None:
        write_token_feed(store, token, Path(feeds_dir), now)
    return token


def ensure_default_tokens(store: Store, school: School, now: datetime) -> list[FeedToken]:
    """Create the missing tokens of every teacher, every class and the administration; returns the new ones."""
    tokens = TokenStore(store)
    wanted = [("admin", "admin", ADMIN_FEED_LABEL, None)]
    wanted += [("teacher", t.id, t.name, None) for t in school.teachers]
    wanted += [("class", c.id, c.name, c.id) for c in school.classes]
    created = []
    for kind, subject, label, class_id in wanted:
        token, new = tokens.ensure(school.id, kind, subject, now=now, label=label, class_id=class_id)
        if new:
            created.append(token)
    return created


def revoke_token(store: Store, token: str, *, now: datetime, feeds_dir: Path | None = None) -> FeedToken:
    """Revoke a token (its id tok_… or the token itself); its feed file, if any, is removed."""
    tokens = TokenStore(store)
    old = tokens.lookup(token)
    with publish_lock(store):
        revoked = tokens.revoke(old.id, now=now)
        if feeds_dir is not None and old.secret:
            remove_feed_files(Path(feeds_dir), old.secret)
    return revoked


def rotate_token(store: Store, token: str, *, now: datetime, feeds_dir: Path | None = None) -> FeedToken:
    """Replace a token by a new one for the same selection; the old feed file goes, the new one is written."""
    tokens = TokenStore(store)
    old = tokens.lookup(token)
    with publish_lock(store):
        new = tokens.rotate(old.id, now=now)
        if feeds_dir is not None and old.secret:
            remove_feed_files(Path(feeds_dir), old.secret)
    if feeds_dir is not None:
        write_token_feed(store, new, Path(feeds_dir), now)
    return new
