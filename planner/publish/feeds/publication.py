"""Recording a publication: the plan as published and the per-UID feed items brought up to date.

State in the database (planner.storage), typed in `records.py`:
- "publication" `<school>:pub:<plan hash>` (`Publication`): the plan, the school it was made for, a serial (later
  wins per date), published_at. `<school>:head` (`PublicationHead`): the newest serial, the dates covered, and when
  the items last changed.
- "feed_item" `<uid>` (`FeedItemRecord`): the event as last published, its content hash, SEQUENCE, changed_at, and
  `dropped`.

A date belongs to the newest publication covering it, so next week's plan does not cancel this week's. Only
a visible change raises SEQUENCE and moves changed_at (= DTSTAMP = LAST-MODIFIED); re-publishing an unchanged
plan writes nothing and the feeds keep every byte. All functions take `now`; none reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.plan.model import Plan
from planner.publish.checks import check_links, check_plan
from planner.school.calendar import dates_between
from planner.school.model import School
from planner.storage import Store

from .events import CANCELLED, FeedEvent, events_from_plan
from .records import FeedItemRecord, Publication, PublicationHead
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


def publications(store: Store, school_id: str) -> list[Publication]:
    """The school's publications, newest first."""
    recs = [r for r in store.list("publication", school_id=school_id) if r.id != head_id(school_id)]
    return sorted((Publication.from_payload(r.id, r.payload) for r in recs), key=lambda p: -p.serial)


def publication_head(store: Store, school_id: str) -> PublicationHead | None:
    """The school's head record (its newest publication), or None before the first one."""
    head = store.get("publication", head_id(school_id))
    return PublicationHead.from_payload(head.payload) if head else None


def current_events(pubs: list[Publication], since: date) -> tuple[list[FeedEvent], set[date]]:
    """The union of the publications from `since` on: each date from the newest publication covering it.
    Returns the events and every date covered by any publication."""
    claimed: set[date] = set()
    covered: set[date] = set()
    out: list[FeedEvent] = []
    for pub in pubs:  # newest first
        dates = _plan_dates(pub.plan)
        covered |= dates
        mine = {d for d in dates if d >= since and d not in claimed}
        claimed |= mine
        out.extend(e for e in events_from_plan(pub.school, pub.plan) if e.date in mine)
    return out, covered


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
    pub_id = f"{school.id}:pub:{plan.content_hash()[:24]}"
    head_rec = store.get("publication", head_id(school.id))
    head = PublicationHead.from_payload(head_rec.payload) if head_rec else None
    if head and head.publication_id == pub_id and head.fingerprint == school.fingerprint():
        return PublishResult(pub_id, head.serial, True)
    serial = head.serial + 1 if head else 1
    mine = Publication.made(pub_id, serial, plan, school, now)
    pubs = [p for p in publications(store, school.id) if p.id != pub_id]
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
            store.save("feed_item", ev.uid, FeedItemRecord.of(ev, 1, now, False, pub_id).payload(), None, **cols)
            result.created.append(ev.uid)
            continue
        before = FeedItemRecord.from_payload(rec.payload)
        if before.hash != ev.content_hash() or before.dropped:
            store.save("feed_item", ev.uid, FeedItemRecord.of(ev, before.sequence + 1, now, False, pub_id).payload(),
                       rec.version, **cols)
            result.changed.append(ev.uid)
        else:
            result.kept += 1
    for uid, rec in stored.items():
        item = FeedItemRecord.from_payload(rec.payload)
        if uid in seen or item.dropped or date.fromisoformat(rec.columns["occurrence_date"]) < today:
            continue
        dropped = replace(item, sequence=item.sequence + 1, changed_at=now, dropped=True)
        store.save("feed_item", uid, dropped.payload(), rec.version, status=CANCELLED)
        result.dropped.append(uid)

    old = store.get("publication", pub_id)
    store.save("publication", pub_id, mine.payload(), old.version if old else None, school_id=school.id,
               plan_id=plan_id or mine.plan_hash)
    regular_since = {**(head.regular_since if head else {})}
    regular_since.setdefault(school.fingerprint(), now)
    changed = result.created or result.changed or result.dropped
    new_head = PublicationHead(serial, pub_id, school.fingerprint(), now, tuple(sorted(covered)),
                               now if changed or not head else head.changed_at, regular_since)
    store.save("publication", head_id(school.id), new_head.payload(), head_rec.version if head_rec else None,
               school_id=school.id, plan_id=None)
    return result


def published_school_ids(store: Store) -> list[str]:
    """Schools with at least one publication (their head records have no plan_id)."""
    return sorted(r.columns["school_id"] for r in store.list("publication", plan_id=None))


def latest_publication(store: Store, school_id: str) -> tuple[Publication, str | None] | None:
    """The newest publication and the id of the plan it published (as saved), or None."""
    head = publication_head(store, school_id)
    latest = store.get("publication", head.publication_id) if head else None
    return (Publication.from_payload(latest.id, latest.payload), latest.columns.get("plan_id")) if latest else None


def published_school(store: Store, school_id: str) -> School | None:
    """The school of the newest publication, or None."""
    latest = latest_publication(store, school_id)
    return latest[0].school if latest else None
