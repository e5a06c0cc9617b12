#!/usr/bin/env bash
# Accuracy parity with PyTorch (issue 11, item 4): exports segloss-train's synthetic data once as a
# folder dataset, trains segloss-train's default semantic recipe on it and the PyTorch replica of
# the same recipe (benchmarks/pspnet_replica.py) for each seed, one run after the other, and prints
# a markdown table of the final and best validation mIoU and the training seconds per run, with
# mean ± sample sd per side. Not run by CI (about 25 minutes on 2 idle cores with the defaults).
# Usage: benchmarks/accuracy_parity.sh [EPOCHS] [SEEDS] [THREADS]
#   EPOCHS   epochs of both sides (default 120, segloss-train's default)
#   SEEDS    seeds, space separated (default "1 2 3"); the data is always the default seed 42's
#   THREADS  OMP/intra-op threads of both sides (default 2)
# Run logs and summaries stay in $PARITY_WORK (default: a new temporary folder, printed).
# Needs Debian's python3-torch (torch 1.13) and python3-numpy, python3-pil.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
epochs=${1:-120}
seeds=${2:-"1 2 3"}
threads=${3:-2}
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads"
work=${PARITY_WORK:-$(mktemp -d -t segloss-parity-XXXXXX)}
mkdir -p "$work"
echo "accuracy_parity: logs and summaries in $work" >&2
"$root/segloss-train" export-synthetic --output "$work/shapes" >&2
for seed in $seeds; do
  echo "accuracy_parity: segloss-train, seed $seed" >&2
  "$root/segloss-train" semantic --data "$work/shapes" --format folder --epochs "$epochs" \
    --seed "$seed" --output "$work/segloss-$seed" --overwrite > "$work/segloss-$seed.log" 2>&1
  cp "$work/segloss-$seed/summary.json" "$work/segloss-$seed.json"
  echo "accuracy_parity: PyTorch replica, seed $seed" >&2
  /usr/bin/python3 "$root/benchmarks/pspnet_replica.py" --data "$work/shapes" \
    --epochs "$epochs" --seed "$seed" --threads "$threads" > "$work/pytorch-$seed.log" 2>&1
  tail -n 1 "$work/pytorch-$seed.log" > "$work/pytorch-$seed.json"
done
echo "date: $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), threads: $threads, epochs: $epochs"
echo "segloss-train: $(java -version 2>&1 | head -1), DJL 0.36.0 PyTorch engine (libtorch 2.7.1); replica: torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
echo
/usr/bin/python3 - "$work" $seeds <<'PY'
import json, statistics, sys
work, seeds = sys.argv[1], sys.argv[2:]
print("| side | seed | final mIoU | best mIoU | training s |")
print("| --- | ---: | ---: | ---: | ---: |")
rows = {}
for side, name in (("segloss", "segloss-train"), ("pytorch", "PyTorch replica")):
    for seed in seeds:
        s = json.load(open(f"{work}/{side}-{seed}.json"))
        rows.setdefault(name, []).append(s)
        print(f"| {name} | {seed} | {s['meanIoU']:.4f} | {s['bestMeanIoU']:.4f}"
              f" | {s['trainingSeconds']:.0f} |")
def spread(values, digits):
    sd = statistics.stdev(values) if len(values) > 1 else float("nan")
    return f"{statistics.mean(values):.{digits}f} ± {sd:.{digits}f}"
for name, runs in rows.items():
    print(f"| {name} | mean ± sd | {spread([r['meanIoU'] for r in runs], 4)}"
          f" | {spread([r['bestMeanIoU'] for r in runs], 4)}"
          f" | {spread([r['trainingSeconds'] for r in runs], 0)} |")
PY
