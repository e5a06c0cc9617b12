#!/usr/bin/python3
"""Turns compare.sh's JMH JSON and torch_bench.py / torch_train_step.py / metric_bench.py output
into the tables of README.md's performance section, each row with its target from issue 5 (the
metrics: issue 14) and whether it is met."""
import json
import sys


def load(jmh_path, torch_path):
    jmh = {}
    for row in json.load(open(jmh_path)):
        bench = row["benchmark"].rsplit(".", 2)
        params = row.get("params", {})
        key = (bench[1], bench[2], params.get("engine"), params.get("caseName"), params.get("setup"))
        jmh[key] = row["primaryMetric"]["score"]
    torch = {}
    for line in open(torch_path):
        name, ms = line.split()
        torch[name] = float(ms)
    return jmh, torch


def fmt(value):
    return "—" if value is None else ("%.2f" % value if value < 100 else "%.0f" % value)


def ratio(a, b):
    return None if a is None or b is None else a / b


def verdict(value, limit):
    if value is None:
        return "—"
    return "yes" if value <= limit else "**no**"


LIMITS = {"ce": 1.5, "ce-prob": 1.5, "mask_loss": 1.5, "gdl": 1.5, "mcc": 1.5,
          "boundary": 1.5, "boundary-computed": 1.5, "hausdorff": 1.5}


METRIC_CASES = [
    ("report_8x21x128x128", "smp get_stats + iou/f1/precision/recall"),
    ("biou_8x21x128x128", "boundary-iou-api mask_to_boundary + IoU"),
] + [("%s_%s" % (m, size), "MONAI " + f) for size in ("512x512", "128x128x128")
     for m, f in (("hd95", "compute_hausdorff_distance(percentile=95)"),
                  ("assd", "compute_average_surface_distance(symmetric=True)"),
                  ("nsd", "compute_surface_dice"))]


