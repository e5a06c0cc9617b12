#!/usr/bin/python3
"""PyTorch's side of benchmarks/compare.sh: the same cases, shapes and data distributions as the
JMH benchmarks (LossCases.java), timed as forward + backward with the same thread count.

Usage: torch_bench.py THREADS [--cpu] [CASE...]   (all cases when none is named)
Prints one line per case: "<case> <milliseconds>" (with --cpu: the median CPU milliseconds of the
process, for a shared machine; LossCpuTime.java is the segloss side). Run with Debian's python3-torch (1.13) and
python3-torchvision (0.14); compare.sh sets OMP_NUM_THREADS as well.

The cross-entropy cases call F.cross_entropy, the mask cases torchvision's roi_align and the
loss lines of torchvision's maskrcnn_loss; the other losses are written here in torch as
segmentation_models.pytorch (Dice, Jaccard, Tversky, focal, Lovasz, MCC), MONAI (generalized Dice)
and PIDNet (OHEM) compute them, so both sides do the same work.
"""
import os
import sys
import time

import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.detection.roi_heads import maskrcnn_loss

IGNORE = 255


def class_index_inputs(n, c, h, w, seed=1):
    """Gaussian logits, uniform labels with a tenth ignored, weights 0.5 + k / C."""
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(n, c, h, w, generator=generator)
    labels = torch.randint(0, c, (n, h, w), generator=generator)
    labels[torch.rand(n, h, w, generator=generator) < 0.1] = IGNORE
    weight = torch.tensor([0.5 + k / c for k in range(c)])
    return logits, labels, weight


def one_hot_masked(labels, c):
    valid = labels != IGNORE
    one_hot = F.one_hot(labels * valid, c).permute(0, 3, 1, 2).float()
    return one_hot * valid.unsqueeze(1), valid.unsqueeze(1).float()


def overlap_loss(logits, labels, score):
    """smp's multiclass Dice/Jaccard/Tversky: softmax, one-hot, sums over (N, pixels) per class."""
    c = logits.shape[1]
    prob = logits.softmax(1)
    target, valid = one_hot_masked(labels, c)
    prob = prob * valid
    dims = (0, 2, 3)
    intersection = (prob * target).sum(dims)
    loss = 1 - score(intersection, prob.sum(dims), target.sum(dims))
    return (loss * (target.sum(dims) > 0).float()).mean()


def dice(logits, labels):
    return overlap_loss(logits, labels, lambda i, p, t: 2 * i / (p + t).clamp_min(1e-7))


def jaccard(logits, labels):
    return overlap_loss(logits, labels, lambda i, p, t: i / (p + t - i).clamp_min(1e-7))


def tversky(logits, labels, alpha=0.3, beta=0.7):
    return overlap_loss(
        logits, labels,
        lambda i, p, t: i / (i + alpha * (p - i) + beta * (t - i)).clamp_min(1e-7))


def focal(logits, labels, gamma=2.0):
    """smp FocalLoss(mode="multiclass", ignore_index=255): one-vs-rest sigmoid focal per class."""
    c = logits.shape[1]
    valid = labels != IGNORE
    total = 0
    for k in range(c):
        x = logits[:, k][valid]
        t = (labels[valid] == k).float()
        logpt = F.binary_cross_entropy_with_logits(x, t, reduction="none")
        pt = torch.exp(-logpt)
        total = total + ((1 - pt).pow(gamma) * logpt).mean()
    return total / c


def generalized_dice(logits, labels, smooth=1e-5):
    """MONAI's GeneralizedDiceLoss(softmax=True) forward lines (square weights, per image, the
    infinite weights of absent classes replaced by the image's largest) on the masked one-hot."""
    c = logits.shape[1]
    prob = logits.softmax(1)
    target, valid = one_hot_masked(labels, c)
    prob = prob * valid
    dims = [2, 3]
    tp = (prob * target).sum(dims)
    fp = prob.sum(dims) - tp
    fn = target.sum(dims) - tp
    denominator = 2 * (tp + 0.5 * fp + 0.5 * fn)
    ground = target.sum(dims)
    w = torch.reciprocal(ground * ground)
    infs = torch.isinf(w)
    w[infs] = 0.0
    w = w + infs * torch.max(w, dim=1)[0].unsqueeze(dim=1)
    numer = 2.0 * (tp * w).sum(1, keepdim=True) + smooth
    denom = (denominator * w).sum(1, keepdim=True) + smooth
    return (1.0 - numer / denom).mean()


