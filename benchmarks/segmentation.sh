#!/usr/bin/env bash
# The README's segmentation demo, timed: `specc run examples/drn_d_22_seg_shapes.yaml` (narrow DRN-D-22 DRNSeg, 96x96,
# 90 epochs of the 288 training pairs of data/shapes-seg) from the JVM's start to the test report. Prints the machine,
# the load average before and after (other work on the machine slows the run), the wall and CPU time, the mean time per
# training step, and the test split's mean IoU and per-class IoU (evaluated on data/shapes-seg/test, never trained on).
# Usage: benchmarks/segmentation.sh [specc run options...], e.g. --set train.epochs=10 for a shorter check.
set -euo pipefail
cd "$(dirname "$0")/.."
./specc --version >/dev/null   # builds this checkout when needed
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
runs="$(mktemp -d)"
log="$runs/log.txt"
trap 'rm -rf "$runs"' EXIT
start=$(date +%s.%N)
./specc run examples/drn_d_22_seg_shapes.yaml --runs-dir "$runs" "$@" > "$log" 2>&1 || { tail -20 "$log"; exit 1; }
end=$(date +%s.%N)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
ticks=$(getconf CLK_TCK)
cpu=$(awk -v t="$ticks" '{printf "%.0f", ($16 + $17) / t}' /proc/$$/stat)
echo "wall: $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.0f s", b - a}'), CPU of the run: ${cpu} s"
tr '\r' '\n' < "$log" | grep -E '^[0-9]+/[0-9]+ - [0-9]+s [0-9]+ms/step' \
  | sed -E 's/.* ([0-9]+)ms\/step.*/\1/' | awk '{s += $1; n++} END {if (n) printf "mean time per step over %d epochs: %.0f ms\n", n, s / n}'
grep -A8 '^test (' "$log"
