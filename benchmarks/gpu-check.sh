#!/usr/bin/env bash
# The GPU path end to end, for a machine with an NVIDIA GPU and the CUDA 12.3 / cuDNN 8.9 libraries that
# TensorFlow 2.16 (TF Java 1.0.0) loads:
#   1. the GPUs nvidia-smi lists;
#   2. ./specc validate of the main job;
#   3. the main job (specs/resnet50v2.yaml on the shipped data) trained for one epoch through ./specc with
#      SPECC_DEVICE=gpu: the device and precision it prints and records, and its time per step;
#   4. the ResNet50 benchmark (benchmarks/resnet50.sh's Java side) on the GPU: specc float32, specc float16
#      (TensorFlow's auto mixed precision with dynamic loss scaling: what precision auto picks on a GPU) and the
#      hand-written graph in float32, training and inference images/s at 224x224, written to
#      benchmarks/results/resnet50-gpu.json.
#
# Usage: benchmarks/gpu-check.sh [--batch 64] [--train-steps 30] [--infer-steps 50]
set -euo pipefail
cd "$(dirname "$0")/.."

batch=64 train_steps=30 infer_steps=50
while [ $# -gt 0 ]; do
  case "$1" in
    --batch) batch="$2"; shift 2 ;;
    --train-steps) train_steps="$2"; shift 2 ;;
    --infer-steps) infer_steps="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

echo "== GPUs"
if ! nvidia-smi -L | grep '^GPU '; then
  echo "gpu-check: nvidia-smi lists no GPU" >&2
  exit 1
fi
export SPECC_DEVICE=gpu

echo
echo "== validate"
./specc validate specs/resnet50v2.yaml

echo
echo "== the main job, one epoch on the GPU"
runs="$(mktemp -d)"
./specc run specs/resnet50v2.yaml --set train.epochs=1 --runs-dir "$runs"
run_dir="$(ls -d "$runs"/resnet50v2/*/ | tail -1)"
grep -E '"(device|device_reason|precision|precision_reason)"' "$run_dir/environment.json"

echo
echo "== ResNet50 224x224, batch $batch, on the GPU"
. cli/launcher/device.sh
natives="$(specc_gpu_natives "$PWD")"
mvn -B -q -Pbench -DskipTests package -pl benchmarks -am
jar=benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar
mkdir -p benchmarks/results
TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}" \
  java -Xss4m -Dspecc.device=gpu -Dspecc.device.explicit=true -Dspecc.device.reason="benchmarks/gpu-check.sh" \
  -Dorg.bytedeco.javacpp.platform.extension=-gpu \
  -cp "$jar:$natives:$(cat benchmarks/target/classpath.txt)" dev.specc.bench.ResNet50Benchmark \
  --batch "$batch" --train-steps "$train_steps" --infer-steps "$infer_steps" --matmul 8192 \
  --out benchmarks/results/resnet50-gpu.json
