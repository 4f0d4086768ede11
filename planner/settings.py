"""The planner's settings from the environment: the one module that reads environment variables.

| variable | what |
| --- | --- |
| PLANNER_DATA_DIR | the data directory (database, feed files); else --data-dir, else ./data |
| PLANNER_DB_URL | another database (e.g. PostgreSQL) instead of the data directory's SQLite file |
| PLANNER_PUBLIC_URL | the public base URL of the feed server (feed links, QR codes) |
| PLANNER_PAGE_PASSWORD | the page's password (else the file page_password in the data directory) |
| PLANNER_ADDRESS, PLANNER_PORT | where the page listens (scripts/run-page.sh) |
| PLANNER_HEAD_TIMEOUT_S | seconds a client has to send a request head (planner.publish.feeds.httpguard) |
| MAX_BOT_TOKEN, MAX_CA_BUNDLE | the MAX bot token and the CA bundle with the Russian Trusted Root CA |

Every accessor takes an optional mapping instead of the process environment (tests, the page's own values).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DATA_DIR_ENV = "PLANNER_DATA_DIR"
DB_URL_ENV = "PLANNER_DB_URL"
PUBLIC_URL_ENV = "PLANNER_PUBLIC_URL"
PAGE_PASSWORD_ENV = "PLANNER_PAGE_PASSWORD"
ADDRESS_ENV = "PLANNER_ADDRESS"
PORT_ENV = "PLANNER_PORT"
HEAD_TIMEOUT_ENV = "PLANNER_HEAD_TIMEOUT_S"
BOT_TOKEN_ENV = "MAX_BOT_TOKEN"
CA_BUNDLE_ENV = "MAX_CA_BUNDLE"
STREAMLIT_UPLOAD_ENV = "STREAMLIT_SERVER_MAX_UPLOAD_SIZE"


def env_value(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The variable's value without surrounding blanks, or None when it is unset or blank."""
    value = (os.environ if environ is None else environ).get(name)
    value = value.strip() if value is not None else None
    return value or None


def data_dir(environ: Mapping[str, str] | None = None) -> str | None:
    return env_value(DATA_DIR_ENV, environ)


def db_url(environ: Mapping[str, str] | None = None) -> str | None:
    return env_value(DB_URL_ENV, environ)


def public_url(environ: Mapping[str, str] | None = None) -> str | None:
    url = env_value(PUBLIC_URL_ENV, environ)
    return url.rstrip("/") if url else None


def page_password(environ: Mapping[str, str] | None = None) -> str | None:
    return env_value(PAGE_PASSWORD_ENV, environ)


def page_address(environ: Mapping[str, str] | None = None) -> str | None:
    return env_value(ADDRESS_ENV, environ)


def page_port(environ: Mapping[str, str] | None = None) -> int | None:
    port = env_value(PORT_ENV, environ)
    return int(port) if port and port.isdigit() else None


def head_timeout_s(default: float, environ: Mapping[str, str] | None = None) -> float:
    value = env_value(HEAD_TIMEOUT_ENV, environ)
    try:
        return float(value) if value else default
    except ValueError:
        return default


def bot_token(environ: Mapping[str, str] | None = None) -> str | None:
    return env_value(BOT_TOKEN_ENV, environ)


def ca_bundle(environ: Mapping[str, str] | None = None) -> str | None:
    return env_value(CA_BUNDLE_ENV, environ)


def export_data_dir(path: str) -> None:
    """Hand the data directory to server worker processes (they read PLANNER_DATA_DIR)."""
    os.environ[DATA_DIR_ENV] = path


def default_upload_limit_mb(megabytes: int) -> None:
    """Streamlit's upload cap, unless the administrator set one."""
    os.environ.setdefault(STREAMLIT_UPLOAD_ENV, str(megabytes))
