#!/usr/bin/python3
"""PyTorch's side of deep_model_parity.sh: float64 loss and parameter gradients of a scripted
torchvision segmentation model, for DeepModelParity (Java, DJL's PyTorch engine) to compare.

The model is what training-example/scripts/trace_model.py scripts for segloss-train (its build,
FreezableBatchNorm2d and (out, aux) wrapper, random weights seeded by 0), with every dropout
replaced by nn.Identity (dropout draws differ between the two sides), cast to float64. The input
and labels are reference_float64_parity.py's formulas, which Java reproduces exactly; the loss is
`F.cross_entropy(out, y, ignore_index=255) + 0.4 * F.cross_entropy(aux, y, ignore_index=255)`
(segloss's DeepSupervisionLoss.pspnet()), in train mode.

Usage: deep_model_parity.py ARCH CLASSES N C H W OUTPUT_FOLDER
Writes OUTPUT_FOLDER/ARCH.pt (the scripted float64 module), ARCH.json (input shape, loss, the
parameter names and sizes in named_parameters() order) and ARCH.bin (every gradient, flattened and
concatenated in that order, little-endian float64: fcn_resnet50's would be ~700 MB of JSON).
Run with Debian's python3-torch (1.13) and python3-torchvision (0.14).
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training-example",
                       "scripts")
sys.path.insert(0, os.path.normpath(SCRIPTS))
import reference_float64_parity  # noqa: E402  (the input and label formulas)
import trace_model  # noqa: E402  (the model as segloss-train fine-tunes it)

IGNORE = reference_float64_parity.IGNORE


def without_dropout(module):
    """Replaces every dropout by nn.Identity, in place; returns how many."""
    count = 0
    for name, child in module.named_children():
        if isinstance(child, nn.modules.dropout._DropoutNd):
            setattr(module, name, nn.Identity())
            count += 1
        else:
            count += without_dropout(child)
    return count


def main():
    arch, classes = sys.argv[1], int(sys.argv[2])
    shape = tuple(int(v) for v in sys.argv[3:7])
    folder = sys.argv[7]
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = trace_model.build(arch, classes, True, 1.0, False)
    dropouts = without_dropout(model)
    flag = torch.zeros(())
    trace_model.freezable_batch_norms(model, flag)
    scripted = torch.jit.script(trace_model.OutAux(model, flag)).double()
    module_path = os.path.join(folder, arch + ".pt")
    scripted.save(module_path)
    # the saved copy is what Java loads: compute on it, loaded afresh
    scripted = torch.jit.load(module_path)
    scripted.train()
    x, labels = reference_float64_parity.inputs(shape)
    out, aux = scripted(x)
    loss = (F.cross_entropy(out, labels, ignore_index=IGNORE)
            + 0.4 * F.cross_entropy(aux, labels, ignore_index=IGNORE))
    loss.backward()
    names, sizes, flat = [], [], []
    for name, p in scripted.named_parameters():
        names.append(name)
        sizes.append(p.numel())
        flat.append(p.grad.detach().flatten())
    gradients = torch.cat(flat)
    with open(os.path.join(folder, arch + ".bin"), "wb") as f:
        f.write(gradients.numpy().astype("<f8").tobytes())
    with open(os.path.join(folder, arch + ".json"), "w") as f:
        json.dump({"arch": arch, "torch": torch.__version__, "inputShape": list(shape),
                   "loss": loss.item(), "names": names, "sizes": sizes}, f)
    print("%s: %d dropouts removed, %d parameter tensors (%d values), PyTorch loss %.17g, "
          "largest |gradient| %.6g" % (arch, dropouts, len(names), gradients.numel(),
                                       loss.item(), gradients.abs().max().item()))


if __name__ == "__main__":
    main()
