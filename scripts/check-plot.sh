#!/usr/bin/env bash
# Checks the committed plot, bench/time_per_event.svg (drawn by bench/plot.sh): an opaque
# background, so that its black text reads on a dark page, and one label format per axis
# (not "100000" beside "1x10^6").
#   scripts/check-plot.sh [SVG]
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 - "${1:-bench/time_per_event.svg}" <<'PY'
import re, sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
ns = {"svg": "http://www.w3.org/2000/svg"}
root = ET.parse(path).getroot()
problems = []

# The first shape drawn covers the canvas and is filled.
width, height = root.get("width"), root.get("height")
backgrounds = [r for r in root.iter("{http://www.w3.org/2000/svg}rect")
               if r.get("x") == "0" and r.get("y") == "0"
               and r.get("width") == width and r.get("height") == height]
if not backgrounds or backgrounds[0].get("fill", "none") in ("none", "transparent"):
    problems.append("the background is transparent")

def label_format(text):
    if re.fullmatch(r"\d+", text):
        return "plain"
    if re.fullmatch(r"\d+(\.\d+)?[kMG]", text):
        return "k/M/G"
    return "other"

# Tick labels: gnuplot writes y ticks right-aligned ("end") and x ticks centred ("middle"),
# each a group with one text whose tspans make the label ("1x10" and a raised "6").
axes = {"end": "y", "middle": "x"}
formats = {"x": set(), "y": set()}
for group in root.iter("{http://www.w3.org/2000/svg}g"):
    axis = axes.get(group.get("text-anchor"))
    text = group.find("svg:text", ns)
    if axis is None or text is None or "rotate" in (group.get("transform") or ""):
        continue
    label = "".join(text.itertext()).strip()
    if label and re.match(r"\d", label):
        formats[axis].add(label_format(label))
for axis, found in formats.items():
    if len(found) != 1:
        problems.append(f"the {axis} axis labels its ticks in {len(found)} formats: {sorted(found)}")

if problems:
    sys.exit(f"{path}: " + "; ".join(problems))
print(f"check-plot: OK ({path})")
PY
