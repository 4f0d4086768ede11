"""The `planner` command line: a thin layer over the library (the page calls the same functions).

Exit codes: 0 fine / compliant, 1 violations found, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner import settings
from planner.errors import InputError, Location, PlannerError
from planner.fileio import atomic_write_text
from planner.storage.paths import PUBLIC_URL_ENV

if TYPE_CHECKING:
    from planner.importers import Loaded, SourceOptions
    from planner.norms import NormLibrary
    from planner.plan.model import Plan
    from planner.school.model import School
    from planner.storage import Store


def _load(args: argparse.Namespace) -> Loaded:
    """The school named by SOURCE with its source options, through the one loader the page calls too."""
    from planner.importers import load_school

    return load_school(args.source, source_options(args))


def source_options(args: argparse.Namespace) -> SourceOptions:
    """The parsed SOURCE_OPTIONS as the importers' `SourceOptions` (texts and paths as typed; the importers read them)."""
    from planner.importers import SourceOptions

    def opt(name: str) -> Any:
        return getattr(args, name, None)

    def path(name: str) -> Path | None:
        return Path(opt(name)) if opt(name) else None

    return SourceOptions(
        timezone=opt("timezone") or "Europe/Moscow", year_start=opt("year_start"), year_end=opt("year_end"),
        a_week=opt("a_week"), bell_minutes=opt("bell_minutes"), bells=opt("bells") or "", bells_file=path("bells_file"),
        grades=opt("grades") or "", grades_file=path("grades_file"), pupils=opt("pupils") or "",
        pupils_file=path("pupils_file"), subject_keys_file=path("subject_keys"),
        fet_years_as_classes=opt("fet_years_as_classes") or "auto")


def _date(text: str) -> date:
    from planner.school.model import MAX_YEAR, MIN_YEAR

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None
    if not MIN_YEAR <= day.year < MAX_YEAR:
        raise argparse.ArgumentTypeError(f"'{text}' is outside the years {MIN_YEAR}-{MAX_YEAR - 1}")
    return day


def _source_options() -> argparse.ArgumentParser:
    """The options of a SOURCE without a calendar (aSc, FET), defined once: every command that takes a SOURCE
    takes them (parents=[SOURCE_OPTIONS]) and `source_options` turns them into the importers' SourceOptions."""
    source = argparse.ArgumentParser(add_help=False)
    source.add_argument("--timezone", default="Europe/Moscow", help="IANA time zone of an aSc/FET source")
    source.add_argument("--year-start", type=_date, help="first day of the school year of an aSc/FET source")
    source.add_argument("--year-end", type=_date, help="last day of the school year of an aSc/FET source")
    source.add_argument("--a-week", type=_date, help="a Monday of week A (числитель) of an aSc/FET source")
    source.add_argument("--bell-minutes", type=int, help="lesson length when FET hour names carry only a start")
    source.add_argument("--bells", help="bell schedule for FET hours without times: \"08:30-09:15,09:25-10:10,…\"")
    source.add_argument("--bells-file", help="bell schedule as a CSV file: period,start,end")
    source.add_argument("--grades", help="grade or course per class: \"101=10,201=2к\" (к = college course)")
    source.add_argument("--grades-file", help="grades as a CSV file: class,grade")
    source.add_argument("--pupils", help="pupils per class: \"7А=25,7Б=27\" ('*=25' = every class without a count)")
    source.add_argument("--pupils-file", help="pupils as a CSV file: class,pupils")
    source.add_argument("--subject-keys", help="the school's subject map, a CSV file: subject,norm key")
    source.add_argument("--fet-years-as-classes", choices=("auto", "yes", "no"), default="auto",
                        help="FET years whose groups are the classes become one class per group (default: detect)")
    source.add_argument("--accept-partial", action="store_true", help="audit or rebuild a timetable whose source "
                        "left lessons without a place (shown in every report)")
    return source


SOURCE_OPTIONS = _source_options()


def _school_library(args: argparse.Namespace, school: School, store: Store | None = None) -> NormLibrary:
    """The norm library for the school: a --policy file wins for this run; else, with a data directory, the
    school's stored policy (planner policy set); else the norms alone."""
    from planner.norms import NormLibrary
    from planner.norms.school_policy import library_for_school

    library = NormLibrary.load(Path(args.constraints) if getattr(args, "constraints", None) else None,
                               Path(args.policy) if getattr(args, "policy", None) else None,
                               strict=getattr(args, "strict_norms", False))
    if getattr(args, "policy", None):
        return library
    if store is None and getattr(args, "data_dir", None):
        from planner.storage import Store

        with Store.open(args.data_dir) as st:
            return library_for_school(st, school.id, library)
    return library_for_school(store, school.id, library) if store is not None else library