def mcc(logits, labels, eps=1e-5):
    """smp's MCCLoss formula on each class's softmax channel against the rest (all classes at
    once), absent classes counting 0, the mean over the classes."""
    c = logits.shape[1]
    prob = logits.softmax(1)
    target, valid = one_hot_masked(labels, c)
    prob = prob * valid
    dims = (0, 2, 3)
    tp = (prob * target).sum(dims) + eps
    tn = ((1 - prob) * (1 - target) * valid).sum(dims) + eps
    fp = (prob * (1 - target)).sum(dims) + eps
    fn = ((1 - prob) * target).sum(dims) + eps
    numerator = tp * tn - fp * fn
    denominator = torch.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    loss = 1.0 - numerator / denominator
    return (loss * (target.sum(dims) > 0).float()).mean()


def lovasz(logits, labels):
    """smp's lovasz_softmax(classes="present", per_image=False, ignore=255)."""
    c = logits.shape[1]
    prob = logits.softmax(1).permute(0, 2, 3, 1).reshape(-1, c)
    flat = labels.reshape(-1)
    valid = flat != IGNORE
    prob, flat = prob[valid], flat[valid]
    losses = []
    for k in range(c):
        fg = (flat == k).float()
        if fg.sum() == 0:
            continue
        errors = (fg - prob[:, k]).abs()
        errors_sorted, perm = torch.sort(errors, 0, descending=True)
        fg_sorted = fg[perm]
        gts = fg_sorted.sum()
        intersection = gts - fg_sorted.cumsum(0)
        union = gts + (1 - fg_sorted).cumsum(0)
        jac = 1.0 - intersection / union
        jac[1:] = jac[1:] - jac[:-1]
        losses.append(torch.dot(errors_sorted, jac))
    return torch.stack(losses).mean()


def ohem(logits, labels, thresh=0.7, min_kept=100000):
    """PIDNet's OhemCrossEntropy (ignore 255) on one head."""
    pixel_losses = F.cross_entropy(logits, labels, ignore_index=IGNORE, reduction="none").view(-1)
    mask = labels.view(-1) != IGNORE
    tmp = labels.clone()
    tmp[tmp == IGNORE] = 0
    pred = logits.detach().softmax(1).gather(1, tmp.unsqueeze(1))
    pred, ind = pred.contiguous().view(-1)[mask].contiguous().sort()
    min_value = pred[min(min_kept, pred.numel() - 1)]
    threshold = max(min_value, thresh)
    pixel_losses = pixel_losses[mask][ind]
    pixel_losses = pixel_losses[pred < threshold]
    return pixel_losses.mean()


CPU = "--cpu" in sys.argv


def timed(run, repeats, warmup):
    """The mean wall milliseconds, or with --cpu the median of the process's CPU milliseconds."""
    clock = time.process_time if CPU else time.perf_counter
    times = []
    for i in range(warmup + repeats):
        start = clock()
        run()
        if i >= warmup:
            times.append(clock() - start)
    if CPU:
        return 1000 * sorted(times)[len(times) // 2]
    return 1000 * sum(times) / len(times)


def forward_backward(loss_fn, logits_list, *rest, repeats=20, warmup=5):
    def run():
        inputs = [x.clone().requires_grad_() for x in logits_list]
        loss = loss_fn(*inputs, *rest)
        loss.backward()
        float(loss) + float(inputs[0].grad.view(-1)[0])

    return timed(run, repeats, warmup)


def mask_inputs(seed=1, masks=16, rois=256, size=1024, classes=81, m=28):
    """Ellipse masks on a 1024x1024 image, RoIs jittered around their boxes, 81-class logits."""
    generator = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.arange(size).float(), torch.arange(size).float(), indexing="ij")
    gt_masks = torch.zeros(masks, size, size)
    gt_boxes = torch.zeros(masks, 4)
    for g in range(masks):
        half = 32 + torch.rand(2, generator=generator) * 224
        centre = half + torch.rand(2, generator=generator) * (size - 2 * half)
        inside = ((xx - centre[0]) / half[0]) ** 2 + ((yy - centre[1]) / half[1]) ** 2 <= 1
        gt_masks[g] = inside.float()
        gt_boxes[g] = torch.cat([centre - half, centre + half])
    matched = torch.randint(0, masks, (rois,), generator=generator)
    jitter = (torch.rand(rois, 4, generator=generator) - 0.5) * 0.2
    sizes = (gt_boxes[matched, 2:] - gt_boxes[matched, :2]).repeat(1, 2)
    boxes = (gt_boxes[matched] + jitter * sizes).clamp(0, size - 1)
    labels = torch.randint(1, classes, (rois,), generator=generator)
    logits = torch.randn(rois, classes, m, m, generator=generator)
    return gt_masks, boxes, matched, labels, logits


