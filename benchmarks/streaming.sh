#!/usr/bin/env bash
# The streaming input pipeline on JPEG folders of two sizes, with the JVM heap capped at 1 GiB: images/s of the
# pipeline alone and of training, the input-wait share, and peak RSS, for each folder.
# Usage: benchmarks/streaming.sh [BIG [SMALL [STEPS [SPEC]]]]
#   defaults: 30000 and 3000 JPEGs of 320x240 in 2 classes, 30 training steps,
#   examples/alexnet_half_bn_cats_dogs.yaml at 224x224 (batch 32, its augmentation).
# The folders are generated once into ${SPECC_BENCH_DIR:-${XDG_CACHE_HOME:-~/.cache}/specc-bench}, outside the repo.
# Extra settings: SPECC_BENCH_SET="data.cache=disk data.workers=4" (each becomes a --set).
set -euo pipefail
cd "$(dirname "$0")/.."
big="${1:-30000}"
small="${2:-3000}"
steps="${3:-30}"
spec="${4:-examples/alexnet_half_bn_cats_dogs.yaml}"
store="${SPECC_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/specc-bench}"
mvn -q -Pbench -DskipTests package -pl benchmarks -am
cp="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
sets=(--set "input.shape=[224, 224, 3]" --set "data.image_size=[224, 224]")
for s in ${SPECC_BENCH_SET:-}; do sets+=(--set "$s"); done
for count in "$big" "$small"; do
  folder="$store/jpeg-320x240-$count"
  if [ ! -f "$folder/.complete" ]; then
    start=$(date +%s)
    java -cp "$cp" dev.specc.bench.MakeImageFolder "$folder" "$count" 320 240 2
    touch "$folder/.complete"
    echo "generated $count JPEGs in $folder in $(( $(date +%s) - start )) s ($(du -sh "$folder" | cut -f1))"
  fi
  echo "== $count images ($folder), $spec at 224x224, -Xmx1g"
  java -Xmx1g -cp "$cp" dev.specc.bench.StreamingBenchmark "$spec" "$folder" "$steps" 0 "${sets[@]}"
done
