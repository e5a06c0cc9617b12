#!/usr/bin/python3
"""Generates the reference cases of segloss's distance maps and distance-based losses.

Run with Debian's python3-torch (1.13), python3-scipy (1.10) and python3-numpy (1.24), MONAI's
source tree and the boundary-loss repository of Kervadec et al.:

    apt-get install python3-torch python3-scipy
    git clone https://github.com/Project-MONAI/MONAI /tmp/monai-src   # at d388d1c
    git clone https://github.com/LIVIAETS/boundary-loss /tmp/boundary-loss   # at 171c32d
    PYTHONPATH=/tmp/monai-src BOUNDARY_LOSS=/tmp/boundary-loss \\
        /usr/bin/python3 engines-test/reference/generate_distance.py

What it imports, unchanged:
- scipy.ndimage.distance_transform_edt: the EDT cases (DistanceMaps.euclidean);
- MONAI's monai.losses.HausdorffDTLoss (its forward and its distance_field method): the
  HausdorffDTLoss cases, including the cases of MONAI's tests/losses/test_hausdorff_loss.py that
  map onto segloss's API, and the DistanceMaps.distanceField cases;
- boundary-loss's one_hot2dist (utils.py) and SurfaceLoss (losses.py): the signed maps of every
  BoundaryLoss and DistanceMaps.signedPerClass case, and the value of the BoundaryLoss cases it
  can compute. Its utils.py imports tqdm, skimage, PIL and medpy, which Debian does not package
  together, so the functions are read from the files by name (ast) and run as they are, with
  numpy's np.bool (removed in numpy 1.24) given back as Python's bool. SurfaceLoss computes in
  float32 and its einsum takes 2-D images only: the stored numbers are its formula, mean over
  (batch, selected classes, pixels) of probability x map, in float64 with torch ops, checked
  against SurfaceLoss itself to 1e-6 where it runs; segloss's ignore index and class weights extend
  the formula (a weighted mean over the selected classes of per-class means over labelled pixels).

It writes engines-test/src/test/resources/reference/generated-distance.json in the format of
generate.py (inputs rounded to float32, references in float64). CI does not run this script.
"""
import ast
import json
import os
import sys
import types
import typing

import numpy as np
import scipy
import torch
import torch.nn.functional as F
from scipy.ndimage import distance_transform_edt

torch.manual_seed(20261206)

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-distance.json")
SCIPY = "scipy %s ndimage.distance_transform_edt" % scipy.__version__
BL = "boundary-loss 171c32d one_hot2dist + SurfaceLoss formula (float64, torch %s)" % \
    torch.__version__


def f32(t):
    """Rounds to float32 (the Java side's input type), then computes in float64."""
    return t.float().double()


def arr(t):
    t = torch.as_tensor(t)
    return {"shape": list(t.shape), "data": [float(v) for v in t.flatten().tolist()]}


def case(name, loss, params, source, inputs, grads, expected):
    return {"name": name, "loss": loss, "params": params, "source": source,
            "inputs": {k: arr(v) for k, v in inputs.items()}, "grads": grads,
            "expected": {k: (arr(v) if torch.is_tensor(v) and v.dim() > 0 else float(v))
                         for k, v in expected.items()}}


def boundary_loss_functions():
    """one_hot2dist and SurfaceLoss from $BOUNDARY_LOSS, run unchanged."""
    folder = os.environ.get("BOUNDARY_LOSS")
    if not folder or not os.path.isdir(folder):
        sys.exit("set BOUNDARY_LOSS to a clone of github.com/LIVIAETS/boundary-loss")
    numpy_shim = types.ModuleType("numpy_shim")
    numpy_shim.__dict__.update(np.__dict__)
    numpy_shim.bool = bool  # np.bool, removed in numpy 1.24
    namespace = {"np": numpy_shim, "torch": torch, "Tensor": torch.Tensor,
                 "einsum": torch.einsum, "eucl_distance": distance_transform_edt}
    namespace.update({k: getattr(typing, k) for k in
                      ("Any", "Callable", "Iterable", "List", "Set", "Tuple", "TypeVar",
                       "Union", "cast")})
    wanted = {"utils.py": ["uniq", "sset", "simplex", "one_hot", "one_hot2dist"],
              "losses.py": ["SurfaceLoss"]}
    for file, names in wanted.items():
        with open(os.path.join(folder, file)) as source:
            tree = ast.parse(source.read())
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
                exec(compile(ast.Module([node], []), file, "exec"), namespace)
                names.remove(node.name)
        if names:
            sys.exit("%s lacks %s" % (file, names))
    return namespace["one_hot2dist"], namespace["SurfaceLoss"]


