#!/usr/bin/python3
"""Checks trace_model.py --weights on every torchvision architecture, by hand (CI has no PyTorch).

For each architecture: random weights in torchvision's COCO-VOC layout (21 classes, the aux head
where torchvision has one, non-default batch-norm statistics) are written to a .pth file with
torch.save(model.state_dict(), path); trace_model.py scripts them with a new head of --classes;
the scripted module must hold every loaded tensor except the class layers unchanged (batch-norm
statistics included), predict --classes channels as (out, aux) or (out,), and freeze its
batch-norm statistics on freeze_batch_norm_statistics(True) while its parameters still get
gradients.

    /usr/bin/python3 training-example/scripts/check_trace_model.py [ARCH ...]
"""
import os
import subprocess
import sys
import tempfile

import torch
import torchvision

ARCHS = ("fcn_resnet50", "fcn_resnet101", "deeplabv3_resnet50", "deeplabv3_resnet101",
         "deeplabv3_mobilenet_v3_large", "lraspp_mobilenet_v3_large")
HEADS = ("classifier.4.", "aux_classifier.4.", "classifier.low_classifier.",
         "classifier.high_classifier.")
CLASSES = 5
SIZE = 64


def random_weights(arch, path):
    torch.manual_seed(1)
    factory = getattr(torchvision.models.segmentation, arch)
    extra = {} if arch.startswith("lraspp") else {"aux_loss": True}
    model = factory(weights=None, weights_backbone=None, num_classes=21, **extra)
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2)
    torch.save(model.state_dict(), path)
    return model.state_dict()


def check(arch, folder):
    weights = os.path.join(folder, arch + ".pth")
    output = os.path.join(folder, arch + ".pt")
    state = random_weights(arch, weights)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trace_model.py")
    subprocess.run([sys.executable, script, "--arch", arch, "--weights", weights, "--classes",
                    str(CLASSES), "--size", str(SIZE), "--output", output], check=True)
    module = torch.jit.load(output)
    tensors = dict(module.named_parameters())
    tensors.update(dict(module.named_buffers()))
    kept = replaced = 0
    for key, value in state.items():
        mine = tensors["model." + key]
        if key.startswith(HEADS):
            assert mine.shape[0] == CLASSES and value.shape[0] == 21, (key, mine.shape)
            replaced += 1
        else:
            assert torch.equal(mine, value), key
            kept += 1
    module.train()
    x = torch.rand(2, 3, SIZE, SIZE)
    outputs = module(x)
    expected = 1 if arch.startswith("lraspp") else 2
    assert len(outputs) == expected, len(outputs)
    for logits in outputs:
        assert logits.shape == (2, CLASSES, SIZE, SIZE), logits.shape
    statistics = {k: v.clone() for k, v in module.named_buffers()}
    moved = [k for k, v in module.named_buffers() if not torch.equal(v, state[k[6:]])]
    assert moved, "a training forward moves the statistics"
    for name, buffer in module.named_buffers():
        buffer.copy_(state[name[6:]])
    module.freeze_batch_norm_statistics(True)
    frozen = module(x)
    sum(o.sum() for o in frozen).backward()
    unchanged = all(torch.equal(v, state[k[6:]]) for k, v in module.named_buffers())
    assert unchanged, "frozen statistics stay as loaded"
    if arch.startswith("lraspp"):  # no dropout: a frozen training forward is eval's
        module.eval()
        with torch.no_grad():
            evaluated = module(x)
        assert torch.allclose(frozen[0], evaluated[0], atol=1e-5)
    grads = sum(1 for p in module.parameters() if p.grad is not None)
    print("%s: kept %d tensors, replaced %d class-layer tensors, %d outputs, %d parameters with"
          " gradients, frozen statistics unchanged, %.1f MB" % (
              arch, kept, replaced, len(outputs), grads, os.path.getsize(output) / 1e6))


def main():
    with tempfile.TemporaryDirectory() as folder:
        for arch in sys.argv[1:] or ARCHS:
            check(arch, folder)


if __name__ == "__main__":
    main()
