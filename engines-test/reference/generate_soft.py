#!/usr/bin/python3
"""Generates the soft-target and separate-smoothing reference cases of the segloss engine tests.

Run with Debian's python3-torch (1.13) and MONAI's source (no install needed; MONAI's losses run on
torch 1.13 with python3-scipy and numpy):

    apt-get install python3-torch python3-scipy
    git clone https://github.com/Project-MONAI/MONAI /tmp/monai   # or extract a release there
    PYTHONPATH=/tmp/monai /usr/bin/python3 engines-test/reference/generate_soft.py

It imports, unchanged, torch.nn.functional.cross_entropy (class-probability targets, PyTorch >=
1.10) and monai.losses.DiceLoss and TverskyLoss (soft_label, smooth_nr, smooth_dr, jaccard,
squared_pred, batch, weight). Ignored pixels, which MONAI has no option for, are left out the way
MONAI's MaskedDiceLoss does it: prediction and target are multiplied by the mask of labelled pixels
before MONAI's loss runs. The MONAI unit-test cases that map onto segloss's API (see
MONAI_TEST_CASES) are run with their inputs and checked against the values MONAI's tests pin.

It writes engines-test/src/test/resources/reference/generated-soft.json in the format of
generated.json: each case names the loss, its settings, the source of the numbers, the inputs
(float32 values, stored as float64) and the expected loss and gradients, computed in float64.
Parameters the runner reads besides the builders' settings: "probabilityTargets" and "softLabels"
(labels are created as float32). CI does not run this script; it only reads the JSON.
"""
import json
import os

import monai
import torch
import torch.nn.functional as F
from monai.losses import DiceLoss, TverskyLoss

torch.manual_seed(20261206)

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-soft.json")
TORCH = "torch %s torch.nn.functional.cross_entropy (class-probability targets)" % torch.__version__
MONAI = "MONAI %s monai.losses" % monai.__version__
IGNORE = 255


def f32(t):
    """Rounds to float32 (the Java side's input type), then computes in float64."""
    return t.float().double()


def arr(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.flatten().tolist()]}


def case(name, loss, params, source, inputs, grads, expected):
    return {"name": name, "loss": loss, "params": params, "source": source,
            "inputs": {k: arr(v) for k, v in inputs.items()}, "grads": grads,
            "expected": {k: (arr(v) if torch.is_tensor(v) and v.dim() > 0 else float(v))
                         for k, v in expected.items()}}


def finish(name, loss_name, params, source, logits, labels, loss):
    loss.backward()
    return case(name, loss_name, params, source,
                {"logits": logits.detach(), "labels": labels.double()}, ["logits"],
                {"loss": loss.item(), "grad_logits": logits.grad})


# ---------------------------------------------------------------- cross-entropy, probabilities


def ce_case(name, shape, params, targets=None):
    logits = f32(torch.randn(shape) * 2).requires_grad_()
    if targets is None:
        targets = f32(torch.randn(shape).softmax(1))
    weight = torch.tensor(params["classWeights"], dtype=torch.float64) \
        if "classWeights" in params else None
    loss = F.cross_entropy(logits, targets, weight=weight,
                           label_smoothing=params.get("labelSmoothing", 0.0))
    params = dict(params, probabilityTargets=True)
    return finish(name, "PixelCrossEntropyLoss", params, TORCH, logits, targets, loss)


def ce_cases():
    cases = [ce_case("ce_prob_plain", (2, 4, 5, 6), {}),
             ce_case("ce_prob_weights_smoothing", (2, 5, 4, 3),
                     {"classWeights": [1.0, 0.25, 3.0, 0.0, 2.0], "labelSmoothing": 0.1,
                      "ignoreIndex": 255}),
             ce_case("ce_prob_2d_weights", (7, 5), {"classWeights": [0.5, 1.0, 2.0, 1.5, 0.1]}),
             ce_case("ce_prob_5d_smoothing", (2, 3, 2, 3, 4), {"labelSmoothing": 0.2})]
    # rows that do not sum to 1, and all-zero rows: torch still divides by every pixel
    shape = (2, 4, 3, 5)
    targets = torch.randn(shape).softmax(1) * 1.7
    targets[:, :, 0, :2] = 0.0
    targets[1, :, 2, 4] = torch.tensor([0.0, 2.0, 0.5, 0.0])
    cases.append(ce_case("ce_prob_unnormalised_zero_rows", shape,
                         {"classWeights": [1.0, 2.0, 0.5, 1.5], "labelSmoothing": 0.05},
                         f32(targets)))
    # one-hot targets: with weights torch divides by the pixels, not by the weights' sum
    labels = torch.randint(0, 3, (2, 4, 4))
    onehot = F.one_hot(labels, 3).permute(0, 3, 1, 2).double()
    cases.append(ce_case("ce_prob_one_hot_weights", (2, 3, 4, 4),
                         {"classWeights": [0.2, 1.0, 3.0]}, onehot))
    return cases


