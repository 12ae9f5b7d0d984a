#!/usr/bin/env bash
# Runs every example of README.md as written, the way a user would right after
# scripts/demo.sh: each ```sh block, in order, in one bash shell that stops at the first
# failing command (set -euo pipefail), with a time limit. The block that gives the two
# commands (scripts/demo.sh, scripts/test.sh) is left out: CI runs those itself.
# The shell works in a scratch directory that stands for the repository's top level (every
# top-level entry linked there, `build` to BUILD_DIR), so the files the examples write
# (events.txt, ...) land in the scratch directory, not in the checkout.
#   scripts/check-readme-examples.sh [BUILD_DIR]   (default: build; ctest passes its own)
#   scripts/check-readme-examples.sh --self-test [BUILD_DIR]   shows that a failing example
#                                                             fails the check
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# examples README: the sh blocks of README, one after the other.
examples() {
  /usr/bin/python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for block in re.findall(r"^```sh\n(.*?)^```$", text, re.S | re.M):
    if "scripts/demo.sh" in block and "scripts/test.sh" in block:
        continue  # the two commands
    print(block, end="")
PY
}

# run README BUILD_DIR: runs README's examples; fails as the first failing one does.
run() {
  local readme=$1 build_dir=$2 scratch status=0
  scratch=$(mktemp -d)
  for entry in "$root"/* "$root"/.[!.]*; do
    [[ -e $entry && $(basename "$entry") != build ]] && ln -s "$entry" "$scratch/"
  done
  ln -s "$build_dir" "$scratch/build"
  examples "$readme" >"$scratch/examples.sh"
  if [[ ! -s $scratch/examples.sh ]]; then
    echo "check-readme-examples: no sh example in $readme" >&2
    rm -rf "$scratch"
    return 1
  fi
  (cd "$scratch" && timeout 300 bash -xeuo pipefail examples.sh >"$scratch/out" 2>&1) || status=$?
  if ((status != 0)); then
    tail -n 30 "$scratch/out" >&2
    echo "check-readme-examples: an example of $readme failed (status $status)" >&2
  fi
  rm -rf "$scratch"
  return "$status"
}

if [[ ${1:-} == --self-test ]]; then
  build_dir=$(cd "${2:-build}" && pwd)
  bad=$(mktemp)
  trap 'rm -f "$bad"' EXIT
  sed 's/likematch replay testdata\/example.events /likematch replay testdata\/no-such.events /' \
    README.md >"$bad"
  cmp -s README.md "$bad" && { echo "check-readme-examples: self-test changed nothing" >&2; exit 1; }
  if run "$bad" "$build_dir" 2>/dev/null; then
    echo "check-readme-examples: self-test: an example reading a missing file passed" >&2
    exit 1
  fi
  echo "check-readme-examples: self-test OK"
  exit 0
fi

build_dir=$(cd "${1:-build}" && pwd)
[[ -x $build_dir/likematch ]] || { echo "check-readme-examples: no $build_dir/likematch (scripts/demo.sh builds it)" >&2; exit 2; }
run README.md "$build_dir"
echo "check-readme-examples: OK"
