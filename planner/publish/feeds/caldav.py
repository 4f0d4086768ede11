"""CalDAV push: mirror one feed's events onto a CalDAV calendar (Yandex Calendar, Nextcloud, Radicale).

The calendar gets exactly the events the feed of the same selection shows (`feed_items`), with the same UIDs
and the same VEVENT bytes (`ics.EventBytesCache`), one VEVENT per calendar object, each with its VTIMEZONE and
without METHOD (RFC 4791 §4.1 forbids METHOD in a calendar collection). See docs/caldav.md.

Rules, per UID of this school (`…@<school>.planner`; nothing else on the calendar is touched):
- in the feed, not on the server → PUT (created), unless it is a cancellation the server never had;
- in the feed and on the server, the server copy differs in what a subscriber sees or in SEQUENCE → PUT over
  the server's resource with If-Match on its ETag (updated); otherwise nothing is sent (unchanged);
- a lesson dropped by a later plan is in the feed as STATUS:CANCELLED, SEQUENCE+1, «ОТМЕНЁН: …» (the feed
  convention) and is pushed like that, so synced clients show it struck through or hidden, never silently gone;
- on the server but no longer in the feed (a cancelled lesson whose date has passed, a lesson of another
  selection) → DELETE, if its date is inside the feed window (7 days back and later); older events are history
  and stay.
SEQUENCE is never raised here (caldav's `increase_seqno` is off): it is the feed's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from icalendar import Calendar

from planner.errors import InputError, PlannerError
from planner.school.links import plain_http_off_loopback
from planner.school.model import School
from planner.storage import Store
from planner.utc import utc_text

from . import ics
from .events import CANCELLED, FeedItem
from .select import FeedSpec, feed_items
from .state import FeedState
from .window import feed_window


class CalDAVError(PlannerError):
    """The CalDAV server could not be reached or refused a request (the publication itself is recorded)."""

    exit_code = 4


@dataclass
class PushResult:
    """UIDs per outcome. `writes` = PUTs + DELETEs sent."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # cancellations never pushed: nothing to cancel

    @property
    def writes(self) -> int:
        return len(self.created) + len(self.updated) + len(self.deleted)

    def summary(self) -> str:
        return (f"{len(self.created)} created, {len(self.updated)} updated, {len(self.deleted)} deleted, "
                f"{len(self.unchanged)} unchanged")


# ------------------------------------------------------------------ the selection


def parse_feed_selection(text: str | None, school: School | None = None) -> FeedSpec:
    """`admin` (default), `teacher:T-07`, `class:7B`, or `class:7B:7B-L1,7B-L2` (a family-style selection:
    whole-class lessons plus those groups). Checked against the school when given."""
    text = (text or "admin").strip()
    kind, _, rest = text.partition(":")
    if kind == "admin" and not rest:
        return FeedSpec("admin", "admin", feed_uid="caldav-admin")
    if kind == "teacher" and rest:
        if school is not None and rest not in {t.id for t in school.teachers}:
            raise InputError(f"--caldav-feed: no teacher '{rest}' in {school.id}", f"--caldav-feed: нет учителя «{rest}»")
        return FeedSpec("teacher", rest, feed_uid=f"caldav-teacher-{rest}")
    if kind == "class" and rest:
        class_id, _, groups = rest.partition(":")
        wanted = frozenset(g for g in groups.split(",") if g)
        if school is not None:
            klass = next((c for c in school.classes if c.id == class_id), None)
            if klass is None:
                raise InputError(f"--caldav-feed: no class '{class_id}' in {school.id}",
                                 f"--caldav-feed: нет класса «{class_id}»")
            bad = sorted(wanted - {g.id for g in klass.groups})
            if bad:
                raise InputError(f"--caldav-feed: class '{class_id}' has no group(s) {', '.join(bad)}",
                                 f"--caldav-feed: в классе «{class_id}» нет групп {', '.join(bad)}")
        if wanted:
            return FeedSpec("family", class_id, class_id, wanted, feed_uid=f"caldav-class-{class_id}")
        return FeedSpec("class", class_id, class_id, feed_uid=f"caldav-class-{class_id}")
    raise InputError(f"--caldav-feed '{text}': use admin, teacher:ID, class:ID or class:ID:GROUP[,GROUP]",
                     f"--caldav-feed «{text}»: admin, teacher:ID, class:ID или class:ID:ГРУППА[,ГРУППА]")


