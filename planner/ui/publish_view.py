"""The «Публикация» page's view model: tables of feed tokens, missing call links, chat messages, deliveries and
publications, the public base URL, QR images, and thin wrappers that keep feed files in step with tokens.
Everything is a call into planner.publish; no Streamlit here."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pandas as pd

from planner import settings
from planner.plan.ownership import plan_belongs_to
from planner.plan.model import Occurrence, Plan
from planner.publish.feeds import issuing
from planner.publish.feeds.publication import latest_publication, publish_plan
from planner.publish.feeds.records import Publication
from planner.publish.feeds.workflow import PublishOutcome
from planner.publish.chat.compose import ChatMessage
from planner.publish.chat.outbox import QueueReport, queued_parts
from planner.publish.feeds.qr import write_qr
from planner.publish.feeds.tokens import FeedToken, TokenStore, feed_links
from planner.school.model import School
from planner.storage import Store

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

    from planner.norms import NormLibrary

DEFAULT_PUBLIC_URL = "http://localhost:8501"
BOT_TOKEN_ENV = settings.BOT_TOKEN_ENV
CA_BUNDLE_ENV = settings.CA_BUNDLE_ENV
FEEDS_FOLDER = "feeds"

KIND_RU = {"teacher": "учитель", "class": "класс", "family": "семья", "admin": "администрация"}
DELIVERY_RU = {"sent": "отправлено", "queued": "в очереди", "failed": "ошибка", "skipped": "пропущено",
               "would_send": "было бы отправлено сейчас (пробный прогон)",
               "would_queue": "было бы поставлено в очередь (пробный прогон)"}


# ---------------------------------------------------------------- settings


def public_base_url(environ: Mapping[str, str] | None = None, saved: str | None = None) -> str:
    """The address feed links are built on: env PLANNER_PUBLIC_URL, else the address saved on the «Настройки»
    page (`saved`), else the page's own local address (http://localhost:<PLANNER_PORT, default 8501>)."""
    given = settings.public_url(environ) or (saved or "").strip().rstrip("/")
    port = settings.page_port(environ)
    return given or (f"http://localhost:{port}" if port else DEFAULT_PUBLIC_URL)


def bot_token(environ: Mapping[str, str] | None = None) -> str | None:
    return settings.bot_token(environ)


def ca_bundle(environ: Mapping[str, str] | None = None) -> str | None:
    return settings.ca_bundle(environ)


def feeds_dir(store: Store) -> Path:
    """The folder the page writes the feed files to (inside the data directory; named by the token's SHA-256)."""
    return Path(store.data_dir) / FEEDS_FOLDER


# ---------------------------------------------------------------- publishing


def outcome_counts(outcome: PublishOutcome) -> dict[str, int]:
    r = outcome.result
    return {"Новые": len(r.created), "Изменённые": len(r.changed), "Отменённые": len(r.dropped),
            "Без изменений": r.kept, "Календарей": outcome.feeds, "Новых ссылок": len(outcome.new_tokens)}


def outcome_text(outcome: PublishOutcome) -> str:
    r = outcome.result
    if r.unchanged:
        return (f"Этот план уже опубликован (публикация № {r.serial}); календари не изменились. "
                f"Календарей: {outcome.feeds}.")
    return (f"Опубликовано (публикация № {r.serial}): новых событий {len(r.created)}, изменённых "
            f"{len(r.changed)}, отменённых {len(r.dropped)}, без изменений {r.kept}. Календарей: {outcome.feeds}, "
            f"файлов записано {len(outcome.written)}, удалено {len(outcome.removed)}.")


def _names(school: School) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    return ({s.id: s.name for s in school.subjects}, {t.id: t.name for t in school.teachers},
            {c.id: c.name for c in school.classes}, {g.id: g.name for c in school.classes for g in c.groups})


