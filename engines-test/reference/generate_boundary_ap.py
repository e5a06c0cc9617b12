#!/usr/bin/python3
"""Generates the Boundary AP cases and the fuzz datasets of segloss's MaskAveragePrecision.

Boundary AP is boundary-iou-api's COCOeval with iouType="boundary", imported unchanged from its
source (github:bowenc0221/boundary-iou-api, commit 37d2558) together with its COCO class, which
adds each annotation's boundary (utils/boundary_utils.py mask_to_boundary, dilation_ratio 0.02 of
the image diagonal, with Debian's python3-opencv) when COCOeval asks for it. Both import
pycocotools.mask, which comes from pycocotools built from source as generate_mask_ap.py's
docstring says:

    git -C <boundary-iou-api mirror> archive HEAD boundary_iou | tar -x -C /tmp/biou-full
    COCOAPI=/tmp/cocoapi/PythonAPI BOUNDARY_IOU_API_FULL=/tmp/biou-full \\
        /usr/bin/python3 engines-test/reference/generate_boundary_ap.py

The datasets are built, encoded and written by generate_mask_ap.py's functions (imported from
it): masks as row-major run lengths, ground truths' area = pixel count, detections through
COCO.loadRes, stats[0..11] and the per-class AP. numpy >= 1.24 removed np.float, which both
cocoeval.py files use; it is restored as the builtin float (see generate_mask_ap.py).

generated-boundary-ap.json (kind MaskAveragePrecision, params iouType "boundary" and
dilationRatio): thin masks, masks cut by the image border, crowd regions, a larger dilation ratio.
Expected: boundary-iou-api's stats and per-class AP; segmStats holds pycocotools' segm stats on the
same data (the two differ where boundaries matter).

generated-mask-ap-fuzz.json (kind MaskAveragePrecisionFuzz): random datasets whose shapes the test
does not know: image sizes 1x1, 1xN, Nx1, odd, up to 97; images without detections or ground
truths, only crowd regions, more than 100 detections in one image; empty, full, one-pixel-wide,
border-touching, elliptic and noisy masks; random classes and scores with ties. Expected: stats
and perClassAp of pycocotools' COCOeval segm, boundaryStats and boundaryPerClassAp of
boundary-iou-api's COCOeval boundary. Every dataset has at least one detection: COCO.loadRes
cannot load an empty result list.

CI does not run this script; it only reads the JSON.
"""
import importlib.util
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("generate_mask_ap",
                                               os.path.join(HERE, "generate_mask_ap.py"))
gm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gm)  # sets np.float and puts pycocotools on the path

sys.path.insert(0, os.environ.get("BOUNDARY_IOU_API_FULL", "/tmp/biou-full"))
from boundary_iou.coco_instance_api.coco import COCO as BoundaryCOCO  # noqa: E402
from boundary_iou.coco_instance_api.cocoeval import COCOeval as BoundaryCOCOeval  # noqa: E402

import cv2  # noqa: E402

REFERENCE = os.path.join(HERE, "..", "src", "test", "resources", "reference")
SOURCE = ("boundary-iou-api 37d2558 coco_instance_api COCOeval iouType boundary, pycocotools "
          "(cocodataset/cocoapi, built with cython3) mask API, OpenCV %s" % cv2.__version__)
FUZZ_SOURCE = ("pycocotools (cocodataset/cocoapi PythonAPI, built with cython3) COCOeval segm and "
               + SOURCE)
rng = np.random.default_rng(20261215)
gm.rng = rng  # generate_mask_ap's mask helpers draw from this generator


def boundary_eval(images, classes, ratio):
    return gm.coco_eval(images, classes, coco=BoundaryCOCO,
                        make_eval=lambda g, d: BoundaryCOCOeval(g, d, "boundary",
                                                                dilation_ratio=ratio))


def boundary_case(name, images, classes, ratio=0.02):
    c = gm.case(name, images, classes)
    segm = c["expected"]["stats"]
    stats, per_class = boundary_eval(images, classes, ratio)
    c["params"].update({"iouType": "boundary", "dilationRatio": ratio})
    c["source"] = SOURCE
    c["expected"] = {"loss": stats[0], "stats": stats, "perClassAp": per_class,
                     "segmStats": segm}
    return c


