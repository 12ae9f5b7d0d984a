#!/usr/bin/env bash
# Installs the dependencies and builds likematch (Release) into build/:
#   scripts/build.sh            everything: the binary, the tests, the benchmarks (scripts/test.sh)
#   scripts/build.sh --binary   only build/likematch and what it needs (scripts/demo.sh): no
#                               cluster library (libnats, RocksDB) is needed
#   scripts/build.sh --binaries build/likematch and build/likematch-cluster, which runs worker
#                               and serve --jetstream for it: what the .deb ships (Dockerfile)
# LIKEMATCH_WERROR=ON (CI sets it) makes every compiler warning an error.
set -euo pipefail
cd "$(dirname "$0")/.."
case ${1:-} in
  --binary) everything=OFF cluster=OFF targets=(--target likematch) ;;
  --binaries) everything=OFF cluster=ON targets=(--target likematch likematch-cluster) ;;
  "") everything=ON cluster=ON targets=() ;;
  *)
    echo "usage: scripts/build.sh [--binary | --binaries]" >&2
    exit 2
    ;;
esac
scripts/install-deps.sh ${1:+"$1"}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLIKEMATCH_WERROR="${LIKEMATCH_WERROR:-OFF}" \
  -DLIKEMATCH_BUILD_TESTS="$everything" -DLIKEMATCH_BUILD_BENCH="$everything" \
  -DLIKEMATCH_CLUSTER="$cluster" >/dev/null
cmake --build build -j "$(nproc)" "${targets[@]}"
