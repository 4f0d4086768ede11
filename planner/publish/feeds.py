"""Publications and feeds: record a plan as published, keep per-UID feed state, render the feeds.

State in the database (planner.storage):
- "publication" `<school>:pub:<plan hash>`: the plan, the school it was made for, a serial (later wins per date),
  published_at. `<school>:head`: the newest serial, the dates covered, and when the items last changed.
- "feed_item" `<uid>`: the event as last published, its content hash, SEQUENCE, changed_at, and `dropped`.

A date belongs to the newest publication covering it, so next week's plan does not cancel this week's. Only
a visible change raises SEQUENCE and moves changed_at (= DTSTAMP = LAST-MODIFIED); re-publishing an unchanged
plan writes nothing and the feeds keep every byte. All functions take `now`; none reads the clock.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.text import plural
from planner.errors import InputError
from planner.fileio import replace_into
from planner.plan.model import Mode, Occurrence, Plan
from planner.plan.ownership import require_plan_for_school
from planner.school.calendar import dates_between
from planner.school.model import School
from planner.storage import Store

from . import ics
from .events import (
    CANCELLED,
    LINK_LINE,
    FeedEvent,
    FeedItem,
    events_from_plan,
    regular_events,
)
from .tokens import TOKEN_RE, FeedToken, TokenStore, hash_token

DAYS_BACK = 7
WEEKS_AHEAD = 12


def _utc_seconds(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be time-zone-aware")
    return now.astimezone(timezone.utc).replace(microsecond=0)


def feed_window(today: date) -> tuple[date, date]:
    """The dates a feed shows: a week back to 12 weeks ahead."""
    return today - timedelta(days=DAYS_BACK), today + timedelta(weeks=WEEKS_AHEAD)


# ------------------------------------------------------------------ checks


def check_plan(school: School, plan: Plan) -> None:
    """Refuse a plan made for another school (or another version of this one)."""
    require_plan_for_school(plan, school)


def check_links(plan: Plan) -> None:
    """Refuse a plan whose lesson links are not safe to publish (planner.school.links), before anything is
    recorded."""
    from planner.school.links import link_problem

    for o in plan.occurrences:
        problem = link_problem(o.link) if o.link else None
        if problem:
            raise InputError(f"lesson {o.key}#{o.part}: link {o.link!r}: {problem}",
                             f"урок {o.key}#{o.part}: недопустимая ссылка {o.link!r} — нужна ссылка https:// без "
                             "пробелов и переводов строки")


def live_without_link(plan: Plan) -> list[Occurrence]:
    """Live lessons that have no call link (not published silently: see `planner publish`)."""
    return [o for o in plan.occurrences if o.mode == Mode.LIVE and not (o.link or "").strip()]


# ------------------------------------------------------------------ publishing


@dataclass
class PublishResult:
    publication_id: str
    serial: int
    unchanged: bool
    created: list[str] = field(default_factory=list)  # UIDs
    changed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    kept: int = 0


def head_id(school_id: str) -> str:
    return f"{school_id}:head"


def _plan_dates(plan: Plan) -> set[date]:
    return set(dates_between(plan.scenario.start, plan.scenario.end)) | {o.date for o in plan.occurrences}


def publications(store: Store, school_id: str) -> list[dict]:
    """The school's publication payloads (plan, school, serial, published_at), newest first."""
    recs = [r for r in store.list("publication", school_id=school_id) if r.id != head_id(school_id)]
    return sorted((dict(r.payload, id=r.id) for r in recs), key=lambda p: -p["serial"])


def current_events(pubs: list[dict], since: date) -> tuple[list[FeedEvent], set[date]]:
    """The union of the publications from `since` on: each date from the newest publication covering it.
    Returns the events and every date covered by any publication."""
    claimed: set[date] = set()
    covered: set[date] = set()
    out: list[FeedEvent] = []
    for pub in pubs:  # newest first
        plan = pub["_plan"] if "_plan" in pub else Plan.model_validate(pub["plan"])
        school = pub["_school"] if "_school" in pub else School.model_validate(pub["school"])
        dates = _plan_dates(plan)
        covered |= dates
        mine = {d for d in dates if d >= since and d not in claimed}
        claimed |= mine
        out.extend(e for e in events_from_plan(school, plan) if e.date in mine)
    return out, covered


def _item_payload(ev: FeedEvent, sequence: int, changed_at: datetime, dropped: bool, pub_id: str) -> dict:
    return {"event": ev.to_dict(), "hash": ev.content_hash(), "sequence": sequence,
            "changed_at": changed_at.isoformat(), "dropped": dropped, "publication_id": pub_id}


