#!/usr/bin/python3
"""PyTorch replica of segloss-train's default semantic recipe, for the accuracy parity table.

Trains the example's PSPNet (training-example/.../model/PspNet.java) written in torch.nn
(torch_train_step.py's PspNet, the model of the training-step benchmark) on a
folder dataset (as written by `segloss-train export-synthetic`) with the recipe of
SemanticTraining, and prints per-epoch loss and validation mIoU, then one JSON line with the final
and best validation mIoU and the training seconds (validation excluded, as segloss-train counts).

What is replicated, and from where:
  model      PspNet/ConvBnRelu/PyramidPooling/Backbones: 3x3 conv (no bias) + BN(eps 1e-5,
             momentum 0.1 in PyTorch's sense = DJL's 0.9) + ReLU units; stem w,w,2w,2w (stride 4),
             stage 4w stride 2 then 4w dilation 2 (stride 8); pyramid bins 1,2,4 with average
             pooling kernel = stride = size / bin (= adaptive pooling when divisible), a 1x1
             ConvBnRelu of w channels per bin, bilinear (align_corners=False) back to the feature
             size, concatenated with the features; head ConvBnRelu 4w + 1x1 conv with bias; aux
             head on the stride-4 features: ConvBnRelu 2w + 1x1 conv; both heads' logits resized
             bilinearly (align_corners=False) to the input size.
  init       DJL's defaults: every conv weight ~ N(0, sqrt(2 / fan_in)) (XavierInitializer
             GAUSSIAN, IN, magnitude 2 = He normal), biases 0, BN gamma 1, beta 0, running
             mean 0, var 1. (PyTorch's own default conv init is kaiming_uniform(a=sqrt(5)).)
  loss       DeepSupervisionLoss.pspnet(): cross-entropy (mean over pixels not labelled 255) of the
             main logits + 0.4 x that of the aux logits.
  optimizer  Adam (beta 0.9/0.999, eps 1e-8, no weight decay): torch.optim.Adam. DJL's update
             adds eps to sqrt(v) before the bias correction of v, PyTorch after it; the same as
             PyTorch with eps / sqrt(1 - 0.999^t), i.e. at most 3.2e-7 instead of 1e-8.
             --adam djl applies DJL's update instead (DjlAdam).
  schedule   ShiftedTracker.poly / DJL's PolynomialDecayTracker, per batch: update t = 1..T
             (DJL counts updates from 1) uses (lr - end) (1 - t/T)^0.9 + end, end = 1e-3 lr,
             T = epochs x batches per epoch.
  data       SemanticDataset + JointAugmentation(size, 0.75, 1.25, flip) + SeededShuffle,
             bit for bit: the same java.util.Random streams seeded by SplitMix64 mixes of
             (seed, epoch, index), the same draws (scale, row offset, column offset, flip), the
             same pixel-centred bilinear image / nearest mask resampling, padding 0 / 255; the
             same shuffle per epoch; batch 8, the last batch dropped only when it would hold one
             image. Validation: the split in order, resized only if not already size x size.
  metric     MeanIoU: one confusion matrix over the whole validation split, IoU per class,
             NaN-mean over the classes whose union is non-empty.

Usage: /usr/bin/python3 benchmarks/pspnet_replica.py --data DIR [--epochs 120] [--seed 42] ...
Only torch, numpy and PIL are used.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_train_step import PspNet  # noqa: E402  the example's PSPNet in torch.nn

IGNORE = 255
MASK64 = (1 << 64) - 1


# ---- java.util.Random and the example's Seeds.mix, bit for bit -------------------------------


class JavaRandom:
    """java.util.Random's 48-bit LCG and the draws the example uses."""

    MULTIPLIER = 0x5DEECE66D
    MASK = (1 << 48) - 1

    def __init__(self, seed):
        self.state = (seed ^ self.MULTIPLIER) & self.MASK

    def next(self, bits):
        self.state = (self.state * self.MULTIPLIER + 0xB) & self.MASK
        return self.state >> (48 - bits)  # bits < 32 here: never negative

    def next_int(self, bound):
        r = self.next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        r = u % bound
        while u - r + m >= 1 << 31:  # Java's int overflow test
            u = self.next(31)
            r = u % bound
        return r

    def next_double(self):
        return ((self.next(26) << 27) + self.next(27)) * (1.0 / (1 << 53))

    def next_boolean(self):
        return self.next(1) != 0


