#!/usr/bin/python3
"""Generates the reference cases of the segloss metrics from the real formulas, in torch.

Run with Debian's python3-torch (1.13):

    /usr/bin/python3 engines-test/reference/generate_metrics.py

It writes engines-test/src/test/resources/reference/generated-metrics.json in the format of
generated.json. The numbers come from

- detectron2's Mask R-CNN mask metrics, computed with the torch operations of mask_rcnn_loss in
  detectron2/modeling/roi_heads/mask_head.py (detectron2 itself is not installed here);
- mean IoU and pixel accuracy from a confusion matrix counted by torch.bincount, IoU per class as
  intersection / union and mIoU as the NaN-mean over classes (NaN where the union is empty).

A per-class IoU of NaN is written as null (JSON has no NaN). CI does not run this script; it only
reads the JSON.
"""
import json
import math
import os

import torch

torch.manual_seed(20261130)
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-metrics.json")
MASK_SOURCE = ("detectron2 mask_rcnn_loss metric formulas (modeling/roi_heads/mask_head.py), "
               "torch %s" % torch.__version__)
MIOU_SOURCE = "torch %s bincount confusion matrix, IoU nan-mean" % torch.__version__


def f32(t):
    """Rounds to float32 (the Java side's input type), then computes in float64."""
    return t.float().double()


def number(v):
    return None if math.isnan(v) else float(v)


def arr(t):
    return {"shape": list(t.shape), "data": [number(v) for v in t.flatten().tolist()]}


def case(name, metric, params, source, inputs, expected):
    return {"name": name, "loss": metric, "params": params, "source": source,
            "inputs": {k: arr(v) for k, v in inputs.items()}, "grads": [],
            "expected": {k: (v if isinstance(v, list) else number(v))
                         for k, v in expected.items()}}


def detectron2_mask_metrics(pred_mask_logits, gt_classes, gt_masks):
    """The metric lines of detectron2's mask_rcnn_loss, unchanged but for the storage calls."""
    cls_agnostic_mask = pred_mask_logits.size(1) == 1
    total_num_masks = pred_mask_logits.size(0)
    if cls_agnostic_mask:
        pred_mask_logits = pred_mask_logits[:, 0]
    else:
        indices = torch.arange(total_num_masks)
        pred_mask_logits = pred_mask_logits[indices, gt_classes]

    if gt_masks.dtype == torch.bool:
        gt_masks_bool = gt_masks
    else:
        gt_masks_bool = gt_masks > 0.5

    mask_incorrect = (pred_mask_logits > 0.0) != gt_masks_bool
    mask_accuracy = 1 - (mask_incorrect.sum().item() / max(mask_incorrect.numel(), 1.0))
    num_positive = gt_masks_bool.sum().item()
    false_positive = (mask_incorrect & ~gt_masks_bool).sum().item() / max(
        gt_masks_bool.numel() - num_positive, 1.0
    )
    false_negative = (mask_incorrect & gt_masks_bool).sum().item() / max(num_positive, 1.0)
    return {"accuracy": mask_accuracy, "falsePositive": false_positive,
            "falseNegative": false_negative}


def mask_case(name, rois, classes, m, class_agnostic, targets=None, logits=None):
    if logits is None:
        logits = f32(torch.randn(rois, classes, m, m) * 3)
        logits[:, :, ::2, ::2] = 0.0  # exactly 0 is predicted background (logit > 0 is strict)
    if targets is None:
        targets = torch.rand(rois, m, m, dtype=torch.float64)
        targets[:, 0, :] = 0.5  # exactly 0.5 is background (target > 0.5 is strict)
        targets[:, -1, :2] = 0.0
        targets[:, -1, 2:4] = 1.0
    targets = f32(targets)
    # Class ids beyond K show that a class-agnostic head reads channel 0 whatever the class.
    class_ids = torch.randint(0, 7 if class_agnostic else classes, (rois,))
    return case(name, "MaskRcnnMaskMetrics", {"classAgnostic": class_agnostic}, MASK_SOURCE,
                {"logits": logits, "classIds": class_ids.double(), "targets": targets},
                detectron2_mask_metrics(logits, class_ids, targets))


