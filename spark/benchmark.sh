#!/usr/bin/env bash
# The segloss-eval benchmark: images/s of the single-process evaluator, Spark local[1] and
# local[2] on the same data, and the driver's heap with 1,000 and 10,000 images.
# Usage: spark/benchmark.sh [IMAGES] [IMAGE_SIDE]   (after ./segloss-eval --help has built it)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/segloss-eval" --version >/dev/null # builds segloss-spark when its sources changed
SEGLOSS_EVAL_MAIN=io.github.segloss.spark.bench.EvalBenchmark exec "$root/segloss-eval" "$@"
