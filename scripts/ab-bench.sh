#!/usr/bin/env bash
# One leg of a back-to-back A/B of two builds: starts a 3-node cluster from JAR with the given
# node JVM options, runs `raftlab bench` against it with the given bench JVM options, stops it and
# prints the result rows prefixed by LABEL. Alternate two builds, e.g.:
#   for r in 1 2; do scripts/ab-bench.sh before /tmp/before.jar; scripts/ab-bench.sh after /tmp/after.jar; done
# Environment: NODE_OPTS, BENCH_OPTS (JVM options), CLIENTS (1,256), OP (put), DUR (8s), WARM (10s).
set -euo pipefail
label=${1:?usage: ab-bench.sh LABEL JAR}
jar=${2:?usage: ab-bench.sh LABEL JAR}
dir=$(mktemp -d "/tmp/ab-$label-XXXX")
trap 'RAFTLAB_JAR=$jar java -jar "$jar" cluster down --cluster-dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
RAFTLAB_JAR=$jar RAFTLAB_NODE_JAVA_OPTS="${NODE_OPTS:--Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MetaspaceSize=128m}" \
  java -jar "$jar" cluster up -n 3 --cluster-dir "$dir" >/dev/null
RAFTLAB_JAR=$jar java ${BENCH_OPTS:--XX:TieredStopAtLevel=1} -jar "$jar" bench --cluster-dir "$dir" --op "${OP:-put}" \
  --clients "${CLIENTS:-1,256}" --duration "${DUR:-8s}" --warmup "${WARM:-10s}" --out "$dir/bench.json" 2>/dev/null \
  | grep -E "^(put|get|mixed) " | sed "s/^/$label /"
