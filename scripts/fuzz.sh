#!/usr/bin/env bash
# Fuzzes the parser and the streaming engine against the reference matcher (libFuzzer,
# ASan, UBSan). Usage: scripts/fuzz.sh [SECONDS]  (default 120; CI runs the default).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
scripts/install-deps.sh
CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIKEMATCH_FUZZ=ON \
  >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target engine_fuzzer
# The seed corpus: every golden input, behind a byte of rules (8 and 16: the self-like rules
# match and ignore) and a byte of chunking.
corpus=build-fuzz/corpus
mkdir -p "$corpus"
for f in testdata/*.events testdata/bad/*.events; do
  [[ -f $f ]] || continue
  for rules in 0 1 2 3 4 8 16; do
    { printf "\\x$(printf %02x "$rules")\\x07"; cat "$f"; } >"$corpus/$(basename "$f").$rules"
  done
done
build-fuzz/engine_fuzzer -artifact_prefix=build-fuzz/ -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
  "$corpus" 2>&1 | tail -n 25
