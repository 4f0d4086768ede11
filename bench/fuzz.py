"""Fuzz every importer with mutated copies of real files: only the importer's own error (InputError) may escape.

    .venv/bin/python bench/fuzz.py [--cases 10000] [--seed 1] [--only asc,fet,fet-real,csv,xlsx,json]

Sources: the shared aSc export, a small FET file written by tests/importers/fet_small.py, a real school's .fet from
fet-data (the Russian medical college: A/B weeks, college groups, an unsolved timetable; `fet-real`), the sample school's CSV tables, workbook and JSON. Mutations: byte flips,
insertions and deletions, truncation, duplicating or removing a line / element, swapping values. Prints one JSON
line per importer (cases, accepted, refused with InputError, escaped) and exits 1 if anything escaped.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import traceback
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "importers"))

from planner.errors import InputError  # noqa: E402
from planner.importers import ImportOptions, load_school  # noqa: E402
from planner.importers.hints import Level  # noqa: E402
from planner.importers.tabular import write_csv_folder  # noqa: E402
from mutations import mutate  # noqa: E402  (tests/importers/mutations.py)

ASC = ROOT.parent / "shared" / "datasets" / "asc" / "ukrainian-school-2019-01.xml"
FET_REAL = Path("/usr/share/doc/fet-data/examples/FET-5-official/Russia/Russian-Medical-College/timetable-ru.fet")
# what a school adds to its file (issue 15): the importers' mapping paths are fuzzed too
OPTIONS = ImportOptions(year_start=date(2026, 9, 1), year_end=date(2027, 5, 31), bell_minutes=45,
                        grades={"ЛД101": Level(course=1), "5-А": Level(grade=5)}, pupils={"*": 25},
                        subject_keys={"Основи здоров’я": "world_around"})


def run(name: str, cases: int, rng: random.Random, make_case) -> dict:
    accepted = refused = 0
    escaped: list[str] = []
    started = time.perf_counter()
    for _ in range(cases):
        with tempfile.TemporaryDirectory() as tmp:
            path = make_case(Path(tmp), rng)
            try:
                load_school(path, OPTIONS)
                accepted += 1
            except InputError:
                refused += 1
            except Exception:  # anything else is a bug in the importer
                escaped.append(traceback.format_exc(limit=3))
    return {"importer": name, "cases": cases, "accepted": accepted, "refused_with_input_error": refused,
            "escaped": len(escaped), "first_escape": escaped[0] if escaped else None,
            "seconds": round(time.perf_counter() - started, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="asc,fet,fet-real,csv,xlsx,json")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sample = load_school(ROOT / "sample_data" / "school-17").school
    with tempfile.TemporaryDirectory() as keep:
        keep = Path(keep)
        from fet_small import write_small_fet

        fet = write_small_fet(keep / "small.fet")
        csv_dir = keep / "csv"
        write_csv_folder(sample, csv_dir)
        sources = {
            "asc": ASC.read_bytes() if ASC.exists() else None,
            "fet": fet.read_bytes(),
            "fet-real": FET_REAL.read_bytes() if FET_REAL.exists() else None,
            "xlsx": (ROOT / "sample_data" / "school-17" / "school.xlsx").read_bytes(),
            "json": sample.to_json().encode("utf-8"),
        }

        def file_case(kind: str, suffix: str):
            def make(tmp: Path, r: random.Random) -> Path:
                p = tmp / f"case{suffix}"
                p.write_bytes(mutate(sources[kind], r))
                return p
            return make

        def csv_case(tmp: Path, r: random.Random) -> Path:
            folder = tmp / "csv"
            shutil.copytree(csv_dir, folder)
            victim = r.choice(sorted(folder.glob("*.csv")))
            victim.write_bytes(mutate(victim.read_bytes(), r))
            return folder

        makers = {"asc": file_case("asc", ".xml"), "fet": file_case("fet", ".fet"),
                  "fet-real": file_case("fet-real", ".fet"), "csv": csv_case,
                  "xlsx": file_case("xlsx", ".xlsx"), "json": file_case("json", ".json")}
        failed = False
        for name in args.only.split(","):
            if name in ("asc", "fet-real") and sources[name] is None:
                print(json.dumps({"importer": name, "error": f"missing {ASC if name == 'asc' else FET_REAL}"}))
                failed = True
                continue
            row = run(name, args.cases, rng, makers[name])
            print(json.dumps(row, ensure_ascii=False), flush=True)
            failed = failed or row["escaped"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
