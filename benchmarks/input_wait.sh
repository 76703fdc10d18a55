#!/usr/bin/env bash
# The input-wait share of training on a big JPEG folder with default data settings (workers, prefetch, cache
# chosen automatically, precision auto), for ResNet50 at 224x224 and the cats-vs-dogs AlexNet at 224x224, batch 32.
# Usage: benchmarks/input_wait.sh [STEPS [FOLDER]]
#   defaults: 12 steps; the 30,000-JPEG folder benchmarks/streaming.sh generates (made here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-12}"
store="${SPECC_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/specc-bench}"
folder="${2:-$store/jpeg-320x240-30000}"
mvn -q -Pbench -DskipTests package -pl benchmarks -am
cp="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)"
if [ ! -f "$folder/.complete" ]; then
  java -cp "$cp" dev.specc.bench.MakeImageFolder "$folder" 30000 320 240 2
  touch "$folder/.complete"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
for spec in specs/resnet50.yaml examples/alexnet_cats_dogs.yaml; do
  echo "== $spec, $folder, batch 32, $steps steps"
  sets=(--set train.batch_size=32)
  [ "$spec" = specs/resnet50.yaml ] && sets+=(--set params.classes=2)
  java -cp "$cp" dev.specc.bench.StreamingBenchmark "$spec" "$folder" "$steps" 0 "${sets[@]}"
done