def publish_plan(store: Store, school: School, plan: Plan, now: datetime, *, plan_id: str | None = None) -> PublishResult:
    """Record the plan as published and bring the feed items up to date (see the module docstring). Everything
    is one transaction: a failure, or another publisher saving first, leaves the previous publication whole."""
    check_plan(school, plan)
    check_links(plan)
    with store.transaction():
        return _publish_plan(store, school, plan, now, plan_id=plan_id)


def _publish_plan(store: Store, school: School, plan: Plan, now: datetime, *, plan_id: str | None) -> PublishResult:
    now = _utc_seconds(now)
    today = now.astimezone(ZoneInfo(school.timezone)).date()
    plan_hash = plan.content_hash()
    pub_id = f"{school.id}:pub:{plan_hash[:24]}"
    head = store.get("publication", head_id(school.id))
    if head and head.payload["publication_id"] == pub_id and head.payload["fingerprint"] == school.fingerprint():
        return PublishResult(pub_id, head.payload["serial"], True)
    serial = head.payload["serial"] + 1 if head else 1
    pubs = [p for p in publications(store, school.id) if p["id"] != pub_id]
    mine = {"id": pub_id, "serial": serial, "_plan": plan, "_school": school}
    events, covered = current_events([mine, *pubs], today - timedelta(days=DAYS_BACK))

    result = PublishResult(pub_id, serial, False)
    stored = {r.id: r for r in store.list("feed_item", school_id=school.id)}
    seen = set()
    for ev in events:
        if ev.uid in seen:
            continue
        seen.add(ev.uid)
        rec = stored.get(ev.uid)
        cols = dict(school_id=school.id, occurrence_date=ev.date.isoformat(), status=ev.status)
        if rec is None:
            store.save("feed_item", ev.uid, _item_payload(ev, 1, now, False, pub_id), None, **cols)
            result.created.append(ev.uid)
        elif rec.payload["hash"] != ev.content_hash() or rec.payload["dropped"]:
            store.save("feed_item", ev.uid, _item_payload(ev, rec.payload["sequence"] + 1, now, False, pub_id),
                       rec.version, **cols)
            result.changed.append(ev.uid)
        else:
            result.kept += 1
    for uid, rec in stored.items():
        if uid in seen or rec.payload["dropped"] or date.fromisoformat(rec.columns["occurrence_date"]) < today:
            continue
        p = dict(rec.payload, sequence=rec.payload["sequence"] + 1, changed_at=now.isoformat(), dropped=True)
        store.save("feed_item", uid, p, rec.version, status=CANCELLED)
        result.dropped.append(uid)

    old = store.get("publication", pub_id)
    payload = {"serial": serial, "plan_hash": plan_hash, "plan": plan.model_dump(mode="json"),
               "school": school.model_dump(mode="json"), "school_fingerprint": school.fingerprint(),
               "published_at": now.isoformat()}
    store.save("publication", pub_id, payload, old.version if old else None, school_id=school.id,
               plan_id=plan_id or plan_hash)
    regular_since = dict(head.payload.get("regular_since", {})) if head else {}
    regular_since.setdefault(school.fingerprint(), now.isoformat())
    changed = result.created or result.changed or result.dropped
    head_payload = {"serial": serial, "publication_id": pub_id, "fingerprint": school.fingerprint(),
                    "published_at": now.isoformat(), "dates": sorted(d.isoformat() for d in covered),
                    "changed_at": now.isoformat() if changed or not head else head.payload["changed_at"],
                    "regular_since": regular_since}
    store.save("publication", head_id(school.id), head_payload, head.version if head else None,
               school_id=school.id, plan_id=None)
    return result


# ------------------------------------------------------------------ reading the state


@dataclass(frozen=True)
class FeedState:
    """What feeds are rendered from: the latest school, every stored item, the covered dates."""

    school: School
    items: tuple[FeedItem, ...]
    covered: frozenset[date]
    regular_stamp: datetime
    version: int  # the head record's version: changes whenever a publication changes anything

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.school.timezone)


def head_version(store: Store, school_id: str) -> int | None:
    head = store.get("publication", head_id(school_id))
    return head.version if head else None


def load_state(store: Store, school_id: str) -> FeedState | None:
    """The school's feed state, or None before its first publication."""
    head = store.get("publication", head_id(school_id))
    if head is None:
        return None
    latest = store.get("publication", head.payload["publication_id"])
    school = School.model_validate(latest.payload["school"])
    tz = ZoneInfo(school.timezone)
    items = []
    for r in store.list("feed_item", school_id=school_id):
        p = r.payload
        items.append(FeedItem(FeedEvent.from_dict(p["event"], tz), p["sequence"],
                              datetime.fromisoformat(p["changed_at"]), p["dropped"]))
    stamp = datetime.fromisoformat(head.payload["regular_since"][head.payload["fingerprint"]])
    return FeedState(school, tuple(items), frozenset(date.fromisoformat(d) for d in head.payload["dates"]),
                     stamp, head.version)


