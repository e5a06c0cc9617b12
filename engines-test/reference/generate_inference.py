#!/usr/bin/python3
"""Generates the reference cases of segloss's inference helpers (SemanticPredictions, InstanceMasks).

Run with Debian's python3-torch (1.13) and python3-torchvision (0.14), nothing else:

    apt-get install python3-torch python3-torchvision
    /usr/bin/python3 engines-test/reference/generate_inference.py

What it imports, unchanged:
- torch.nn.functional.interpolate(mode="bilinear", align_corners=False) and argmax(1): the class
  maps of the SemanticPredictions.classMaps cases, one image at a time at its own size;
- torchvision.models.detection.roi_heads.paste_masks_in_image (padding 1, with its expand_masks,
  expand_boxes and paste_mask_in_image), after maskrcnn_inference's selection of each detection's
  class and sigmoid: the pasted probabilities of the InstanceMasks.paste cases, and the masks as
  probability >= threshold.

Inputs are float32 values (stored as float64). So that the exact class ids and masks are a fair
test of another float32 computation, every case is drawn again until no pixel is a near tie: the
two largest upsampled logits (computed in float64) differ by more than 1e-4, and no pasted
probability lies within 1e-5 of the threshold. torchvision raises a RuntimeError for most boxes
wholly outside the image (its slices get negative ends); such boxes are not drawn here, and
InstanceMasksTest checks that segloss gives them an empty mask.

It writes engines-test/src/test/resources/reference/generated-inference.json in the format of
generate.py. CI does not run this script; it only reads the JSON.
"""
import json
import os

import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.detection.roi_heads import paste_masks_in_image

torch.manual_seed(20261206)

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "reference",
                   "generated-inference.json")
TORCH = "torch %s F.interpolate(bilinear, align_corners=False).argmax(1)" % torch.__version__
TV = "torchvision %s roi_heads.paste_masks_in_image (padding 1) of sigmoid(class mask)" % \
    torchvision.__version__


def arr(t):
    t = torch.as_tensor(t)
    return {"shape": list(t.shape), "data": [float(v) for v in t.flatten().tolist()]}


def case(name, loss, params, source, inputs, grads, expected):
    return {"name": name, "loss": loss, "params": params, "source": source,
            "inputs": {k: arr(v) for k, v in inputs.items()}, "grads": grads,
            "expected": {k: (arr(v) if torch.is_tensor(v) and v.dim() > 0 else float(v))
                         for k, v in expected.items()}}


def semantic_case(name, shape, sizes, spread=3.0):
    """Class maps of float32 logits (N, C, h, w), image n upsampled to sizes[n]."""
    for _ in range(100):
        logits = (torch.randn(shape) * spread).float()
        maps = []
        tie = False
        for n, size in enumerate(sizes):
            one = logits[n:n + 1]
            maps.append(F.interpolate(one, size=tuple(size), mode="bilinear",
                                      align_corners=False).argmax(1)[0])
            wide = F.interpolate(one.double(), size=tuple(size), mode="bilinear",
                                 align_corners=False)[0]
            if shape[1] > 1:
                top = wide.topk(2, dim=0).values
                tie |= bool(((top[0] - top[1]) <= 1e-4).any())
            tie |= not torch.equal(wide.argmax(0), maps[-1])
        if not tie:
            break
    else:
        raise SystemExit("%s: no draw without near ties" % name)
    expected = {"loss": float(sum(m.sum().item() for m in maps))}
    expected.update({"classMap%d" % n: m.double() for n, m in enumerate(maps)})
    return case(name, "SemanticPredictions.classMaps", {"sizes": sizes}, TORCH,
                {"logits": logits.double()}, [], expected)


def pasted(masks, boxes, height, width):
    """paste_masks_in_image of (R, M, M) probabilities, as (R, H, W)."""
    return paste_masks_in_image(masks[:, None], boxes, (height, width), padding=1)[:, 0]


