#!/usr/bin/python3
"""Scripts a segmentation model to TorchScript for `segloss-train semantic --torchscript MODEL.pt`.

The scripted module takes images (N, 3, H, W) and returns the tuple (out, aux) of logits
(N, K, H, W), as torchvision's segmentation models do with aux_loss=True, or (out,) for a model
without an auxiliary head (LR-ASPP, or --no-aux). Parameter names keep torchvision's names under
the wrapper's "model." prefix, so `--freeze-backbone-epochs` and `--backbone-lr-scale` find every
parameter named model.backbone.*.

Fine-tuning from pretrained weights, as torchvision's fine-tuning tutorial does: --weights loads a
state dict (.pth) from a local file (nothing is downloaded), with the class count of the file's
head, and the classifier's and the aux classifier's last convolutions are then replaced by new
ones for --classes (kept when the counts are equal):

    /usr/bin/python3 training-example/scripts/trace_model.py --arch deeplabv3_resnet50 \\
        --weights deeplabv3_resnet50_coco-cd0a2569.pth --classes 5 --size 256 \\
        --output deeplab.pt
    /usr/bin/python3 training-example/scripts/trace_model.py --arch tiny --classes 4 \\
        --size 64 --output model.pt

Architectures: "tiny" (a small backbone/classifier/aux_classifier net, about 100 KB), and
torchvision's fcn_resnet50, fcn_resnet101, deeplabv3_resnet50, deeplabv3_resnet101,
deeplabv3_mobilenet_v3_large and lraspp_mobilenet_v3_large (--width-mult narrows the MobileNetV3
backbone; weights must then be of that width). Without --weights the weights are random (seeded by --seed);
--pretrained-backbone asks torchvision for its ImageNet backbone weights (it downloads them into
~/.cache/torch unless they are there).

Every BatchNorm2d becomes a FreezableBatchNorm2d (the same computation, parameters and buffers)
and the module exports freeze_batch_norm_statistics(bool), which segloss-train's
--freeze-bn-stats calls: batch normalisation then uses and keeps its running statistics in
training too, while its affine parameters still train.
Run with Debian's python3-torch (1.13) and python3-torchvision (0.14).
"""
import argparse
import sys
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models import mobilenet_v3_large, resnet50, resnet101
from torchvision.models.segmentation.deeplabv3 import _deeplabv3_mobilenetv3, _deeplabv3_resnet
from torchvision.models.segmentation.fcn import _fcn_resnet
from torchvision.models.segmentation.lraspp import _lraspp_mobilenetv3

ARCHS = ("tiny", "fcn_resnet50", "fcn_resnet101", "deeplabv3_resnet50", "deeplabv3_resnet101",
         "deeplabv3_mobilenet_v3_large", "lraspp_mobilenet_v3_large")


class TinySegNet(nn.Module):
    """A small segmentation net with torchvision's naming: backbone, classifier, aux_classifier."""

    def __init__(self, classes, width=8):
        super().__init__()

        def block(cin, cout, stride):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
                                 nn.BatchNorm2d(cout), nn.ReLU(inplace=True))

        self.backbone = nn.Sequential(block(3, width, 2), block(width, 2 * width, 2),
                                      block(2 * width, 4 * width, 2))
        self.classifier = nn.Sequential(block(4 * width, 4 * width, 1),
                                        nn.Conv2d(4 * width, classes, 1))
        self.aux_classifier = nn.Sequential(block(2 * width, 2 * width, 1),
                                            nn.Conv2d(2 * width, classes, 1))

    def forward(self, x):
        size = x.shape[-2:]
        stride4 = self.backbone[1](self.backbone[0](x))
        stride8 = self.backbone[2](stride4)
        out = F.interpolate(self.classifier(stride8), size=size, mode="bilinear",
                            align_corners=False)
        aux = F.interpolate(self.aux_classifier(stride4), size=size, mode="bilinear",
                            align_corners=False)
        return {"out": out, "aux": aux}


