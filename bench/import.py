"""Import time of the largest timetables at hand: the shared aSc export, the largest fet-data file, the sample
school (CSV and XLSX) and a synthetic 1,000+-lesson school. Prints one JSON line per source and a summary with
the ratio to the target (≤ 2 s for a 1,000-lesson school).

With --chain (issue 15) it also runs the whole chain on real files as they are — import → audit (one week) →
rebuild (one week, every class ready) → publish (feed files) — timing each step in-process and through the CLI
(`python -m planner.cli …`, one process per step, as a user runs it). Real files: the aSc export, the IB school
from fet-data (solved as shipped) and a fet-data school solved by fet-cl with fixed seeds.

    .venv/bin/python bench/import.py [--repeat 5] [--chain] [--chain-only]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.importers import ImportOptions, load_school  # noqa: E402
from planner.importers.tabular import write_csv_folder, write_xlsx  # noqa: E402

ASC = ROOT.parent / "shared" / "datasets" / "asc" / "ukrainian-school-2019-01.xml"
FET_LARGEST = Path("/usr/share/doc/fet-data/examples/FET-5-official/United-Arab-Emirates/IBDP-School-2016.fet")
TARGET_S = 2.0


def measure(label: str, path: Path, options: ImportOptions, repeat: int) -> dict:
    runs = []
    loaded = None
    for _ in range(repeat):
        t = time.perf_counter()
        loaded = load_school(path, options)
        runs.append(time.perf_counter() - t)
    s = loaded.school
    return {"source": label, "path": str(path), "bytes": path.stat().st_size if path.is_file() else None,
            "lessons": len(s.lessons), "classes": len(s.classes), "teachers": len(s.teachers),
            "warnings": len(loaded.warnings), "median_s": round(statistics.median(runs), 4),
            "runs_s": [round(r, 4) for r in runs]}


WEEK = (date(2026, 12, 7), date(2026, 12, 11))
BELLS7 = ",".join(f"{8 + i:02d}:00-{8 + i:02d}:45" for i in range(7))


def _chain_sources(tmp: Path) -> list[tuple[str, Path, list[str]]]:
    """(label, file, CLI import flags) for the real files at hand."""
    import shutil
    import subprocess

    out: list[tuple[str, Path, list[str]]] = []
    if ASC.exists():
        out.append(("aSc export (shared)", ASC, []))
    if FET_LARGEST.exists():
        out.append(("FET IBDP-School-2016 (fet-data, as shipped)", FET_LARGEST, ["--bells", BELLS7]))
    src = Path("/usr/share/doc/fet-data/examples/FET-5-official/Sudan/Khartoum-2010-02-13.fet")
    exe = shutil.which("fet-cl")
    if src.exists() and exe:
        t = time.perf_counter()
        subprocess.run([exe, f"--inputfile={src}", f"--outputdir={tmp / 'fetcl'}", "--timelimitseconds=60",
                        "--htmllevel=0", *[f"--randomseeds{k}={1 + i}" for i, k in enumerate((10, 11, 12, 20, 21, 22))]],
                       capture_output=True, timeout=120)
        solved = tmp / "fetcl" / "timetables" / src.stem / f"{src.stem}_data_and_timetable.fet"
        if solved.exists():
            out.append((f"FET Khartoum (fet-data, fet-cl {time.perf_counter() - t:.1f} s)", solved,
                        ["--bells", "08:30-09:15,09:25-10:10,10:30-11:15"]))
    return out


def _scenario_file(school, folder: Path) -> Path:
    lines = ['name = "bench"', 'reason = "weather"', f"start = {WEEK[0]}", f"end = {WEEK[1]}", "[online]", "all = true"]
    for c in school.classes:
        if c.students > 0:
            lines += ["[[overrides]]", f'class = "{c.id}"', f"devices = {{ laptop = {c.students} }}", "ready = true",
                      'by = "bench"']
    path = folder / "scenario.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def chain(label: str, path: Path, flags: list[str], tmp: Path) -> dict:
    """The chain in-process (library calls) and through the CLI (one process per step); seconds per step."""
    import subprocess

    from planner.audit import audit_plan, audit_school
    from planner.importers import hints
    from planner.norms import NormLibrary
    from planner.plan import Plan
    from planner.publish.feeds.workflow import publish_to_dir
    from planner.rebuild import rebuild
    from planner.scenario import scenario_from_toml
    from planner.storage import Store

    work = tmp / label.split(" (")[0].replace(" ", "_")
    work.mkdir(parents=True, exist_ok=True)
    year = ["--year-start", "2026-09-01", "--year-end", "2027-05-31"]
    bells = hints.parse_bells(flags[1]) if flags[:1] == ["--bells"] else None
    row: dict = {"chain": label, "path": str(path)}
    steps: dict[str, float] = {}
    t = time.perf_counter()
    school = load_school(path, ImportOptions(year_start=date(2026, 9, 1), year_end=date(2027, 5, 31),
                                             bells=bells)).school
    steps["import"] = time.perf_counter() - t
    library = NormLibrary.load()
    t = time.perf_counter()
    report = audit_school(school, library, *WEEK, accept_partial=school.incomplete is not None)
    steps["audit"] = time.perf_counter() - t
    scen_path = _scenario_file(school, work)
    scenario = scenario_from_toml(scen_path)
    t = time.perf_counter()
    plan = rebuild(school, scenario, library, time_limit=10, accept_partial=school.incomplete is not None)
    steps["rebuild"] = time.perf_counter() - t
    t = time.perf_counter()
    audit_plan(school, plan, library)
    steps["audit_plan"] = time.perf_counter() - t
    t = time.perf_counter()
    with Store.open(str(work / "data")) as store:
        published = publish_to_dir(store, school, plan, work / "feeds", datetime.now(timezone.utc),
                                   allow_missing_links=True)
    steps["publish"] = time.perf_counter() - t
    row.update({"lessons": len(school.lessons), "classes": len(school.classes),
                "audit_findings": len(report.findings), "occurrences": len(plan.occurrences),
                "live": sum(o.mode == "live" for o in plan.occurrences), "solver": plan.solver.status,
                "all_paper_classes": len(plan.all_paper), "feeds": published.feeds,
                "in_process_s": {k: round(v, 3) for k, v in steps.items()}})
    cli: dict[str, float] = {}
    py = [sys.executable, "-m", "planner.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    school_json, plan_json = work / "school.json", work / "plan.json"
    for step, argv in [
        ("import", ["import", str(path), "--out", str(school_json), *year, *flags]),
        ("audit", ["audit", str(school_json), "--from", str(WEEK[0]), "--to", str(WEEK[1])]),
        ("rebuild", ["rebuild", str(school_json), "--scenario", str(scen_path), "--out", str(plan_json),
                     "--time-limit", "10"]),
        ("audit_plan", ["audit", str(school_json), "--plan", str(plan_json)]),
        ("publish", ["publish", str(school_json), str(plan_json), "--out", str(work / "cli-feeds"), "--data-dir",
                     str(work / "cli-data"), "--allow-missing-links", "--base-url", "https://feeds.example.org"]),
    ]:
        t = time.perf_counter()
        run = subprocess.run(py + argv, capture_output=True, text=True, env=env, cwd=ROOT)
        cli[step] = round(time.perf_counter() - t, 3)
        if run.returncode not in (0, 1):
            row.setdefault("cli_errors", {})[step] = (run.stderr or run.stdout)[-300:]
    row["cli_s"] = cli
    row["check"] = Plan.model_validate_json(plan_json.read_text(encoding="utf-8")).solver.status \
        if plan_json.exists() else "no plan"
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--chain", action="store_true", help="also run import → audit → rebuild → publish on real files")
    ap.add_argument("--chain-only", action="store_true", help="only the chain")
    args = ap.parse_args()
    if args.chain or args.chain_only:
        with tempfile.TemporaryDirectory() as tmp:
            for label, path, flags in _chain_sources(Path(tmp)):
                print(json.dumps(chain(label, path, flags, Path(tmp)), ensure_ascii=False), flush=True)
        if args.chain_only:
            return 0
    opts = ImportOptions(year_start=date(2026, 9, 1), year_end=date(2027, 5, 31))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sources = [("sample school-17 (CSV)", ROOT / "sample_data" / "school-17"),
                   ("sample school-17 (XLSX)", ROOT / "sample_data" / "school-17" / "school.xlsx")]
        if ASC.exists():
            sources.append(("aSc export (shared)", ASC))
        if FET_LARGEST.exists():
            sources.append(("FET IBDP-School-2016 (fet-data)", FET_LARGEST))
        sys.path.insert(0, str(ROOT / "bench"))
        from synthetic import synthetic_school

        big = synthetic_school(30)
        write_csv_folder(big, Path(tmp) / "synthetic")
        write_xlsx(big, Path(tmp) / "synthetic.xlsx")
        sources += [("synthetic 30 classes (CSV)", Path(tmp) / "synthetic"),
                    ("synthetic 30 classes (XLSX)", Path(tmp) / "synthetic.xlsx")]
        for label, path in sources:
            # the FET example names its hours "Period 1…": the bell schedule must be told (never invented)
            from planner.importers.hints import parse_bells

            row = measure(label, path, ImportOptions(year_start=opts.year_start, year_end=opts.year_end,
                                                     bells=parse_bells(BELLS7)) if "FET" in label else opts,
                          args.repeat)
            row["machine"] = {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                              "python": platform.python_version()}
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False))
    print()
    for r in rows:
        per_1000 = r["median_s"] / max(1, r["lessons"]) * 1000
        print(f"{r['source']:34s} {r['lessons']:5d} lessons  {r['median_s']:.3f} s  "
              f"({per_1000:.3f} s per 1,000 lessons; ratio to the {TARGET_S:.0f}-s target {per_1000 / TARGET_S:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
