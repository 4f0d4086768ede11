"""Import time of the largest timetables at hand: the shared aSc export, the largest fet-data file, the sample
school (CSV and XLSX) and a synthetic 1,000+-lesson school. Prints one JSON line per source and a summary with
the ratio to the target (≤ 2 s for a 1,000-lesson school).

    .venv/bin/python bench/import.py [--repeat 5]
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
from datetime import date
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
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
            # the FET example names its hours "Period 1…": the bell length must be told
            row = measure(label, path, ImportOptions(year_start=opts.year_start, year_end=opts.year_end,
                                                     bell_minutes=45) if "FET" in label else opts, args.repeat)
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
