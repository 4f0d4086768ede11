"""The outbox: every part stored (Store kind "message"), sent inside business hours or at once when urgent, queued
otherwise and sent by `send_due`; a part MAX could not take is retried after a back-off, each part goes out once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from planner.errors import PlannerError, StaleSaveError
from planner.plan.model import Plan
from planner.school.model import School
from planner.storage import Record, Store
from planner.utc import utc_iso

from .compose import ChatMessage
from .hours import business_hours
from .max_api import SendResult

if TYPE_CHECKING:
    from planner.norms import NormLibrary


class ChatClient(Protocol):
    """What the outbox needs of a MAX client (planner.publish.chat.max_api.MaxClient; a dry run sends nothing)."""

    @property
    def dry_run(self) -> bool: ...

    def resolve_chat_id(self, invite_link: str) -> str: ...

    def send_text(self, chat_id: str, text: str) -> SendResult: ...


@dataclass(frozen=True)
class OutboxPart:
    """One stored part (Store kind "message", id `<school>|<plan hash>|<chat key>|<i>-<n>`): what to send where,
    and what happened to it. The delivery fields appear in the stored payload once they are set; the payload keeps
    the keys it had before the record was typed."""

    school_id: str
    plan_hash: str
    scenario: str
    chat_key: str
    chat_id: str | None
    invite_link: str | None
    part: int
    parts: int
    text: str
    urgent: bool
    composed_at: str  # UTC, ISO (microseconds)
    urgent_category: Mapping[str, str] | None = None  # id, name, source of the emergency (000 §5.1)
    claimed_at: str | None = None
    tries: int | None = None  # failed sends so far
    error: str | None = None
    failed_at: str | None = None
    sent_at: str | None = None
    message_id: str | None = None
    attempts: int | None = None  # HTTP attempts of the successful send

    _ALWAYS = ("school_id", "plan_hash", "scenario", "chat_key", "chat_id", "invite_link", "part", "parts", "text",
               "urgent", "composed_at", "urgent_category")

    def payload(self) -> dict[str, Any]:
        sent = ("message_id", "attempts") if self.sent_at is not None else ()
        return {k: v for k, v in asdict(self).items() if k in self._ALWAYS or k in sent or v is not None}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> OutboxPart:
        values: dict[str, Any] = {k: p.get(k) for k in cls.__dataclass_fields__ if k in p or k in cls._ALWAYS}
        return cls(**values)


@dataclass(frozen=True)
class Delivery:
    """What happened to one part: sent, queued, failed, skipped (already sent / queued), or would_* in a dry run."""

    record_id: str
    chat_key: str
    part: int
    parts: int
    status: str
    due_at: str | None = None
    chat_id: str | None = None
    error: str = ""
    urgent: bool = False


@dataclass
class QueueReport:
    deliveries: list[Delivery]
    resolved_chat_ids: dict[str, str]  # chat key -> chat_id resolved through the API (the caller saves them)

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.deliveries)


# The outbox: a part MAX could not take (unreachable, 5xx, 429) is queued again after 1, 2, 4 … minutes (at most
# an hour between tries), up to OUTBOX_MAX_TRIES tries; a refusal (4xx) fails at once and is reported.
OUTBOX_FIRST_BACKOFF_S = 60
OUTBOX_MAX_BACKOFF_S = 3600
OUTBOX_MAX_TRIES = 12


def _retryable(err: Exception) -> bool:
    from .max_api import MaxApiError

    if not isinstance(err, MaxApiError):
        return False
    return err.status is None or err.status == 429 or err.status >= 500


def queued_parts(store: Store, school_id: str) -> int:
    """How many parts of the school wait in the outbox."""
    return len(store.list("message", school_id=school_id, status="queued"))


def _known_chat_ids(store: Store, school_id: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for r in store.list("message", school_id=school_id):
        if r.payload.get("chat_id"):
            found[r.payload["chat_key"]] = str(r.payload["chat_id"])
    return found


def _deliver(store: Store, client: ChatClient, record: Record, now: datetime, report: QueueReport,
             cache: dict[str, str]) -> Delivery:
    """Claim a stored part (status sending, optimistic version), send it, record sent or failed."""
    p = OutboxPart.from_payload(record.payload)
    base: dict[str, Any] = dict(record_id=record.id, chat_key=p.chat_key, part=p.part, parts=p.parts,
                                due_at=record.columns.get("due_at"), urgent=bool(p.urgent))
    try:
        claimed = store.save("message", record.id, replace(p, claimed_at=utc_iso(now)).payload(), record.version,
                             status="sending")
    except StaleSaveError:
        return Delivery(status="skipped", error="taken by another sender", **base)
    chat_id = p.chat_id or cache.get(p.chat_key)
    try:
        if not chat_id:
            if not p.invite_link:
                raise PlannerError("the chat has neither a chat_id nor an invite link")
            chat_id = client.resolve_chat_id(p.invite_link)
            cache[p.chat_key] = chat_id
            report.resolved_chat_ids[p.chat_key] = chat_id
        result = client.send_text(chat_id, p.text)
    except Exception as err:  # noqa: BLE001 - recorded on the message, reported to the caller
        tries = (p.tries or 0) + 1
        p = replace(p, error=f"{type(err).__name__}: {err}", failed_at=utc_iso(now), chat_id=chat_id, tries=tries)
        if _retryable(err) and tries < OUTBOX_MAX_TRIES:
            # MAX unavailable: kept in the outbox and tried again after a back-off (000 §2.2: the message is
            # duplicated in MAX once it is available again); the claim above keeps it from going out twice
            due = now + timedelta(seconds=min(OUTBOX_FIRST_BACKOFF_S * 2 ** (tries - 1), OUTBOX_MAX_BACKOFF_S))
            store.save("message", record.id, p.payload(), claimed.version, status="queued", due_at=due)
            return Delivery(status="retry", chat_id=chat_id, error=p.error or "", **{**base, "due_at": utc_iso(due)})
        store.save("message", record.id, p.payload(), claimed.version, status="failed")
        return Delivery(status="failed", chat_id=chat_id, error=p.error or "", **base)
    p = replace(p, chat_id=chat_id, sent_at=utc_iso(now), message_id=result.message_id, attempts=result.attempts, error="")
    store.save("message", record.id, p.payload(), claimed.version, status="sent")
    return Delivery(status="sent", chat_id=chat_id, **base)


def queue_messages(store: Store, school: School, plan: Plan, messages: list[ChatMessage], client: ChatClient, *,
                   now: datetime,
                   library: NormLibrary, urgent: bool = False, urgent_category: str | None = None) -> QueueReport:
    """Store every part (one record per part, id from school, plan and chat) and send those that may go now:
    all when urgent, else inside business hours; the rest wait as queued until the next window opening.
    A part already sent or queued is skipped (composing twice sends once); a failed one is tried again.
    With a dry-run client nothing is stored and nothing leaves the machine: the report says what would happen
    and the client records the requests it would make."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    category = None
    if urgent:  # 000 §5.1: outside business hours only emergencies; the category is recorded with the message
        from planner.school.channels import urgent_category as _category

        choice = _category(urgent_category, school.channel_policy)
        category = {"id": choice.id, "name": choice.name, "source": choice.source}
    hours = business_hours(library, school, now)
    open_now = urgent or hours.is_open(now)
    due = now if open_now else hours.next_opening(now)
    report = QueueReport([], {})
    plan_hash = plan.content_hash()[:16]
    cache = {} if client.dry_run else _known_chat_ids(store, school.id)
    for m in messages:
        for i, text in enumerate(m.text_parts, 1):
            rid = f"{school.id}|{plan_hash}|{m.chat_key}|{i:02d}-{len(m.text_parts):02d}"
            if client.dry_run:
                chat_id = m.chat_id or cache.get(m.chat_key)
                if open_now:
                    client.send_text(chat_id or f"<{m.invite_link}>", text)
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts),
                                                  "would_send" if open_now else "would_queue", utc_iso(due), chat_id,
                                                  urgent=urgent))
                continue
            part = OutboxPart(school.id, plan_hash, plan.scenario.name, m.chat_key, m.chat_id, m.invite_link, i,
                              len(m.text_parts), text, urgent, utc_iso(now), category)
            record = store.get("message", rid)
            if record is not None and record.columns["status"] in ("sent", "sending"):
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts), "skipped",
                                                  record.columns["due_at"], error=f"already {record.columns['status']}"))
                continue
            if record is not None and record.columns["status"] == "queued" and not open_now:
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts), "skipped",
                                                  record.columns["due_at"], error="already queued"))
                continue
            record = store.save("message", rid, part.payload(), record.version if record else None,
                                school_id=school.id, chat=m.chat_key, status="queued", due_at=due)
            if open_now:
                report.deliveries.append(_deliver(store, client, record, now, report, cache))
            else:
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts), "queued", utc_iso(due),
                                                  m.chat_id))
    return report


