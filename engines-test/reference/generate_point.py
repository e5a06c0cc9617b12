#!/usr/bin/python3
"""Generates the reference cases of segloss's point sampling and point-sampled mask loss.

Run with Debian's python3-torch (1.13):

    /usr/bin/python3 engines-test/reference/generate_point.py

detectron2 and Mask2Former need their compiled extensions and cannot run here, so their functions
are written below in torch as they are in their sources (detectron2
projects/PointRend/point_rend/point_features.py: point_sample,
get_uncertain_point_coords_with_randomness with its candidates passed in instead of drawn;
Mask2Former mask2former/modeling/criterion.py: calculate_uncertainty, sigmoid_ce_loss,
dice_loss). It writes engines-test/src/test/resources/reference/generated-point.json in the
format of generate.py (whose helpers it imports), computed in float64. CI only reads the JSON.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as g  # noqa: E402

torch.manual_seed(20261207)
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-point.json")
D2 = "detectron2 point_sample (F.grid_sample(input, 2 * points - 1, align_corners=False)) in torch"
M2F = ("Mask2Former sigmoid_ce_loss + dice_loss at detectron2 point_sample points, "
       "num_masks = R, in torch")


def point_sample(input, point_coords, **kwargs):
    add_dim = False
    if point_coords.dim() == 3:
        add_dim = True
        point_coords = point_coords.unsqueeze(2)
    output = F.grid_sample(input, 2.0 * point_coords - 1.0, **kwargs)
    if add_dim:
        output = output.squeeze(3)
    return output


def calculate_uncertainty(logits):
    return -(torch.abs(logits.clone()))


def most_uncertain(coarse_logits, point_coords, num_uncertain_points):
    """The selection of get_uncertain_point_coords_with_randomness, given its candidates."""
    num_boxes, num_sampled = point_coords.shape[0], point_coords.shape[1]
    point_logits = point_sample(coarse_logits, point_coords, align_corners=False)
    point_uncertainties = calculate_uncertainty(point_logits)
    idx = torch.topk(point_uncertainties[:, 0, :], k=num_uncertain_points, dim=1)[1]
    shift = num_sampled * torch.arange(num_boxes, dtype=torch.long)
    idx += shift[:, None]
    return point_coords.view(-1, 2)[idx.view(-1), :].view(num_boxes, num_uncertain_points, 2)


def sigmoid_ce_loss(inputs, targets, num_masks):
    loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    return loss.mean(1).sum() / num_masks


def dice_loss(inputs, targets, num_masks):
    inputs = inputs.sigmoid()
    inputs = inputs.flatten(1)
    numerator = 2 * (inputs * targets).sum(-1)
    denominator = inputs.sum(-1) + targets.sum(-1)
    loss = 1 - (numerator + 1) / (denominator + 1)
    return loss.sum() / num_masks


def points(n, p, spill=0.0):
    pts = g.f32(torch.rand(n, p, 2) * (1 + 2 * spill) - spill)
    return pts


def sample_case(name, shape, p, spill=0.0, exact=False):
    features = g.f32(torch.randn(shape)).requires_grad_()
    pts = points(shape[0], p, spill)
    if exact:
        # points on pixel centres, edges and corners
        pts[0, :6] = torch.tensor([[0.0, 0.0], [1.0, 1.0], [0.5, 0.5], [0.0, 1.0],
                                   [0.5 / shape[3], 0.5 / shape[2]], [1.0, 0.0]],
                                  dtype=torch.float64)
    out = point_sample(features, pts, align_corners=False)
    upstream = g.f32(torch.randn(out.shape))
    loss = (out * upstream).sum()
    loss.backward()
    return g.case(name, "PointSampling.sample", {}, D2 + ", torch %s" % torch.__version__,
                  {"features": features.detach(), "points": pts, "upstream": upstream},
                  ["features"],
                  {"loss": loss.item(), "output": out.detach(),
                   "grad_features": features.grad})


def uncertain_case(name, shape, candidates, count):
    coarse = g.f32(torch.randn(shape) * 3)
    cand = points(shape[0], candidates)
    chosen = most_uncertain(coarse, cand, count)
    return g.case(name, "PointSampling.mostUncertain", {"count": count},
                  "detectron2 get_uncertain_point_coords_with_randomness selection (topk of "
                  "Mask2Former's -|logit|) in torch, given the candidates",
                  {"coarseLogits": coarse, "candidates": cand}, [],
                  {"loss": chosen.sum().item(), "points": chosen})


def loss_case(name, rois, classes, m, target_size, n, weights=(1.0, 1.0), agnostic=False):
    logits = g.f32(torch.randn(rois, classes, m, m) * 3).requires_grad_()
    class_ids = torch.randint(0, classes, (rois,))
    yy, xx = torch.meshgrid(torch.arange(target_size) + 0.5, torch.arange(target_size) + 0.5,
                            indexing="ij")
    targets = torch.stack([
        ((((xx - target_size * torch.rand(1)) / (target_size * (0.2 + 0.3 * torch.rand(1)))) ** 2
          + ((yy - target_size * torch.rand(1)) / (target_size * 0.3)) ** 2) <= 1).double()
        for _ in range(rois)])
    if rois > 1:
        targets[1] = g.f32(torch.rand(target_size, target_size))  # soft targets in [0, 1]
    pts = points(rois, n)
    channel = torch.zeros_like(class_ids) if agnostic else class_ids
    selected = logits[torch.arange(rois), channel][:, None]
    point_labels = point_sample(targets[:, None], pts, align_corners=False).squeeze(1)
    point_logits = point_sample(selected, pts, align_corners=False).squeeze(1)
    loss = (weights[0] * sigmoid_ce_loss(point_logits, point_labels, rois)
            + weights[1] * dice_loss(point_logits, point_labels, rois))
    loss.backward()
    params = {"bceWeight": weights[0], "diceWeight": weights[1], "classAgnostic": agnostic}
    return g.case(name, "PointSampledMaskLoss", params, M2F + ", torch %s" % torch.__version__,
                  {"logits": logits.detach(), "classIds": class_ids.double(), "targets": targets,
                   "points": pts}, ["logits"],
                  {"loss": loss.item(), "grad_logits": logits.grad})


def main():
    cases = [
        sample_case("point_sample_inside", (2, 3, 7, 9), 40),
        sample_case("point_sample_edges", (1, 2, 5, 4), 30, exact=True),
        sample_case("point_sample_padding", (2, 1, 6, 6), 50, spill=0.2),
        uncertain_case("most_uncertain_10_of_30", (2, 1, 8, 8), 30, 10),
        uncertain_case("most_uncertain_all", (3, 1, 5, 7), 12, 12),
        loss_case("point_loss_28_from_56", 4, 3, 28, 56, 196),
        loss_case("point_loss_weights", 3, 2, 14, 14, 64, weights=(2.0, 0.5)),
        loss_case("point_loss_agnostic", 2, 1, 16, 40, 100, agnostic=True),
    ]
    with open(OUT, "w") as f:
        json.dump({"source": "engines-test/reference/generate_point.py", "cases": cases}, f)
    print("wrote %d cases to %s" % (len(cases), OUT))


if __name__ == "__main__":
    main()
