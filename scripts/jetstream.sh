#!/usr/bin/env bash
# A 3-node NATS JetStream cluster of Debian's nats-server on 127.0.0.1, for `serve --jetstream`
# and `worker` (docs/scaling.md), the cluster tests and scripts/cluster-demo.sh.
#
#   scripts/jetstream.sh up DIR [BASE_PORT]   start it (store, configs, logs, PIDs in DIR); prints
#                                             the client URLs, comma-separated, as its last line
#   scripts/jetstream.sh down DIR             stop it (by the PIDs in DIR) and remove DIR's store
#   scripts/jetstream.sh kill DIR N           SIGKILL node N (0, 1 or 2)
#   scripts/jetstream.sh start DIR N          start node N again on its old store
#   scripts/jetstream.sh leader DIR STREAM    the node (0, 1 or 2) leading STREAM
#
# Ports, from BASE_PORT (default 4222): clients BASE..BASE+2, routes BASE+3..BASE+5,
# monitoring BASE+6..BASE+8. Node N is named nN.
set -euo pipefail

usage() {
  sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[[ $# -ge 2 ]] || usage
command=$1
dir=$2

# The monitoring port of node $1, from the ports file `up` wrote.
monitor_port() { echo $(($(cat "$dir/base_port") + 6 + $1)); }

# GET a monitoring endpoint of node $1 (python3: curl may not be installed).
monitor_get() {
  python3 - "$(monitor_port "$1")" "$2" <<'EOF'
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}{sys.argv[2]}", timeout=1) as r:
        sys.stdout.write(r.read().decode())
except Exception:
    sys.exit(1)
EOF
}

start_node() {
  local n=$1
  nats-server -c "$dir/n$n.conf" >>"$dir/n$n.log" 2>&1 &
  echo $! >"$dir/n$n.pid"
}

# The meta leader's name once the cluster has elected one, else nothing.
meta_leader() {
  monitor_get "$1" /jsz 2>/dev/null | python3 -c '
import json, sys
try:
    print(json.load(sys.stdin).get("meta_cluster", {}).get("leader", ""))
except Exception:
    pass'
}

up() {
  local base=${3:-4222}
  if [[ -e "$dir/n0.pid" ]]; then
    echo "jetstream.sh: $dir already holds a cluster; run: scripts/jetstream.sh down $dir" >&2
    exit 1
  fi
  mkdir -p "$dir"
  echo "$base" >"$dir/base_port"
  local routes="nats-route://127.0.0.1:$((base + 3)),nats-route://127.0.0.1:$((base + 4)),nats-route://127.0.0.1:$((base + 5))"
  for n in 0 1 2; do
    mkdir -p "$dir/store/n$n"
    cat >"$dir/n$n.conf" <<EOF
server_name: n$n
listen: 127.0.0.1:$((base + n))
http: 127.0.0.1:$((base + 6 + n))
jetstream { store_dir: "$dir/store/n$n" }
cluster {
  name: likematch
  listen: 127.0.0.1:$((base + 3 + n))
  routes: [ ${routes//,/, } ]
}
EOF
    start_node "$n"
  done
  # A fresh cluster elects its meta leader in about a second; 30 s covers a loaded machine.
  for _ in $(seq 300); do
    for n in 0 1 2; do
      if ! kill -0 "$(cat "$dir/n$n.pid")" 2>/dev/null; then
        echo "jetstream.sh: node n$n exited; its log:" >&2
        tail -5 "$dir/n$n.log" >&2
        down
        exit 1
      fi
    done
    if [[ -n $(meta_leader 0) ]]; then
      echo "nats://127.0.0.1:$base,nats://127.0.0.1:$((base + 1)),nats://127.0.0.1:$((base + 2))"
      return
    fi
    sleep 0.1
  done
  echo "jetstream.sh: no JetStream meta leader after 30 s; logs in $dir" >&2
  down
  exit 1
}

down() {
  for n in 0 1 2; do
    if [[ -f "$dir/n$n.pid" ]]; then
      kill "$(cat "$dir/n$n.pid")" 2>/dev/null || true
    fi
  done
  for n in 0 1 2; do
    if [[ -f "$dir/n$n.pid" ]]; then
      local pid
      pid=$(cat "$dir/n$n.pid")
      for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/n$n.pid"
    fi
  done
  rm -rf "$dir/store"
}

# The node whose server leads STREAM (its replicas' leader), from any live node's /jsz.
leader() {
  local stream=$1
  for n in 0 1 2; do
    local name
    name=$(monitor_get "$n" "/jsz?accounts=true&streams=true" 2>/dev/null | python3 -c '
import json, sys
stream = sys.argv[1]
try:
    for account in json.load(sys.stdin).get("account_details", []):
        for s in account.get("stream_detail", []):
            if s.get("name") == stream:
                print(s.get("cluster", {}).get("leader", ""))
except Exception:
    pass' "$stream") || true
    if [[ -n $name ]]; then
      echo "${name#n}"
      return
    fi
  done
  echo "jetstream.sh: no node leads stream $stream" >&2
  exit 1
}

case $command in
  up) up "$@" ;;
  down) down ;;
  kill)
    [[ $# -eq 3 ]] || usage
    kill -9 "$(cat "$dir/n$3.pid")"
    ;;
  start)
    [[ $# -eq 3 ]] || usage
    start_node "$3"
    ;;
  leader)
    [[ $# -eq 3 ]] || usage
    leader "$3"
    ;;
  *) usage ;;
esac
