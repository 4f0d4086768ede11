"""Benchmark of the calendar feeds: every feed of one scenario week of the sample school.

    .venv/bin/python bench/feeds.py [--scenario FILE] [--families 10] [--repeat 3]

Publishes the scenario's plan into a temporary database (all teacher, class and administration tokens plus
--families family tokens), then renders every feed twice: shared (each VEVENT serialised once, bytes spliced into
every feed: what publish and the server do) and naive (one icalendar object per feed). Prints one JSON object;
target: all feeds ≤ 0.5 s shared.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.importers import load_school  # noqa: E402
from planner.norms import NormLibrary  # noqa: E402
from planner.publish.feeds import ics  # noqa: E402
from planner.publish.feeds.render import FeedRenderer  # noqa: E402
from planner.publish.feeds.select import FeedSpec, feed_items, feed_title  # noqa: E402
from planner.publish.feeds.issuing import ensure_default_tokens  # noqa: E402
from planner.publish.feeds.state import load_state  # noqa: E402
from planner.publish.feeds.publication import publish_plan  # noqa: E402
from planner.publish.feeds.tokens import TokenStore  # noqa: E402
from planner.rebuild import rebuild  # noqa: E402
from planner.scenario import scenario_from_toml  # noqa: E402
from planner.storage import Store  # noqa: E402

SAMPLE = ROOT / "sample_data" / "school-17"
NOW = datetime(2026, 12, 4, 10, tzinfo=timezone.utc)
TARGET_S = 0.5


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default=str(SAMPLE / "scenarios" / "01-frost-whole-school.toml"))
    ap.add_argument("--families", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    school = load_school(SAMPLE).school
    t0 = time.perf_counter()
    plan = rebuild(school, scenario_from_toml(Path(args.scenario)), NormLibrary.load())
    rebuild_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(tmp)
        t0 = time.perf_counter()
        publish_plan(store, school, plan, NOW)
        publish_s = time.perf_counter() - t0
        ensure_default_tokens(store, school, NOW)
        with_groups = [c for c in school.classes if c.groups]
        for i in range(args.families):
            klass = with_groups[i % len(with_groups)]
            TokenStore(store).create(school.id, "family", f"f{i}", now=NOW, class_id=klass.id,
                                     groups=[klass.groups[i % len(klass.groups)].id])
        t0 = time.perf_counter()
        state = load_state(store, school.id)
        load_s = time.perf_counter() - t0
        specs = [FeedSpec.from_token(t) for t in TokenStore(store).list(school.id)]
        store.close()
    today = NOW.date()
    shared, warm, naive, sizes = [], [], [], 0
    for _ in range(args.repeat):
        renderer = FeedRenderer()
        t0 = time.perf_counter()
        bodies = [renderer.render(state, s, today).body for s in specs]
        shared.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for s in specs:
            renderer.render(state, s, today)
        warm.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for s in specs:
            name, desc = feed_title(s, state.school)
            ics.render_naive(ics.calendar_shell(name, desc, s.feed_uid, school.timezone, today),
                             feed_items(state, s, today))
        naive.append(time.perf_counter() - t0)
        sizes = sum(map(len, bodies))
    result = {
        "bench": "feeds", "scenario": Path(args.scenario).name, "feeds": len(specs), "events": len(state.items),
        "feed_bytes_total": sizes, "rebuild_s": round(rebuild_s, 3), "publish_db_s": round(publish_s, 3),
        "load_state_s": round(load_s, 3), "all_feeds_shared_s": round(min(shared), 3),
        "all_feeds_shared_median_s": round(statistics.median(shared), 3),
        "all_feeds_shared_warm_s": round(min(warm), 3), "all_feeds_naive_s": round(min(naive), 3),
        "naive_over_shared": round(min(naive) / min(shared), 2), "target_s": TARGET_S,
        "meets_target": min(shared) <= TARGET_S, "python": platform.python_version(), "machine": platform.machine(),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