# ------------------------------------------------------------------ selecting and rendering


@dataclass(frozen=True)
class FeedSpec:
    """Which events one feed shows."""

    kind: str  # teacher | class | family | admin
    subject_id: str
    class_id: str | None = None
    groups: frozenset[str] = frozenset()
    include_regular: bool = False
    feed_uid: str = ""

    @classmethod
    def from_token(cls, t: FeedToken) -> "FeedSpec":
        class_id = t.class_id or (t.subject_id if t.kind == "class" else None)
        return cls(t.kind, t.subject_id, class_id, frozenset(t.groups), t.include_regular,
                   f"feed-{t.id}@{t.school_id}.planner")

    def shows(self, ev: FeedEvent) -> bool:
        if self.kind == "admin":
            return True
        if self.kind == "teacher":
            return self.subject_id in ev.teachers
        if ev.class_id != self.class_id:
            return False
        return self.kind == "class" or not self.groups or not ev.groups or bool(self.groups & set(ev.groups))


def feed_title(spec: FeedSpec, school: School) -> tuple[str, str]:
    """NAME and DESCRIPTION of a feed (Russian; a family feed is named by its class and groups only)."""
    note = ("Календарь обновляется не чаще раза в час, Google — раз в 8–24 часа; "
            "срочные изменения приходят в чат класса в MAX.")
    if spec.kind == "teacher":
        name = next((t.name for t in school.teachers if t.id == spec.subject_id), spec.subject_id)
        return f"Уроки — {name}", f"{school.name}: уроки учителя. {note}"
    if spec.kind == "admin":
        return "Все уроки — администрация", f"{school.name}: все уроки школы. {note}"
    klass = next((c for c in school.classes if c.id == spec.class_id), None)
    title = klass.name if klass else str(spec.class_id)
    if spec.kind == "family" and spec.groups and klass:
        title += " (" + ", ".join(g.name for g in klass.groups if g.id in spec.groups) + ")"
    return f"{title} — уроки", f"{school.name}: уроки класса. {note}"


def feed_items(state: FeedState, spec: FeedSpec, today: date) -> list[FeedItem]:
    """The items of one feed for a date, in a stable order: in the window, dropped ones until their date."""
    first, last = feed_window(today)
    out = [i for i in state.items if first <= i.event.date <= last and spec.shows(i.event)
           and not (i.status == CANCELLED and i.event.date < today)]
    if spec.include_regular:
        days = [d for d in dates_between(first, last) if d not in state.covered]
        out += [FeedItem(e, 0, state.regular_stamp) for e in _regular(state, tuple(days)) if spec.shows(e)]
    out.sort(key=lambda i: (i.event.start, i.event.uid))
    return out


_REGULAR: dict[tuple, list[FeedEvent]] = {}


def _regular(state: FeedState, days: tuple[date, ...]) -> list[FeedEvent]:
    key = (state.school.id, state.version, days)
    if key not in _REGULAR:
        if len(_REGULAR) > 8:
            _REGULAR.clear()
        _REGULAR[key] = regular_events(state.school, days)
    return _REGULAR[key]


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    last_modified: datetime
    events: int


class FeedRenderer:
    """Renders feeds, serialising each event once (shared bytes) and the shell once per feed kind and day."""

    def __init__(self):
        self.events = ics.EventBytesCache()

    def render(self, state: FeedState, spec: FeedSpec, today: date) -> RenderedFeed:
        items = feed_items(state, spec, today)
        if spec.kind in ("class", "family"):
            items = [shared_view(i, state.school) for i in items]
        name, description = feed_title(spec, state.school)
        shell = ics.calendar_shell(name, description, spec.feed_uid or f"feed-{spec.kind}-{spec.subject_id}",
                                   state.school.timezone, today)
        body = ics.assemble(ics.shell_bytes(shell), [self.events.get(i) for i in items])
        modified = max((i.changed_at for i in items), default=state.regular_stamp)
        return RenderedFeed(body, modified, len(items))


SHARED_LINK_TEXT = "звонок в чате класса в MAX (ссылку даёт учитель или куратор)"


