"""Rendering a feed to iCalendar bytes: each event serialised once and shared between feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from . import ics
from .select import FeedSpec, feed_items, feed_title, shared_view
from .state import FeedState


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    last_modified: datetime
    events: int


class FeedRenderer:
    """Renders feeds, serialising each event once (shared bytes) and the shell once per feed kind and day."""

    def __init__(self):
        self.events = ics.EventBytesCache()

    def render(self, state: FeedState, spec: FeedSpec, today: date) -> RenderedFeed:
        items = feed_items(state, spec, today)
        if spec.kind in ("class", "family"):
            items = [shared_view(i, state.school) for i in items]
        name, description = feed_title(spec, state.school)
        shell = ics.calendar_shell(name, description, spec.feed_uid or f"feed-{spec.kind}-{spec.subject_id}",
                                   state.school.timezone, today)
        body = ics.assemble(ics.shell_bytes(shell), [self.events.get(i) for i in items])
        modified = max((i.changed_at for i in items), default=state.regular_stamp)
        return RenderedFeed(body, modified, len(items))
