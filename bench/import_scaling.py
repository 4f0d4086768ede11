"""Import time against school size: synthetic schools (bench/synthetic.py) of about 10,000 and 40,000 lessons
written as CSV folders and read back with `load_school` (parse, validate, integrity checks). Prints one JSON
object: lessons, seconds and the time ratio against the lesson ratio (near-linear: time ratio ≈ lesson ratio).

    .venv/bin/python bench/import_scaling.py [--classes 291 1165]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from planner.importers import load_school  # noqa: E402
from planner.importers.tabular import write_csv_folder  # noqa: E402
from synthetic import synthetic_school  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, nargs="+", default=[291, 1165], help="class counts (≈34 lessons each)")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.classes:
            school = synthetic_school(n)
            folder = Path(tmp) / f"s{n}"
            write_csv_folder(school, folder)
            t0 = time.perf_counter()
            loaded = load_school(folder).school
            rows.append({"classes": n, "lessons": len(loaded.lessons), "seconds": round(time.perf_counter() - t0, 3)})
    first, last = rows[0], rows[-1]
    print(json.dumps({"bench": "import_scaling", "runs": rows,
                      "lesson_ratio": round(last["lessons"] / first["lessons"], 2),
                      "time_ratio": round(last["seconds"] / first["seconds"], 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
