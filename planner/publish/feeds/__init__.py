"""Calendar feeds: a publication recorded per UID, read back as the feed state, selected per token (teacher,
class, family, administration), rendered to iCalendar, written as files, served, and pushed to CalDAV.
See docs/feeds.md and docs/caldav.md."""
