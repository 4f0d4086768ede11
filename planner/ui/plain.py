"""Data shown as plain text on the page: Streamlit renders Markdown (links, images, `:color[…]`, `$…$`) in
st.markdown, captions, alerts, subheaders and widget labels, so names and messages that come from imported files
are escaped before they reach those elements. An image link in a class name is then shown as its text, and the
browser fetches nothing."""

from __future__ import annotations

import re

# What can make Markdown fetch, link or restyle: brackets (links, images, `:color[…]`), angle brackets (autolinks,
# HTML), `!`, backslash, backtick, `$` (formulas), `*`, `~`, `|` (tables). Everything else is shown as typed.
_MARKDOWN = re.compile(r"([\\`*\[\]<>!|~$])")


def plain(text: object) -> str:
    """The text with the Markdown characters above backslash-escaped (CommonMark shows each as itself); line
    breaks are kept."""
    return _MARKDOWN.sub(r"\\\1", str(text))
