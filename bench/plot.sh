#!/usr/bin/env bash
# Draws bench/time_per_event.svg from bench/time_per_event.dat (bench/run.sh writes both):
#   bench/plot.sh [DAT [SVG [RUNS]]]
# White background, so that the black text reads on a dark page too; both axes label in one
# format each (plain numbers of nanoseconds; 100k, 1M, 10M events).
set -euo pipefail
cd "$(dirname "$0")/.."
dat=${1:-bench/time_per_event.dat}
svg=${2:-bench/time_per_event.svg}
runs=${3:-5}
gnuplot <<GNUPLOT
set terminal svg size 720,440 font "sans,13" background rgb "white"
set output "$svg"
set title "Time per event, fully shuffled input (median of $runs runs)"
set xlabel "events (users = events / 111)"
set ylabel "nanoseconds per event"
set logscale xy
set format x "%.0s%c"
set format y "%.0f"
set xrange [70000:14000000]
set yrange [10:100000]
set key top left
set grid
plot "$dat" using 1:4 with linespoints title "sort | awk (baseline)", \\
     "" using 1:3 with linespoints title "naive C++ (baseline)", \\
     "" using 1:2 with linespoints lw 2 title "likematch replay", \\
     "" using 1:5 with linespoints dt 2 title "parse only (floor)"
GNUPLOT