def missing_links_frame(school: School, occurrences: list[Occurrence]) -> pd.DataFrame:
    """Live lessons without a call link, in school time."""
    subjects, teachers, classes, groups = _names(school)
    tz = ZoneInfo(school.timezone)
    rows = [{"Дата": o.date.strftime("%d.%m.%Y"),
             "Время": f"{o.start.astimezone(tz):%H:%M}–{o.end.astimezone(tz):%H:%M}" if o.start and o.end else "",
             "Класс": classes.get(o.class_id, o.class_id) + (" (" + ", ".join(groups.get(g, g) for g in o.groups)
                                                          + ")" if o.groups else ""),
             "Предмет": subjects.get(o.subject_id, o.subject_id),
             "Учитель": ", ".join(teachers.get(t, t) for t in o.teachers)}
            for o in sorted(occurrences, key=lambda o: (o.date, o.start or o.date, o.class_id))]
    return pd.DataFrame(rows, columns=["Дата", "Время", "Класс", "Предмет", "Учитель"])


# ---------------------------------------------------------------- tokens


def token_subject(school: School, token: FeedToken) -> str:
    """Who a feed is for, in words (a family: its name, class and groups)."""
    _, teachers, classes, groups = _names(school)
    if token.kind == "teacher":
        return teachers.get(token.subject_id, token.label or token.subject_id)
    if token.kind == "class":
        return classes.get(token.subject_id, token.label or token.subject_id)
    if token.kind == "family":
        cls = classes.get(token.class_id or "", token.class_id or "")
        grp = ", ".join(groups.get(g, g) for g in token.groups)
        return f"{token.subject_id} — {cls}" + (f" ({grp})" if grp else "")
    return "вся школа"


def token_label(school: School, token: FeedToken) -> str:
    state = "" if token.active else " — отозвана"
    return f"{KIND_RU.get(token.kind, token.kind)}: {token_subject(school, token)} [{token.id}]{state}"


def _order(school: School, token: FeedToken) -> tuple[bool, int, int, str, str]:
    kinds = {k: i for i, k in enumerate(("admin", "class", "family", "teacher"))}
    classes = {c.id: i for i, c in enumerate(school.classes)}
    teachers = {t.id: t.name for t in school.teachers}
    return (not token.active, kinds.get(token.kind, 9), classes.get(token.class_id or token.subject_id, 999),
            teachers.get(token.subject_id, token.subject_id), token.created_at)


def sorted_tokens(school: School, tokens: list[FeedToken]) -> list[FeedToken]:
    return sorted(tokens, key=lambda t: _order(school, t))


def tokens_frame(school: School, tokens: list[FeedToken], base_url: str) -> pd.DataFrame:
    """One row per token: kind, who, state, the file link (its column says http or https, as the address is) and
    the webcal link, times in the school's zone."""
    from planner.ui.view import local_time, url_scheme_label

    link_col = f"Ссылка ({url_scheme_label(base_url)})"
    rows = []
    for t in sorted_tokens(school, tokens):
        links = feed_links(base_url, t.secret) if t.secret else {"https": "", "webcal": ""}
        rows.append({"Вид": KIND_RU.get(t.kind, t.kind), "Для кого": token_subject(school, t),
                     "Состояние": "действует" if t.active else f"отозвана {local_time(t.revoked_at, school.timezone)}",
                     link_col: links["https"] or "недоступна: нет ключа feed-tokens.key",
                     "Подписка (webcal)": links["webcal"], "Создана": local_time(t.created_at, school.timezone)})
    return pd.DataFrame(rows, columns=["Вид", "Для кого", "Состояние", link_col, "Подписка (webcal)", "Создана"])


def class_feed_links(tokens: list[FeedToken], base_url: str) -> dict[str, str]:
    """class id -> https feed URL of the class's active token (for the chat messages)."""
    out: dict[str, str] = {}
    for t in tokens:
        if t.kind == "class" and t.active and t.secret:
            out.setdefault(t.subject_id, feed_links(base_url, t.secret)["https"])
    return out


def qr_png(url: str, *, scale: int = 6) -> bytes:
    """A QR code of the link as PNG bytes (planner.publish.feeds.qr writes it; read back here)."""
    with tempfile.TemporaryDirectory(prefix="planner-qr-") as tmp:
        return write_qr(url, Path(tmp) / "qr.png", scale=scale).read_bytes()


