#!/usr/bin/python3
"""pycocotools' COCOeval (segm) on MaskApBenchmark's dataset: the median time of one evaluation, ms.

    COCOAPI=/tmp/cocoapi/PythonAPI /usr/bin/python3 benchmarks/mask_ap_bench.py [RUNS] [--boundary]

The dataset is MaskApData's, drawn with the same 64-bit LCG and integer raster: 50 images of
480 x 640, 10 ground truths of 5 classes and 30 detections each (see MaskApData.java). pycocotools
is the one built from source for engines-test/reference/generate_mask_ap.py (see its docstring).

Prints the median wall and CPU time (time.process_time: this process, not the boundary pool's
workers) of RUNS runs after 2 warm-up runs. Two timings, both ending in evaluate + accumulate +
summarize (stdout suppressed):
  with encoding     mask.encode of every mask (uint8 Fortran-order arrays made before timing),
                    the ground-truth COCO, loadRes, COCOeval: what segloss's addImage + evaluate
                    do from host masks;
  without encoding  the same from RLEs encoded before timing.
--boundary also times boundary-iou-api's COCOeval(iouType="boundary") with encoding (its COCO
computes the boundaries on a multiprocessing pool of os.cpu_count() workers); set
BOUNDARY_IOU_API_FULL as for generate_boundary_ap.py.
"""
import contextlib
import io
import os
import sys
import time

import numpy as np

np.float = float  # cocoeval.py uses the alias numpy 1.24 removed (see generate_mask_ap.py)
sys.path.insert(0, os.environ.get("COCOAPI", "/tmp/cocoapi/PythonAPI"))
from pycocotools import mask as mask_utils  # noqa: E402
from pycocotools.coco import COCO  # noqa: E402
from pycocotools.cocoeval import COCOeval  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 7
H, W, IMAGES, GTS, DTS, CLASSES = 480, 640, 50, 10, 30, 5
MASK64 = (1 << 64) - 1


class Lcg:
    """Knuth's MMIX LCG; the draw is the high 31 bits (as MaskApData.next)."""

    def __init__(self):
        self.state = 20261206

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK64
        return self.state >> 33


def shape(r):
    return [r.next() % 2, r.next() % H, r.next() % W, 10 + r.next() % 90, 10 + r.next() % 120]


def raster(s):
    kind, cy, cx, ry, rx = s
    m = np.zeros((H, W), np.uint8)
    y0, y1 = max(0, cy - ry), min(H - 1, cy + ry)
    x0, x1 = max(0, cx - rx), min(W - 1, cx + rx)
    yy, xx = np.mgrid[y0:y1 + 1, x0:x1 + 1].astype(np.int64)
    dy, dx = yy - cy, xx - cx
    inside = np.ones_like(dy, bool) if kind == 0 else \
        dy * dy * rx * rx + dx * dx * ry * ry <= rx * rx * ry * ry
    m[y0:y1 + 1, x0:x1 + 1] = inside
    return m


def draw():
    r = Lcg()
    images = []
    for n in range(IMAGES):
        shapes, gt, dt = [], [], []
        for j in range(GTS):
            s = shape(r)
            shapes.append(s)
            c = r.next() % CLASSES
            gt.append((raster(s), c, n % 10 == 0 and j == 0))
        for i in range(DTS):
            if i < 2 * GTS:
                g = shapes[i // 2]
                s = [g[0], g[1] + r.next() % 7 - 3, g[2] + r.next() % 7 - 3,
                     max(1, g[3] + r.next() % 5 - 2), max(1, g[4] + r.next() % 5 - 2)]
                c = gt[i // 2][1]
            else:
                s = shape(r)
                c = r.next() % CLASSES
            m = raster(s)
            dt.append((m, c, (r.next() % 1000000) / 1e6))
        images.append((gt, dt))
    return images


def fortran(images):
    return [([(np.asfortranarray(m), c, x) for m, c, x in gt],
             [(np.asfortranarray(m), c, s) for m, c, s in dt]) for gt, dt in images]


def encode(images):
    return [([(mask_utils.encode(m), c, x) for m, c, x in gt],
             [(mask_utils.encode(m), c, s) for m, c, s in dt]) for gt, dt in images]


def evaluate(encoded, coco=COCO, make_eval=lambda g, d: COCOeval(g, d, "segm")):
    gt = {"images": [{"id": n + 1, "height": H, "width": W} for n in range(len(encoded))],
          "annotations": [], "categories": [{"id": c + 1} for c in range(CLASSES)]}
    dts = []
    for n, (gts, dets) in enumerate(encoded):
        for rle, c, crowd in gts:
            gt["annotations"].append({"id": len(gt["annotations"]) + 1, "image_id": n + 1,
                                      "category_id": c + 1, "segmentation": rle,
                                      "area": float(mask_utils.area(rle)),
                                      "bbox": list(mask_utils.toBbox(rle)),
                                      "iscrowd": int(crowd)})
        for rle, c, s in dets:
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
    return e.stats


def median_ms(fn):
    times, cpu, value = [], [], None
    for r in range(RUNS + 2):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = fn()
        if r >= 2:
            times.append((time.perf_counter() - start) * 1e3)
            cpu.append((time.process_time() - start_cpu) * 1e3)
    times.sort()
    cpu.sort()
    return times[len(times) // 2], cpu[len(cpu) // 2], times[0], times[-1], value


def main():
    images = fortran(draw())
    encoded = encode(images)
    rows = [("segm, with encoding", lambda: evaluate(encode(images))),
            ("segm, without encoding", lambda: evaluate(encoded))]
    if "--boundary" in sys.argv:
        sys.path.insert(0, os.environ.get("BOUNDARY_IOU_API_FULL", "/tmp/biou-full"))
        from boundary_iou.coco_instance_api.coco import COCO as BCOCO
        from boundary_iou.coco_instance_api.cocoeval import COCOeval as BCOCOeval
        rows.append(("boundary, with encoding",
                     lambda: evaluate(encode(images), BCOCO,
                                      lambda g, d: BCOCOeval(g, d, "boundary"))))
    for name, fn in rows:
        median, cpu, low, high, stats = median_ms(fn)
        print("%s: median %.1f ms (CPU %.1f ms) of %d, wall %.1f to %.1f, stats %s"
              % (name, median, cpu, RUNS, low, high, [float(v) for v in stats]))


if __name__ == "__main__":
    main()
