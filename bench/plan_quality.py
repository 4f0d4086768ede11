"""Plan quality on every sample scenario (issue 13, proof): one JSON object per scenario, computed from the plan
JSON and the school data only (plus the norm tables for the difficulty scale), never from the solver's internals.

    .venv/bin/python bench/plan_quality.py [--only NAME] [--time-limit 20]

Fields (target 0 for each count):
* inversions_without_hard_rule_reason — a hard lesson (difficulty ≥ the "hard" threshold) asynchronous while a
  light lesson of the same pupils is live that day, and the hard lesson has no reason naming a rule (none, or
  only «по приоритету»);
* simultaneous_calls_per_chat — pairs of overlapping live calls using the same chat link (one combined lesson's
  call, shared by its classes, counts once);
* reasons_citing_a_norm_that_does_not_bind — table 6.8 cited though one more call stays within the legal daily
  limit, or the school's reserve cited though the reserve is not reached;
* reasons_counts_differ_from_plan — a reason's stated call count or minutes differ from the plan's;
* schema_errors — errors of the plan JSON against schemas/plan.schema.json;
* moved_calls_without_reason, async_windows_before_day_start — issue 13, item 3;
* live_lacking_alternative — live lessons of a class whose recorded devices count pupils with only a phone, with
  no device or with a written refusal, and no paired alternative (issue 14, 004 §3.7);
* calls_without_gymnastics — live calls with no eye gymnastics (issue 14, СП п. 2.10.2, 004 §3.5);
* absent_covered_live, absent_named_teacher, absent_reported_amber, absent_unnamed — lessons of teachers absent
  that date (sick; or working remotely, for a lesson in the building): given live (a call or an in-school
  lesson) by a present teacher; a task or supervised self-study with a named teacher; nobody named but the
  plan's amber notices name its class, date and time; nobody named and nothing said (or the absent teacher
  still named) — issue 14; the first three are counts to read, the last a target 0;
* rebuild_s, reasons_s, reasons_share — in-process wall time of the rebuild with its reasons, of the reasons step
  alone (explain_async, timed on its own), and their ratio, on this machine; with --repeat N the medians of N
  runs (the counts come from the first run's plan).

With --asc (the real aSc export of ../shared/datasets/asc, as tests/importers/test_asc.py loads it) a last row
rebuilds that school's week A all online, timed the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import jsonschema  # noqa: E402

from planner.importers import load_school  # noqa: E402
from planner.norms import NormLibrary  # noqa: E402
from planner.plan import Plan  # noqa: E402
from planner.rebuild import rebuild  # noqa: E402
from planner.rebuild.assemble import summarise  # noqa: E402
from planner.rebuild.paper import mark_all_paper  # noqa: E402
from planner.rebuild.reasons import explain_async  # noqa: E402
from planner.scenario import scenario_from_toml  # noqa: E402

SAMPLES = ROOT / "sample_data"
REPLAN_BASE = {"11-frost-replan-sick-day2.toml": "01-frost-whole-school.toml",
               "06-frost-replan-week-a.toml": "02-regional-order-week-a.toml"}
NOT_A_HARD_RULE = {"priority"}  # «по приоритету»: no rule named


def _in_cell(klass, o: dict, cell) -> bool:
    """The auditor's rule: a part naming none of the class's own groups is the whole class's; else the pupil cell
    (one group of each division; () = the whole class) attends it when it holds one of them."""
    own = klass.own_groups(o["groups"])
    return not own or not cell or any(g in cell for g in own)


def _shares(klass, a: dict, b: dict) -> bool:
    """Some pupils attend both parts: a pupil cell holds both (groups of different divisions always meet)."""
    return any(_in_cell(klass, a, cell) and _in_cell(klass, b, cell) for cell in klass.pupil_cells())


def _difficulty(norms, school, data: dict) -> str | None:
    """'hard' / 'light' / None from the norm tables (difficulty.scale, priority.hard_light_points)."""
    subject = next((s for s in school.subjects if s.id == data["subject_id"]), None)
    klass = school.class_by_id(data["class_id"])
    scale, cut = norms.get("difficulty.scale"), norms.get("priority.hard_light_points")
    if subject is None or subject.norm_key is None or scale is None or cut is None:
        return None
    row, limits = scale.row(subject=subject.norm_key, grade=klass.norm_grade), cut.row()
    if row is None or limits is None:
        return None
    points = int(row.value())
    return "hard" if points >= int(limits.value("hard_min")) else "light" \
        if points <= int(limits.value("light_max")) else None


def _minutes(iso: str) -> int:
    return int(iso[11:13]) * 60 + int(iso[14:16])


def quality(plan_json: str, school, library: NormLibrary, validator) -> dict:
    data = json.loads(plan_json)
    out = {"schema_errors": sum(1 for _ in validator.iter_errors(data))}
    plan = Plan.from_json(plan_json)
    occs = data["occurrences"]
    by_day_class: dict[tuple, list[dict]] = defaultdict(list)
    for o in occs:
        by_day_class[(o["date"], o["class_id"])].append(o)
    inv = 0
    for (day, cid), items in by_day_class.items():
        norms = library.in_force(plan.scenario.start.__class__.fromisoformat(day))
        klass = school.class_by_id(cid)
        for o in items:
            if o["mode"] != "async" or _difficulty(norms, school, o) != "hard":
                continue
            if any(c["mode"] == "live" and _shares(klass, c, o) and _difficulty(norms, school, c) == "light" for c in items):
                if not {r["code"] for r in o["reasons"]} - NOT_A_HARD_RULE:
                    inv += 1
    out["inversions_without_hard_rule_reason"] = inv
    calls: dict[str, list[tuple]] = defaultdict(list)
    for o in occs:
        if o["mode"] == "live" and o.get("link"):
            calls[o["link"]].append((_minutes(o["start"]), _minutes(o["end"]), o["date"], o["lesson_id"], o["part"]))
    pairs = 0
    for items in calls.values():
        uniq = sorted(set(items))
        for i, a in enumerate(uniq):
            for b in uniq[i + 1:]:
                if a[2] == b[2] and a[0] < b[1] and b[0] < a[1] and (a[3], a[4]) != (b[3], b[4]):
                    pairs += 1
    out["simultaneous_calls_per_chat"] = pairs
    not_binding = wrong_counts = 0
    for o in occs:
        for r in o["reasons"]:
            p = r["params"]
            if "calls" not in p or "screen_minutes" not in p:
                continue
            groups = [g for g in str(p.get("groups", "")).split(",") if g]
            klass = school.class_by_id(o["class_id"])
            cell = [x for x in by_day_class[(o["date"], o["class_id"])] if x["mode"] in ("live", "async")
                    and _in_cell(klass, x, groups)]
            live = [x for x in cell if x["mode"] == "live"]
            if int(p["calls"]) != len(live) or int(p["screen_minutes"]) != sum(x["screen_minutes"] for x in live):
                wrong_counts += 1
            with_it = sum(x["screen_minutes"] for x in cell) - o["screen_minutes"] + int(p["call_minutes"])
            budget, reserve = int(p["budget"]), int(p["reserve"])
            if r.get("norm_key") == "eso.table_6_8" and with_it <= budget or \
                    r["code"] == "school_reserve" and with_it <= budget - reserve:
                not_binding += 1
    out["reasons_citing_a_norm_that_does_not_bind"] = not_binding
    out["reasons_counts_differ_from_plan"] = wrong_counts
    out["moved_calls_without_reason"] = sum(1 for o in occs if o["mode"] == "live" and o.get("regular_start")
                                            and o["start"] != o["regular_start"] and not o["reasons"])
    early = 0
    for o in occs:
        if o["mode"] == "async" and o.get("async_work"):
            pol = data["policies"][o["date"]][o["class_id"]]
            early += _minutes(o["async_work"]["window_start"]) < pol["earliest_start"]["value"]
    out["async_windows_before_day_start"] = early
    out.update(_alternatives_and_breaks(data))
    out.update(_absent_teachers(plan))
    return out


def _alternatives_and_breaks(data: dict) -> dict:
    lacking = no_eyes = 0
    for o in data["occurrences"]:
        if o["mode"] != "live":
            continue
        devices = data["policies"].get(o["date"], {}).get(o["class_id"], {}).get("devices") or {}
        if sum(int(devices.get(k) or 0) for k in ("phone", "none", "refusals")) > 0 and not o.get("alternative"):
            lacking += 1
        no_eyes += not any(g.get("kind", "eyes") == "eyes" for g in o["gymnastics"])
    return {"live_lacking_alternative": lacking, "calls_without_gymnastics": no_eyes}


def _absent_teachers(plan: Plan) -> dict:
    live = named = amber = unnamed = 0
    noticed = {(n.class_id, n.date, n.lesson_id) for n in plan.notices}
    for o in plan.occurrences:
        states = {t: plan.scenario.teacher_state(t, o.date).value for t in o.regular_teachers}
        absent = {t for t, s in states.items() if s == "sick" or
                  (s == "remote_only" and o.mode.value in ("in_school", "replaced"))}
        if not absent:
            continue
        teachers = set(o.teachers)
        if teachers & absent:
            unnamed += 1
        elif not teachers:
            if (o.class_id, o.date, o.lesson_id) in noticed:
                amber += 1
            else:
                unnamed += 1
        elif o.mode.value == "live" or (o.mode.value == "replaced" and not (o.cover and o.cover.role == "supervisor")
                                        and any(r.code in ("substitute", "co_teacher") for r in o.reasons)):
            live += 1
        else:
            named += 1
    return {"absent_covered_live": live, "absent_named_teacher": named, "absent_reported_amber": amber,
            "absent_unnamed": unnamed}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="run only scenarios whose file name contains this")
    ap.add_argument("--time-limit", type=float, default=20)
    ap.add_argument("--repeat", type=int, default=1, help="time each rebuild this many times; medians reported")
    ap.add_argument("--asc", action="store_true", help="also rebuild the real aSc export (../shared/datasets/asc)")
    ap.add_argument("--asc-only", action="store_true", help="only the real aSc export")
    args = ap.parse_args(argv)
    library = NormLibrary.load()
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    plans: dict[Path, Plan] = {}
    schools: dict[str, object] = {}
    for path in [] if args.asc_only else sorted(SAMPLES.glob("*/scenarios/*.toml")):
        inst = path.parent.parent.name
        school = schools.setdefault(inst, load_school(SAMPLES / inst).school)
        base = path.parent / REPLAN_BASE[path.name] if path.name in REPLAN_BASE else None
        if args.only and args.only not in path.name and (base is None or args.only not in base.name):
            continue
        scenario = scenario_from_toml(path)
        published = plans.get(base) if base else None
        runs = []
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            bare = rebuild(school, scenario, library, published=published, time_limit=args.time_limit, workers=1,
                           explain=False)
            t1 = time.perf_counter()
            explained = explain_async(school, bare, library)  # the same step the rebuild runs, timed alone
            t2 = time.perf_counter()
            runs.append((explained, t2 - t0, t2 - t1))
        explained = runs[0][0]
        plan = mark_all_paper(school, summarise(school, explained, published))
        plans[path] = plan
        row = {"scenario": f"{inst}/{path.stem}", **quality(plan.to_json(), school, library, validator),
               **_timing(runs)}
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.asc or args.asc_only:
        print(json.dumps(_asc_row(library, validator, args.time_limit, args.repeat), ensure_ascii=False), flush=True)
    return 0


ASC = ROOT.parent / "shared" / "datasets" / "asc" / "ukrainian-school-2019-01.xml"


def _asc_row(library: NormLibrary, validator, time_limit: float, repeat: int = 1) -> dict:
    """The real aSc export's week A (2026-12-07..11), every class online, as tests/importers/test_asc.py
    rebuilds it — but every class ready with a PC per pupil (an override per class): an export carries no devices
    or readiness, and without them every part is paper and nothing is solved or explained."""
    from datetime import date

    from planner.importers.asc import load_asc
    from planner.scenario import scenario_from_dict

    school = load_asc(ASC, year_start=date(2026, 9, 1), year_end=date(2027, 5, 31)).school
    scenario = scenario_from_dict({"name": "asc week A", "reason": "other", "start": "2026-12-07",
                                   "end": "2026-12-11", "online": {"all": True},
                                   "overrides": [{"class": c.id, "ready": True, "devices": {"pc": max(1, c.students)},
                                                  "by": "bench"} for c in school.classes]})
    runs = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        bare = rebuild(school, scenario, library, time_limit=time_limit, workers=1, explain=False)
        t1 = time.perf_counter()
        explained = explain_async(school, bare, library)
        t2 = time.perf_counter()
        runs.append((explained, t2 - t0, t2 - t1))
    plan = mark_all_paper(school, summarise(school, runs[0][0], None))
    return {"scenario": "asc/ukrainian-school-2019-01 week A", **quality(plan.to_json(), school, library, validator),
            **_timing(runs)}


def _timing(runs: list[tuple]) -> dict:
    """Medians over the runs: the rebuild with its reasons, the reasons step alone, and the share (in-process)."""
    whole = sorted(r[1] for r in runs)
    reasons = sorted(r[2] for r in runs)
    shares = sorted(r[2] / r[1] if r[1] else 0.0 for r in runs)
    mid = len(runs) // 2
    return {"rebuild_s": round(whole[mid], 2), "reasons_s": round(reasons[mid], 2), "timing": "in-process",
            "runs": len(runs), "reasons_share": round(shares[mid], 2)}


if __name__ == "__main__":
    raise SystemExit(main())
