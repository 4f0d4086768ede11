#!/usr/bin/env bash
# Create the project's virtual environment and install what it needs. Safe to run again: it only installs what is
# missing. `setup.sh` alone installs the Python packages (enough for the page and the CLI); `setup.sh --tests`
# also installs the test tools: Debian packages and the npm package of the feed cross-check.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

[ "${1:-}" = "--tests" ] || exit 0

# Debian packages the tests need; installed only when missing.
#   fet, fet-data: FET's command-line generator (round-trip import test) and real-school example files
#   chromium, chromium-driver, fonts-dejavu-core: the page's end-to-end test in a real headless browser (Cyrillic)
DEB_PACKAGES=(fet fet-data chromium chromium-driver fonts-dejavu-core)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# Mozilla's ical.js, the second iCalendar parser of the feed tests (pinned by tests/js/package-lock.json)
if [ ! -d tests/js/node_modules/ical.js ]; then
  npm ci --prefix tests/js --no-audit --no-fund --silent
fi
