#!/usr/bin/env bash
# Two-stage recipe on synthetic data: pretrain on one class set, then fine-tune on a new one
# (the class layers are re-initialised, the backbone is kept and frozen for the first epochs).
# Usage: training-example/scripts/finetune-synthetic.sh [OUTPUT_FOLDER]   (default runs/finetune)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-runs/finetune}
"$root/segloss-train" semantic --synthetic-classes background,circle,square \
  --epochs 60 --output "$out/pretrain"
checkpoint=$(ls -d "$out"/pretrain/checkpoints/epoch-* | sort | tail -n 1)
"$root/segloss-train" semantic --synthetic-classes background,ellipse,star,triangle \
  --epochs 40 --pretrained "$checkpoint" --freeze-backbone-epochs 3 --output "$out/finetune"
"$root/segloss-train" semantic --synthetic-classes background,ellipse,star,triangle \
  --epochs 40 --output "$out/scratch"
echo "compare $out/finetune/metrics.csv with $out/scratch/metrics.csv"
