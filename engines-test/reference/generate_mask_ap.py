#!/usr/bin/python3
"""Generates the reference cases of segloss's MaskAveragePrecision from pycocotools' COCOeval.

pycocotools is built from its source with Debian's cython3 and python3-numpy, unchanged:

    git -C <cocoapi mirror> archive HEAD PythonAPI common | tar -x -C /tmp/cocoapi
    (cd /tmp/cocoapi/PythonAPI && /usr/bin/python3 setup.py build_ext --inplace)
    COCOAPI=/tmp/cocoapi/PythonAPI /usr/bin/python3 engines-test/reference/generate_mask_ap.py

(the mirror is github:cocodataset/cocoapi). Each case is a small synthetic dataset: per image,
binary masks (random rectangles and ellipses) of ground truths with class and iscrowd flag, and of
detections (shifted or grown copies of ground truths and false positives) with score and class.
Masks are converted with pycocotools.mask.encode (Fortran order), the ground truths' area is the
mask's pixel count, the detections are loaded with COCO.loadRes (which sets their area with
mask.area), and COCOeval(gt, dt, "segm") runs evaluate, accumulate and summarize with its
default parameters (numpy >= 1.24 removed the alias np.float that cocoeval.py uses; the
script restores it as the builtin float, which it always was). Class c is category id c + 1, image n is image id n + 1.

Each mask is written as row-major run lengths (alternately background and foreground, starting
with background): input img<n>_dtRuns holds the runs of all detections of image n one after the
other and img<n>_dtRunCounts how many runs each mask has (the same for gt). Expected: loss =
stats[0], stats = stats[0..11], perClassAp = mean of eval['precision'][:, :, k, 0, -1] over its
entries > -1. COCOeval's -1 (undefined) is written as null (NaN).

It writes engines-test/src/test/resources/reference/generated-mask-ap.json in the format of
generated-boundary.json. CI does not run this script; it only reads the JSON.
"""
import contextlib
import io
import json
import math
import os
import sys

import numpy as np

# cocoeval.py (written for numpy < 1.24) uses the removed alias np.float for float64 counts;
# restoring the alias leaves its arithmetic unchanged (np.float was the builtin float).
np.float = float
sys.path.insert(0, os.environ.get("COCOAPI", "/tmp/cocoapi/PythonAPI"))
from pycocotools import mask as mask_utils  # noqa: E402
from pycocotools.coco import COCO  # noqa: E402
from pycocotools.cocoeval import COCOeval  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-mask-ap.json")
SOURCE = "pycocotools (cocodataset/cocoapi PythonAPI, built with cython3) COCOeval segm"
rng = np.random.default_rng(20261214)


def number(v):
    v = float(v)
    return None if math.isnan(v) or v == -1 else v


def arr(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.flatten().tolist()]}


def runs(mask):
    """Row-major run lengths, alternately background and foreground, starting with background."""
    flat = mask.astype(bool).flatten()
    out = []
    value = False
    count = 0
    for p in flat:
        if p == value:
            count += 1
        else:
            out.append(count)
            value = p
            count = 1
    out.append(count)
    return out


def shape_mask(h, w, top, left, hh, ww, ellipse):
    m = np.zeros((h, w), bool)
    if ellipse:
        yy, xx = np.mgrid[0:h, 0:w]
        cy, cx = top + (hh - 1) / 2.0, left + (ww - 1) / 2.0
        m = ((yy - cy) / (hh / 2.0)) ** 2 + ((xx - cx) / (ww / 2.0)) ** 2 <= 1.0
    else:
        m[max(top, 0):max(top + hh, 0), max(left, 0):max(left + ww, 0)] = True
    return m


def random_mask(h, w, min_size, max_size):
    hh = int(rng.integers(min_size, max_size + 1))
    ww = int(rng.integers(min_size, max_size + 1))
    top = int(rng.integers(-2, max(h - hh + 2, -1)))
    left = int(rng.integers(-2, max(w - ww + 2, -1)))
    return shape_mask(h, w, top, left, hh, ww, bool(rng.integers(0, 2)))


def jitter(mask):
    dy, dx = (int(v) for v in rng.integers(-1, 2, size=2))
    out = np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    if rng.random() < 0.3:
        out = out | np.roll(out, 1, axis=1)
    return out


def make_image(h, w, classes, n_gt, n_fp, sizes, crowd_rate, score_digits=None,
               copies_last=False):
    gt = []
    for _ in range(n_gt):
        m = random_mask(h, w, *sizes)
        gt.append((m, int(rng.integers(0, classes)), bool(rng.random() < crowd_rate)))
    dt = []
    for m, c, _ in gt:
        for _ in range(int(rng.integers(0, 3))):
            same = rng.random() < 0.85
            dt.append((jitter(m), c if same else int(rng.integers(0, classes))))
    copies = len(dt)
    for _ in range(n_fp):
        dt.append((random_mask(h, w, *sizes), int(rng.integers(0, classes))))
    scores = rng.random(len(dt))
    if copies_last:
        # the ground truths' copies score below most false positives: some rank past 100
        scores[:copies] *= 0.3
        scores[copies:] = 0.2 + 0.8 * scores[copies:]
    if score_digits is not None:
        scores = np.round(scores, score_digits)
    return {"h": h, "w": w, "gt": gt, "dt": [(m, c, float(s)) for (m, c), s in zip(dt, scores)]}


