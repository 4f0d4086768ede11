"""Typed publication records (issue 10): what the store keeps for a publication, its head, each feed item and
each outbox part converts to a typed record and back to the very payload stored — nothing is lost or renamed."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from planner.publish.chat.compose import compose_messages
from planner.publish.chat.max_api import MaxApiError, SendResult
from planner.publish.chat.outbox import OutboxPart, queue_messages, send_due
from planner.publish.feeds.publication import head_id, latest_publication, publication_head, publications
from planner.publish.feeds.records import FeedItemRecord, Publication, PublicationHead
from planner.publish.feeds.workflow import publish_to_dir
from planner.storage import Store

from .conftest import NOW


def test_publication_records_round_trip_their_stored_payloads(tmp_path, school, plan01, plan05):
    store = Store.open(tmp_path / "data")
    publish_to_dir(store, school, plan01, None, NOW)
    publish_to_dir(store, school, plan05, None, NOW.replace(hour=NOW.hour + 1))
    pubs = publications(store, school.id)
    assert [p.serial for p in pubs] == [2, 1] and all(isinstance(p, Publication) for p in pubs)
    assert pubs[0].plan == plan05 and pubs[1].plan == plan01 and pubs[0].school == school  # typed, validated
    for rec in store.list("publication", school_id=school.id):
        if rec.id == head_id(school.id):
            head = PublicationHead.from_payload(rec.payload)
            assert head.payload() == rec.payload
            assert head.serial == 2 and head.publication_id == pubs[0].id and head.dates == tuple(sorted(head.dates))
        else:
            assert Publication.from_payload(rec.id, rec.payload).payload() == rec.payload
    assert publication_head(store, school.id) == head
    latest, plan_id = latest_publication(store, school.id)
    assert latest.id == pubs[0].id and plan_id == plan05.content_hash()
    items = store.list("feed_item", school_id=school.id)
    assert items
    for rec in items:
        record = FeedItemRecord.from_payload(rec.payload)
        assert record.payload() == rec.payload
        assert record.item(ZoneInfo(school.timezone)).event.uid == rec.id


class _Client:
    """A MAX stand-in answering in a fixed pattern: every third send MAX is down (retried), every fifth refused."""

    dry_run = False

    def __init__(self) -> None:
        self.sent = 0

    def resolve_chat_id(self, link: str) -> str:
        return "-" + str(len(link))

    def send_text(self, chat_id: str, text: str) -> SendResult:
        self.sent += 1
        if self.sent % 3 == 0:
            raise MaxApiError("down", status=503)
        if self.sent % 5 == 0:
            raise MaxApiError("refused", status=403)
        return SendResult(chat_id, None if self.sent % 2 else f"mid.{self.sent}", 1, False)


def test_outbox_parts_round_trip_their_stored_payloads(tmp_path, school, plan01, library):
    store = Store.open(tmp_path / "data")
    now = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)  # Tuesday 11:00 in Yekaterinburg: inside business hours
    client = _Client()
    report = queue_messages(store, school, plan01, compose_messages(school, plan01, teachers_chat_id="-500"), client,
                            now=now, library=library)
    assert report.count("sent") and report.count("retry") and report.count("failed")
    send_due(store, client, now=now.replace(hour=8), library=library)
    records = store.list("message", school_id=school.id)
    statuses = {r.columns["status"] for r in records}
    assert {"sent", "failed"} <= statuses
    for rec in records:
        part = OutboxPart.from_payload(rec.payload)
        assert part.payload() == rec.payload, rec.id
        assert part.school_id == school.id and 1 <= part.part <= part.parts
        if rec.columns["status"] == "sent":
            assert part.sent_at and "message_id" in rec.payload and part.error == ""
        if rec.columns["status"] == "failed":
            assert part.error and part.tries and part.sent_at is None
