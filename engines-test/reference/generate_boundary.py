#!/usr/bin/python3
"""Generates the reference cases of segloss's BoundaryIoU and MaskBoundary from boundary-iou-api.

Run with Debian's python3-opencv (4.6) and python3-numpy, with boundary-iou-api's utils extracted
unchanged from its source:

    git -C <boundary-iou-api mirror> archive HEAD boundary_iou/utils | tar -x -C /tmp/biou-api
    BOUNDARY_IOU_API=/tmp/biou-api /usr/bin/python3 engines-test/reference/generate_boundary.py

(the mirror is github:bowenc0221/boundary-iou-api, commit 37d2558). It imports only
boundary_iou/utils/boundary_utils.py, by path, and calls its mask_to_boundary unchanged (padding
with cv2.copyMakeBorder, cv2.erode with a 3x3 kernel, dilation = max(1, int(round(ratio *
diagonal)))). That file imports pycocotools.mask at its top for its COCO helpers, which
mask_to_boundary does not use, and the package's __init__ imports the COCO, LVIS and Cityscapes
APIs: so the package is not imported, and an empty stand-in module is registered as
pycocotools.mask before the file is loaded (pycocotools is not installed; nothing calls it).

The API has no function for the Boundary IoU of two masks; the paper's definition, which its
COCO evaluation computes with pycocotools' mask IoU of the two boundaries, is used:
|G_d & P_d| / |G_d | P_d| of the two mask_to_boundary results (NaN, written null, when both are
empty). For semantic segmentation, per image and class c, the boundaries of labels == c and of
predictions == c are intersected and united over the labelled pixels (labels != ignore index),
summed over the images; the mean is over the classes with a non-empty union.

It writes engines-test/src/test/resources/reference/generated-boundary.json in the format of
generated-report.json. CI does not run this script; it only reads the JSON.
"""
import importlib.util
import json
import math
import os
import sys
import types

import cv2
import numpy as np

API = os.environ.get("BOUNDARY_IOU_API", "/tmp/biou-api")
sys.modules.setdefault("pycocotools", types.ModuleType("pycocotools"))
sys.modules.setdefault("pycocotools.mask", types.ModuleType("pycocotools.mask"))
_spec = importlib.util.spec_from_file_location(
    "boundary_utils", os.path.join(API, "boundary_iou", "utils", "boundary_utils.py"))
boundary_utils = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(boundary_utils)
mask_to_boundary = boundary_utils.mask_to_boundary

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-boundary.json")
SOURCE = ("boundary-iou-api 37d2558 boundary_iou/utils/boundary_utils.py mask_to_boundary, "
          "OpenCV %s" % cv2.__version__)
rng = np.random.default_rng(20261206)


def number(v):
    return None if math.isnan(v) else float(v)


def arr(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [number(v) for v in a.flatten().tolist()]}


def dilation(h, w, ratio):
    d = int(round(ratio * np.sqrt(h ** 2 + w ** 2)))
    return max(d, 1)


def boundary(mask, ratio):
    return mask_to_boundary(mask.astype(np.uint8), ratio) > 0


def biou(gt, dt, ratio):
    g = boundary(gt, ratio)
    p = boundary(dt, ratio)
    union = (g | p).sum()
    return float("nan") if union == 0 else (g & p).sum() / union


