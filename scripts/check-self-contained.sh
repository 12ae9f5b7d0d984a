#!/usr/bin/env bash
# Fails if a tracked file names a document outside the repository: a clone has only the
# repository, so the protocol is described in docs/protocol.md and everything points there.
# Run from the repository's top level (ctest runs it as self_contained_docs).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "check-self-contained: not a git checkout, nothing to check" >&2
  exit 77 # ctest: skipped
fi

# Fixed strings, case-sensitive (docs/protocol.md, lower case, is ours). Spelled in pieces so
# that this file does not contain them itself and is checked like any other.
outside=shared
upper=PROTOCOL
seed=seed
challenge=challenge
patterns=("../$outside" "$outside/$upper" "$seed/$challenge" "$upper.md")
args=()
for p in "${patterns[@]}"; do
  args+=(-e "$p")
done

# Tracked files as they are in the working tree. A tracked file deleted in the working tree
# names nothing.
found=$(git ls-files -z |
  xargs -0 -r grep -H -n -I -F -s "${args[@]}" -- || true)

if [[ -n $found ]]; then
  echo "check-self-contained: these lines point outside the repository (use docs/protocol.md):" >&2
  echo "$found" >&2
  exit 1
fi
echo "check-self-contained: OK"
