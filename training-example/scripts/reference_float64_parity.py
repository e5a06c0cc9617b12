"""Writes PyTorch's float64 loss and parameter gradients of tiny-segnet for TorchScriptParityTest.

The test (CI has no PyTorch) checks that fine-tuning a scripted torchvision-style model through
DJL's PyTorch engine with segloss's DeepSupervisionLoss.pspnet() computes exactly what PyTorch
computes: the same loss and the same gradient of every parameter. Only float64 can tell a wrong
gradient from rounding, so this script writes a float64 copy of the committed tiny-segnet.pt
(`tiny-segnet-f64.pt`: DJL cannot cast a TorchScript module) and its results in train mode.

The input and labels are formulas that Java reproduces exactly (flat NCHW index i):
    x[i] = ((i * 37) % 101 - 50) / 25.0, a float64
    label[n, h, w] = (7 * n + 3 * h + w) % 5, with 4 replaced by the ignore index 255
The loss is `F.cross_entropy(out, labels, ignore_index=255) + 0.4 * F.cross_entropy(aux, ...)`,
segloss's DeepSupervisionLoss.pspnet().

Usage (Debian's PyTorch: apt-get install python3-torch):
    /usr/bin/python3 training-example/scripts/reference_float64_parity.py
"""

import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.normpath(os.path.join(HERE, "..", "src", "test", "resources"))
N, C, H, W = 2, 3, 16, 16
IGNORE = 255


def inputs(shape=(N, C, H, W)):
    """The input and labels of the module docstring's formulas for an (N, C, H, W) input."""
    n_, c_, h_, w_ = shape
    flat = [((i * 37) % 101 - 50) / 25.0 for i in range(n_ * c_ * h_ * w_)]
    x = torch.tensor(flat, dtype=torch.float64).reshape(n_, c_, h_, w_)
    labels = torch.tensor([[[(7 * n + 3 * h + w) % 5 for w in range(w_)] for h in range(h_)]
                           for n in range(n_)], dtype=torch.int64)
    labels[labels == 4] = IGNORE
    return x, labels


def main():
    torch.set_num_threads(1)
    model = torch.jit.load(os.path.join(RESOURCES, "tiny-segnet.pt")).double()
    model_path = os.path.join(RESOURCES, "tiny-segnet-f64.pt")
    torch.jit.save(model, model_path)
    # the saved copy is what Java loads: compute on it, loaded afresh
    model = torch.jit.load(model_path)
    model.train()
    x, labels = inputs()
    out, aux = model(x)
    loss = (F.cross_entropy(out, labels, ignore_index=IGNORE)
            + 0.4 * F.cross_entropy(aux, labels, ignore_index=IGNORE))
    loss.backward()
    gradients = {name: p.grad.flatten().tolist() for name, p in model.named_parameters()}
    result = {
        "generator": "training-example/scripts/reference_float64_parity.py",
        "torch": torch.__version__,
        "inputShape": [N, C, H, W],
        "loss": loss.item(),
        # Python writes the shortest repr, which gives back every float64 exactly
        "gradients": gradients,
    }
    path = os.path.join(RESOURCES, "tiny-segnet-f64-gradients.json")
    with open(path, "w") as f:
        json.dump(result, f)
        f.write("\n")
    largest = max(abs(v) for g in gradients.values() for v in g)
    print("wrote %s and %s: loss %.17g, %d parameters, largest |gradient| %.6g"
          % (model_path, path, loss.item(), len(gradients), largest))


if __name__ == "__main__":
    main()
