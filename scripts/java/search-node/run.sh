#!/usr/bin/env bash
# Run one OpenSearch node for the tests in the foreground (exec: its pid is this script's):
# loopback only, the HTTP port given, security off (the server alone has none), one
# node's discovery, a bounded heap, data and logs under HOME (made if missing, kept
# between starts so a restarted node finds its indices).
# Usage: scripts/java/search-node/run.sh HOME HTTP_PORT
# SEARCH_NODE_HEAP (512m) bounds the heap; SEARCH_NODE_QUICK_START=0 lets the JIT compile fully,
# slower to start but faster once warm (benchmarks).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=$1
port=$2
classpath=$("$here/../build.sh" search-node)
mkdir -p "$home/config" "$home/data" "$home/logs" "$home/plugins" "$home/tmp"
cat >"$home/config/opensearch.yml" <<YAML
cluster.name: phienhieu-test
node.name: node-1
path.data: $home/data
path.logs: $home/logs
network.host: 127.0.0.1
http.port: $port
transport.port: $((port + 1))-$((port + 100))
discovery.type: single-node
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
YAML
cat >"$home/config/log4j2.properties" <<'PROPERTIES'
status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%c{1.}] %m%n
rootLogger.level = warn
rootLogger.appenderRef.console.ref = console
logger.node.name = org.opensearch.node.Node
logger.node.level = info
PROPERTIES
heap=${SEARCH_NODE_HEAP:-512m}
jit=(-XX:TieredStopAtLevel=1)
[ "${SEARCH_NODE_QUICK_START:-1}" = "1" ] || jit=()
exec java -Xms"$heap" -Xmx"$heap" -XX:+UseSerialGC "${jit[@]}" -Xss1m \
  -Djava.io.tmpdir="$home/tmp" -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
  -Dlog4j2.disable.jmx=true -Dlog4j.shutdownHookEnabled=false -Dlog4j2.formatMsgNoLookups=true \
  -Dio.netty.noUnsafe=true -Dio.netty.recycler.maxCapacityPerThread=0 \
  -Dopensearch.set.netty.runtime.available.processors=false \
  -cp "$classpath" SearchNode "$home"
