#!/usr/bin/python3
"""Generates the reference cases of the segloss engine tests from the real implementations.

Run with Debian's python3-torch (1.13) and python3-torchvision (0.14), and the losses of
segmentation_models.pytorch (smp) at commit 5006616 (the version of golden-public.json), whose
losses package needs only torch and numpy:

    apt-get install python3-torch python3-torchvision
    git clone https://github.com/qubvel-org/segmentation_models.pytorch /tmp/smp
    git -C /tmp/smp checkout 5006616
    SMP_LOSSES=/tmp/smp/segmentation_models_pytorch/losses \
        /usr/bin/python3 engines-test/reference/generate.py

smp's losses are imported from that folder as they are (its package __init__, which needs timm, is
not run). MONAI and PIDNet are not packaged for Debian: the cases of their options compute their
published formulas with torch ops, as each case's "source" says.

It writes engines-test/src/test/resources/reference/generated.json in the format of
shared/reference/golden-public.json: each case names the loss, its parameters, the source of the
numbers, the inputs (float32 values, stored as float64) and the expected loss and gradients,
computed in float64. CI does not run this script; it only reads the JSON.
"""
import importlib
import json
import os
import sys
import types

import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.detection.roi_heads import maskrcnn_loss, project_masks_on_boxes
from torchvision.ops import roi_align

torch.manual_seed(20261129)


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


SMP = "segmentation_models.pytorch 5006616 losses"
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated.json")
TORCH = "torch %s torch.nn.functional" % torch.__version__
TV = "torchvision %s" % torchvision.__version__


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


def labels_with_ignore(shape, classes, ignore, fraction=0.3):
    lab = torch.randint(0, classes, shape)
    lab[torch.rand(shape) < fraction] = ignore
    return lab


def ce_case(name, logit_shape, params, ignore_frac=0.3):
    ignore = params.get("ignoreIndex", 255)
    classes = logit_shape[1]
    logits = f32(torch.randn(logit_shape) * 2).requires_grad_()
    lab_shape = (logit_shape[0],) + tuple(logit_shape[2:])
    labels = labels_with_ignore(lab_shape, classes, ignore, ignore_frac)
    weight = torch.tensor(params["classWeights"], dtype=torch.float64) \
        if "classWeights" in params else None
    loss = F.cross_entropy(logits, labels, weight=weight, ignore_index=ignore,
                           label_smoothing=params.get("labelSmoothing", 0.0))
    loss.backward()
    return case(name, "PixelCrossEntropyLoss", params, TORCH,
                {"logits": logits.detach(), "labels": labels.double()}, ["logits"],
                {"loss": loss.item(), "grad_logits": logits.grad})


def deep_supervision_case(name, weights, shape=(2, 5, 6, 7)):
    labels = labels_with_ignore((shape[0],) + shape[2:], shape[1], 255)
    heads = [f32(torch.randn(shape) * 2).requires_grad_() for _ in weights]
    loss = sum(w * F.cross_entropy(h, labels, ignore_index=255) for w, h in zip(weights, heads))
    loss.backward()
    inputs = {"head%d" % i: h.detach() for i, h in enumerate(heads)}
    inputs["labels"] = labels.double()
    expected = {"loss": loss.item()}
    expected.update({"grad_head%d" % i: h.grad for i, h in enumerate(heads)})
    return case(name, "DeepSupervisionLoss", {"headWeights": weights, "ignoreIndex": 255}, TORCH,
                inputs, ["head%d" % i for i in range(len(weights))], expected)


def mask_case(name, rois, classes, m, zero_logits=False, hard=False):
    logits = f32(torch.randn(rois, classes, m, m) * 3)
    if zero_logits:
        logits[:, :, ::2, ::2] = 0.0
    logits.requires_grad_()
    class_ids = torch.randint(0, classes, (rois,))
    targets = torch.rand(rois, m, m, dtype=torch.float64)
    if hard:
        targets = (targets > 0.5).double()
    targets = f32(targets)
    selected = logits[torch.arange(rois), class_ids]
    loss = F.binary_cross_entropy_with_logits(selected, targets)
    loss.backward()
    return case(name, "MaskRcnnMaskLoss", {}, "%s maskrcnn_loss formula "
                "(binary_cross_entropy_with_logits of the class channel)" % TV,
                {"logits": logits.detach(), "classIds": class_ids.double(), "targets": targets},
                ["logits"], {"loss": loss.item(), "grad_logits": logits.grad})


