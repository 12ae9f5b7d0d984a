#!/usr/bin/env bash
# The benchmark suite: builds what it needs (Release), generates its inputs with
# `likematch generate` (fixed seeds), measures likematch replay side by side with the
# baselines and the floor, and writes bench/results.md and bench/time_per_event.svg.
# See bench/README.md for what each figure means. About 10-15 minutes on 2 cores.
#
#   bench/run.sh            everything
#   bench/run.sh --quick    3 runs, no 10M inputs, no callgrind: a smoke test of the script
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
if [[ ${1:-} == --quick ]]; then
  quick=1
fi
runs=5  # timed runs per figure, after one warm-up; the median is reported
if ((quick)); then
  runs=3
fi

# --- what the suite needs, installed only if missing (like scripts/install-deps.sh) --------
need=(gnuplot-nox valgrind time bc)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} != 0)); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "bench: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
scripts/install-deps.sh

echo "bench: building (Release)" >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLIKEMATCH_BUILD_BENCH=ON >/dev/null
cmake --build build -j 2 --target likematch naive_baseline parse_floor >/dev/null
likematch=$root/build/likematch
naive=$root/build/bench/naive_baseline
floor=$root/build/bench/parse_floor

out=$root/bench/out  # inputs and raw figures; not committed
mkdir -p "$out"

# --- inputs --------------------------------------------------------------------------------
# input EVENTS USERS SHUFFLE: prints the path of that generated stream, making it if needed.
input() {
  local path="$out/events-$1-$2-${3/:/}.txt"
  if [[ ! -s $path ]]; then
    echo "bench: generating $1 events, $2 users, shuffle $3" >&2
    "$likematch" generate --events "$1" --users "$2" --seed 1 --shuffle "$3" >"$path.tmp"
    mv "$path.tmp" "$path"
  fi
  echo "$path"
}

