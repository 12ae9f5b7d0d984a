#!/usr/bin/env bash
# The matching through a NATS JetStream cluster against the embedded serve, in the same run:
# `likematch harness` (1M events, 9,000 users, seed 1, fully shuffled) against `serve` and
# against `serve --jetstream` with P partitions split over two workers (P = 1: one worker),
# on a 3-node cluster (scripts/jetstream.sh, 3 replicas) on this machine, with 1000 events per
# message, and with 10000 for P = 2 (--batch-events). Prints the median
# seconds from the source's connection to MATCH END - OK, and the median tail (the source's
# last byte to the last number read), over RUNS runs after one warm-up.
#   bench/cluster.sh [RUNS]     (default 3; figures go to bench/results.md by hand)
# LIKEMATCH=BINARY measures another build; CONFIGS="P:BATCH ..." other configurations
# (default "1:1000 2:1000 4:1000 2:10000").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
likematch=${LIKEMATCH:-$root/build/likematch}
runs=${1:-3}
work=$(mktemp -d)
base=$((30000 + $$ % 5000 * 4))
pids=()
stop_all() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
}
trap 'stop_all; "$root/scripts/jetstream.sh" down "$work/cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# measure LABEL SOURCE_PORT LISTENER_PORT: prints "LABEL  median-s  median-tail-ms".
measure() {
  local label=$1 times=() tails=() out t tail
  for ((i = 0; i <= runs; i++)); do
    out=$("$likematch" harness --events 1000000 --users 9000 --seed 1 --source-port "$2" \
      --listener-port "$3" --connect-timeout 60 --timeout 300 --log-level warn 2>&1)
    t=$(sed -n 's/^time to MATCH END - OK: \([0-9.]*\) s.*/\1/p' <<<"$out")
    tail=$(sed -n 's/^tail: \([0-9.]*\) ms.*/\1/p' <<<"$out")
    [[ -n $t ]] || { echo "cluster.sh: no MATCH END - OK from $label: $out" >&2; exit 1; }
    ((i == 0)) || { times+=("$t"); tails+=("$tail"); }
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  printf '%-52s %8.3f s  tail %8.1f ms  (runs: %s)\n' "$label" "$(median "${times[@]}")" \
    "$(median "${tails[@]}")" "${times[*]}"
}

# wait_listening LOG: serve's ports, once it listens.
wait_listening() {
  for _ in $(seq 600); do
    grep -q "listening:" "$1" && break
    sleep 0.1
  done
  grep "listening:" "$1" | grep -o "127.0.0.1:[0-9]*" | cut -d: -f2 | tr '\n' ' '
}

"$likematch" serve --source-port 0 --listener-port 0 --log-level info 2>"$work/serve.log" &
pids+=($!)
read -r source listener <<<"$(wait_listening "$work/serve.log")"
measure "serve (embedded)" "$source" "$listener"
stop_all

for config in ${CONFIGS:-1:1000 2:1000 4:1000 2:10000}; do
  IFS=: read -r partitions batch <<<"$config"
  "$root/scripts/jetstream.sh" down "$work/cluster" >/dev/null 2>&1 || true
  urls=$("$root/scripts/jetstream.sh" up "$work/cluster" "$base" | tail -1)
  if ((partitions == 1)); then
    "$likematch" worker --jetstream "$urls" --partitions 1 --partition 0 \
      --state-dir "$work/state-$partitions-$batch-0" 2>"$work/worker.log" &
    pids+=($!)
  else
    for w in 0 1; do
      list=$(seq -s, "$w" 2 $((partitions - 1)))
      "$likematch" worker --jetstream "$urls" --partitions "$partitions" --partition "$list" \
        --state-dir "$work/state-$partitions-$batch-$w" 2>"$work/worker-$w.log" &
      pids+=($!)
    done
  fi
  "$likematch" serve --jetstream "$urls" --partitions "$partitions" --batch-events "$batch" \
    --source-port 0 --listener-port 0 --log-level info 2>"$work/serve-$partitions.log" &
  pids+=($!)
  read -r source listener <<<"$(wait_listening "$work/serve-$partitions.log")"
  measure "serve --jetstream P=$partitions, $((partitions == 1 ? 1 : 2)) worker(s), $batch/message" \
    "$source" "$listener"
  stop_all
done
