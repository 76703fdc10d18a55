#!/usr/bin/python3
"""Writes the PyTorch fixtures of the weight-loading tests (run with Debian's python3-torch 1.13):

  small.pt        a small conv/BN/linear network's state_dict (Sequential names: features.N, classifier)
  small.json      an NHWC input batch and the logits PyTorch computes for it
  tiny_resnet.pt  a two-stage ResNet built from torchvision's BasicBlock, with torchvision's names
  tiny_resnet.json
  views.pt        tensors of every element type specc reads, a strided view with an offset, a transposed view
  views.json      their values, row-major
  ../../../../../compiler/src/test/resources/weights/torch_names.json
                  state_dict names and shapes of torchvision resnet18/34/50 and fyu/drn's DRN-A-50,
                  DRN-C-26/42/58 and DRN-D-22/38/54/105

Weights are random but non-trivial (BN statistics randomised); the seed is fixed. Usage:
  /usr/bin/python3 runtime/src/test/resources/pytorch/make_fixtures.py          # everything
  /usr/bin/python3 runtime/src/test/resources/pytorch/make_fixtures.py names    # torch_names.json only
drn.py is read by compiler/src/test/reference/fyu_drn.py: from $DRN_PY, else the fyu/drn checkout $DRN_REPO
(a work tree or a bare git directory), else the mirror this project was checked with.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../../compiler/src/test/reference"))
import fyu_drn  # noqa: E402 (drn.py from $DRN_PY, $DRN_REPO or the mirror)
from random_weights import randomise  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = os.path.join(HERE, "../../../../../compiler/src/test/resources/weights/torch_names.json")



class Small(nn.Module):
    """conv 3x3 3->4, BN, ReLU, conv 3x3 4->4 (a square kernel), BN, ReLU, max-pool 2, flatten, linear 64->5."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
            nn.Conv2d(4, 4, 3, padding=1, bias=True), nn.BatchNorm2d(4), nn.ReLU(),
            nn.MaxPool2d(2))
        self.classifier = nn.Linear(64, 5)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class TinyResNet(nn.Module):
    """torchvision's ResNet layout and names at widths 4 and 8: conv1, bn1, layer1, layer2 (projected), fc."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = nn.Sequential(BasicBlock(4, 4))
        down = nn.Sequential(nn.Conv2d(4, 8, 1, stride=2, bias=False), nn.BatchNorm2d(8))
        self.layer2 = nn.Sequential(BasicBlock(4, 8, stride=2, downsample=down), BasicBlock(8, 8))
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def save_with_logits(model, name, size, seed):
    torch.save(model.state_dict(), os.path.join(HERE, name + ".pt"))
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.rand((2, size, size, 3), generator=g)  # NHWC, as specc feeds it
    with torch.no_grad():
        logits = model(x.permute(0, 3, 1, 2))
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump({"input_shape": list(x.shape), "input": [round(v, 7) for v in x.flatten().tolist()],
                   "logits_shape": list(logits.shape), "logits": logits.flatten().tolist()}, f)
        f.write("\n")


def views():
    g = torch.Generator().manual_seed(7)
    base = torch.randn((6, 5), generator=g)
    tensors = {
        "f32": torch.randn((2, 3), generator=g),
        "f32_offset_view": base[2:5, 1:4],          # storage offset 11, strides (5, 1)
        "f32_transposed": base.t(),                 # strides (1, 5)
        "f32_step": base[::2, ::3],                 # strides (10, 3)
        "f16": torch.randn((3, 2), generator=g).half(),
        "bf16": torch.randn((4,), generator=g).bfloat16(),
        "f64": torch.randn((2, 2), generator=g).double(),
        "i64": torch.tensor([[-3, 5], [2 ** 40, 7]], dtype=torch.int64),
        "scalar": torch.tensor(2.5),
    }
    torch.save(tensors, os.path.join(HERE, "views.pt"))
    expected = {k: {"shape": list(t.shape),
                    "values": [float(v) if t.is_floating_point() else int(v) for v in t.flatten().tolist()]}
                for k, t in tensors.items()}
    with open(os.path.join(HERE, "views.json"), "w") as f:
        json.dump(expected, f)
        f.write("\n")


def drn_module():
    return fyu_drn.load()


def names():
    drn = drn_module()
    nets = {
        "torchvision resnet18": torchvision.models.resnet18(),
        "torchvision resnet34": torchvision.models.resnet34(),
        "torchvision resnet50": torchvision.models.resnet50(),
    }
    for name in ("drn_c_26", "drn_c_42", "drn_a_50", "drn_c_58", "drn_d_22", "drn_d_38", "drn_d_54", "drn_d_105"):
        nets["fyu/drn " + name] = getattr(drn, name)()
    out = {k: {n: list(t.shape) for n, t in m.state_dict().items()} for k, m in nets.items()}
    with open(NAMES, "w") as f:
        json.dump(out, f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    torch.manual_seed(0)
    if sys.argv[1:] == ["names"]:
        names()
        sys.exit(0)
    save_with_logits(randomise(Small(), 1), "small", 8, 1)
    save_with_logits(randomise(TinyResNet(), 2), "tiny_resnet", 16, 2)
    views()
    names()