# ---------------------------------------------------------------- Dice family, MONAI


def soft_targets(shape, multiclass):
    t = torch.randn(shape).softmax(1) if multiclass else torch.rand(shape)
    return f32(t)


def with_ignored(targets, fraction, per_pixel):
    """Targets with ignored entries set to IGNORE, and the mask of the labelled ones."""
    if per_pixel:
        shape = (targets.shape[0], 1) + tuple(targets.shape[2:])
        valid = (torch.rand(shape) >= fraction).double()
        valid = valid.expand_as(targets)
    else:
        valid = (torch.rand(targets.shape) >= fraction).double()
    labels = torch.where(valid > 0, targets, torch.full_like(targets, IGNORE))
    return labels, valid


def monai_soft_case(name, loss_name, params, shape, monai_loss, activation, ignore_fraction=0.0,
                    per_pixel_ignore=False, squeeze=False):
    """MONAI's loss on activation(logits) against soft targets; ignored entries masked out."""
    mode = params["mode"]
    logits = f32(torch.randn(shape) * 2).requires_grad_()
    targets = soft_targets(shape, mode == "MULTICLASS")
    if ignore_fraction > 0:
        labels, valid = with_ignored(targets, ignore_fraction, per_pixel_ignore)
        params = dict(params, ignoreIndex=IGNORE)
    else:
        labels, valid = targets, torch.ones_like(targets)
    probabilities = activation(logits)
    loss = monai_loss(probabilities * valid, targets * valid)
    assert ((targets * valid).sum([2, 3] if len(shape) == 4 else 2) > 0).all()
    if squeeze:
        labels = labels[:, 0]
    source = MONAI + " " + monai_loss.__class__.__name__ + "(" + monai_args(monai_loss) + ")"
    if ignore_fraction > 0:
        source += " on prediction and target times the mask of labelled entries (MaskedDiceLoss)"
    return finish(name, loss_name, dict(params, softLabels=True), source, logits, labels, loss)


def monai_args(loss):
    keys = ["batch", "soft_label", "smooth_nr", "smooth_dr", "squared_pred", "jaccard", "alpha",
            "beta", "include_background", "to_onehot_y"]
    parts = ["%s=%s" % (k, getattr(loss, k)) for k in keys if hasattr(loss, k)]
    if getattr(loss, "class_weight", None) is not None:
        parts.append("weight=%s" % loss.class_weight.tolist())
    return ", ".join(parts)


def softmax(x):
    return x.softmax(1)


