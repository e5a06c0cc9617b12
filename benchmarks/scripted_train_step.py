#!/usr/bin/python3
"""PyTorch's side of scripted_train_step.sh: one training step of a scripted torchvision model,
each phase timed separately, against ScriptedTrainStep (the same module trained through DJL).

    scripted_train_step.py script ARCH CLASSES SIZE MODULE.pt
        scripts the model as training-example/scripts/trace_model.py does for segloss-train
        (random weights seeded by 0, FreezableBatchNorm2d, (out, aux) wrapper), float32
    scripted_train_step.py time MODULE.pt BATCH SIZE CLASSES WARMUP STEPS THREADS
        loads the module, train(), Adam (lr 1e-4) over its parameters, and times WARMUP + STEPS
        steps on a fixed random batch (labels with 10 % ignore 255): forward, loss
        (F.cross_entropy(out) + 0.4 * F.cross_entropy(aux), ignore 255, read to the host),
        backward, optimizer (zero_grad + step); prints the median milliseconds of each phase and
        of the whole step as "phase <ms>" lines
Run with Debian's python3-torch (1.13) and python3-torchvision (0.14).
"""
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training-example",
                       "scripts")
sys.path.insert(0, os.path.normpath(SCRIPTS))
import trace_model  # noqa: E402  (the model as segloss-train fine-tunes it)


def script(arch, classes, size, path):
    torch.manual_seed(0)
    model = trace_model.build(arch, classes, True, 1.0, False)
    flag = torch.zeros(())
    trace_model.freezable_batch_norms(model, flag)
    scripted = torch.jit.script(trace_model.OutAux(model, flag))
    scripted.train()
    scripted.save(path)


def time_steps(path, batch, size, classes, warmup, steps, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = torch.jit.load(path)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    images = torch.rand(batch, 3, size, size)
    labels = torch.randint(0, classes, (batch, size, size))
    labels[torch.rand(batch, size, size) < 0.1] = 255
    phases = {"forward": [], "loss": [], "backward": [], "optimizer": [], "step": []}
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        out, aux = model(images)
        t1 = time.perf_counter()
        loss = (F.cross_entropy(out, labels, ignore_index=255)
                + 0.4 * F.cross_entropy(aux, labels, ignore_index=255))
        loss.item()
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        optimizer.step()
        optimizer.zero_grad()
        t4 = time.perf_counter()
        if i >= warmup:
            for name, dt in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0)):
                phases[name].append(dt * 1000)
    for name, values in phases.items():
        print("%s %.2f" % (name, statistics.median(values)))


def main():
    if sys.argv[1] == "script":
        script(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        time_steps(sys.argv[2], *(int(v) for v in sys.argv[3:9]))


if __name__ == "__main__":
    main()
