"""The stored shapes of a publication, typed: what `publication.py` writes and `state.py` reads back.

- `Publication` — a "publication" record `<school>:pub:<plan hash>`: the plan and the school it was made for, a
  serial (the later one wins per date), when it was published;
- `PublicationHead` — the record `<school>:head`: the newest serial, the dates covered, when the feed items last
  changed, and since when each version of the school's regular timetable is shown;
- `FeedItemRecord` — a "feed_item" record `<uid>`: the event as last published, its content hash, SEQUENCE,
  changed_at and `dropped`.

Each converts to and from the JSON payload the store keeps (`payload()`, `from_payload()`), key for key as before
the records were typed, so stored data and the feeds' bytes stay as they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from planner.plan.model import Plan
from planner.school.model import School

from .events import FeedEvent, FeedItem

Payload = dict[str, Any]


@dataclass(frozen=True)
class Publication:
    """One published plan. The plan and school are validated when first asked for (`plan`, `school`)."""

    id: str
    serial: int
    plan_hash: str
    school_fingerprint: str
    published_at: datetime
    plan_data: Mapping[str, Any] = field(repr=False, compare=False)
    school_data: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def made(cls, pub_id: str, serial: int, plan: Plan, school: School, now: datetime) -> Publication:
        """A new publication of `plan` for `school` (its plan and school at hand, not validated again)."""
        pub = cls(pub_id, serial, plan.content_hash(), school.fingerprint(), now,
                  plan.model_dump(mode="json"), school.model_dump(mode="json"))
        pub.__dict__.update(plan=plan, school=school)  # the cached properties' values
        return pub

    @cached_property
    def plan(self) -> Plan:
        return Plan.model_validate(self.plan_data)

    @cached_property
    def school(self) -> School:
        return School.model_validate(self.school_data)

    def payload(self) -> Payload:
        return {"serial": self.serial, "plan_hash": self.plan_hash, "plan": dict(self.plan_data),
                "school": dict(self.school_data), "school_fingerprint": self.school_fingerprint,
                "published_at": self.published_at.isoformat()}

    @classmethod
    def from_payload(cls, record_id: str, p: Mapping[str, Any]) -> Publication:
        return cls(record_id, int(p["serial"]), str(p.get("plan_hash", "")), str(p.get("school_fingerprint", "")),
                   datetime.fromisoformat(p["published_at"]), p["plan"], p["school"])


@dataclass(frozen=True)
class PublicationHead:
    """The school's newest publication and what its feeds cover."""

    serial: int
    publication_id: str
    fingerprint: str  # of the school of the newest publication
    published_at: datetime
    dates: tuple[date, ...]  # every date any publication covers
    changed_at: datetime  # when a feed item last changed
    regular_since: Mapping[str, datetime]  # school fingerprint -> when its regular timetable was first published

    def payload(self) -> Payload:
        return {"serial": self.serial, "publication_id": self.publication_id, "fingerprint": self.fingerprint,
                "published_at": self.published_at.isoformat(), "dates": [d.isoformat() for d in self.dates],
                "changed_at": self.changed_at.isoformat(),
                "regular_since": {k: v.isoformat() for k, v in self.regular_since.items()}}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> PublicationHead:
        return cls(int(p["serial"]), str(p["publication_id"]), str(p["fingerprint"]),
                   datetime.fromisoformat(p["published_at"]), tuple(date.fromisoformat(d) for d in p["dates"]),
                   datetime.fromisoformat(p["changed_at"]),
                   {k: datetime.fromisoformat(v) for k, v in p.get("regular_since", {}).items()})

    @property
    def regular_stamp(self) -> datetime:
        """When the regular timetable of the newest publication's school was first published."""
        return self.regular_since[self.fingerprint]


@dataclass(frozen=True)
class FeedItemRecord:
    """One event as last published. The event stays as stored (`FeedEvent.to_dict()`): re-saving a record keeps
    its bytes; `item(tz)` gives the typed `FeedItem`."""

    event: Mapping[str, Any]
    hash: str
    sequence: int
    changed_at: datetime
    dropped: bool
    publication_id: str | None = None

    @classmethod
    def of(cls, ev: FeedEvent, sequence: int, changed_at: datetime, dropped: bool, pub_id: str) -> FeedItemRecord:
        return cls(ev.to_dict(), ev.content_hash(), sequence, changed_at, dropped, pub_id)

    def item(self, tz: ZoneInfo) -> FeedItem:
        return FeedItem(FeedEvent.from_dict(dict(self.event), tz), self.sequence, self.changed_at, self.dropped)

    def payload(self) -> Payload:
        p: Payload = {"event": dict(self.event), "hash": self.hash, "sequence": self.sequence,
                      "changed_at": self.changed_at.isoformat(), "dropped": self.dropped}
        if self.publication_id is not None:
            p["publication_id"] = self.publication_id
        return p

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> FeedItemRecord:
        return cls(p["event"], str(p["hash"]), int(p["sequence"]), datetime.fromisoformat(p["changed_at"]),
                   bool(p["dropped"]), p.get("publication_id"))


__all__ = ["FeedItemRecord", "Payload", "Publication", "PublicationHead"]
