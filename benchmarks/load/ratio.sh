#!/usr/bin/env bash
# The webhook path's rate as a share of what the HTTP stack alone answers on this machine, in one run:
# first --mode http-404 (wrong secret: answered before the body is parsed), then --mode serve (the whole
# path into SQLite), same options, back to back. Usage: benchmarks/load/ratio.sh [WebhookLoad options]
# (default --client socket, which costs the shared cores least). Build first:
#   ./mvnw -q -o -pl benchmarks -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -q -o -pl benchmarks -am package -DskipTests" >&2; exit 2; }
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--client socket)
run() { java -Xmx1g -cp "$jar" io.tedeesync.benchmarks.load.WebhookLoad --mode "$1" "${args[@]}"; }
rate() { sed -n 's/.*sustained \([0-9,]*\) .*/\1/p' | tr -d , | head -1; }
p99() { sed -n 's/.*p99 \([0-9.]*\)  p99.9.*/\1/p' | head -1; }
baseline_out=$(run http-404); echo "$baseline_out"
serve_out=$(run serve); echo "$serve_out"
base=$(echo "$baseline_out" | rate); full=$(echo "$serve_out" | rate)
echo
echo "http-404 ${base}/s, serve ${full}/s: ratio $(awk -v a="$full" -v b="$base" 'BEGIN { printf "%.2f", a / b }') (target >= 0.8); serve p99 $(echo "$serve_out" | p99) ms (target < 50)"
echo "$serve_out" | grep -q "no acknowledged webhook lost: PASS"