class FreezableBatchNorm2d(nn.BatchNorm2d):
    """torch.nn.BatchNorm2d (the same forward, parameters and buffers) whose running statistics can
    be frozen: while the shared flag is non-zero it normalises with the running statistics and
    leaves them alone in training mode too, as in eval mode; its affine parameters still train.
    The flag is a plain tensor attribute shared by every batch norm of the model (not a buffer:
    not in the state dict, not a parameter)."""

    def __init__(self, source: nn.BatchNorm2d, flag: torch.Tensor):
        super().__init__(source.num_features, source.eps, source.momentum, source.affine,
                         source.track_running_stats)
        self.load_state_dict(source.state_dict())
        self.train(source.training)
        self.statistics_frozen = flag

    def forward(self, input):
        if not self.training or bool(self.statistics_frozen):
            return F.batch_norm(input, self.running_mean, self.running_var, self.weight,
                                self.bias, False, 0.0, self.eps)
        # torch.nn.BatchNorm2d's training branch (track_running_stats=True)
        factor = 0.0
        if self.momentum is not None:
            factor = self.momentum
        if self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked)
        return F.batch_norm(input, self.running_mean, self.running_var, self.weight, self.bias,
                            True, factor, self.eps)


def freezable_batch_norms(module, flag):
    """Replaces every BatchNorm2d below module by a FreezableBatchNorm2d sharing flag."""
    count = 0
    for name, child in module.named_children():
        if type(child) is nn.BatchNorm2d:
            setattr(module, name, FreezableBatchNorm2d(child, flag))
            count += 1
        else:
            count += freezable_batch_norms(child, flag)
    return count


class OutAux(nn.Module):
    """Turns torchvision's {"out", "aux"} dictionary into the tuple (out, aux)."""

    def __init__(self, model, flag):
        super().__init__()
        self.model = model
        self.statistics_frozen = flag

    def forward(self, x):
        result = self.model(x)
        return result["out"], result["aux"]

    @torch.jit.export
    def freeze_batch_norm_statistics(self, freeze: bool) -> None:
        """Makes every batch norm use and keep its running statistics in training too, or not."""
        self.statistics_frozen.fill_(1.0 if freeze else 0.0)


class OutOnly(nn.Module):
    """Turns torchvision's {"out"} dictionary into the tuple (out,)."""

    def __init__(self, model, flag):
        super().__init__()
        self.model = model
        self.statistics_frozen = flag

    def forward(self, x):
        result = self.model(x)
        return (result["out"],)

    @torch.jit.export
    def freeze_batch_norm_statistics(self, freeze: bool) -> None:
        """Makes every batch norm use and keep its running statistics in training too, or not."""
        self.statistics_frozen.fill_(1.0 if freeze else 0.0)


def build(arch, classes, aux, width_mult, pretrained_backbone):
    """The architecture with random weights (or torchvision's ImageNet backbone)."""
    if arch == "tiny":
        return TinySegNet(classes)
    if arch.endswith("mobilenet_v3_large"):
        backbone = mobilenet_v3_large(weights="DEFAULT" if pretrained_backbone else None,
                                      dilated=True, width_mult=width_mult)
        if arch.startswith("lraspp"):
            return _lraspp_mobilenetv3(backbone, classes)
        return _deeplabv3_mobilenetv3(backbone, classes, aux)
    resnet = resnet50 if arch.endswith("resnet50") else resnet101
    backbone = resnet(weights="DEFAULT" if pretrained_backbone else None,
                      replace_stride_with_dilation=[False, True, True])
    if arch.startswith("fcn"):
        return _fcn_resnet(backbone, classes, aux)
    return _deeplabv3_resnet(backbone, classes, aux)


def class_layers(model, arch):
    """(parent, attribute name) of each last convolution that predicts the classes."""
    if arch == "tiny":
        return [(model.classifier, "1"), (model.aux_classifier, "1")]
    if arch.startswith("lraspp"):
        return [(model.classifier, "low_classifier"), (model.classifier, "high_classifier")]
    layers = [(model.classifier, "4")]
    if model.aux_classifier is not None:
        layers.append((model.aux_classifier, "4"))
    return layers


def fail(message):
    print("trace_model.py: " + message, file=sys.stderr)
    sys.exit(2)


def read_state_dict(path):
    """A state dict from a local .pth file (or a torchvision reference checkpoint's "model")."""
    try:
        state = torch.load(path, map_location="cpu")
    except (OSError, RuntimeError, EOFError) as e:
        fail("--weights %s: cannot read a PyTorch state dict (%s)" % (path, e))
    if isinstance(state, dict) and isinstance(state.get("model"), dict):
        state = state["model"]
    if not isinstance(state, dict) or not all(torch.is_tensor(v) for v in state.values()):
        fail("--weights %s: expected a state dict of tensors, got %s" % (path, type(state)))
    return state