def project(gt_masks, boxes, matched, m=28):
    """torchvision's project_masks_on_boxes: roi_align of the matched masks, unaligned."""
    rois = torch.cat([matched.float()[:, None], boxes], dim=1)
    return torchvision.ops.roi_align(gt_masks[:, None], rois, (m, m), 1.0)[:, 0]


def mask_loss(logits, labels, targets):
    """The loss lines of torchvision's maskrcnn_loss, given its targets."""
    picked = logits[torch.arange(labels.shape[0]), labels]
    return F.binary_cross_entropy_with_logits(picked, targets)


def miou_update(logits, labels, c):
    """One confusion-matrix update: argmax, then a bincount of the labelled pixels."""
    pred = logits.argmax(1)
    valid = labels != IGNORE
    return torch.bincount(c * labels[valid] + pred[valid], minlength=c * c).view(c, c)


def signed_maps(labels, c):
    """boundary-loss's one_hot2dist per image and class (scipy's EDT), ignored pixels in no
    class: edt(neg) * neg - (edt(pos) - 1) * pos."""
    import numpy as np
    from scipy.ndimage import distance_transform_edt as edt
    y = labels.numpy()
    out = np.zeros((y.shape[0], c) + y.shape[1:])
    for b in range(y.shape[0]):
        for k in range(c):
            pos = y[b] == k
            if pos.any():
                neg = ~pos
                out[b, k] = edt(neg) * neg - (edt(pos) - 1) * pos
    return torch.from_numpy(out).float()


def boundary(logits, labels, maps):
    """The authors' SurfaceLoss (mean of softmax x map over classes 1..C-1), over labelled
    pixels."""
    valid = (labels != IGNORE).unsqueeze(1).float()
    term = logits.softmax(1) * maps * valid
    return (term.sum((0, 2, 3)) / valid.sum())[1:].mean()


def hausdorff_monai():
    """MONAI's HausdorffDTLoss (softmax, one-hot labels) if MONAI is on PYTHONPATH, else None."""
    try:
        from monai.losses import HausdorffDTLoss
    except ImportError:
        return None
    loss = HausdorffDTLoss(softmax=True, to_onehot_y=True)
    # MONAI has no ignore label: ignored pixels count as class 0
    return lambda x, y: loss(x, torch.where(y == IGNORE, 0, y).unsqueeze(1))


