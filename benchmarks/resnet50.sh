#!/usr/bin/env bash
# ResNet50 speed on CPU, 224x224x3, 1000 classes: training and inference images/s of
#   (a) specc's compiled specs/resnet50.yaml in float32 and in bfloat16 (the runtime's Sessions),
#   (b) the same network written by hand against the TF Java API (float32), all three in one JVM
#   with their timed steps alternating, and (c) torchvision's resnet50 in PyTorch, float32 and
#   under bfloat16 autocast, each in NCHW and in channels_last, alternating too. Before each side,
#   its float32 and bfloat16 MatMul peak, so that every result is also a share of the machine's
#   peak. One table, and benchmarks/results/resnet50-cpu.json (keys specc_fp32, specc_bf16,
#   hand_written, torch_fp32, torch_bf16, torch_fp32_channels_last, torch_bf16_channels_last).
#
# Usage: benchmarks/resnet50.sh [--batch 16] [--train-warmup 3] [--train-steps 10]
#                          [--infer-warmup 5] [--infer-steps 20] [--rounds 0 = alternate every step] [--threads N]
#                          [--matmul 4096] [--matmul-runs 4]
# (--rounds is the Java side's only.) Needs Debian's python3-torch and python3-torchvision, and a real
# BLAS for PyTorch's float32 MatMul (libopenblas0; the reference libblas3 is 10x slower).
# Several minutes on 2 cores: run nothing else meanwhile (PyTorch's OpenMP threads slow down ~10x when
# another process takes a core).
set -euo pipefail
cd "$(dirname "$0")/.."

java_args=()
torch_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) java_args+=("$1" "$2"); shift 2 ;;
    --batch|--train-warmup|--train-steps|--infer-warmup|--infer-steps|--threads|--matmul|--matmul-runs)
      java_args+=("$1" "$2"); torch_args+=("$1" "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

if ! /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; then
  echo "benchmarks/resnet50.sh needs PyTorch: apt-get install python3-torch python3-torchvision libopenblas0" >&2
  exit 1
fi
# package, not install: the benchmark runs this checkout's modules, whatever ~/.m2 holds.
mvn -B -q -Pbench -DskipTests package -pl benchmarks -am
work=benchmarks/target/resnet50
mkdir -p "$work" benchmarks/results
jar=benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar

echo "== TensorFlow Java: specc float32, specc bfloat16, hand-written (one JVM)"
# TF_CPP_MIN_LOG_LEVEL=1 keeps TensorFlow's info lines (oneDNN notice, MLIR pass) out of the table.
TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}" \
  java -Xss4m -cp "$jar:$(cat benchmarks/target/classpath.txt)" dev.specc.bench.ResNet50Benchmark \
  "${java_args[@]}" --out "$work/java.json"

echo
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), float32 and bfloat16 autocast, NCHW and channels_last"
/usr/bin/python3 benchmarks/torch_resnet50.py "${torch_args[@]}" --out "$work/torch.json" >/dev/null
echo "done"

echo
/usr/bin/python3 benchmarks/combine_resnet50.py "$work/java.json" "$work/torch.json" benchmarks/results/resnet50-cpu.json
