#!/usr/bin/env bash
# Checks `likematch replay` against the reference matcher (`generate --expected`) over many
# seeds, sizes, user counts, shuffles and all four rule variants (all twelve, with the self-like
# rules, on streams with self-likes), feeding each stream both as a file and through a pipe
# (other read sizes, so lines split elsewhere). Run it before every performance commit.
#
#   scripts/crosscheck.sh [--quick] [REFERENCE_BINARY]
#
# With REFERENCE_BINARY (e.g. a build of an older commit), it also damages some streams
# (duplicates, conflicting copies, late events, gaps, malformed lines) and checks that both
# binaries print exactly the same matches, warnings and --stats counters.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
if [[ ${1:-} == --quick ]]; then
  quick=1
  shift
fi
reference=${1:-}
binary=${LIKEMATCH:-build/likematch}  # LIKEMATCH=path checks another build
[[ -x $binary ]] || { echo "crosscheck: build $binary first (scripts/build.sh)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
checks=0

fail() {
  echo "crosscheck: FAIL: $*" >&2
  failures=$((failures + 1))
}

# The rule options of the four variants, one per line.
variants=("" "--once" "--rule latest" "--rule latest --once")
# And of all twelve, for streams with self-likes.
all_variants=()
for self_likes in literal match ignore; do
  for variant in "${variants[@]}"; do
    all_variants+=("$variant --self-like-rule $self_likes")
  done
done

# With a fifth argument "self-likes", the stream has self-likes and all twelve variants are
# checked.
check_stream() {
  local events=$1 users=$2 seed=$3 shuffle=$4 self_likes=${5:-}
  local stream="$work/stream"
  local generate=(generate --events "$events" --users "$users" --seed "$seed" --shuffle "$shuffle")
  local checked=("${variants[@]}")
  if [[ $self_likes == self-likes ]]; then
    generate+=(--self-likes)
    checked=("${all_variants[@]}")
  fi
  $binary "${generate[@]}" >"$stream"
  for variant in "${checked[@]}"; do
    # shellcheck disable=SC2086 # the variant is a list of options
    $binary "${generate[@]}" --expected "$work/expected" $variant >/dev/null
    # shellcheck disable=SC2086
    $binary replay $variant "$stream" >"$work/got" 2>"$work/err" ||
      fail "replay exited $? ($events events, $users users, seed $seed, $shuffle, '$variant')"
    # shellcheck disable=SC2086
    cat "$stream" | $binary replay $variant >"$work/got-pipe" 2>/dev/null || true
    checks=$((checks + 1))
    if ! cmp -s "$work/got" "$work/expected" || ! cmp -s "$work/got-pipe" "$work/expected"; then
      fail "$events events, $users users, seed $seed, shuffle $shuffle, rule '$variant'"
    elif [[ -s $work/err ]]; then
      fail "warnings on a clean stream ($events events, seed $seed): $(head -1 "$work/err")"
    fi
  done
}

# Damages a stream: repeats some lines (duplicates, or late if already decided), changes some
# copies (conflicting), drops some (gaps), breaks some (malformed), ends some with "\r" (fine)
# or "\r\r" (malformed), adds a far-ahead event.
damage() {
  awk -F'|' 'NR % 97 == 0 { print; print; next }
             NR % 89 == 0 { print; print $1 "|" $2 "|" $3 "|" ($4 + 1); next }
             NR % 101 == 0 { next }
             NR % 103 == 0 { print $1 "|LIKE_LOVED|" $3 "|" $4; next }
             NR % 1009 == 0 { print; print $1 "|" $2 "|" $3; next }
             NR % 211 == 0 { print $0 "\r"; next }
             NR % 223 == 0 { print $0 "\r\r"; next }
             { print }
             END { print "18446744073709551615|LIKE_LIKED|1|2" }' "$1"
}

check_damaged() {
  local events=$1 users=$2 seed=$3 shuffle=$4
  local stream="$work/damaged"
  $binary generate --events "$events" --users "$users" --seed "$seed" --shuffle "$shuffle" |
    damage /dev/stdin >"$stream"
  for variant in "${variants[@]}"; do
    for extra in "" "--max-warnings 1000000000"; do  # every warning
      # shellcheck disable=SC2086
      "$reference" replay --stats $variant $extra "$stream" >"$work/ref-out" 2>"$work/ref-err" ||
        true
      # shellcheck disable=SC2086
      $binary replay --stats $variant $extra "$stream" >"$work/out" 2>"$work/err" || true
      # The elapsed time at the end of the --stats line differs from run to run.
      sed -i 's/, [0-9.]* s$//' "$work/ref-err" "$work/err"
      checks=$((checks + 1))
      if ! cmp -s "$work/ref-out" "$work/out" || ! cmp -s "$work/ref-err" "$work/err"; then
        fail "damaged stream differs from $reference ($events events, seed $seed, $shuffle," \
          "'$variant $extra'): $(diff "$work/ref-err" "$work/err" | head -3)"
      fi
    done
  done
}

users_list=(2 3 10 100 1000 10000)
shuffles=(full none window:1 window:7 window:100 window:5000)
seeds=(1 2)
sizes=(10 1000 20000)
if ((quick)); then
  users_list=(2 100 10000)
  shuffles=(full window:100)
  seeds=(1)
  sizes=(10 20000)
fi

# Tiny streams: nothing to reorder, or almost.
for events in 0 1 2 3; do
  for shuffle in full none; do
    check_stream "$events" 2 1 "$shuffle"
  done
done
for events in "${sizes[@]}"; do
  for users in "${users_list[@]}"; do
    for shuffle in "${shuffles[@]}"; do
      for seed in "${seeds[@]}"; do
        check_stream "$events" "$users" "$seed" "$shuffle"
      done
      check_stream "$events" "$users" 3 "$shuffle" self-likes
    done
  done
done
# Larger streams, fewer combinations: long probe chains, ring growth, many matches.
for users in 2 9000 100000; do
  check_stream 300000 "$users" 7 full
done
check_stream 300000 50 8 window:1000
check_stream 300000 9000 9 full self-likes

if [[ -n $reference ]]; then
  for users in 2 50 9000; do
    for shuffle in full none window:50; do
      check_damaged 30000 "$users" 11 "$shuffle"
    done
  done
  # The far-ahead event alone must stay cheap: no allocation for the distance.
  printf '18446744073709551615|LIKE_LIKED|1|2\n' >"$work/far"
  rss=$( (timeout 10 /usr/bin/time -f %M $binary replay "$work/far" 2>&1 >/dev/null || true) | tail -1)
  checks=$((checks + 1))
  [[ $rss =~ ^[0-9]+$ ]] && ((rss < 20000)) || fail "one far-ahead event: $rss (KB, within 10 s)"
fi

echo "crosscheck: $checks checks, $failures failures" >&2
((failures == 0))
