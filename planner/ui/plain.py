"""Data shown as plain text on the page: Streamlit renders Markdown (links, images, `:color[…]`, `$…$`) in
st.markdown, captions, alerts, subheaders and widget labels, so names and messages that come from imported files
are escaped before they reach those elements. An image link in a class name is then shown as its text, and the
browser fetches nothing."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&@^=\"'%,;/?])")


def plain(text: object) -> str:
    """The text with every ASCII punctuation character backslash-escaped (CommonMark shows each as itself) and
    line breaks kept as breaks."""
    return _MARKDOWN.sub(r"\\\1", str(text))