def cmd_audit(args: argparse.Namespace) -> int:
    from planner.audit import audit_plan, audit_school

    plan = None
    if args.plan:
        plan = _load_plan(args.plan)
        if args.policy:
            print("warning: the plan's embedded scenario policy is used for the scenario knobs; the policy file "
                  "only changes norm values", file=sys.stderr)
        if args.date_from or args.date_to:
            print("warning: a plan is audited on its scenario's dates; --from/--to are ignored", file=sys.stderr)
    loaded = _load(args)
    school = loaded.school
    library = _school_library(args, school)
    if plan is not None:
        report = audit_plan(school, plan, library, accept_partial=args.accept_partial)
        start, end = report.start, report.end
    else:
        from planner.school.model import MAX_YEAR_DAYS

        start = args.date_from or school.calendar.year_start
        end = args.date_to or (start + timedelta(days=6) if args.date_from else school.calendar.year_end)
        if end < start or (end - start).days > MAX_YEAR_DAYS:
            raise InputError(f"the audit period {start}..{end} is reversed or longer than {MAX_YEAR_DAYS} days",
                             f"период проверки {start}…{end} перевёрнут или длиннее {MAX_YEAR_DAYS} дней")
        report = audit_school(school, library, start, end, accept_partial=args.accept_partial)
    if args.format == "json":
        out = report.to_dict()
        out["import_warnings"] = [w.message_en for w in loaded.warnings]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        lang = args.lang
        ru = lang == "ru"
        if ru:
            print(f"{school.name}: {start:%d.%m.%Y} – {end:%d.%m.%Y}"
                  + (f"; политика: {report.policy}" if report.policy else "")
                  + (f"; план: {plan.scenario.name}" if plan is not None else ""))
        else:
            acts = dict.fromkeys(a for r in report.norm_ranges for a in r.in_force)
            print(f"{school.name}: {start} … {end}; acts in force: {', '.join(acts)}"
                  + (f"; policy: {report.policy}" if report.policy else "")
                  + (f"; plan: {plan.scenario.name}" if plan is not None else ""))
        print("Действующие нормы по датам:" if ru else "Norms by date range:")
        for r in report.norm_ranges:
            for line in r.lines(lang):
                print(f"  {line}")
        for w in loaded.warnings:
            print(f"{'предупреждение импорта' if ru else 'import warning'}: {w.message_ru if ru else w.message_en}")
        for n in (report.interpretations_ru if ru else report.interpretations_en):
            print(f"{'ТОЛКОВАНИЕ ШКОЛЫ' if ru else 'SCHOOL INTERPRETATION'}: {n}")
        for n in (report.notices_ru if ru else report.notices_en):
            print(f"{'ПРИМЕЧАНИЕ' if ru else 'NOTE'}: {n}")
        marker = {True: ("[было и раньше] ", "[pre-existing] "), False: ("[новое] ", "[new] ")}
        for f in report.findings:
            prefix = marker[f.preexisting][0 if ru else 1] if plan is not None else ""
            print(prefix + f.text(lang))
        print(report.summary(lang))
    return report.exit_code


def _load_plan(path: str) -> Plan:
    from planner.plan.ownership import read_plan_file

    return read_plan_file(path)


