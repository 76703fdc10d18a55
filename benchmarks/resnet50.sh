#!/usr/bin/env bash
# ResNet50 speed on CPU, 224x224x3, 1000 classes: training and inference images/s of
#   (a) specc's compiled specs/resnet50.yaml, (b) the same network written by hand against the
#   TF Java API, both in one JVM with alternating timed rounds, and (c) torchvision's resnet50
#   in PyTorch; one table, and benchmarks/results/resnet50-cpu.json.
#
# Usage: benchmarks/resnet50.sh [--batch 16] [--train-warmup 3] [--train-steps 10]
#                          [--infer-warmup 5] [--infer-steps 20] [--rounds 0 = alternate every step] [--threads N]
# (--rounds is the Java side's only.) Several minutes on 2 cores: run nothing else meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."

java_args=()
torch_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) java_args+=("$1" "$2"); shift 2 ;;
    --batch|--train-warmup|--train-steps|--infer-warmup|--infer-steps|--threads)
      java_args+=("$1" "$2"); torch_args+=("$1" "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

mvn -q -Pbench -DskipTests install
work=benchmarks/target/resnet50
mkdir -p "$work" benchmarks/results
jar=benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar

echo "== TensorFlow Java: specc vs hand-written (one JVM)"
# TF_CPP_MIN_LOG_LEVEL=1 keeps TensorFlow's info lines (oneDNN notice, MLIR pass) out of the table.
TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}" \
  java -Xss4m -cp "$jar:$(cat benchmarks/target/classpath.txt)" dev.specc.bench.ResNet50Benchmark \
  "${java_args[@]}" --out "$work/java.json"

echo
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
/usr/bin/python3 benchmarks/torch_resnet50.py "${torch_args[@]}" --out "$work/torch.json" >/dev/null
echo "done"

echo
/usr/bin/python3 benchmarks/combine_resnet50.py "$work/java.json" "$work/torch.json" benchmarks/results/resnet50-cpu.json
