#!/usr/bin/env bash
# One training step of a scripted torchvision model (issue 11, item 5, partial): DJL's PyTorch
# engine with segloss's DeepSupervisionLoss.pspnet() and Adam (ScriptedTrainStep) against PyTorch
# training the same scripted module (scripted_train_step.py), each phase timed separately, medians
# over STEPS steps after 5 warm-up steps, the same thread count on both sides. Not run by CI.
# Usage: benchmarks/scripted_train_step.sh [THREADS] [ARCH] [BATCH] [SIZE] [STEPS]
#   defaults: 2 threads, deeplabv3_mobilenet_v3_large, batch 4, 128 x 128, 20 steps (4 classes)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
threads=${1:-2} arch=${2:-deeplabv3_mobilenet_v3_large} batch=${3:-4} size=${4:-128}
steps=${5:-20} classes=4 warmup=5
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE
"$root/mvnw" -q -B -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true >&2
target="$root/benchmarks/target"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$root/benchmarks/scripted_train_step.py" script "$arch" "$classes" "$size" \
  "$work/$arch.pt" 2> >(grep -v -e "found in ScriptModule constants" -e "warnings.warn" >&2)
/usr/bin/python3 "$root/benchmarks/scripted_train_step.py" time "$work/$arch.pt" "$batch" "$size" \
  "$classes" "$warmup" "$steps" "$threads" > "$work/torch.txt"
java -cp "$target/classes:$(cat "$target/classpath.txt")" \
  io.github.segloss.benchmarks.ScriptedTrainStep "$work/$arch.pt" "$batch" "$size" "$classes" \
  "$warmup" "$steps" > "$work/djl.txt"
echo "date: $(date -u +%Y-%m-%d), $arch, batch $batch, ${size}x${size}, threads: $threads," \
  "$(nproc) cores, medians of $steps steps (ms)"
echo "| phase | DJL + segloss | PyTorch | ratio |"
echo "| --- | --- | --- | --- |"
join <(sort "$work/djl.txt") <(sort "$work/torch.txt") |
  awk '{ order["forward"]=1; order["loss"]=2; order["backward"]=3; order["optimizer"]=4;
         order["step"]=5; printf "%d| %s | %.1f | %.1f | %.2f |\n", order[$1], $1, $2, $3, $2/$3 }' |
  sort -n | cut -d'|' -f2- | sed 's/^/|/'