def cmd_rebuild(args: argparse.Namespace) -> int:
    """Exit 0 plan found, 2 bad input, 3 pre-checks failed, 4 no plan within the time limit."""
    from planner.rebuild import rebuild
    from planner.scenario import scenario_from_toml

    school = _load(args).school
    scenario = scenario_from_toml(Path(args.scenario))
    library = _school_library(args, school)
    published = _load_plan(args.published) if args.published else None
    if scenario.replan_from and published is None:
        raise InputError("the scenario re-plans (replan_from) but no --published plan was given",
                         "сценарий перепланирует (replan_from), но опубликованный план не указан (--published)")

    def progress(event: dict[str, Any]) -> None:
        if args.verbose and "status" in event:
            print(f"{event['date']} component {event['component']}/{event['components']}: {event['status']}, "
                  f"objective {event['objective']:.0f}, bound {event['bound']:.0f}, {event['elapsed']:.2f} s",
                  file=sys.stderr)

    plan = rebuild(school, scenario, library, published=published, time_limit=args.time_limit,
                   workers=args.workers, seed=args.seed, progress=progress, scenario_source=args.scenario,
                   accept_partial=args.accept_partial)
    if plan.solver.status == "UNKNOWN":
        print("error: the time limit was reached with no plan", file=sys.stderr)
        return 4
    out = Path(args.out)
    atomic_write_text(out, plan.to_json())
    from planner.rebuild.paper import all_paper_lines

    for line in all_paper_lines(plan):
        print(line)
    for notice in plan.notices:  # issue 14: never silent
        print(f"WARNING: not arranged: {notice.text_en}")
    live = sum(o.mode == "live" for o in plan.occurrences)
    online = sum(o.mode in ("live", "async") for o in plan.occurrences)
    print(f"{scenario.name}: {plan.solver.status} in {plan.solver.wall_seconds:.2f} s (gap {plan.solver.gap:.1%}); "
          f"{live} of {online} online parts live; perturbation {plan.perturbation_total:g}; wrote {out}")
    for c in plan.summary:
        if c.parts:
            print(f"  {c.class_id}: live share {c.live_share:.0%}, up to {c.max_screen_minutes} of "
                  f"{c.screen_cap} screen minutes a day, {c.pupils_without_device} pupils without a device, "
                  f"perturbation {c.perturbation:g}")
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from planner.importers.tabular import write_csv_folder, write_xlsx

    school = _load(args).school
    out = Path(args.out)
    if out.suffix.lower() == ".json":
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, school.to_json())
    elif out.suffix.lower() == ".xlsx":
        write_xlsx(school, out)
    else:
        write_csv_folder(school, out)
    print(f"wrote {out}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from planner.importers.template import write_template

    write_template(Path(args.out))
    print(f"wrote the blank template {args.out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    loaded = _load(args)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, loaded.school.to_json())
    for w in loaded.warnings:
        print(f"warning: {w.message_en}", file=sys.stderr)
    s = loaded.school
    print(f"{s.name}: {len(s.classes)} classes, {len(s.teachers)} teachers, {len(s.subjects)} subjects, "
          f"{len(s.lessons)} lessons, {len(loaded.warnings)} warnings; wrote {out}")
    if s.incomplete is not None:
        print(f"WARNING: {s.incomplete.text('en')} (audit and rebuild need --accept-partial)")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from planner.plan import plan_json_schema
    from planner.school.model import school_json_schema

    schema = plan_json_schema() if args.kind == "plan" else school_json_schema()
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_store(args: argparse.Namespace) -> int:
    from planner.storage import Store

    school = _load(args).school
    with Store.open(args.data_dir) as store:
        existing = store.get("school", school.id)
        if existing and not args.replace and args.expected_version is None:
            raise InputError(f"school '{school.id}' is already stored (version {existing.version}); pass --replace "
                             "to replace it", f"школа «{school.id}» уже сохранена (версия {existing.version})")
        expected = args.expected_version if args.expected_version is not None else (
            existing.version if existing and args.replace else None)
        record = store.save_school(school, expected)
    print(f"saved school '{school.id}' as version {record.version} in {store.data_dir}")
    return 0


def _plan_for_school(args: argparse.Namespace) -> tuple[School, Plan]:
    """The school from SOURCE (with the source options) and the plan, refused when made for another school."""
    from planner.plan.ownership import require_plan_for_school

    school = _load(args).school
    plan = _load_plan(args.plan)
    require_plan_for_school(plan, school)
    return school, plan


def _moment(text: str | None, tz_name: str | None) -> datetime:
    """--now as a tz-aware datetime: an ISO time with an offset, or a naive one in the school's time zone."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    if text is None:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--now '{text}' is not an ISO date-time", f"--now «{text}» — не дата и время ISO") from None
    if moment.tzinfo is None:
        if tz_name is None:
            raise InputError("--now needs a UTC offset here (e.g. 2026-12-14T08:00+05:00)",
                             "для --now нужно смещение от UTC (например 2026-12-14T08:00+05:00)")
        moment = moment.replace(tzinfo=ZoneInfo(tz_name))
    return moment


def cmd_messages(args: argparse.Namespace) -> int:
    """Compose and queue/send the plan's chat messages, or drain the queue (--send-due). Dry run without --send."""

    from planner.publish.chat.max_api import MaxClient
    from planner.publish.chat.compose import compose_messages
    from planner.publish.chat.outbox import queue_messages, send_due
    from planner.storage import Store

    token = None
    if args.send:
        token = Path(args.token_file).read_text(encoding="utf-8").strip() if args.token_file else \
            settings.bot_token()
        if not token:
            raise InputError("--send needs a bot token: --token-file FILE or MAX_BOT_TOKEN",
                             "для --send нужен токен бота: --token-file ФАЙЛ или MAX_BOT_TOKEN")
    client = MaxClient(token, base_url=args.api_base, ca_bundle=args.ca_bundle, send=args.send)
    with Store.open(args.data_dir) as store, client:
        if args.send_due:
            if args.source or args.plan:
                raise InputError("--send-due takes no SOURCE or PLAN", "--send-due не принимает SOURCE и PLAN")
            from planner.norms import NormLibrary

            report = send_due(store, client, now=_moment(args.now, None), library=NormLibrary.load())
        else:
            if not (args.source and args.plan):
                raise InputError("give SOURCE and PLAN.json (or --send-due)", "укажите SOURCE и PLAN.json (или --send-due)")
            from planner.norms import NormLibrary

            school, plan = _plan_for_school(args)
            feeds = json.loads(Path(args.feed_links).read_text(encoding="utf-8")) if args.feed_links else None
            previous = _load_plan(args.previous) if args.previous else None
            messages = compose_messages(school, plan, teachers_chat_link=args.teachers_chat_link,
                                        teachers_chat_id=args.teachers_chat_id, feed_links=feeds,
                                        previous=previous, personal=args.personal)
            if args.preview:
                for m in messages:
                    for i, part in enumerate(m.text_parts, 1):
                        print(f"===== {m.chat_key} {i}/{len(m.text_parts)} ({len(part)} chars) =====\n{part}")
            library = _school_library(args, school, store)
            now = _moment(args.now, school.timezone)
            if not args.urgent:
                from zoneinfo import ZoneInfo

                from planner.publish.chat.late import late_deliveries

                late = late_deliveries(school, plan, messages, now=now, library=library)
                if late and not args.accept_late:
                    for w in late:
                        print(f"late: {w.text_en(ZoneInfo(school.timezone))}", file=sys.stderr)
                    print("nothing queued: send as urgent (--urgent --urgent-category ID, 000 §5.1) or queue anyway "
                          "(--accept-late)", file=sys.stderr)
                    return 3
            report = queue_messages(store, school, plan, messages, client, now=now,
                                    library=library, urgent=args.urgent, urgent_category=args.urgent_category)
    for d in report.deliveries:
        extra = f" due {d.due_at}" if d.status in ("queued", "would_queue") else ""
        extra += f" ({d.error})" if d.error else ""
        print(f"{d.chat_key} part {d.part}/{d.parts}: {d.status}{' URGENT' if d.urgent else ''}{extra}")
    for key, chat_id in report.resolved_chat_ids.items():
        print(f"resolved chat_id {chat_id} for {key}: add it to the school's chats")
    counts = {s: report.count(s) for s in ("sent", "queued", "retry", "failed", "skipped", "would_send",
                                           "would_queue")}
    print(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if v) or "nothing to send")
    if client.dry_run:
        print(f"dry run: nothing left this machine ({len(client.recorded)} request(s) recorded); add --send to send")
    return 1 if report.count("failed") else 0


def cmd_readiness(args: argparse.Namespace) -> int:
    """Print the readiness board; --survey-out writes the curators' workbook, --survey-in reads it back into
    --out (a school JSON). Exit 0 all classes ready, 1 some not ready, 2 bad input."""
    from planner.school.readiness import read_survey, readiness_board, write_survey

    school = _load(args).school
    if args.survey_out:
        write_survey(school, Path(args.survey_out))
        print(f"wrote the survey workbook {args.survey_out} ({len(school.classes)} class sheets and «Учителя»)")
    if args.survey_in:
        if not args.out:
            raise InputError("--survey-in needs --out SCHOOL.json", "для --survey-in укажите --out ШКОЛА.json")
        school = read_survey(school, Path(args.survey_in), now=_moment(args.now, school.timezone),
                             entered_by=args.by or "")
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, school.to_json())
        print(f"read {args.survey_in}; wrote {out}")
    board = readiness_board(school)
    for line in (board.lines_ru() if args.lang == "ru" else board.lines_en()):
        print(line)
    stale = [c.class_id for c in board.classes if c.ready != c.flags_ready]
    if stale:
        print(("флажки готовности, которые читает планировщик, расходятся с доской у классов: " if args.lang == "ru"
               else "the readiness flags the planner reads differ from the board for: ") + ", ".join(stale))
    return 0 if board.ready_count == len(board.classes) else 1


