#!/usr/bin/env bash
# The issue-8 check: torchvision resnet18 and fyu/drn's DRNs with random weights (BN statistics included),
# saved with torch.save(model.state_dict()), load into examples/resnet18.yaml and specs/NAME.yaml with one
# call each (no mapping named: the built-in one is chosen, as --init-from does), and specc's logits are
# compared with PyTorch's for the same input: the largest absolute difference over the largest absolute logit.
# Exits 1 when a network is not within 1e-4 of scale.
#   runtime/src/test/reference/check_torch_weights.sh [BATCH [NAME...]]
# NAME: resnet18 or a drn.py network (drn_a_50, drn_c_26, drn_c_42, drn_c_58, drn_d_22, drn_d_38, drn_d_54,
# drn_d_105); default: resnet18 drn_c_26 drn_a_50 drn_c_58 drn_d_22.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
batch="${1:-2}"
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(resnet18 drn_c_26 drn_a_50 drn_c_58 drn_d_22)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
./specc --version >/dev/null                       # builds cli/target/specc.jar and its lib/ when needed
mvn -B -o -q test-compile -pl runtime -am >&2
/usr/bin/python3 runtime/src/test/reference/torch_weights.py "$work" "$batch" "${names[@]}"
cp="runtime/target/test-classes:cli/target/specc.jar:cli/target/lib/*"
export TF_CPP_MIN_LOG_LEVEL=2
status=0
for name in "${names[@]}"; do
  spec="specs/$name.yaml"
  [ "$name" = resnet18 ] && spec=examples/resnet18.yaml
  java -cp "$cp" dev.specc.runtime.io.TorchReferenceCheck "$work" "$spec" "$name" || status=1
done
exit $status
