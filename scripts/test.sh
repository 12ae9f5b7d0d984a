#!/usr/bin/env bash
# Every test: installs, builds, runs the suite (ctest), the same suite under AddressSanitizer
# and UBSan, and a short fuzz run of the engine against the reference matcher.
# The one command README gives for tests. `scripts/test.sh --quick` runs the first part only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
if [[ ${1:-} == --quick ]]; then
  exit 0
fi
echo "== the suite under AddressSanitizer and UBSan"
scripts/sanitize.sh
echo "== fuzzing the engine against the reference matcher"
scripts/fuzz.sh "${LIKEMATCH_FUZZ_SECONDS:-120}"
