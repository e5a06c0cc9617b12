#!/usr/bin/python3
"""The Python side of MetricBenchmark / MetricCase: the same metric cases on the same inputs, the
median milliseconds of one call (RUNS calls after 5 warm-up
calls), one line "<case> <ms>" each.

    PYTHONPATH=/tmp/monai /usr/bin/python3 benchmarks/metric_bench.py THREADS [RUNS] [--values] [--cpu]
        [CASE...]

THREADS sets torch.set_num_threads (compare.sh sets OMP_NUM_THREADS too); with --values each line
also has the case's value, which MetricCase prints as well (equal values: same input); with --cpu
the times are the process's CPU time (time.process_time), which waiting for a core does not
inflate, as MetricCase --cpu measures. Cases:

- report_8x21x128x128: smp's metric functions (segmentation_models_pytorch/metrics/functional.py
  from the fetched smp, extracted to $SMP_METRICS, default /tmp/smp-metrics, as
  engines-test/reference/generate_report.py reads it): the argmax of the logits, get_stats
  (mode "multiclass", ignore_index 255) summed over the images, then iou_score, f1_score, precision
  and recall per class and micro, macro and frequency-weighted; the value is the macro IoU.
- biou_8x21x128x128: boundary-iou-api's mask_to_boundary (python3-opencv), per image and class, and
  the labelled pixels of the two boundaries' intersection and union summed over the images:
  generate_boundary.py's semantic_expected (boundary-iou-api at $BOUNDARY_IOU_API, default
  /tmp/biou-api), after the argmax; the value is the mean Boundary IoU.
  Both on MetricCase's (8, 21, 128, 128) inputs, the same values (the hash of MetricCase.mix):
  logits uniform in [-4, 4), labels uniform in [0, 21) with a tenth 255.
- hd95_*, assd_*, nsd_*: MONAI's compute_hausdorff_distance(percentile=95),
  compute_average_surface_distance(symmetric=True) and compute_surface_dice(class_thresholds=[1])
  (MONAI d388d1c6f on PYTHONPATH, scipy's EDT) on one-hot float inputs (1, 2, ...) of one
  foreground class (include_background False): a disc of radius 100 (sphere of radius 30) in the
  labels and one of radius 102 (32) shifted by 4 (2) along each axis (+ on even axes, - on odd
  ones) in the predictions, in a 512^2 image (128^3 volume), as MetricCase builds them.
"""
import importlib.util
import os
import sys
import time
import warnings

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("SMP_METRICS", "/tmp/smp-metrics"))

warnings.filterwarnings("ignore")
IGNORE = 255
WARMUP = 5


def mix(seed, size):
    """MetricCase.mix: SplitMix64's output for elements 0..size-1 of stream seed, uint64."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(size, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def hashed_inputs():
    """MetricCase's (8, 21, 128, 128) logits, uniform in [-4, 4), and (8, 128, 128) labels,
    uniform in [0, 21) with a tenth 255: the very same values."""
    logits = (mix(1, 8 * 21 * 128 * 128) >> np.uint64(40)).astype(np.float32) * 2.0 ** -21 - 4
    z = mix(2, 8 * 128 * 128)
    labels = np.where((z >> np.uint64(32)) % np.uint64(10) == 0, np.uint64(IGNORE),
                      (z & np.uint64(0xFFFFFFFF)) % np.uint64(21)).astype(np.int64)
    return (torch.from_numpy(logits.astype(np.float32).reshape(8, 21, 128, 128)),
            torch.from_numpy(labels.reshape(8, 128, 128)))


def smp_report():
    from segmentation_models_pytorch.metrics import functional as smp

    logits, labels = hashed_inputs()

    def run():
        tp, fp, fn, tn = smp.get_stats(logits.argmax(1), labels, mode="multiclass",
                                       ignore_index=IGNORE, num_classes=21)
        tp, fp, fn, tn = (s.sum(0, keepdim=True) for s in (tp, fp, fn, tn))
        support = (tp + fn)[0].double().tolist()
        for score in (smp.iou_score, smp.f1_score, smp.precision, smp.recall):
            score(tp, fp, fn, tn, reduction="none")
            score(tp, fp, fn, tn, reduction="micro")
            score(tp, fp, fn, tn, reduction="weighted", class_weights=support)
        return smp.iou_score(tp, fp, fn, tn, reduction="macro").item()

    return run


def boundary_iou():
    path = os.path.join(HERE, "..", "engines-test", "reference", "generate_boundary.py")
    spec = importlib.util.spec_from_file_location("generate_boundary", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    logits, labels = hashed_inputs()
    labels = labels.numpy()

    def run():
        predicted = logits.argmax(1).numpy()
        return module.semantic_expected(labels, predicted, 21, IGNORE, 0.02)[3]

    return run


def ball(shape, radius, shift):
    grids = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    total = sum((g - (n // 2 + (shift if k % 2 == 0 else -shift))) ** 2
                for k, (g, n) in enumerate(zip(grids, shape)))
    ids = torch.from_numpy((total <= radius * radius).astype(np.int64))[None]
    k = len(shape)
    return torch.nn.functional.one_hot(ids, 2).permute(0, k + 1, *range(1, k + 1)).float()


def monai(metric, shape, radius, shift):
    from monai.metrics import (compute_average_surface_distance, compute_hausdorff_distance,
                               compute_surface_dice)

    y, yp = ball(shape, radius, 0), ball(shape, radius + 2, shift)
    call = {"hd95": lambda: compute_hausdorff_distance(yp, y, percentile=95),
            "assd": lambda: compute_average_surface_distance(yp, y, symmetric=True),
            "nsd": lambda: compute_surface_dice(yp, y, class_thresholds=[1])}[metric]
    return lambda: float(call().mean())


CASES = {"report_8x21x128x128": smp_report, "biou_8x21x128x128": boundary_iou}
for _metric in ("hd95", "assd", "nsd"):
    CASES[_metric + "_512x512"] = (lambda m: lambda: monai(m, (512, 512), 100, 4))(_metric)
    CASES[_metric + "_128x128x128"] = (
        lambda m: lambda: monai(m, (128, 128, 128), 30, 2))(_metric)


def median_ms(run, runs):
    clock = time.process_time if "--cpu" in sys.argv else time.perf_counter
    times = []
    value = None
    for r in range(runs + WARMUP):
        start = clock()
        value = run()
        if r >= WARMUP:
            times.append((clock() - start) * 1e3)
    return sorted(times)[len(times) // 2], value


def main():
    args = [a for a in sys.argv[1:] if a not in ("--values", "--cpu")]
    threads = int(args[0]) if args else 2
    runs = int(args[1]) if len(args) > 1 else 9
    torch.set_num_threads(threads)
    for name in args[2:] or CASES:
        try:
            run = CASES[name]()
        except (ImportError, OSError) as missing:  # MONAI, smp or boundary-iou-api not found
            print("%s skipped: %s" % (name, missing), file=sys.stderr)
            continue
        ms, value = median_ms(run, runs)
        print("%s %.3f" % (name, ms) + (" %.6g" % value if "--values" in sys.argv else ""),
              flush=True)


if __name__ == "__main__":
    main()
