#!/usr/bin/env bash
# Start-up time of `tedee-sync serve` with one account: from the moment the process is started to the
# first 200 of GET /health, polled in a tight loop from outside. Runs the service RUNS times against one
# simulator and prints each run and the median, in milliseconds, with the CPU time (user + system) the
# process had used by then: on a machine shared with other work the wall time varies a lot, the CPU
# time much less.
#
#   benchmarks/startup/measure.sh [RUNS]        (default 5)
#
# Environment: TEDEE_SYNC (the command to start, default bin/tedee-sync of this checkout),
# TEDEE_SYNC_JAVA_OPTS (passed on by bin/tedee-sync), STARTUP_PORT (default 18480; the simulator uses
# STARTUP_PORT+1), STARTUP_FRESH=1 to give every run a new data directory (a first start: the schema is
# created) instead of one directory made by an untimed warm-up run (a restart: the schema is current).
# The jar is built before the first run if needed (bin/tedee-sync does that), never during a timed run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-5}"
cmd="${TEDEE_SYNC:-$root/bin/tedee-sync}"
port="${STARTUP_PORT:-18480}"
sim_port=$((port + 1))
key="startup-benchmark-key"
work="$(mktemp -d)"
sim_pid=""
serve_pid=""

cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

wait_for() { # url, what: poll until 200, at most 120 s
  local deadline=$(( $(now_ms) + 120000 ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true)" = 200 ]; do
    if [ "$(now_ms)" -gt "$deadline" ]; then echo "measure.sh: $2 did not answer within 120 s" >&2; exit 1; fi
  done
}

"$cmd" --version >/dev/null   # builds the jar if it is missing or stale, outside any timed run
"$cmd" simulator --port "$sim_port" --locks 1 --key "$key" --activity 0 >"$work/simulator.log" 2>&1 &
sim_pid=$!
wait_for "http://127.0.0.1:$sim_port/_sim/locks" "the simulator"

serve_once() { # data dir -> prints "WALL CPU": ms from process start to the first 200 of /health, CPU ms by then
  local started wall stat
  started=$(now_ms)
  TEDEE_PERSONAL_KEY="$key" "$cmd" serve --api-url "http://127.0.0.1:$sim_port" --port "$port" --data "$1" \
      >>"$work/serve.log" 2>&1 &
  serve_pid=$!
  wait_for "http://127.0.0.1:$port/health" "serve"
  wall=$(( $(now_ms) - started ))
  # bin/tedee-sync execs java, so this is the JVM's pid; fields 14 and 15 are user and system ticks
  read -r -a stat < "/proc/$serve_pid/stat"
  echo "$wall $(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) ))"
  kill "$serve_pid"
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=""
}

if [ "${STARTUP_FRESH:-0}" != 1 ]; then
  serve_once "$work/data" >/dev/null   # warm-up: creates the schema (and the file cache is warm for all runs)
fi
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
walls=()
cpus=()
for i in $(seq 1 "$runs"); do
  data="$work/data"
  [ "${STARTUP_FRESH:-0}" = 1 ] && data="$work/data-$i"
  read -r wall cpu < <(serve_once "$data")
  walls+=("$wall")
  cpus+=("$cpu")
  echo "run $i: $wall ms (cpu $cpu ms)"
done
echo "median of $runs: $(printf '%s\n' "${walls[@]}" | median) ms (cpu $(printf '%s\n' "${cpus[@]}" | median) ms), process start to the first 200 of GET /health"