ONE_HOT2DIST, SURFACE_LOSS = boundary_loss_functions()
from monai.losses import HausdorffDTLoss  # noqa: E402  (after the path checks)


def signed_maps(labels, classes, ignore=None, sampling=None):
    """(N, C, ...) maps of class-index labels by one_hot2dist, one image at a time. Ignored pixels
    go to an extra channel, so that the one-hot that one_hot2dist asserts holds; that channel's map
    is dropped."""
    maps = []
    for image in labels:
        channels = [(image == c) for c in range(classes)]
        if ignore is not None:
            channels.append(image == ignore)
        seg = torch.stack(channels).numpy().astype(np.int64)
        dist = ONE_HOT2DIST(seg, resolution=sampling, dtype=np.float64)
        maps.append(torch.from_numpy(dist[:classes]))
    return torch.stack(maps)


def mask_signed_maps(masks, sampling=None):
    """(N, C, ...) maps of 0/1 masks, each channel as channel 1 of the one-hot (1 - m, m)."""
    out = torch.zeros(masks.shape, dtype=torch.float64)
    for n in range(masks.shape[0]):
        for c in range(masks.shape[1]):
            m = masks[n, c].long()
            seg = torch.stack([1 - m, m]).numpy()
            out[n, c] = torch.from_numpy(ONE_HOT2DIST(seg, resolution=sampling,
                                                      dtype=np.float64)[1])
    return out


def edt_cases():
    cases = []

    def edt(name, x, sampling=None, axes=None):
        x = torch.as_tensor(x, dtype=torch.float64)
        if axes is None:
            out = torch.from_numpy(distance_transform_edt(x.numpy(), sampling=sampling))
        else:  # leading axes enumerate images
            flat = x.reshape((-1,) + tuple(x.shape[-axes:]))
            out = torch.stack([torch.from_numpy(distance_transform_edt(i.numpy(),
                                                                        sampling=sampling))
                               for i in flat]).reshape(x.shape)
        params = {} if sampling is None else {"sampling": list(sampling)}
        cases.append(case(name, "DistanceMaps.euclidean", params, SCIPY, {"input": x}, [],
                          {"loss": out.sum().item(), "output": out}))

    edt("edt_2d", (torch.rand(9, 11) > 0.3).double())
    edt("edt_2d_sparse_zeros_sampling", (torch.rand(13, 10) > 0.05).double(), (0.5, 2.0))
    edt("edt_3d_sampling", (torch.rand(5, 6, 7) > 0.25).double(), (1.5, 1.0, 0.7))
    edt("edt_2d_values_not_01", torch.randint(-2, 3, (6, 8)).double())
    single = torch.ones(7, 9)
    single[4, 2] = 0
    edt("edt_single_zero", single, (1.0, 3.0))
    edt("edt_all_nonzero_2d", torch.ones(4, 5), (2.0, 0.5))
    edt("edt_all_nonzero_3d", torch.ones(2, 3, 4))
    edt("edt_all_zero", torch.zeros(3, 4))
    edt("edt_one_row", (torch.rand(1, 12) > 0.4).double())
    edt("edt_batched_images", (torch.rand(3, 2, 6, 7) > 0.3).double(), (1.0, 1.25), axes=2)
    return cases


