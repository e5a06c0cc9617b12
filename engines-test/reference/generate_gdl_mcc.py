#!/usr/bin/python3
"""Generates the reference cases of GeneralizedDiceLoss and MccLoss from the real implementations.

It imports, unchanged:
  - MONAI's GeneralizedDiceLoss (monai/losses/dice.py) from a MONAI source tree on PYTHONPATH
    (MONAI's losses run on Debian's python3-torch 1.13 with python3-scipy);
  - segmentation_models.pytorch's MCCLoss (losses/mcc.py) at commit 5006616 from $SMP_LOSSES, as
    generate.py imports smp's other losses (the package __init__, which needs timm, is not run).

    apt-get install python3-torch python3-scipy
    git clone https://github.com/Project-MONAI/MONAI /tmp/monai-src   # its monai/ folder
    git clone https://github.com/qubvel-org/segmentation_models.pytorch /tmp/smp
    git -C /tmp/smp checkout 5006616
    PYTHONPATH=/tmp/monai-src SMP_LOSSES=/tmp/smp/segmentation_models_pytorch/losses \
        /usr/bin/python3 engines-test/reference/generate_gdl_mcc.py

It writes engines-test/src/test/resources/reference/generated-gdl-mcc.json in the format of
generated.json: each case names the loss, its parameters, the source of the numbers, the inputs
(float32 values, stored as float64) and the expected loss and gradients, computed in float64.
The first cases are MONAI's and smp's own unit-test cases that map onto segloss's API; the script
checks that MONAI and smp still give their tests' expected values on them. What segloss adds
(an ignore index, images with nothing labelled, MULTICLASS and MULTILABEL MCC) is fed to the same
imported code as the source string of each case says: ignored pixels are removed from MONAI's
sums by zeroing both the probabilities and the one-hot targets there, and from smp's MCC by
keeping only the labelled pixels. CI does not run this script; it only reads the JSON.
"""
import importlib
import json
import math
import os
import sys
import types

import torch
import torch.nn.functional as F

from monai.losses import GeneralizedDiceLoss

torch.manual_seed(20261206)

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-gdl-mcc.json")
MONAI = "MONAI GeneralizedDiceLoss (monai/losses/dice.py, imported unchanged)"
SMP = "segmentation_models.pytorch 5006616 losses/mcc.py MCCLoss (imported unchanged)"


def smp_module(name):
    """Imports one module of smp's losses package from $SMP_LOSSES."""
    if "smp_losses" not in sys.modules:
        folder = os.environ.get("SMP_LOSSES")
        if not folder or not os.path.isdir(folder):
            sys.exit("set SMP_LOSSES to segmentation_models_pytorch/losses of smp 5006616")
        package = types.ModuleType("smp_losses")
        package.__path__ = [folder]
        sys.modules["smp_losses"] = package
    return importlib.import_module("smp_losses." + name)


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


def loss_case(name, kind, params, source, logits, labels, loss, expected_value=None):
    """A case from a loss computed on `logits` (a leaf); checks a published value if given."""
    if expected_value is not None and not math.isclose(loss.item(), expected_value,
                                                       rel_tol=1e-5, abs_tol=1e-6):
        sys.exit("%s: %s gives %r, its unit test expects %r" % (name, source, loss.item(),
                                                                expected_value))
    loss.backward()
    return case(name, kind, params, source, {"logits": logits.detach(), "labels": labels.double()},
                ["logits"], {"loss": loss.item(), "grad_logits": logits.grad})


def leaf(values):
    return f32(torch.tensor(values, dtype=torch.float64)).requires_grad_()


# ---------------------------------------------------------------------------------------------
# GeneralizedDiceLoss


