#!/usr/bin/python3
"""Generates the reference cases of segloss's SegmentationReport from smp and scikit-learn.

Run with Debian's python3-torch (1.13) and python3-sklearn (1.2), with smp's metrics module
extracted unchanged from its source:

    git -C <smp mirror> archive HEAD segmentation_models_pytorch/metrics | tar -x -C /tmp/smp-metrics
    SMP_METRICS=/tmp/smp-metrics /usr/bin/python3 engines-test/reference/generate_report.py

(the mirror is github:qubvel-org/segmentation_models.pytorch). It imports
segmentation_models_pytorch.metrics.functional from $SMP_METRICS (it needs only torch), and
sklearn.metrics, and writes engines-test/src/test/resources/reference/generated-report.json in the
format of generated-metrics.json. The numbers come from

- smp's get_stats (mode "multiclass", ignore_index) on the predicted class ids, summed over the
  images, then iou_score, f1_score, precision and recall with reduction "none" (per class),
  "micro", and "weighted" with the labelled pixels of each class as class_weights
  (frequency-weighted) or with 1 for the classes present in labels or predictions
  (macro without the absent classes);
- a class absent from labels and predictions gets smp's zero_division value of the policy
  (NaN, or 1 for ONE); any other 0/0 (the precision of a labelled class never predicted, the
  recall of a predicted class never labelled) gets zero_division=0; the macro averages of the NAN
  and ONE policies are the plain means of those per-class values;
- smp's default macro IoU and Dice (zero_division=1.0) must equal those of the ONE policy;
- every number is checked against scikit-learn's precision_recall_fscore_support and
  jaccard_score (labels=range(C), zero_division=0; macro over the present classes for EXCLUDED)
  before it is written.

A NaN is written as null (JSON has no NaN). CI does not run this script; it only reads the JSON.
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.environ.get("SMP_METRICS", "/tmp/smp-metrics"))
from segmentation_models_pytorch.metrics import functional as smp  # noqa: E402
import sklearn  # noqa: E402
from sklearn import metrics as skm  # noqa: E402

# float64 throughout: smp divides long counts and builds its class_weights with the default dtype
torch.set_default_dtype(torch.float64)
torch.manual_seed(20261206)
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-report.json")
SOURCE = ("segmentation_models_pytorch metrics/functional.py (get_stats, iou_score, f1_score, "
          "precision, recall), torch %s; checked against scikit-learn %s"
          % (torch.__version__, sklearn.__version__))
SCORES = {"iou": smp.iou_score, "dice": smp.f1_score, "precision": smp.precision,
          "recall": smp.recall}
POLICY_ZERO_DIVISION = {"NAN": float("nan"), "EXCLUDED": float("nan"), "ONE": 1.0}


def f32(t):
    """Rounds to float32 (the Java side's input type), then computes in float64."""
    return t.float().double()


def number(v):
    return None if math.isnan(v) else float(v)


def arr(t):
    return {"shape": list(t.shape), "data": [number(v) for v in t.flatten().tolist()]}


def argmax_without_ties(logits):
    top2 = logits.topk(2, dim=1).values
    assert (top2[:, 0] > top2[:, 1]).all(), "tied logits make the argmax engine-dependent"
    return logits.argmax(1)


def smp_report(predicted, labels, classes, ignore, policy):
    """The report from smp's functions: per class, micro, frequency-weighted and macro."""
    tp, fp, fn, tn = smp.get_stats(predicted, labels, mode="multiclass", ignore_index=ignore,
                                   num_classes=classes)
    # one report over the whole batch: the stats of all images summed, as the Java side counts
    tp, fp, fn, tn = (s.sum(0, keepdim=True) for s in (tp, fp, fn, tn))
    absent = (tp + fp + fn == 0)[0]
    present_weights = (~absent).double().tolist()
    support = (tp + fn)[0].double().tolist()
    expected = {}
    for name, score in SCORES.items():
        defined = score(tp, fp, fn, tn, reduction="none", zero_division=0.0)[0]
        by_policy = score(tp, fp, fn, tn, reduction="none",
                          zero_division=POLICY_ZERO_DIVISION[policy])[0]
        per_class = torch.where(absent, by_policy, defined)
        expected[name] = [number(v) for v in per_class.tolist()]
        expected["micro_" + name] = score(tp, fp, fn, tn, reduction="micro").item()
        expected["weighted_" + name] = score(tp, fp, fn, tn, reduction="weighted",
                                             class_weights=support, zero_division=0.0).item()
        if policy == "EXCLUDED":
            macro = score(tp, fp, fn, tn, reduction="weighted", class_weights=present_weights,
                          zero_division=0.0).item()
        else:
            macro = per_class.mean().item()
        if policy == "ONE" and name in ("iou", "dice"):
            # IoU and Dice are 0/0 only for absent classes: smp's default macro is the ONE policy
            close(macro, score(tp, fp, fn, tn, reduction="macro").item(), "smp default macro")
        expected["macro_" + name] = macro
    expected["loss"] = expected["macro_iou"]
    expected["support"] = [float(v) for v in support]
    expected["truePositives"] = [float(v) for v in tp[0].tolist()]
    return expected, absent


def close(a, b, what):
    assert (math.isnan(a) and math.isnan(b)) or abs(a - b) < 1e-12, "%s: %r != %r" % (what, a, b)


def check_with_sklearn(expected, absent, predicted, labels, classes, ignore):
    """scikit-learn's numbers must be smp's (NaN and 1 of absent classes aside)."""
    valid = labels != ignore
    y_true = labels[valid].flatten().numpy()
    y_pred = predicted[valid].flatten().numpy()
    every = list(range(classes))
    present = [c for c in every if not absent[c]]
    p, r, f, _ = skm.precision_recall_fscore_support(y_true, y_pred, labels=every, average=None,
                                                     zero_division=0)
    j = skm.jaccard_score(y_true, y_pred, labels=every, average=None, zero_division=0)
    for c in present:
        for name, v in (("precision", p), ("recall", r), ("dice", f), ("iou", j)):
            close(expected[name][c], float(v[c]), "sklearn %s of class %d" % (name, c))
    for average in ("micro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(y_true, y_pred, labels=every,
                                                         average=average, zero_division=0)
        j = skm.jaccard_score(y_true, y_pred, labels=every, average=average, zero_division=0)
        for name, v in (("precision", p), ("recall", r), ("dice", f), ("iou", j)):
            close(expected[average + "_" + name], float(v), "sklearn %s %s" % (average, name))
    p, r, f, _ = skm.precision_recall_fscore_support(y_true, y_pred, labels=present,
                                                     average="macro", zero_division=0)
    j = skm.jaccard_score(y_true, y_pred, labels=present, average="macro", zero_division=0)
    for name, v in (("precision", p), ("recall", r), ("dice", f), ("iou", j)):
        if any(absent) and expected["policy"] != "EXCLUDED":
            continue
        close(expected["macro_" + name], float(v), "sklearn macro %s" % name)


def report_case(name, logit_shape, policy="EXCLUDED", ignore=255, ignore_frac=0.0,
                label_classes=None, never_predicted=(), class_ids=False, keep_class_axis=False,
                logits=None, labels=None):
    classes = logit_shape[1]
    if logits is None:
        logits = f32(torch.randn(logit_shape) * 2)
        for c in never_predicted:
            logits[:, c] = -50.0
    label_shape = (logit_shape[0],) + tuple(logit_shape[2:])
    if labels is None:
        labels = torch.randint(0, label_classes or classes, label_shape)
        labels[torch.rand(label_shape) < ignore_frac] = ignore
    predicted = argmax_without_ties(logits)
    expected, absent = smp_report(predicted, labels, classes, ignore, policy)
    expected["policy"] = policy
    check_with_sklearn(expected, absent, predicted, labels, classes, ignore)
    del expected["policy"]
    if keep_class_axis:
        labels = labels[:, None]
    predictions = predicted.reshape(labels.shape).double() if class_ids else logits
    return {"name": name, "loss": "SegmentationReport",
            "params": {"numClasses": classes, "ignoreIndex": ignore, "absentClassPolicy": policy},
            "source": SOURCE,
            "inputs": {("classIds" if class_ids else "logits"): arr(predictions),
                       "labels": arr(labels.double())},
            "grads": [],
            "expected": {k: (v if isinstance(v, list) else number(v))
                         for k, v in expected.items()}}


def main():
    cases = []
    # Every class labelled and predicted, some pixels ignored.
    cases.append(report_case("report_all_classes", (2, 4, 5, 6), ignore_frac=0.2))
    # Six classes: 0-2 labelled and predicted, 3 labelled but never predicted (precision 0/0),
    # 4 predicted but never labelled (recall 0/0), 5 neither (absent), under each policy.
    logits = f32(torch.randn(3, 6, 5, 5) * 2)
    logits[:, 3] = -50.0
    logits[:, 5] = -50.0
    labels = torch.randint(0, 4, (3, 5, 5))
    labels[torch.rand(3, 5, 5) < 0.15] = 255
    for policy in ("NAN", "EXCLUDED", "ONE"):
        cases.append(report_case("report_absent_" + policy.lower(), (3, 6, 5, 5), policy=policy,
                                 logits=logits, labels=labels))
    # Ignore index -1, class ids, a 3-D volume (N, D, H, W).
    cases.append(report_case("report_volume_class_ids", (2, 3, 3, 4, 5), policy="ONE", ignore=-1,
                             ignore_frac=0.25, class_ids=True))
    # Labels (N, 1, H, W) and an absent class.
    cases.append(report_case("report_labels_n1hw", (2, 5, 4, 6), policy="NAN", ignore_frac=0.1,
                             label_classes=4, never_predicted=(4,), keep_class_axis=True))
    # A sequence (N, C, L).
    cases.append(report_case("report_sequence", (3, 4, 9), ignore_frac=0.1))
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate_report.py",
                   "torch": torch.__version__, "sklearn": sklearn.__version__,
                   "reference_float": "float64", "cases": cases}, out, allow_nan=False)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