def dice_family_cases():
    cases = []
    cases.append(monai_soft_case(
        "dice_soft_multiclass_monai", "DiceLoss",
        {"mode": "MULTICLASS", "smoothNumerator": 1e-3, "smoothDenominator": 0.5}, (2, 4, 5, 6),
        DiceLoss(batch=True, soft_label=True, smooth_nr=1e-3, smooth_dr=0.5), softmax))
    cases.append(monai_soft_case(
        "dice_soft_multilabel_per_image_squared", "DiceLoss",
        {"mode": "MULTILABEL", "perImage": True, "squaredDenominator": True,
         "smoothNumerator": 0.2, "smoothDenominator": 0.05}, (3, 3, 4, 5),
        DiceLoss(batch=False, soft_label=True, squared_pred=True, smooth_nr=0.2, smooth_dr=0.05),
        torch.sigmoid))
    cases.append(monai_soft_case(
        "dice_soft_binary_squeezed_ignore", "DiceLoss",
        {"mode": "BINARY", "smoothNumerator": 1e-5, "smoothDenominator": 1e-5}, (2, 1, 5, 6),
        DiceLoss(batch=True, soft_label=True), torch.sigmoid, ignore_fraction=0.2, squeeze=True))
    cases.append(monai_soft_case(
        "dice_soft_multiclass_weights", "DiceLoss",
        {"mode": "MULTICLASS", "classWeights": [0.5, 1.5, 1.0, 1.0], "smoothNumerator": 1e-5,
         "smoothDenominator": 1e-5}, (2, 4, 3, 5),
        DiceLoss(batch=True, soft_label=True, weight=[0.5, 1.5, 1.0, 1.0]), softmax))
    cases.append(monai_soft_case(
        "jaccard_soft_multiclass_pixel_ignore", "JaccardLoss",
        {"mode": "MULTICLASS", "smoothNumerator": 0.3, "smoothDenominator": 0.1}, (2, 3, 5, 6),
        DiceLoss(jaccard=True, batch=True, soft_label=True, smooth_nr=0.3, smooth_dr=0.1),
        softmax, ignore_fraction=0.25, per_pixel_ignore=True))
    cases.append(monai_soft_case(
        "jaccard_soft_multilabel_per_image", "JaccardLoss",
        {"mode": "MULTILABEL", "perImage": True, "smoothNumerator": 1e-4,
         "smoothDenominator": 1e-2}, (3, 2, 4, 4),
        DiceLoss(jaccard=True, batch=False, soft_label=True, smooth_nr=1e-4, smooth_dr=1e-2),
        torch.sigmoid))
    cases.append(monai_soft_case(
        "tversky_soft_multilabel_ignore", "TverskyLoss",
        {"mode": "MULTILABEL", "alpha": 0.3, "beta": 0.7, "smoothNumerator": 0.1,
         "smoothDenominator": 0.4}, (2, 3, 4, 5),
        TverskyLoss(alpha=0.3, beta=0.7, batch=True, soft_label=True, smooth_nr=0.1,
                    smooth_dr=0.4), torch.sigmoid, ignore_fraction=0.2))
    cases.append(monai_soft_case(
        "tversky_soft_multiclass_per_image", "TverskyLoss",
        {"mode": "MULTICLASS", "alpha": 0.6, "beta": 0.4, "perImage": True,
         "smoothNumerator": 0.0, "smoothDenominator": 1e-3}, (3, 4, 5, 6),
        TverskyLoss(alpha=0.6, beta=0.4, batch=False, soft_label=True, smooth_nr=0.0,
                    smooth_dr=1e-3), softmax))
    cases.extend(hard_label_cases())
    # the contract: nothing labelled gives 0 with a zero gradient (MONAI has no ignore label)
    logits = f32(torch.randn(2, 3, 4, 4)).requires_grad_()
    labels = torch.full((2, 3, 4, 4), float(IGNORE))
    cases.append(case("dice_soft_all_ignored", "DiceLoss",
                      {"mode": "MULTILABEL", "ignoreIndex": IGNORE, "softLabels": True,
                       "smoothNumerator": 0.5, "smoothDenominator": 0.5},
                      "contract: 0, zero gradient", {"logits": logits.detach(), "labels": labels},
                      ["logits"], {"loss": 0.0, "grad_logits": torch.zeros(2, 3, 4, 4,
                                                                           dtype=torch.float64)}))
    return cases


def hard_label_cases():
    """Class-index labels with smooth_nr != smooth_dr, and optSmooth against MONAI's smoothing."""
    cases = []

    def multiclass(name, loss_name, params, monai_loss, shape=(2, 4, 5, 6)):
        logits = f32(torch.randn(shape) * 2).requires_grad_()
        labels = torch.randint(0, shape[1], (shape[0],) + shape[2:])
        labels.view(-1)[:shape[1]] = torch.arange(shape[1])  # every class present
        loss = monai_loss(logits, labels[:, None])
        source = "%s %s(softmax=True, to_onehot_y=True, %s)" % (
            MONAI, monai_loss.__class__.__name__, monai_args(monai_loss))
        return finish(name, loss_name, params, source, logits, labels, loss)

    cases.append(multiclass("dice_hard_smooth_nr_dr", "DiceLoss",
                            {"mode": "MULTICLASS", "smoothNumerator": 0.0,
                             "smoothDenominator": 1e-3},
                            DiceLoss(softmax=True, to_onehot_y=True, batch=True, smooth_nr=0.0,
                                     smooth_dr=1e-3)))
    # optSmooth(s) is MONAI's smooth_nr = smooth_dr = 2s for Dice and Jaccard, = s for Tversky
    cases.append(multiclass("dice_smooth_is_monai_twice", "DiceLoss",
                            {"mode": "MULTICLASS", "smooth": 0.25},
                            DiceLoss(softmax=True, to_onehot_y=True, batch=True, smooth_nr=0.5,
                                     smooth_dr=0.5)))
    cases.append(multiclass("jaccard_smooth_is_monai_twice", "JaccardLoss",
                            {"mode": "MULTICLASS", "smooth": 0.25},
                            DiceLoss(softmax=True, to_onehot_y=True, batch=True, jaccard=True,
                                     smooth_nr=0.5, smooth_dr=0.5)))
    cases.append(multiclass("tversky_smooth_is_monai_once", "TverskyLoss",
                            {"mode": "MULTICLASS", "smooth": 0.5, "alpha": 0.3, "beta": 0.7},
                            TverskyLoss(softmax=True, to_onehot_y=True, batch=True, alpha=0.3,
                                        beta=0.7, smooth_nr=0.5, smooth_dr=0.5)))
    logits = f32(torch.randn(3, 1, 4, 5) * 2).requires_grad_()
    labels = (torch.rand(3, 1, 4, 5) > 0.5).double()
    loss = TverskyLoss(sigmoid=True, batch=True, alpha=0.2, beta=0.8, smooth_nr=1.0,
                       smooth_dr=2.0)(logits, labels)
    cases.append(finish("tversky_hard_binary_smooth_nr_dr", "TverskyLoss",
                        {"mode": "BINARY", "alpha": 0.2, "beta": 0.8, "smoothNumerator": 1.0,
                         "smoothDenominator": 2.0},
                        MONAI + " TverskyLoss(sigmoid=True, batch=True, alpha=0.2, beta=0.8, "
                        "smooth_nr=1.0, smooth_dr=2.0)", logits, labels, loss))
    return cases


