"""Page timings in real headless Chromium (Debian chromium + chromedriver, Selenium) on the sample school:

- load: from driver.get() to the first full render of the «Школа» page (the school's name and the classes
  table are on the page), on a warm server (second load; the first load also imports and stores the samples);
- rebuild: from pressing «Пересобрать» on «План» (whole-school frost scenario) to the grid's mode counts.

    .venv/bin/python bench/page.py [--repeat 3]
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
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
