#!/usr/bin/env bash
# Run a command with the services the tests need, started for it and stopped afterwards
# (even when it fails): a private PostgreSQL cluster and a single OpenSearch node, each on a
# free loopback port. A service whose URL is already set (PHIENHIEU_TEST_POSTGRES_URL,
# PHIENHIEU_TEST_SEARCH_URL) is used as it is.
# Usage: scripts/services.sh COMMAND [ARG...]
set -euo pipefail
cd "$(dirname "$0")/.."

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/phienhieu-services.XXXXXX")
chmod 755 "$run_dir"
cleanups=()

cleanup() {
  local index
  for ((index = ${#cleanups[@]} - 1; index >= 0; index--)); do
    eval "${cleanups[$index]}" || true
  done
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# initdb refuses to run as root: as root the cluster belongs to the `postgres` account
# that Debian's package creates.
as_cluster_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

postgres_bin() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bindir" ] || { echo "PostgreSQL's server is not installed (scripts/bootstrap.sh test installs it)." >&2; exit 1; }
  echo "$bindir"
}

start_postgres() {
  local bin port data
  bin=$(postgres_bin)
  port=$(free_port)
  data="$run_dir/postgres"
  mkdir -p "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$data"
  echo "== PostgreSQL: a private cluster on 127.0.0.1:$port"
  as_cluster_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  as_cluster_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$data/server.log" >&2; exit 1; }
  cleanups+=("as_cluster_owner '$bin/pg_ctl' -D '$data' -m immediate stop >/dev/null")
  as_cluster_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres test
  export PHIENHIEU_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/test"
}

# Answers once the node's HTTP port does and its indices can be written.
search_node_ready() {
  .venv/bin/python -c 'import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1] + "/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=2)
except OSError:
    sys.exit(1)' "$1"
}

stop_search_node() {
  local pid=$1 waited
  # The pid is checked to still be this run's node (its command line names the run's folder).
  if ! grep -qF "$run_dir/search-node" "/proc/$pid/cmdline" 2>/dev/null || ! kill -TERM "$pid" 2>/dev/null; then
    echo "The search node had stopped before the run ended; the end of its log:" >&2
    tail -n 40 "$run_dir/search-node.log" >&2
    return 0
  fi
  for ((waited = 0; waited < 40; waited++)); do
    grep -qF "$run_dir/search-node" "/proc/$pid/cmdline" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# An OpenSearch node from Maven Central's jars (scripts/java/search-node), its data in the run's
# directory; the first run fetches and compiles it (scripts/java/build.sh says so). It starts
# in the background while PostgreSQL does; await_search_node waits until it answers.
search_node_pid=""
search_node_port=""
search_node_started=0
start_search_node() {
  scripts/java/build.sh search-node >/dev/null
  search_node_port=$(free_port)
  echo "== Search: a private OpenSearch node on 127.0.0.1:$search_node_port"
  search_node_started=$SECONDS
  scripts/java/search-node/run.sh "$run_dir/search-node" "$search_node_port" >"$run_dir/search-node.log" 2>&1 &
  search_node_pid=$!
  cleanups+=("stop_search_node $search_node_pid")
}

await_search_node() {
  local waited
  for ((waited = 0; ; waited++)); do
    search_node_ready "http://127.0.0.1:$search_node_port" && break
    if ! kill -0 "$search_node_pid" 2>/dev/null || [ "$waited" -ge 120 ]; then
      echo "The search node did not start within a minute:" >&2
      tail -n 40 "$run_dir/search-node.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "== Search: the node answers, $((SECONDS - search_node_started)) s after it was started"
  export PHIENHIEU_TEST_SEARCH_URL="opensearch://127.0.0.1:$search_node_port"
}

[ -n "${PHIENHIEU_TEST_SEARCH_URL:-}" ] || start_search_node
[ -n "${PHIENHIEU_TEST_POSTGRES_URL:-}" ] || start_postgres
[ -z "$search_node_pid" ] || await_search_node
# The suite fails, rather than skips, a test whose service this script provides.
export PHIENHIEU_TEST_REQUIRE_SERVICES=1

status=0
"$@" || status=$?
exit "$status"
