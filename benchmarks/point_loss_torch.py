#!/usr/bin/python3
"""PyTorch's side of PointLossCost: Mask2Former's point-sampled mask loss (detectron2's
point_sample and get_uncertain_point_coords_with_randomness, Mask2Former's sigmoid_ce_loss and
dice_loss, written in torch as in generate_point.py) against the full-mask BCE, forward and
backward, 100 masks of one class at 112^2 and 224^2, 12544 points (k = 3, beta = 0.75); prints
the median step time and the growth of the peak resident memory per case (each in a process of
its own).

    OMP_NUM_THREADS=2 /usr/bin/python3 benchmarks/point_loss_torch.py
"""
import os
import resource
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engines-test",
                                "reference"))


def rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def one(mode, m):
    from generate_point import (calculate_uncertainty, dice_loss, point_sample,
                                sigmoid_ce_loss)
    torch.manual_seed(1)
    masks = 100
    x = (torch.randn(masks, 1, m, m) * 3).requires_grad_()
    targets = (torch.rand(masks, m, m) < 0.3).float()

    def step():
        if mode == "full":
            loss = F.binary_cross_entropy_with_logits(x[:, 0], targets)
        else:
            with torch.no_grad():
                num_points, k, beta = 12544, 3.0, 0.75
                sampled = int(num_points * k)
                coords = torch.rand(masks, sampled, 2)
                unc = calculate_uncertainty(point_sample(x, coords, align_corners=False))
                uncertain = int(beta * num_points)
                idx = torch.topk(unc[:, 0, :], k=uncertain, dim=1)[1]
                idx += sampled * torch.arange(masks, dtype=torch.long)[:, None]
                coords = coords.view(-1, 2)[idx.view(-1), :].view(masks, uncertain, 2)
                coords = torch.cat([coords, torch.rand(masks, num_points - uncertain, 2)], 1)
                labels = point_sample(targets[:, None], coords, align_corners=False).squeeze(1)
            logits = point_sample(x, coords, align_corners=False).squeeze(1)
            loss = sigmoid_ce_loss(logits, labels, masks) + dice_loss(logits, labels, masks)
        loss.backward()
        x.grad = None
        return loss.item()

    step()
    before = rss()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    times.sort()
    print("RESULT %.0f MB, %.0f ms" % ((peak - before) / 1e6, times[2] * 1e3))


def main():
    if len(sys.argv) == 3:
        one(sys.argv[1], int(sys.argv[2]))
        return
    print("| masks | full-mask BCE: peak growth, step | point-sampled BCE + Dice |")
    print("| --- | --- | --- |")
    for m in (112, 224):
        cells = []
        for mode in ("full", "point"):
            out = subprocess.run([sys.executable, __file__, mode, str(m)], capture_output=True,
                                 text=True).stdout.strip().splitlines()
            cells.append(out[-1][7:] if out and out[-1].startswith("RESULT ") else "failed")
        print("| 100 x %d x %d | %s | %s |" % (m, m, cells[0], cells[1]))


if __name__ == "__main__":
    main()
