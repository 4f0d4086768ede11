"""Only the official channel: which link domains may be published, and which emergencies may go out of hours.

The defaults are data (planner/norms/sets/channels/official-channels.toml): the MAX/Sferum domains (regulation on
official communication in MAX, 000 §2.2), the nine services forbidden by annex 2 of the regulation on interaction
services (003) with their link domains, and the emergency categories of 000 §5.1. A school extends the allowed
domains and the urgent categories in its own data (`School.channel_policy`), each recorded with who decided.
A link to a forbidden service is refused citing annex 2; any other unlisted domain is refused citing §2.2.
(The basic link syntax — https, no control characters — is checked by planner.school.links; this module only
decides which domains are official.)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from planner.errors import InputError, Location
from planner.school.model import AllowedDomain, ChannelPolicy, School, UrgentCategory

CHANNELS_FILE = Path(__file__).resolve().parents[1] / "norms" / "sets" / "channels" / "official-channels.toml"


@dataclass(frozen=True)
class ForbiddenService:
    name: str
    domains: tuple[str, ...]


@dataclass(frozen=True)
class Channels:
    official_domains: tuple[str, ...]
    official_cite_ru: str
    official_cite_en: str
    forbidden: tuple[ForbiddenService, ...]
    forbidden_cite_ru: str
    forbidden_cite_en: str
    urgent: tuple[tuple[str, str], ...]  # (id, name)
    urgent_cite_ru: str


@dataclass(frozen=True)
class Refusal:
    """Why a link may not be published; `service` is set when annex 2 names it."""

    url: str
    domain: str
    service: str | None
    message_en: str
    message_ru: str


@dataclass(frozen=True)
class UrgentChoice:
    id: str
    name: str
    source: str  # the act's clause, or «школа: <who>» for a category the school added


@lru_cache(maxsize=4)
def load_channels(path: Path = CHANNELS_FILE) -> Channels:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"{path}: cannot read the official-channel data: {err}",
                         f"{path}: не читаются данные об официальном канале: {err}", Location(file=str(path))) from None
    off, forb, urg = raw["official"], raw["forbidden"], raw["urgent"]
    return Channels(
        official_domains=tuple(d.lower() for d in off["domains"]),
        official_cite_ru=off["text_ru"], official_cite_en=off["text_en"],
        forbidden=tuple(ForbiddenService(s["name"], tuple(d.lower() for d in s["domains"])) for s in forb["service"]),
        forbidden_cite_ru=forb["text_ru"], forbidden_cite_en=forb["text_en"],
        urgent=tuple((c["id"], c["name"]) for c in urg["category"]), urgent_cite_ru=urg["text_ru"])


def domain_of(url: str) -> str:
    """The link's host in lower case without a trailing dot ('' when the text has none)."""
    text = url.strip()
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def _matches(host: str, domain: str) -> bool:
    domain = domain.strip().lower().lstrip(".")
    return bool(domain) and (host == domain or host.endswith("." + domain))


def allowed_domains(policy: ChannelPolicy | None = None, channels: Channels | None = None) -> list[str]:
    channels = channels or load_channels()
    extra = [d.domain.lower() for d in policy.allowed_domains] if policy else []
    return [*channels.official_domains, *extra]


def link_refusal(url: str, policy: ChannelPolicy | None = None, channels: Channels | None = None) -> Refusal | None:
    """None when the link's domain is official (MAX/Sferum) or allowed by the school's policy; else why not."""
    channels = channels or load_channels()
    host = domain_of(url)
    if host and any(_matches(host, d) for d in allowed_domains(policy, channels)):
        return None
    service = next((s for s in channels.forbidden if any(_matches(host, d) for d in s.domains)), None) if host else None
    if service is not None:
        return Refusal(url, host, service.name,
                       f"link '{url}' is {service.name}, forbidden by the {channels.forbidden_cite_en}",
                       f"ссылка «{url}» ведёт в {service.name}: запрещено — {channels.forbidden_cite_ru}")
    shown = host or "без домена"
    return Refusal(url, host, None,
                   f"link '{url}' ({host or 'no domain'}) is not MAX/Sferum: {channels.official_cite_en}; "
                   "a school may allow a domain in its channel policy",
                   f"ссылка «{url}» ({shown}) — не MAX/Сферум: {channels.official_cite_ru}; другой домен школа "
                   "может разрешить в своей политике (с указанием, кто разрешил)")


