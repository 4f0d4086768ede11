"""Publishing the plan: iCalendar feeds per teacher, class, family and for the administration, tokens, and
the feed server. See docs/feeds.md.

What the page and the CalDAV work call:
- `publish_plan(store, school, plan, now)` records a publication and updates the per-UID feed items;
- `load_state(store, school_id)` gives the published events (`FeedState.items`: FeedItem = FeedEvent +
  SEQUENCE + changed_at + dropped); `feed_items(state, spec, today)` the events of one feed;
- `FeedRenderer().render(state, spec, today)` the .ics bytes; `TokenStore(store)` the feed tokens.
"""

from .events import CANCELLED, CONFIRMED, FeedEvent, FeedItem, event_uid, events_from_plan, regular_events
from .feeds import (FeedRenderer, FeedSpec, FeedState, PublishResult, check_plan, ensure_default_tokens,
                    feed_items, feed_title, feed_window, live_without_link, load_state, publications,
                    publish_plan, render_token_feeds, write_feed_files)
from .tokens import FeedToken, TokenStore, feed_links, hash_token

__all__ = [
    "CANCELLED", "CONFIRMED", "FeedEvent", "FeedItem", "FeedRenderer", "FeedSpec", "FeedState", "FeedToken",
    "PublishResult", "TokenStore", "check_plan", "ensure_default_tokens", "event_uid", "events_from_plan",
    "feed_items", "feed_links", "feed_title", "feed_window", "hash_token", "live_without_link", "load_state",
    "publications", "publish_plan", "regular_events", "render_token_feeds", "write_feed_files",
]
