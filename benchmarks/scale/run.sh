#!/usr/bin/env bash
# The scale benchmark: one `tedee-sync serve` against a simulator of N accounts in another process.
# Builds the benchmarks jar and the service jar when either is missing (offline first), then runs
# io.tedeesync.benchmarks.scale.ScaleBenchmark. Options: see benchmarks/README.md or --help; a later
# --jar PATH measures another build of the service.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$root/benchmarks/target/benchmarks.jar"
jar="$root/server/target/tedee-sync.jar"

if [ ! -f "$bench" ] || [ ! -f "$jar" ]; then
  echo "scale: building the jars (this takes a minute)..." >&2
  (cd "$root" && { ./mvnw -q -B -ntp -o -DskipTests -pl server,benchmarks -am package \
      || ./mvnw -q -B -ntp -DskipTests -pl server,benchmarks -am package; })
fi

java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cd "$root"
exec "$java_cmd" ${SCALE_JAVA_OPTS:-} -cp "$bench" io.tedeesync.benchmarks.scale.ScaleBenchmark --jar "$jar" "$@"
