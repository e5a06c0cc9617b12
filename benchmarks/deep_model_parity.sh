#!/usr/bin/env bash
# Float64 parity of deep scripted torchvision models (item 1c of issue 11): PyTorch's loss and
# parameter gradients (benchmarks/deep_model_parity.py) against DJL's PyTorch engine with segloss's
# DeepSupervisionLoss.pspnet() (DeepModelParity). Not run by CI (it needs Debian's python3-torch
# and python3-torchvision, and writes ~750 MB of modules and gradients to a temporary folder).
# Usage: benchmarks/deep_model_parity.sh [ARCH...]
#   ARCH  deeplabv3_mobilenet_v3_large and/or fcn_resnet50 (default both); any aux-headed
#         architecture of trace_model.py works
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(deeplabv3_mobilenet_v3_large fcn_resnet50)
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
"$root/mvnw" -q -B -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true >&2
target="$root/benchmarks/target"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for arch in "${archs[@]}"; do
  # 4 classes, a 2 x 3 x 64 x 64 input
  /usr/bin/python3 "$root/benchmarks/deep_model_parity.py" "$arch" 4 2 3 64 64 "$work" \
    2> >(grep -v -e "found in ScriptModule constants" -e "warnings.warn" >&2)
  java -cp "$target/classes:$(cat "$target/classpath.txt")" \
    io.github.segloss.benchmarks.DeepModelParity "$work" "$arch"
  rm -f "$work/$arch".*
done