def label_map(size=512, classes=21):
    """The map of DistanceMapsBenchmark: 64 x 64 blocks of classes, a tenth ignored."""
    yy, xx = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    labels = (xx // 64 + 3 * (yy // 64)) % classes
    labels[torch.rand(size, size, generator=torch.Generator().manual_seed(1)) < 0.1] = IGNORE
    return labels


def point_mask_loss(num_points=12544, oversample=3.0, importance=0.75):
    """Mask2Former's point loss as point_loss_torch.py runs it (generate_point.py's functions)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                    "engines-test", "reference"))
    from generate_point import (calculate_uncertainty, dice_loss, point_sample,
                                sigmoid_ce_loss)

    def loss(x, targets):
        masks = x.shape[0]
        with torch.no_grad():
            sampled = int(num_points * oversample)
            coords = torch.rand(masks, sampled, 2)
            unc = calculate_uncertainty(point_sample(x, coords, align_corners=False))
            uncertain = int(importance * num_points)
            idx = torch.topk(unc[:, 0, :], k=uncertain, dim=1)[1]
            idx += sampled * torch.arange(masks, dtype=torch.long)[:, None]
            coords = coords.view(-1, 2)[idx.view(-1), :].view(masks, uncertain, 2)
            coords = torch.cat([coords, torch.rand(masks, num_points - uncertain, 2)], 1)
            labels = point_sample(targets[:, None], coords, align_corners=False).squeeze(1)
        logits = point_sample(x, coords, align_corners=False).squeeze(1)
        return sigmoid_ce_loss(logits, labels, masks) + dice_loss(logits, labels, masks)

    return loss


def cases():
    small = class_index_inputs(8, 21, 128, 128)
    large = class_index_inputs(2, 19, 512, 1024)
    aux = class_index_inputs(8, 21, 128, 128, seed=2)[0]
    logits, labels, weight = small
    gt_masks, boxes, matched, mask_labels, mask_logits = mask_inputs()
    targets = project(gt_masks, boxes, matched)
    probabilities = torch.randn(8, 21, 128, 128,
                                generator=torch.Generator().manual_seed(5)).softmax(1)
    binary_targets = (torch.rand(8, 21, 128, 128, generator=torch.Generator().manual_seed(3))
                      < 0.3).float()

    map_512 = label_map()[None]
    mask_512 = (map_512[0] != 1).numpy()

    def ce(x, y, w):
        return F.cross_entropy(x, y, weight=w, ignore_index=IGNORE)

    return {
        "ce_8x21x128x128": lambda: forward_backward(ce, [logits], labels, weight),
        "ce_2x19x512x1024": lambda: forward_backward(ce, [large[0]], large[1], large[2],
                                                     repeats=5, warmup=2),
        "ce-prob_8x21x128x128": lambda: forward_backward(
            lambda x, t: F.cross_entropy(x, t, weight=weight), [logits], probabilities),
        "pspnet_8x21x128x128": lambda: forward_backward(
            lambda main, a, y: F.cross_entropy(main, y, ignore_index=IGNORE)
            + 0.4 * F.cross_entropy(a, y, ignore_index=IGNORE), [logits, aux], labels),
        "mask_loss_256x81x28x28": lambda: forward_backward(
            mask_loss, [mask_logits], mask_labels, targets),
        "mask_targets_16x1024x1024": lambda: timed(
            lambda: float(project(gt_masks, boxes, matched).sum()), 10, 3),
        "mask_rcnn_loss_with_targets": lambda: forward_backward(
            lambda x: maskrcnn_loss(x, [boxes], [gt_masks], [mask_labels], [matched]),
            [mask_logits], repeats=10, warmup=3),
        "dice_8x21x128x128": lambda: forward_backward(dice, [logits], labels),
        "jaccard_8x21x128x128": lambda: forward_backward(jaccard, [logits], labels),
        "tversky_8x21x128x128": lambda: forward_backward(tversky, [logits], labels),
        "focal_8x21x128x128": lambda: forward_backward(focal, [logits], labels),
        "gdl_8x21x128x128": lambda: forward_backward(generalized_dice, [logits], labels),
        "mcc_8x21x128x128": lambda: forward_backward(mcc, [logits], labels),
        "lovasz_8x21x128x128": lambda: forward_backward(lovasz, [logits], labels,
                                                        repeats=5, warmup=2),
        "ohem_8x21x128x128": lambda: forward_backward(ohem, [logits], labels),
        "bce_8x21x128x128": lambda: forward_backward(
            F.binary_cross_entropy_with_logits, [logits], binary_targets),
        "l2_8x21x128x128": lambda: forward_backward(
            F.mse_loss, [logits], torch.randn(8, 21, 128, 128,
                                               generator=torch.Generator().manual_seed(4))),
        "ce+dice_8x21x128x128": lambda: forward_backward(
            lambda x, y: F.cross_entropy(x, y, ignore_index=IGNORE) + dice(x, y), [logits],
            labels),
        "boundary_8x21x128x128": lambda: forward_backward(
            boundary, [logits], labels, signed_maps(labels, 21)),
        "boundary-computed_8x21x128x128": lambda: forward_backward(
            lambda x, y: boundary(x, y, signed_maps(y, 21)), [logits], labels,
            repeats=3, warmup=1),
        **({} if hausdorff_monai() is None else {
            "hausdorff_8x21x128x128": lambda: forward_backward(
                hausdorff_monai(), [logits], labels, repeats=3, warmup=1)}),
        "edt_512x512": lambda: timed(
            lambda: __import__("scipy.ndimage").ndimage.distance_transform_edt(mask_512),
            10, 2),
        "one_hot2dist_21x512x512": lambda: timed(lambda: signed_maps(map_512, 21), 3, 1),
        "point-mask_100x1x112x112": lambda: forward_backward(
            point_mask_loss(), [torch.randn(100, 1, 112, 112,
                                            generator=torch.Generator().manual_seed(6)) * 3],
            (torch.rand(100, 112, 112, generator=torch.Generator().manual_seed(7)) < 0.3).float(),
            repeats=5, warmup=2),
        "miou_update_8x21x128x128": lambda: timed(
            lambda: int(miou_update(logits, labels, 21).sum()), 20, 5),
    }


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    table = cases()
    for name in [a for a in sys.argv[2:] if a != "--cpu"] or table:
        print("%s %.3f" % (name, table[name]()), flush=True)


if __name__ == "__main__":
    main()