def shared_view(item: FeedItem, school: School) -> FeedItem:
    """An item as class and family feeds show it. Those feeds are made to be shared, so by default they carry no
    chat invite links (the regulations ask to keep invite links from spreading; teacher feeds keep them); the
    school's channel policy can put the links back and can leave teachers' names out."""
    policy = school.channel_policy
    ev = item.event
    lines = ev.description.split("\n")
    update: dict = {}
    if not policy.links_in_family_feeds and (ev.link or any(ln.startswith(("Чат класса: ", LINK_LINE))
                                                            for ln in lines)):
        lines = [LINK_LINE + SHARED_LINK_TEXT if ln.startswith(LINK_LINE) else ln for ln in lines
                 if not ln.startswith("Чат класса: ")]
        update.update(link=None, location=SHARED_LINK_TEXT if ev.kind == "live" else ev.location)
    if not policy.teacher_names_in_family_feeds:
        lines = [ln for ln in lines if not ln.startswith(("Учитель: ", "Учитель по расписанию: "))]
    if not update and lines == ev.description.split("\n"):
        return item
    return replace(item, event=replace(ev, description="\n".join(lines), **update))


def today_at(state: FeedState, now: datetime) -> date:
    return now.astimezone(state.tz).date()


# ------------------------------------------------------------------ files


def _write_temp(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FEED_FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


FEED_DIR_MODE = 0o700  # the feed folder and its files are the owner's only
FEED_FILE_MODE = 0o600
_TEMP_MARK = ".ics.tmp"


def feed_file_name(secret: str) -> str:
    """The file name of a token's feed: the token's SHA-256 (as in the database), never the token itself."""
    return f"{hash_token(secret)}.ics"


def feed_file(out_dir: Path, secret: str) -> Path:
    return Path(out_dir) / feed_file_name(secret)


def _remove_feed_files(out_dir: Path, secret: str) -> None:
    feed_file(out_dir, secret).unlink(missing_ok=True)
    (Path(out_dir) / f"{secret}.ics").unlink(missing_ok=True)  # named by the token (before issue 11)


def clean_temp_files(out_dir: Path) -> list[Path]:
    """Remove temp files a killed publish left behind (call it holding publish_lock)."""
    removed = []
    for f in Path(out_dir).glob(f".*{_TEMP_MARK}*") if Path(out_dir).is_dir() else ():
        if f.is_file():
            f.unlink(missing_ok=True)
            removed.append(f)
    return removed


@contextmanager
def publish_lock(store: Store):
    """An exclusive lock on the data directory (`.publish.lock`, flock): publishing, revoking and rotating
    serialise, so the feed files written last are those of the last committed publication."""
    import fcntl

    path = Path(store.data_dir) / ".publish.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def write_feed_files(out_dir: Path, feeds: dict[str, bytes], *, prune: bool = True,
                     owned_hashes: set[str] | None = None) -> tuple[list[Path], list[Path]]:
    """Write each token's feed as `<SHA-256 of the token>.ics` (feed_file_name): every temp file first, then
    os.replace each, so a failure while writing leaves every previous file as it was. Temp files of a killed
    earlier run are removed first; files named by the token itself (older versions) are replaced. With prune,
    feed files of this school's tokens (`owned_hashes`: their SHA-256) that are not in `feeds` (revoked) are
    removed; other schools' and unknown files are left alone. The folder and files are the owner's only.
    Returns (written, removed)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True, mode=FEED_DIR_MODE)
    clean_temp_files(out_dir)
    temps: list[tuple[Path, Path]] = []
    try:
        for secret, body in sorted(feeds.items()):
            if not TOKEN_RE.fullmatch(secret):
                raise ValueError("a feed file name must be a token")
            final = feed_file(out_dir, secret)
            (out_dir / f"{secret}.ics").unlink(missing_ok=True)  # named by the token (before issue 11)
            if final.exists() and final.read_bytes() == body:
                continue  # unchanged: keep the file (and its mtime)
            tmp = out_dir / f".{final.stem}{_TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}"
            temps.append((tmp, final))
            _write_temp(tmp, body)
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in temps:
        replace_into(tmp, final)
    removed = []
    kept = {hash_token(secret) for secret in feeds}
    for f in out_dir.glob("*.ics") if prune and owned_hashes else ():
        key = hash_token(f.stem) if TOKEN_RE.fullmatch(f.stem) else f.stem
        if key in owned_hashes and key not in kept:
            f.unlink()
            removed.append(f)
    return [final for _, final in temps], removed


def render_token_feeds(store: Store, school_id: str, now: datetime,
                       renderer: FeedRenderer | None = None) -> dict[str, bytes]:
    """Every active token's feed of a school, by token value (tokens whose value cannot be decrypted are left
    out: their key file is missing)."""
    state = load_state(store, school_id)
    if state is None:
        return {}
    renderer = renderer or FeedRenderer()
    today = today_at(state, now)
    return {t.secret: renderer.render(state, FeedSpec.from_token(t), today).body
            for t in TokenStore(store).list(school_id) if t.secret}


def write_token_feed(store: Store, token: FeedToken, out_dir: Path, now: datetime) -> Path | None:
    """Write one token's feed file (after `tokens create/rotate`), or None before the first publication."""
    state = load_state(store, token.school_id)
    if state is None or not token.secret:
        return None
    body = FeedRenderer().render(state, FeedSpec.from_token(token), today_at(state, now)).body
    with publish_lock(store):
        write_feed_files(Path(out_dir), {token.secret: body}, prune=False)
    return feed_file(Path(out_dir), token.secret)


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


