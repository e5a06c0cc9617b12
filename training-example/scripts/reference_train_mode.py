"""Writes PyTorch's train-mode and eval-mode results of tiny-segnet.pt for TorchScriptTrainingTest.

The test (CI has no PyTorch) checks that a TorchScript module loaded for fine-tuning trains with
batch statistics from its very first batch: its first training forward must give PyTorch's
`model.train()` output and loss, not the `model.eval()` ones, which this script also writes.

The input and labels are formulas that Java reproduces exactly (flat NCHW index i):
    x[i] = float32(((i * 37) % 101 - 50) / 25.0)
    label[n, h, w] = (7 * n + 3 * h + w) % 5, with 4 replaced by the ignore index 255
The loss is `F.cross_entropy(out, labels, ignore_index=255) + 0.4 * F.cross_entropy(aux, ...)`,
segloss's DeepSupervisionLoss.pspnet().

Usage (Debian's PyTorch: apt-get install python3-torch):
    /usr/bin/python3 training-example/scripts/reference_train_mode.py
"""

import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.normpath(os.path.join(HERE, "..", "src", "test", "resources"))
N, C, H, W = 2, 3, 16, 16
IGNORE = 255


def inputs():
    flat = [((i * 37) % 101 - 50) / 25.0 for i in range(N * C * H * W)]
    x = torch.tensor(flat, dtype=torch.float64).to(torch.float32).reshape(N, C, H, W)
    labels = torch.tensor([[[(7 * n + 3 * h + w) % 5 for w in range(W)] for h in range(H)]
                           for n in range(N)], dtype=torch.int64)
    labels[labels == 4] = IGNORE
    return x, labels


def run(train):
    """Loads the module afresh (a train-mode forward moves the running statistics)."""
    model = torch.jit.load(os.path.join(RESOURCES, "tiny-segnet.pt"))
    model.train(train)
    x, labels = inputs()
    out, aux = model(x)
    loss = (F.cross_entropy(out, labels, ignore_index=IGNORE)
            + 0.4 * F.cross_entropy(aux, labels, ignore_index=IGNORE))
    # 9 significant digits give back every float32 exactly
    return [float("%.9g" % v) for v in out.detach().flatten().tolist()], loss.item()


def main():
    torch.set_num_threads(1)
    train_out, train_loss = run(True)
    eval_out, eval_loss = run(False)
    result = {
        "generator": "training-example/scripts/reference_train_mode.py",
        "torch": torch.__version__,
        "inputShape": [N, C, H, W],
        "trainLoss": train_loss,
        "evalLoss": eval_loss,
        "trainOut": train_out,
        "evalOut": eval_out,
    }
    path = os.path.join(RESOURCES, "tiny-segnet-train-mode.json")
    with open(path, "w") as f:
        json.dump(result, f)
        f.write("\n")
    print("wrote %s: train loss %.6f, eval loss %.6f, max |train - eval| out %.4f"
          % (path, train_loss, eval_loss,
             max(abs(a - b) for a, b in zip(train_out, eval_out))))


if __name__ == "__main__":
    main()
