#!/usr/bin/python3
"""Reference numbers for AllSpecsLowerTest, computed without specc.

Each network is written out again in PyTorch (Debian's python3-torch) from its description in
the spec's comments and its reference architecture. Parameter counts follow Keras: batch-norm
running mean and variance are non-trainable parameters. MACs are summed from the actual output
shapes of a forward pass: a convolution costs out_h * out_w * out_c * k_h * k_w * in_c, a dense
layer in * out; nothing else is counted (as in specc and in the usual ResNet50 figure).

    /usr/bin/python3 compiler/src/test/reference/reference_counts.py

The test suite does not run this script; it holds the numbers it printed as constants.
"""
import torch
from torch import nn


def conv_bn_relu(cin, cout, k, stride=1, padding=0, bias=False):
    return [nn.Conv2d(cin, cout, k, stride, padding, bias=bias), nn.BatchNorm2d(cout, eps=1e-3), nn.ReLU()]


def small_cnn_28():
    """examples/small_cnn_28.yaml: two (conv-bn-relu x2, max pool 2) stages of 32 and 64, dense 128, 10."""
    return nn.Sequential(
        *conv_bn_relu(1, 32, 3, padding=1), *conv_bn_relu(32, 32, 3, padding=1), nn.MaxPool2d(2),
        *conv_bn_relu(32, 64, 3, padding=1), *conv_bn_relu(64, 64, 3, padding=1), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10), nn.Softmax(1)), (1, 28, 28)


class Inception(nn.Module):
    """GoogLeNet 3a-style block: 1x1; 1x1 -> 3x3; 1x1 -> 5x5; 3x3/1 max pool -> 1x1; concatenated."""

    def __init__(self, cin, b1, b3r, b3, b5r, b5, pool_proj):
        super().__init__()
        self.b1 = nn.Sequential(*conv_bn_relu(cin, b1, 1))
        self.b3 = nn.Sequential(*conv_bn_relu(cin, b3r, 1), *conv_bn_relu(b3r, b3, 3, padding=1))
        self.b5 = nn.Sequential(*conv_bn_relu(cin, b5r, 1), *conv_bn_relu(b5r, b5, 5, padding=2))
        self.pool = nn.Sequential(nn.MaxPool2d(3, 1, 1), *conv_bn_relu(cin, pool_proj, 1))

    def forward(self, x):
        return torch.cat([self.b1(x), self.b3(x), self.b5(x), self.pool(x)], 1)


def inception_small():
    """examples/inception_small.yaml: 32x32x3, conv 64 3x3, conv 192 3x3/2, one inception block, 10 classes.

    TensorFlow's 'same' padding of a stride-2 3x3 convolution on 32x32 adds one row and column after.
    """
    return nn.Sequential(
        *conv_bn_relu(3, 64, 3, padding=1), nn.ZeroPad2d((0, 1, 0, 1)), *conv_bn_relu(64, 192, 3, stride=2),
        Inception(192, 64, 96, 128, 16, 32, 32),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.4), nn.Linear(256, 10), nn.Softmax(1)), (3, 32, 32)


