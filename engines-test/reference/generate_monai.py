#!/usr/bin/python3
"""Generates the reference cases of segloss's MONAI-style deep supervision and softmax focal loss.

Run with Debian's python3-torch (1.13) and python3-scipy, and MONAI imported unchanged from its
source (github.com/Project-MONAI/MONAI at d388d1c6f, "Update citation (#8484)"):

    apt-get install python3-torch python3-torchvision python3-scipy
    git clone https://github.com/Project-MONAI/MONAI /tmp/monai-src
    git -C /tmp/monai-src checkout d388d1c6f
    PYTHONPATH=/tmp/monai-src /usr/bin/python3 engines-test/reference/generate_monai.py

It writes engines-test/src/test/resources/reference/generated-monai.json in the format of
generate.py (whose helpers it imports): each case names the loss, its parameters, the source of
the numbers, the inputs (float32 values, stored as float64) and the expected loss and gradients.
MONAI's losses cast their input to float32, so these expected values carry float32 rounding.

- NearestExactResize: torch's F.interpolate(mode="nearest-exact") on float labels.
- DeepSupervisionLoss with resized labels and weight modes: monai.losses.DeepSupervisionLoss
  around torch's cross_entropy (ignore index 255), or around MONAI's DiceLoss / DiceCELoss for the
  cases of MONAI's tests/losses/test_ds_loss.py (whose expected numbers are asserted here).
- FocalLoss(softmax, alpha): monai.losses.FocalLoss(use_softmax=True, to_onehot_y=True,
  reduction="none"), summed over the class axis and averaged over the labelled pixels (segloss's
  reduction; MONAI's "mean" also divides by the number of classes, so the two cases of MONAI's
  tests/losses/test_focal_loss.py are asserted at C times their published value).
- WeightedSumLoss with parts on heads: torch's cross_entropy on two heads plus MONAI's DiceLoss
  (softmax, batch=True, smooth_nr = smooth_dr = 1e-5) on the main head.
CI does not run this script; it only reads the JSON.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as g  # noqa: E402  (the shared case format and helpers)
from monai.losses import DeepSupervisionLoss, DiceCELoss, DiceLoss, FocalLoss  # noqa: E402

torch.manual_seed(20261206)

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-monai.json")
MONAI = "MONAI d388d1c6f monai.losses"


def resize_case(name, shape, size, ints=True):
    if ints:
        labels = g.labels_with_ignore(shape, 7, 255).double()
    else:
        labels = g.f32(torch.rand(shape))
    out = F.interpolate(labels.unsqueeze(1) if len(size) == labels.dim() - 1 else labels,
                        size=size, mode="nearest-exact")
    if len(size) == labels.dim() - 1:
        out = out.squeeze(1)
    return g.case(name, "NearestExactResize", {"size": list(size)},
                  "torch %s F.interpolate(mode='nearest-exact')" % torch.__version__,
                  {"labels": labels}, [], {"loss": out.sum().item(), "output": out})


class CrossEntropy(torch.nn.Module):
    """torch's cross_entropy on (N, 1, ...) float labels, as MONAI's wrapper passes them."""

    def forward(self, logits, target):
        return F.cross_entropy(logits, target[:, 0].long(), ignore_index=255)


def ds_case(name, params, label_shape, head_shapes, weights=None, mode="exp"):
    labels = g.labels_with_ignore(label_shape, head_shapes[0][1], 255)
    heads = [g.f32(torch.randn(s) * 2).requires_grad_() for s in head_shapes]
    loss = DeepSupervisionLoss(CrossEntropy(), weight_mode=mode, weights=weights)(
        heads, labels.unsqueeze(1).double())
    loss.backward()
    inputs = {"head%d" % i: h.detach() for i, h in enumerate(heads)}
    inputs["labels"] = labels.double()
    expected = {"loss": loss.item()}
    expected.update({"grad_head%d" % i: h.grad for i, h in enumerate(heads)})
    source = "%s DeepSupervisionLoss(weight_mode=%r, weights=%r) around torch cross_entropy" % (
        MONAI, mode, weights)
    return g.case(name, "DeepSupervisionLoss", params, source, inputs,
                  ["head%d" % i for i in range(len(heads))], expected)


DS_INPUT = [
    [[[[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]]],
    [[[[1.0, 1.0], [0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]]]],
    [[[[1.0], [0.0]], [[1.0], [0.0]]]],
]
DS_TARGET = [[[[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]]]


def ds_monai_test_case(name, inner, inner_name, ds_params, levels, published, params):
    heads = [torch.tensor(x, dtype=torch.float64).requires_grad_() for x in DS_INPUT[:levels]]
    target = torch.tensor(DS_TARGET, dtype=torch.float64)
    loss = DeepSupervisionLoss(inner, **ds_params)(heads if levels > 1 else heads[0], target)
    assert abs(loss.item() - published) < 1e-4, (name, loss.item(), published)
    inputs = {"head%d" % i: h.detach() for i, h in enumerate(heads)}
    inputs["labels"] = target[:, 0]
    # value only, as MONAI's test: its 0/1 probabilities equal the 0/1 targets, where segloss's
    # Dice (|p - t| form, MONAI's soft_label=True) and MONAI's default (p * t) have different
    # subgradients; the random cases above check gradients
    source = ("%s DeepSupervisionLoss(%s(to_onehot_y=True), %s): MONAI's "
              "tests/losses/test_ds_loss.py, published %s; value only" % (
                  MONAI, inner_name, ds_params, published))
    return g.case(name, "DeepSupervisionLoss", params, source, inputs, [],
                  {"loss": loss.item()})


def monai_focal_sum(logits, labels, gamma, alpha, ignore=None):
    """MONAI's per-element softmax focal loss, summed over classes, mean over labelled pixels."""
    c = logits.shape[1]
    valid = labels != ignore if ignore is not None else torch.ones_like(labels, dtype=torch.bool)
    safe = torch.where(valid, labels, torch.zeros_like(labels))
    per_element = FocalLoss(use_softmax=True, to_onehot_y=True, gamma=gamma, alpha=alpha,
                            reduction="none")(logits, safe.unsqueeze(1))
    per_pixel = per_element.sum(1)
    assert per_element.shape[1] == c
    return (per_pixel * valid).sum() / valid.sum()


