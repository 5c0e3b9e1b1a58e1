#!/usr/bin/env bash
# The task queue benchmark (issue 5), every peer in one run:
#   - Warden (real server in-process, HTTP on loopback) next to the SQL-only ceiling, on SQLite
#     and PostgreSQL, empty queue and a backlog, a worker with 1, 4 and 16 slots (TaskQueueLoad);
#   - graphile-worker 0.16.6 on the same PostgreSQL, same modes and concurrencies.
# Needs PostgreSQL (WARDEN_BENCH_POSTGRES_URL, a database the bench may create schemas in, and
# GRAPHILE_URL, a database graphile-worker may own), Node 20 and npm. Writes JSON lines and the
# Markdown table to the folder given (default: a new one under /tmp).
#
#   export WARDEN_BENCH_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5432/warden_test?user=warden_test&password=warden_test'
#   export GRAPHILE_URL='postgres://warden_test:warden_test@127.0.0.1:5432/graphile_bench'
#   bench/tasks.sh [out-dir]
#
# BENCH_SECONDS (15), BENCH_WARMUP (10), BENCH_JIT_WARMUP (60), BENCH_BACKLOG (500000) and BENCH_WORKERS (1,4,16) tune it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${WARDEN_BENCH_POSTGRES_URL:?set WARDEN_BENCH_POSTGRES_URL=jdbc:postgresql://HOST:5432/DB?user=U&password=P}"
: "${GRAPHILE_URL:?set GRAPHILE_URL=postgres://U:P@HOST:5432/DB (graphile-worker drops and creates its schema there)}"
seconds=${BENCH_SECONDS:-15}
warmup=${BENCH_WARMUP:-10}
jit_warmup=${BENCH_JIT_WARMUP:-60}
backlog=${BENCH_BACKLOG:-500000}
workers=${BENCH_WORKERS:-1,4,16}
out=${1:-$(mktemp -d /tmp/warden-bench-tasks-XXXXXX)}
mkdir -p "$out"

. bin/find-jdk.sh
set +u
warden_find_jdk || exit 1
set -u

echo "[bench] building warden-bench" >&2
./mvnw -q -B -pl warden-bench -am package -DskipTests
echo "[bench] installing graphile-worker (npm ci)" >&2
(cd bench/graphile-worker && npm ci --silent --no-audit --no-fund)

echo "[bench] Warden and the SQL ceiling: $out/warden.jsonl" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp warden-bench/target/warden-bench.jar \
  io.warden.bench.TaskQueueLoad --db sqlite,postgresql --mode empty,backlog --workers "$workers" \
  --system warden,sql --seconds "$seconds" --warmup "$warmup" --jit-warmup "$jit_warmup" --backlog "$backlog" \
  > "$out/warden.txt" 2> "$out/warden.err"
grep '^{' "$out/warden.txt" > "$out/warden.jsonl"

echo "[bench] graphile-worker: $out/graphile.jsonl" >&2
: > "$out/graphile.jsonl"
for mode in empty backlog; do
  for w in ${workers//,/ }; do
    # As many producers as workers in empty mode, as TaskQueueLoad has submitter threads.
    node bench/graphile-worker/run.mjs --url "$GRAPHILE_URL" --mode "$mode" --workers "$w" --producers "$w" \
      --seconds "$seconds" --warmup "$warmup" --backlog "$backlog" >> "$out/graphile.jsonl"
  done
done

sed -n '/^| db /,$p' "$out/warden.txt"
echo
cat "$out/graphile.jsonl"
echo "[bench] results in $out" >&2
