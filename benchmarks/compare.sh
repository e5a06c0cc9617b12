#!/usr/bin/env bash
# Side-by-side timing of segloss, DJL's built-in losses and PyTorch on the same cases, with the
# same thread count, in one run; prints the tables of README.md's performance section. Not run by
# CI (about 20 minutes on 2 cores).
# Usage: benchmarks/compare.sh [THREADS] [JMH_REGEX]
#   THREADS    OMP/intra-op threads for both sides (default 2)
#   JMH_REGEX  which JMH benchmarks to run (default: all of them)
# Needs Debian's python3-torch and python3-torchvision for the PyTorch columns; the metric rows
# (metric_bench.py) also python3-scipy and python3-opencv, with MONAI's source at $MONAI (default
# /tmp/monai), smp's metrics at $SMP_METRICS (/tmp/smp-metrics) and boundary-iou-api's utils at
# $BOUNDARY_IOU_API (/tmp/biou-api); a missing one leaves its rows' Python column empty.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
threads=${1:-2}
benchmarks=${2:-'LossBenchmark|BuiltinLossBenchmark|MaskTargetsBenchmark|MeanIoUBenchmark|MetricBenchmark|DistanceMapsBenchmark|ValidationBenchmark|TrainingStepBenchmark|DataPipelineBenchmark'}
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE
"$root/mvnw" -q -B -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true >&2
target="$root/benchmarks/target"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -cp "$target/classes:$(cat "$target/classpath.txt")" org.openjdk.jmh.Main "$benchmarks" \
  -f 1 -wi 2 -i 4 -w 2s -r 2s -rf json -rff "$work/jmh.json" >&2
/usr/bin/python3 "$root/benchmarks/torch_bench.py" "$threads" > "$work/torch.txt"
/usr/bin/python3 "$root/benchmarks/torch_train_step.py" "$threads" >> "$work/torch.txt"
PYTHONPATH="${MONAI:-/tmp/monai}${PYTHONPATH:+:$PYTHONPATH}" \
  /usr/bin/python3 "$root/benchmarks/metric_bench.py" "$threads" >> "$work/torch.txt"
echo "date: $(date -u +%Y-%m-%d), threads: $threads, $(nproc) cores, $(java -version 2>&1 | head -1)"
/usr/bin/python3 "$root/benchmarks/compare_table.py" "$work/jmh.json" "$work/torch.txt"
