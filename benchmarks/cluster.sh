#!/usr/bin/env bash
# Data-parallel overhead on one machine: examples/small_cnn_28.yaml (468,394 parameters, batch 128 global) trained for one
# epoch of the shipped Fashion-MNIST subset (21 steps) by 1, 2 and 4 local workers, float32. Prints each worker's
# images/s and the share of its step time that an all-reduce of the gradients' size takes. The workers share this
# machine's cores (each gets cores/N threads), so this measures the cluster's overhead, not a speed-up.
# Usage: benchmarks/cluster.sh [WORKER_COUNTS...] (default: 1 2 4). About a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
./specc --version >/dev/null   # builds this checkout when needed
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
for n in "${@:-1 2 4}"; do
  for workers in $n; do
    echo "--- $workers local worker(s)"
    ./specc train examples/small_cnn_28.yaml --data fashion_mnist_subset --set train.epochs=1 --precision float32 \
      --runs-dir "$runs" --local-workers "$workers" 2>&1 | grep -E "images/s" || true
  done
done