# ---------------------------------------------------------------- MONAI's own unit-test cases

SOFT_INPUT = [[[[0.3, 0.4], [0.7, 0.9]]], [[[1.0, 0.1], [0.5, 0.3]]]]
# (segloss case, loss, segloss settings, MONAI class, MONAI arguments, input, target, pinned value)
MONAI_TEST_CASES = [
    ("monai_test_dice_soft_label", "DiceLoss",
     {"mode": "BINARY", "fromLogits": False, "perImage": True, "softLabels": True,
      "smoothNumerator": 1e-4, "smoothDenominator": 1e-4},
     DiceLoss, {"include_background": True, "smooth_nr": 1e-4, "smooth_dr": 1e-4,
                "soft_label": True},
     SOFT_INPUT, SOFT_INPUT, 0.0, "tests/losses/test_dice_loss.py TEST_CASES[2]"),
    ("monai_test_tversky_soft_label", "TverskyLoss",
     {"mode": "BINARY", "fromLogits": False, "perImage": True, "softLabels": True,
      "smoothNumerator": 1e-4, "smoothDenominator": 1e-4},
     TverskyLoss, {"include_background": True, "smooth_nr": 1e-4, "smooth_dr": 1e-4,
                   "soft_label": True},
     SOFT_INPUT, SOFT_INPUT, 0.0, "tests/losses/test_tversky_loss.py TEST_CASES[2]"),
    ("monai_test_tversky_no_background_smooth_dr", "TverskyLoss",
     {"mode": "MULTICLASS", "fromLogits": False, "perImage": True, "classes": [1],
      "smoothNumerator": 0.0, "smoothDenominator": 1e-3},
     TverskyLoss, {"include_background": False, "to_onehot_y": True, "smooth_nr": 0,
                   "smooth_dr": 1e-3},
     [[[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]],
     [[[0.0, 0.0, 1.0]], [[0.0, 1.0, 0.0]]], 0.000999,
     "tests/losses/test_tversky_loss.py TEST_CASES[5]"),
]


def tgt_values(t):
    return set(t.flatten().tolist())


def monai_test_cases():
    cases = []
    for name, loss_name, params, cls, args, inp, tgt, pinned, where in MONAI_TEST_CASES:
        x = f32(torch.tensor(inp, dtype=torch.float64)).requires_grad_()
        t = f32(torch.tensor(tgt, dtype=torch.float64))
        loss = cls(**args)(x, t)
        # MONAI's tests: assert_allclose(rtol=1e-5 for Dice, 1e-4 for Tversky), atol 0
        assert abs(loss.item() - pinned) <= 1e-4 * abs(pinned) + 1e-7, (name, loss.item())
        labels = t if params.get("softLabels") else t[:, 0]
        source = "%s %s(%s), MONAI's unit test %s (pinned %s)" % (
            MONAI, cls.__name__, ", ".join("%s=%s" % kv for kv in args.items()), where, pinned)
        if 0.0 in tgt_values(t) and (x == 0).any():
            # Probabilities exactly 0 where the target is 0: the loss has no derivative there
            # (MONAI's sum(p * t) gives t, its soft-label |p| and |p - t| the subgradient 0,
            # segloss's sum(p) 1); MONAI's test checks the value only, and so does this case.
            loss.backward()
            cases.append(case(name, loss_name, params, source + "; value only",
                              {"logits": x.detach(), "labels": labels.double()}, [],
                              {"loss": loss.item()}))
            continue
        cases.append(finish(name, loss_name, params, source, x, labels, loss))
    return cases


def main():
    cases = ce_cases() + dice_family_cases() + monai_test_cases()
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate_soft.py",
                   "torch": torch.__version__, "monai": monai.__version__,
                   "reference_float": "float64", "cases": cases}, out)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
