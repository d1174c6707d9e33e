#!/usr/bin/env bash
# The fleet benchmark (issue 13): latency of the fleet view's routes (/api/locks with filters, paging, /api/summary,
# If-None-Match) for 5,000 locks and of /api/locks/{serial}/history over 24 h, 7 d and 30 d of a busy lock, on SQLite
# and on PostgreSQL (an embedded PostgreSQL the rig starts), then a JFR profile of the slowest route:
# io.tedeesync.benchmarks.fleet.FleetBenchmark, run by the scale benchmark's run.sh (which builds the jars when
# missing and passes --jar server/target/tedee-sync.jar; a later --jar wins). Options: benchmarks/README.md
# ("Fleet view") or --help. SCALE_JAVA_OPTS: the rig's own JVM options.
set -euo pipefail
echo "fleet: commit $(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --short HEAD 2>/dev/null || echo unknown)" >&2
BENCH_MAIN=io.tedeesync.benchmarks.fleet.FleetBenchmark exec "$(dirname "${BASH_SOURCE[0]}")/../scale/run.sh" "$@"
