#!/usr/bin/env bash
# What bench/ocr.py needs beyond the project, so that its table has OCRmyPDF's column:
# OCRmyPDF (in its own virtual environment, so its pins never touch the project's), with
# unpaper for --clean and Ghostscript from Debian; Tesseract and its Vietnamese come with
# scripts/bootstrap.sh. qpdf needs no package: pikepdf's wheel carries its library.
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
# The version README's figures were measured with; another is installed over it.
version=17.13.0
if [ "$(.venv-ocrmypdf/bin/ocrmypdf --version 2>/dev/null)" != "$version" ]; then
  [ -x .venv-ocrmypdf/bin/pip ] || python3 -m venv .venv-ocrmypdf
  .venv-ocrmypdf/bin/pip install -q "ocrmypdf==$version"
fi
# bench.ocr leaves OCRmyPDF out when it is missing and counts a page it fails on as lost:
# make sure it runs here, with what --clean needs.
.venv-ocrmypdf/bin/ocrmypdf --version >/dev/null
unpaper --version >/dev/null
gs --version >/dev/null
echo "OCRmyPDF $(.venv-ocrmypdf/bin/ocrmypdf --version) ready: .venv/bin/python -m bench.ocr now measures it."