def focal_case(name, shape, gamma, alpha, ignore=None):
    logits, labels = g.seg_inputs("MULTICLASS", shape, ignore=ignore)
    loss = monai_focal_sum(logits, labels, gamma, alpha, ignore)
    params = {"mode": "MULTICLASS", "softmax": True, "gamma": gamma, "alpha": alpha}
    if ignore is not None:
        params["ignoreIndex"] = ignore
    source = ("%s FocalLoss(use_softmax=True, to_onehot_y=True, gamma=%s, alpha=%s, "
              "reduction='none'), summed over classes, mean over labelled pixels"
              % (MONAI, gamma, alpha))
    return g.loss_case(name, "FocalLoss", params, source, logits, labels, loss)


def focal_monai_test_case(name, alpha, published):
    logits = torch.tensor([[[[1.0, 1.0], [0.5, 0.0]], [[1.0, 1.0], [0.5, 0.0]],
                            [[1.0, 1.0], [0.5, 0.0]]]], dtype=torch.float64).requires_grad_()
    labels = torch.tensor([[[0, 1], [2, 0]]])
    mean = FocalLoss(use_softmax=True, to_onehot_y=True, alpha=alpha)(logits, labels.unsqueeze(1))
    assert abs(mean.item() - published) < 1e-4, (name, mean.item(), published)
    loss = mean * logits.shape[1]
    params = {"mode": "MULTICLASS", "softmax": True}
    if alpha is not None:
        params["alpha"] = alpha
    source = ("%s FocalLoss(use_softmax=True, to_onehot_y=True, alpha=%s) times C=3: MONAI's "
              "tests/losses/test_focal_loss.py, published %s" % (MONAI, alpha, published))
    return g.loss_case(name, "FocalLoss", params, source, logits, labels, loss)


def weighted_heads_case(name, shape, aux_shape):
    logits, labels = g.seg_inputs("MULTICLASS", shape, all_classes_per_image=True)
    aux = g.f32(torch.randn(aux_shape) * 2).requires_grad_()
    ce = F.cross_entropy(logits, labels, ignore_index=255)
    dice = DiceLoss(softmax=True, to_onehot_y=True, batch=True, smooth_nr=1e-5,
                    smooth_dr=1e-5)(logits, labels.unsqueeze(1))
    loss = ce + 0.5 * dice + 0.4 * F.cross_entropy(aux, labels, ignore_index=255)
    loss.backward()
    source = ("torch %s cross_entropy(main) + 0.5 * %s DiceLoss(softmax=True, to_onehot_y=True, "
              "batch=True, smooth_nr=smooth_dr=1e-5)(main) + 0.4 * cross_entropy(aux)"
              % (torch.__version__, MONAI))
    return g.case(name, "WeightedSumLoss.heads", {"diceWeight": 0.5, "auxWeight": 0.4,
                                                  "smooth": 1e-5}, source,
                  {"logits": logits.detach(), "aux": aux.detach(), "labels": labels.double()},
                  ["logits", "aux"],
                  {"loss": loss.item(), "grad_logits": logits.grad, "grad_aux": aux.grad})


