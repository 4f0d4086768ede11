#!/usr/bin/env bash
# Start the deputy director's page on the sample school (embedded SQLite in ./data, no set-up needed).
# One process serves the page and the calendar feeds (/feeds/<token>.ics): planner.publish.feeds.server:page_app
# (Streamlit's st.App under uvicorn). Host PLANNER_ADDRESS (default localhost), port PLANNER_PORT (default 8501);
# further arguments go to uvicorn. Beyond localhost the page refuses to start without a password
# (PLANNER_PAGE_PASSWORD or the file page_password in the data directory). Request heads are limited in size
# (431) and time (408) by planner.publish.feeds.httpguard; idle keep-alive connections close after 5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "[1/3] Окружение Python и пакеты (.venv; в первый раз — 1–2 минуты)…"
bash scripts/setup.sh
echo "[2/3] Пакеты на месте. Данные — в папке ${PLANNER_DATA_DIR:-data}."
export STREAMLIT_SERVER_HEADLESS=true STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
export PLANNER_ADDRESS="${PLANNER_ADDRESS:-localhost}"
echo "[3/3] Запускаю страницу…"
page_url="http://localhost:${PLANNER_PORT:-8501}"
( for _ in $(seq 1200); do
    if .venv/bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
        "http://${PLANNER_ADDRESS}:${PLANNER_PORT:-8501}/_stcore/health" 2>/dev/null; then
      echo "Готово. Откройте $page_url"; exit 0
    fi
    sleep 0.5
  done ) &
exec .venv/bin/uvicorn planner.publish.feeds.server:page_app --factory --host "$PLANNER_ADDRESS" \
  --port "${PLANNER_PORT:-8501}" --http planner.publish.feeds.httpguard:GuardedHttpToolsProtocol \
  --timeout-keep-alive 5 --h11-max-incomplete-event-size 65536 "$@"