def thin_mask(h, w):
    """A bar one to three pixels thick, sometimes reaching past the border."""
    if rng.random() < 0.5:
        hh, ww = int(rng.integers(1, 4)), int(rng.integers(1, w + 3))
    else:
        hh, ww = int(rng.integers(1, h + 3)), int(rng.integers(1, 4))
    top = int(rng.integers(-2, max(h - hh + 2, -1)))
    left = int(rng.integers(-2, max(w - ww + 2, -1)))
    return gm.shape_mask(h, w, top, left, hh, ww, False)


def border_mask(h, w):
    """A rectangle or ellipse cut by one or two image borders."""
    hh = int(rng.integers(max(1, h // 4), h + 1))
    ww = int(rng.integers(max(1, w // 4), w + 1))
    top = int(rng.choice([-hh // 3, h - 2 * hh // 3, int(rng.integers(0, h - hh + 1))]))
    left = int(rng.choice([-ww // 3, w - 2 * ww // 3, int(rng.integers(0, w - ww + 1))]))
    return gm.shape_mask(h, w, top, left, hh, ww, bool(rng.integers(0, 2)))


def image_of(h, w, classes, gt_masks, crowd_rate, n_fp, make):
    gt = [(m, int(rng.integers(0, classes)), bool(rng.random() < crowd_rate)) for m in gt_masks]
    dt = []
    for m, c, _ in gt:
        for _ in range(int(rng.integers(1, 3))):
            dt.append((gm.jitter(m), c if rng.random() < 0.85 else int(rng.integers(0, classes))))
    for _ in range(n_fp):
        dt.append((make(h, w), int(rng.integers(0, classes))))
    scores = rng.random(len(dt))
    return {"h": h, "w": w, "gt": gt, "dt": [(m, c, float(s)) for (m, c), s in zip(dt, scores)]}


def boundary_cases():
    cases = []
    thin = [image_of(48, 64, 2, [thin_mask(48, 64) for _ in range(5)]
                     + [gm.random_mask(48, 64, 16, 40)], 0.0, 2, thin_mask) for _ in range(3)]
    cases.append(boundary_case("boundary_ap_thin_masks", thin, 2))
    border = [image_of(40, 40, 2, [border_mask(40, 40) for _ in range(5)], 0.0, 2, border_mask),
              image_of(1, 57, 1, [thin_mask(1, 57) for _ in range(2)], 0.0, 1, thin_mask),
              image_of(45, 1, 1, [thin_mask(45, 1) for _ in range(2)], 0.0, 1, thin_mask)]
    cases.append(boundary_case("boundary_ap_border_touching", border, 2))
    cases.append(boundary_case("boundary_ap_crowd_areas",
                               [gm.make_image(128, 128, 2, 6, 3, (6, 110), 0.3, score_digits=1)
                                for _ in range(3)], 2))
    cases.append(boundary_case("boundary_ap_ratio_0.05",
                               [gm.make_image(64, 64, 3, 5, 2, (4, 40), 0.2) for _ in range(2)],
                               3, ratio=0.05))
    crowded = gm.make_image(32, 32, 1, 12, 115, (4, 9), 0.1, copies_last=True)
    cases.append(boundary_case("boundary_ap_many_detections", [crowded], 1))
    # Against a crowd region the IoU stays the mask IoU (|dt & gt| / |dt|): a detection deep
    # inside the crowd, whose boundary shares no pixel with the crowd's, is still absorbed.
    crowd = gm.shape_mask(40, 40, 0, 0, 40, 24, False)
    inside = gm.shape_mask(40, 40, 10, 6, 12, 10, False)
    obj = gm.shape_mask(40, 40, 8, 28, 20, 10, False)
    absorbed = {"h": 40, "w": 40, "gt": [(crowd, 0, True), (obj, 0, False)],
                "dt": [(inside, 0, 0.9), (obj, 0, 0.5)]}
    cases.append(boundary_case("boundary_ap_crowd_keeps_mask_iou", [absorbed], 1))
    return cases


def fuzz_size():
    return int(rng.choice([1, int(rng.integers(1, 98)), 2 * int(rng.integers(0, 49)) + 1]))


def fuzz_mask(h, w):
    kind = int(rng.integers(0, 8))
    if kind == 0:
        return np.zeros((h, w), bool)
    if kind == 1:
        return np.ones((h, w), bool)
    if kind == 2 and h * w <= 24 * 24:
        return rng.random((h, w)) < rng.uniform(0.2, 0.8)
    if kind == 3:
        return thin_mask(h, w)
    if kind == 4:
        return border_mask(h, w)
    return gm.random_mask(h, w, 1, max(1, max(h, w)))


def fuzz_image(classes, crowd_mode, many):
    h, w = fuzz_size(), fuzz_size()
    if many:
        h, w = int(rng.integers(1, 33)), int(rng.integers(1, 33))
    n_gt = 0 if rng.random() < 0.15 else int(rng.integers(0, 7))
    gt = []
    for _ in range(n_gt):
        crowd = crowd_mode == "only" or (crowd_mode == "some" and rng.random() < 0.3)
        gt.append((fuzz_mask(h, w), int(rng.integers(0, classes)), bool(crowd)))
    dt = []
    if many:
        n_dt = int(rng.integers(101, 126))
    else:
        n_dt = 0 if rng.random() < 0.15 else int(rng.integers(0, 9))
    for _ in range(n_dt):
        if gt and rng.random() < 0.7:
            m, c, _ = gt[int(rng.integers(0, len(gt)))]
            dt.append((gm.jitter(m), c if rng.random() < 0.8 else int(rng.integers(0, classes))))
        else:
            dt.append((fuzz_mask(h, w), int(rng.integers(0, classes))))
    return {"h": h, "w": w, "gt": gt, "dt": dt}


def fuzz_dataset():
    classes = int(rng.integers(1, 5))
    crowd_mode = str(rng.choice(["none", "some", "only"], p=[0.4, 0.45, 0.15]))
    n_images = int(rng.integers(1, 5))
    many_at = int(rng.integers(0, n_images)) if rng.random() < 0.2 else -1
    images = [fuzz_image(classes, crowd_mode, n == many_at) for n in range(n_images)]
    if not any(img["dt"] for img in images):
        img = images[0]
        img["dt"].append((fuzz_mask(img["h"], img["w"]), int(rng.integers(0, classes))))
    ties = str(rng.choice(["distinct", "rounded", "equal"], p=[0.5, 0.35, 0.15]))
    for img in images:
        scores = rng.random(len(img["dt"]))
        if ties == "rounded":
            scores = np.round(scores, 1)
        elif ties == "equal":
            scores[:] = 0.5
        img["dt"] = [(m, c, float(s)) for (m, c), s in zip(img["dt"], scores)]
    return images, classes


def fuzz_cases(count):
    cases = []
    for k in range(count):
        images, classes = fuzz_dataset()
        c = gm.case("mask_ap_fuzz_%02d" % k, images, classes)
        stats, per_class = boundary_eval(images, classes, 0.02)
        c["loss"] = "MaskAveragePrecisionFuzz"
        c["source"] = FUZZ_SOURCE
        c["expected"]["boundaryStats"] = stats
        c["expected"]["boundaryPerClassAp"] = per_class
        cases.append(c)
    return cases


def write(name, cases):
    path = os.path.join(REFERENCE, name)
    with open(path, "w") as out:
        json.dump({"generator": "engines-test/reference/generate_boundary_ap.py",
                   "numpy": np.__version__, "opencv": cv2.__version__,
                   "reference_float": "float64", "cases": cases}, out, allow_nan=False)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(path)))


def main():
    cases = boundary_cases()
    write("generated-boundary-ap.json", cases)
    for c in cases:
        print(c["name"], "boundary", c["expected"]["stats"][:3], "segm",
              c["expected"]["segmStats"][:3])
    fuzz = fuzz_cases(40)
    write("generated-mask-ap-fuzz.json", fuzz)
    for c in fuzz:
        sizes = [(int(v) for v in c["inputs"]["img%d_size" % n]["data"])
                 for n in range(c["params"]["numImages"])]
        dets = [len(c["inputs"]["img%d_scores" % n]["data"])
                for n in range(c["params"]["numImages"])]
        print(c["name"], c["params"], ["%dx%d" % tuple(s) for s in sizes], dets,
              c["expected"]["stats"][0], c["expected"]["boundaryStats"][0])


if __name__ == "__main__":
    main()