def random_boxes(count, height, width, spill=3.0):
    x1 = torch.rand(count, dtype=torch.float64) * (width + spill) - spill
    y1 = torch.rand(count, dtype=torch.float64) * (height + spill) - spill
    x2 = x1 + torch.rand(count, dtype=torch.float64) * width * 0.8 + 0.2
    y2 = y1 + torch.rand(count, dtype=torch.float64) * height * 0.8 + 0.2
    return f32(torch.stack([x1, y1, x2, y2], 1))


def roi_align_case(name, batch, channels, height, width, rois, out, scale, sampling, aligned,
                   extra_boxes=None):
    features = f32(torch.randn(batch, channels, height, width)).requires_grad_()
    boxes = random_boxes(rois, height / scale, width / scale, spill=4.0 / scale)
    if extra_boxes is not None:
        boxes = torch.cat([boxes, f32(torch.tensor(extra_boxes, dtype=torch.float64))])
    idx = torch.randint(0, batch, (boxes.shape[0],)).double()
    output = roi_align(features, torch.cat([idx[:, None], boxes], 1), (out[0], out[1]),
                       spatial_scale=scale, sampling_ratio=sampling, aligned=aligned)
    upstream = f32(torch.randn(output.shape))
    loss = (output * upstream).sum()
    loss.backward()
    params = {"outputHeight": out[0], "outputWidth": out[1], "spatialScale": scale,
              "samplingRatio": sampling, "aligned": aligned}
    return case(name, "RoiAlign", params, "%s torchvision.ops.roi_align; loss = sum(out * upstream)"
                % TV, {"features": features.detach(), "boxes": boxes, "batchIndices": idx,
                       "upstream": upstream}, ["features"],
                {"loss": loss.item(), "output": output.detach(), "grad_features": features.grad})


def project_case(name, masks, boxes, idx, m, aligned):
    masks = f32(masks)
    boxes = f32(boxes)
    if aligned:
        rois = torch.cat([idx[:, None].double(), boxes], 1)
        targets = roi_align(masks[:, None], rois, (m, m), 1.0, 0, True)[:, 0]
        source = "%s roi_align(aligned=True, sampling_ratio=0)" % TV
    else:
        targets = project_masks_on_boxes(masks, boxes, idx, m)
        source = "%s project_masks_on_boxes" % TV
    return case(name, "MaskTargets.project", {"m": m, "aligned": aligned}, source,
                {"gtMasks": masks, "boxes": boxes, "matchedIdxs": idx.double()}, [],
                {"loss": targets.sum().item(), "targets": targets})