def create_token(store: Store, school: School, kind: str, subject_id: str, *, now: datetime,
                 class_id: str | None = None, groups: list[str] | tuple[str, ...] = (),
                 include_regular: bool = False) -> FeedToken:
    """Issue a token (teacher, class, family or administration) and write its feed file if published."""
    return issuing.create_feed_token(store, school.id, kind, subject_id, now=now, school=school, class_id=class_id,
                                   groups=groups, include_regular=include_regular, feeds_dir=feeds_dir(store))


def revoke_token(store: Store, token_id: str, *, now: datetime) -> FeedToken:
    """Revoke a token and remove its feed file from the page's feeds folder."""
    return issuing.revoke_token(store, token_id, now=now, feeds_dir=feeds_dir(store))


def rotate_token(store: Store, token_id: str, *, now: datetime) -> FeedToken:
    """Replace a token; the page's feeds folder gets the new file instead of the old one."""
    return issuing.rotate_token(store, token_id, now=now, feeds_dir=feeds_dir(store))


# ---------------------------------------------------------------- messages


def chat_title(school: School, message: ChatMessage) -> str:
    """«Чат класса 5А» / «Чат учителей»; a college's «Чат группы ИСП-26» / «Чат преподавателей»."""
    college = str(school.kind) == "college"
    if message.chat_key.startswith("class:"):
        cid = message.chat_key.removeprefix("class:")
        name = next((c.name for c in school.classes if c.id == cid), cid)
        return f"Чат {'группы' if college else 'класса'} {name}"
    return "Чат преподавателей" if college else "Чат учителей"


def messages_frame(school: School, messages: list[ChatMessage]) -> pd.DataFrame:
    rows = [{"Чат": chat_title(school, m), "Частей": len(m.text_parts), "Символов": len(m.text),
             "Куда": m.chat_id or m.invite_link or "нет chat_id и ссылки на чат"} for m in messages]
    return pd.DataFrame(rows, columns=["Чат", "Частей", "Символов", "Куда"])


def _when(iso: str | None, tz: ZoneInfo) -> str:
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone(tz).strftime("%d.%m.%Y %H:%M")


def deliveries_frame(school: School, report: QueueReport) -> pd.DataFrame:
    """What happened to each part, with the due time in school time."""
    tz = ZoneInfo(school.timezone)
    classes = {c.id: c.name for c in school.classes}
    rows = [{"Чат": classes.get(d.chat_key.removeprefix("class:"), d.chat_key) if d.chat_key.startswith("class:")
             else "учителя", "Часть": f"{d.part}/{d.parts}", "Результат": DELIVERY_RU.get(d.status, d.status),
             "Когда (время школы)": _when(d.due_at, tz), "Срочно": "да" if d.urgent else "",
             "Ошибка": d.error} for d in report.deliveries]
    return pd.DataFrame(rows, columns=["Чат", "Часть", "Результат", "Когда (время школы)", "Срочно", "Ошибка"])


def report_text(report: QueueReport, dry_run: bool) -> str:
    counts = {s: report.count(s) for s in ("sent", "queued", "failed", "skipped", "would_send", "would_queue")}
    if dry_run:
        return (f"Пробный прогон: ничего не отправлено и не сохранено. Было бы отправлено сейчас: "
                f"{counts['would_send']}, поставлено в очередь: {counts['would_queue']}.")
    return (f"Отправлено: {counts['sent']}, в очереди: {counts['queued']}, ошибок: {counts['failed']}, "
            f"пропущено (уже отправлено или в очереди): {counts['skipped']}.")


def queued_count(store: Store, school_id: str) -> int:
    return queued_parts(store, school_id)


# ---------------------------------------------------------------- history


