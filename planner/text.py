"""Russian text helpers shared by every layer (plan reasons, audit reports, feeds, messages, the page): one
implementation of agreement by number, so no text falls back to «урок(ами)»-style forms."""

from __future__ import annotations


def plural_form(n: int, one: str, few: str, many: str) -> str:
    """The noun form agreeing with n: one for 1, 21, 101; few for 2–4, 22–24; many for 0, 5–20, 11–14, 25 …"""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural(n: int, one: str, few: str, many: str) -> str:
    """The number with its agreeing noun: «1 урок», «4 урока», «5 уроков», «21 дата»."""
    return f"{n} {plural_form(n, one, few, many)}"