def main():
    cases = []
    # Cross-entropy: layouts, weights, smoothing and ignore indices beyond the public cases.
    cases.append(ce_case("ce_smoothing_ignore", (2, 4, 5, 6),
                         {"ignoreIndex": 255, "labelSmoothing": 0.2}))
    cases.append(ce_case("ce_2d_weights_smoothing", (9, 5),
                         {"ignoreIndex": 255, "classWeights": [1.0, 0.25, 3.0, 0.0, 2.0],
                          "labelSmoothing": 0.05}))
    cases.append(ce_case("ce_ignore_minus100", (2, 3, 4, 4), {"ignoreIndex": -100}))
    cases.append(ce_case("ce_ignore_class0", (2, 3, 4, 4), {"ignoreIndex": 0}, ignore_frac=0.0))
    cases.append(ce_case("ce_5d_weights", (2, 3, 2, 3, 4),
                         {"ignoreIndex": 255, "classWeights": [2.0, 1.0, 0.5]}))
    cases.append(ce_case("ce_many_classes", (2, 21, 8, 8),
                         {"ignoreIndex": 255, "classWeights": [0.5 + 0.1 * c for c in range(21)],
                          "labelSmoothing": 0.1}))
    cases.append(ce_case("ce_no_ignored_pixel", (1, 4, 3, 3), {"ignoreIndex": 255},
                         ignore_frac=0.0))
    # Deep supervision with three heads.
    cases.append(deep_supervision_case("deep_supervision_three_heads", [1.0, 0.4, 0.2]))
    # Mask loss: logits exactly 0 (the gradient there is sigmoid(0) - t), soft and hard targets.
    cases.append(mask_case("mask_zero_logits_soft", 6, 3, 5, zero_logits=True))
    cases.append(mask_case("mask_many_classes_hard", 7, 9, 6, hard=True))
    # RoI Align on feature maps, value and gradient.
    cases.append(roi_align_case("roi_align_adaptive", 2, 3, 12, 10, 6, (4, 5), 1.0, 0, False))
    cases.append(roi_align_case("roi_align_aligned_scale", 3, 2, 9, 11, 7, (3, 3), 0.5, 0, True,
                                extra_boxes=[[4.0, 4.0, 4.0, 6.0], [10.0, 2.0, 8.0, 3.0]]))
    cases.append(roi_align_case("roi_align_fixed_sampling", 2, 2, 8, 8, 5, (4, 4), 0.25, 2, False,
                                extra_boxes=[[-40.0, -40.0, -30.0, -30.0], [3.0, 3.0, 3.5, 3.2]]))
    # Mask targets with boxes outside the mask, degenerate boxes and unsorted indices.
    masks = (torch.rand(4, 17, 13) > 0.5).double()
    boxes = torch.cat([random_boxes(6, 17, 13, spill=5.0),
                       torch.tensor([[5.0, 5.0, 5.0, 9.0], [-8.0, -8.0, -2.0, -1.0],
                                     [0.0, 0.0, 13.0, 17.0]], dtype=torch.float64)])
    idx = torch.tensor([3, 1, 0, 2, 1, 3, 0, 2, 1])
    cases.append(project_case("project_masks_outside_degenerate", masks, boxes, idx, 6, False))
    cases.append(project_case("project_masks_outside_degenerate_aligned", masks, boxes, idx, 6,
                              True))
    # End to end: targets from project_masks_on_boxes, then maskrcnn_loss itself.
    masks = (torch.rand(3, 16, 20) > 0.4).double()
    boxes = random_boxes(5, 16, 20, spill=2.0)
    matched = torch.tensor([2, 0, 1, 1, 0])
    gt_labels = torch.tensor([1, 3, 2])
    logits = f32(torch.randn(5, 4, 7, 7) * 2).requires_grad_()
    loss = maskrcnn_loss(logits, [f32(boxes)], [f32(masks)], [gt_labels], [matched])
    loss.backward()
    cases.append(case("maskrcnn_loss_m7_unsorted", "MaskRcnnMaskLoss+MaskTargets.project",
                      {"m": 7, "aligned": False}, "%s maskrcnn_loss" % TV,
                      {"logits": logits.detach(), "gtMasks": f32(masks), "boxes": f32(boxes),
                       "matchedIdxs": matched.double(), "gtLabels": gt_labels.double()},
                      ["logits"], {"loss": loss.item(), "grad_logits": logits.grad}))
    # Masked L2 with a broadcast mask (N, 1, H, W).
    pred = f32(torch.randn(2, 3, 4, 5)).requires_grad_()
    target = f32(torch.randn(2, 3, 4, 5))
    mask = (torch.rand(2, 1, 4, 5) > 0.4).double()
    loss = ((pred - target) ** 2 * mask).sum() / mask.expand_as(pred).sum()
    loss.backward()
    cases.append(case("l2_broadcast_mask", "MaskedL2Loss", {},
                      "%s: sum(mask * (p - t)^2) / sum(mask expanded)" % TORCH,
                      {"logits": pred.detach(), "target": target, "mask": mask}, ["logits"],
                      {"loss": loss.item(), "grad_logits": pred.grad}))
    cases.extend(family_cases())
    cases.extend(resize_cases())
    cases.extend(large_map_cases())
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate.py",
                   "torch": torch.__version__, "torchvision": torchvision.__version__,
                   "reference_float": "float64", "cases": cases}, out)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


def smp_mode(mode):
    return {"BINARY": "binary", "MULTICLASS": "multiclass", "MULTILABEL": "multilabel"}[mode]


