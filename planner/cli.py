"""The `planner` command line: a thin layer over the library (the page calls the same functions).

Exit codes: 0 fine / compliant, 1 violations found, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from planner.errors import InputError, PlannerError, StaleSaveError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def cmd_audit(args: argparse.Namespace) -> int:
    from planner.audit import audit_plan, audit_school
    from planner.importers import load_school
    from planner.norms import NormLibrary

    plan = None
    if args.plan:
        plan = _load_plan(args.plan)
        if args.policy:
            print("warning: the plan's embedded scenario policy is used for the scenario knobs; the policy file "
                  "only changes norm values", file=sys.stderr)
        if args.date_from or args.date_to:
            print("warning: a plan is audited on its scenario's dates; --from/--to are ignored", file=sys.stderr)
    loaded = load_school(args.source)
    school = loaded.school
    library = NormLibrary.load(Path(args.constraints) if args.constraints else None,
                               Path(args.policy) if args.policy else None)
    if plan is not None:
        report = audit_plan(school, plan, library)
        start, end = report.start, report.end
    else:
        start = args.date_from or school.calendar.year_start
        end = args.date_to or (start + timedelta(days=6) if args.date_from else school.calendar.year_end)
        report = audit_school(school, library, start, end)
    if args.format == "json":
        out = report.to_dict()
        out["import_warnings"] = [w.message_en for w in loaded.warnings]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        lang = args.lang
        print(f"{school.name}: {start} … {end}; norm sets: {', '.join(report.norm_sets)}"
              + (f"; policy: {report.policy}" if report.policy else "")
              + (f"; plan: {plan.scenario.name}" if plan is not None else ""))
        for w in loaded.warnings:
            print(f"import warning: {w.message_ru if lang == 'ru' else w.message_en}")
        for n in (report.notices_ru if lang == "ru" else report.notices_en):
            print(f"NOTE: {n}")
        marker = {True: ("[было и раньше] ", "[pre-existing] "), False: ("[новое] ", "[new] ")}
        for f in report.findings:
            prefix = marker[f.preexisting][0 if lang == "ru" else 1] if plan is not None else ""
            print(prefix + f.text(lang))
        summary = f"{len(report.violations)} violations, {len(report.warnings)} warnings"
        if plan is not None:
            summary += f" ({len(report.new_violations)} new violations)"
        print(summary)
    return report.exit_code


def _load_plan(path: str):
    from planner.errors import Location
    from planner.plan import Plan

    try:
        return Plan.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the plan: {exc.strerror or exc}", f"не удаётся прочитать план: "
                         f"{exc.strerror or exc}", Location(file=path)) from None
    except ValueError as exc:
        errors = getattr(exc, "errors", lambda: [{}])()
        first = errors[0] if errors else {}
        msg = first.get("msg", str(exc))
        raise InputError(f"not a valid plan: {msg}", f"файл не является корректным планом: {msg}",
                         Location(file=path, element=".".join(str(x) for x in first.get("loc", ())))) from None


def cmd_rebuild(args: argparse.Namespace) -> int:
    """Exit 0 plan found, 2 bad input, 3 pre-checks failed, 4 no plan within the time limit."""
    from planner.importers import load_school
    from planner.norms import NormLibrary
    from planner.rebuild import PrecheckError, rebuild
    from planner.scenario import scenario_from_toml

    school = load_school(args.source).school
    scenario = scenario_from_toml(Path(args.scenario))
    library = NormLibrary.load(Path(args.constraints) if args.constraints else None,
                               Path(args.policy) if args.policy else None)
    published = _load_plan(args.published) if args.published else None
    if scenario.replan_from and published is None:
        raise InputError("the scenario re-plans (replan_from) but no --published plan was given",
                         "сценарий перепланирует (replan_from), но опубликованный план не указан (--published)")

    def progress(event: dict) -> None:
        if args.verbose and "status" in event:
            print(f"{event['date']} component {event['component']}/{event['components']}: {event['status']}, "
                  f"objective {event['objective']:.0f}, bound {event['bound']:.0f}, {event['elapsed']:.2f} s",
                  file=sys.stderr)

    try:
        plan = rebuild(school, scenario, library, published=published, time_limit=args.time_limit,
                       workers=args.workers, seed=args.seed, progress=progress, scenario_source=args.scenario)
    except PrecheckError as err:
        print("pre-checks failed:", file=sys.stderr)
        for line in err.problems_en:
            print(f"  - {line}", file=sys.stderr)
        return 3
    if plan.solver.status == "UNKNOWN":
        print("error: the time limit was reached with no plan", file=sys.stderr)
        return 4
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(plan.to_json(), encoding="utf-8")
    tmp.replace(out)
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
    from planner.importers import load_school
    from planner.importers.tabular import write_csv_folder, write_xlsx

    school = load_school(args.source).school
    out = Path(args.out)
    if out.suffix.lower() == ".json":
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".json.tmp")
        tmp.write_text(school.to_json(), encoding="utf-8")
        tmp.replace(out)
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
    from planner.importers import load_school

    loaded = load_school(args.source)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(loaded.school.to_json(), encoding="utf-8")
    tmp.replace(out)
    for w in loaded.warnings:
        print(f"warning: {w.message_en}", file=sys.stderr)
    s = loaded.school
    print(f"{s.name}: {len(s.classes)} classes, {len(s.teachers)} teachers, {len(s.subjects)} subjects, "
          f"{len(s.lessons)} lessons, {len(loaded.warnings)} warnings; wrote {out}")
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
    from planner.importers import load_school
    from planner.storage import Store

    school = load_school(args.source).school
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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="planner", description="Distance-lesson rebuild and SanPiN compliance planner")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("audit", help="check a timetable against the norm sets in force")
    a.add_argument("source", help="a CSV folder, an XLSX workbook or a school JSON file")
    a.add_argument("--plan", help="a plan JSON to audit instead of the regular timetable")
    a.add_argument("--policy", help="a school policy TOML file that tightens (or, flagged, loosens) norms")
    a.add_argument("--constraints", help="the folder of norm files (default: the repository's constraints/)")
    a.add_argument("--from", dest="date_from", type=_date, help="first date (default: start of the school year)")
    a.add_argument("--to", dest="date_to", type=_date, help="last date (default: a week after --from, else the end of the school year)")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a.add_argument("--lang", choices=("en", "ru"), default="en")
    a.set_defaults(func=cmd_audit)

    r = sub.add_parser("rebuild", help="plan the scenario's online days (exit 0 plan, 2 bad input, 3 pre-checks "
                                        "failed, 4 no plan in time)")
    r.add_argument("source", help="a CSV folder, an XLSX workbook or a school JSON file")
    r.add_argument("--scenario", required=True, help="the scenario TOML file")
    r.add_argument("--out", required=True, help="where to write the plan JSON")
    r.add_argument("--published", help="the published plan to re-plan against (freezes dates before replan_from)")
    r.add_argument("--policy", help="a school policy TOML file (norm values)")
    r.add_argument("--constraints", help="the folder of norm files (default: the repository's constraints/)")
    r.add_argument("--time-limit", type=float, default=10.0, help="seconds for the whole solve (default 10)")
    r.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--verbose", action="store_true", help="print each component's solve")
    r.set_defaults(func=cmd_rebuild)

    c = sub.add_parser("convert", help="write a school as JSON (.json), a workbook (.xlsx) or a CSV folder")
    c.add_argument("source")
    c.add_argument("--out", required=True)
    c.set_defaults(func=cmd_convert)

    t = sub.add_parser("template", help="write a blank template: FILE.xlsx (with a column reference) or a CSV folder")
    t.add_argument("--out", required=True)
    t.set_defaults(func=cmd_template)

    im = sub.add_parser("import", help="import a timetable (format detected from the content) into a school JSON")
    im.add_argument("source")
    im.add_argument("--out", required=True)
    im.set_defaults(func=cmd_import)

    s = sub.add_parser("schema", help="print the JSON schema of the school file (or of the plan file)")
    s.add_argument("kind", nargs="?", choices=("school", "plan"), default="school")
    s.add_argument("--out")
    s.set_defaults(func=cmd_schema)

    st = sub.add_parser("store", help="save a school into the data directory's database")
    st.add_argument("source")
    st.add_argument("--data-dir", help="data directory (default: $PLANNER_DATA_DIR or ./data)")
    st.add_argument("--replace", action="store_true", help="replace the stored school (else a stored one is kept)")
    st.add_argument("--expected-version", type=int, help="refuse the save unless the stored version is this")
    st.set_defaults(func=cmd_store)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except StaleSaveError as err:
        print(f"error: {err.message_en}", file=sys.stderr)
        return 2
    except InputError as err:
        print(f"error: {err.text('en')}", file=sys.stderr)
        return 2
    except PlannerError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