def coco_eval(images, classes, coco=COCO, make_eval=lambda gt, dt: COCOeval(gt, dt, "segm")):
    """COCOeval's stats and per-class AP; coco and make_eval let generate_boundary_ap.py run
    boundary-iou-api's COCO and COCOeval(iouType="boundary") on the same datasets."""
    gt = {"images": [], "annotations": [], "categories": [{"id": c + 1} for c in range(classes)]}
    dts = []
    ann_id = 1
    for n, img in enumerate(images):
        gt["images"].append({"id": n + 1, "height": img["h"], "width": img["w"]})
        for m, c, crowd in img["gt"]:
            rle = mask_utils.encode(np.asfortranarray(m.astype(np.uint8)))
            gt["annotations"].append({"id": ann_id, "image_id": n + 1, "category_id": c + 1,
                                      "segmentation": rle, "area": float(m.sum()),
                                      "bbox": list(mask_utils.toBbox(rle)),
                                      "iscrowd": int(crowd)})
            ann_id += 1
        for m, c, s in img["dt"]:
            rle = mask_utils.encode(np.asfortranarray(m.astype(np.uint8)))
            dts.append({"image_id": n + 1, "category_id": c + 1, "segmentation": rle,
                        "score": s})
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = coco()
        coco_gt.dataset = gt
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(dts)
        e = make_eval(coco_gt, coco_dt)
        e.evaluate()
        e.accumulate()
        e.summarize()
    precision = e.eval["precision"]
    per_class = []
    for k in range(classes):
        p = precision[:, :, k, 0, -1]
        per_class.append(number(np.mean(p[p > -1])) if (p > -1).any() else None)
    return [number(v) for v in e.stats], per_class


def case(name, images, classes):
    stats, per_class = coco_eval(images, classes)
    inputs = {}
    for n, img in enumerate(images):
        inputs["img%d_size" % n] = arr([img["h"], img["w"]])
        for kind, items in (("dt", img["dt"]), ("gt", img["gt"])):
            all_runs = []
            counts = []
            for item in items:
                r = runs(item[0])
                all_runs.extend(r)
                counts.append(len(r))
            inputs["img%d_%sRuns" % (n, kind)] = arr(np.array(all_runs, dtype=np.float64))
            inputs["img%d_%sRunCounts" % (n, kind)] = arr(np.array(counts, dtype=np.float64))
        inputs["img%d_scores" % n] = arr(np.array([s for _, _, s in img["dt"]], np.float64))
        inputs["img%d_dtClasses" % n] = arr(np.array([c for _, c, _ in img["dt"]], np.float64))
        inputs["img%d_gtClasses" % n] = arr(np.array([c for _, c, _ in img["gt"]], np.float64))
        inputs["img%d_gtCrowd" % n] = arr(np.array([x for _, _, x in img["gt"]], np.float64))
    return {"name": name, "loss": "MaskAveragePrecision",
            "params": {"numClasses": classes, "numImages": len(images)},
            "source": SOURCE, "inputs": inputs, "grads": [],
            "expected": {"loss": stats[0], "stats": stats, "perClassAp": per_class}}


def main():
    cases = []
    # Small images, three classes (one may have detections only), distinct scores.
    cases.append(case("mask_ap_small_three_classes",
                      [make_image(24, 32, 3, 5, 2, (5, 14), 0.0) for _ in range(4)], 4))
    # Crowd regions, all three area ranges (up to 110 x 110 objects), tied scores.
    cases.append(case("mask_ap_crowd_areas",
                      [make_image(128, 128, 2, 6, 3, (6, 110), 0.25, score_digits=1)
                       for _ in range(3)], 2))
    # Many detections of one class: max detections 1, 10 and the cut at 100.
    crowded = make_image(32, 32, 1, 12, 115, (4, 9), 0.1, copies_last=True)
    cases.append(case("mask_ap_many_detections", [crowded, make_image(32, 32, 1, 3, 2, (4, 9),
                                                                        0.0)], 1))
    # An image without detections and one without ground truths.
    empty_dt = make_image(20, 20, 2, 3, 0, (5, 10), 0.0)
    empty_dt["dt"] = []
    empty_gt = make_image(20, 20, 2, 0, 3, (5, 10), 0.0)
    cases.append(case("mask_ap_empty_images",
                      [make_image(20, 20, 2, 4, 1, (5, 10), 0.2), empty_dt, empty_gt], 2))
    # A crowd region listed before an object it contains: COCOeval tries the object first (kept
    # ground truths before ignored ones), although the crowd's IoU (|dt & gt| / |dt|) is higher.
    crowd = shape_mask(8, 8, 0, 0, 8, 6, False)
    obj = shape_mask(8, 8, 0, 2, 4, 4, False)
    listed_first = {"h": 8, "w": 8, "gt": [(crowd, 0, True), (obj, 0, False)],
                    "dt": [(shape_mask(8, 8, 0, 1, 4, 5, False), 0, 0.9),
                           (shape_mask(8, 8, 5, 6, 2, 2, False), 0, 0.4)]}
    cases.append(case("mask_ap_crowd_listed_first", [listed_first], 1))
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate_mask_ap.py",
                   "numpy": np.__version__, "reference_float": "float64", "cases": cases},
                  out, allow_nan=False)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))
    for c in cases:
        print(c["name"], c["expected"]["stats"], c["expected"]["perClassAp"])


if __name__ == "__main__":
    main()
