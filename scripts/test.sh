#!/usr/bin/env bash
# Installs, builds and runs every test (ctest). The one command README gives for tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
