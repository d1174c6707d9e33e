#!/usr/bin/env bash
# Accounts added and removed at runtime over the accounts API (io.tedeesync.benchmarks.accounts.AccountChurn):
# latency and rate of adds and removes, threads and heap before and after each round. Builds the
# benchmarks jar when missing (offline first). Options: --accounts N (1000), --clients C (1), --rounds R (3).
# CHURN_JAVA_OPTS adds JVM options, e.g. -XX:StartFlightRecording=filename=churn.jfr,settings=profile
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$root/benchmarks/target/benchmarks.jar"
if [ ! -f "$bench" ]; then
  echo "accounts: building the benchmarks jar (this takes a minute)..." >&2
  (cd "$root" && { ./mvnw -q -B -ntp -o -DskipTests -pl benchmarks -am package \
      || ./mvnw -q -B -ntp -DskipTests -pl benchmarks -am package; })
fi
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java_cmd" ${CHURN_JAVA_OPTS:-} -cp "$bench" io.tedeesync.benchmarks.accounts.AccountChurn "$@"