def check_link(url: str, policy: ChannelPolicy | None = None, location: Location | None = None) -> None:
    """Raise InputError (naming `location`) when the link may not be published."""
    refusal = link_refusal(url, policy)
    if refusal is not None:
        raise InputError(refusal.message_en, refusal.message_ru, location)


def allow_domain(school: School, domain: str, allowed_by: str, reason: str = "", at: date | None = None) -> School:
    """The school with `domain` added to its allowed link domains, recorded with who allowed it. A domain of a
    service forbidden by annex 2 (003) is refused: the school's act cannot lift a prohibition it adopted."""
    channels = load_channels()
    host = domain_of(domain) or domain.strip().lower()
    if not allowed_by.strip():
        raise InputError("say who allows the domain", "укажите, кто разрешил домен")
    service = next((s for s in channels.forbidden if any(_matches(host, d) for d in s.domains)), None)
    if service is not None:
        raise InputError(f"{host} is {service.name}, forbidden by the {channels.forbidden_cite_en}",
                         f"{host} — это {service.name}: запрещено — {channels.forbidden_cite_ru}")
    kept = [d for d in school.channel_policy.allowed_domains if d.domain.lower() != host]
    entry = AllowedDomain(domain=host, allowed_by=allowed_by.strip(), reason=reason, at=at)
    policy = school.channel_policy.model_copy(update={"allowed_domains": [*kept, entry]})
    return school.model_copy(update={"channel_policy": policy})


# ---------------------------------------------------------------- urgent messages (000 §5.1)


def urgent_choices(policy: ChannelPolicy | None = None) -> list[UrgentChoice]:
    """The emergencies that allow a message outside business hours: the act's (000 §5.1) and the school's own."""
    channels = load_channels()
    out = [UrgentChoice(i, n, "000 §5.1") for i, n in channels.urgent]
    for c in (policy.urgent_categories if policy else []):
        out.append(UrgentChoice(c.id, c.name, f"школа: {c.added_by}" + (f" ({c.reason})" if c.reason else "")))
    return out


def urgent_category(category: str | None, policy: ChannelPolicy | None = None) -> UrgentChoice:
    """The emergency category of an urgent message; refused when missing or unknown (000 §5.1)."""
    choices = urgent_choices(policy)
    ids = ", ".join(c.id for c in choices)
    if not category:
        raise InputError(f"an urgent message needs an emergency category ({ids}): {load_channels().urgent_cite_ru}",
                         f"для срочного сообщения укажите категорию ЧС ({ids}): {load_channels().urgent_cite_ru}")
    found = next((c for c in choices if c.id == category or c.name == category), None)
    if found is None:
        raise InputError(f"unknown emergency category '{category}' (known: {ids})",
                         f"неизвестная категория экстренного сообщения «{category}» (есть: {ids})")
    return found


def add_urgent_category(school: School, id: str, name: str, added_by: str, reason: str = "") -> School:
    """The school with its own emergency category (e.g. a frost closure counted as a threat to health)."""
    if not added_by.strip():
        raise InputError("say who adds the category", "укажите, кто добавил категорию")
    if any(c.id == id for c in urgent_choices(school.channel_policy)):
        raise InputError(f"category '{id}' exists", f"категория «{id}» уже есть")
    cat = UrgentCategory(id=id, name=name, added_by=added_by.strip(), reason=reason)
    policy = school.channel_policy.model_copy(
        update={"urgent_categories": [*school.channel_policy.urgent_categories, cat]})
    return school.model_copy(update={"channel_policy": policy})
