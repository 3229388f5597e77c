#!/usr/bin/env bash
# Install everything, load the demo data and serve the app on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh app
.venv/bin/phienhieu demo --samples
exec .venv/bin/phienhieu serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
