"""The outbox: every part stored (Store kind "message"), sent inside business hours or at once when urgent, queued
otherwise and sent by `send_due`; a part MAX could not take is retried after a back-off, each part goes out once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from planner.errors import PlannerError, StaleSaveError
from planner.plan.model import Plan
from planner.school.model import School

from .compose import ChatMessage
from .hours import business_hours


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


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


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


def _known_chat_ids(store, school_id: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for r in store.list("message", school_id=school_id):
        if r.payload.get("chat_id"):
            found[r.payload["chat_key"]] = str(r.payload["chat_id"])
    return found


def _deliver(store, client, record, now: datetime, report: QueueReport, cache: dict[str, str]) -> Delivery:
    """Claim a stored part (status sending, optimistic version), send it, record sent or failed."""
    p = dict(record.payload)
    base = dict(record_id=record.id, chat_key=p["chat_key"], part=p["part"], parts=p["parts"],
                due_at=record.columns.get("due_at"), urgent=p.get("urgent", False))
    try:
        claimed = store.save("message", record.id, {**p, "claimed_at": _utc(now)}, record.version, status="sending")
    except StaleSaveError:
        return Delivery(status="skipped", error="taken by another sender", **base)
    chat_id = p.get("chat_id") or cache.get(p["chat_key"])
    try:
        if not chat_id:
            if not p.get("invite_link"):
                raise PlannerError("the chat has neither a chat_id nor an invite link")
            chat_id = client.resolve_chat_id(p["invite_link"])
            cache[p["chat_key"]] = chat_id
            report.resolved_chat_ids[p["chat_key"]] = chat_id
        result = client.send_text(chat_id, p["text"])
    except Exception as err:  # noqa: BLE001 - recorded on the message, reported to the caller
        tries = int(p.get("tries", 0)) + 1
        p.update(error=f"{type(err).__name__}: {err}", failed_at=_utc(now), chat_id=chat_id, tries=tries)
        if _retryable(err) and tries < OUTBOX_MAX_TRIES:
            # MAX unavailable: kept in the outbox and tried again after a back-off (000 §2.2: the message is
            # duplicated in MAX once it is available again); the claim above keeps it from going out twice
            due = now + timedelta(seconds=min(OUTBOX_FIRST_BACKOFF_S * 2 ** (tries - 1), OUTBOX_MAX_BACKOFF_S))
            store.save("message", record.id, p, claimed.version, status="queued", due_at=due)
            return Delivery(status="retry", chat_id=chat_id, error=p["error"], **{**base, "due_at": _utc(due)})
        store.save("message", record.id, p, claimed.version, status="failed")
        return Delivery(status="failed", chat_id=chat_id, error=p["error"], **base)
    p.update(chat_id=chat_id, sent_at=_utc(now), message_id=result.message_id, attempts=result.attempts, error="")
    store.save("message", record.id, p, claimed.version, status="sent")
    return Delivery(status="sent", chat_id=chat_id, **base)


def queue_messages(store, school: School, plan: Plan, messages: list[ChatMessage], client, *, now: datetime,
                   library, urgent: bool = False, urgent_category: str | None = None) -> QueueReport:
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
                                                  "would_send" if open_now else "would_queue", _utc(due), chat_id,
                                                  urgent=urgent))
                continue
            payload = dict(school_id=school.id, plan_hash=plan_hash, scenario=plan.scenario.name,
                           chat_key=m.chat_key, chat_id=m.chat_id, invite_link=m.invite_link, part=i,
                           parts=len(m.text_parts), text=text, urgent=urgent, composed_at=_utc(now),
                           urgent_category=category)
            record = store.get("message", rid)
            if record is not None and record.columns["status"] in ("sent", "sending"):
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts), "skipped",
                                                  record.columns["due_at"], error=f"already {record.columns['status']}"))
                continue
            if record is not None and record.columns["status"] == "queued" and not open_now:
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts), "skipped",
                                                  record.columns["due_at"], error="already queued"))
                continue
            record = store.save("message", rid, payload, record.version if record else None,
                                school_id=school.id, chat=m.chat_key, status="queued", due_at=due)
            if open_now:
                report.deliveries.append(_deliver(store, client, record, now, report, cache))
            else:
                report.deliveries.append(Delivery(rid, m.chat_key, i, len(m.text_parts), "queued", _utc(due),
                                                  m.chat_id))
    return report


def send_due(store, client, *, now: datetime, school_id: str | None = None, library=None) -> QueueReport:
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
            client.send_text(r.payload.get("chat_id") or f"<{r.payload.get('invite_link')}>", r.payload["text"])
            report.deliveries.append(Delivery(r.id, r.payload["chat_key"], r.payload["part"], r.payload["parts"],
                                              "would_send", r.columns["due_at"], r.payload.get("chat_id")))
            continue
        cache = caches.setdefault(sid, _known_chat_ids(store, sid))
        report.deliveries.append(_deliver(store, client, r, now, report, cache))
    return report