def main():
    jmh, torch = load(sys.argv[1], sys.argv[2])

    def get(cls, method, engine=None, case=None, setup=None):
        return jmh.get((cls, method, engine, case, setup))

    print("\nLosses, forward + backward, ms (validation: the loss's input checks alone, as a"
          " share of its PyTorch-engine time)\n")
    print("| case | segloss (DJL PyTorch) | DJL built-in (DJL PyTorch) | PyTorch | segloss / PyTorch"
          " | target | met | segloss / DJL built-in | validation | segloss (DJL MXNet) |"
          " DJL built-in (DJL MXNet) |")
    print("| --- " * 11 + "|")
    cases = [r["params"]["caseName"] for r in json.load(open(sys.argv[1]))
             if r["benchmark"].endswith("LossBenchmark.segloss")]
    seen = []
    for case in cases:
        if case in seen:
            continue
        seen.append(case)
        kind = case.rsplit("_", 1)[0]
        seg = get("LossBenchmark", "segloss", "PyTorch", case)
        djl = get("BuiltinLossBenchmark", "builtin", "PyTorch", case)
        ref = torch.get(case)
        limit = LIMITS.get(kind, 2.0)
        check_case = case if get("ValidationBenchmark", "validate", "PyTorch", case) else None
        if check_case is None and kind not in ("bce", "mask_loss", "pspnet", "ce-prob"):
            check_case = "ce_8x21x128x128"  # the class-index check on the same labels
        if kind == "pspnet":
            check = get("ValidationBenchmark", "validate", "PyTorch", "ce_8x21x128x128")
            check = None if check is None else 2 * check  # one check per head
        else:
            check = get("ValidationBenchmark", "validate", "PyTorch", check_case)
        r = ratio(seg, ref)
        target = "≤ %.1f× PyTorch" % limit + (", ≤ DJL" if kind == "ce" else "")
        met = verdict(r, limit)
        if kind == "ce" and djl is not None and seg is not None and seg > djl:
            met = "**no** (DJL)" if met == "yes" else met
        share = ratio(check, seg)
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            case, fmt(seg), fmt(djl), fmt(ref), fmt(r), target, met, fmt(ratio(seg, djl)),
            "—" if share is None else "%.1f%%" % (100 * share),
            fmt(get("LossBenchmark", "segloss", "MXNet", case)),
            fmt(get("BuiltinLossBenchmark", "builtin", "MXNet", case))))

    print("\nMask targets and the whole mask loss (16 masks of 1024², 256 RoIs, 28²), ms\n")
    print("| what | segloss (DJL PyTorch) | PyTorch | ratio | target | met | segloss (DJL MXNet) |")
    print("| --- " * 7 + "|")
    rows = [("MaskTargets.project vs roi_align", "project", "mask_targets_16x1024x1024", 2.0),
            ("projection + MaskRcnnMaskLoss fwd+bwd vs maskrcnn_loss", "maskRcnnLoss",
             "mask_rcnn_loss_with_targets", None)]
    for label, method, ref_name, limit in rows:
        seg = get("MaskTargetsBenchmark", method, "PyTorch")
        ref = torch.get(ref_name)
        r = ratio(seg, ref)
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            label, fmt(seg), fmt(ref), fmt(r), "≤ %.1f×" % limit if limit else "—",
            verdict(r, limit) if limit else "—", fmt(get("MaskTargetsBenchmark", method, "MXNet"))))

    print("\nMetric update, ms\n")
    print("| what | segloss (DJL PyTorch) | PyTorch | ratio | segloss (DJL MXNet) |")
    print("| --- " * 5 + "|")
    seg = get("MeanIoUBenchmark", "update", "PyTorch")
    ref = torch.get("miou_update_8x21x128x128")
    print("| MeanIoU update, (8, 21, 128, 128) logits | %s | %s | %s | %s |" % (
        fmt(seg), fmt(ref), fmt(ratio(seg, ref)), fmt(get("MeanIoUBenchmark", "update", "MXNet"))))

    print("\nMetrics of issue 14, one update from an empty accumulator and its value, ms"
          " (JMH's mean; Python: metric_bench.py's median; same inputs and threads)\n")
    print("| case | segloss (DJL PyTorch) | Python | Python side | ratio | target | met |"
          " segloss (DJL MXNet) |")
    print("| --- " * 8 + "|")
    for case, side in METRIC_CASES:
        seg = get("MetricBenchmark", "update", "PyTorch", case)
        ref = torch.get(case)
        r = ratio(seg, ref)
        print("| %s | %s | %s | %s | %s | ≤ 1.5× | %s | %s |" % (
            case, fmt(seg), fmt(ref), side, fmt(r), verdict(r, 1.5),
            fmt(get("MetricBenchmark", "update", "MXNet", case))))

    print("\nDistance maps of a 512² label map (21 classes), ms\n")
    print("| what | segloss, host | segloss (DJL PyTorch) | segloss (DJL MXNet) | scipy |"
          " host / scipy |")
    print("| --- " * 6 + "|")
    for what, host, device, ref_name in (
            ("EDT of one mask", "hostEuclidean", "deviceEuclidean", "edt_512x512"),
            ("signed maps of 21 classes", "hostSignedPerClass", "deviceSignedPerClass",
             "one_hot2dist_21x512x512")):
        seg = get("DistanceMapsBenchmark", host, "PyTorch")
        ref = torch.get(ref_name)
        print("| %s | %s | %s | %s | %s | %s |" % (
            what, fmt(seg), fmt(get("DistanceMapsBenchmark", device, "PyTorch")),
            fmt(get("DistanceMapsBenchmark", device, "MXNet")), fmt(ref), fmt(ratio(seg, ref))))

    print("\nTraining step of the example's PSPNet (batch 8, 128², width 16), ms\n")
    print("| what | DJL PyTorch | PyTorch (torch.nn) | ratio | target | met |")
    print("| --- " * 6 + "|")
    ref = torch.get("train_step_8x3x128x128")
    for setup, label in (("bare", "forward, loss, backward, Adam step"),
                         ("example", "the same with segloss-train's evaluator and listener")):
        seg = get("TrainingStepBenchmark", "step", "PyTorch", None, setup)
        r = ratio(seg, ref)
        print("| %s | %s | %s | %s | ≤ 1.2× | %s |" % (label, fmt(seg), fmt(ref), fmt(r),
                                                     verdict(r, 1.2)))
    batch_ms = get("DataPipelineBenchmark", "nextBatch")
    step_ms = get("TrainingStepBenchmark", "step", "PyTorch", None, "example")
    if batch_ms and step_ms:
        supply, demand = 8000 / batch_ms, 8000 / step_ms
        print("\nData pipeline alone: %.0f images/s; training consumes %.0f images/s: %.1f× "
              "(target ≥ 3×: %s)" % (supply, demand, supply / demand,
                                     "yes" if supply >= 3 * demand else "**no**"))


if __name__ == "__main__":
    main()
