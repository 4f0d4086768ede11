"""Recording a publication: the plan as published and the per-UID feed items brought up to date.

State in the database (planner.storage):
- "publication" `<school>:pub:<plan hash>`: the plan, the school it was made for, a serial (later wins per date),
  published_at. `<school>:head`: the newest serial, the dates covered, and when the items last changed.
- "feed_item" `<uid>`: the event as last published, its content hash, SEQUENCE, changed_at, and `dropped`.

A date belongs to the newest publication covering it, so next week's plan does not cancel this week's. Only
a visible change raises SEQUENCE and moves changed_at (= DTSTAMP = LAST-MODIFIED); re-publishing an unchanged
plan writes nothing and the feeds keep every byte. All functions take `now`; none reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.plan.model import Plan
from planner.publish.checks import check_links, check_plan
from planner.school.calendar import dates_between
from planner.school.model import School
from planner.storage import Store

from .events import CANCELLED, FeedEvent, events_from_plan
from .window import DAYS_BACK, utc_seconds


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
    now = utc_seconds(now)
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


def published_school_ids(store: Store) -> list[str]:
    """Schools with at least one publication (their head records have no plan_id)."""
    return sorted(r.columns["school_id"] for r in store.list("publication", plan_id=None))


def published_school(store: Store, school_id: str) -> School | None:
    """The school of the newest publication, or None."""
    head = store.get("publication", head_id(school_id))
    latest = store.get("publication", head.payload["publication_id"]) if head else None
    return School.model_validate(latest.payload["school"]) if latest else None
