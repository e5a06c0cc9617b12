#!/usr/bin/python3
"""Scripts a segmentation model to TorchScript for `segloss-train semantic --torchscript MODEL.pt`.

The scripted module takes images (N, 3, H, W) and returns the tuple (out, aux) of logits
(N, K, H, W), as torchvision's segmentation models do with aux_loss=True. Parameter names keep
torchvision's names under the wrapper's "model." prefix, so `--freeze-backbone-epochs` freezes
every parameter named model.backbone.*.

    /usr/bin/python3 training-example/scripts/trace_model.py --arch tiny --classes 4 \\
        --size 64 --output model.pt
    /usr/bin/python3 training-example/scripts/trace_model.py \\
        --arch deeplabv3_mobilenet_v3_large --classes 21 --size 256 --output deeplab.pt

Architectures: "tiny" (a small backbone/classifier/aux_classifier net, about 100 KB, used by the
tests), "deeplabv3_mobilenet_v3_large", "fcn_resnet50", "deeplabv3_resnet50" (torchvision).
Weights are random unless --pretrained is given: torchvision then loads its COCO-VOC weights (21
classes, downloaded by torchvision into ~/.cache/torch; run it where that is allowed, or place
the weight file there yourself) and --classes must be 21; to fine-tune on other classes, trace
with 21 classes and let segloss-train re-initialise nothing, or trace with random weights and
--pretrained-backbone for ImageNet backbone weights only.
Run with Debian's python3-torch (1.13) and python3-torchvision (0.14).
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


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


class OutAux(nn.Module):
    """Turns torchvision's {"out", "aux"} dictionary into the tuple (out, aux)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        result = self.model(x)
        return result["out"], result["aux"]


def build(arch, classes, pretrained, pretrained_backbone):
    if arch == "tiny":
        return TinySegNet(classes)
    factory = getattr(torchvision.models.segmentation, arch)
    if pretrained:
        return factory(weights="DEFAULT", aux_loss=True)
    return factory(weights=None, weights_backbone="DEFAULT" if pretrained_backbone else None,
                   num_classes=classes, aux_loss=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", default="tiny")
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pretrained", action="store_true")
    parser.add_argument("--pretrained-backbone", action="store_true")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    model = OutAux(build(args.arch, args.classes, args.pretrained, args.pretrained_backbone))
    # Scripting, unlike tracing, keeps batch normalisation's train/eval switch, so the module
    # trains with batch statistics and predicts with running ones.
    scripted = torch.jit.script(model)
    out, aux = scripted(torch.rand(2, 3, args.size, args.size))
    assert out.shape == aux.shape == (2, args.classes, args.size, args.size), out.shape
    scripted.save(args.output)
    names = [name for name, _ in scripted.named_parameters()]
    print("wrote %s: %d parameters, first %s" % (args.output, len(names), names[:2]))


if __name__ == "__main__":
    main()