def blobs(h, w, count, classes=2, base=0):
    """A label map of random rectangles and discs painted over a background class."""
    out = np.full((h, w), base, dtype=np.int64)
    yy, xx = np.mgrid[0:h, 0:w]
    for _ in range(count):
        c = int(rng.integers(0, classes))
        if rng.random() < 0.5:
            y0, x0 = int(rng.integers(-2, h)), int(rng.integers(-2, w))
            out[max(y0, 0):y0 + int(rng.integers(1, h // 2 + 2)),
                max(x0, 0):x0 + int(rng.integers(1, w // 2 + 2))] = c
        else:
            cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(1, min(h, w) / 2)
            out[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = c
    return out


def foreground(h, w, count):
    """A binary mask of random rectangles and discs (every one painted as foreground)."""
    return blobs(h, w, count, classes=1, base=-1) == 0


def pair_case(name, gt, dt, ratio):
    gt = gt.astype(bool)
    dt = dt.astype(bool)
    h, w = gt.shape
    value = biou(gt, dt, ratio)
    return {"name": name, "loss": "BoundaryIoUPair",
            "params": {"dilationRatio": ratio},
            "source": SOURCE,
            "inputs": {"gtMask": arr(gt), "dtMask": arr(dt)},
            "grads": [],
            "expected": {"loss": number(value), "dilation": dilation(h, w, ratio),
                         "gtBoundary": arr(boundary(gt, ratio)),
                         "dtBoundary": arr(boundary(dt, ratio))}}


def semantic_expected(labels, predicted, classes, ignore, ratio):
    inter = np.zeros(classes, dtype=np.int64)
    union = np.zeros(classes, dtype=np.int64)
    for n in range(labels.shape[0]):
        valid = labels[n] != ignore
        for c in range(classes):
            g = boundary(labels[n] == c, ratio)
            p = boundary(predicted[n] == c, ratio)
            inter[c] += (g & p & valid).sum()
            union[c] += ((g | p) & valid).sum()
    iou = [float("nan") if u == 0 else i / u for i, u in zip(inter, union)]
    measured = [v for v in iou if not math.isnan(v)]
    mean = float("nan") if not measured else sum(measured) / len(measured)
    return inter, union, iou, mean


def perturbed(labels, classes, flips):
    """Predictions: the labels shifted by a pixel in places, with some blocks of another class."""
    pred = labels.copy()
    n, h, w = pred.shape
    for i in range(n):
        if rng.random() < 0.7:
            pred[i] = np.roll(pred[i], int(rng.integers(-2, 3)), axis=int(rng.integers(0, 2)))
        for _ in range(flips):
            y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
            pred[i, y:y + int(rng.integers(1, 6)), x:x + int(rng.integers(1, 6))] = \
                int(rng.integers(0, classes))
    pred[pred >= classes] = 0
    return pred


def semantic_case(name, labels, predicted, classes, ignore=255, ratio=0.02, class_ids=False,
                  keep_class_axis=False):
    inter, union, iou, mean = semantic_expected(labels, predicted, classes, ignore, ratio)
    if class_ids:
        predictions = predicted.astype(np.float64)
        key = "classIds"
    else:
        # the predicted class leads by more than 1, the noise is below 1: no ties, one argmax
        onehot = np.eye(classes)[predicted].transpose(0, 3, 1, 2)
        predictions = (rng.random(onehot.shape) + 2 * onehot).astype(np.float32)
        assert (predictions.argmax(1) == predicted).all()
        key = "logits"
    if keep_class_axis:
        labels = labels[:, None]
        if class_ids:
            predictions = predictions[:, None]
    return {"name": name, "loss": "BoundaryIoU",
            "params": {"numClasses": classes, "ignoreIndex": ignore, "dilationRatio": ratio},
            "source": SOURCE,
            "inputs": {key: arr(predictions), "labels": arr(labels)},
            "grads": [],
            "expected": {"loss": number(mean), "intersection": [float(v) for v in inter],
                         "union": [float(v) for v in union],
                         "iou": [number(v) for v in iou]}}


def with_ignored(labels, fraction, ignore=255):
    labels = labels.copy()
    labels[rng.random(labels.shape) < fraction] = ignore
    return labels


def main():
    cases = []
    # Pairs of binary masks.
    gt = foreground(20, 30, 4)
    dt = np.roll(gt, 1, axis=1) | foreground(20, 30, 1)
    cases.append(pair_case("biou_pair_blobs", gt, dt, 0.02))
    gt = np.zeros((48, 64), bool)
    gt[0:20, 0:30] = True        # touches the top and left borders
    gt[30:48, 40:64] = True      # touches the bottom and right borders
    dt = np.zeros((48, 64), bool)
    dt[0:22, 2:30] = True
    dt[28:48, 38:64] = True
    cases.append(pair_case("biou_pair_touching_border", gt, dt, 0.05))
    gt = np.zeros((40, 40), bool)
    gt[10, 3:37] = True          # a 1-pixel line
    gt[20:22, 5:35] = True       # a 2-pixel band
    gt[np.arange(40), np.arange(40)] = True  # a diagonal
    dt = np.zeros((40, 40), bool)
    dt[11, 3:37] = True
    dt[20:23, 5:35] = True
    dt[np.arange(39), np.arange(1, 40)] = True
    cases.append(pair_case("biou_pair_thin", gt, dt, 0.1))
    cases.append(pair_case("biou_pair_empty_gt", np.zeros((12, 16), bool), foreground(12, 16, 2),
                           0.02))
    cases.append(pair_case("biou_pair_both_empty", np.zeros((9, 7), bool),
                           np.zeros((9, 7), bool), 0.02))
    full = np.ones((30, 25), bool)
    cases.append(pair_case("biou_pair_full", full, foreground(30, 25, 5), 0.08))
    # d = round(2.5) = 2 (halves to even): 75 x 100 has diagonal 125.
    gt = foreground(75, 100, 6)
    cases.append(pair_case("biou_pair_half_to_even", gt, np.roll(gt, 3, axis=0), 0.02))
    # A width beyond the mask: every foreground pixel is boundary.
    gt = foreground(10, 12, 3)
    cases.append(pair_case("biou_pair_wide", gt, np.roll(gt, 1, axis=1), 0.5))
    # Ratio 0: d = 1.
    gt = foreground(16, 16, 3)
    cases.append(pair_case("biou_pair_ratio_zero", gt, np.roll(gt, -1, axis=0), 0.0))
    # Semantic segmentation.
    labels = np.stack([blobs(24, 32, 6, classes=4) for _ in range(3)])
    cases.append(semantic_case("biou_semantic_4_classes", with_ignored(labels, 0.05),
                               perturbed(labels, 4, 3), 4))
    labels = np.stack([blobs(40, 30, 8, classes=5) for _ in range(2)])
    labels[0, 10:13, :] = 255    # an ignored band across the image
    cases.append(semantic_case("biou_semantic_ignored_band_ratio_005", labels,
                               perturbed(np.where(labels == 255, 1, labels), 5, 4), 5,
                               ratio=0.05))
    # Class 3 never labelled or predicted (NaN), class 2 only predicted, ignore index -1, ids.
    labels = np.stack([blobs(20, 20, 5, classes=2) for _ in range(2)])
    predicted = perturbed(labels, 2, 2)
    predicted[1, 2:6, 3:9] = 2
    cases.append(semantic_case("biou_semantic_absent_class_ids",
                               with_ignored(labels, 0.1, ignore=-1), predicted, 4, ignore=-1,
                               class_ids=True))
    # Labels (N, 1, H, W), thin structures, a width of several pixels.
    labels = np.stack([blobs(32, 32, 5, classes=3) for _ in range(2)])
    labels[:, 5, :] = 2
    labels[:, :, 20] = 1
    cases.append(semantic_case("biou_semantic_n1hw_thin", labels, perturbed(labels, 3, 5), 3,
                               ratio=0.1, keep_class_axis=True))
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate_boundary.py",
                   "opencv": cv2.__version__, "numpy": np.__version__,
                   "reference_float": "float64", "cases": cases}, out, allow_nan=False)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