def seg_inputs(mode, shape, ignore=None, ignore_frac=0.2, squeeze_binary=False, absent=None,
               all_classes_per_image=False, scale=2.0):
    """Logits and labels for a segmentation mode; labels as float64 whole numbers."""
    logits = f32(torch.randn(shape) * scale).requires_grad_()
    n, c = shape[0], shape[1]
    if mode == "MULTICLASS":
        labels = torch.randint(0, c, (n,) + tuple(shape[2:]))
        if absent is not None:
            labels[labels == absent] = (absent + 1) % c
        if all_classes_per_image:
            for i in range(n):
                labels[i].view(-1)[:c] = torch.arange(c)
    else:
        labels = (torch.rand(shape) > 0.5).long()
        if mode == "BINARY" and squeeze_binary:
            labels = labels[:, 0]
    if ignore is not None:
        labels[torch.rand(labels.shape) < ignore_frac] = ignore
        if all_classes_per_image and mode == "MULTICLASS":
            for i in range(n):
                labels[i].view(-1)[:c] = torch.arange(c)
    return logits, labels


def loss_case(name, loss_name, params, source, logits, labels, loss, extra_inputs=None):
    loss.backward()
    inputs = {"logits": logits.detach(), "labels": labels.double()}
    if extra_inputs:
        inputs.update(extra_inputs)
    return case(name, loss_name, params, source, inputs, ["logits"],
                {"loss": loss.item(), "grad_logits": logits.grad})


def smp_overlap_case(name, loss_name, params, shape, labels_opts=None, probabilities=False):
    mode = params["mode"]
    logits, labels = seg_inputs(mode, shape, **(labels_opts or {}))
    dice = smp_module("dice")
    jaccard = smp_module("jaccard")
    tversky = smp_module("tversky")
    kwargs = {"ignore_index": params.get("ignoreIndex"), "smooth": params.get("smooth", 0.0),
              "log_loss": params.get("logLoss", False), "classes": params.get("classes"),
              "class_weights": params.get("classWeights"),
              "from_logits": params.get("fromLogits", True)}
    if loss_name == "DiceLoss":
        fn = dice.DiceLoss(smp_mode(mode), **kwargs)
    elif loss_name == "JaccardLoss":
        fn = jaccard.JaccardLoss(smp_mode(mode), **kwargs)
    else:
        fn = tversky.TverskyLoss(smp_mode(mode), alpha=params.get("alpha", 0.5),
                                 beta=params.get("beta", 0.5), gamma=params.get("gamma", 1.0),
                                 **kwargs)
    if probabilities:
        probs = f32(logits.detach().softmax(1)).requires_grad_()
        loss = fn(probs, labels)
        return loss_case(name, loss_name, params, SMP, probs, labels, loss)
    return loss_case(name, loss_name, params, SMP, logits, labels, fn(logits, labels))


def monai_dice(probs, onehot, per_image, squared, jaccard, smooth_nr, smooth_dr, present_only):
    """MONAI DiceLoss(softmax=True, batch=not per_image, squared_pred, jaccard) on probabilities.

    present_only zeroes the (image, class) terms whose target is empty (segloss's policy)."""
    dims = [2] if per_image else [0, 2]
    intersection = (probs * onehot).sum(dims)
    if squared:
        denominator = (probs ** 2).sum(dims) + (onehot ** 2).sum(dims)
    else:
        denominator = probs.sum(dims) + onehot.sum(dims)
    if jaccard:
        denominator = 2.0 * (denominator - intersection)
    f = 1.0 - (2.0 * intersection + smooth_nr) / (denominator + smooth_dr)
    if present_only:
        f = f * (onehot.sum(dims) > 0).double()
    return f.mean()


def monai_case(name, loss_name, params, shape, squared, jaccard, smooth_nr, smooth_dr,
               present_only, labels_opts):
    logits, labels = seg_inputs("MULTICLASS", shape, **labels_opts)
    n, c = shape[0], shape[1]
    ignore = params.get("ignoreIndex")
    valid = (labels != ignore) if ignore is not None else torch.ones_like(labels, dtype=torch.bool)
    safe = torch.where(valid, labels, torch.zeros_like(labels))
    onehot = F.one_hot(safe.reshape(n, -1), c).permute(0, 2, 1).double()
    mask = valid.reshape(n, 1, -1).double()
    probs = logits.softmax(1).reshape(n, c, -1) * mask
    loss = monai_dice(probs, onehot * mask, params.get("perImage", False), squared, jaccard,
                      smooth_nr, smooth_dr, present_only)
    source = ("MONAI DiceLoss formula (softmax, batch=%s, squared_pred=%s, jaccard=%s, "
              "smooth_nr=%s, smooth_dr=%s) with torch ops%s"
              % (not params.get("perImage", False), squared, jaccard, smooth_nr, smooth_dr,
                 "; absent (image, class) terms set to 0 as segloss does" if present_only else ""))
    return loss_case(name, loss_name, params, source, logits, labels, loss)


