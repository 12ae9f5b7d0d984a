#!/usr/bin/env bash
# Installs what building and testing likematch needs, from Debian's packages.
# Idempotent: packages already present are left alone and apt is not touched.
set -euo pipefail

packages=(
  build-essential cmake
  libcli11-dev libfmt-dev catch2 librange-v3-dev libspdlog-dev libasio-dev
  mandoc python3-yaml clang libclang-rt-14-dev
  libbenchmark-dev libabsl-dev
  nats-server libnats-dev librocksdb-dev pkg-config python3
)

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
