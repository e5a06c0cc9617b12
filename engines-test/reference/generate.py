#!/usr/bin/python3
"""Generates the reference cases of the segloss engine tests from the real implementations.

Run with Debian's python3-torch (1.13) and python3-torchvision (0.14):

    apt-get install python3-torch python3-torchvision
    /usr/bin/python3 engines-test/reference/generate.py

It writes engines-test/src/test/resources/reference/generated.json in the format of
shared/reference/golden-public.json: each case names the loss, its parameters, the source of the
numbers, the inputs (float32 values, stored as float64) and the expected loss and gradients,
computed in float64. CI does not run this script; it only reads the JSON.
"""
import json
import os

import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.detection.roi_heads import maskrcnn_loss, project_masks_on_boxes
from torchvision.ops import roi_align

torch.manual_seed(20261129)
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
    with open(OUT, "w") as out:
        json.dump({"generator": "engines-test/reference/generate.py",
                   "torch": torch.__version__, "torchvision": torchvision.__version__,
                   "reference_float": "float64", "cases": cases}, out)
    print("wrote %d cases to %s" % (len(cases), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
