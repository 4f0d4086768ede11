#!/usr/bin/env bash
# Start the deputy director's page on the sample school (embedded SQLite in ./data, no set-up needed).
# One process serves the page and the calendar feeds (/feeds/<token>.ics): planner.publish.server:page_app
# (Streamlit's st.App under uvicorn). Host PLANNER_ADDRESS (default localhost), port PLANNER_PORT (default 8501);
# further arguments go to uvicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export STREAMLIT_SERVER_HEADLESS=true STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
exec .venv/bin/uvicorn planner.publish.server:page_app --factory --host "${PLANNER_ADDRESS:-localhost}" \
  --port "${PLANNER_PORT:-8501}" "$@"
