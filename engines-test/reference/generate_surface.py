#!/usr/bin/python3
"""Generates the reference cases of segloss's SurfaceDistance and SurfaceDice from MONAI.

Run with Debian's python3-torch (1.13) and python3-scipy, with MONAI's source (d388d1c6f) on the
path, imported unchanged:

    git -C <MONAI mirror> archive d388d1c6f monai | tar -x -C /tmp/monai
    PYTHONPATH=/tmp/monai /usr/bin/python3 engines-test/reference/generate_surface.py

(the mirror is github:Project-MONAI/MONAI). It writes
engines-test/src/test/resources/reference/generated-surface.json in the format of
generated-report.json. Every case holds class maps (labels, and predicted class ids or logits whose
argmax they are); MONAI reads them one-hot (channel c is class c, as segloss reads class ids), and

- kind SurfaceDistance: monai.metrics.compute_hausdorff_distance (percentile None and 95, directed
  False and True) and compute_average_surface_distance (symmetric True and False), expected
  "<variant>_perImage" (N, C) and "<variant>" (MONAI's "mean" reduction, do_metric_reduction) for
  the variants HD, HD_directed, HD95, HD95_directed, ASSD, ASD;
- kind SurfaceDice: monai.metrics.compute_surface_dice with class_thresholds, expected "perImage"
  and "loss".

The cases port MONAI's unit tests tests/metrics/test_hausdorff_distance.py,
test_surface_distance.py and test_surface_dice.py, on smaller images (spheres in 20^3 volumes
instead of 99^3, the 480x640 shifts as 48x64) so that the JSON stays small, plus multi-class and
logit cases. The background column (class 0) is NaN when it is left out (include_background False).
Where segloss returns something else than MONAI, on purpose, the generator writes segloss's number
and MONAI's beside it ("<variant>_monaiPerImage"): MONAI's 95th-percentile Hausdorff distance of a
class that only one of the masks has is torch.quantile of values that are all inf, NaN; segloss
gives inf, as MONAI's maximum does. The reduction of nothing measured is NaN in segloss (MONAI: 0).
A NaN is written as null, an infinity as the string "Infinity". CI does not run this script.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

import monai
from monai.metrics import (compute_average_surface_distance, compute_hausdorff_distance,
                           compute_surface_dice)
from monai.metrics.utils import do_metric_reduction

torch.manual_seed(20261206)
np.random.seed(20261206)
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-surface.json")
SOURCE = "MONAI %s (monai/metrics/hausdorff_distance.py, surface_distance.py, surface_dice.py)" \
    % monai.__version__
VARIANTS = {"HD": (None, False), "HD_directed": (None, True), "HD95": (95, False),
            "HD95_directed": (95, True)}


def number(v):
    v = float(v)
    if math.isnan(v):
        return None
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def arr(t):
    t = torch.as_tensor(t)
    if not t.is_floating_point():
        return {"shape": list(t.shape), "data": [int(v) for v in t.flatten().tolist()]}
    return {"shape": list(t.shape), "data": [number(v) for v in t.flatten().tolist()]}


def one_hot(classes, c):
    k = classes.dim() - 1
    return F.one_hot(classes.long(), c).permute(0, k + 1, *range(1, k + 1)).float()


def with_background(values, include_background, c):
    """MONAI's (N, C') values as (N, C): NaN in the background's column when it is left out."""
    if include_background or c == 1:
        return values.double()
    nan = torch.full((values.shape[0], 1), float("nan"), dtype=torch.float64)
    return torch.cat([nan, values.double()], dim=1)


def reduction(values):
    """MONAI's "mean" reduction (do_metric_reduction); NaN when nothing was measured."""
    if torch.isnan(values).all():
        return float("nan")
    reduced, _ = do_metric_reduction(values.clone().float(), "mean")
    mine = np.nanmean(np.array([np.nanmean(r) for r in values.numpy() if not np.isnan(r).all()]))
    assert np.isclose(float(reduced), mine, rtol=1e-6, equal_nan=True) or math.isinf(mine), \
        (float(reduced), mine)
    return mine


def logits_of(pred, c):
    """Float32 logits whose argmax is pred, with a clear margin."""
    noise = torch.randn(pred.shape[0], c, *pred.shape[1:])
    return (noise + 8.0 * one_hot(pred, c)).float()


def inputs(pred, gt, c, logits):
    out = {"labels": arr(gt.long())}
    if logits:
        out["logits"] = arr(logits_of(pred, c))
    else:
        out["classIds"] = arr(pred.long())
    return out


