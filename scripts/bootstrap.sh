#!/usr/bin/env bash
# Install what Phiên hiệu needs on a Debian machine: system packages through apt where
# missing, then the Python package into ./.venv. Usage: scripts/bootstrap.sh [app|test]
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-app}

apt_packages=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-dejavu-core fonts-freefont-ttf
              libpango-1.0-0 libpangoft2-1.0-0)
# The browser tests drive Debian's chromium through Playwright; it is never downloaded by Playwright itself.
# Liberation Mono is one of the generated documents' typewriter faces.
# PostgreSQL's server runs a private cluster for the tests (scripts/services.sh).
[ "$profile" = "test" ] && apt_packages+=(chromium poppler-utils fonts-liberation2 postgresql)
# The tests' search node (OpenSearch) and PDF/A validator (veraPDF) are Java, built with Maven
# from Maven Central; a JDK and Maven already on the PATH (another vendor's) are used as they are.
if [ "$profile" = "test" ]; then
  command -v javac >/dev/null || apt_packages+=(default-jdk-headless)
  command -v mvn >/dev/null || apt_packages+=(maven)
fi

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Phiên hiệu needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
[ -x .venv/bin/uv ] || .venv/bin/pip install -q uv
extras=""
[ "$profile" = "test" ] && extras="[test]"
.venv/bin/uv pip install -q --python .venv/bin/python -e ".${extras}"

# The Java tools' libraries come from Maven Central once, into .cache/maven (build.sh says so).
if [ "$profile" = "test" ]; then
  scripts/java/build.sh search-node >/dev/null
  scripts/java/build.sh verapdf >/dev/null
fi