def monai_ported_cases():
    """MONAI's tests/losses/test_generalized_dice_loss.py cases that map onto segloss's API.

    MONAI's sigmoid=True is BINARY (one channel) or MULTILABEL (several, one-hot targets given as
    such); softmax=True with to_onehot_y=True is MULTICLASS; no activation is fromLogits=false."""
    kind = "GeneralizedDiceLoss"
    cases = []
    # TEST_CASES[0] (and its duplicate [10]): (1, 1, 2, 2), sigmoid
    x = leaf([[[[1.0, -1.0], [-1.0, 1.0]]]])
    t = torch.tensor([[[[1.0, 0.0], [1.0, 1.0]]]], dtype=torch.float64)
    loss = GeneralizedDiceLoss(include_background=True, sigmoid=True, smooth_nr=1e-6,
                               smooth_dr=1e-6)(x, t)
    cases.append(loss_case("monai_gdl_case0_sigmoid", kind,
                           {"mode": "BINARY", "smoothNumerator": 1e-6, "smoothDenominator": 1e-6},
                           MONAI + " test case 0", x, t, loss, 0.307576))
    # TEST_CASES[1]: (2, 1, 2, 2), sigmoid
    x = leaf([[[[1.0, -1.0], [-1.0, 1.0]]], [[[1.0, -1.0], [-1.0, 1.0]]]])
    t = torch.tensor([[[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 0.0], [1.0, 0.0]]]],
                     dtype=torch.float64)
    loss = GeneralizedDiceLoss(include_background=True, sigmoid=True, smooth_nr=1e-4,
                               smooth_dr=1e-4)(x, t)
    cases.append(loss_case("monai_gdl_case1_sigmoid_batch2", kind,
                           {"mode": "BINARY", "smoothNumerator": 1e-4, "smoothDenominator": 1e-4},
                           MONAI + " test case 1", x, t, loss, 0.416597))
    # TEST_CASES[4]: (2, 2, 3) probabilities, to_onehot_y, no background, no smoothing
    x = leaf([[[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]])
    t = torch.tensor([[[0.0, 0.0, 1.0]], [[0.0, 1.0, 0.0]]], dtype=torch.float64)
    loss = GeneralizedDiceLoss(include_background=False, to_onehot_y=True, smooth_nr=0.0,
                               smooth_dr=0.0)(x, t)
    cases.append(loss_case("monai_gdl_case4_no_background_probabilities", kind,
                           {"mode": "MULTICLASS", "fromLogits": False, "includeBackground": False,
                            "smoothNumerator": 0.0, "smoothDenominator": 0.0},
                           MONAI + " test case 4", x, t, loss, 0.0))
    # TEST_CASES[5]: (2, 2, 3), to_onehot_y and sigmoid: MULTILABEL on the one-hot targets
    x = leaf([[[-1.0, 0.0, 1.0], [1.0, 0.0, -1.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]])
    t = torch.tensor([[[1.0, 0.0, 0.0]], [[1.0, 1.0, 0.0]]], dtype=torch.float64)
    loss = GeneralizedDiceLoss(include_background=True, to_onehot_y=True, sigmoid=True,
                               smooth_nr=1e-4, smooth_dr=1e-4)(x, t)
    onehot = F.one_hot(t[:, 0].long(), 2).permute(0, 2, 1).double()
    cases.append(loss_case("monai_gdl_case5_onehot_sigmoid", kind,
                           {"mode": "MULTILABEL", "smoothNumerator": 1e-4,
                            "smoothDenominator": 1e-4},
                           MONAI + " test case 5 (labels: its one-hot targets)", x, onehot, loss,
                           0.469964))
    # TEST_CASES[6]: the same with softmax
    x = leaf([[[-1.0, 0.0, 1.0], [1.0, 0.0, -1.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]])
    loss = GeneralizedDiceLoss(include_background=True, to_onehot_y=True, softmax=True,
                               smooth_nr=1e-4, smooth_dr=1e-4)(x, t)
    cases.append(loss_case("monai_gdl_case6_softmax", kind,
                           {"mode": "MULTICLASS", "smoothNumerator": 1e-4,
                            "smoothDenominator": 1e-4},
                           MONAI + " test case 6", x, t[:, 0], loss, 0.414507))
    # TEST_CASES[9]: every target background, background excluded: every weight infinite
    x = leaf([[[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]])
    t = torch.zeros(2, 1, 3, dtype=torch.float64)
    loss = GeneralizedDiceLoss(include_background=False, to_onehot_y=True, smooth_nr=1e-8,
                               smooth_dr=1e-8)(x, t)
    cases.append(loss_case("monai_gdl_case9_all_weights_infinite", kind,
                           {"mode": "MULTICLASS", "fromLogits": False, "includeBackground": False,
                            "smoothNumerator": 1e-8, "smoothDenominator": 1e-8},
                           MONAI + " test case 9", x, t[:, 0], loss, 0.0))
    # TEST_CASES[11]: simple weights, softmax, no smoothing
    x = leaf([[[0.0, 10.0, 10.0, 10.0], [10.0, 0.0, 0.0, 0.0]]])
    t = torch.tensor([[[1, 1, 0, 0]]], dtype=torch.float64)
    loss = GeneralizedDiceLoss(include_background=True, to_onehot_y=True, softmax=True,
                               w_type="simple", smooth_nr=0, smooth_dr=0)(x, t)
    cases.append(loss_case("monai_gdl_case11_simple_weights", kind,
                           {"mode": "MULTICLASS", "weightType": "SIMPLE", "smoothNumerator": 0.0,
                            "smoothDenominator": 0.0},
                           MONAI + " test case 11", x, t[:, 0], loss, 0.250023))
    # test_batch: batch=True on all-zero predictions and targets (no activation)
    x = f32(torch.zeros(2, 3, 3, 3)).requires_grad_()
    t = torch.zeros(2, 3, 3, 3, dtype=torch.float64)
    loss = GeneralizedDiceLoss(batch=True)(x, t)
    cases.append(loss_case("monai_gdl_test_batch_all_zero", kind,
                           {"mode": "MULTILABEL", "fromLogits": False, "perImage": False},
                           MONAI + " test_batch", x, t, loss, 0.0))
    return cases


def gdl_inputs(mode, shape, from_logits=True, ignore=None, ignore_frac=0.2, absent=None,
               empty_image=None, squeeze_binary=False, scale=2.0):
    """Logits (probabilities unless from_logits) and labels; `absent` removes a class from an
    image (a dict image -> class); `empty_image` ignores every pixel of one image."""
    logits = f32(torch.randn(shape) * scale).requires_grad_()
    if not from_logits:
        logits = f32(probabilities(mode, logits.detach(), True)).requires_grad_()
    n, c = shape[0], shape[1]
    if mode == "MULTICLASS":
        labels = torch.randint(0, c, (n,) + tuple(shape[2:]))
        for image, cls in (absent or {}).items():
            sel = labels[image]
            sel[sel == cls] = (cls + 1) % c
    else:
        labels = (torch.rand(shape) > 0.6).long()
        for image, cls in (absent or {}).items():
            labels[image, cls] = 0
        if mode == "BINARY" and squeeze_binary:
            labels = labels[:, 0]
    if ignore is not None:
        labels[torch.rand(labels.shape) < ignore_frac] = ignore
        if empty_image is not None:
            labels[empty_image] = ignore
    return logits, labels


def probabilities(mode, logits, from_logits):
    if not from_logits:
        return logits
    return logits.softmax(1) if mode == "MULTICLASS" else logits.sigmoid()


def masked_targets(mode, logits, labels, ignore):
    """One-hot (or 0/1) targets of the logits' shape and the mask of labelled elements."""
    n, c = logits.shape[0], logits.shape[1]
    if mode == "MULTICLASS":
        valid = labels != ignore if ignore is not None else torch.ones_like(labels, dtype=bool)
        safe = torch.where(valid, labels, torch.zeros_like(labels))
        onehot = F.one_hot(safe, c).movedim(-1, 1).double()
        mask = valid.unsqueeze(1).double()
        return onehot * mask, mask
    lab = labels.reshape(logits.shape)
    valid = lab != ignore if ignore is not None else torch.ones_like(lab, dtype=bool)
    return torch.where(valid, lab, torch.zeros_like(lab)).double(), valid.double()


def gdl_case(name, params, shape, opts=None):
    """MONAI's GeneralizedDiceLoss on the probabilities and one-hot targets, both zeroed on ignored
    pixels (so that they add nothing to MONAI's sums); with reduction="none" and the mean over the
    images that have a labelled pixel (segloss leaves the others out; MONAI has no ignore)."""
    mode = params["mode"]
    logits, labels = gdl_inputs(mode, shape, params.get("fromLogits", True), **(opts or {}))
    ignore = params.get("ignoreIndex")
    target, mask = masked_targets(mode, logits, labels, ignore)
    probs = probabilities(mode, logits, params.get("fromLogits", True)) * mask
    per_image = params.get("perImage", True)
    fn = GeneralizedDiceLoss(include_background=params.get("includeBackground", True),
                             w_type=params.get("weightType", "SQUARE").lower(),
                             smooth_nr=params.get("smoothNumerator", 1e-5),
                             smooth_dr=params.get("smoothDenominator", 1e-5),
                             batch=not per_image, reduction="none")
    f = fn(probs, target).reshape(-1)
    labelled = mask.reshape(shape[0], -1).sum(1) > 0
    if per_image:
        loss = f[labelled].mean() if labelled.any() else f.sum() * 0.0
    else:
        loss = f.mean() if labelled.any() else f.sum() * 0.0
    source = (MONAI + ", reduction='none', on probabilities and one-hot targets zeroed on ignored"
              " pixels; mean over the images with a labelled pixel")
    return loss_case(name, "GeneralizedDiceLoss", params, source, logits, labels, loss)


def contract_zero_case(name, kind, params, shape, ignore=255):
    logits = f32(torch.randn(shape)).requires_grad_()
    mode = params.get("mode", "MULTICLASS")
    if mode == "MULTICLASS":
        labels = torch.full((shape[0],) + tuple(shape[2:]), ignore)
    else:
        labels = torch.full(shape, ignore)
    return case(name, kind, params, "contract: 0, zero gradient",
                {"logits": logits.detach(), "labels": labels.double()}, ["logits"],
                {"loss": 0.0, "grad_logits": torch.zeros(shape, dtype=torch.float64)})


def gdl_cases():
    cases = monai_ported_cases()
    cases.append(gdl_case("gdl_multiclass_square_per_image_absent_ignore",
                          {"mode": "MULTICLASS", "ignoreIndex": 255}, (3, 4, 5, 6),
                          {"ignore": 255, "absent": {0: 1, 2: 3}, "empty_image": 1}))
    cases.append(gdl_case("gdl_multiclass_batch_simple_absent",
                          {"mode": "MULTICLASS", "perImage": False, "weightType": "SIMPLE"},
                          (2, 4, 5, 6), {"absent": {0: 2, 1: 2}}))
    cases.append(gdl_case("gdl_multiclass_batch_square_ignore_no_background",
                          {"mode": "MULTICLASS", "perImage": False, "includeBackground": False,
                           "ignoreIndex": 255, "smoothNumerator": 1e-3,
                           "smoothDenominator": 1e-2}, (2, 5, 4, 6),
                          {"ignore": 255, "absent": {0: 4, 1: 4}}))
    cases.append(gdl_case("gdl_multilabel_uniform_smooth_nr_dr",
                          {"mode": "MULTILABEL", "weightType": "UNIFORM", "ignoreIndex": 255,
                           "smoothNumerator": 0.5, "smoothDenominator": 0.1}, (2, 3, 4, 5),
                          {"ignore": 255, "absent": {1: 0}}))
    cases.append(gdl_case("gdl_multilabel_no_background_absent",
                          {"mode": "MULTILABEL", "includeBackground": False}, (3, 3, 4, 4),
                          {"absent": {0: 1, 1: 2, 2: 1}}))
    cases.append(gdl_case("gdl_binary_squeezed_ignore",
                          {"mode": "BINARY", "ignoreIndex": 255}, (3, 1, 5, 5),
                          {"ignore": 255, "squeeze_binary": True}))
    cases.append(gdl_case("gdl_multiclass_probabilities_3d",
                          {"mode": "MULTICLASS", "fromLogits": False}, (2, 3, 3, 4, 2)))
    cases.append(contract_zero_case("gdl_all_ignored", "GeneralizedDiceLoss",
                                    {"mode": "MULTICLASS", "ignoreIndex": 255,
                                     "smoothNumerator": 1e-3}, (2, 3, 4, 4)))
    return cases


# ---------------------------------------------------------------------------------------------
# MccLoss


def smp_ported_mcc_cases():
    """smp's tests/test_losses.py test_binary_mcc_loss: probabilities (1, 2, 4) given as they are
    (BINARY, fromLogits=false, logits (1, 1, 2, 4) and labels (1, 2, 4)), eps 1e-5."""
    mcc = smp_module("mcc").MCCLoss(eps=1e-5)
    ideal = [[[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]]
    rows = [
        ("ideal", ideal, ideal, 0.0),
        ("worst", ideal, [[[0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]]], 2.0),
        ("one_third", [[[0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0]]],
         [[[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]], 1.0),
        ("trivial1", [[[0.0] * 4, [0.0] * 4]], [[[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]], 1.0),
        ("trivial2", [[[0.0] * 4, [0.0] * 4]], [[[1.0] * 4, [1.0] * 4]], 1.5),
        ("trivial3", [[[1.0] * 4, [1.0] * 4]], [[[1.0] * 4, [1.0] * 4]], 0.5),
    ]
    cases = []
    for name, pred, true, expected in rows:
        x = leaf(pred)
        t = torch.tensor(true, dtype=torch.float64)
        loss = mcc(x.unsqueeze(1), t)
        if abs(loss.item() - expected) > 1e-5:
            sys.exit("smp MCCLoss %s: %r, its test expects %r" % (name, loss.item(), expected))
        loss.backward()
        cases.append(case("smp_mcc_" + name, "MccLoss",
                          {"mode": "BINARY", "fromLogits": False, "eps": 1e-5},
                          SMP + " test_binary_mcc_loss",
                          {"logits": x.detach().unsqueeze(1), "labels": t}, ["logits"],
                          {"loss": loss.item(), "grad_logits": x.grad.unsqueeze(1)}))
    return cases


def mcc_case(name, params, shape, opts=None):
    """smp's MCCLoss on each class's one-vs-rest channel of the labelled pixels (BINARY: the one
    channel, as smp); in MULTICLASS and MULTILABEL a class absent from the labelled targets counts
    0 (segloss's policy) and the classes are averaged with the class weights."""
    mode = params["mode"]
    logits, labels = gdl_inputs(mode, shape, params.get("fromLogits", True), **(opts or {}))
    ignore = params.get("ignoreIndex")
    target, mask = masked_targets(mode, logits, labels, ignore)
    probs = probabilities(mode, logits, params.get("fromLogits", True))
    mcc = smp_module("mcc").MCCLoss(eps=params.get("eps", 1e-5))
    c = shape[1]
    weights = torch.tensor(params.get("classWeights", [1.0] * c), dtype=torch.float64)
    terms = []
    for k in range(c):
        valid = mask[:, min(k, mask.shape[1] - 1)].bool()
        p = probs[:, k][valid].reshape(1, 1, -1)
        t = target[:, k][valid].reshape(1, 1, -1)
        if valid.sum() == 0:
            terms.append(probs.sum() * 0.0)
            continue
        term = mcc(p, t)
        if mode != "BINARY" and t.sum() == 0:
            term = term * 0.0
        terms.append(term)
    loss = (torch.stack(terms) * weights).sum() / weights.sum()
    source = (SMP + " per class on the labelled pixels (one-vs-rest); MULTICLASS/MULTILABEL: "
              "absent classes count 0, weighted mean over the classes")
    return loss_case(name, "MccLoss", params, source, logits, labels, loss)


def mcc_cases():
    cases = smp_ported_mcc_cases()
    cases.append(mcc_case("mcc_binary_logits", {"mode": "BINARY"}, (2, 1, 5, 6)))
    cases.append(mcc_case("mcc_binary_squeezed_ignore_eps",
                          {"mode": "BINARY", "ignoreIndex": 255, "eps": 1e-3}, (3, 1, 4, 5),
                          {"ignore": 255, "squeeze_binary": True}))
    cases.append(mcc_case("mcc_multiclass_ignore_weights_absent",
                          {"mode": "MULTICLASS", "ignoreIndex": 255,
                           "classWeights": [1.0, 2.0, 0.5, 1.5]}, (2, 4, 5, 6),
                          {"ignore": 255, "absent": {0: 3, 1: 3}}))
    cases.append(mcc_case("mcc_multiclass_probabilities",
                          {"mode": "MULTICLASS", "fromLogits": False}, (2, 3, 4, 5)))
    cases.append(mcc_case("mcc_multilabel_ignore_absent",
                          {"mode": "MULTILABEL", "ignoreIndex": 255}, (2, 3, 4, 5),
                          {"ignore": 255, "absent": {0: 2, 1: 2}}))
    cases.append(contract_zero_case("mcc_binary_all_ignored", "MccLoss",
                                    {"mode": "BINARY", "ignoreIndex": 255}, (2, 1, 4, 4)))
    cases.append(contract_zero_case("mcc_multiclass_all_ignored", "MccLoss",
                                    {"mode": "MULTICLASS", "ignoreIndex": 255}, (2, 3, 4, 4)))
    return cases


def main():
    cases = gdl_cases() + mcc_cases()
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate_gdl_mcc.py",
                   "torch": torch.__version__, "reference_float": "float64", "cases": cases}, out)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
