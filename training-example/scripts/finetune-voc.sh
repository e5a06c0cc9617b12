#!/usr/bin/env bash
# Fine-tune on Pascal VOC 2012 (the VOCdevkit/VOC2012 folder), starting from a checkpoint.
# Usage: training-example/scripts/finetune-voc.sh VOC2012_FOLDER [CHECKPOINT] [OUTPUT_FOLDER]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ $# -lt 1 ]; then
  echo "usage: $0 VOC2012_FOLDER [CHECKPOINT] [OUTPUT_FOLDER]" >&2
  exit 2
fi
voc=$1
pretrained=()
[ $# -ge 2 ] && pretrained=(--pretrained "$2" --freeze-backbone-epochs 2)
out=${3:-runs/voc}
"$root/segloss-train" semantic --data "$voc" --format voc --image-size 256 --batch-size 8 \
  --epochs 30 --lr 0.005 --loss ce --class-weights auto --aux-weight 0.4 \
  "${pretrained[@]}" --output "$out"
