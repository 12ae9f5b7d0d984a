#!/usr/bin/env bash
# A worker's memory and speed with and without --memory-budget (docs/scaling.md, "Worker
# state"), in the same run: one session of EVENTS events among USERS users (so many users that
# nearly every like opens a pair of its own: the pairs' state is several times the budget)
# through a 3-node JetStream cluster (scripts/jetstream.sh, 3 replicas), P = 1, so that one
# worker holds every pair; once without a budget, once with --memory-budget BUDGET. For each:
# the harness's verdict (MATCH END - OK: the list exact), the worker's peak RSS (VmHWM), its
# CPU seconds and events per CPU second, its state on disk, and the session's seconds from the
# source's connection to MATCH END - OK.
#   bench/worker_memory.sh [EVENTS] [USERS] [BUDGET]   (default 10000000 1000000 64MiB)
# LIKEMATCH names the binary (default build/likematch). Figures go to bench/results.md by hand.
# (A separate script from bench/cluster.sh, which measures the session's speed.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
likematch=${LIKEMATCH:-$root/build/likematch}
events=${1:-10000000}
users=${2:-1000000}
budget=${3:-64MiB}
work=$(mktemp -d)
pids=()
stop_all() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
}
trap 'stop_all; "$root/scripts/jetstream.sh" down "$work/cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# Nine free consecutive ports for the cluster (clients, routes, monitoring).
base=$(python3 - <<'PY'
import random, socket
for _ in range(200):
    base = random.randrange(20000, 60000)
    try:
        socks = []
        for port in range(base, base + 9):
            s = socket.socket(); s.bind(("127.0.0.1", port)); socks.append(s)
        print(base); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
PY
)

# wait_listening LOG: serve's ports, once it listens.
wait_listening() {
  for _ in $(seq 600); do
    grep -q "listening:" "$1" && break
    sleep 0.1
  done
  grep "listening:" "$1" | grep -o "127.0.0.1:[0-9]*" | cut -d: -f2 | tr '\n' ' '
}

# run LABEL [WORKER OPTIONS...]: one session on a fresh cluster; prints one line of figures.
run() {
  local label=$1
  shift
  "$root/scripts/jetstream.sh" down "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work/state"
  local urls
  urls=$("$root/scripts/jetstream.sh" up "$work/cluster" "$base" | tail -1)
  "$likematch" worker --jetstream "$urls" --partitions 1 --partition 0 --state-dir "$work/state" \
    "$@" 2>"$work/worker.log" &
  local worker=$!
  pids+=("$worker")
  "$likematch" serve --jetstream "$urls" --partitions 1 --source-port 0 --listener-port 0 \
    --log-level info 2>"$work/serve.log" &
  pids+=($!)
  local source listener out t hwm ticks cpu disk
  read -r source listener <<<"$(wait_listening "$work/serve.log")"
  out=$("$likematch" harness --events "$events" --users "$users" --seed 1 --source-port "$source" \
    --listener-port "$listener" --connect-timeout 60 --timeout 900 --log-level warn 2>&1)
  t=$(sed -n 's/^time to MATCH END - OK: \([0-9.]*\) s.*/\1/p' <<<"$out")
  [[ -n $t ]] || { echo "worker_memory.sh: no MATCH END - OK ($label): $out" >&2; exit 1; }
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$worker/status")
  ticks=$(awk '{print $14 + $15}' "/proc/$worker/stat")
  cpu=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}')
  disk=$(du -sm "$work/state" | cut -f1)
  printf '%-28s MATCH END - OK in %7.1f s  worker peak RSS %6.0f MiB  CPU %6.1f s  %5.2f M events/CPU-s  state on disk %5d MiB\n' \
    "$label" "$t" "$(awk -v k="$hwm" 'BEGIN {print k / 1024}')" "$cpu" \
    "$(awk -v e="$events" -v c="$cpu" 'BEGIN {print e / c / 1e6}')" "$disk"
  stop_all
}

echo "$events events, $users users, seed 1, P = 1 (one worker holds every pair), 3 replicas"
run "worker, no budget"
run "worker --memory-budget $budget" --memory-budget "$budget"
