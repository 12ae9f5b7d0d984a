#!/usr/bin/env bash
# Installs what likematch needs, from Debian's packages:
#   scripts/install-deps.sh            everything: the binary, the tests, the benchmarks
#   scripts/install-deps.sh --binary   only what building build/likematch needs (scripts/demo.sh)
#   scripts/install-deps.sh --binaries what building likematch and likematch-cluster needs (the
#                                      .deb, the Dockerfile)
#   scripts/install-deps.sh --package  what checking the .deb needs (scripts/check-package.sh)
# Idempotent: packages already present are left alone and apt is not touched.
set -euo pipefail

binary=(build-essential cmake libcli11-dev libfmt-dev librange-v3-dev libspdlog-dev libasio-dev)
# likematch-cluster's libraries (worker, serve --jetstream); build/likematch links none of them.
cluster=(pkg-config libnats-dev librocksdb-dev)
# The suite (Catch2; mandoc and groff render the man page; PyYAML reads the compose file), the
# sanitizer and fuzzing builds (clang), the component benchmarks, the cluster tests' JetStream
# servers (scripts/jetstream.sh, which python3 helps ask them whether they are ready).
tests=(catch2 mandoc groff-base python3-yaml clang libclang-rt-14-dev libbenchmark-dev libabsl-dev
  nats-server python3)
package=(lintian man-db)

case ${1:-} in
  --binary) packages=("${binary[@]}") ;;
  --binaries) packages=("${binary[@]}" "${cluster[@]}") ;;
  --package) packages=("${package[@]}") ;;
  "") packages=("${binary[@]}" "${cluster[@]}" "${tests[@]}") ;;
  *)
    echo "usage: scripts/install-deps.sh [--binary | --binaries | --package]" >&2
    exit 2
    ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
