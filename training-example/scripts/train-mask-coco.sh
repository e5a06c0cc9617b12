#!/usr/bin/env bash
# Train the Mask R-CNN-style mask head on a COCO-layout dataset
# (annotations/instances_train2017.json with train2017/, the same for val2017).
# Usage: training-example/scripts/train-mask-coco.sh COCO_ROOT [OUTPUT_FOLDER]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ $# -lt 1 ]; then
  echo "usage: $0 COCO_ROOT [OUTPUT_FOLDER]" >&2
  exit 2
fi
"$root/segloss-train" mask --data "$1" --format coco --image-size 256 --batch-size 4 \
  --epochs 12 --output "${2:-runs/coco-mask}"
