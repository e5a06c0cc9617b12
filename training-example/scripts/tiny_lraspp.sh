#!/usr/bin/env bash
# Writes the tests' tiny-lraspp.pt the way the README's fine-tuning recipe makes a model: random
# weights of torchvision's LR-ASPP-MobileNetV3 (width 0.1, 21 VOC classes, non-default batch-norm
# statistics) saved as a state dict, then scripted by trace_model.py --weights. Needs Debian's
# python3-torch (1.13) and python3-torchvision (0.14); CI only reads the committed file.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
weights=$(mktemp --suffix=.pth)
trap 'rm -f "$weights"' EXIT
/usr/bin/python3 - "$weights" <<'PY'
import sys
import torch
from torchvision.models import mobilenet_v3_large
from torchvision.models.segmentation.lraspp import _lraspp_mobilenetv3
torch.manual_seed(3)
model = _lraspp_mobilenetv3(mobilenet_v3_large(width_mult=0.1, dilated=True), 21)
for module in model.modules():
    if isinstance(module, torch.nn.BatchNorm2d):
        module.running_mean.uniform_(-0.5, 0.5)
        module.running_var.uniform_(0.5, 2)
torch.save(model.state_dict(), sys.argv[1])
PY
/usr/bin/python3 "$root/training-example/scripts/trace_model.py" --arch lraspp_mobilenet_v3_large \
  --weights "$weights" --width-mult 0.1 --classes 21 --size 64 --seed 3 \
  --output "$root/training-example/src/test/resources/tiny-lraspp.pt"
