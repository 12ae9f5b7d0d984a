#!/usr/bin/env bash
# Installs, builds and runs the main job: `likematch demo`, the server and the emulated
# harness in one process, one session of the harness's default size (1,000,000 events,
# 9,000 users), every match number checked against the reference matcher. Options are passed
# on (--events, --users, --seed). The one command README gives for it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
exec build/likematch demo "$@"
