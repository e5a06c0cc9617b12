#!/usr/bin/python3
"""PyTorch's side of benchmarks/compare.sh: forward + backward of F.cross_entropy (ignore_index
255, class weights) on the same shapes and data distribution as CrossEntropyBenchmark.

Prints one line per shape: "cross_entropy <shape> <milliseconds>". Run with Debian's
python3-torch; compare.sh sets the thread count.
"""
import sys
import time

import torch
import torch.nn.functional as F


def bench(shape, threads, repeats=20, warmup=5):
    torch.set_num_threads(threads)
    n, c, h, w = shape
    generator = torch.Generator().manual_seed(1)
    logits = torch.randn(n, c, h, w, generator=generator)
    labels = torch.randint(0, c, (n, h, w), generator=generator)
    labels[torch.rand(n, h, w, generator=generator) < 0.1] = 255
    weight = torch.tensor([0.5 + k / c for k in range(c)])
    times = []
    for i in range(warmup + repeats):
        x = logits.clone().requires_grad_()
        start = time.perf_counter()
        loss = F.cross_entropy(x, labels, weight=weight, ignore_index=255)
        loss.backward()
        float(loss) + float(x.grad[0, 0, 0, 0])
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return 1000 * sum(times) / len(times)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    for spec in sys.argv[2:] or ["8x21x128x128"]:
        shape = tuple(int(v) for v in spec.split("x"))
        print("cross_entropy %s %.3f" % (spec, bench(shape, threads)))


if __name__ == "__main__":
    main()
