#!/usr/bin/env bash
# The whole test suite on a fresh machine: set up, check the import contract, run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
