#!/usr/bin/env bash
# What bench/ocr.py needs beyond the project: OCRmyPDF (in its own virtual environment,
# so its pins never touch the project's) with unpaper and Ghostscript for --clean.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
missing=()
for package in unpaper ghostscript; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x .venv-ocrmypdf/bin/ocrmypdf ] || { python3 -m venv .venv-ocrmypdf && .venv-ocrmypdf/bin/pip install -q ocrmypdf; }