def send_due(store: Store, client: ChatClient, *, now: datetime, school_id: str | None = None,
             library: NormLibrary | None = None) -> QueueReport:
    """Send every queued part whose due_at has come (oldest first), each once; cron and the page call this.
    With the norm library given, parts stay queued while their school's business-hours window (local act) is
    closed, so a late cron run or a click at 22:00 sends nothing. With a dry-run client nothing is sent or
    changed: the report lists what would go out."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    report = QueueReport([], {})
    filters = {"status": "queued"} | ({"school_id": school_id} if school_id else {})
    records = [r for r in store.list("message", **filters)
               if r.columns["due_at"] and datetime.fromisoformat(r.columns["due_at"]) <= now]
    records.sort(key=lambda r: (r.columns["due_at"], r.id))
    caches: dict[str, dict[str, str]] = {}
    open_now: dict[str, bool] = {}
    for r in records:
        sid = r.columns["school_id"]
        if library is not None:
            if sid not in open_now:
                school = store.load_school(sid)
                open_now[sid] = school is None or business_hours(library, school, now).is_open(now)
            if not open_now[sid] and not r.payload.get("urgent"):
                continue  # queued until the window opens again (an urgent part being retried goes on)
        if client.dry_run:
            part = OutboxPart.from_payload(r.payload)
            client.send_text(part.chat_id or f"<{part.invite_link}>", part.text)
            report.deliveries.append(Delivery(r.id, part.chat_key, part.part, part.parts, "would_send",
                                              r.columns["due_at"], part.chat_id))
            continue
        cache = caches.setdefault(sid, _known_chat_ids(store, sid))
        report.deliveries.append(_deliver(store, client, r, now, report, cache))
    return report