def cmd_epos(args: argparse.Namespace) -> int:
    from planner.publish.ejournal.epos import write_epos_workbook

    school, plan = _plan_for_school(args)
    tables = write_epos_workbook(school, plan, args.out)
    print(f"wrote {args.out}: {len(tables.lessons)} lessons, {len(tables.replacements)} replacements")
    return 0


def _add_messages_and_epos(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    m = sub.add_parser("messages", parents=[SOURCE_OPTIONS], help="chat messages about a plan to MAX (dry run unless --send), or --send-due")
    m.add_argument("source", nargs="?", help="a CSV folder, an XLSX workbook or a school JSON file")
    m.add_argument("plan", nargs="?", help="the plan JSON")
    m.add_argument("--send-due", action="store_true", help="send the queued messages whose time has come (cron)")
    m.add_argument("--data-dir", help="data directory (default: $PLANNER_DATA_DIR or ./data)")
    m.add_argument("--send", action="store_true", help="really send (default: dry run, nothing leaves the machine)")
    m.add_argument("--urgent", action="store_true", help="send now even outside business hours (recorded as urgent, "
                                                         "needs --urgent-category)")
    m.add_argument("--urgent-category", help="the emergency (000 §5.1): life_health, emergency or the school's own")
    m.add_argument("--accept-late", action="store_true",
                   help="queue even when delivery would come after the first lesson announced (else exit 3)")
    m.add_argument("--token-file", help="file holding the bot token (default: $MAX_BOT_TOKEN)")
    m.add_argument("--api-base", help="MAX Bot API base URL (default https://platform-api2.max.ru)")
    m.add_argument("--ca-bundle", help="CA bundle file with the Russian Trusted Root CA")
    m.add_argument("--now", help="the time to act at, ISO (naive = school time; default: now)")
    m.add_argument("--preview", action="store_true", help="print every message part")
    m.add_argument("--teachers-chat-link", help="invite link of the teachers' chat")
    m.add_argument("--teachers-chat-id", help="chat_id of the teachers' chat")
    m.add_argument("--previous", help="the plan published before this re-plan: only changed days, only to the "
                                      "chats they affect")
    m.add_argument("--personal", action="store_true",
                   help="also a personal message to each teacher with a MAX dialog (teachers.max_chat_id)")
    m.add_argument("--feed-links", help="JSON file: class id (or \"teachers\") -> calendar feed URL")
    m.add_argument("--policy", help="a school policy TOML file (norm values, e.g. business hours)")
    m.set_defaults(func=cmd_messages)

    rd = sub.add_parser("readiness", parents=[SOURCE_OPTIONS], help="the readiness board (004 §3.3); --survey-out/--survey-in: the curators' "
                                          "survey workbook (exit 0 all ready, 1 some not, 2 bad input)")
    rd.add_argument("source", help="a CSV folder, an XLSX workbook or a school JSON file")
    rd.add_argument("--survey-out", help="write the survey workbook (.xlsx) to fill in")
    rd.add_argument("--survey-in", help="read a filled survey workbook back (needs --out)")
    rd.add_argument("--out", help="the school JSON to write after --survey-in")
    rd.add_argument("--by", help="who entered the survey, where a row leaves «Кто заполнил» empty")
    rd.add_argument("--now", help="the date-time recorded where a row leaves «Дата» empty (default: now)")
    rd.add_argument("--lang", choices=("en", "ru"), default="ru")
    rd.set_defaults(func=cmd_readiness)

    e = sub.add_parser("epos", parents=[SOURCE_OPTIONS], help="write the e-journal hand-off workbook (sheets «Уроки», «Журнал замен»)")
    e.add_argument("source")
    e.add_argument("plan")
    e.add_argument("--out", required=True, help="the .xlsx file to write")
    e.set_defaults(func=cmd_epos)


# ---------------------------------------------------------------- publish, tokens, serve (feeds)



def _feed_now(text: str | None, tz_name: str) -> datetime:
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    if text is None:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--now '{text}' is not an ISO date-time", f"--now «{text}» — не дата и время ISO") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz_name))


def _base_url(args: argparse.Namespace) -> str:

    return args.base_url or settings.public_url() or "http://127.0.0.1:8765"


def cmd_publish(args: argparse.Namespace) -> int:
    """Exit 0 published, 2 bad input or a plan for another school, 3 live lessons without a link, 4 published
    but the CalDAV push (--caldav) failed."""
    from planner.publish.checks import MissingLinks
    from planner.publish.feeds.workflow import publish_to_dir
    from planner.publish.feeds.tokens import feed_links
    from planner.storage import Store

    school, plan = _plan_for_school(args)
    if args.caldav:  # a bad selection or password file is refused before anything is published
        from planner.publish.feeds.caldav import CalDAVError, check_caldav_url, parse_feed_selection, push_published, read_password_file

        parse_feed_selection(args.caldav_feed, school)
        check_caldav_url(args.caldav)
        read_password_file(args.caldav_password_file)
    with Store.open(args.data_dir) as store:
        try:
            out = publish_to_dir(store, school, plan, Path(args.out), _feed_now(args.now, school.timezone),
                                 allow_missing_links=args.allow_missing_links)
        except MissingLinks as err:
            print(f"error: {len(err.occurrences)} live lesson(s) have no call link (add the class chats, or pass "
                  "--allow-missing-links):", file=sys.stderr)
            for o in err.occurrences:
                print(f"  {o.key} part {o.part}: {o.class_id} {o.subject_id} {o.start:%d.%m %H:%M}", file=sys.stderr)
            return 3
    r = out.result
    state = "unchanged (nothing recorded)" if r.unchanged else (
        f"{len(r.created)} new, {len(r.changed)} changed, {len(r.dropped)} cancelled, {r.kept} unchanged events")
    print(f"publication {r.publication_id} (serial {r.serial}): {state}; {out.feeds} feeds, "
          f"{len(out.written)} files written, {len(out.removed)} removed in {args.out}")
    for t in out.new_tokens:
        print(f"  new feed {t.kind} {t.subject_id}: {feed_links(_base_url(args), t.secret)['https'] if t.secret else '?'}")
    if args.caldav:  # docs/caldav.md; exit 4: published, but the push failed (re-run: it is idempotent)
        with Store.open(args.data_dir) as store:
            try:
                pushed = push_published(store, school.id, args.caldav, feed=args.caldav_feed,
                                        username=args.caldav_user, password_file=args.caldav_password_file,
                                        now=_feed_now(args.now, school.timezone))
            except CalDAVError as err:
                print(f"error: {err}; the feeds are published, re-run to retry the push", file=sys.stderr)
                return 4
        print(f"caldav {args.caldav_feed or 'admin'} -> {args.caldav}: {pushed.summary()}")
    return 0


def _token_school(store: Store, given: str | None) -> str:
    from planner.publish.feeds.publication import published_school_ids

    if given:
        return given
    ids = published_school_ids(store)
    if len(ids) != 1:
        raise InputError("name the school with --school (published: " + (", ".join(ids) or "none") + ")",
                         "укажите школу: --school")
    return ids[0]


def cmd_tokens(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from planner.publish.feeds.publication import published_school
    from planner.publish.feeds.qr import write_token_qrs
    from planner.publish.feeds.tokens import TokenStore, feed_links
    from planner.storage import Store

    now = datetime.now(timezone.utc)
    with Store.open(args.data_dir) as store:
        tokens = TokenStore(store)
        if args.action == "list":
            school_id = args.school or None
            shown = tokens.list(school_id, include_revoked=args.all)
            for t in shown:
                links = feed_links(_base_url(args), t.secret) if t.secret else {"https": "?", "webcal": "?"}
                state = f"revoked {t.revoked_at}" if t.revoked_at else "active"
                extra = f" groups={','.join(t.groups)}" if t.groups else ""
                print(f"{t.id}\t{t.kind}\t{t.subject_id}\t{t.label}{extra}\t{state}\t{links['https']}\t{links['webcal']}")
            if args.qr:
                files = write_token_qrs([t for t in shown if t.active], _base_url(args), Path(args.qr),
                                        fmt=args.qr_format, link=args.qr_link)
                print(f"wrote {len(files)} QR codes to {args.qr}")
            return 0
        if args.action == "create":
            from planner.publish.feeds.issuing import create_feed_token

            school_id = _token_school(store, args.school)
            if args.family:
                kind, subject = "family", args.family
            elif args.teacher:
                kind, subject = "teacher", args.teacher
            elif args.class_id:
                kind, subject = "class", args.class_id
            elif args.admin:
                kind, subject = "admin", "admin"
            else:
                raise InputError("say which feed: --teacher, --class, --family NAME --class, or --admin",
                                 "укажите календарь: --teacher, --class, --family или --admin")
            t = create_feed_token(store, school_id, kind, subject, now=now, school=published_school(store, school_id),
                                  class_id=args.class_id if kind == "family" else None, groups=args.group or [],
                                  include_regular=args.include_regular)
        else:
            if not args.token:
                raise InputError(f"tokens {args.action} needs the token id (tok_…) or the token itself",
                                 f"для tokens {args.action} укажите id ссылки (tok_…) или саму ссылку")
            from planner.publish.feeds.issuing import revoke_token, rotate_token

            feeds_dir = Path(args.feeds_dir) if args.feeds_dir else None
            if args.action == "revoke":
                t = revoke_token(store, args.token, now=now, feeds_dir=feeds_dir)
                print(f"revoked {t.id} ({t.kind} {t.subject_id})")
                return 0
            t = rotate_token(store, args.token, now=now, feeds_dir=feeds_dir)
        if args.feeds_dir:
            from planner.publish.feeds.files import write_token_feed

            write_token_feed(store, t, Path(args.feeds_dir), now)
    links = feed_links(_base_url(args), t.secret) if t.secret else {"https": "?", "webcal": "?"}
    print(f"{t.id}\t{t.kind}\t{t.subject_id}\t{links['https']}\t{links['webcal']}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from planner.publish.feeds.server import serve

    serve(args.data_dir, host=args.host, port=args.port, workers=args.workers, access_log=args.access_log)
    return 0


def _add_publish_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pb = sub.add_parser("publish", parents=[SOURCE_OPTIONS], help="publish a plan as calendar feeds (exit 0, 2 bad input or another school's "
                                        "plan, 3 live lessons without a link)")
    pb.add_argument("source", help="a CSV folder, an XLSX workbook or a school JSON file")
    pb.add_argument("plan", help="the plan JSON")
    pb.add_argument("--out", required=True, help="folder for the feed files (named by the SHA-256 of their token)")
    pb.add_argument("--data-dir", help="data directory (default: $PLANNER_DATA_DIR or ./data)")
    pb.add_argument("--base-url", help=f"public URL of the feed server (default ${PUBLIC_URL_ENV})")
    pb.add_argument("--now", help="the publication time, ISO (default: now; naive = school time zone)")
    pb.add_argument("--allow-missing-links", action="store_true",
                    help="publish live lessons without a call link (the description points to the class chat)")
    pb.add_argument("--caldav", metavar="URL", help="also push the events to this CalDAV calendar (docs/caldav.md; "
                                                     "exit 4 when the push fails)")
    pb.add_argument("--caldav-feed", metavar="SEL", help="what goes to the calendar: admin (default), teacher:ID, "
                                                          "class:ID or class:ID:GROUP[,GROUP]")
    pb.add_argument("--caldav-user", help="CalDAV user name")
    pb.add_argument("--caldav-password-file", metavar="FILE", help="file holding the CalDAV (app) password")
    pb.set_defaults(func=cmd_publish)

    tk = sub.add_parser("tokens", help="feed links: list (with QR codes), create, revoke, rotate")
    tk.add_argument("action", choices=("list", "create", "revoke", "rotate"))
    tk.add_argument("token", nargs="?", help="revoke/rotate: the token id (tok_…) or the token itself")
    tk.add_argument("--data-dir", help="data directory (default: $PLANNER_DATA_DIR or ./data)")
    tk.add_argument("--school", help="school id (default: the only published school)")
    tk.add_argument("--base-url", help=f"public URL of the feed server (default ${PUBLIC_URL_ENV})")
    tk.add_argument("--teacher", help="create: a teacher's feed")
    tk.add_argument("--class", dest="class_id", help="create: a class feed, or the class of a --family feed")
    tk.add_argument("--family", help="create: a family feed named NAME (never shown in the feed)")
    tk.add_argument("--group", action="append", help="create --family: a subgroup (repeat)")
    tk.add_argument("--admin", action="store_true", help="create: the administration's feed (everything)")
    tk.add_argument("--include-regular", action="store_true", help="create: also show regular-timetable days")
    tk.add_argument("--all", action="store_true", help="list: include revoked tokens")
    tk.add_argument("--qr", help="list: write a QR code per active link into this folder")
    tk.add_argument("--qr-format", choices=("png", "svg"), default="png")
    tk.add_argument("--qr-link", choices=("webcal", "https"), default="webcal")
    tk.add_argument("--feeds-dir", help="create/rotate: write the new feed file here; revoke/rotate: remove the "
                                        "old one")
    tk.set_defaults(func=cmd_tokens)

    sv = sub.add_parser("serve", help="serve the feeds over HTTP (GET /feeds/<token>.ics)")
    sv.add_argument("--data-dir", help="data directory (default: $PLANNER_DATA_DIR or ./data)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8765)
    sv.add_argument("--workers", type=int, default=1, help="server processes (each keeps its own feed cache)")
    sv.add_argument("--access-log", action="store_true", help="log requests (feed tokens are masked)")
    sv.set_defaults(func=cmd_serve)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="planner", description="Distance-lesson rebuild and SanPiN compliance planner")
    sub = p.add_subparsers(dest="command", required=True)
    source = SOURCE_OPTIONS

    a = sub.add_parser("audit", parents=[source], help="check a timetable against the norm sets in force")
    a.add_argument("source", help="a CSV folder, an XLSX workbook or a school JSON file")
    a.add_argument("--plan", help="a plan JSON to audit instead of the regular timetable")
    a.add_argument("--policy", help="a school policy TOML file that tightens (or, flagged, loosens) norms")
    a.add_argument("--constraints", help="the folder of norm files (default: the repository's constraints/)")
    a.add_argument("--from", dest="date_from", type=_date, help="first date (default: start of the school year)")
    a.add_argument("--to", dest="date_to", type=_date, help="last date (default: a week after --from, else the end of the school year)")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a.add_argument("--lang", choices=("en", "ru"), default="en")
    a.add_argument("--data-dir", help="use the school's stored policy from this data directory (--policy wins)")
    a.add_argument("--strict-norms", action="store_true",
                   help="refuse dates on which a binding act has lapsed without a successor (else its values are "
                        "carried over as school policy and findings against them are warnings)")
    a.set_defaults(func=cmd_audit)

    r = sub.add_parser("rebuild", parents=[source], help="plan the scenario's online days (exit 0 plan, 2 bad input, 3 pre-checks "
                                        "failed, 4 no plan in time)")
    r.add_argument("source", help="a CSV folder, an XLSX workbook or a school JSON file")
    r.add_argument("--scenario", required=True, help="the scenario TOML file")
    r.add_argument("--out", required=True, help="where to write the plan JSON")
    r.add_argument("--published", help="the published plan to re-plan against (freezes dates before replan_from)")
    r.add_argument("--policy", help="a school policy TOML file (norm values)")
    r.add_argument("--constraints", help="the folder of norm files (default: the repository's constraints/)")
    r.add_argument("--data-dir", help="use the school's stored policy from this data directory (--policy wins)")
    r.add_argument("--strict-norms", action="store_true",
                   help="refuse dates on which a binding act has lapsed without a successor")
    r.add_argument("--time-limit", type=float, default=10.0, help="seconds for the whole solve (default 10)")
    r.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--verbose", action="store_true", help="print each component's solve")
    r.set_defaults(func=cmd_rebuild)

    c = sub.add_parser("convert", parents=[source], help="write a school as JSON (.json), a workbook (.xlsx) or a CSV folder")
    c.add_argument("source")
    c.add_argument("--out", required=True)
    c.set_defaults(func=cmd_convert)

    t = sub.add_parser("template", help="write a blank template: FILE.xlsx (with a column reference) or a CSV folder")
    t.add_argument("--out", required=True)
    t.set_defaults(func=cmd_template)

    im = sub.add_parser("import", parents=[source], help="import a timetable (format detected from the content) into a school JSON")
    im.add_argument("source")
    im.add_argument("--out", required=True)
    im.set_defaults(func=cmd_import)

    s = sub.add_parser("schema", help="print the JSON schema of the school file (or of the plan file)")
    s.add_argument("kind", nargs="?", choices=("school", "plan"), default="school")
    s.add_argument("--out")
    s.set_defaults(func=cmd_schema)

    st = sub.add_parser("store", parents=[source], help="save a school into the data directory's database")
    st.add_argument("source")
    st.add_argument("--data-dir", help="data directory (default: $PLANNER_DATA_DIR or ./data)")
    st.add_argument("--replace", action="store_true", help="replace the stored school (else a stored one is kept)")
    st.add_argument("--expected-version", type=int, help="refuse the save unless the stored version is this")
    st.set_defaults(func=cmd_store)
    _add_messages_and_epos(sub)
    _add_publish_commands(sub)

    n = sub.add_parser("norms", help="the norm sets: validity and what is in force on a date; lapse check for cron")
    nsub = n.add_subparsers(dest="norms_command", required=True)
    nl = nsub.add_parser("list", help="every norm set, its validity and its status on a date")
    nl.add_argument("--date", type=_date, help="the date (default: today)")
    nl.add_argument("--constraints", help="the folder of norm files (default: the packaged norm data)")
    nl.add_argument("--policy", help="a school policy TOML file")
    nl.add_argument("--lang", choices=("en", "ru"), default="en")
    nl.set_defaults(func=cmd_norms_list)
    nc = nsub.add_parser("check", help="exit 1 when a binding set lapses within N days (or has lapsed without a "
                                       "successor); for an administrator's cron")
    nc.add_argument("--days", type=int, default=60, help="warning window in days (default 60)")
    nc.add_argument("--date", type=_date, help="check as of this date (default: today)")
    nc.add_argument("--constraints", help="the folder of norm files (default: the packaged norm data)")
    nc.add_argument("--lang", choices=("en", "ru"), default="en")
    nc.set_defaults(func=cmd_norms_check)

    po = sub.add_parser("policy", help="the school's own policy (local act values) stored with its history")
    psub = po.add_subparsers(dest="policy_command", required=True)
    ps = psub.add_parser("set", help="store a policy TOML file as the school's current policy")
    ps.add_argument("school_id")
    ps.add_argument("file")
    ps.add_argument("--by", required=True, help="who changes it (a name, stored in the history)")
    ps.add_argument("--reason", required=True, help="why (stored in the history)")
    ps.add_argument("--data-dir", help="data directory (default: $PLANNER_DATA_DIR or ./data)")
    ps.set_defaults(func=cmd_policy_set)
    ph = psub.add_parser("history", help="every stored version of the school's policy: who, when, why")
    ph.add_argument("school_id")
    ph.add_argument("--data-dir", help="data directory (default: $PLANNER_DATA_DIR or ./data)")
    ph.set_defaults(func=cmd_policy_history)
    return p


def cmd_policy_set(args: argparse.Namespace) -> int:
    from planner.norms.school_policy import save_school_policy
    from planner.storage import Store

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the policy: {exc.strerror or exc}", f"не удаётся прочитать политику: "
                         f"{exc.strerror or exc}", Location(file=str(path))) from None
    with Store.open(args.data_dir) as store:
        if store.get("school", args.school_id) is None:
            raise InputError(f"no school '{args.school_id}' is stored", f"школа «{args.school_id}» не сохранена",
                             Location(field="school_id"))
        v = save_school_policy(store, args.school_id, text, created_by=args.by, reason=args.reason,
                               source=str(path))
    print(f"policy version {v.number} of {args.school_id} saved ({v.name}; by {v.created_by}: {v.reason})")
    return 0


def cmd_policy_history(args: argparse.Namespace) -> int:
    from planner.norms.school_policy import policy_history
    from planner.storage import Store

    with Store.open(args.data_dir) as store:
        history = policy_history(store, args.school_id)
    for v in history:
        print(f"{v.number}\t{v.created_at}\t{v.created_by}\t{v.reason}\t{v.name}")
    if not history:
        print(f"no stored policy for {args.school_id}: the norms apply as they are")
    return 0


def cmd_norms_list(args: argparse.Namespace) -> int:
    from planner.norms import NormLibrary
    from planner.norms.status import norm_set_table

    library = NormLibrary.load(Path(args.constraints) if args.constraints else None,
                               Path(args.policy) if args.policy else None)
    for line in norm_set_table(library, args.date or date.today(), args.lang):
        print(line)
    return 0


def cmd_norms_check(args: argparse.Namespace) -> int:
    from planner.norms import NormLibrary
    from planner.norms.status import lapse_alerts

    library = NormLibrary.load(Path(args.constraints) if args.constraints else None)
    alerts = lapse_alerts(library, args.date or date.today(), args.days)
    for a in alerts:
        print(a.text(args.lang))
    if not alerts:
        print("нет актов, утрачивающих силу в ближайшие " + str(args.days) + " дн." if args.lang == "ru"
              else f"no binding act lapses within {args.days} days")
    return 1 if alerts else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except PlannerError as err:  # one protocol: English text with its location, the error's own exit code
        lang = "ru" if getattr(args, "lang", "en") == "ru" else "en"
        word = "ошибка" if lang == "ru" else "error"
        details = err.details(lang)
        if details:
            print(f"{word}: {err.title(lang)}:", file=sys.stderr)
            for line in details:
                print(f"  - {line}", file=sys.stderr)
        else:
            print(f"{word}: {err.text(lang)}", file=sys.stderr)
        return err.exit_code
    except OSError as err:  # a file that cannot be read or written
        print(f"error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
