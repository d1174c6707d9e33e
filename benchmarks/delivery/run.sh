#!/usr/bin/env bash
# The delivery benchmark (issue 12): events/s delivered by `tedee-sync serve` to 10 signed outbound webhook
# endpoints and to MQTT while 1,000 locks change, and the delay from change to delivery. Builds the benchmarks
# jar and the service jar when either is missing (offline first), then runs
# io.tedeesync.benchmarks.delivery.DeliveryBenchmark with --jar server/target/tedee-sync.jar (a later --jar wins).
# Needs Debian's mosquitto (apt-get install -y mosquitto mosquitto-clients). Options: benchmarks/README.md or --help.
# DELIVERY_JAVA_OPTS: the rig's own JVM options.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$root/benchmarks/target/benchmarks.jar"
jar="$root/server/target/tedee-sync.jar"

if [ ! -f "$bench" ] || [ ! -f "$jar" ]; then
  echo "delivery: building the jars (this takes a minute)..." >&2
  (cd "$root" && { ./mvnw -q -B -ntp -o -DskipTests -pl server,benchmarks -am package \
      || ./mvnw -q -B -ntp -DskipTests -pl server,benchmarks -am package; })
fi
if [ ! -x /usr/sbin/mosquitto ] && [[ " $* " != *" --mosquitto "* ]]; then
  echo "delivery: no /usr/sbin/mosquitto: apt-get install -y mosquitto mosquitto-clients (or pass --mosquitto PATH)" >&2
  exit 3
fi

echo "delivery: commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" >&2
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cd "$root"
exec "$java_cmd" ${DELIVERY_JAVA_OPTS:-} -cp "$bench" io.tedeesync.benchmarks.delivery.DeliveryBenchmark --jar "$jar" "$@"