def params(c, include_background, spacing):
    p = {"numClasses": c, "includeBackground": include_background}
    if spacing is not None:
        p["spacing"] = list(spacing)
    return p


def distance_case(name, pred, gt, c, include_background=False, spacing=None, logits=False):
    yp, y = one_hot(pred, c), one_hot(gt, c)
    expected = {}
    for variant, (percentile, directed) in VARIANTS.items():
        monai_values = compute_hausdorff_distance(yp, y, include_background=include_background,
                                                  percentile=percentile, directed=directed,
                                                  spacing=spacing)
        values = monai_values
        if percentile is not None:
            maximum = compute_hausdorff_distance(yp, y, include_background=include_background,
                                                 directed=directed, spacing=spacing)
            quirk = torch.isnan(monai_values) & torch.isinf(maximum)
            if quirk.any():
                values = torch.where(quirk, maximum, monai_values)
                expected[variant + "_monaiPerImage"] = arr(
                    with_background(monai_values, include_background, c))
        values = with_background(values, include_background, c)
        expected[variant + "_perImage"] = arr(values)
        expected[variant] = number(reduction(values))
    for variant, symmetric in (("ASSD", True), ("ASD", False)):
        values = compute_average_surface_distance(yp, y, include_background=include_background,
                                                  symmetric=symmetric, spacing=spacing)
        values = with_background(values, include_background, c)
        expected[variant + "_perImage"] = arr(values)
        expected[variant] = number(reduction(values))
    return {"name": name, "loss": "SurfaceDistance",
            "params": params(c, include_background, spacing), "source": SOURCE,
            "inputs": inputs(pred, gt, c, logits), "grads": [], "expected": expected}


def dice_case(name, pred, gt, c, tolerances, include_background=False, spacing=None,
              logits=False):
    yp, y = one_hot(pred, c), one_hot(gt, c)
    thresholds = list(tolerances) if include_background or c == 1 else list(tolerances[1:])
    values = compute_surface_dice(yp, y, class_thresholds=thresholds,
                                  include_background=include_background, spacing=spacing)
    values = with_background(values, include_background, c)
    p = params(c, include_background, spacing)
    p["tolerance"] = list(tolerances)
    return {"name": name, "loss": "SurfaceDice", "params": p, "source": SOURCE,
            "inputs": inputs(pred, gt, c, logits), "grads": [],
            "expected": {"perImage": arr(values), "loss": number(reduction(values))}}


def sphere(radius, centre, shape=(20, 20, 20), spacing=(1.0, 1.0, 1.0)):
    """MONAI's create_spherical_seg_3d."""
    y, x, z = np.ogrid[: shape[0], : shape[1], : shape[2]]
    y = y.astype(float) * spacing[0] - centre[0]
    x = x.astype(float) * spacing[1] - centre[1]
    z = z.astype(float) * spacing[2] - centre[2]
    return torch.from_numpy(((x * x + y * y + z * z) <= radius * radius).astype(np.int64))


def spheres():
    """test_hausdorff_distance's pairs, in 20^3: (prediction, label)."""
    zeros = torch.zeros(20, 20, 20, dtype=torch.int64)
    pairs = [(sphere(6, (9, 9, 9)), sphere(6, (9, 9, 9))),
             (sphere(6, (7, 7, 7)), sphere(6, (6, 6, 6))),
             (sphere(12, (5, 10, 7)), sphere(12, (6, 10, 7))),
             (sphere(5, (9, 10, 8)), sphere(9, (9, 10, 8))),
             (zeros, sphere(9, (9, 10, 8))),
             (sphere(6, (9, 9, 9)), zeros),
             (zeros, zeros)]
    return torch.stack([p for p, _ in pairs]), torch.stack([g for _, g in pairs])