def confusion_matrix(labels, predicted, classes, ignore):
    valid = labels != ignore
    counts = torch.bincount(labels[valid] * classes + predicted[valid], minlength=classes ** 2)
    return counts.reshape(classes, classes).double()


def iou_metrics(labels, predicted, classes, ignore):
    matrix = confusion_matrix(labels.flatten(), predicted.flatten(), classes, ignore)
    intersection = matrix.diag()
    union = matrix.sum(0) + matrix.sum(1) - intersection
    iou = intersection / union  # 0 / 0 = NaN for a class neither labelled nor predicted
    # A plain list, as the golden case writes per-class values.
    return {"loss": torch.nanmean(iou).item(), "perClassIoU": [number(v) for v in iou.tolist()],
            "pixelAccuracy": (intersection.sum() / matrix.sum()).item()}


def argmax_without_ties(logits):
    top2 = logits.topk(2, dim=1).values
    assert (top2[:, 0] > top2[:, 1]).all(), "tied logits make the argmax engine-dependent"
    return logits.argmax(1)


def miou_case(name, logit_shape, ignore=255, ignore_frac=0.0, label_classes=None,
              never_predicted=(), class_ids=False, keep_class_axis=False):
    classes = logit_shape[1]
    logits = f32(torch.randn(logit_shape) * 2)
    for c in never_predicted:
        logits[:, c] = -50.0
    label_shape = (logit_shape[0],) + tuple(logit_shape[2:])
    labels = torch.randint(0, label_classes or classes, label_shape)
    labels[torch.rand(label_shape) < ignore_frac] = ignore
    predicted = argmax_without_ties(logits)
    expected = iou_metrics(labels, predicted, classes, ignore)
    if keep_class_axis:
        labels = labels[:, None]
    predictions = predicted.reshape(labels.shape).double() if class_ids else logits
    return case(name, "MeanIoU", {"numClasses": classes, "ignoreIndex": ignore}, MIOU_SOURCE,
                {"logits" if not class_ids else "classIds": predictions,
                 "labels": labels.double()}, expected)


def main():
    cases = []
    # Mask metrics: soft targets with values exactly 0, 0.5 and 1, logits exactly 0.
    cases.append(mask_case("mask_metrics_class_specific", 6, 4, 6, False))
    cases.append(mask_case("mask_metrics_class_agnostic", 5, 1, 7, True))
    # No foreground target (max(P, 1) in the false-negative rate) and no background target
    # (max(T - P, 1) in the false-positive rate).
    cases.append(mask_case("mask_metrics_no_foreground", 3, 2, 4, False,
                           targets=torch.rand(3, 4, 4, dtype=torch.float64) * 0.5))
    cases.append(mask_case("mask_metrics_no_background", 3, 2, 4, False,
                           targets=0.51 + torch.rand(3, 4, 4, dtype=torch.float64) * 0.49))
    # Mean IoU: a class predicted but never labelled (IoU 0) and one neither (NaN, left out).
    cases.append(miou_case("miou_absent_class", (2, 5, 6, 7), label_classes=3,
                           never_predicted=(4,)))
    cases.append(miou_case("miou_ignore", (3, 4, 5, 5), ignore_frac=0.35))
    cases.append(miou_case("miou_ignore_minus1", (2, 3, 4, 6), ignore=-1, ignore_frac=0.25))
    cases.append(miou_case("miou_class_ids", (2, 6, 5, 4), ignore_frac=0.2, class_ids=True))
    cases.append(miou_case("miou_labels_n1hw", (2, 4, 6, 5), ignore_frac=0.2,
                           keep_class_axis=True))
    cases.append(miou_case("miou_class_ids_n1hw", (2, 3, 4, 4), ignore_frac=0.2, class_ids=True,
                           keep_class_axis=True))
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate_metrics.py",
                   "torch": torch.__version__, "reference_float": "float64", "cases": cases},
                  out, allow_nan=False)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
