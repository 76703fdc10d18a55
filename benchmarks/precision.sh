#!/usr/bin/env bash
# float32 vs bfloat16 vs float32 under XLA's JIT: training step time, side by side in one process per
# network (what train.precision: auto is based on, and why specc does not switch XLA on): the issue-11
# conv stack, the main job's ResNet50V2 at 64x64 and the small CNN.
# Usage: benchmarks/precision.sh [ROUNDS] (default 5). A few minutes on 2 cores: run nothing else meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
# package, not install: the benchmark runs this checkout's modules, whatever ~/.m2 holds.
mvn -B -q -Pbench -DskipTests package -pl benchmarks -am
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "bfloat16 flags: $(grep -m1 -o -w -E 'amx_bf16|avx512_bf16' /proc/cpuinfo | sort -u | xargs || true)"
# --tf_xla_cpu_global_jit lets the XLA session's global_jit_level cluster ops on the CPU; sessions without it are unchanged.
run() {
  TF_XLA_FLAGS=--tf_xla_cpu_global_jit TF_CPP_MIN_LOG_LEVEL=2 java -Xss4m -cp "benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)" \
    dev.specc.bench.PrecisionSpeed "$@" 0 xla 2> >(grep -v -E "^I0000|^WARNING: All log messages" >&2) | tail -1
}
run benchmarks/specs/conv_stack_256.yaml 16 "$rounds" 2
run specs/resnet50v2.yaml 16 "$rounds" 5
run examples/small_cnn_28.yaml 128 "$rounds" 10
