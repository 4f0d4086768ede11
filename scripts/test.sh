#!/usr/bin/env bash
# The whole test suite on a fresh machine: set up, check the import contracts, ruff and mypy, run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
.venv/bin/lint-imports
.venv/bin/ruff check planner app_pages streamlit_app.py tests bench sample_data scripts
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