def instance_case(name, rois, classes, m, height, width, boxes, threshold=0.5,
                  probabilities=False, boxes64=False, spread=4.0):
    """Masks of float32 mask logits (R, K, M, M) for given boxes (R, 4)."""
    box_tensor = torch.tensor(boxes, dtype=torch.float64 if boxes64 else torch.float32)
    box_tensor = box_tensor.reshape(rois, 4)
    for _ in range(200):
        logits = (torch.randn(rois, classes, m, m) * spread).float()
        class_ids = torch.randint(0, classes, (rois,))
        values = logits.sigmoid() if probabilities else logits
        selected = logits[torch.arange(rois), class_ids].sigmoid()
        probs = pasted(selected, box_tensor, height, width)
        if not bool(((probs - threshold).abs() <= 1e-5).any()):
            break
    else:
        raise SystemExit("%s: no draw without pixels at the threshold" % name)
    masks = (probs >= threshold).double()
    params = {"height": height, "width": width, "threshold": threshold,
              "input": "probabilities" if probabilities else "logits", "boxesFloat64": boxes64}
    return case(name, "InstanceMasks.paste", params, TV,
                {"masks": values.double(), "boxes": box_tensor.double(),
                 "classIds": class_ids.double()}, [],
                {"loss": masks.sum().item(), "probabilities": probs.double(), "masks": masks})


def random_boxes(count, height, width, spill):
    """float32 boxes inside, across the border of and beyond the image, kept where torchvision
    pastes them without error."""
    kept = []
    while len(kept) < count:
        x1 = float(torch.rand(1)) * (width + spill) - spill
        y1 = float(torch.rand(1)) * (height + spill) - spill
        box = [x1, y1, x1 + float(torch.rand(1)) * width * 0.7 + 0.3,
               y1 + float(torch.rand(1)) * height * 0.7 + 0.3]
        try:
            pasted(torch.rand(1, 5, 5), torch.tensor([box]), height, width)
        except RuntimeError:
            continue
        kept.append(box)
    return [v for box in kept for v in box]


def main():
    cases = []
    # Semantic class maps: one size for the batch, sizes per image (up, same, down), many classes,
    # one pixel of logits and one class.
    cases.append(semantic_case("semantic_same_size_batch", (2, 5, 6, 9), [[50, 37], [50, 37]]))
    cases.append(semantic_case("semantic_sizes_per_image", (3, 4, 7, 5),
                               [[23, 31], [7, 5], [4, 3]]))
    cases.append(semantic_case("semantic_many_classes", (1, 21, 8, 8), [[64, 48]]))
    cases.append(semantic_case("semantic_one_logit_pixel", (2, 3, 1, 1), [[5, 7], [1, 1]]))
    cases.append(semantic_case("semantic_one_class", (1, 1, 3, 4), [[9, 11]]))
    # Instance masks: boxes inside and partly outside the image, K classes.
    cases.append(instance_case("paste_boxes_partly_outside", 8, 3, 7, 20, 24,
                               random_boxes(8, 20, 24, spill=8.0)))
    # Mask R-CNN's 28 x 28 masks, a lower threshold.
    cases.append(instance_case("paste_maskrcnn_size_threshold_0.3", 4, 5, 28, 40, 36,
                               random_boxes(4, 40, 36, spill=6.0), threshold=0.3))
    # Degenerate boxes: zero size (one pixel), reversed, sub-pixel, the whole image, on the border,
    # class agnostic (K = 1).
    degenerate = [6.0, 5.0, 6.0, 5.0,
                  9.5, 3.0, 7.0, 8.0,
                  2.2, 2.7, 2.6, 3.1,
                  0.0, 0.0, 15.0, 11.0,
                  -0.4, -0.9, 3.0, 2.0,
                  13.0, 9.0, 15.9, 11.9,
                  -3.0, 4.0, 0.2, 6.0]
    cases.append(instance_case("paste_degenerate_boxes_class_agnostic", 7, 1, 5, 12, 16,
                               degenerate))
    # Probabilities given, float64 boxes.
    cases.append(instance_case("paste_probabilities_float64_boxes", 5, 2, 6, 17, 13,
                               random_boxes(5, 17, 13, spill=4.0), probabilities=True,
                               boxes64=True))
    # No detection.
    cases.append(instance_case("paste_no_detection", 0, 2, 4, 6, 5, []))
    with open(OUT, "w") as out:
        json.dump({"cases": cases}, out, indent=None)
        out.write("\n")
    print("wrote %d cases to %s" % (len(cases), OUT))


if __name__ == "__main__":
    main()
