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
cmake --build build -j 2 --target likematch naive_baseline parse_floor drain_server tail_driver \
  >/dev/null
likematch=$root/build/likematch
naive=$root/build/bench/naive_baseline
floor=$root/build/bench/parse_floor
tail_driver=$root/build/bench/tail_driver

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
declare -A replay_seconds floor_seconds naive_seconds
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
  floor_seconds[$events]=$floor_s
  naive_seconds[$events]=$naive_s
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
# `likematch harness` (1M events, 9,000 users, seed 1, fully shuffled) against
# `likematch serve`, and against the drain-only floor (bench/drain_server.cpp: reads the
# source without parsing, sends the precomputed match list after EVENT END). The figure is
# the harness's own: seconds from the source's connection to MATCH END - OK.
# Ports from this shell's pid, so that two runs on one machine do not collide.
base_port=$((20000 + $$ % 10000 * 4))
servers=()
trap 'for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT

# harness_time LABEL SOURCE_PORT LISTENER_PORT: one warm-up, then $runs runs; sets h_seconds.
harness_time() {
  local label=$1 times=() t
  for ((i = 0; i <= runs; i++)); do
    t=$("$likematch" harness --events 1000000 --users 9000 --seed 1 --source-port "$2" \
      --listener-port "$3" --connect-timeout 20 --log-level warn 2>&1 |
      sed -n 's/^time to MATCH END - OK: \([0-9.]*\) s.*/\1/p')
    if [[ -z $t ]]; then
      echo "bench: FAIL: the harness did not get MATCH END - OK from $label" >&2
      exit 1
    fi
    ((i == 0)) || times+=("$t")
  done
  h_seconds=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf 'bench: %-40s %8.3f s  (runs: %s)\n' "$label" "$h_seconds" "${times[*]}" >&2
}

expected_1m=$out/expected-1000000-9000-full.txt
if [[ ! -s $expected_1m ]]; then
  "$likematch" generate --events 1000000 --users 9000 --seed 1 --expected "$expected_1m" \
    >/dev/null
fi
"$likematch" serve --source-port "$base_port" --listener-port "$((base_port + 1))" \
  --log-level warn 2>"$out/serve.log" &
servers+=($!)
"$root/build/bench/drain_server" "$((base_port + 2))" "$((base_port + 3))" "$expected_1m" &
servers+=($!)
harness_time "harness against likematch serve" "$base_port" "$((base_port + 1))"
serve_s=$h_seconds
harness_time "harness against the drain-only floor" "$((base_port + 2))" "$((base_port + 3))"
drain_s=$h_seconds
for pid in "${servers[@]}"; do
  kill "$pid" 2>/dev/null || true
done
servers=()

# --- 3b. the tail ---------------------------------------------------------------------------
# From the end of the input to the last match written (the tail): the 1M fully shuffled
# stream is sent without the line of sequence number 1, then, after a pause in which the
# program reads and buffers everything, that line (bench/tail_driver.cpp). Measured from
# outside (the last write to the read of the last expected number) for serve and for replay
# reading a pipe, and from inside by serve's own summary (input_end_to_last_match_ms).
tail_pause_ms=1000
spread() { sed -n "s/^$1 ms: min \([0-9.]*\) median \([0-9.]*\) max \([0-9.]*\)$/\1 \2 \3/p"; }
# A line of the table: min / median / max, as "MED (MIN-MAX)".
spread_text() { awk '{ printf "%.1f (%.1f-%.1f)", $2, $1, $3 }' <<<"$1"; }
file=$(input 1000000 9000 full)
tail_expected=$("$likematch" replay "$file" | wc -l)
echo "bench: the tail, $runs runs after a warm-up ($tail_expected matches)" >&2
"$likematch" serve --source-port "$((base_port + 4))" --listener-port "$((base_port + 5))" \
  --log-level warn --summary-json "$out/tail-summaries.jsonl" 2>"$out/tail-serve.log" &
servers+=($!)
: >"$out/tail-summaries.jsonl"
"$tail_driver" serve "$((base_port + 4))" "$((base_port + 5))" "$file" "$tail_expected" 1 \
  "$tail_pause_ms" >/dev/null
"$tail_driver" serve "$((base_port + 4))" "$((base_port + 5))" "$file" "$tail_expected" "$runs" \
  "$tail_pause_ms" >"$out/tail-serve.txt"
sleep 1  # the last session's summary
kill "${servers[@]}" 2>/dev/null || true
servers=()
tail_serve=$(spread tail <"$out/tail-serve.txt")
# serve's own figure, for the same sessions (the warm-up's is the first line).
tail_serve_inside=$(sed -n 's/.*"input_end_to_last_match_ms":\([0-9.]*\).*/\1/p' \
  "$out/tail-summaries.jsonl" | tail -n +2 | sort -g |
  awk '{a[NR]=$1} END {printf "%s %s %s", a[1], a[int((NR+1)/2)], a[NR]}')
