"""Splitting a chat text into MAX-sized parts: cut at day boundaries and line ends, each part after a split headed
«TITLE (часть i/n)» (and «, продолжение: <day>» when it continues a day)."""

from __future__ import annotations

import re

from .max_api import MAX_TEXT_LENGTH


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """Chunks of at most `limit` characters whose concatenation is `text`, cut at line ends (preferring a
    blank line, i.e. a day boundary, when that keeps the chunk at least half full). Only a single line
    longer than `limit` is cut inside the line, at a space where there is one."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:  # an over-long line: flush, then cut it
            if current:
                chunks.append(current)
                current = ""
            cut = line.rfind(" ", 1, limit) + 1 or limit
            chunks.append(line[:cut])
            line = line[cut:]
        if len(current) + len(line) > limit:
            cut = _preferred_cut(current, limit // 2)
            chunks.append(current[:cut])
            current = current[cut:]
            if len(current) + len(line) > limit:
                chunks.append(current)
                current = ""
        current += line
    if current or not chunks:
        chunks.append(current)
    return chunks


def _preferred_cut(chunk: str, minimum: int) -> int:
    """Where to end a full chunk: after a blank line (a new day), else before an unindented line (a new
    heading or teacher), if that keeps at least `minimum` characters; else at its end."""
    blank = chunk.rfind("\n\n")
    if blank + 2 >= minimum:
        return blank + 2
    for i in range(len(chunk) - 2, minimum - 2, -1):
        if chunk[i] == "\n" and not chunk[i + 1].isspace():
            return i + 1
    return len(chunk)


DAY_LINE = re.compile(r"^(Пн|Вт|Ср|Чт|Пт|Сб|Вс) \d\d\.\d\d\.\d{4}$")
PART_MARK = re.compile(r" \(часть 1/\d+\)(?=\n)")  # the number the first part's title line takes


def own_title_parts(text: str, limit: int = MAX_TEXT_LENGTH) -> tuple[str, ...]:
    """The text split by `label_parts` under its own first line as the title: the first part's title line
    takes the part number, so every part has exactly one header line."""
    return label_parts(text.split("\n", 1)[0], text, limit)


def label_parts(title: str, text: str, limit: int = MAX_TEXT_LENGTH) -> tuple[str, ...]:
    """The text as one part, or as parts each starting with one header line «TITLE (часть i/n)», plus
    «, продолжение: <day>» when a part continues a day begun in the previous one. A text whose first line is
    the title keeps it as the first part's header (see `own_title_parts`)."""
    if len(text) <= limit:
        return (text,)
    header_room = len(title) + len(" (часть 99/99), продолжение: Пн 01.01.2000\n")
    chunks = split_text(text, limit - header_room)
    out, day = [], ""
    for i, chunk in enumerate(chunks, 1):
        cont = f", продолжение: {day}" if day and not DAY_LINE.match(chunk.split("\n", 1)[0]) else ""
        head = f"{title} (часть {i}/{len(chunks)}){cont}"
        if chunk.startswith(title):  # the text's own title line becomes the part's header: one header per part
            out.append(head + chunk[len(title):])
        else:
            out.append(f"{head}\n{chunk}")
        day = next((ln for ln in reversed(chunk.splitlines()) if DAY_LINE.match(ln)), day)
    return tuple(out)