def check_caldav_url(url: str) -> None:
    """Refuse a calendar URL that carries a user name or password (`https://user:pass@host/…`): credentials go in
    --caldav-user and --caldav-password-file, so that the plain-http guard applies and no message prints them.
    The error does not repeat the URL."""
    try:
        parts = urlsplit(url)
        has_credentials = parts.username is not None or parts.password is not None
    except ValueError:
        raise InputError("the CalDAV URL is not a valid URL", "адрес CalDAV — не корректный URL") from None
    if has_credentials or "@" in parts.netloc:
        raise InputError("the CalDAV URL must not contain a user name or password: use --caldav-user and "
                         "--caldav-password-file", "в адресе CalDAV не должно быть имени и пароля: укажите "
                         "--caldav-user и --caldav-password-file")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("the CalDAV URL must be an http(s) URL with a host", "адрес CalDAV должен быть http(s)-адресом")


def redact(text: str, *secrets: str | None) -> str:
    """The text with every given secret replaced by ***."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def read_password_file(path: str | Path | None) -> str | None:
    """The password from a file (first line, stripped); never taken from the command line."""
    if path is None:
        return None
    try:
        secret = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(f"--caldav-password-file: cannot read {path}: {err.strerror}",
                         f"--caldav-password-file: не удаётся прочитать {path}") from None
    if not secret or not secret[0].strip():
        raise InputError(f"--caldav-password-file {path} is empty", f"файл пароля {path} пуст")
    return secret[0].strip()


# ------------------------------------------------------------------ objects


def uid_suffix(school_id: str) -> str:
    return f"@{quote(school_id, safe='')}.planner"


def resource_name(uid: str) -> str:
    """The resource name of a new object: a hash of the UID (UIDs hold '|', '#', '@', which some servers
    refuse or rewrite in paths). Existing objects are updated where the server keeps them."""
    return "planner-" + hashlib.sha256(uid.encode()).hexdigest()[:32] + ".ics"


class ObjectBuilder:
    """One VCALENDAR per event: PRODID, VERSION, the VTIMEZONE, and the feed's VEVENT bytes (shared cache)."""

    def __init__(self, tzid: str, today: date, events: ics.EventBytesCache | None = None):
        cal = Calendar.new(prodid=ics.PRODID)
        cal.pop("UID", None)  # Calendar.new adds a random one: the bytes must not change between runs
        cal.add_component(ics.timezone_component(tzid, today.year))
        self.head = ics.shell_bytes(cal)
        self.events = events or ics.EventBytesCache()

    def build(self, item: FeedItem) -> bytes:
        return ics.assemble(self.head, [self.events.get(item)])


def _text(value: object) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


def fingerprint(vevent: Any) -> tuple[int, str, str, str, str, str, str]:
    """What decides whether the server copy is current: SEQUENCE and what a subscriber sees. DTSTAMP and
    LAST-MODIFIED are left out (some servers rewrite them); the feed raises SEQUENCE on every visible change."""
    return (int(vevent.get("SEQUENCE", 0)), utc_text(vevent.get("DTSTART").dt), utc_text(vevent.get("DTEND").dt),
            _text(vevent.get("SUMMARY")), _text(vevent.get("STATUS", "CONFIRMED")).upper(),
            _text(vevent.get("DESCRIPTION")), _text(vevent.get("LOCATION")))


def _vevent(data: bytes | str) -> Any:
    cal = Calendar.from_ical(data)
    found = [c for c in cal.walk("VEVENT")]
    return found[0] if len(found) == 1 else None


# ------------------------------------------------------------------ the push


def open_calendar(url: str, username: str | None, password: str | None, *, timeout: int = 30) -> tuple[Any, Any]:
    """The caldav Calendar at url (it must exist: Yandex and Nextcloud calendars are made in their UI)."""
    try:
        import caldav
    except ImportError as err:  # pragma: no cover - a runtime dependency
        raise CalDAVError("the 'caldav' package is not installed (pip install caldav)") from err
    check_caldav_url(url)
    if password and plain_http_off_loopback(url):
        raise CalDAVError(f"refusing to send the CalDAV password over plain http to {urlsplit(url).hostname}: use https")
    # (type: ignore: the library's lazy attributes read as object)
    client = caldav.DAVClient(url=url, username=username, password=password, timeout=timeout,  # type: ignore[operator]
                              enable_rfc6764=False, require_tls=False)
    return client, client.calendar(url=url)


