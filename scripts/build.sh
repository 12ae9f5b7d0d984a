#!/usr/bin/env bash
# Installs the dependencies and builds likematch (Release) into build/:
#   scripts/build.sh            everything: the binary, the tests, the benchmarks (scripts/test.sh)
#   scripts/build.sh --binary   only build/likematch and what it needs (scripts/demo.sh, Dockerfile)
# LIKEMATCH_WERROR=ON (CI sets it) makes every compiler warning an error.
set -euo pipefail
cd "$(dirname "$0")/.."
case ${1:-} in
  --binary) everything=OFF targets=(--target likematch) ;;
  "") everything=ON targets=() ;;
  *)
    echo "usage: scripts/build.sh [--binary]" >&2
    exit 2
    ;;
esac
scripts/install-deps.sh ${1:+"$1"}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLIKEMATCH_WERROR="${LIKEMATCH_WERROR:-OFF}" \
  -DLIKEMATCH_BUILD_TESTS="$everything" -DLIKEMATCH_BUILD_BENCH="$everything" >/dev/null
cmake --build build -j "$(nproc)" "${targets[@]}"
