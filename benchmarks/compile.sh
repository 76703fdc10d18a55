#!/usr/bin/env bash
# Compiler speed: (1) load + validate + lower of a spec in a warm JVM; (2) `specc validate` as a
# whole process, start-up included. Usage: benchmarks/compile.sh [SPEC] (default specs/resnet50v2.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${1:-specs/resnet50v2.yaml}"
mvn -q -Pbench -DskipTests install
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
java -cp "benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)" dev.specc.bench.CompileBenchmark "$spec" 20 30
runs=10
times=()
for _ in $(seq $runs); do
  start=$(date +%s%N)
  ./specc validate "$spec" >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "./specc validate $spec as a process: median ${sorted[$((runs / 2))]} ms, max ${sorted[$((runs - 1))]} ms ($runs runs)"
