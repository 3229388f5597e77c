#!/usr/bin/env bash
# Install everything the tests need, then run the linters, the type checker and the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
echo "== ruff"
.venv/bin/ruff check .
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
scripts/services.sh .venv/bin/pytest -n "${PHIENHIEU_TEST_PROCESSES:-2}" -q --durations=30 "$@"
