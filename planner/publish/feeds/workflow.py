"""The whole feed publication, as the CLI and the page run it: check, record, create the missing tokens, write every
token's feed file — commit and files in one critical section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.plan.model import Plan
from planner.publish.checks import MissingLinks, check_links, check_plan, live_without_link
from planner.school.model import School
from planner.storage import Store

from .files import publish_lock, render_token_feeds, write_feed_files
from .issuing import ensure_default_tokens
from .publication import PublishResult, publish_plan
from .tokens import FeedToken


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
