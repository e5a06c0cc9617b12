#!/usr/bin/python3
"""MONAI's surface metrics on SurfaceMetricsCost's inputs: the median time of one call, ms.

    PYTHONPATH=/tmp/monai OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/surface_bench.py [RUNS]

One foreground class (C = 2, include_background False), one-hot float inputs (1, 2, ...): a disc of
radius 100 (sphere of radius 30) in the labels and one of radius 102 (32) shifted by 4 (2) along
each axis (+ on even axes, - on odd ones) in the predictions, in a 512^2 image (128^3 volume), as
SurfaceMetricsCost builds them. Prints compute_hausdorff_distance(percentile=95),
compute_average_surface_distance(symmetric=True) and compute_surface_dice(class_thresholds=[1]).
"""
import sys
import time
import warnings

import numpy as np
import torch
from monai.metrics import (compute_average_surface_distance, compute_hausdorff_distance,
                           compute_surface_dice)

warnings.filterwarnings("ignore")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7


def ball(shape, radius, shift):
    grids = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    total = sum((g - (n // 2 + (shift if k % 2 == 0 else -shift))) ** 2
                for k, (g, n) in enumerate(zip(grids, shape)))
    ids = torch.from_numpy((total <= radius * radius).astype(np.int64))[None]
    k = len(shape)
    return torch.nn.functional.one_hot(ids, 2).permute(0, k + 1, *range(1, k + 1)).float()


def median_ms(fn):
    times = []
    for r in range(RUNS + 5):
        start = time.perf_counter()
        value = fn()
        if r >= 5:
            times.append((time.perf_counter() - start) * 1e3)
    return sorted(times)[len(times) // 2], float(value.mean())


print("| input | HD95 | ASSD | NSD (tolerance 1) | MONAI ms, median of %d |" % RUNS)
print("| --- | --- | --- | --- | --- |")
for name, shape, radius, shift in (("512 × 512", (512, 512), 100, 4),
                                   ("128 × 128 × 128", (128, 128, 128), 30, 2)):
    y, yp = ball(shape, radius, 0), ball(shape, radius + 2, shift)
    cells = [median_ms(lambda: compute_hausdorff_distance(yp, y, percentile=95)),
             median_ms(lambda: compute_average_surface_distance(yp, y, symmetric=True)),
             median_ms(lambda: compute_surface_dice(yp, y, class_thresholds=[1]))]
    print("| %s | %s | |" % (name, " | ".join("%.1f (%.4g)" % c for c in cells)))
