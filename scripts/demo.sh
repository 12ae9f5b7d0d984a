#!/usr/bin/env bash
# Installs, builds and runs the main job: `likematch demo`, the server and the emulated
# harness in one process, one session of the harness's default size (1,000,000 events,
# 9,000 users), every match number checked against the reference matcher. Options are passed
# on (--events, --users, --seed). The one command README gives for it.
# Only what the binary needs is installed and built; one line per phase says what is going on,
# and the build's own output goes to build/demo-build.log (shown if it fails).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "demo: $*" >&2; }

say "[1/3] installing the build dependencies (Debian packages; nothing to do if present)"
scripts/install-deps.sh --binary

mkdir -p build
log=build/demo-build.log
say "[2/3] building build/likematch (Release; a few minutes the first time, output in $log)"
# On a terminal, the build's own counter ("[ 83%]" from make, "[12/55]" from ninja) is shown
# in place on one line.
progress() {
  local line
  while IFS= read -r line; do
    if [[ -t 2 && $line =~ ^\[\ *([0-9]+%|[0-9]+/[0-9]+)\] ]]; then
      printf '\r      %s ' "${BASH_REMATCH[1]}" >&2
    fi
  done
  [[ -t 2 ]] && printf '\r\033[K' >&2
  return 0
}
if ! scripts/build.sh --binary 2>&1 | tee "$log" | progress; then
  tail -n 40 "$log" >&2
  say "the build failed; its whole output is in $log"
  exit 1
fi

say "[3/3] build/likematch demo${*:+ $*}"
exec build/likematch demo "$@"
