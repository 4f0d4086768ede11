"""Feed tokens: the capability in a feed URL (/feeds/<token>.ics), one per teacher, class, family or the
administration.

A token is secrets.token_urlsafe(32) (256 bits). The database keeps its SHA-256 (looked up by hash, unique) and
a Fernet-encrypted copy (key file in the data directory, mode 0600) so the page and `planner tokens list` can
show the link again. Revoking sets revoked_at; rotating revokes and issues a new token with the same selection.
"""

from __future__ import annotations

import builtins
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from cryptography.fernet import Fernet, InvalidToken

from planner.errors import InputError
from planner.storage import Record, Store
from planner.utc import utc_iso

KINDS = ("teacher", "class", "family", "admin")
KEY_FILE = "feed-tokens.key"
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32); always used with fullmatch  # token_urlsafe(32)
ADMIN_SUBJECT = "admin"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class FeedToken:
    """A stored token. `subject_id`: the teacher id, class id, family name or 'admin'. `secret` is the token
    itself (decrypted), None when the key file cannot decrypt it."""

    id: str
    version: int
    school_id: str
    kind: str
    subject_id: str
    label: str
    class_id: str | None
    groups: tuple[str, ...]
    include_regular: bool
    created_at: str
    revoked_at: str | None
    secret: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def feed_links(base_url: str, secret: str) -> dict[str, str]:
    """The https:// (or http://) and webcal:// forms of a feed URL under a public base URL."""
    parts = urlsplit(base_url.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"the public base URL '{base_url}' needs a scheme and a host, e.g. https://school.example",
                         f"публичный адрес «{base_url}» должен содержать схему и хост, например https://school.example")
    path = f"{parts.path}/feeds/{secret}.ics"
    http = urlunsplit((parts.scheme or "https", parts.netloc, path, "", ""))
    return {"https": http, "webcal": urlunsplit(("webcal", parts.netloc, path, "", ""))}


class TokenStore:
    """Tokens in the planner's database, with the encryption key file of the data directory."""

    def __init__(self, store: Store, key_path: Path | None = None):
        self.store = store
        self.key_path = Path(key_path) if key_path else Path(store.data_dir) / KEY_FILE
        self._fernet: Fernet | None = None

    # Key -----------------------------------------------------------------------
    def _cipher(self, create: bool) -> Fernet | None:
        if self._fernet is None:
            if not self.key_path.exists():
                if not create:
                    return None
                self.key_path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                except FileExistsError:
                    pass
                else:
                    with os.fdopen(fd, "wb") as f:
                        f.write(Fernet.generate_key())
            self._fernet = Fernet(self.key_path.read_bytes().strip())
        return self._fernet

    def _decrypt(self, payload: dict) -> str | None:
        cipher = self._cipher(create=False)
        if cipher is None:
            return None
        try:
            return cipher.decrypt(payload["encrypted"].encode()).decode()
        except (InvalidToken, KeyError, ValueError):
            return None

    # Records -------------------------------------------------------------------
    def _token(self, r: Record) -> FeedToken:
        p = r.payload
        return FeedToken(id=r.id, version=r.version, school_id=r.columns["school_id"], kind=r.columns["kind"],
                         subject_id=r.columns["subject_id"], label=p.get("label", ""), class_id=p.get("class_id"),
                         groups=tuple(p.get("groups", ())), include_regular=bool(p.get("include_regular")),
                         created_at=p.get("created_at", r.created_at), revoked_at=r.columns["revoked_at"],
                         secret=self._decrypt(p))

    def create(self, school_id: str, kind: str, subject_id: str, *, now: datetime, label: str = "",
               class_id: str | None = None, groups: tuple[str, ...] | list[str] = (),
               include_regular: bool = False) -> FeedToken:
        """Issue a new token. A family needs class_id (its groups optional); family names are unique among
        the school's active tokens."""
        if kind not in KINDS:
            raise InputError(f"unknown feed kind '{kind}' (known: {', '.join(KINDS)})",
                             f"неизвестный вид календаря «{kind}»")
        if kind == "family":
            if not class_id:
                raise InputError("a family feed needs --class", "для семейного календаря нужен --class")
            if self.find(school_id, kind, subject_id):
                raise InputError(f"an active family feed named '{subject_id}' exists",
                                 f"семейный календарь «{subject_id}» уже есть")
        secret = secrets.token_urlsafe(32)
        cipher = self._cipher(create=True)
        assert cipher is not None  # created when missing
        payload = {"label": label, "class_id": class_id if kind in ("class", "family") else None,
                   "groups": sorted(groups), "include_regular": include_regular, "created_at": utc_iso(now, "seconds"),
                   "encrypted": cipher.encrypt(secret.encode()).decode()}
        record = self.store.save("token", f"tok_{secrets.token_hex(8)}", payload, None, school_id=school_id,
                                 kind=kind, subject_id=subject_id, token_hash=hash_token(secret), revoked_at=None)
        return self._token(record)

    def get(self, token_id: str) -> FeedToken | None:
        r = self.store.get("token", token_id)
        return self._token(r) if r else None

    def list(self, school_id: str | None = None, *, include_revoked: bool = False) -> list[FeedToken]:
        filters: dict[str, str | None] = {"school_id": school_id} if school_id else {}
        if not include_revoked:
            filters["revoked_at"] = None
        return [self._token(r) for r in self.store.list("token", **filters)]

    def find(self, school_id: str, kind: str, subject_id: str) -> builtins.list[FeedToken]:
        """Active tokens of one selection."""
        return [self._token(r) for r in self.store.list("token", school_id=school_id, kind=kind,
                                                         subject_id=subject_id, revoked_at=None)]

    def resolve(self, secret: str) -> FeedToken | None:
        """The active token with this value, or None (unknown, malformed or revoked)."""
        if not TOKEN_RE.fullmatch(secret or ""):
            return None
        found = self.store.list("token", token_hash=hash_token(secret))
        token = self._token(found[0]) if found else None
        return token if token and token.active else None

    def lookup(self, id_or_secret: str) -> FeedToken:
        """A token by record id (tok_…) or by its value; InputError when there is none."""
        token = self.get(id_or_secret)
        if token is None and TOKEN_RE.fullmatch(id_or_secret):
            found = self.store.list("token", token_hash=hash_token(id_or_secret))
            token = self._token(found[0]) if found else None
        if token is None:
            raise InputError(f"no feed token '{id_or_secret}'", f"нет ссылки на календарь «{id_or_secret}»")
        return token

    def revoke(self, token_id: str, *, now: datetime) -> FeedToken:
        token = self.lookup(token_id)
        if not token.active:
            return token
        r = self.store.get("token", token.id)
        assert r is not None  # lookup found it
        saved = self.store.save("token", token.id, r.payload, r.version, revoked_at=utc_iso(now, "seconds"))
        return self._token(saved)

    def rotate(self, token_id: str, *, now: datetime) -> FeedToken:
        """Revoke the token and issue a new one for the same selection; returns the new one."""
        old = self.lookup(token_id)
        self.revoke(old.id, now=now)
        return self.create(old.school_id, old.kind, old.subject_id, now=now, label=old.label,
                           class_id=old.class_id, groups=old.groups, include_regular=old.include_regular)

    def ensure(self, school_id: str, kind: str, subject_id: str, *, now: datetime, label: str = "",
               class_id: str | None = None) -> tuple[FeedToken, bool]:
        """The active token of a teacher, class or the administration, created when there is none."""
        existing = self.find(school_id, kind, subject_id)
        if existing:
            return existing[0], False
        return self.create(school_id, kind, subject_id, now=now, label=label, class_id=class_id), True
