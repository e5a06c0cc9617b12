#!/usr/bin/env bash
# One fine-tuning step of a scripted torchvision model through segloss-train's step (issue 11,
# item 5): FineTuningStep (segloss-train's data pipeline, TorchScript loading, loss, Adam on the
# poly schedule, listener; each phase timed around DataParallelStep's calls) against PyTorch
# training the same scripted module from a DataLoader (scripted_train_step.py loader), then the
# optimizer's parts on both sides (AdamParts, scripted_train_step.py adam). RUNS rounds, PyTorch
# and DJL alternating, the load average printed before each; wall and CPU medians (the CPU time
# of the training process, without the data loaders': it holds on a shared machine where the
# wall time includes waiting for a core). Not run by CI.
# Usage: benchmarks/fine_tuning_step.sh [ARCH] [BATCH] [SIZE] [STEPS] [RUNS] [THREADS]
#   defaults: deeplabv3_mobilenet_v3_large, batch 4, 256 x 256, 10 steps after 3, 2 runs, 2 threads
#   the issue's second case: benchmarks/fine_tuning_step.sh fcn_resnet50 2
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
arch=${1:-deeplabv3_mobilenet_v3_large} batch=${2:-4} size=${3:-256} steps=${4:-10}
runs=${5:-2} threads=${6:-2} classes=4 warmup=3
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE
"$root/mvnw" -q -B -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true >&2
target="$root/benchmarks/target"
py="$root/benchmarks/scripted_train_step.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java_run() {
  java -cp "$target/classes:$(cat "$target/classpath.txt")" "io.github.segloss.benchmarks.$@"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
/usr/bin/python3 "$py" script "$arch" "$classes" "$size" "$work/$arch.pt" \
  2> >(grep -v -e "found in ScriptModule constants" -e "warnings.warn" >&2)
echo "date: $(date -u +%Y-%m-%d), $arch, batch $batch, ${size}x${size}, threads: $threads," \
  "$(nproc) cores, medians of $steps steps after $warmup (ms)"
for run in $(seq "$runs"); do
  torch_load=$(load)
  /usr/bin/python3 "$py" loader "$work/$arch.pt" "$batch" "$size" "$classes" "$warmup" "$steps" \
    "$threads" > "$work/torch.txt"
  djl_load=$(load)
  java_run FineTuningStep "$work/$arch.pt" "$batch" "$size" "$warmup" "$steps" > "$work/djl.txt"
  echo
  echo "run $run: load average before PyTorch $torch_load, before DJL $djl_load"
  echo "| phase | DJL + segloss-train wall | PyTorch wall | ratio | DJL CPU | PyTorch CPU | ratio |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  for phase in data forward loss backward metrics listeners optimizer step segloss_step; do
    torch_phase=$phase
    [ "$phase" = segloss_step ] && torch_phase=step
    awk -v p="$phase" -v q="$torch_phase" '
      FNR == NR && $1 == p { dw = $2; dc = $3 }
      FNR != NR && $1 == q { tw = $2; tc = $3; found = 1 }
      function ratio(a, b) { return b + 0 < 0.05 ? "—" : sprintf("%.2f", a / b) }
      END {
        if (!found) printf "| %s | %.1f | — | — | %.1f | — | — |\n", p, dw, dc;
        else printf "| %s | %.1f | %.1f | %s | %.1f | %.1f | %s |\n", p, dw, tw, ratio(dw, tw),
          dc, tc, ratio(dc, tc) }' "$work/djl.txt" "$work/torch.txt"
  done
  echo "data loaders' CPU per batch (ms): DJL $(awk '$1 == "loader_cpu_per_batch" { print $2 }' \
    "$work/djl.txt"), PyTorch $(awk '$1 == "loader_cpu_per_batch" { print $2 }' "$work/torch.txt")"
done
echo
echo "optimizer parts, $(load) load average, medians of 10 rounds after 2 (wall ms, CPU ms):"
java_run AdamParts "$work/$arch.pt" 2 10
/usr/bin/python3 "$py" adam "$work/$arch.pt" 2 10 "$threads"
