"""Reading the published state back: the latest school, every stored feed item, the dates covered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner.school.model import School
from planner.storage import Store

from .events import FeedItem
from .publication import head_id
from .records import FeedItemRecord, Publication, PublicationHead


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
    head_rec = store.get("publication", head_id(school_id))
    if head_rec is None:
        return None
    head = PublicationHead.from_payload(head_rec.payload)
    latest = store.get("publication", head.publication_id)
    assert latest is not None  # the head names a stored publication (one transaction)
    school = Publication.from_payload(latest.id, latest.payload).school
    tz = ZoneInfo(school.timezone)
    items = tuple(FeedItemRecord.from_payload(r.payload).item(tz) for r in store.list("feed_item", school_id=school_id))
    return FeedState(school, items, frozenset(head.dates), head.regular_stamp, head_rec.version)


def today_at(state: FeedState, now: datetime) -> date:
    return now.astimezone(state.tz).date()