# ------------------------------------------------------------------ the whole publish (CLI and page)


class MissingLinks(InputError):
    """Live lessons without a call link; the publication is refused unless allowed."""

    def __init__(self, occurrences: list[Occurrence]):
        self.occurrences = occurrences
        keys = ", ".join(f"{o.key}#{o.part}" for o in occurrences[:10]) + (" …" if len(occurrences) > 10 else "")
        super().__init__(f"{len(occurrences)} live lesson(s) have no call link: {keys}",
                         f"у {plural(len(occurrences), 'онлайн-урока', 'онлайн-уроков', 'онлайн-уроков')} нет ссылки "
                         f"на звонок — {keys}")


@dataclass
class PublishOutcome:
    result: PublishResult
    new_tokens: list[FeedToken]
    written: list[Path]
    removed: list[Path]
    feeds: int


def publish_to_dir(store: Store, school: School, plan: Plan, out_dir: Path | None, now: datetime, *,
                   allow_missing_links: bool = False, plan_id: str | None = None,
                   create_tokens: bool = True) -> PublishOutcome:
    """Check, record the publication, create the missing teacher/class/administration tokens, and write every
    active token's feed as `<token>.ics` into out_dir (when given). A live lesson without a link refuses the
    publication (MissingLinks) unless allow_missing_links: then its description says the link will come in
    the class chat, and it has no URL/CONFERENCE."""
    check_plan(school, plan)
    check_links(plan)  # before anything is recorded (publish_plan checks again)
    missing = live_without_link(plan)
    if missing and not allow_missing_links:
        raise MissingLinks(missing)
    with publish_lock(store):  # commit and files in one critical section: the last writer's files win
        result = publish_plan(store, school, plan, now, plan_id=plan_id)
        new_tokens = ensure_default_tokens(store, school, now) if create_tokens else []
        feeds = render_token_feeds(store, school.id, now)
        owned = {r.columns["token_hash"] for r in store.list("token", school_id=school.id)}
        written, removed = (write_feed_files(Path(out_dir), feeds, owned_hashes=owned) if out_dir is not None
                            else ([], []))
    return PublishOutcome(result, new_tokens, written, removed, len(feeds))


def published_school_ids(store: Store) -> list[str]:
    """Schools with at least one publication (their head records have no plan_id)."""
    return sorted(r.columns["school_id"] for r in store.list("publication", plan_id=None))


def published_school(store: Store, school_id: str) -> School | None:
    """The school of the newest publication, or None."""
    head = store.get("publication", head_id(school_id))
    latest = store.get("publication", head.payload["publication_id"]) if head else None
    return School.model_validate(latest.payload["school"]) if latest else None


def revoke_token(store: Store, token: str, *, now: datetime, feeds_dir: Path | None = None) -> FeedToken:
    """Revoke a token (its id tok_… or the token itself); its feed file, if any, is removed."""
    tokens = TokenStore(store)
    old = tokens.lookup(token)
    with publish_lock(store):
        revoked = tokens.revoke(old.id, now=now)
        if feeds_dir is not None and old.secret:
            _remove_feed_files(Path(feeds_dir), old.secret)
    return revoked


def rotate_token(store: Store, token: str, *, now: datetime, feeds_dir: Path | None = None) -> FeedToken:
    """Replace a token by a new one for the same selection; the old feed file goes, the new one is written."""
    tokens = TokenStore(store)
    old = tokens.lookup(token)
    with publish_lock(store):
        new = tokens.rotate(old.id, now=now)
        if feeds_dir is not None and old.secret:
            _remove_feed_files(Path(feeds_dir), old.secret)
    if feeds_dir is not None:
        write_token_feed(store, new, Path(feeds_dir), now)
    return new
