"""Publishing the plan, by channel. The data's path: a checked plan (`checks.py`) goes out as

- `feeds/` — iCalendar feeds: the events model (`events.py`), recording a publication (`publication.py`), reading it
  back (`state.py`), which events a feed shows (`select.py`), iCalendar bytes (`ics.py`, `render.py`), feed tokens
  (`tokens.py`, `issuing.py`), the feed files (`files.py`), the whole publish of the CLI and the page
  (`workflow.py`), the feed server (`server.py`, `httpguard.py`), the CalDAV push (`caldav.py`), QR codes (`qr.py`);
- `chat/` — MAX messages: the texts (`compose.py`), MAX-sized parts (`parts.py`), business hours (`hours.py`), the
  outbox (`outbox.py`), late deliveries (`late.py`), the MAX API client (`max_api.py`);
- `ejournal/` — the ЭПОС hand-off workbook (`epos.py`).

`alternative.py` holds the words of the alternative track that every channel shows. See docs/feeds.md,
docs/caldav.md and docs/max-and-epos.md.
"""
