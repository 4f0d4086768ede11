"""Small view helpers every page shares: natural sort of class names, the solver's status in words, local times,
which classes a selection like «1-9» picks, what an address means for families, the next step after each
workflow step, and the page's own settings file (the public base URL, the school opened last). No Streamlit here."""

from __future__ import annotations

import ipaddress
import json
import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from planner.fileio import atomic_write_text
from planner.school.model import School
from planner.text import plural

# ---------------------------------------------------------------- natural sort

_CHUNKS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key putting «1А» before «2Б» before «10А» before «11Б» (numbers compared as numbers)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in _CHUNKS.split(str(text)) if p)


def class_names_sorted(school: School, ids: list[str] | None = None) -> list[str]:
    """Class names in natural order (grade or course first, then the letter), optionally only these ids."""
    classes = [c for c in school.classes if ids is None or c.id in ids]
    return [c.name for c in sorted(classes, key=lambda c: (c.grade or c.course or 0, natural_key(c.name)))]


# ---------------------------------------------------------------- solver status in words

STATUS_WORDS = {"OPTIMAL": "оптимальный план найден",
                "FEASIBLE": "план найден, но не доказано, что он лучший (не хватило времени)",
                "NO_ONLINE": "ни один класс не уходит на дистант — менять нечего",
                "NOTHING_TO_DECIDE": "план составлен: звонков, для которых нужно подбирать время, нет",
                "FROZEN": "план заморожен (прошедшие дни не меняются)"}
# statuses a user should not read as a full success
DEGRADED = {"FEASIBLE"}


def status_words(status: str | None) -> str:
    if not status:
        return "—"
    return STATUS_WORDS.get(status, "статус решателя не распознан")


def plan_label(scenario_name: str, created_at: str, status: str | None, tz: str | None) -> str:
    """«Мороз — 07.12 08:15 (оптимальный)»: local time of the school, the status in one word."""
    short = {"OPTIMAL": "оптимальный", "FEASIBLE": "не доказан лучший", "NO_ONLINE": "без дистанта",
             "NOTHING_TO_DECIDE": "без звонков", "FROZEN": "заморожен"}.get(status or "", "")
    return f"{scenario_name} — {local_time(created_at, tz)}" + (f" ({short})" if short else "")


# ---------------------------------------------------------------- local times

def local_time(value: str | datetime | None, tz: str | None, fmt: str = "%d.%m.%Y %H:%M") -> str:
    """A stored UTC time (ISO text or datetime) shown in the school's time zone; naive values are UTC."""
    if value in (None, ""):
        return ""
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        zone = ZoneInfo(tz) if tz else timezone.utc
    except (KeyError, ValueError):
        zone = timezone.utc
    return dt.astimezone(zone).strftime(fmt)


# ---------------------------------------------------------------- class selection preview

def parse_ranges(text: str) -> tuple[list[str], list[str]]:
    """«5-9, 11» -> (['5-9', '11'], []); the parts that are not a number or a range come back as the second list."""
    good: list[str] = []
    bad: list[str] = []
    for part in re.split(r"[,;]", text or ""):
        part = part.strip().replace("–", "-").replace("—", "-").replace(" ", "")
        if not part:
            continue
        if re.fullmatch(r"\d{1,2}(-\d{1,2})?", part):
            lo, _, hi = part.partition("-")
            (good if int(lo) <= int(hi or lo) else bad).append(part)
        else:
            bad.append(part)
    return good, bad


def selection_preview(school: School, ids: list[str]) -> str:
    """«Выбрано 12 классов: 1А, 1Б, …» in natural order, or a plain «не выбрано ни одного класса»."""
    if not ids:
        return "Не выбрано ни одного класса."
    names = class_names_sorted(school, ids)
    shown = ", ".join(names[:40]) + (f" и ещё {len(names) - 40}" if len(names) > 40 else "")
    return f"Выбрано {plural(len(names), 'класс', 'класса', 'классов')}: {shown}."


# ---------------------------------------------------------------- addresses for families

def url_is_local(url: str) -> bool:
    """True when families outside this computer cannot open the address (localhost, loopback, private nets)."""
    host = (urlsplit(url).hostname or "").lower()
    if not host or host == "localhost" or host.endswith(".localhost") or host.endswith(".local") or "." not in host \
            and ":" not in host:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


def url_scheme_label(url: str) -> str:
    """«https — защищённая» or «http — незащищённая» from the address itself."""
    return "https" if urlsplit(url).scheme == "https" else "http"


def check_public_url(url: str) -> str | None:
    """None if the address can be used as the public base URL, else what is wrong, in Russian."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return "адрес должен начинаться с https:// (или http://), например https://school17.example.ru"
    if not parts.hostname:
        return "в адресе нет имени сервера, например https://school17.example.ru"
    if parts.query or parts.fragment:
        return "в адресе не должно быть «?» и «#»"
    return None


# ---------------------------------------------------------------- the next step

NEXT_STEP = {"import": ("transition", "Следующий шаг: описать переход на дистант"),
             "scenario": ("plan", "Следующий шаг: пересобрать расписание"),
             "rebuild": ("sanpin", "Следующий шаг: проверить план по СанПиН"),
             "check": ("publish", "Следующий шаг: утвердить и опубликовать план"),
             "publish": ("publish", "Следующий шаг: разослать сообщения в MAX (вкладка «Сообщения в MAX»)")}


# ---------------------------------------------------------------- the page's settings file

SETTINGS_FILE = "page_settings.json"


def read_settings(data_dir: str | Path) -> dict[str, Any]:
    try:
        raw = json.loads((Path(data_dir) / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def write_setting(data_dir: str | Path, key: str, value: Any) -> None:
    """Set one key of the settings file, written whole through a temporary file (never half-written)."""
    path = Path(data_dir) / SETTINGS_FILE
    settings = read_settings(data_dir)
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    atomic_write_text(path, json.dumps(settings, ensure_ascii=False, indent=1))


def rebuild_progress(solving_date: str, start: date | None, end: date | None, elapsed: float,
                     time_limit: float) -> float:
    """How far a rebuild is, 0…0.99: the share of the scenario's dates already solved (the solver works date by
    date), or, before the first date reports, the share of the time limit used."""
    days = (end - start).days + 1 if start and end else 0
    if solving_date and start and days > 0:
        done = (date.fromisoformat(solving_date) - start).days
        return max(0.0, min(0.99, done / days))
    return max(0.0, min(0.99, elapsed / max(time_limit, 0.1)))