def smp_focal_case(name, params, shape, labels_opts=None):
    mode = params["mode"]
    logits, labels = seg_inputs(mode, shape, **(labels_opts or {}))
    focal = smp_module("focal")
    fn = focal.FocalLoss(smp_mode(mode), alpha=params.get("alpha"), gamma=params.get("gamma", 2.0),
                         ignore_index=params.get("ignoreIndex"),
                         normalized=params.get("normalized", False),
                         reduced_threshold=params.get("reducedThreshold"),
                         class_weights=params.get("classWeights"))
    return loss_case(name, "FocalLoss", params, SMP, logits, labels, fn(logits, labels))


def contract_zero_case(name, loss_name, params, shape, ignore=255):
    logits = f32(torch.randn(shape)).requires_grad_()
    mode = params.get("mode", "MULTICLASS")
    if mode == "MULTICLASS":
        labels = torch.full((shape[0],) + tuple(shape[2:]), ignore)
    else:
        labels = torch.full(shape, ignore)
    return case(name, loss_name, params, "contract: 0, zero gradient",
                {"logits": logits.detach(), "labels": labels.double()}, ["logits"],
                {"loss": 0.0, "grad_logits": torch.zeros(shape, dtype=torch.float64)})


def softmax_focal_monai(logits, labels, gamma, ignore):
    """MONAI's softmax focal term -(1 - p_y)^gamma log p_y, averaged over labelled pixels."""
    valid = labels != ignore
    safe = torch.where(valid, labels, torch.zeros_like(labels))
    log_p = F.log_softmax(logits, 1).gather(1, safe.unsqueeze(1)).squeeze(1)
    loss = -((1 - log_p.exp()) ** gamma) * log_p
    return (loss * valid).sum() / valid.sum()


def ohem_pidnet(logits, labels, thresh, min_kept, ignore, weight):
    """PIDNet's OhemCrossEntropy.forward (utils/criterion.py) with torch ops."""
    pixel_losses = F.cross_entropy(logits, labels, weight=weight, ignore_index=ignore,
                                   reduction="none").contiguous().view(-1)
    mask = labels.contiguous().view(-1) != ignore
    tmp = labels.clone()
    tmp[tmp == ignore] = 0
    pred = F.softmax(logits, dim=1).gather(1, tmp.unsqueeze(1))
    pred, ind = pred.contiguous().view(-1,)[mask].contiguous().sort()
    min_value = pred[min(min_kept, pred.numel() - 1)]
    threshold = max(min_value, thresh)
    pixel_losses = pixel_losses[mask][ind]
    pixel_losses = pixel_losses[pred < threshold]
    return pixel_losses.mean()