def _finish(z):
    z &= MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def seeds_mix(seed, *parts):
    golden = 0x9E3779B97F4A7C15
    h = _finish(seed + golden)
    for part in parts:
        h = _finish(h + golden + _finish(part + golden))
    return h


# ---- data: the folder format and JointAugmentation -------------------------------------------


def read_split(root, split):
    names = [l.strip() for l in open(os.path.join(root, split + ".txt")) if l.strip()]
    images, masks = [], []
    for name in names:
        image = Image.open(os.path.join(root, "images", name + ".png")).convert("RGB")
        images.append(np.asarray(image, dtype=np.float32).transpose(2, 0, 1) / np.float32(255))
        mask = Image.open(os.path.join(root, "masks", name + ".png"))
        masks.append(np.asarray(mask, dtype=np.int64))  # palette PNG: the indices
    return images, masks


def axis_map(length, scaled_length, offset, out_length, flip):
    """AxisMap: per output index pad, nearest, low, high, weight."""
    pad = np.zeros(out_length, dtype=bool)
    nearest = np.zeros(out_length, dtype=np.int64)
    low = np.zeros(out_length, dtype=np.int64)
    high = np.zeros(out_length, dtype=np.int64)
    weight = np.zeros(out_length, dtype=np.float32)
    scale = length / scaled_length
    for o in range(out_length):
        r = (out_length - 1 - o if flip else o) + offset
        if r < 0 or r >= scaled_length:
            pad[o] = True
            continue
        nearest[o] = min(math.floor((r + 0.5) * scale), length - 1)
        s = max(0.0, min(length - 1, (r + 0.5) * scale - 0.5))
        low[o] = math.floor(s)
        high[o] = min(low[o] + 1, length - 1)
        weight[o] = np.float32(s - low[o])
    return pad, nearest, low, high, weight


def remap(image, labels, rows, cols, size):
    rpad, rnear, rlow, rhigh, wy = rows
    cpad, cnear, clow, chigh, wx = cols
    one = np.float32(1)
    wx = wx[None, None, :]
    wy = wy[None, :, None]
    top = image[:, rlow][:, :, clow] * (one - wx) + image[:, rlow][:, :, chigh] * wx
    bottom = image[:, rhigh][:, :, clow] * (one - wx) + image[:, rhigh][:, :, chigh] * wx
    out = top * (one - wy) + bottom * wy
    semantic = labels[rnear][:, cnear].copy()
    padded = rpad[:, None] | cpad[None, :]
    out[:, padded] = 0
    semantic[padded] = IGNORE
    return out.astype(np.float32), semantic


def java_round(x):
    return math.floor(x + 0.5)


def augment(image, labels, random, size, min_scale=0.75, max_scale=1.25, flip=True):
    """JointAugmentation.apply: scale, row offset, column offset, flip, in that order."""
    height, width = labels.shape
    scale = min_scale + (max_scale - min_scale) * random.next_double()
    factor = scale * size / max(height, width)
    scaled_h = max(1, java_round(height * factor))
    scaled_w = max(1, java_round(width * factor))

    def offset(scaled):
        if scaled >= size:
            return random.next_int(scaled - size + 1)
        return -random.next_int(size - scaled + 1)

    top = offset(scaled_h)
    left = offset(scaled_w)
    mirror = random.next_boolean() and flip
    return remap(
        image,
        labels,
        axis_map(height, scaled_h, top, size, False),
        axis_map(width, scaled_w, left, size, mirror),
        size,
    )


def resize_to(image, labels, size):
    height, width = labels.shape
    if height == size and width == size:
        return image, labels
    return remap(
        image,
        labels,
        axis_map(height, size, 0, size, False),
        axis_map(width, size, 0, size, False),
        size,
    )


