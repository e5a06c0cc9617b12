#!/usr/bin/env bash
# Side-by-side timing of segloss, DJL's built-in loss and PyTorch on the same shapes, with the same
# thread count, in one run. Prints one table. Not run by CI.
# Usage: benchmarks/compare.sh [THREADS]   (default 2; needs Debian's python3-torch)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
threads=${1:-2}
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE
shape="8x21x128x128"
"$root/mvnw" -q -B -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true >&2
target="$root/benchmarks/target"
json=$(mktemp)
java -cp "$target/classes:$(cat "$target/classpath.txt")" org.openjdk.jmh.Main CrossEntropyBenchmark \
  -f 1 -wi 3 -i 5 -w 2s -r 3s -t 1 -p shape="$shape" -rf json -rff "$json" >&2
torch=$(/usr/bin/python3 "$root/benchmarks/torch_bench.py" "$threads" "$shape" | awk '{print $3}')
echo "date: $(date -u +%Y-%m-%d), threads: $threads, shape: ($shape), forward+backward in ms"
/usr/bin/python3 - "$json" "$torch" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
torch_ms = float(sys.argv[2])
score = {(r["params"]["engine"], r["benchmark"].rsplit(".", 1)[1]): r["primaryMetric"]["score"]
         for r in rows}
print("| engine | segloss CE (ignore, weights) | DJL SoftmaxCrossEntropyLoss | PyTorch F.cross_entropy | segloss / PyTorch | segloss / DJL |")
print("| --- | --- | --- | --- | --- | --- |")
for engine in ("PyTorch", "MXNet"):
    seg = score.get((engine, "seglossCrossEntropy"))
    djl = score.get((engine, "djlSoftmaxCrossEntropy"))
    if seg is None:
        continue
    print("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |" % (engine, seg, djl, torch_ms, seg / torch_ms, seg / djl))
PY
rm -f "$json"
