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
    scripted_train_step.py loader MODULE.pt BATCH SIZE CLASSES WARMUP STEPS THREADS
        the same training with its data from a DataLoader (2 worker processes, 2 batches ahead,
        as segloss-train's 2 loader threads with prefetch 2): 64 stored random images and label
        maps augmented per sample as segloss-train's JointAugmentation does (random scale 0.75 to
        1.25, bilinear image and nearest labels, random crop or pad with 255 to SIZE, random
        horizontal flip); phases data (waiting for the next batch), forward, loss, backward,
        metrics (the running sum of the loss that a training loop reports), optimizer, step
        (for fine_tuning_step.sh, against FineTuningStep); prints "phase <wall ms> <cpu ms>"
        lines, the CPU time this process's (its threads', not the workers')
    scripted_train_step.py adam MODULE.pt WARMUP ROUNDS THREADS
        the optimizer alone over arrays of the module's trainable parameters' shapes: PyTorch's
        Adam step + zero_grad, its zero_grad alone, and DJL 0.36's native Adam kernel sequence
        (ai_djl_pytorch_jni_PyTorchLibrary_optim.cc: clone, add_(weight, alpha=wd), mul_ +
        add_, mul_ + addcmul_, weight.sub_(mean.mul(c).div(var.sqrt().add(eps))), then zero_ of
        the gradient) written in torch ops, to tell the kernel sequence from libtorch's version
        (for AdamParts); "part <wall ms> <cpu ms>" lines
Run with Debian's python3-torch (1.13) and python3-torchvision (0.14).
"""
import math
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


class AugmentedSamples(torch.utils.data.Dataset):
    """Stored random samples, scaled, cropped or padded and flipped per item (see "loader")."""

    def __init__(self, size, classes, count=400, stored=64):
        generator = torch.Generator().manual_seed(2)
        self.size, self.count = size, count
        self.images = torch.rand(stored, 3, size, size, generator=generator)
        self.labels = torch.randint(0, classes, (stored, size, size), generator=generator)

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        image = self.images[index % len(self.images)][None]
        label = self.labels[index % len(self.labels)][None, None].float()
        side = int(self.size * (0.75 + 0.5 * torch.rand(()).item())) // 2 * 2
        image = F.interpolate(image, size=(side, side), mode="bilinear", align_corners=False)
        label = F.interpolate(label, size=(side, side), mode="nearest")
        if side < self.size:
            pad = self.size - side
            image = F.pad(image, (0, pad, 0, pad))
            label = F.pad(label, (0, pad, 0, pad), value=255)
        else:
            y, x = (int(torch.randint(0, side - self.size + 1, ())) for _ in range(2))
            image = image[..., y:y + self.size, x:x + self.size]
            label = label[..., y:y + self.size, x:x + self.size]
        if torch.rand(()).item() < 0.5:
            image, label = image.flip(-1), label.flip(-1)
        return image[0].contiguous(), label[0, 0].long().contiguous()


def one_thread(_):
    torch.set_num_threads(1)


def time_loader(path, batch, size, classes, warmup, steps, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = torch.jit.load(path)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    loader = torch.utils.data.DataLoader(
        AugmentedSamples(size, classes), batch_size=batch, shuffle=True, num_workers=2,
        prefetch_factor=1, persistent_workers=True, worker_init_fn=one_thread)
    names = ["data", "forward", "loss", "backward", "metrics", "optimizer", "step"]
    phases = {name: [] for name in names}
    batches = iter(loader)
    running = 0.0
    for i in range(warmup + steps):
        if i == warmup:
            workers_cpu = -workers_seconds(batches)
        marks = [stamp()]
        images, labels = next(batches)
        marks.append(stamp())
        out, aux = model(images)
        marks.append(stamp())
        loss = (F.cross_entropy(out, labels, ignore_index=255)
                + 0.4 * F.cross_entropy(aux, labels, ignore_index=255))
        value = loss.item()
        marks.append(stamp())
        loss.backward()
        marks.append(stamp())
        running += value
        marks.append(stamp())
        optimizer.step()
        optimizer.zero_grad()
        marks.append(stamp())
        if i >= warmup:
            for p, name in enumerate(names[:-1]):
                phases[name].append(since(marks[p], marks[p + 1]))
            phases["step"].append(since(marks[0], marks[-1]))
    workers_cpu += workers_seconds(batches)
    print("loader_cpu_per_batch %.2f" % (workers_cpu * 1000 / steps))
    print_medians(phases)


def workers_seconds(batches):
    """The CPU seconds of the DataLoader's worker processes so far (/proc, 10 ms ticks)."""
    total = 0
    for worker in batches._workers:
        with open("/proc/%d/stat" % worker.pid) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def stamp():
    """The wall clock and this process's CPU time (every thread; the DataLoader's workers are
    other processes)."""
    return time.perf_counter(), time.process_time()


def since(earlier, later):
    return [(later[0] - earlier[0]) * 1000, (later[1] - earlier[1]) * 1000]


def print_medians(phases):
    """Prints "name wall_ms cpu_ms" lines, the medians."""
    for name, values in phases.items():
        print("%s %.2f %.2f" % (name, statistics.median(v[0] for v in values),
                                statistics.median(v[1] for v in values)))


def djl_adam(weights, grads, means, variances, lr, beta1, beta2, eps, t):
    """DJL 0.36's Adam.update + native adamUpdate + zeroGrad, op for op, in torch."""
    correction = lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    with torch.no_grad():
        for weight, grad, mean, variance in zip(weights, grads, means, variances):
            g = grad.clone()
            g.add_(weight, alpha=0.0)
            mean.mul_(beta1).add_(g, alpha=1 - beta1)
            variance.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            weight.sub_(mean.mul(correction).div(variance.sqrt().add(eps)))
            grad.zero_()


def time_adam(path, warmup, rounds, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    shapes = [p.shape for p in torch.jit.load(path).parameters() if p.requires_grad]
    weights = [torch.randn(shape, requires_grad=True) for shape in shapes]
    for weight in weights:
        weight.grad = torch.randn(weight.shape)
    optimizer = torch.optim.Adam(weights, lr=1e-4)
    plain = [w.detach().clone() for w in weights]
    grads = [w.grad.clone() for w in weights]
    means = [torch.zeros_like(w) for w in plain]
    variances = [torch.zeros_like(w) for w in plain]
    parts = {"torch_adam_step": [], "torch_zero_grad": [], "djl_sequence_in_torch": []}
    for r in range(warmup + rounds):
        for weight, grad in zip(weights, grads):
            weight.grad.copy_(grad)
        t0 = stamp()
        optimizer.step()
        t1 = stamp()
        optimizer.zero_grad()
        t2 = stamp()
        djl_adam(plain, grads, means, variances, 1e-4, 0.9, 0.999, 1e-8, r + 1)
        t3 = stamp()
        for grad, weight in zip(grads, weights):
            grad.copy_(weight.grad).add_(1.0)
        if r >= warmup:
            parts["torch_adam_step"].append(since(t0, t1))
            parts["torch_zero_grad"].append(since(t1, t2))
            parts["djl_sequence_in_torch"].append(since(t2, t3))
    print_medians(parts)


def main():
    if sys.argv[1] == "script":
        script(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif sys.argv[1] == "loader":
        time_loader(sys.argv[2], *(int(v) for v in sys.argv[3:9]))
    elif sys.argv[1] == "adam":
        time_adam(sys.argv[2], *(int(v) for v in sys.argv[3:6]))
    else:
        time_steps(sys.argv[2], *(int(v) for v in sys.argv[3:9]))


if __name__ == "__main__":
    main()