def shuffled(count, seed, epoch):
    """SeededShuffle: Fisher-Yates from Random(mix(seed, SALT, epoch))."""
    random = JavaRandom(seeds_mix(seed, 0x5A3D1E, epoch))
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = random.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def drops_last_batch(images, batch_size):
    return images > batch_size and images % batch_size == 1


# ---- model: torch_train_step.py's torch.nn PspNet, with DJL's initialisation -------------------


def djl_initialised(model):
    """DJL's default initialisation: conv weights ~ N(0, sqrt(2 / fan_in)), biases 0 (batch norm's
    gamma 1, beta 0, mean 0, var 1 are PyTorch's defaults too)."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            fan_in = m.weight.shape[1] * m.weight.shape[2] * m.weight.shape[3]
            nn.init.normal_(m.weight, 0.0, math.sqrt(2.0 / fan_in))
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


class DjlAdam:
    """DJL's Adam update as its PyTorch engine applies it (Adam.update + the native adamUpdate):
    w -= lr_t sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps), the factor rounded to float32."""

    def __init__(self, params, betas=(0.9, 0.999), eps=1e-8):
        self.params = [p for p in params if p.requires_grad]
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.means = [torch.zeros_like(p) for p in self.params]
        self.variances = [torch.zeros_like(p) for p in self.params]
        self.t = 0

    def zero_grad(self, set_to_none=True):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self, lr):
        self.t += 1
        b1, b2 = float(np.float32(self.beta1)), float(np.float32(self.beta2))
        factor = float(np.float32(lr * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)))
        for p, m, v in zip(self.params, self.means, self.variances):
            if p.grad is None:
                continue
            g = p.grad
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).addcmul_(g, g, value=1 - b2)
            p.sub_(factor * m / (v.sqrt() + self.eps))


def load_djl_parameters(model, file):
    """Loads a segloss-train checkpoint's parameters, converted to .npz, in the model's order."""
    arrays = list(np.load(file).values())  # DJL's order: conv weight, gamma, beta, mean, var
    state = model.state_dict()
    names = [n for n in state if not n.endswith("num_batches_tracked")]
    if len(names) != len(arrays):
        raise SystemExit(f"--init {file}: {len(arrays)} arrays, the model has {len(names)}")
    for name, array in zip(names, arrays):
        if tuple(state[name].shape) != array.shape:
            raise SystemExit(f"--init {file}: {name} is {state[name].shape}, got {array.shape}")
        state[name].copy_(torch.from_numpy(array))


# ---- training -----------------------------------------------------------------------------------


def poly(lr, step, steps):
    """PolynomialDecayTracker(base lr, end 1e-3 lr, steps, power 0.9) at update `step` (from 1)."""
    base = float(np.float32(lr))
    end = float(np.float32(np.float32(lr) * np.float32(1e-3)))
    step = max(0, min(step, steps))
    return float(np.float32((base - end) * math.pow(1.0 - step / steps, 0.9) + end))


def mean_iou(confusion):
    tp = np.diag(confusion).astype(np.float64)
    union = confusion.sum(0) + confusion.sum(1) - np.diag(confusion)
    measured = union > 0
    if not measured.any():
        return float("nan"), []
    per_class = np.where(measured, tp / np.maximum(union, 1), np.nan)
    return float(per_class[measured].mean()), [float(v) for v in per_class]


def validate(model, images, masks, size, batch_size, classes):
    model.eval()
    confusion = np.zeros((classes, classes), dtype=np.int64)
    total, batches = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            pairs = [resize_to(i, m, size) for i, m in zip(images[start:start + batch_size],
                                                          masks[start:start + batch_size])]
            x = torch.from_numpy(np.stack([p[0] for p in pairs]))
            y = torch.from_numpy(np.stack([p[1] for p in pairs]))
            logits = model(x)[0]  # the main head (the aux head is computed and unused)
            total += F.cross_entropy(logits, y, ignore_index=IGNORE).item()
            batches += 1
            predicted = logits.argmax(1).numpy().ravel()
            truth = y.numpy().ravel()
            keep = truth != IGNORE
            confusion += np.bincount(
                truth[keep] * classes + predicted[keep], minlength=classes * classes
            ).reshape(classes, classes)
    model.train()
    miou, per_class = mean_iou(confusion)
    return miou, total / batches, per_class


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="folder dataset (export-synthetic)")
    parser.add_argument("--epochs", type=int, default=120)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.005)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--aux-weight", type=float, default=0.4)
    parser.add_argument("--seed", type=int, default=42, help="data order, augmentation, init")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--init", help="start from a segloss-train checkpoint's parameters (.npz)")
    parser.add_argument(
        "--adam",
        choices=("torch", "djl"),
        default="torch",
        help="torch.optim.Adam (default) or DJL's Adam update (eps added before v's correction)",
    )
    parser.add_argument("--log-batches", type=int, default=0, help="print the first N batch losses")
    args = parser.parse_args()
    if args.epochs < 1 or args.batch_size < 2:
        parser.error(f"--epochs must be >= 1 and --batch-size >= 2, got {args.epochs}, {args.batch_size}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    classes = [l.strip() for l in open(os.path.join(args.data, "classes.txt")) if l.strip()]
    train_images, train_masks = read_split(args.data, "train")
    val_images, val_masks = read_split(args.data, "val")
    size, batch_size = args.image_size, args.batch_size
    count = len(train_images)
    batches = -(-count // batch_size) - (1 if drops_last_batch(count, batch_size) else 0)
    steps = args.epochs * batches

    model = djl_initialised(PspNet(len(classes), args.width))
    if args.init:
        with torch.no_grad():
            load_djl_parameters(model, args.init)
    model.train()
    if args.adam == "djl":
        optimizer = DjlAdam(model.parameters())
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    print(
        f"replica: {count} train / {len(val_images)} val images, {len(classes)} classes,"
        f" {batches} batches x {args.epochs} epochs, torch {torch.__version__},"
        f" {torch.get_num_threads()} threads",
        flush=True,
    )
    if args.init:
        miou, val_loss, _ = validate(model, val_images, val_masks, size, batch_size, len(classes))
        print(f"epoch 0 (the --init weights): val loss {val_loss:.4f}, mIoU {miou:.4f}", flush=True)
    step = 0
    seconds = 0.0
    history = []
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = shuffled(count, args.seed, epoch - 1)
        losses = []
        for b in range(batches):
            indices = order[b * batch_size:(b + 1) * batch_size]
            pairs = [
                augment(train_images[i], train_masks[i],
                        JavaRandom(seeds_mix(args.seed, epoch - 1, i)), size)
                for i in indices
            ]
            x = torch.from_numpy(np.stack([p[0] for p in pairs]))
            y = torch.from_numpy(np.stack([p[1] for p in pairs]))
            main_logits, aux_logits = model(x)
            loss = F.cross_entropy(main_logits, y, ignore_index=IGNORE) + args.aux_weight * (
                F.cross_entropy(aux_logits, y, ignore_index=IGNORE)
            )
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            step += 1
            if args.adam == "djl":
                optimizer.step(poly(args.lr, step, steps))
            else:
                for group in optimizer.param_groups:
                    group["lr"] = poly(args.lr, step, steps)
                optimizer.step()
            losses.append(loss.item())
            if step <= args.log_batches:
                print(f"batch {step}: loss {losses[-1]:.6f}", flush=True)
        seconds += time.perf_counter() - start
        miou, val_loss, per_class = validate(
            model, val_images, val_masks, size, batch_size, len(classes)
        )
        history.append(miou)
        print(
            f"epoch {epoch}/{args.epochs}: loss {np.mean(losses):.4f}, val loss {val_loss:.4f},"
            f" mIoU {miou:.4f}, {seconds:.1f} s",
            flush=True,
        )
    summary = {
        "side": "pytorch",
        "seed": args.seed,
        "meanIoU": history[-1],
        "bestMeanIoU": max(v for v in history if not math.isnan(v)),
        "trainingSeconds": seconds,
        "epochs": args.epochs,
        "perClassIoU": dict(zip(classes, per_class)),
    }
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    sys.exit(main())