def family_cases():
    cases = []
    # Overlap losses, by smp itself.
    cases.append(smp_overlap_case("dice_multilabel_ignore_weights", "DiceLoss",
                                  {"mode": "MULTILABEL", "ignoreIndex": 255,
                                   "classWeights": [1.0, 2.0, 0.5]}, (2, 3, 5, 6),
                                  {"ignore": 255}))
    cases.append(smp_overlap_case("dice_binary_squeezed_ignore_smooth_log", "DiceLoss",
                                  {"mode": "BINARY", "ignoreIndex": 255, "smooth": 0.5,
                                   "logLoss": True}, (2, 1, 5, 6),
                                  {"ignore": 255, "squeeze_binary": True}))
    cases.append(smp_overlap_case("dice_multiclass_absent_class", "DiceLoss",
                                  {"mode": "MULTICLASS"}, (2, 4, 5, 6), {"absent": 3}))
    cases.append(smp_overlap_case("dice_multiclass_probabilities", "DiceLoss",
                                  {"mode": "MULTICLASS", "fromLogits": False}, (2, 3, 4, 5),
                                  probabilities=True))
    cases.append(smp_overlap_case("jaccard_multiclass_classes_weights_ignore", "JaccardLoss",
                                  {"mode": "MULTICLASS", "ignoreIndex": 255, "classes": [0, 2, 3],
                                   "classWeights": [1.0, 1.0, 2.0, 3.0]}, (2, 4, 5, 6),
                                  {"ignore": 255}))
    cases.append(smp_overlap_case("tversky_multilabel_weights_gamma", "TverskyLoss",
                                  {"mode": "MULTILABEL", "alpha": 0.7, "beta": 0.3, "gamma": 0.75,
                                   "classWeights": [0.5, 1.0, 2.0]}, (2, 3, 4, 5)))
    cases.append(smp_overlap_case("tversky_binary_smooth", "TverskyLoss",
                                  {"mode": "BINARY", "alpha": 0.2, "beta": 0.8, "gamma": 2.0,
                                   "smooth": 1.0}, (3, 1, 4, 4)))
    # MONAI options, by MONAI's formulas.
    cases.append(monai_case("dice_per_image_monai", "DiceLoss",
                            {"mode": "MULTICLASS", "perImage": True}, (3, 4, 5, 6),
                            False, False, 0.0, 0.0, False, {"all_classes_per_image": True}))
    cases.append(monai_case("dice_per_image_absent_ignore", "DiceLoss",
                            {"mode": "MULTICLASS", "perImage": True, "ignoreIndex": 255},
                            (3, 4, 5, 6), False, False, 0.0, 0.0, True,
                            {"ignore": 255, "absent": 2}))
    cases.append(monai_case("dice_squared_monai", "DiceLoss",
                            {"mode": "MULTICLASS", "squaredDenominator": True, "smooth": 0.5},
                            (2, 4, 5, 6), True, False, 1.0, 1.0, False,
                            {"all_classes_per_image": True}))
    cases.append(monai_case("jaccard_squared_monai", "JaccardLoss",
                            {"mode": "MULTICLASS", "squaredDenominator": True, "smooth": 0.5},
                            (2, 4, 5, 6), True, True, 1.0, 1.0, False,
                            {"all_classes_per_image": True}))
    cases.append(contract_zero_case("dice_all_ignored", "DiceLoss",
                                    {"mode": "MULTICLASS", "ignoreIndex": 255}, (2, 3, 4, 4)))
    # Focal loss: smp's options, MONAI's softmax variant.
    cases.append(smp_focal_case("focal_multiclass_normalized", {"mode": "MULTICLASS",
                                                                "normalized": True},
                                (2, 4, 5, 6)))
    cases.append(smp_focal_case("focal_multilabel_class_weights",
                                {"mode": "MULTILABEL", "classWeights": [1.0, 2.0, 3.0],
                                 "alpha": 0.4}, (2, 3, 5, 6)))
    cases.append(smp_focal_case("focal_binary_reduced_ignore",
                                {"mode": "BINARY", "reducedThreshold": 0.5, "ignoreIndex": 255},
                                (2, 1, 6, 6), {"ignore": 255, "squeeze_binary": True}))
    cases.append(contract_zero_case("focal_all_ignored", "FocalLoss",
                                    {"mode": "MULTICLASS", "ignoreIndex": 255}, (2, 3, 4, 4)))
    logits, labels = seg_inputs("MULTICLASS", (2, 4, 5, 6), ignore=255)
    cases.append(loss_case("focal_softmax_monai", "FocalLoss",
                           {"mode": "MULTICLASS", "softmax": True, "gamma": 2.0,
                            "ignoreIndex": 255},
                           "MONAI softmax focal loss -(1-p_y)^gamma log p_y with torch ops, "
                           "mean over labelled pixels", logits, labels,
                           softmax_focal_monai(logits, labels, 2.0, 255)))
    logits, labels = seg_inputs("MULTICLASS", (2, 4, 5, 6))
    functional = smp_module("_functional")
    cases.append(loss_case("focal_softmax_normalized", "FocalLoss",
                           {"mode": "MULTICLASS", "softmax": True, "gamma": 1.5,
                            "normalized": True},
                           SMP + " softmax_focal_loss_with_logits", logits, labels,
                           functional.softmax_focal_loss_with_logits(logits, labels, gamma=1.5,
                                                                     normalized=True)))
    # Binary cross-entropy: torch's weight and pos_weight, smp's smoothing, our ignore mean.
    logits = f32(torch.randn(2, 3, 4, 5) * 3).requires_grad_()
    targets = (torch.rand(2, 3, 4, 5) > 0.5).double()
    targets[torch.rand(targets.shape) < 0.2] = 255
    weights = f32(torch.rand(2, 1, 4, 5) * 2)
    valid = (targets != 255).double()
    labelled = torch.where(targets == 255, torch.zeros_like(targets), targets)
    soft = (1 - labelled) * 0.1 + labelled * (1 - 0.1)  # smp SoftBCEWithLogitsLoss smoothing
    element = F.binary_cross_entropy_with_logits(
        logits, soft, weight=weights, reduction="none",
        pos_weight=torch.tensor([2.0, 0.5, 1.5], dtype=torch.float64).reshape(1, 3, 1, 1))
    loss = (element * valid).sum() / valid.sum()
    cases.append(loss_case("bce_ignore_smooth_weights_pos_weight", "BinaryCrossEntropyLoss",
                           {"ignoreIndex": 255, "smoothFactor": 0.1, "posWeight": [2.0, 0.5, 1.5]},
                           TORCH + " binary_cross_entropy_with_logits(weight, pos_weight) on smp"
                           " smoothed targets, mean over non-ignored elements", logits, targets,
                           loss, {"weights": weights}))
    logits = f32(torch.randn(4, 7) * 2).requires_grad_()
    targets = f32(torch.rand(4, 7, dtype=torch.float64))
    cases.append(loss_case("bce_soft_targets_2d", "BinaryCrossEntropyLoss", {}, TORCH, logits,
                           targets, F.binary_cross_entropy_with_logits(logits, targets)))
    # Lovasz, by smp.
    lovasz = smp_module("lovasz")
    for name, params, shape, opts in [
            ("lovasz_binary_ignore_per_image", {"mode": "BINARY", "ignoreIndex": 255,
                                                "perImage": True}, (3, 1, 5, 6),
             {"ignore": 255}),
            ("lovasz_multilabel", {"mode": "MULTILABEL"}, (2, 3, 4, 5), {}),
            ("lovasz_multiclass_ignore_pooled", {"mode": "MULTICLASS", "ignoreIndex": 255},
             (2, 4, 5, 6), {"ignore": 255})]:
        logits, labels = seg_inputs(params["mode"], shape, **opts)
        # smp's _lovasz_grad casts to float32, so this case runs in float32
        logits32 = logits.detach().float().requires_grad_()
        fn = lovasz.LovaszLoss(smp_mode(params["mode"]), per_image=params.get("perImage", False),
                               ignore_index=params.get("ignoreIndex"))
        cases.append(loss_case(name, "LovaszLoss", params, SMP + " (float32)", logits32, labels,
                               fn(logits32, labels)))
    cases.append(contract_zero_case("lovasz_multiclass_all_ignored", "LovaszLoss",
                                    {"mode": "MULTICLASS", "ignoreIndex": 255}, (2, 3, 4, 4)))
    # OHEM cross-entropy, by PIDNet's formula.
    pidnet = "PIDNet OhemCrossEntropy.forward (utils/criterion.py) with torch ops"
    logits, labels = seg_inputs("MULTICLASS", (2, 4, 6, 6), ignore=255, scale=3.0)
    cases.append(loss_case("ohem_defaults", "OhemCrossEntropyLoss", {}, pidnet, logits, labels,
                           ohem_pidnet(logits, labels, 0.7, 100000, 255, None)))
    logits, labels = seg_inputs("MULTICLASS", (2, 4, 6, 6), ignore=255, scale=3.0)
    weight = torch.tensor([1.0, 0.5, 2.0, 1.5], dtype=torch.float64)
    cases.append(loss_case("ohem_min_kept_weights", "OhemCrossEntropyLoss",
                           {"threshold": 0.3, "minKept": 10, "classWeights": [1.0, 0.5, 2.0, 1.5]},
                           pidnet, logits, labels,
                           ohem_pidnet(logits, labels, 0.3, 10, 255, weight)))
    cases.append(contract_zero_case("ohem_all_ignored", "OhemCrossEntropyLoss", {},
                                    (2, 3, 4, 4)))
    # CE + 0.5 Dice.
    logits, labels = seg_inputs("MULTICLASS", (2, 4, 5, 6), ignore=255)
    dice = smp_module("dice").DiceLoss("multiclass", ignore_index=255)
    loss = F.cross_entropy(logits, labels, ignore_index=255) + 0.5 * dice(logits, labels)
    cases.append(loss_case("weighted_sum_ce_dice", "WeightedSumLoss",
                           {"ignoreIndex": 255, "ceWeight": 1.0, "diceWeight": 0.5},
                           TORCH + " cross_entropy + 0.5 * " + SMP + " DiceLoss", logits, labels,
                           loss))
    # gamma 0: the focal loss is the one-vs-rest cross-entropy.
    cases.append(smp_focal_case("focal_multilabel_gamma0", {"mode": "MULTILABEL", "gamma": 0.0},
                                (2, 3, 4, 5)))
    return cases


