#!/usr/bin/env bash
# The matching spread over processes (docs/scaling.md), on this machine: a 3-node NATS
# JetStream cluster (scripts/jetstream.sh), two workers of two partitions each, `serve
# --jetstream --partitions 4`, and the emulated harness at its default size (1,000,000
# events, 9,000 users) against it; it ends with the harness's MATCH END - OK and everything
# stopped. Options are passed on to the harness (--events, --users, --seed, --shuffle).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null
likematch=build/likematch
work=$(mktemp -d)
base=${LIKEMATCH_DEMO_BASE_PORT:-14222}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait "${pids[@]}" 2>/dev/null || true
  scripts/jetstream.sh down "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== a 3-node JetStream cluster on 127.0.0.1:$base-$((base + 2))"
urls=$(scripts/jetstream.sh up "$work/cluster" "$base" | tail -1)
echo "$urls"
for worker in 0 1; do
  "$likematch" worker --jetstream "$urls" --partitions 4 --partition "$worker,$((worker + 2))" \
    --state-dir "$work/state-$worker" 2>"$work/worker-$worker.log" &
  pids+=($!)
done
"$likematch" serve --jetstream "$urls" --partitions 4 --source-port 0 --listener-port 0 \
  2>"$work/serve.log" &
pids+=($!)
# serve prints the ports it listens on once the streams are ready.
for _ in $(seq 600); do
  grep -q "listening:" "$work/serve.log" && break
  sleep 0.1
done
ports=$(grep "listening:" "$work/serve.log" | grep -o "127.0.0.1:[0-9]*" | cut -d: -f2)
source_port=$(echo "$ports" | head -1)
listener_port=$(echo "$ports" | tail -1)
echo "== two workers (partitions 0,2 and 1,3), serve --jetstream on ports $source_port and $listener_port"
status=0
"$likematch" harness --source-port "$source_port" --listener-port "$listener_port" "$@" || status=$?
if [[ $status -ne 0 ]]; then
  echo "== serve's log:" >&2
  tail -20 "$work/serve.log" >&2
fi
exit $status
