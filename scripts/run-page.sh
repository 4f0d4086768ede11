#!/usr/bin/env bash
# Start the deputy director's page on the sample school (embedded SQLite in ./data, no set-up needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run streamlit_app.py --server.address "${PLANNER_ADDRESS:-localhost}" \
  --server.port "${PLANNER_PORT:-8501}" --server.headless true --browser.gatherUsageStats false "$@"
