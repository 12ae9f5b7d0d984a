#!/usr/bin/env bash
# The layers of ARCHITECTURE.md, enforced: a source may include only what lies below it.
#   scripts/check-includes.sh [ROOT]    prints every forbidden include and exits 1 if any
#   scripts/check-includes.sh --self-test    shows that a forbidden include is caught
# ctest runs both (include_rules, include_rules_self_test).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [[ ${1:-} == --self-test ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp -r "$here/core" "$here/io" "$work/"
  "$0" "$work" >/dev/null || { echo "self-test: the tree itself breaks the rules" >&2; exit 1; }
  for plant in 'core/engine/input/event.hpp:#include "io/server.hpp"' \
               'core/engine/input/event.hpp:#include <spdlog/spdlog.h>' \
               'core/engine/engine.cpp:#include "core/session/session_hub.hpp"' \
               'core/engine/input/event.hpp:#include <range/v3/view/transform.hpp>' \
               'io/server.cpp:#include "core/engine/engine.hpp"' \
               'io/server.cpp:#include <spdlog/spdlog.h>' \
               'core/engine/memory/mix.hpp:#include "core/engine/input/event.hpp"' \
               'core/engine/input/event.hpp:#include "core/engine/order/reorder_buffer.hpp"' \
               'core/engine/order/ring_slots.hpp:#include "core/engine/engine.hpp"' \
               'core/engine/match/matcher.hpp:#include "core/engine/order/reorder_buffer.hpp"' \
               'core/engine/match/matcher.hpp:#include "core/engine/engine.hpp"'; do
    file=${plant%%:*}
    cp "$here/$file" "$work/$file"
    echo "${plant#*:}" >>"$work/$file"
    if "$0" "$work" >/dev/null; then
      echo "self-test: '${plant#*:}' in $file was not caught" >&2
      exit 1
    fi
    cp "$here/$file" "$work/$file"
  done
  echo "include rules: every planted forbidden include was caught"
  exit 0
fi

cd "${1:-$here}"
status=0
# forbid FOLDER PATTERN WHY: no source in FOLDER includes a header matching PATTERN.
forbid() {
  local folder=$1 pattern=$2 why=$3 found
  [[ -d $folder ]] || return 0
  found=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$folder" \
            --include='*.hpp' --include='*.cpp' || true)
  if [[ -n $found ]]; then
    while IFS= read -r line; do
      echo "$line: $why"
    done <<<"$found"
    status=1
  fi
}
forbid core 'io/|cli/|asio|spdlog|CLI/' "core/ knows no sockets, files, logging or flags"
forbid core/engine 'core/(rules|session|harness|cluster)/' "the engine is core's bottom floor"
forbid core/engine 'range/' "range-v3 reads well off the hot path, never on it"
# The engine's floors, bottom up: memory, input, match, order, the engine.
forbid core/engine/memory 'core/engine/(input|order|match|engine|stats|warning)' "memory is the engine's bottom floor"
forbid core/engine/input 'core/engine/(order|match|engine|stats|warning)' "input stands on memory alone"
forbid core/engine/match 'core/engine/(order|engine|stats|warning)' "match knows no arrival order"
forbid core/engine/order 'core/engine/(engine|stats|warning)' "order knows not the engine above it"
forbid core/rules 'core/(session|harness)/' "the rules sit below the session"
forbid core/harness 'core/(rules|session)/' "the harness floor stands on the engine alone"
forbid core/cluster 'core/(rules|session|harness)/' "the cluster floor stands on the engine alone"
forbid io 'core/|cli/|CLI/' "io/ moves bytes and knows no rules"
forbid io 'spdlog' "io/ logs nothing: it reports typed events (ServerEvent) that cli/ words"
exit $status
