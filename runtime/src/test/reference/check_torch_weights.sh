#!/usr/bin/env bash
# The issue-8 check: torchvision resnet18 and fyu/drn drn_c_26 with random weights (BN statistics included),
# saved with torch.save(model.state_dict()), load into examples/resnet18.yaml and specs/drn_c_26.yaml with one
# call each (no mapping named: the built-in one is chosen), and specc's logits are compared with PyTorch's for
# the same input: the largest absolute difference over the largest absolute logit.
#   runtime/src/test/reference/check_torch_weights.sh [BATCH]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
batch="${1:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
./specc --version >/dev/null                       # builds cli/target/specc.jar and its lib/ when needed
mvn -B -o -q test-compile -pl runtime -am >&2
/usr/bin/python3 runtime/src/test/reference/torch_weights.py "$work" "$batch"
cp="runtime/target/test-classes:cli/target/specc.jar:cli/target/lib/*"
export TF_CPP_MIN_LOG_LEVEL=2
java -cp "$cp" dev.specc.runtime.io.TorchReferenceCheck "$work" examples/resnet18.yaml resnet18
java -cp "$cp" dev.specc.runtime.io.TorchReferenceCheck "$work" specs/drn_c_26.yaml drn_c_26
