#!/usr/bin/env bash
# Builds the whole project with AddressSanitizer and UBSan into build-asan/ and runs every
# test there: any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Warnings are gated by the Release build (scripts/build.sh). With the sanitizers'
# instrumentation, g++ 12 reports false positives inside the headers of libstdc++ and Asio
# (maybe-uninitialized in <regex>, mismatched-new-delete in Asio's coroutine frames), so this
# build never treats warnings as errors.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIKEMATCH_SANITIZE=ON \
  -DLIKEMATCH_WERROR=OFF >/dev/null
cmake --build build-asan -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The cluster suite (label `cluster`) runs here too: serve --jetstream and workers, instrumented,
# against a real nats-server cluster. (It once seemed to hang here: the workers had stopped at a
# broken invariant of the partition's decider, since fixed, and each test waited out its bounds.)
# Left to the Release suite: one test whose outcome, at the sanitizers' pace, falls into the
# window docs/protocol.md ("Sessions") calls ambiguous: a run given up before its listener came,
# then at once a new run whose listener connects first; when that listener arrives within 0.5 s
# of the abandoned session's end, serve takes it as that session's listener (seen here about
# one run in three under ASan, never in Release). Still to be understood: why only here.
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" \
  -E '^runs that fail in every way, then a good one, in every listener order$'
