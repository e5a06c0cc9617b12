#!/usr/bin/env bash
# The first check behind the accuracy parity table: segloss-train and the PyTorch replica
# (benchmarks/pspnet_replica.py) continue from the same weights (a segloss-train checkpoint after
# one epoch, converted to .npz with jshell) on the same batches (the replica draws the same shuffle
# and augmentation), so their next epochs' training loss and validation mIoU differ only by
# floating-point rounding and the two Adam variants' epsilon placement.
# Usage: benchmarks/same_weights_check.sh [EPOCHS] [SEED]   (default 2 epochs, seed 1; about 1 min)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
epochs=${1:-2}
seed=${2:-1}
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2
work=$(mktemp -d -t segloss-same-weights-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$root/segloss-train" export-synthetic --output "$work/shapes" > /dev/null
"$root/segloss-train" semantic --data "$work/shapes" --format folder --epochs 1 --seed "$seed" \
  --output "$work/start" > "$work/start.log"
echo "== segloss-train's first epoch, seed $seed, whose weights both sides continue from"
grep -E '^epoch [0-9]+/[0-9]+: loss' "$work/start.log"
start="$work/start/checkpoints/epoch-0001"
target="$root/training-example/target"
cat > "$work/to_npz.jsh" <<JSH
import ai.djl.ndarray.*;
try (var m = NDManager.newBaseManager("PyTorch");
     var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("$start/params.ndlist"));
     var out = java.nio.file.Files.newOutputStream(java.nio.file.Path.of("$work/start.npz"))) {
  NDList.decode(m, in).encode(out, NDList.Encoding.NPZ);
}
/exit
JSH
jshell --class-path "$target/segloss-training-example-0.1.0-SNAPSHOT.jar:$(cat "$target/classpath.txt")" \
  "$work/to_npz.jsh" > /dev/null 2>&1
echo "== segloss-train from $start, seed $seed"
"$root/segloss-train" semantic --data "$work/shapes" --format folder --epochs "$epochs" \
  --seed "$seed" --pretrained "$start" --output "$work/djl" | grep -E '^epoch [0-9]+/[0-9]+: loss'
echo "== PyTorch replica from the same weights, seed $seed"
/usr/bin/python3 "$root/benchmarks/pspnet_replica.py" --data "$work/shapes" --epochs "$epochs" \
  --seed "$seed" --init "$work/start.npz" | grep -E '^epoch'
