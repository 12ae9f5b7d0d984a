#!/usr/bin/env bash
# Installs the dependencies and builds likematch (Release) into build/. LIKEMATCH_WERROR=ON
# (CI sets it) makes every compiler warning an error.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLIKEMATCH_WERROR="${LIKEMATCH_WERROR:-OFF}" >/dev/null
cmake --build build -j "$(nproc)"
