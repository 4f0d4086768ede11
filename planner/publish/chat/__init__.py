"""MAX chat messages: Russian texts per class, parents', teachers' and personal chat, split into parts, queued
inside business hours and sent through the MAX API. See docs/max-and-epos.md."""