def blobs(n, shape, c, absent=()):
    """Random rectangles and discs of classes 1..c-1 on background 0."""
    out = torch.zeros(n, *shape, dtype=torch.int64)
    yy, xx = torch.meshgrid(torch.arange(shape[0]), torch.arange(shape[1]), indexing="ij")
    for i in range(n):
        for k in range(1, c):
            if (i, k) in absent:
                continue
            cy, cx = np.random.randint(0, shape[0]), np.random.randint(0, shape[1])
            r = np.random.randint(2, 7)
            if np.random.rand() < 0.5:
                mask = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
            else:
                mask = ((yy - cy).abs() <= r) & ((xx - cx).abs() <= r // 2 + 1)
            out[i][mask] = k
    return out


def main():
    cases = []
    pred, gt = spheres()
    cases.append(distance_case("surface_spheres_3d", pred, gt, 2))
    cases.append(dice_case("surface_dice_spheres_3d", pred, gt, 2, [0.0, 1.0]))
    spacing = (0.85, 1.2, 0.9)
    pred = torch.stack([sphere(6, (8, 8, 8), spacing=spacing), sphere(4, (9, 10, 8), spacing=spacing)])
    gt = torch.stack([sphere(6, (7, 7, 7), spacing=spacing), sphere(8, (9, 10, 8), spacing=spacing)])
    cases.append(distance_case("surface_spheres_3d_spacing", pred, gt, 2, spacing=spacing))
    cases.append(dice_case("surface_dice_spheres_3d_spacing", pred, gt, 2, [0.0, 1.5],
                           spacing=spacing))
    # test_surface_dice's shifts (480x640, 10 px) as 48x64, 10 px, and an image of background
    pred = torch.zeros(2, 48, 64, dtype=torch.int64)
    gt = torch.zeros(2, 48, 64, dtype=torch.int64)
    pred[0, :, 5:] = 1
    gt[0, :, 15:] = 1
    for tol in (0, 1, 9, 10, 11):
        cases.append(dice_case("surface_dice_shift_tolerance_%d" % tol, pred, gt, 2, [tol, tol],
                               include_background=True))
    for tol in (0, 9, 12, 13):
        cases.append(dice_case("surface_dice_shift_spacing_tolerance_%d" % tol, pred, gt, 2,
                               [tol, tol], include_background=True, spacing=(0.85, 1.2)))
    cases.append(distance_case("surface_shift_background", pred, gt, 2, include_background=True,
                               spacing=(0.85, 1.2)))
    # test_surface_dice's test_tolerance_all_distances
    pred = torch.zeros(1, 10, 10, dtype=torch.int64)
    gt = torch.zeros(1, 10, 10, dtype=torch.int64)
    pred[0, 1:4, 1] = 1
    gt[0, 5:8, 6] = 1
    for tols in ([0, 0], [2.8, 5.5], [3, 6]):
        cases.append(dice_case("surface_dice_all_distances_%s_%s" % tuple(tols), pred, gt, 2,
                               tols, include_background=True))
    cases.append(distance_case("surface_lines_2d", pred, gt, 2, include_background=True))
    # several classes, some absent from an image's labels, prediction or both
    gt = blobs(3, (24, 32), 5, absent={(0, 2), (1, 3), (2, 4)})
    pred = torch.roll(gt, shifts=(1, -1), dims=(1, 2))
    pred[1][pred[1] == 4] = 0  # class 4 labelled in image 1 but never predicted
    pred[2, 3:7, 20:26] = 4  # class 4 predicted in image 2 but never labelled
    pred[0, 10:12, 0:30] = 1  # a stray line of class 1
    cases.append(distance_case("surface_multiclass_2d", pred, gt, 5))
    cases.append(dice_case("surface_dice_multiclass_2d", pred, gt, 5, [0, 1, 2, 1.5, 3]))
    cases.append(distance_case("surface_multiclass_2d_logits_background", pred, gt, 5,
                               include_background=True, spacing=(0.5, 2.0), logits=True))
    cases.append(dice_case("surface_dice_multiclass_2d_logits_background", pred, gt, 5,
                           [1, 1, 2, 1.5, 3], include_background=True, spacing=(0.5, 2.0),
                           logits=True))
    # a 3-D volume of several classes (N, D, H, W) with anisotropic spacing
    gt = torch.stack([torch.stack([blobs(1, (12, 14), 3)[0] for _ in range(6)]) for _ in range(2)])
    pred = gt.clone()
    pred[:, 2:4] = blobs(2, (12, 14), 3).unsqueeze(1)
    cases.append(distance_case("surface_multiclass_3d", pred, gt, 3, spacing=(2.5, 0.7, 0.7)))
    cases.append(dice_case("surface_dice_multiclass_3d", pred, gt, 3, [0, 1.0, 2.0],
                           spacing=(2.5, 0.7, 0.7)))
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate_surface.py",
                   "monai": monai.__version__, "torch": torch.__version__,
                   "reference_float": "float32 distances (MONAI), float64 reductions",
                   "cases": cases}, out, allow_nan=False)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
