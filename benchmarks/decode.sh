#!/usr/bin/env bash
# JPEG decoding + resizing to 224x224: javax.imageio with specc's Java resize against TensorFlow's DecodeJpeg and
# ResizeBilinear, on 1 and on all cores. Usage: benchmarks/decode.sh [COUNT] (default 400 of the streaming folder)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-400}"
store="${SPECC_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/specc-bench}"
mvn -q -Pbench -DskipTests package -pl benchmarks -am
cp="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)"
folder="$store/jpeg-320x240-decode-$count"
[ -f "$folder/.complete" ] || { java -cp "$cp" dev.specc.bench.MakeImageFolder "$folder" "$count" 320 240 2; touch "$folder/.complete"; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$cp" dev.specc.bench.DecodeBenchmark "$folder" "$count" 224 "$(nproc)"