def push_caldav(state: FeedState, spec: FeedSpec, url: str, *, username: str | None = None,
                password: str | None = None, today: date, calendar: Any = None) -> PushResult:
    """Bring the CalDAV calendar at url in line with the feed `spec` on `today` (see the module docstring).
    Idempotent: re-run on an unchanged state it sends no PUT or DELETE. `calendar` (a caldav Calendar) may be
    given instead of url/credentials."""
    from caldav.lib import error as dav_error

    if calendar is None:
        try:
            _, calendar = open_calendar(url, username, password)
        except (CalDAVError, InputError):
            raise
        except Exception as err:  # the caldav library's own errors: never with the password in them
            raise CalDAVError(redact(f"CalDAV server {url} unreachable: {type(err).__name__}: {err}",
                                     password)) from None
    suffix = uid_suffix(state.school.id)
    builder = ObjectBuilder(state.school.timezone, today)
    wanted: dict[str, FeedItem] = {}
    for item in feed_items(state, spec, today):
        wanted.setdefault(item.event.uid, item)
    first, _ = feed_window(today)
    result = PushResult()
    try:
        server: dict[str, list[tuple[Any, Any]]] = {}
        for obj in calendar.get_events():
            ev = _vevent(obj.data)
            uid = str(ev.get("UID", "")) if ev is not None else ""
            if uid.endswith(suffix):
                server.setdefault(uid, []).append((obj, ev))
        for uid, item in wanted.items():
            body = builder.build(item)
            have = server.pop(uid, [])
            for extra, _ in have[1:]:  # the same UID twice (another client copied it): keep one
                extra.delete()
            if not have:
                if item.status == CANCELLED and item.dropped:
                    result.skipped.append(uid)  # the server never had it: nothing to cancel
                    continue
                obj = _new_event(calendar, uid)
                obj.save(raw_data=body, increase_seqno=False)
                result.created.append(uid)
                continue
            obj, ev = have[0]
            if fingerprint(ev) == fingerprint(_vevent(body)):
                result.unchanged.append(uid)
                continue
            obj.save(raw_data=body, increase_seqno=False)
            result.updated.append(uid)
        for uid, copies in server.items():  # ours, no longer in the feed
            start = copies[0][1].get("DTSTART").dt
            day = start.astimezone(state.tz).date() if isinstance(start, datetime) and start.tzinfo else (
                start.date() if isinstance(start, datetime) else start)
            if day < first:
                continue  # history before the window: leave it
            for obj, _ in copies:
                obj.delete()
            result.deleted.append(uid)
    except dav_error.DAVError as err:
        raise CalDAVError(redact(f"CalDAV push to {url or calendar.url} failed after {result.summary()}: "
                                 f"{type(err).__name__}: {err}", password)) from None
    except OSError as err:
        raise CalDAVError(redact(f"CalDAV server {url or calendar.url} unreachable: {err}", password)) from None
    return result


def _new_event(calendar: Any, uid: str) -> Any:
    from caldav import Event

    return Event(client=calendar.client, url=calendar.url.join(resource_name(uid)),  # type: ignore[operator]
                 parent=calendar)  # (the library's lazy attributes read as object, as DAVClient above)


def push_published(store: Store, school_id: str, url: str, *, feed: str | None, username: str | None,
                   password_file: str | Path | None, now: datetime) -> PushResult:
    """What `planner publish --caldav URL` runs after publishing: the school's state, the selection, the push."""
    from .state import load_state, today_at

    state = load_state(store, school_id)
    if state is None:
        raise InputError(f"nothing published for {school_id}", f"для {school_id} ничего не опубликовано")
    check_caldav_url(url)
    spec = parse_feed_selection(feed, state.school)
    password = read_password_file(password_file)
    if password is not None and not username:
        raise InputError("--caldav-password-file needs --caldav-user", "для --caldav-password-file нужен --caldav-user")
    return push_caldav(state, spec, url, username=username, password=password, today=today_at(state, now))
