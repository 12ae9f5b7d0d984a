#!/usr/bin/env bash
# Checks that a likematch binary needs none of the cluster's libraries (librocksdb, libnats,
# libssl, libcrypto) from the dynamic loader: those load, and cost every command line their
# relocations, only in likematch-cluster (cli/cluster_exec.hpp). --self-test: the check
# flags likematch-cluster, which does need them.
#   scripts/check-loaded-libraries.sh BINARY
#   scripts/check-loaded-libraries.sh --self-test LIKEMATCH_CLUSTER
set -euo pipefail
cluster_libraries='^(librocksdb|libnats|libssl|libcrypto)\.'

# The cluster libraries the ELF file $1 needs, one a line: its own NEEDED entries, and those
# that come with them (libssl and libcrypto come with libnats), as the loader resolves them.
cluster_needed() {
  {
    readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
    ldd "$1" | awk '{ print $1 }'
  } | grep -E "$cluster_libraries" | sort -u || true
}

if [[ ${1:-} == --self-test ]]; then
  if [[ -z $(cluster_needed "$2") ]]; then
    echo "check-loaded-libraries: self-test: $2 needs no cluster library, the check found none" >&2
    exit 1
  fi
  echo "check-loaded-libraries: self-test: the check flags $2"
  exit 0
fi
found=$(cluster_needed "$1")
if [[ -n $found ]]; then
  echo "check-loaded-libraries: $1 needs cluster libraries (they belong in likematch-cluster):" >&2
  echo "$found" >&2
  exit 1
fi
echo "check-loaded-libraries: $1 needs no cluster library"