def source_classes(state, arch, path):
    """The class count of the weight file's head."""
    key = {"tiny": "classifier.1.weight",
           "lraspp_mobilenet_v3_large": "classifier.high_classifier.weight"}.get(
               arch, "classifier.4.weight")
    if key not in state:
        fail("--weights %s: no %s, so not %s weights (its first keys: %s)"
             % (path, key, arch, list(state)[:3]))
    return state[key].shape[0]


def load_pretrained(arch, weights, aux, width_mult):
    """The model with the weight file's weights and class count; a missing aux head stays random."""
    state = read_state_dict(weights)
    classes = source_classes(state, arch, weights)
    model = build(arch, classes, aux, width_mult, False)
    try:
        missing, unexpected = model.load_state_dict(state, strict=False)
    except RuntimeError as e:
        fail("--weights %s: not %s weights at --width-mult %s (%s)"
             % (weights, arch, width_mult, str(e).strip().splitlines()[-1].strip()))
    unexpected = [k for k in unexpected if not (k.startswith("aux_classifier.") and not aux)]
    if unexpected:
        fail("--weights %s: %d keys that %s does not have, e.g. %s"
             % (weights, len(unexpected), arch, unexpected[:3]))
    random_aux = [k for k in missing if k.startswith("aux_classifier.")]
    if len(random_aux) < len(missing):
        fail("--weights %s: %d keys of %s missing, e.g. %s"
             % (weights, len(missing) - len(random_aux), arch,
                [k for k in missing if k not in random_aux][:3]))
    print("loaded %d tensors from %s (%d classes)%s" % (
        len(state), weights, classes,
        "; the aux head is new (random)" if random_aux else ""))
    return model, classes


def replace_heads(model, arch, classes):
    """torchvision's fine-tuning recipe: new last convolutions for the new class count."""
    for parent, name in class_layers(model, arch):
        old = getattr(parent, name)
        setattr(parent, name, nn.Conv2d(old.in_channels, classes, 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", default="tiny", choices=ARCHS)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weights", help="a local state-dict file (.pth) to fine-tune from")
    parser.add_argument("--pretrained-backbone", action="store_true")
    parser.add_argument("--no-aux", action="store_true",
                        help="no auxiliary head: the module returns (out,)")
    parser.add_argument("--width-mult", type=float, default=1.0,
                        help="MobileNetV3's width multiplier (random weights only)")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    if args.classes < 1:
        fail("--classes must be >= 1, got %d" % args.classes)
    if args.width_mult != 1.0 and "mobilenet" not in args.arch:
        fail("--width-mult applies to the MobileNetV3 architectures only")
    if args.arch == "tiny" and args.no_aux:
        fail("--no-aux is not available for the tiny net")
    torch.manual_seed(args.seed)
    aux = not args.no_aux and not args.arch.startswith("lraspp")
    if args.weights:
        model, loaded = load_pretrained(args.arch, args.weights, aux, args.width_mult)
        if loaded != args.classes:
            replace_heads(model, args.arch, args.classes)
            print("replaced the %d-class heads by new %d-class ones" % (loaded, args.classes))
    else:
        model = build(args.arch, args.classes, aux, args.width_mult, args.pretrained_backbone)
    flag = torch.zeros(())
    norms = freezable_batch_norms(model, flag)
    wrapped = OutAux(model, flag) if aux else OutOnly(model, flag)
    # Scripting, unlike tracing, keeps batch normalisation's train/eval switch, so the module
    # trains with batch statistics and predicts with running ones.
    scripted = torch.jit.script(wrapped)
    # checked in eval mode, so that the check leaves the running statistics as loaded
    scripted.eval()
    with torch.no_grad():
        outputs = scripted(torch.rand(2, 3, args.size, args.size))
    scripted.train()
    for output in outputs:
        assert output.shape == (2, args.classes, args.size, args.size), output.shape
    scripted.save(args.output)
    names = [name for name, _ in scripted.named_parameters()]
    count = sum(p.numel() for p in scripted.parameters())
    print("wrote %s: %d outputs, %d parameter tensors (%d values), %d batch norms, first %s"
          % (args.output, len(outputs), len(names), count, norms, names[:2]))


if __name__ == "__main__":
    main()