def signed_cases():
    cases = []
    for name, shape, classes, ignore, sampling in [
            ("signed_per_class_2d", (2, 7, 8), 3, None, None),
            ("signed_per_class_ignore_sampling", (2, 6, 9), 4, 255, (2.0, 0.5)),
            ("signed_per_class_3d", (1, 4, 5, 6), 3, None, (1.0, 1.5, 2.0))]:
        labels = torch.randint(0, classes, shape)
        labels[0].view(-1)[:3] = 0
        if ignore is not None:
            labels[torch.rand(shape) < 0.2] = ignore
        if name == "signed_per_class_2d":
            labels[1] = 1  # class 1 fills image 1: one_hot2dist reads scipy's all-nonzero value
        maps = signed_maps(labels, classes, ignore, sampling)
        params = {"numClasses": classes}
        if ignore is not None:
            params["ignoreIndex"] = ignore
        if sampling is not None:
            params["sampling"] = list(sampling)
        cases.append(case(name, "DistanceMaps.signedPerClass", params,
                          "boundary-loss 171c32d one_hot2dist (%s)" % SCIPY,
                          {"labels": labels.double()}, [],
                          {"loss": maps.sum().item(), "output": maps}))
    field = HausdorffDTLoss().distance_field
    masks = (torch.rand(3, 2, 6, 7) > 0.5).double()
    masks[0, 0] = 1.0  # full: 0
    masks[1, 1] = 0.0  # empty: 0
    masks[2, 0] = f32(torch.rand(6, 7))  # probabilities: inside where > 0.5
    out = torch.stack([field(masks[:, c:c + 1])[:, 0] for c in range(2)], 1)
    cases.append(case("distance_field_monai", "DistanceMaps.distanceField", {},
                      "MONAI d388d1c HausdorffDTLoss.distance_field", {"masks": masks}, [],
                      {"loss": out.sum().item(), "output": out}))
    return cases


def surface_formula(probs, maps, selected, valid=None, weights=None):
    """SurfaceLoss's mean of probs x maps over (batch, selected classes, pixels); with segloss's
    ignore mask and class weights, the weighted mean over classes of per-class means over the
    labelled pixels."""
    term = probs * maps
    if valid is None:
        valid = torch.ones_like(term)
    valid = valid.expand_as(term)
    dims = [0] + list(range(2, term.dim()))
    per_class = (term * valid).sum(dims) / valid.sum(dims).clamp(min=1e-300)
    w = torch.zeros(term.shape[1], dtype=torch.float64)
    w[selected] = 1.0
    if weights is not None:
        w = w * torch.tensor(weights, dtype=torch.float64)
    return (per_class * w).sum() / w.sum()


