"""Reading the published state back: the latest school, every stored feed item, the dates covered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner.school.model import School
from planner.storage import Store

from .events import FeedEvent, FeedItem
from .publication import head_id


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


def today_at(state: FeedState, now: datetime) -> date:
    return now.astimezone(state.tz).date()
