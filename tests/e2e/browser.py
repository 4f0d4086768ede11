"""Start the app the way scripts/run-page.sh does (uvicorn serving the page and the feeds in one process) on a free loopback port and an empty data directory, and drive it with
Selenium in Debian's headless Chromium (shared by the end-to-end test and bench/page.py)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
MISSING = ("headless Chromium is missing: install the Debian packages chromium, chromium-driver and "
           "fonts-dejavu-core (apt-get install -y chromium chromium-driver fonts-dejavu-core) and the Python "
           "package selenium")


# The entry scripts/run-page.sh runs (.venv/bin/uvicorn …, host and port from PLANNER_ADDRESS / PLANNER_PORT).
PAGE_COMMAND = ("uvicorn", "planner.publish.feeds.server:page_app", "--factory")


def missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return MISSING
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        return MISSING
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(data_dir: Path, env_extra: dict | None = None):
    port = free_port()
    env = {**os.environ, "PLANNER_DATA_DIR": str(data_dir), **(env_extra or {})}
    env.pop("PLANNER_PAGE_PASSWORD", None) if not env_extra or "PLANNER_PAGE_PASSWORD" not in env_extra else None
    env.update(STREAMLIT_SERVER_FILE_WATCHER_TYPE="none", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    log = tempfile.TemporaryFile()  # not a pipe: the access log must never block the server
    proc = subprocess.Popen([sys.executable, "-m", *PAGE_COMMAND, "--host", "127.0.0.1", "--port", str(port),
                             "--log-level", "warning"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                out = log.read().decode(errors="replace")
                raise RuntimeError(f"the page did not start: {out[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def chromium(width: int = 1600, height: int = 1300):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="planner-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", f"--window-size={width},{height}", "--lang=ru"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_text(driver, text: str, timeout: float = 30) -> float:
    """Wait until text appears in the page; the seconds it took."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            if text in driver.find_element("tag name", "body").text:
                return time.monotonic() - t0
        except Exception:  # noqa: BLE001 - the page is re-rendering
            pass
        time.sleep(0.05)
    raise AssertionError(f"'{text}' did not appear in {timeout} s; page: "
                         f"{driver.find_element('tag name', 'body').text[:1500]}")


def click_button(driver, label: str, timeout: float = 20) -> None:
    xpath = f"//button[.//*[normalize-space(text())='{label}'] or normalize-space(.)='{label}']"
    t0 = time.monotonic()
    while True:
        try:
            for b in driver.find_elements("xpath", xpath):
                if b.is_displayed() and b.is_enabled():
                    driver.execute_script("arguments[0].scrollIntoView({block:'center'}); arguments[0].click();", b)
                    return
        except Exception:  # noqa: BLE001 - stale element during a rerun
            pass
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"no button '{label}'")
        time.sleep(0.1)


def choose(driver, label: str, option_text: str) -> None:
    """Pick an option of the st.selectbox labelled label by typing it."""
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("xpath", f"//div[@data-testid='stSelectbox'][.//label//*[text()='{label}'] or "
                                       f".//label[normalize-space(.)='{label}']]//input")
    box.click()
    box.send_keys(option_text)
    time.sleep(0.3)
    box.send_keys(Keys.ENTER)
