#!/usr/bin/env bash
# Build one of the project's small Java tools (scripts/java/NAME: a pom.xml naming its
# libraries on Maven Central, and its .java sources) into .cache/java/NAME, once, and print
# its class path. Maven fetches the libraries into .cache/maven the first time.
# Usage: scripts/java/build.sh NAME
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
name=$1
source_dir="$root/scripts/java/$name"
out="$root/.cache/java/$name"
mkdir -p "$out"
exec 9>"$out.lock"
flock 9
stamp=$(cat "$source_dir"/pom.xml "$source_dir"/*.java | sha256sum | cut -c1-16)
if [ "$(cat "$out/stamp" 2>/dev/null)" != "$stamp" ]; then
  if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
    echo "Java tools need a JDK and Maven (scripts/bootstrap.sh test installs them)." >&2
    exit 1
  fi
  echo "== $name: fetching its Java libraries from Maven Central into .cache/maven (once) and compiling it" >&2
  rm -rf "$out/classes" "$out/stamp"
  mvn -B --no-transfer-progress -Dmaven.repo.local="$root/.cache/maven/repository" \
    -f "$source_dir/pom.xml" dependency:build-classpath -Dmdep.outputFile="$out/libraries" \
    >"$out/maven.log" 2>&1 || { cat "$out/maven.log" >&2; exit 1; }
  javac -nowarn -encoding UTF-8 --release 17 -d "$out/classes" -cp "$(cat "$out/libraries")" "$source_dir"/*.java >&2
  echo "$stamp" >"$out/stamp"
fi
echo "$out/classes:$(cat "$out/libraries")"