def history_frame(school: School, pubs: list[Publication]) -> pd.DataFrame:
    """Publications, newest first: number, when (school time), scenario, dates, lessons, plan hash."""
    tz = ZoneInfo(school.timezone)
    rows = []
    for p in pubs:
        sc = p.plan.scenario
        rows.append({"№": p.serial, "Опубликовано": _when(p.published_at.isoformat(), tz), "Сценарий": sc.name,
                     "Даты": f"{sc.start:%d.%m}–{sc.end:%d.%m}", "Уроков в плане": len(p.plan.occurrences),
                     "План": p.plan_hash[:12]})
    return pd.DataFrame(rows, columns=["№", "Опубликовано", "Сценарий", "Даты", "Уроков в плане", "План"])


def plan_is_current(school: School, plan: Plan) -> bool:
    return plan_belongs_to(plan, school)


def urgent_category_select(container: DeltaGenerator, school: School) -> str | None:
    """The emergency category an urgent message needs (000 §5.1, plus the school's own), or None."""
    from planner.school.channels import urgent_choices

    choices = urgent_choices(school.channel_policy)
    picked = container.selectbox("Категория (п. 5.1: вне рабочего времени — только экстренные)",
                                 [None, *choices], key="msg_urgent_category",
                                 format_func=lambda c: "— выберите —" if c is None else f"{c.name} ({c.source})")
    return picked.id if picked else None


# ---------------------------------------------------------------- before anything leaves


class _Rollback(Exception):
    pass


def publish_preview(store: Store, school: School, plan: Plan, now: datetime) -> dict[str, Any]:
    """What «Опубликовать» would change, computed by the publication itself inside a transaction that is rolled
    back (nothing is saved): events new / changed / cancelled, and the calendars (active links, with the ones
    the publication would create) that carry them."""
    try:
        with store.transaction():
            result = publish_plan(store, school, plan, now)
            raise _Rollback(result)
    except _Rollback as done:
        result = done.args[0]
    active = TokenStore(store).list(school.id)
    have = {(t.kind, t.subject_id) for t in active}
    wanted = {("admin", "admin")} | {("teacher", t.id) for t in school.teachers} | {("class", c.id)
                                                                                 for c in school.classes}
    return {"unchanged": result.unchanged, "created": len(result.created), "changed": len(result.changed),
            "dropped": len(result.dropped), "calendars": len(active) + len(wanted - have)}


def preview_text(p: dict[str, Any]) -> str:
    if p["unchanged"]:
        return "Этот план уже опубликован: календари не изменятся."
    events = p["created"] + p["changed"] + p["dropped"]
    from planner.text import plural
    return (f"Изменится {plural(events, 'событие', 'события', 'событий')} в "
            f"{plural(p['calendars'], 'календаре', 'календарях', 'календарях')}: новых {p['created']}, "
            f"изменённых {p['changed']}, отменённых {p['dropped']}. Семьи и учителя увидят изменения при "
            "следующем обновлении календаря.")


def messages_preview_text(messages: list[ChatMessage], dry_run: bool) -> str:
    from planner.text import plural
    parts = sum(len(m.text_parts) for m in messages)
    text = (f"{plural(parts, 'сообщение', 'сообщения', 'сообщений')} в "
            f"{plural(len(messages), 'чат', 'чата', 'чатов')}")
    return ("Пробный прогон: ничего не уйдёт; будет показано, что ушло бы — " if dry_run else "Уйдёт ") + text + "."


def last_published_plan_id(store: Store, school_id: str) -> str | None:
    """The id of the plan published last (what «Публикация» offers by default), or None."""
    latest = latest_publication(store, school_id)
    return latest[1] if latest else None


def late_text(school: School, plan: Plan, messages: list[ChatMessage], library: NormLibrary,
              now: datetime | None = None) -> str | None:
    """A warning when queued messages would arrive at or after the first lesson they announce (000 §5.1)."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from planner.publish.chat.compose import chat_label_ru
    from planner.publish.chat.late import late_deliveries

    late = late_deliveries(school, plan, messages, now=now or datetime.now(timezone.utc), library=library)
    if not late:
        return None
    tz = ZoneInfo(school.timezone)
    return ("Сообщения придут не раньше начала уроков, о которых они: " + "; ".join(w.text_ru(tz, chat_label_ru(school, w.chat_key)) for w in late)
            + ". Отправьте срочно (с категорией по п. 5.1) или поставьте в очередь как есть.")