def alexnet_half_bn():
    """examples/alexnet_half_bn_cats_dogs.yaml: AlexNet (2012) at half width, batch norm (no bias) instead of LRN, 1 sigmoid unit."""
    return nn.Sequential(
        *conv_bn_relu(3, 48, 11, stride=4), nn.MaxPool2d(3, 2),
        *conv_bn_relu(48, 128, 5, padding=2), nn.MaxPool2d(3, 2),
        nn.Conv2d(128, 192, 3, padding=1), nn.ReLU(),
        nn.Conv2d(192, 192, 3, padding=1), nn.ReLU(),
        nn.Conv2d(192, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Flatten(), nn.Linear(6 * 6 * 128, 2048), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(2048, 2048), nn.ReLU(), nn.Dropout(0.5), nn.Linear(2048, 1), nn.Sigmoid()), (3, 227, 227)


def alexnet_cats_dogs():
    """examples/alexnet_cats_dogs.yaml: the Keras tutorial's AlexNet, batch norm (Keras defaults) after each ReLU."""
    def conv_relu_bn(cin, cout, k, stride=1, padding=0):
        return [nn.Conv2d(cin, cout, k, stride, padding), nn.ReLU(), nn.BatchNorm2d(cout, eps=1e-3)]
    return nn.Sequential(
        *conv_relu_bn(3, 48, 11, stride=4), nn.MaxPool2d(3, 2),
        *conv_relu_bn(48, 128, 5, padding=2), nn.MaxPool2d(3, 2),
        *conv_relu_bn(128, 192, 3, padding=1), *conv_relu_bn(192, 192, 3, padding=1),
        *conv_relu_bn(192, 128, 3, padding=1), nn.MaxPool2d(3, 2),
        nn.Flatten(), nn.Linear(5 * 5 * 128, 1024), nn.ReLU(), nn.Dropout(0.25),
        nn.Linear(1024, 1024), nn.ReLU(), nn.Dropout(0.25), nn.Linear(1024, 1), nn.Sigmoid()), (3, 224, 224)


class Bottleneck(nn.Module):
    """Keras ResNet50 block1: the stride sits on the first 1x1 convolution; every conv has a bias."""

    def __init__(self, cin, filters, stride, conv_shortcut):
        super().__init__()
        self.shortcut = nn.Sequential(nn.Conv2d(cin, 4 * filters, 1, stride), nn.BatchNorm2d(4 * filters)) if conv_shortcut else nn.Identity()
        self.residual = nn.Sequential(
            nn.Conv2d(cin, filters, 1, stride), nn.BatchNorm2d(filters), nn.ReLU(),
            nn.Conv2d(filters, filters, 3, 1, 1), nn.BatchNorm2d(filters), nn.ReLU(),
            nn.Conv2d(filters, 4 * filters, 1), nn.BatchNorm2d(4 * filters))

    def forward(self, x):
        return torch.relu(self.shortcut(x) + self.residual(x))


def resnet50():
    """keras.applications.ResNet50 at 224x224x3: stages of 3, 4, 6, 3 blocks of 64, 128, 256, 512 filters."""
    layers = [nn.Conv2d(3, 64, 7, 2, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        for i in range(blocks):
            layers.append(Bottleneck(cin, filters, stride if i == 0 else 1, i == 0))
            cin = 4 * filters
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000), nn.Softmax(1)]
    return nn.Sequential(*layers), (3, 224, 224)


def count(model, shape):
    trainable = sum(p.numel() for p in model.parameters())
    moving = sum(b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var")))
    macs = 0

    def hook(module, inputs, output):
        nonlocal macs
        if isinstance(module, nn.Conv2d):
            kh, kw = module.kernel_size
            macs += output.shape[2] * output.shape[3] * output.shape[1] * kh * kw * module.in_channels
        elif isinstance(module, nn.Linear):
            macs += module.in_features * module.out_features

    for m in model.modules():
        m.register_forward_hook(hook)
    model.eval()
    with torch.no_grad():
        output = model(torch.zeros(1, *shape))
    return trainable + moving, trainable, macs, output.shape


def drn_networks():
    """fyu/drn's own drn.py (not a re-implementation): the specs/drn_*.yaml networks.

    drn.py is read by fyu_drn.py ($DRN_PY, else the checkout $DRN_REPO, else the mirror this project
    was checked with), imported as a module; nothing of it is copied here.
    """
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import fyu_drn
    drn = fyu_drn.load()
    for name in ["drn_a_50", "drn_c_26", "drn_c_42", "drn_c_58", "drn_d_22", "drn_d_38", "drn_d_54", "drn_d_105"]:
        yield name, getattr(drn, name)(), (3, 224, 224)


def networks():
    for name, build in [("small_cnn_28", small_cnn_28), ("inception_small", inception_small),
                        ("alexnet_half_bn_cats_dogs", alexnet_half_bn), ("alexnet_cats_dogs", alexnet_cats_dogs),
                        ("resnet50", resnet50)]:
        yield (name, *build())
    yield from drn_networks()


for name, model, shape in networks():
    total, trainable, macs, output = count(model, shape)
    print(f"{name}: total {total:,} trainable {trainable:,} macs {macs:,} output {tuple(output)}")