def main():
    cases = [
        resize_case("nearest_exact_down_2x", (2, 8, 12), (4, 6)),
        resize_case("nearest_exact_odd_ratio", (1, 7, 11), (3, 5)),
        resize_case("nearest_exact_up", (2, 3, 5), (7, 9)),
        resize_case("nearest_exact_3d", (1, 2, 5, 6, 7), (3, 4, 3), ints=False),
        resize_case("nearest_exact_one_axis", (2, 6, 9), (6, 4)),
        ds_case("ds_resized_exp", {"levels": 3, "weightMode": "EXP", "resizeLabels": True},
                (2, 16, 12), [(2, 4, 16, 12), (2, 4, 8, 6), (2, 4, 4, 3)]),
        ds_case("ds_resized_two", {"levels": 4, "weightMode": "TWO", "resizeLabels": True},
                (2, 15, 10), [(2, 3, 15, 10), (2, 3, 7, 5), (2, 3, 4, 3), (2, 3, 2, 1)],
                mode="two"),
        ds_case("ds_resized_same_3d", {"levels": 2, "weightMode": "SAME", "resizeLabels": True},
                (1, 6, 8, 10), [(1, 3, 6, 8, 10), (1, 3, 3, 4, 5)], mode="same"),
        ds_case("ds_resized_exp_floor", {"levels": 6, "weightMode": "EXP", "resizeLabels": True},
                (1, 32, 32), [(1, 2, 32 >> i, 32 >> i) for i in range(6)]),
        ds_case("ds_resized_weights", {"headWeights": [1.0, 0.3, 0.2], "resizeLabels": True},
                (2, 12, 12), [(2, 5, 12, 12), (2, 5, 6, 6), (2, 5, 3, 3)],
                weights=[1.0, 0.3, 0.2]),
        focal_case("focal_softmax_alpha", (2, 4, 6, 5), 2.0, 0.25),
        focal_case("focal_softmax_alpha_ignore", (2, 3, 7, 4), 2.0, 0.75, ignore=255),
        focal_case("focal_softmax_alpha_gamma_half_3d", (1, 3, 3, 4, 5), 0.5, 0.6),
        focal_monai_test_case("monai_focal_softmax", None, 0.16276),
        focal_monai_test_case("monai_focal_softmax_alpha", 0.8, 0.08138),
        weighted_heads_case("weighted_sum_parts_on_heads", (2, 4, 6, 6), (2, 4, 6, 6)),
    ]
    dice_params = {"inner": "Dice"}
    dicece_params = {"inner": "DiceCE"}
    for mode, levels, published, suffix in [("exp", 1, 0.166666, "one_level"),
                                            ("exp", 3, 0.666665, "exp")]:
        cases.append(ds_monai_test_case(
            "monai_ds_dice_" + suffix, DiceLoss(to_onehot_y=True), "DiceLoss",
            {"weight_mode": mode}, levels, published,
            dict(dice_params, levels=levels, weightMode=mode.upper(), resizeLabels=True)))
    for ds_params, published, suffix, extra in [
            ({}, 0.606557, "one_level", {"levels": 1, "weightMode": "EXP"}),
            ({}, 1.78144, "exp", {"levels": 3, "weightMode": "EXP"}),
            ({"weight_mode": "same"}, 3.5529, "same", {"levels": 3, "weightMode": "SAME"}),
            ({"weight_mode": "two"}, 2.07973, "two", {"levels": 3, "weightMode": "TWO"}),
            ({"weights": [0.1, 0.2, 0.3]}, 0.76924, "weights", {"headWeights": [0.1, 0.2, 0.3]})]:
        levels = extra.get("levels", 3)
        cases.append(ds_monai_test_case(
            "monai_ds_dicece_" + suffix, DiceCELoss(to_onehot_y=True), "DiceCELoss", ds_params,
            levels, published, dict(dicece_params, resizeLabels=True, **extra)))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"source": "engines-test/reference/generate_monai.py", "cases": cases}, f)
    print("wrote %d cases to %s" % (len(cases), OUT))


if __name__ == "__main__":
    main()
