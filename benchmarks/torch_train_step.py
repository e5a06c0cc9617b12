#!/usr/bin/python3
"""PyTorch's side of TrainingStepBenchmark: the example's PSPNet (training-example's PspNet,
ConvBnRelu, PyramidPooling and Backbones.stem) written with torch.nn, one training step at
batch 8 and 128x128: forward, CE(main) + 0.4 CE(aux) with ignore 255, backward, Adam step.

Usage: torch_train_step.py THREADS   prints "train_step_8x3x128x128 <milliseconds>".
Run with Debian's python3-torch (1.13); compare.sh sets OMP_NUM_THREADS as well.
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH, SIZE, CLASSES, WIDTH = 8, 128, 4, 16


class ConvBnRelu(nn.Sequential):
    """k x k convolution without bias ("same" padding, optional dilation), batch norm, ReLU."""

    def __init__(self, cin, cout, kernel, stride, dilation=1):
        super().__init__(
            nn.Conv2d(cin, cout, kernel, stride, dilation * (kernel // 2), dilation, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True))


class PyramidPooling(nn.Module):
    """Average pooling to b x b with kernel = stride = size / b, 1x1 ConvBnRelu, bilinear back."""

    def __init__(self, cin, bins, per_bin):
        super().__init__()
        self.bins = bins
        self.reducers = nn.ModuleList(ConvBnRelu(cin, per_bin, 1, 1) for _ in bins)

    def forward(self, x):
        h, w = x.shape[2:]
        branches = [x]
        for b, reduce in zip(self.bins, self.reducers):
            pooled = F.avg_pool2d(x, (h // b, w // b), (h // b, w // b))
            branches.append(F.interpolate(reduce(pooled), (h, w), mode="bilinear",
                                          align_corners=False))
        return torch.cat(branches, 1)


class PspNet(nn.Module):
    def __init__(self, classes, width):
        super().__init__()
        self.stem = nn.Sequential(
            ConvBnRelu(3, width, 3, 2), ConvBnRelu(width, width, 3, 1),
            ConvBnRelu(width, 2 * width, 3, 2), ConvBnRelu(2 * width, 2 * width, 3, 1))
        self.stage = nn.Sequential(
            ConvBnRelu(2 * width, 4 * width, 3, 2), ConvBnRelu(4 * width, 4 * width, 3, 1, 2))
        self.head = nn.Sequential(
            PyramidPooling(4 * width, (1, 2, 4), width),
            ConvBnRelu(4 * width + 3 * width, 4 * width, 3, 1),
            nn.Conv2d(4 * width, classes, 1))
        self.aux = nn.Sequential(ConvBnRelu(2 * width, 2 * width, 3, 1),
                                 nn.Conv2d(2 * width, classes, 1))

    def forward(self, x):
        size = x.shape[2:]
        stride4 = self.stem(x)
        main = self.head(self.stage(stride4))
        aux = self.aux(stride4)
        return (F.interpolate(main, size, mode="bilinear", align_corners=False),
                F.interpolate(aux, size, mode="bilinear", align_corners=False))


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = PspNet(CLASSES, WIDTH).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.005)
    images = torch.rand(BATCH, 3, SIZE, SIZE)
    labels = torch.randint(0, CLASSES, (BATCH, SIZE, SIZE))
    labels[torch.rand(BATCH, SIZE, SIZE) < 0.1] = 255

    def step():
        optimizer.zero_grad()
        main_logits, aux_logits = model(images)
        loss = (F.cross_entropy(main_logits, labels, ignore_index=255)
                + 0.4 * F.cross_entropy(aux_logits, labels, ignore_index=255))
        loss.backward()
        optimizer.step()
        return float(loss)

    for _ in range(5):
        step()
    times = []
    for _ in range(20):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    print("train_step_8x3x128x128 %.3f" % (1000 * sum(times) / len(times)), flush=True)


if __name__ == "__main__":
    main()
