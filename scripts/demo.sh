#!/usr/bin/env bash
# Installs, builds and runs the main job: one harness-sized session (1,000,000 events,
# 9,000 users), checked against the reference matcher. The one command README gives for it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build/likematch generate --events 1000000 --users 9000 --seed 1 --expected "$work/expected" \
  >"$work/events"
build/likematch replay --stats "$work/events" >"$work/matches"
if cmp -s "$work/matches" "$work/expected"; then
  echo "MATCH END - OK ($(wc -l <"$work/matches") matches, equal to the reference)"
else
  echo "MATCH END - ERROR (replay differs from the reference)" >&2
  exit 1
fi
