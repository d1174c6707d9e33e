#!/usr/bin/env bash
# The scale benchmark: one `tedee-sync serve` against a simulator of N accounts in another process.
# Builds the benchmarks jar and the service jar when either is missing (offline first), then runs
# io.tedeesync.benchmarks.scale.ScaleBenchmark. Options: see benchmarks/README.md or --help; a later
# --jar PATH measures another build of the service. BENCH_MAIN names another rig of the package (the
# cluster benchmark's run.sh uses it), SCALE_JAVA_OPTS the rig's own JVM options.
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
exec "$java_cmd" ${SCALE_JAVA_OPTS:-} -cp "$bench" "${BENCH_MAIN:-io.tedeesync.benchmarks.scale.ScaleBenchmark}" --jar "$jar" "$@"