def resize_cases():
    cases = []
    for name, shape, size, align in [("resize_up_x4", (2, 3, 5, 6), (20, 24), False),
                                     ("resize_up_odd_align", (1, 2, 4, 7), (9, 10), True),
                                     ("resize_down", (2, 2, 13, 11), (6, 4), False),
                                     ("resize_mixed_align", (1, 3, 6, 3), (3, 8), True)]:
        x = f32(torch.randn(shape)).requires_grad_()
        out = F.interpolate(x, size=size, mode="bilinear", align_corners=align)
        upstream = f32(torch.randn(out.shape))
        loss = (out * upstream).sum()
        loss.backward()
        cases.append(case(name, "BilinearResize",
                          {"height": size[0], "width": size[1], "alignCorners": align},
                          TORCH + " interpolate(mode='bilinear'); loss = sum(out * upstream)",
                          {"features": x.detach(), "upstream": upstream}, ["features"],
                          {"loss": loss.item(), "output": out.detach(),
                           "grad_features": x.grad}))
    return cases


def compact(t):
    """float32-exact inputs and float64 references with 9 significant digits: far below the
    tolerances, and a third of the JSON of the large-map cases."""
    return torch.tensor([float("%.9g" % v) for v in t.flatten().tolist()],
                        dtype=torch.float64).reshape(t.shape)


