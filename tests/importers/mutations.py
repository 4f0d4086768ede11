"""Random edits of the kinds real broken files show, shared by the fuzz tests and bench/fuzz.py."""

from __future__ import annotations

import random


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random edits of the kinds real broken files show."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(7)
        if not out:
            break
        i = rng.randrange(len(out))
        if kind == 0:  # flip a byte
            out[i] = rng.randrange(256)
        elif kind == 1:  # truncate
            del out[i:]
        elif kind == 2:  # delete a span
            del out[i:i + rng.randint(1, 64)]
        elif kind == 3:  # insert noise
            out[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:  # duplicate, drop or swap whole lines (= elements or rows)
            lines = bytes(out).split(b"\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            if kind == 4:
                lines.insert(a, lines[b])
            elif kind == 5:
                del lines[a]
            else:
                lines[a], lines[b] = lines[b], lines[a]
            out = bytearray(b"\n".join(lines))
    return bytes(out)