def boundary_cases():
    cases = []
    # MULTICLASS, maps computed from the labels, default classes (all but 0), checked against
    # SurfaceLoss(idc=[1, 2]) itself.
    logits = f32(torch.randn(2, 3, 8, 9) * 2).requires_grad_()
    labels = torch.randint(0, 3, (2, 8, 9))
    labels[1, :4] = 2
    maps = signed_maps(labels, 3)
    probs = logits.softmax(1)
    loss = surface_formula(probs, maps, [1, 2])
    original = SURFACE_LOSS(idc=[1, 2])(probs.detach(), maps)
    assert abs(original.item() - loss.item()) < 1e-6, (original, loss)
    loss.backward()
    cases.append(case("boundary_multiclass_computed_maps", "BoundaryLoss",
                      {"mode": "MULTICLASS"}, BL + "; SurfaceLoss(idc=[1, 2]) agrees",
                      {"logits": logits.detach(), "labels": labels.double()}, ["logits"],
                      {"loss": loss.item(), "grad_logits": logits.grad}))
    # A class that fills an image, maps given as the second label, all classes.
    logits = f32(torch.randn(2, 2, 6, 7) * 2).requires_grad_()
    labels = torch.randint(0, 2, (2, 6, 7))
    labels[0] = 1
    maps = signed_maps(labels, 2)
    probs = logits.softmax(1)
    loss = surface_formula(probs, maps, [0, 1])
    original = SURFACE_LOSS(idc=[0, 1])(probs.detach(), maps)
    assert abs(original.item() - loss.item()) < 1e-6, (original, loss)
    loss.backward()
    cases.append(case("boundary_given_maps_full_class", "BoundaryLoss",
                      {"mode": "MULTICLASS", "classes": [0, 1], "givenMaps": True},
                      BL + "; SurfaceLoss(idc=[0, 1]) agrees",
                      {"logits": logits.detach(), "labels": labels.double(), "maps": f32(maps)},
                      ["logits"], {"loss": loss.item(), "grad_logits": logits.grad}))
    # Ignore index, class weights, chosen classes, sampling; computed and given maps.
    for name, given in [("boundary_ignore_weights_sampling", False),
                        ("boundary_ignore_weights_given_maps", True)]:
        logits = f32(torch.randn(2, 4, 7, 6) * 2).requires_grad_()
        labels = torch.randint(0, 4, (2, 7, 6))
        labels[torch.rand(labels.shape) < 0.25] = 255
        sampling = (1.5, 0.75)
        maps = signed_maps(labels, 4, 255, sampling)
        valid = (labels != 255).double()[:, None]
        weights = [1.0, 0.5, 2.0, 3.0]
        loss = surface_formula(logits.softmax(1), maps, [0, 2, 3], valid, weights)
        loss.backward()
        params = {"mode": "MULTICLASS", "ignoreIndex": 255, "classes": [0, 2, 3],
                  "classWeights": weights}
        inputs = {"logits": logits.detach(), "labels": labels.double()}
        if given:
            params["givenMaps"] = True
            inputs["maps"] = f32(maps)
        else:
            params["sampling"] = list(sampling)
        cases.append(case(name, "BoundaryLoss", params, BL + " with segloss's ignore index and "
                          "class weights", inputs, ["logits"],
                          {"loss": loss.item(), "grad_logits": logits.grad}))
    # BINARY: SurfaceLoss(idc=[1]) on the two-channel probabilities (1 - sigmoid, sigmoid).
    logits = f32(torch.randn(3, 1, 7, 7) * 2).requires_grad_()
    labels = (torch.rand(3, 7, 7) > 0.6).long()
    labels[2] = 0  # no foreground: map 0
    maps = signed_maps(labels, 2)
    p = torch.sigmoid(logits)
    probs = torch.cat([1 - p, p], 1)
    loss = SURFACE_LOSS(idc=[1])(probs.detach(), maps)
    formula = surface_formula(probs, maps, [1])
    assert abs(loss.item() - formula.item()) < 1e-6
    formula.backward()
    cases.append(case("boundary_binary_sigmoid", "BoundaryLoss", {"mode": "BINARY"},
                      BL + "; SurfaceLoss(idc=[1]) on (1 - sigmoid, sigmoid) agrees",
                      {"logits": logits.detach(), "labels": labels.double()}, ["logits"],
                      {"loss": formula.item(), "grad_logits": logits.grad}))
    # MULTILABEL 3-D with sampling (SurfaceLoss's einsum takes 2-D only: the formula).
    logits = f32(torch.randn(2, 2, 4, 5, 6) * 2).requires_grad_()
    labels = (torch.rand(2, 2, 4, 5, 6) > 0.5).double()
    sampling = (2.0, 1.0, 0.5)
    maps = mask_signed_maps(labels, sampling)
    loss = surface_formula(torch.sigmoid(logits), maps, [0, 1])
    loss.backward()
    cases.append(case("boundary_multilabel_3d_sampling", "BoundaryLoss",
                      {"mode": "MULTILABEL", "sampling": list(sampling)}, BL,
                      {"logits": logits.detach(), "labels": labels}, ["logits"],
                      {"loss": loss.item(), "grad_logits": logits.grad}))
    # Probabilities given instead of logits.
    probs = f32(torch.randn(2, 3, 6, 6).softmax(1)).requires_grad_()
    labels = torch.randint(0, 3, (2, 6, 6))
    maps = signed_maps(labels, 3)
    loss = surface_formula(probs, maps, [1, 2])
    loss.backward()
    cases.append(case("boundary_probabilities", "BoundaryLoss",
                      {"mode": "MULTICLASS", "fromLogits": False}, BL,
                      {"logits": probs.detach(), "labels": labels.double()}, ["logits"],
                      {"loss": loss.item(), "grad_logits": probs.grad}))
    # Nothing labelled: 0 with a zero gradient (the contract; SurfaceLoss has no ignore index).
    cases.append(case("boundary_all_ignored", "BoundaryLoss",
                      {"mode": "MULTICLASS", "ignoreIndex": 255}, "segloss contract",
                      {"logits": f32(torch.randn(2, 3, 4, 4)),
                       "labels": torch.full((2, 4, 4), 255.0)}, ["logits"],
                      {"loss": 0.0, "grad_logits": torch.zeros(2, 3, 4, 4, dtype=torch.float64)}))
    return cases


