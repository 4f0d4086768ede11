"""Page timings in real headless Chromium (Debian chromium + chromedriver, Selenium) on the sample school:

- load: from driver.get() to the first full render of the «Школа» page (the school's name and the classes
  table are on the page), on a warm server (second load; the first load also imports and stores the samples);
- rebuild: from pressing «Пересобрать» on «План» (whole-school frost scenario) to the grid's mode counts.

`--clicks`: the server-side time of each rerun a click causes (Streamlit's AppTest runs the script as the server
does, without a browser): opening each page, choosing a class, the publish preview and the publication
(target ≤ 2 s each; the rebuild and a publish of more than 500 events get their own figures). JSON on stdout.

`--fresh-clone`: `git clone` this checkout into a temporary folder and time `bash scripts/run-page.sh` there
until it prints «Откройте http://localhost:…» (with `--reuse-venv` the clone borrows this checkout's .venv, so
the figure is the start without the package installation, which needs the network). JSON on stdout.

    .venv/bin/python bench/page.py [--repeat 3] [--clicks] [--fresh-clone [--reuse-venv]]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from e2e.browser import chromium, choose, click_button, missing, running_app, wait_text  # noqa: E402


ROOT = Path(__file__).resolve().parents[1]


def clicks(repeat: int) -> dict:
    """Server-side seconds per click (median of `repeat`), measured with AppTest on a fresh data directory."""
    import os

    from streamlit.testing.v1 import AppTest

    from page.pagehelpers import APP, rebuild, save_sample_scenario

    out: dict[str, list[float]] = {}

    def timed(name: str, step) -> None:
        t0 = time.perf_counter()
        step()
        out.setdefault(name, []).append(time.perf_counter() - t0)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PLANNER_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ.pop("PLANNER_PAGE_PASSWORD", None)
        at = AppTest.from_file(APP, default_timeout=120)
        timed("first start (stores the samples)", at.run)
        save_sample_scenario(at)
        t0 = time.perf_counter()
        rebuild(at, timeout=300)
        rebuild_s = time.perf_counter() - t0
        for _ in range(repeat):
            for page in ("school", "settings", "transition", "plan", "sanpin", "publish", "scenarios"):
                timed(f"open {page}", lambda p=page: at.switch_page(f"app_pages/{p}.py").run())
            at.switch_page("app_pages/plan.py").run()
            timed("plan: choose class 5А", lambda: at.selectbox(key="plan_class").set_value("5А").run())
            at.switch_page("app_pages/publish.py").run()
            timed("publish: preview (Опубликовать…)", lambda: at.button(key="pub_publish").click().run())
            timed("publish: confirm", lambda: at.button(key="pub_confirm_yes").click().run())
        from planner.storage import Store

        events = len(Store.open().list("feed_item"))
    figures = {k: round(statistics.median(v), 3) for k, v in out.items()}
    # the first start, and a publication of more than 500 events (preview and confirm), have their own figures
    exempt = ("first start",) + (("publish:",) if events > 500 else ())
    slow = [k for k, v in figures.items() if v > 2 and not k.startswith(exempt)]
    return {"seconds": figures, "rebuild_to_plan_s": round(rebuild_s, 2), "published_events": events,
            "over_2s_not_exempt": slow, "repeat": repeat}


def fresh_clone(reuse_venv: bool, venv: Path | None = None) -> dict:
    import os
    import subprocess

    from e2e.browser import free_port

    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "--quiet", "--local", str(ROOT), str(clone)], check=True)
        venv = venv or ROOT / ".venv"
        if reuse_venv and venv.exists():
            (clone / ".venv").symlink_to(venv.resolve())
        port = free_port()
        env = {**os.environ, "PLANNER_PORT": str(port), "PLANNER_DATA_DIR": str(Path(tmp) / "data")}
        t0 = time.monotonic()
        proc = subprocess.Popen(["bash", "scripts/run-page.sh"], cwd=clone, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        lines, ready = [], None
        try:
            for line in proc.stdout:
                lines.append((round(time.monotonic() - t0, 2), line.rstrip()))
                if "Откройте" in line:
                    ready = time.monotonic() - t0
                    break
                if time.monotonic() - t0 > 900:
                    break
        finally:
            proc.terminate()
            proc.wait(20)
        return {"ready_s": round(ready, 2) if ready else None, "reuse_venv": reuse_venv,
                "progress_lines": [f"{t:7.2f} s  {text}" for t, text in lines if text.startswith(("[", "Готово"))]}


def main() -> int:
    import json

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--clicks", action="store_true")
    ap.add_argument("--fresh-clone", action="store_true")
    ap.add_argument("--reuse-venv", action="store_true")
    ap.add_argument("--venv", type=Path, default=None, help="the virtual environment --reuse-venv borrows")
    args = ap.parse_args()
    if args.clicks or args.fresh_clone:
        result = {}
        if args.clicks:
            result["clicks"] = clicks(args.repeat)
        if args.fresh_clone:
            result["fresh_clone"] = fresh_clone(args.reuse_venv, args.venv)
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    if problem := missing():
        print(problem, file=sys.stderr)
        return 2
    loads, rebuilds = [], []
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp) / "data") as url, chromium() as driver:
        t0 = time.monotonic()
        driver.get(url + "/")
        wait_text(driver, "Средняя общеобразовательная школа № 17", 60)
        first = time.monotonic() - t0
        for _ in range(args.repeat):
            t0 = time.monotonic()
            driver.get(url + "/")
            wait_text(driver, "Средняя общеобразовательная школа № 17", 60)
            wait_text(driver, "уроков в расписании", 60)
            loads.append(time.monotonic() - t0)
        driver.get(url + "/transition")
        wait_text(driver, "Переход на дистант", 30)
        choose(driver, "Сценарий", "01-frost-whole-school")
        wait_text(driver, "Это пример сценария")
        click_button(driver, "Сохранить сценарий")
        wait_text(driver, "сохранён (версия 1)")
        for _ in range(args.repeat):
            driver.get(url + "/plan")
            wait_text(driver, "Пересобрать", 30)
            time.sleep(0.5)
            t0 = time.monotonic()
            click_button(driver, "Пересобрать")
            wait_text(driver, "План готов", 60)
            wait_text(driver, "онлайн:", 60)
            rebuilds.append(time.monotonic() - t0)
    print(f"first load (stores the samples): {first:.2f} s")
    print(f"page load, warm, median of {args.repeat}: {statistics.median(loads):.2f} s "
          f"(min {min(loads):.2f}, max {max(loads):.2f}); target <= 2 s")
    print(f"«Пересобрать» to grid, median of {args.repeat}: {statistics.median(rebuilds):.2f} s "
          f"(min {min(rebuilds):.2f}, max {max(rebuilds):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