"$tail_driver" pipe "$file" "$tail_expected" 1 "$tail_pause_ms" "$likematch" replay - >/dev/null
"$tail_driver" pipe "$file" "$tail_expected" "$runs" "$tail_pause_ms" "$likematch" replay - \
  >"$out/tail-pipe.txt"
tail_pipe=$(spread tail <"$out/tail-pipe.txt")
tail_pipe_exit=$(spread exit <"$out/tail-pipe.txt")
printf 'bench: tail serve (outside) %s ms, (serve\x27s summary) %s ms, replay | %s ms, to exit %s ms\n' \
  "$(spread_text "$tail_serve")" "$(spread_text "$tail_serve_inside")" \
  "$(spread_text "$tail_pipe")" "$(spread_text "$tail_pipe_exit")" >&2

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
linear_short="(skipped)"
if ((!quick)); then
  linear_short="$(ratio "${replay_seconds[10000000]}" "${replay_seconds[1000000]}")x"
  linear="$linear_short (10M against 1M; 10x is linear)"
fi

# --- 5. the plot (bench/plot.sh; the data is kept beside it, so it can be redrawn) ---------
if ((quick)); then
  bench/plot.sh "$out/time_per_event.dat" "$out/time_per_event.svg" "$runs"
else
  { echo "# events, then nanoseconds per event: likematch replay, naive C++, sort | awk, parse only"
    echo "# (written by bench/run.sh, plotted by bench/plot.sh)"
    cat "$out/time_per_event.dat"; } >bench/time_per_event.dat
  bench/plot.sh bench/time_per_event.dat bench/time_per_event.svg "$runs"
fi

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
  echo "## 0. The second round of targets, this run"
  echo
  echo "| measure | this run | target |"
  echo "|---|---:|---:|"
  echo "| tail, serve 1M fully shuffled (ms, median of the driver's runs) | $(awk '{printf "%.1f", $2}' <<<"$tail_serve") | <= 5 |"
  echo "| serve 1M to MATCH END - OK over the drain-only floor | $(ratio "$serve_s" "$drain_s")x | <= 1.2x |"
  echo "| replay 1M fully shuffled over parse only | $(ratio "${replay_seconds[1000000]}" "${floor_seconds[1000000]}")x | <= 1.5x |"
  echo "| replay 1M: naive C++ / likematch | $(ratio "${naive_seconds[1000000]}" "${replay_seconds[1000000]}")x faster | >= 8x |"
  echo "| replay 10M over 1M | $linear_short | <= 11x |"
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
  echo "Targets (first round): at least 30x and 8x faster than the baselines, within 2x of parse only; the second round of targets asks 8x and 1.5x (section 0)."
  echo
  echo "## 2. Instructions (callgrind)"
  echo
  echo "replay of the 1M file: $callgrind."
  echo
  echo "## 3. serve, end to end"
  echo
  echo "\`likematch harness\` (1M events, 9,000 users, fully shuffled): seconds from the source's"
  echo "connection to MATCH END - OK, as the harness reports them."
  echo
  echo "| server | seconds | x drain-only |"
  echo "|---|---:|---:|"
  echo "| likematch serve | $(printf '%.3f' "$serve_s") | $(ratio "$serve_s" "$drain_s") |"
  echo "| drain-only floor | $(printf '%.3f' "$drain_s") | 1.0 |"
  echo
  echo "Target (first round): likematch serve within 1.5x of the drain-only floor; the second round of targets asks 1.2x (section 0)."
  echo
  echo "## 3b. The tail: from the end of the input to the last match written"
  echo
  echo "The 1M fully shuffled stream without the line of sequence number 1, then, ${tail_pause_ms} ms"
  echo "later, that line (\`bench/tail_driver.cpp\`); milliseconds from its write to the read of the"
  echo "last expected number ($tail_expected), median (min-max) of $runs runs after a warm-up."
  echo
  echo "| program | tail ms, median (min-max) |"
  echo "|---|---:|"
  echo "| likematch serve (all twelve variants), measured by the driver | $(spread_text "$tail_serve") |"
  echo "| likematch serve, its own summary (\`input_end_to_last_match_ms\`) | $(spread_text "$tail_serve_inside") |"
  echo "| likematch replay - (a pipe), to the last number read | $(spread_text "$tail_pipe") |"
  echo "| likematch replay - (a pipe), to the process's exit | $(spread_text "$tail_pipe_exit") |"
  echo
  echo "Target: 5 ms for serve."
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