MONAI = "MONAI d388d1c monai.losses.HausdorffDTLoss"
MONAI_TEST = MONAI + "; tests/losses/test_hausdorff_loss.py case %d (expected %s)"


def monai_case(name, params, monai_args, logits, target, labels, source, expected=None):
    logits = f32(logits).requires_grad_()
    loss = HausdorffDTLoss(**monai_args)(logits, f32(target))
    if expected is not None:
        assert abs(loss.item() - expected) <= 1e-5 * abs(expected) + 1e-6, (name, loss, expected)
    loss.backward()
    return case(name, "HausdorffDTLoss", params, source,
                {"logits": logits.detach(), "labels": labels.double()}, ["logits"],
                {"loss": loss.item(), "grad_logits": logits.grad})


def hausdorff_cases():
    cases = []
    sig = {"include_background": True, "sigmoid": True}
    t = torch.tensor
    # MONAI's unit-test cases that map onto segloss's modes (the tanh/log_softmax other_act cases
    # and the sum reduction do not): inputs as given there, value checked against the test's.
    ported = [
        (0, "BINARY", t([[[[1.0, -1.0], [-1.0, 1.0]]]]), t([[[[1.0, 0.0], [1.0, 1.0]]]]),
         0.509329),
        (1, "BINARY", t([[[[[1.0, -1.0], [-1.0, 1.0]]]]]), t([[[[[1.0, 0.0], [1.0, 1.0]]]]]),
         0.509329),
        (2, "BINARY", t([[[[[1.0, -1.0], [1.0, -1.0]], [[-1.0, 1.0], [-1.0, 1.0]]]]]),
         t([[[[[1.0, 0.0], [1.0, 0.0]], [[0.0, 0.0], [1.0, 1.0]]]]]), 0.375718),
        (3, "MULTILABEL", t([[[[1.0, -1.0], [-1.0, 1.0]], [[1.0, -1.0], [-1.0, 1.0]]]]),
         t([[[[1.0, 0.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]]]), 0.326994),
        (4, "BINARY", t([[[[1.0, -1.0], [-1.0, 1.0]]], [[[1.0, -1.0], [-1.0, 1.0]]]]),
         t([[[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 0.0], [1.0, 0.0]]]]), 0.455082)]
    for number, mode, logits, target, expected in ported:
        cases.append(monai_case("hausdorff_monai_test_%d" % number,
                                {"mode": mode, "includeBackground": True}, sig, logits, target,
                                target, MONAI_TEST % (number, expected), expected))
    logits = t([[[[1.0, -1.0], [-1.0, 1.0]], [[1.0, -1.0], [-1.0, 1.0]]]])
    target = t([[[[1.0, 0.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]]])
    cases.append(monai_case("hausdorff_monai_test_5_no_background", {"mode": "MULTILABEL"},
                            {"sigmoid": True}, logits, target, target,
                            MONAI_TEST % (5, 0.144659), 0.144659))
    logits = t([[[[-1.0], [0.0], [1.0]], [[1.0], [0.0], [-1.0]]],
                [[[0.0], [0.0], [0.0]], [[0.0], [0.0], [0.0]]]])
    index = t([[[[1.0], [0.0], [0.0]]], [[[1.0], [1.0], [0.0]]]])
    onehot = torch.cat([1 - index, index], 1)
    # case 6 has reduction "none" ([[0.407765], [0.407765]], [[0.5], [0.5]]): its mean
    cases.append(monai_case("hausdorff_monai_test_6_onehot_sigmoid_mean",
                            {"mode": "MULTILABEL", "includeBackground": True},
                            {"include_background": True, "to_onehot_y": True, "sigmoid": True},
                            logits, index, onehot,
                            MONAI_TEST % (6, "the mean of its reduction='none' output 0.4538825")
                            + "; to_onehot_y's one-hot given as MULTILABEL targets",
                            (0.407765 * 2 + 0.5 * 2) / 4))
    cases.append(monai_case("hausdorff_monai_test_7_softmax",
                            {"mode": "MULTICLASS", "includeBackground": True},
                            {"include_background": True, "to_onehot_y": True, "softmax": True},
                            logits, index, index, MONAI_TEST % (7, 0.357016), 0.357016))
    # Random inputs: MULTICLASS (softmax, one-hot labels, background left out), MULTILABEL 3-D
    # with alpha 1.5, and probabilities.
    labels = torch.randint(0, 3, (2, 1, 7, 8))
    labels[1, 0, :3] = 2
    cases.append(monai_case("hausdorff_multiclass_default", {"mode": "MULTICLASS"},
                            {"to_onehot_y": True, "softmax": True}, torch.randn(2, 3, 7, 8) * 2,
                            labels.double(), labels, MONAI))
    target = (torch.rand(2, 2, 4, 5, 6) > 0.5).double()
    cases.append(monai_case("hausdorff_multilabel_3d_alpha", {"mode": "MULTILABEL", "alpha": 1.5,
                                                              "includeBackground": True},
                            {"sigmoid": True, "alpha": 1.5, "include_background": True},
                            torch.randn(2, 2, 4, 5, 6) * 2, target, target, MONAI))
    probs = torch.randn(2, 3, 6, 5).softmax(1)
    labels = torch.randint(0, 3, (2, 1, 6, 5))
    cases.append(monai_case("hausdorff_probabilities_batch", {"mode": "MULTICLASS",
                                                              "fromLogits": False},
                            {"to_onehot_y": True, "batch": True}, probs, labels.double(), labels,
                            MONAI + " (batch=True)"))
    # segloss's ignore index and class weights, with sampling: MONAI's formula on fields computed
    # as its distance_field does, with the sampling.
    logits = f32(torch.randn(2, 3, 7, 6) * 2).requires_grad_()
    labels = torch.randint(0, 3, (2, 7, 6))
    labels[torch.rand(labels.shape) < 0.2] = 255
    sampling = (0.5, 2.0)
    valid = (labels != 255).double()[:, None]
    target = F.one_hot(torch.where(labels == 255, 0, labels), 3).permute(0, 3, 1, 2).double()
    target = target * valid
    probs = logits.softmax(1)

    def field(masks):
        out = torch.zeros(masks.shape, dtype=torch.float64)
        for n in range(masks.shape[0]):
            for c in range(masks.shape[1]):
                fg = (masks[n, c] > 0.5).numpy()
                if fg.any() and not fg.all():
                    out[n, c] = torch.from_numpy(distance_transform_edt(fg, sampling=sampling)
                                                 + distance_transform_edt(~fg, sampling=sampling))
        return out.float().double()

    distance = field(probs.detach()) ** 2 + field(target) ** 2
    term = (probs - target) ** 2 * distance * valid
    per_class = term.sum((0, 2, 3)) / valid.expand_as(term).sum((0, 2, 3))
    w = torch.tensor([0.0, 2.0, 0.5], dtype=torch.float64)  # background out
    loss = (per_class * w).sum() / w.sum()
    loss.backward()
    cases.append(case("hausdorff_ignore_weights_sampling", "HausdorffDTLoss",
                      {"mode": "MULTICLASS", "ignoreIndex": 255, "classWeights": [1.0, 2.0, 0.5],
                       "sampling": list(sampling)},
                      MONAI + " formula and distance_field with sampling (torch ops), segloss's "
                      "ignore index and class weights",
                      {"logits": logits.detach(), "labels": labels.double()}, ["logits"],
                      {"loss": loss.item(), "grad_logits": logits.grad}))
    cases.append(case("hausdorff_all_ignored", "HausdorffDTLoss",
                      {"mode": "MULTICLASS", "ignoreIndex": 255}, "segloss contract",
                      {"logits": f32(torch.randn(2, 3, 4, 4)),
                       "labels": torch.full((2, 4, 4), 255.0)}, ["logits"],
                      {"loss": 0.0, "grad_logits": torch.zeros(2, 3, 4, 4, dtype=torch.float64)}))
    return cases


def main():
    cases = edt_cases() + signed_cases() + boundary_cases() + hausdorff_cases()
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate_distance.py",
                   "torch": torch.__version__, "scipy": scipy.__version__,
                   "reference_float": "float64", "cases": cases}, out)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