def large_map_cases():
    """RoI Align and mask projection on maps of 256 x 272 and more, where RoiAlign multiplies
    only each RoI's window for the RoIs small against the map (appended last: earlier cases keep
    their random draws)."""
    cases = []
    boxes = torch.cat([random_boxes(7, 256, 272, spill=20.0),
                       f32(torch.tensor([[-60.0, -60.0, -20.0, -10.0], [100.0, 80.0, 100.0, 90.0],
                                         [0.0, 0.0, 272.0, 256.0], [250.0, 240.0, 300.0, 290.0],
                                         [30.5, 40.25, 52.0, 61.5], [200.0, 10.0, 230.0, 25.0]],
                                        dtype=torch.float64))])
    features = f32(torch.randn(1, 1, 256, 272)).requires_grad_()
    idx = torch.zeros(boxes.shape[0], dtype=torch.float64)
    output = roi_align(features, torch.cat([idx[:, None], boxes], 1), (28, 28),
                       spatial_scale=1.0, sampling_ratio=0, aligned=True)
    upstream = f32(torch.randn(output.shape))
    loss = (output * upstream).sum()
    loss.backward()
    cases.append(case("roi_align_large_map", "RoiAlign",
                      {"outputHeight": 28, "outputWidth": 28, "spatialScale": 1.0,
                       "samplingRatio": 0, "aligned": True},
                      "%s torchvision.ops.roi_align; loss = sum(out * upstream)" % TV,
                      {"features": compact(features.detach()), "boxes": boxes,
                       "batchIndices": idx, "upstream": compact(upstream)}, ["features"],
                      {"loss": loss.item(), "output": compact(output.detach()),
                       "grad_features": compact(features.grad)}))
    yy, xx = torch.meshgrid(torch.arange(320.0), torch.arange(288.0), indexing="ij")
    masks = torch.stack([(((xx - 140) / 90) ** 2 + ((yy - 150) / 60) ** 2 <= 1).double(),
                         ((xx > 30) & (xx < 200) & (yy > 100) & (yy < 310)).double()])
    mask_boxes = torch.cat([random_boxes(10, 320, 288, spill=10.0),
                            torch.tensor([[40.0, 80.0, 250.0, 230.0], [0.0, 0.0, 288.0, 320.0],
                                          [100.0, 140.0, 130.0, 165.0]], dtype=torch.float64)])
    mask_idx = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0])
    cases.append(project_case("project_large_masks", masks, mask_boxes, mask_idx, 28, False))
    cases.append(project_case("project_large_masks_aligned", masks, mask_boxes, mask_idx, 28,
                              True))
    return cases


if __name__ == "__main__":
    main()
