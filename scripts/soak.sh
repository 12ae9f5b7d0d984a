#!/usr/bin/env bash
# Load beyond ctest's size: one `likematch serve` process (under /usr/bin/time -v, recording
# every session) takes, from `likematch harness`,
#   1. 10,000,000 events fully shuffled, while a second listener connects first and never
#      reads until the harness has its verdict; it must then receive the whole list;
#   2. 50,000,000 events in order, streamed from `likematch generate` (the harness would hold
#      them all in memory first), to a listener that must receive as many matches as the
#      session's summary counts;
# step 1 must end in MATCH END - OK, its recording replayed must give the list served; then
# SIGTERM must stop the server with status 0. Prints times and the server's peak RSS.
# Usage: scripts/soak.sh [SHUFFLED_EVENTS [IN_ORDER_EVENTS]]   (defaults 10000000 50000000;
# 0 skips that step)
set -euo pipefail
cd "$(dirname "$0")/.."
shuffled=${1:-10000000}
in_order=${2:-50000000}
scripts/build.sh >/dev/null
bin=build/likematch
work=$(mktemp -d)
server=
cleanup() {
  exec 3>&- 4>&- 2>/dev/null || true
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
    kill -KILL "${serve_pid:-$server}" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

/usr/bin/time -v -o "$work/time.txt" "$bin" serve --source-port 0 --listener-port 0 \
  --record "$work/records" 2>"$work/serve.log" &
server=$!  # /usr/bin/time; the server is its child
for _ in $(seq 100); do
  grep -qs 'listening:' "$work/serve.log" && break
  sleep 0.1
done
ports=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/serve.log" | cut -d: -f2 | tr '\n' ' ')
read -r source_port listener_port <<<"$ports"
serve_pid=$(pgrep -P "$server")
echo "serve: pid $serve_pid, source port $source_port, listener port $listener_port"

harness() {
  local started=$SECONDS
  "$bin" harness --source-port "$source_port" --listener-port "$listener_port" --timeout 1800 \
    --log-level warn "$@"
  echo "harness $*: $((SECONDS - started)) s"
}

session=0
if [[ $shuffled != 0 ]]; then
  session=$((session + 1))
  echo "== $session. $shuffled events, fully shuffled, with a listener that does not read"
  exec 3<>"/dev/tcp/127.0.0.1/$listener_port"
  sleep 0.2
  harness --events "$shuffled" --shuffle full --listener-first
  # The stalled listener now reads: it must get what the harness got, which the recording shows.
  "$bin" replay "$work"/records/*-session-$session.events >"$work/expected.txt"
  size=$(stat -c %s "$work/expected.txt")
  timeout 120 head -c "$size" <&3 >"$work/stalled.txt"
  printf 'MATCH END - OK\n' >&3
  exec 3>&-
  cmp "$work/expected.txt" "$work/stalled.txt"
  echo "stalled listener: $(wc -l <"$work/stalled.txt") matches, identical to the replayed recording"
fi

if [[ $in_order != 0 ]]; then
  session=$((session + 1))
  echo "== $session. $in_order events in order"
  exec 4<>"/dev/tcp/127.0.0.1/$listener_port"
  printf 'MATCH BEGIN\n' >&4
  cat <&4 >"$work/in-order.txt" &
  reader=$!
  started=$SECONDS
  { echo "EVENT BEGIN"; "$bin" generate --events "$in_order" --shuffle none; echo "EVENT END"; } \
    >"/dev/tcp/127.0.0.1/$source_port"
  until grep -q "session $session input ended" "$work/serve.log"; do sleep 0.2; done
  echo "sent and ingested in $((SECONDS - started)) s"
  sleep 1
  printf 'MATCH END - OK\n' >&4
  wait "$reader"
  exec 4>&-
  counted=$(grep -o "session $session input ended (EVENT END): $in_order events, [0-9]* matches" \
    "$work/serve.log" | grep -o '[0-9]* matches' | cut -d' ' -f1)
  received=$(wc -l <"$work/in-order.txt")
  echo "listener received $received matches; the session counted ${counted:-?}"
  [[ $received == "$counted" ]]
fi

echo "== SIGTERM"
sleep 0.5
stop_started=$(date +%s.%N)
kill -TERM "$serve_pid"
status=0
wait "$server" || status=$?
server=
echo "exit status $status after $(echo "$(date +%s.%N) - $stop_started" | bc) s"
grep -E 'session [0-9]+ \((EVENT END|cut)' "$work/serve.log" | sed 's/^[^ ]* [^ ]* *//'
grep -E 'Maximum resident|Elapsed \(wall' "$work/time.txt"
ls -l "$work/records"
[[ $status == 0 ]]