# --- measuring -----------------------------------------------------------------------------
# measure LABEL COMMAND...: one warm-up, then $runs timed runs of COMMAND (stdout discarded).
# Sets m_seconds (median wall time) and m_rss (median peak RSS in KiB, from getrusage via
# /usr/bin/time; for a pipeline, the largest of its processes).
measure() {
  local label=$1
  shift
  local times=() sizes=() t0 t1
  "$@" >/dev/null 2>&1
  for ((i = 0; i < runs; i++)); do
    t0=$EPOCHREALTIME
    /usr/bin/time -f %M -o "$out/rss" "$@" >/dev/null 2>&1
    t1=$EPOCHREALTIME
    times+=("$(bc <<<"$t1 - $t0")")
    sizes+=("$(tail -1 "$out/rss")")
  done
  m_seconds=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  m_rss=$(printf '%s\n' "${sizes[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf 'bench: %-40s %8.3f s  %8d KiB  (runs: %s)\n' "$label" "$m_seconds" "$m_rss" \
    "${times[*]}" >&2
}

# The baseline "shell" for rule `ever`: sort by sequence number, then remember every like.
shell_baseline() {
  LC_ALL=C sort -t'|' -k1,1n "$1" |
    awk -F'|' '$2 == "LIKE_LIKED" { if (($4 SUBSEP $3) in liked) print $1; liked[$3 SUBSEP $4] = 1 }'
}
export -f shell_baseline

replay() { "$likematch" replay "$1"; }

check_same() {
  local file=$1
  "$likematch" replay "$file" >"$out/likematch.out"
  "$naive" "$file" >"$out/naive.out"
  bash -c 'shell_baseline "$1"' _ "$file" >"$out/shell.out"
  if ! cmp -s "$out/likematch.out" "$out/naive.out" || ! cmp -s "$out/likematch.out" "$out/shell.out"; then
    echo "bench: FAIL: the baselines and likematch disagree on $file" >&2
    exit 1
  fi
  echo "bench: $(wc -l <"$out/likematch.out") matches, baselines agree ($file)" >&2
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
per_event_ns() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.0f", s * 1e9 / n }'; }
events_per_s() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f M", n / s / 1e6 }'; }

# --- 1. replay side by side ----------------------------------------------------------------
# main_row SIZE NAME SECONDS RSS_KIB, against $lm_s and $events
main_row() {
  main_rows+=("| $1 | $2 | $(printf '%.3f' "$3") | $(events_per_s "$3" "$events") | $(($4 / 1024)) | $(ratio "$3" "$lm_s") |")
}

sizes=("1000000 9000")
((quick)) || sizes+=("10000000 90000")
main_rows=()
main_ratios=()
: >"$out/time_per_event.dat"
declare -A replay_seconds
for size in "100000 900" "${sizes[@]}"; do
  read -r events users <<<"$size"
  file=$(input "$events" "$users" full)
  cat "$file" >/dev/null  # into the page cache
  check_same "$file"
  measure "likematch replay $events" "$likematch" replay "$file"
  lm_s=$m_seconds lm_rss=$m_rss
  replay_seconds[$events]=$lm_s
  measure "naive C++ $events" "$naive" "$file"
  naive_s=$m_seconds naive_rss=$m_rss
  measure "sort | awk $events" bash -c 'shell_baseline "$1"' _ "$file"
  shell_s=$m_seconds shell_rss=$m_rss
  measure "parse only $events" "$floor" "$file"
  floor_s=$m_seconds floor_rss=$m_rss
  printf '%s %s %s %s %s\n' "$events" "$(per_event_ns "$lm_s" "$events")" \
    "$(per_event_ns "$naive_s" "$events")" "$(per_event_ns "$shell_s" "$events")" \
    "$(per_event_ns "$floor_s" "$events")" >>"$out/time_per_event.dat"
  if ((events < 1000000)); then
    continue  # only a point of the plot
  fi
  main_row "$events / $users" "likematch replay" "$lm_s" "$lm_rss"
  main_row "$events / $users" "naive C++ (baseline)" "$naive_s" "$naive_rss"
  main_row "$events / $users" "sort \\| awk (baseline)" "$shell_s" "$shell_rss"
  main_row "$events / $users" "parse only (floor)" "$floor_s" "$floor_rss"
  main_ratios+=("| $events | $(ratio "$shell_s" "$lm_s") | $(ratio "$naive_s" "$lm_s") | $(ratio "$lm_s" "$floor_s") |")
done

# --- 2. instructions per event -------------------------------------------------------------
callgrind="(skipped: --quick)"
if ((!quick)); then
  echo "bench: callgrind, replay of 1M events" >&2
  file=$(input 1000000 9000 full)
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" "$likematch" replay "$file" \
    >/dev/null 2>"$out/callgrind.log"
  instructions=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/callgrind.log")
  callgrind="$(awk -v i="$instructions" 'BEGIN { printf "%.0f", i / 1e6 }') instructions per event ($instructions for 1,000,000 events)"
fi

# --- 3. serve, end to end ------------------------------------------------------------------
# TODO(serve): `likematch harness` against `likematch serve` (1M events, seconds from the
# source's connection to MATCH END - OK) and against a drain-only server built in bench/
# (reads the source without parsing, sends a precomputed match list after EVENT END), and
# their ratio. Waits for `likematch serve` and `likematch harness` in main.

# --- 4. growth -----------------------------------------------------------------------------
# grow LABEL EVENTS USERS SHUFFLE: replay time per event and the largest reorder depth.
growth_rows=()
grow() {
  local file
  file=$(input "$2" "$3" "$4")
  cat "$file" >/dev/null
  measure "growth $1" "$likematch" replay "$file"
  local depth
  depth=$("$likematch" replay --stats "$file" 2>&1 >/dev/null | sed -n 's/.*largest reorder depth \([0-9]*\).*/\1/p')
  growth_rows+=("| $1 | $2 | $3 | $4 | $(printf '%.3f' "$m_seconds") | $(per_event_ns "$m_seconds" "$2") | $((m_rss / 1024)) | $depth |")
  g_rss=$m_rss g_depth=$depth
}
event_sizes=("100000 900" "1000000 9000")
((quick)) || event_sizes+=("10000000 90000")
for size in "${event_sizes[@]}"; do
  read -r events users <<<"$size"
  grow "events" "$events" "$users" full
done
for users in 100 9000 1000000; do
  grow "users" 1000000 "$users" full
done
for shuffle in none window:100 full; do
  grow "disorder" 1000000 9000 "$shuffle"
done

# Memory per buffered event: the same events in order (nothing buffered) against fully
# shuffled; the difference is what buffering cost, over the largest reorder depth.
memory_rows=()
for size in "${event_sizes[@]:1}"; do
  read -r events users <<<"$size"
  grow "memory, in order" "$events" "$users" none
  none_rss=$g_rss
  grow "memory, shuffled" "$events" "$users" full
  memory_rows+=("| $events | $((none_rss / 1024)) | $((g_rss / 1024)) | $g_depth | $(awk -v a="$g_rss" -v b="$none_rss" -v d="$g_depth" 'BEGIN { printf "%.1f", (a - b) * 1024 / d }') |")
done

linear="(skipped: --quick)"
if ((!quick)); then
  linear="$(ratio "${replay_seconds[10000000]}" "${replay_seconds[1000000]}")x (10M against 1M; 10x is linear)"
fi

plot=$root/bench/time_per_event.svg
((quick)) && plot=$out/time_per_event.svg
# --- 5. the plot ---------------------------------------------------------------------------
gnuplot <<EOF
set terminal svg size 720,440 font "sans,12"
set output "$plot"
set title "Time per event, fully shuffled input (median of $runs runs)"
set xlabel "events (users = events / 111)"
set ylabel "nanoseconds per event"
set logscale xy
set key top left
set grid
plot "$out/time_per_event.dat" using 1:4 with linespoints title "sort | awk (baseline)", \
     "" using 1:3 with linespoints title "naive C++ (baseline)", \
     "" using 1:2 with linespoints lw 2 title "likematch replay", \
     "" using 1:5 with linespoints dt 2 title "parse only (floor)"
EOF

# --- results.md ----------------------------------------------------------------------------
machine="$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- core io cli || echo ' (with local changes)')."
  echo "Machine: $machine; $(g++ --version | head -1); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "The machine is shared: the same-run ratios count, not the absolute seconds. Median of"
  echo "$runs runs after a warm-up. See bench/README.md for what each column means."
  echo
  echo "## 1. replay, fully shuffled input"
  echo
  echo "| events / users | program | seconds | events/s | peak RSS MiB | x likematch |"
  echo "|---|---|---:|---:|---:|---:|"
  printf '%s\n' "${main_rows[@]}"
  echo
  echo "| events | sort \\| awk / likematch | naive C++ / likematch | likematch / parse only |"
  echo "|---:|---:|---:|---:|"
  printf '%s\n' "${main_ratios[@]}"
  echo
  echo "Targets: at least 30x and 8x faster than the baselines, within 2x of parse only."
  echo
  echo "## 2. Instructions (callgrind)"
  echo
  echo "replay of the 1M file: $callgrind."
  echo
  echo "## 3. serve"
  echo
  echo "Not measured yet: waits for \`likematch serve\` (see bench/README.md)."
  echo
  echo "## 4. Growth (likematch replay)"
  echo
  echo "| series | events | users | disorder | seconds | ns/event | peak RSS MiB | largest reorder depth |"
  echo "|---|---:|---:|---|---:|---:|---:|---:|"
  printf '%s\n' "${growth_rows[@]}"
  echo
  echo "10M against 1M: $linear. Target: within 11x."
  echo
  echo "Memory per buffered event: (peak RSS shuffled - peak RSS in order) / largest depth."
  echo
  echo "| events | in order MiB | shuffled MiB | largest depth | bytes per buffered event |"
  echo "|---:|---:|---:|---:|---:|"
  printf '%s\n' "${memory_rows[@]}"
  echo
  echo "Target: at most 24 bytes per buffered event."
  echo
  echo "## 5. Plot"
  echo
  echo "![time per event](time_per_event.svg)"
} >"$root/bench/results.new.md"
if ((quick)); then
  mv "$root/bench/results.new.md" "$out/results.quick.md"
  echo "bench: wrote bench/out/results.quick.md (--quick does not replace results.md)" >&2
else
  # Keep the hand-written history (before/after figures) below the generated part.
  history=""
  if [[ -f $root/bench/results.md ]]; then
    history=$(sed -n '/^## History/,$p' "$root/bench/results.md")
  fi
  { cat "$root/bench/results.new.md"; [[ -n $history ]] && printf '\n%s\n' "$history"; } \
    >"$root/bench/results.md"
  rm "$root/bench/results.new.md"
  echo "bench: wrote bench/results.md and bench/time_per_event.svg" >&2
fi
